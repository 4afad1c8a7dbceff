//! What the end-to-end tests (`tests/e2e.rs`) and the benchmarks
//! (`benches/`) share: starting the dev provisioning service, ChromeDriver
//! and headless Chromium, geckodriver and headless Firefox, the way this
//! machine needs them; a benchmark's site and probes.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn wait_for_port(port: u16, what: &str) {
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

/// The dev service (DEV_SERVICE_BIN, or the debug build) serving `dist`
/// too, with simulated steps of `step_ms` and the `extra` arguments
/// (`--new-jobs-per-second 1`); its request log goes to `log`. Returns the
/// process and its URL.
pub async fn start_service(
    dist: &Path,
    step_ms: u64,
    extra: &[&str],
    log: &Path,
) -> (Child, String) {
    let bin = std::env::var_os("DEV_SERVICE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/debug/dev-provisioning-service"));
    assert!(
        bin.is_file(),
        "{} is missing: cargo build -p dev-provisioning-service",
        bin.display()
    );
    let log = std::fs::File::create(log).unwrap();
    let mut child = Command::new(bin)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--step-ms",
            &step_ms.to_string(),
            "--dist",
        ])
        .arg(dist)
        .args(extra)
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

/// A WebDriver server (`bin`, which takes `--port=N`) on a free port.
async fn start_driver(bin: String, what: &str) -> (Child, String) {
    let port = free_port();
    let child = Command::new(bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|error| panic!("start {what}: {error}"));
    wait_for_port(port, what).await;
    (child, format!("http://127.0.0.1:{port}"))
}

/// ChromeDriver (CHROMEDRIVER, or Debian's) on a free port.
pub async fn start_chromedriver() -> (Child, String) {
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    start_driver(bin, "chromedriver").await
}

/// Headless Chromium (CHROMIUM, or Debian's) with a fresh profile, its
/// console log kept, `extra_args` added, and `probe` run at the start of
/// every document before the page's own scripts.
pub async fn start_chromium(driver_url: &str, extra_args: &[&str], probe: &str) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(&std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
        .unwrap();
    let profile = std::env::temp_dir().join(format!(
        "store-portal-chromium-{}-{}",
        std::process::id(),
        free_port()
    ));
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
    ]
    .into_iter()
    .chain(extra_args.iter().copied())
    {
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
            serde_json::json!({ "source": probe }),
        )
        .await
        .expect("install the page probe");
    // Notifications allowed, as a user who said yes to the prompt.
    driver
        .cdp()
        .send_raw(
            "Browser.grantPermissions",
            serde_json::json!({ "permissions": ["notifications"] }),
        )
        .await
        .expect("grant notifications");
    driver
}

/// geckodriver (GECKODRIVER, or the one `cargo install` put in CARGO_HOME)
/// on a free port.
pub async fn start_geckodriver() -> (Child, String) {
    let bin = std::env::var("GECKODRIVER").unwrap_or_else(|_| {
        let cargo_home = std::env::var("CARGO_HOME")
            .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
        format!("{cargo_home}/bin/geckodriver")
    });
    start_driver(bin, "geckodriver").await
}

/// Headless Firefox (FIREFOX, or Debian's firefox-esr) with a fresh profile.
pub async fn start_firefox(driver_url: &str) -> WebDriver {
    let mut caps = DesiredCapabilities::firefox();
    caps.set_firefox_binary(
        &std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into()),
    )
    .unwrap();
    for arg in ["-headless", "--width=1280", "--height=900"] {
        caps.add_arg(arg).unwrap();
    }
    // Notifications allowed, as a user who said yes to the prompt.
    let mut preferences = thirtyfour::common::capabilities::firefox::FirefoxPreferences::new();
    preferences
        .set("permissions.default.desktop-notification", 1)
        .unwrap();
    caps.set_preferences(preferences).unwrap();
    WebDriver::new(driver_url, caps)
        .await
        .expect("start a Firefox session")
}

/// For the benchmarks: records main-thread long tasks (over 50 ms) in
/// `window.__longTasks`, from the start of every document.
pub const LONG_TASK_PROBE: &str = "window.__longTasks = []; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });";

/// For the benchmarks: the JS heap and the wasm memory, in bytes.
pub const MEMORY_SCRIPT: &str =
    "return [performance.memory.usedJSHeapSize, window.__storePortalWasm.memory.buffer.byteLength]";

