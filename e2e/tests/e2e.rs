//! End-to-end: the release build driven in headless browsers over WebDriver
//! the way a person uses it — open, click, type, wait, read, screenshot —
//! in eight suites:
//!
//! 1. `dist/` served by the dev provisioning service (every API scenario);
//! 2. `dist/` behind a private nginx configured by `deploy/nginx/` at `/`,
//!    under the portal's strict CSP (headers, compression, accessibility,
//!    the keyboard, where the token goes);
//! 3. a build made with `--public-url /admin/provisioning/` behind nginx at
//!    that sub-path;
//! 4. the first site again (a service of its own) in headless Firefox;
//! 5. and 6. the custom elements in a host page (`e2e/host-page/`, at
//!    `/portal/` beside the sub-path build, same nginx and CSP), in
//!    Chromium and in Firefox;
//! 7. and 8. jobs streamed, and polled where the stream cannot serve,
//!    behind the nginx at `/`, in Chromium and in Firefox.
//!
//! Needs `dist/` and `target/dist-subpath/` (`trunk build --release --features split`, the
//! second with `--public-url /admin/provisioning/ --dist target/dist-subpath`),
//! the dev service binary (target/debug/dev-provisioning-service, or
//! DEV_SERVICE_BIN), nginx, axe-core (AXE_JS), chromium + chromedriver
//! (CHROMIUM, CHROMEDRIVER) and firefox-esr + geckodriver (FIREFOX,
//! GECKODRIVER). `scripts/test.sh` provides all of it.
//! The harness is libtest-mimic: the standard `test … ok` and `test
//! result:` lines, `--list`, name filters (`cargo test -p e2e --
//! firefox::`), `--exact` and `--skip`. Scenarios run one after another;
//! each suite's processes and browser start when its first selected
//! scenario runs, and are shared by the rest.

#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/dev_service.rs"]
mod dev_service;
#[path = "e2e/embedded.rs"]
mod embedded;
#[path = "e2e/hosting.rs"]
mod hosting;
#[path = "e2e/live.rs"]
mod live;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use thirtyfour::WebDriver;
use tokio::sync::OnceCell;

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

/// A private nginx from `scripts/nginx.sh` (docs/deploying.md's recipe) serving
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
        .arg("--host-page")
        .arg(root().join("e2e/host-page"))
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

/// The suites, by the prefix of their scenarios' names.
#[derive(Clone, Copy, PartialEq)]
enum Suite {
    /// `dist/` served by the dev service, in Chromium.
    DevService,
    /// nginx at `/`, strict CSP, in Chromium.
    NginxRoot,
    /// nginx at the sub-path, in Chromium.
    NginxSubPath,
    /// The dev-service suite again, in Firefox.
    Firefox,
    /// The custom elements in the host page beside the sub-path build, in Chromium.
    Embedded,
    /// The same, in Firefox.
    FirefoxEmbedded,
    /// Jobs streamed and polled, nginx at `/`, in Chromium.
    Live,
    /// The same, in Firefox.
    FirefoxLive,
}

impl Suite {
    const ALL: [Suite; 8] = [
        Suite::DevService,
        Suite::NginxRoot,
        Suite::NginxSubPath,
        Suite::Firefox,
        Suite::Embedded,
        Suite::FirefoxEmbedded,
        Suite::Live,
        Suite::FirefoxLive,
    ];

    fn prefix(self) -> &'static str {
        match self {
            Suite::DevService => "dev_service",
            Suite::NginxRoot => "nginx_root",
            Suite::NginxSubPath => "nginx_sub_path",
            Suite::Firefox => "firefox",
            Suite::Embedded => "embedded",
            Suite::FirefoxEmbedded => "firefox_embedded",
            Suite::Live => "live",
            Suite::FirefoxLive => "firefox_live",
        }
    }

    fn scenarios(self) -> Vec<(&'static str, Scenario)> {
        match self {
            Suite::DevService | Suite::Firefox => dev_service::all(),
            Suite::NginxRoot => hosting::at_root(),
            Suite::NginxSubPath => hosting::under_sub_path(),
            Suite::Embedded | Suite::FirefoxEmbedded => embedded::all(),
            Suite::Live | Suite::FirefoxLive => live::all(),
        }
    }
}

