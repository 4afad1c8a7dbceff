//! End-to-end: the release build driven in headless Chromium over WebDriver
//! the way a person uses it — open, click, type, wait, read, screenshot —
//! on three sites:
//!
//! 1. `dist/` served by the dev provisioning service (every API scenario);
//! 2. `dist/` behind a private nginx configured by `deploy/nginx/` at `/`,
//!    under the portal's strict CSP (headers, compression, accessibility,
//!    the keyboard, where the token goes);
//! 3. a build made with `--public-url /admin/provisioning/` behind nginx at
//!    that sub-path.
//!
//! Needs `dist/` and `target/dist-subpath/` (`trunk build --release`, the
//! second with `--public-url /admin/provisioning/ --dist target/dist-subpath`),
//! the dev service binary (target/debug/dev-provisioning-service, or
//! DEV_SERVICE_BIN), nginx, axe-core (AXE_JS) and chromium + chromedriver
//! (CHROMIUM, CHROMEDRIVER). `scripts/test.sh` provides all of it.
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
use std::time::{Duration, Instant};

use browser::{Browser, Outcome};
use thirtyfour::prelude::*;
use tokio::io::{AsyncBufReadExt, BufReader};
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

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Where the processes the tests start write their logs.
pub fn logs_dir() -> PathBuf {
    root().join("target/e2e-logs")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_for_port(port: u16, what: &str) {
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} did not start listening on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The dev service, serving `dist` too; its request log goes to
/// `target/e2e-logs/dev-service.log`.
async fn start_service(dist: &Path) -> (Child, String) {
    let bin = std::env::var_os("DEV_SERVICE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/debug/dev-provisioning-service"));
    assert!(
        bin.is_file(),
        "{} is missing: cargo build -p dev-provisioning-service",
        bin.display()
    );
    let log = std::fs::File::create(logs_dir().join("dev-service.log")).unwrap();
    let mut child = Command::new(bin)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--step-ms",
            &STEP_MS.to_string(),
            "--dist",
        ])
        .arg(dist)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("start the dev service");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("the dev service announces its address")
        .unwrap()
        .expect("a line");
    let url = line.rsplit(' ').next().unwrap().to_owned();
    (child, url)
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

async fn start_chromedriver() -> (Child, String) {
    let port = free_port();
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let child = Command::new(bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromedriver");
    wait_for_port(port, "chromedriver").await;
    (child, format!("http://127.0.0.1:{port}"))
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

async fn start_browser(driver_url: &str) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
        .unwrap();
    let profile = std::env::temp_dir().join(format!("store-portal-e2e-{}", std::process::id()));
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        &format!("--user-data-dir={}", profile.display()),
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.set_browser_log_level(thirtyfour::LoggingPrefsLogLevel::All)
        .unwrap();
    let driver = WebDriver::new(driver_url, caps)
        .await
        .expect("start a Chromium session");
    driver
        .cdp()
        .send_raw(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": PAGE_PROBE }),
        )
        .await
        .expect("install the page probe");
    driver
}

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

    let (_service, service) = start_service(&dist).await;
    let (_nginx_root, nginx_root, root_prefix) = start_nginx(&dist, "/", &service, "root").await;
    let (_nginx_sub, nginx_sub, sub_prefix) =
        start_nginx(&sub_dist, SUB_PATH, &service, "sub-path").await;
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let driver = start_browser(&driver_url).await;
    let site = |base: String, nginx: Option<PathBuf>| Browser {
        driver: driver.clone(),
        base,
        service: service.clone(),
        screenshots: screenshots.clone(),
        nginx,
    };
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
    println!("\ne2e: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