/// A benchmark's site: `dist/` (the release build) served by the dev
/// service, and headless Chromium with precise memory figures, `gc()` and
/// [`LONG_TASK_PROBE`]. Its processes end when it is dropped.
pub struct BenchSite {
    pub service: String,
    pub driver: WebDriver,
    _service: Child,
    _driver: Child,
}

impl BenchSite {
    /// The dev service at `step_ms` steps (its release build when there is
    /// one: its own speed is part of what a reader waits for), its request
    /// log in `target/<log_name>`.
    pub async fn start(step_ms: u64, log_name: &str) -> BenchSite {
        let dist = root().join("dist");
        assert!(
            dist.join("index.html").is_file(),
            "build first: trunk build --release --features split"
        );
        let release = root().join("target/release/dev-provisioning-service");
        if std::env::var_os("DEV_SERVICE_BIN").is_none() && release.is_file() {
            std::env::set_var("DEV_SERVICE_BIN", &release);
        }
        let log = root().join("target").join(log_name);
        let (service_process, service) = start_service(&dist, step_ms, &[], &log).await;
        let (driver_process, driver_url) = start_chromedriver().await;
        let driver = start_chromium(
            &driver_url,
            &["--enable-precise-memory-info", "--js-flags=--expose-gc"],
            LONG_TASK_PROBE,
        )
        .await;
        BenchSite {
            service,
            driver,
            _service: service_process,
            _driver: driver_process,
        }
    }

    /// One more dev service serving the same build at `step_ms` steps,
    /// with the `extra` arguments (`--no-streams`): the same browser, another
    /// origin. It runs while the returned process is held.
    pub async fn another_service(step_ms: u64, extra: &[&str], log_name: &str) -> (Child, String) {
        let log = root().join("target").join(log_name);
        start_service(&root().join("dist"), step_ms, extra, &log).await
    }

    /// Ends the browser session (the processes end with `self`).
    pub async fn quit(self) {
        let _ = self.driver.clone().quit().await;
    }
}

/// What the dev service at `service` answers to `GET /dev/{path}` (for
/// the benchmarks: a failure ends the run).
pub async fn dev_json(service: &str, path: &str) -> serde_json::Value {
    let text = reqwest::get(format!("{service}/dev/{path}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `tenant`'s first job as the service has it now: its id, its whole
/// status body (every line) as text, and that parsed.
pub async fn first_job(
    service: &str,
    tenant: &str,
    token: &str,
) -> (String, String, serde_json::Value) {
    let jobs = dev_json(service, &format!("jobs/{tenant}")).await;
    let job_id = jobs["jobs"][0].as_str().expect("a job").to_owned();
    let body = reqwest::Client::new()
        .get(format!("{service}/provision/status/{job_id}"))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let job = serde_json::from_str(&body).unwrap();
    (job_id, body, job)
}

/// Opens `tenant`'s page on `service`, signed in with `token` and nothing
/// else in its storage; its Provision Store button.
pub async fn open_tenant(
    driver: &WebDriver,
    service: &str,
    tenant: &str,
    token: &str,
) -> WebElement {
    driver.goto(format!("{service}/404")).await.unwrap();
    driver
        .execute(
            "localStorage.clear(); localStorage.setItem('token', arguments[0]);",
            vec![serde_json::json!(token)],
        )
        .await
        .unwrap();
    driver
        .goto(format!("{service}/tenants/{tenant}"))
        .await
        .unwrap();
    driver
        .query(By::XPath("//button[normalize-space()='Provision Store']"))
        .first()
        .await
        .unwrap()
}

/// Notes, on every animation frame, when each log line first shows on
/// screen: `window.lineSeen`, seq → ms since the epoch.
pub const LINE_SEEN_PROBE: &str = "window.lineSeen = {}; const tick = () => { for (const row of document.querySelectorAll('.log-row[data-seq]')) { const seq = row.dataset.seq; if (!(seq in window.lineSeen)) window.lineSeen[seq] = Date.now(); } requestAnimationFrame(tick); }; requestAnimationFrame(tick); return 0";

/// The value at fraction `p` (0 to 1) of `sorted` (NaN when empty).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

/// What `script` returns in the page (for the benchmarks: a failure ends
/// the run).
pub async fn page_js(driver: &WebDriver, script: &str) -> serde_json::Value {
    driver
        .execute(script, Vec::<serde_json::Value>::new())
        .await
        .expect(script)
        .json()
        .clone()
}
