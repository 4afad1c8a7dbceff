//! End-to-end: the release build driven in headless browsers over WebDriver
//! the way a person uses it — open, click, type, wait, read, screenshot —
//! in four suites:
//!
//! 1. `dist/` served by the dev provisioning service (every API scenario);
//! 2. `dist/` behind a private nginx configured by `deploy/nginx/` at `/`,
//!    under the portal's strict CSP (headers, compression, accessibility,
//!    the keyboard, where the token goes);
//! 3. a build made with `--public-url /admin/provisioning/` behind nginx at
//!    that sub-path;
//! 4. the first site again (a service of its own) in headless Firefox.
//!
//! Needs `dist/` and `target/dist-subpath/` (`trunk build --release`, the
//! second with `--public-url /admin/provisioning/ --dist target/dist-subpath`),
//! the dev service binary (target/debug/dev-provisioning-service, or
//! DEV_SERVICE_BIN), nginx, axe-core (AXE_JS), chromium + chromedriver
//! (CHROMIUM, CHROMEDRIVER) and firefox-esr + geckodriver (FIREFOX,
//! GECKODRIVER). `scripts/test.sh` provides all of it.
//! A custom harness: scenarios run one after another in one browser;
//! arguments filter them by name; the last line reads "N passed, M failed".

#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/dev_service.rs"]
mod dev_service;
#[path = "e2e/hosting.rs"]
mod hosting;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::time::Instant;

use browser::{Browser, Outcome};
pub use e2e::root;
use e2e::{
    free_port, start_chromedriver, start_chromium, start_firefox, start_geckodriver, start_service,
    wait_for_port,
};
use tokio::process::{Child, Command};

/// How long one simulated step takes in these tests.
const STEP_MS: u64 = 600;
/// Where the sub-path build is mounted.
pub const SUB_PATH: &str = "/admin/provisioning/";

pub type Scenario = for<'a> fn(&'a Browser) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

#[macro_export]
macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        vec![$((stringify!($name), (|b| Box::pin($name(b))) as $crate::Scenario)),*]
    };
}

/// Where the processes the tests start write their logs.
pub fn logs_dir() -> PathBuf {
    root().join("target/e2e-logs")
}

/// A private nginx from `scripts/nginx.sh` (the README's recipe) serving
/// `dist` at `base_path`, with the dev service behind `/provision/`.
/// Returns the process, the origin, and the directory of its config and logs.
async fn start_nginx(
    dist: &Path,
    base_path: &str,
    service: &str,
    name: &str,
) -> (Child, String, PathBuf) {
    let port = free_port();
    let prefix = root().join("target/e2e-nginx").join(name);
    let _ = std::fs::remove_dir_all(&prefix);
    let child = Command::new("bash")
        .arg(root().join("scripts/nginx.sh"))
        .arg("--dist")
        .arg(dist)
        .args(["--base-path", base_path])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--api", service])
        .arg("--prefix")
        .arg(&prefix)
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start nginx (scripts/nginx.sh)");
    wait_for_port(port, "nginx").await;
    (child, format!("http://127.0.0.1:{port}"), prefix)
}

/// Installed before any page script runs, in every document: records
/// Content-Security-Policy violations, uncaught errors, rejected promises
/// and console errors and warnings, for `Browser::page_trouble`.
const PAGE_PROBE: &str = r#"(() => {
  const probe = { violations: [], errors: [] };
  Object.defineProperty(window, "__e2eProbe", { value: probe });
  document.addEventListener("securitypolicyviolation", (e) =>
    probe.violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  addEventListener("error", (e) =>
    probe.errors.push(String(e.message || (e.target && (e.target.src || e.target.href)) || "error event")), true);
  addEventListener("unhandledrejection", (e) => probe.errors.push(`unhandled rejection: ${e.reason}`));
  for (const level of ["error", "warn"]) {
    const original = console[level];
    console[level] = (...args) => { probe.errors.push(`console.${level}: ${args.join(" ")}`); original.apply(console, args); };
  }
})();"#;

fn built(dist: PathBuf, how: &str) -> PathBuf {
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: run {how} first",
        dist.display()
    );
    dist
}

/// Returns (rather than `process::exit`) so the service, nginx and
/// chromedriver children are dropped, and so killed, whatever the outcome.
#[tokio::main]
async fn main() -> std::process::ExitCode {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let dist = built(
        std::env::var_os("DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("dist")),
        "trunk build --release",
    );
    let sub_dist = built(
        std::env::var_os("DIST_SUBPATH")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target/dist-subpath")),
        "trunk build --release --public-url /admin/provisioning/ --dist target/dist-subpath",
    );
    let screenshots = root().join("target/e2e-screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    std::fs::create_dir_all(logs_dir()).unwrap();

    let (_service, service) =
        start_service(&dist, STEP_MS, &logs_dir().join("dev-service.log")).await;
    let (_nginx_root, nginx_root, root_prefix) = start_nginx(&dist, "/", &service, "root").await;
    let (_nginx_sub, nginx_sub, sub_prefix) =
        start_nginx(&sub_dist, SUB_PATH, &service, "sub-path").await;
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let driver = start_chromium(&driver_url, &[], PAGE_PROBE).await;
    let site = |base: String, nginx: Option<PathBuf>| Browser {
        driver: driver.clone(),
        base,
        service: service.clone(),
        screenshots: screenshots.clone(),
        nginx,
    };
    // Firefox runs the dev-service suite against a service of its own (the
    // scenarios count each tenant's requests from the first).
    let (_firefox_service, firefox_service) =
        start_service(&dist, STEP_MS, &logs_dir().join("dev-service-firefox.log")).await;
    let (_geckodriver, gecko_url) = start_geckodriver().await;
    let firefox = start_firefox(&gecko_url).await;
    let firefox_screenshots = screenshots.join("firefox");
    std::fs::create_dir_all(&firefox_screenshots).unwrap();
    let suites = [
        (
            "dev service",
            site(service.clone(), None),
            dev_service::all(),
        ),
        (
            "nginx at /, strict CSP",
            site(nginx_root, Some(root_prefix)),
            hosting::at_root(),
        ),
        (
            "nginx at /admin/provisioning/",
            site(
                format!("{nginx_sub}{}", SUB_PATH.trim_end_matches('/')),
                Some(sub_prefix),
            ),
            hosting::under_sub_path(),
        ),
        (
            "dev service, Firefox",
            Browser {
                driver: firefox.clone(),
                base: firefox_service.clone(),
                service: firefox_service.clone(),
                screenshots: firefox_screenshots,
                nginx: None,
            },
            dev_service::all(),
        ),
    ];

    let (mut passed, mut failed) = (0, 0);
    for (suite, browser, scenarios) in suites {
        let selected: Vec<_> = scenarios
            .into_iter()
            .filter(|(name, _)| {
                filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()))
            })
            .collect();
        if selected.is_empty() {
            continue;
        }
        println!("\n{suite}: {} end-to-end scenarios", selected.len());
        for (name, scenario) in selected {
            let started = Instant::now();
            match scenario(&browser).await {
                Ok(()) => {
                    passed += 1;
                    println!(
                        "e2e {name} ... ok ({:.1} s)",
                        started.elapsed().as_secs_f64()
                    );
                }
                Err(error) => {
                    failed += 1;
                    let _ = browser.screenshot(&format!("FAILED-{name}")).await;
                    println!(
                        "e2e {name} ... FAILED ({:.1} s)\n    {error}",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }
    let _ = driver.quit().await;
    let _ = firefox.quit().await;
    println!("\ne2e: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