/// A dev service and the browser session that uses it.
struct Site {
    _service: Child,
    service: String,
    _driver_process: Child,
    driver: WebDriver,
}

/// A private nginx in front of the Chromium site's service.
struct Nginx {
    _process: Child,
    origin: String,
    prefix: PathBuf,
}

/// What the suites share, each part started when first needed.
struct Shared {
    dist: PathBuf,
    sub_dist: PathBuf,
    screenshots: PathBuf,
    chromium: OnceCell<Site>,
    nginx_root: OnceCell<Nginx>,
    nginx_sub: OnceCell<Nginx>,
    firefox: OnceCell<Site>,
    /// Last: dropped after the processes above are killed.
    runtime: tokio::runtime::Runtime,
}

impl Site {
    /// A dev service of its own (its requests logged to `log_name`) and a
    /// session of `firefox` or Chromium.
    async fn start(dist: &Path, log_name: &str, firefox: bool) -> Site {
        let (service_process, service) =
            start_service(dist, STEP_MS, &[], &logs_dir().join(log_name)).await;
        let (driver_process, driver) = if firefox {
            let (process, url) = start_geckodriver().await;
            (process, start_firefox(&url).await)
        } else {
            let (process, url) = start_chromedriver().await;
            (
                process,
                start_chromium(&url, &["--js-flags=--expose-gc"], PAGE_PROBE).await,
            )
        };
        Site {
            _service: service_process,
            service,
            _driver_process: driver_process,
            driver,
        }
    }
}

impl Shared {
    async fn chromium(&self) -> &Site {
        self.chromium
            .get_or_init(|| Site::start(&self.dist, "dev-service.log", false))
            .await
    }

    /// Firefox runs the dev-service suite against a service of its own (the
    /// scenarios count each tenant's requests from the first).
    async fn firefox(&self) -> &Site {
        self.firefox
            .get_or_init(|| Site::start(&self.dist, "dev-service-firefox.log", true))
            .await
    }

    async fn nginx(&self, sub_path: bool) -> &Nginx {
        let service = self.chromium().await.service.clone();
        let (cell, dist, base, name) = if sub_path {
            (&self.nginx_sub, &self.sub_dist, SUB_PATH, "sub-path")
        } else {
            (&self.nginx_root, &self.dist, "/", "root")
        };
        cell.get_or_init(|| async {
            let (process, origin, prefix) = start_nginx(dist, base, &service, name).await;
            Nginx {
                _process: process,
                origin,
                prefix,
            }
        })
        .await
    }

    /// The browser pointed at `suite`'s site.
    async fn browser(&self, suite: Suite) -> Browser {
        let chromium = |site: &Site, base: String, nginx: Option<PathBuf>| Browser {
            driver: site.driver.clone(),
            base,
            service: site.service.clone(),
            screenshots: self.screenshots.clone(),
            nginx,
            dist: self.dist.clone(),
        };
        match suite {
            Suite::DevService => {
                let site = self.chromium().await;
                chromium(site, site.service.clone(), None)
            }
            Suite::NginxRoot => {
                let nginx = self.nginx(false).await;
                let base = nginx.origin.clone();
                chromium(self.chromium().await, base, Some(nginx.prefix.clone()))
            }
            Suite::NginxSubPath => {
                let nginx = self.nginx(true).await;
                let base = format!("{}{}", nginx.origin, SUB_PATH.trim_end_matches('/'));
                chromium(self.chromium().await, base, Some(nginx.prefix.clone()))
            }
            Suite::Firefox => {
                let site = self.firefox().await;
                Browser {
                    driver: site.driver.clone(),
                    base: site.service.clone(),
                    service: site.service.clone(),
                    screenshots: self.screenshots.join("firefox"),
                    nginx: None,
                    dist: self.dist.clone(),
                }
            }
            // The host page of the sub-path nginx (its origin as the base),
            // whose service is the Chromium site's.
            Suite::Embedded => {
                let nginx = self.nginx(true).await;
                let base = nginx.origin.clone();
                chromium(self.chromium().await, base, Some(nginx.prefix.clone()))
            }
            Suite::Live => {
                let nginx = self.nginx(false).await;
                let base = nginx.origin.clone();
                chromium(self.chromium().await, base, Some(nginx.prefix.clone()))
            }
            Suite::FirefoxEmbedded | Suite::FirefoxLive => {
                let nginx = self.nginx(suite == Suite::FirefoxEmbedded).await;
                let service = self.chromium().await.service.clone();
                let site = self.firefox().await;
                Browser {
                    driver: site.driver.clone(),
                    base: nginx.origin.clone(),
                    service,
                    screenshots: self.screenshots.join("firefox"),
                    nginx: Some(nginx.prefix.clone()),
                    dist: self.dist.clone(),
                }
            }
        }
    }

    /// One scenario, with a screenshot when it fails, and how long it took
    /// (the suites' time goes where these say).
    fn run(&self, suite: Suite, name: &str, scenario: Scenario) -> Result<(), Failed> {
        self.runtime.block_on(async {
            let browser = self.browser(suite).await;
            let started = std::time::Instant::now();
            let outcome = scenario(&browser).await;
            print!("[{:.1} s] ", started.elapsed().as_secs_f64());
            match outcome {
                Ok(()) => Ok(()),
                Err(error) => {
                    let _ = browser.screenshot(&format!("FAILED-{name}")).await;
                    Err(error.into())
                }
            }
        })
    }

    /// Ends the browser sessions (the processes end when `self` is dropped).
    fn quit_browsers(&self) {
        self.runtime.block_on(async {
            for site in [self.chromium.get(), self.firefox.get()]
                .into_iter()
                .flatten()
            {
                let _ = site.driver.clone().quit().await;
            }
        });
    }
}

/// Returns (rather than `process::exit`) so the service, nginx and driver
/// children are dropped, and so killed, whatever the outcome.
fn main() -> std::process::ExitCode {
    let mut args = Arguments::from_args();
    // One browser per suite, one scenario at a time.
    args.test_threads = Some(1);
    let listing = args.list;
    let dist_of = |var: &str, default: PathBuf, how: &str| {
        let dist = std::env::var_os(var).map(PathBuf::from).unwrap_or(default);
        if listing {
            dist
        } else {
            built(dist, how)
        }
    };
    let dist = dist_of(
        "DIST",
        root().join("dist"),
        "trunk build --release --features split",
    );
    let sub_dist = dist_of(
        "DIST_SUBPATH",
        root().join("target/dist-subpath"),
        "trunk build --release --features split --public-url /admin/provisioning/ --dist target/dist-subpath",
    );
    let screenshots = root().join("target/e2e-screenshots");
    std::fs::create_dir_all(screenshots.join("firefox")).unwrap();
    std::fs::create_dir_all(logs_dir()).unwrap();
    let shared = Arc::new(Shared {
        dist,
        sub_dist,
        screenshots,
        chromium: OnceCell::new(),
        nginx_root: OnceCell::new(),
        nginx_sub: OnceCell::new(),
        firefox: OnceCell::new(),
        runtime: tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime"),
    });
    let trials = Suite::ALL
        .into_iter()
        .flat_map(|suite| {
            let shared = shared.clone();
            suite.scenarios().into_iter().map(move |(name, scenario)| {
                let shared = shared.clone();
                Trial::test(format!("{}::{name}", suite.prefix()), move || {
                    shared.run(suite, name, scenario)
                })
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    shared.quit_browsers();
    conclusion.exit_code()
}
