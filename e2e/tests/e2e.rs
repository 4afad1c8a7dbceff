//! End-to-end: the release build (`dist/`) served by the dev provisioning
//! service, driven in headless Chromium over WebDriver the way a person uses
//! it — open, click, wait, read, screenshot.
//!
//! Needs `dist/` (trunk build --release), the dev service binary
//! (target/debug/dev-provisioning-service, or DEV_SERVICE_BIN) and
//! chromium + chromedriver (CHROMIUM, CHROMEDRIVER). `scripts/test.sh` runs it.
//! A custom harness: scenarios run one after another in one browser and the
//! last line reads "N passed, M failed".

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use thirtyfour::prelude::*;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long one simulated step takes in these tests.
const STEP_MS: u64 = 600;
const WAIT: Duration = Duration::from_secs(30);

type Outcome = Result<(), String>;
type Scenario = for<'a> fn(&'a Browser) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

struct Browser {
    driver: WebDriver,
    base: String,
    screenshots: PathBuf,
}

fn fail<E: std::fmt::Display>(context: &str) -> impl FnOnce(E) -> String + '_ {
    move |error| format!("{context}: {error}")
}

impl Browser {
    /// Opens `path` signed in with a fresh localStorage (the token only).
    async fn open_signed_in(&self, path: &str) -> Outcome {
        self.reset_storage(Some("e2e-token")).await?;
        self.open(path).await
    }

    async fn reset_storage(&self, token: Option<&str>) -> Outcome {
        self.driver
            .goto(format!("{}/404", self.base))
            .await
            .map_err(fail("open"))?;
        self.driver
            .execute(
                "localStorage.clear(); if (arguments[0] !== null) localStorage.setItem('token', arguments[0]);",
                vec![json!(token)],
            )
            .await
            .map_err(fail("set token"))?;
        Ok(())
    }

    async fn open(&self, path: &str) -> Outcome {
        self.driver
            .goto(format!("{}{path}", self.base))
            .await
            .map_err(fail("open"))?;
        self.wait_until(
            &format!("{path} has rendered"),
            "return document.querySelector('main') !== null",
        )
        .await
    }

    /// Runs `script` (a function body) and returns its value.
    async fn js(&self, script: &str) -> Result<Value, String> {
        let ret = self
            .driver
            .execute(script, Vec::<Value>::new())
            .await
            .map_err(fail(script))?;
        Ok(ret.json().clone())
    }

    async fn text(&self, css: &str) -> Result<String, String> {
        let script = format!(
            "const e = document.querySelector({}); return e ? e.textContent : null;",
            json!(css)
        );
        match self.js(&script).await? {
            Value::String(text) => Ok(text),
            _ => Err(format!("nothing matches {css}")),
        }
    }

    /// Polls a script until it returns `true` (WebDriver has no DOM events to await).
    async fn wait_until(&self, what: &str, script: &str) -> Outcome {
        let started = Instant::now();
        loop {
            if self.js(script).await? == Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                let status = self.text("[role=status]").await.unwrap_or_default();
                return Err(format!(
                    "timed out waiting until {what} (status region: {status:?})"
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_for_text(&self, css: &str, needle: &str) -> Outcome {
        let script = format!(
            "const e = document.querySelector({}); return !!e && e.textContent.includes({});",
            json!(css),
            json!(needle)
        );
        self.wait_until(&format!("{css} shows {needle:?}"), &script)
            .await
    }

    async fn wait_for_status(&self, status: &str) -> Outcome {
        self.wait_for_text("[role=status] .badge", status).await
    }

    /// Clicks the element `css` selects, as a person would.
    async fn click(&self, css: &str) -> Outcome {
        let element = self.driver.find(By::Css(css)).await.map_err(fail(css))?;
        element.click().await.map_err(fail(css))
    }

    async fn provision_button(&self) -> Result<WebElement, String> {
        self.driver
            .find(By::XPath("//button[normalize-space()='Provision Store']"))
            .await
            .map_err(fail("find the Provision Store button"))
    }

    async fn click_provision(&self) -> Outcome {
        self.provision_button()
            .await?
            .click()
            .await
            .map_err(fail("click Provision Store"))
    }

    async fn button_enabled(&self) -> Result<bool, String> {
        self.provision_button()
            .await?
            .is_enabled()
            .await
            .map_err(fail("read the button"))
    }

    async fn no_alert_shown(&self) -> Outcome {
        let none = self
            .js("return document.querySelector('[role=alert]') === null")
            .await?;
        check(
            none == json!(true),
            format!(
                "no alert expected, got {:?}",
                self.text("[role=alert]").await
            ),
        )
    }

    async fn one_job_for(&self, tenant: &str) -> Outcome {
        let jobs = self.jobs_of(tenant).await?;
        check(
            jobs.len() == 1,
            format!("one job for {tenant}, got {jobs:?}"),
        )
    }

    async fn log_line_count(&self) -> Result<u64, String> {
        let text = self.text(".log-count").await?;
        text.split_whitespace()
            .next()
            .and_then(|n| n.replace(',', "").parse().ok())
            .ok_or(format!("log count {text:?}"))
    }

    async fn screenshot(&self, name: &str) -> Outcome {
        let path = self.screenshots.join(format!("{name}.png"));
        self.driver
            .screenshot(&path)
            .await
            .map_err(fail("screenshot"))
    }

    /// The jobs the dev service holds for `tenant`.
    async fn jobs_of(&self, tenant: &str) -> Result<Vec<String>, String> {
        let script = format!(
            "const r = await fetch('/dev/jobs/{tenant}'); return JSON.stringify(await r.json());"
        );
        let script = format!("return (async () => {{ {script} }})();");
        let body = self.js(&script).await?;
        let body: Value =
            serde_json::from_str(body.as_str().unwrap_or("{}")).map_err(fail("jobs json"))?;
        Ok(body["jobs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect())
    }
}

fn check(condition: bool, message: impl Into<String>) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(message.into())
    }
}

// ---------------------------------------------------------------- scenarios

async fn home_redirects_and_a_tenant_opens_by_id(b: &Browser) -> Outcome {
    b.open_signed_in("/").await?;
    b.wait_until(
        "/ redirects to /tenants",
        "return location.pathname === '/tenants'",
    )
    .await?;
    let input = b
        .driver
        .find(By::Id("tenant-id"))
        .await
        .map_err(fail("find the tenant field"))?;
    input.send_keys("Not Valid").await.map_err(fail("type"))?;
    b.click("form button[type=submit]").await?;
    b.wait_for_text("#tenant-id-help", "lowercase letters")
        .await?;
    input.clear().await.map_err(fail("clear"))?;
    input.send_keys("acme-shoes").await.map_err(fail("type"))?;
    b.click("form button[type=submit]").await?;
    b.wait_until(
        "the tenant page opens",
        "return location.pathname === '/tenants/acme-shoes'",
    )
    .await?;
    b.wait_for_text("h1", "acme-shoes").await?;
    b.wait_for_text("[role=status]", "No provisioning job")
        .await?;
    check(b.button_enabled().await?, "the button starts enabled")?;
    check(
        b.js("return document.querySelectorAll('[role=log]').length")
            .await?
            == json!(1),
        "one log region",
    )?;
    b.screenshot("tenant-page").await?;
    // The tenant is now listed as recently opened.
    b.open("/tenants").await?;
    b.wait_for_text(".recent-tenants", "acme-shoes").await
}

async fn a_deep_link_to_an_unknown_page_shows_not_found(b: &Browser) -> Outcome {
    b.open_signed_in("/no/such/page").await?;
    b.wait_for_text("h1", "Page not found").await
}

async fn success_shows_progress_logs_and_the_store_link(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/acme-shoes").await?;
    b.click_provision().await?;
    b.wait_until(
        "the button is busy",
        "return document.querySelector('button.is-busy') !== null",
    )
    .await?;
    check(
        !b.button_enabled().await?,
        "the button is disabled while the job runs",
    )?;
    b.wait_for_status("processing").await?;
    b.wait_for_text("[role=status]", "Step").await?;
    b.screenshot("processing").await?;
    b.wait_for_status("deployed").await?;
    let href = b
        .js("return document.querySelector('[role=status] a').href")
        .await?;
    check(
        href == json!("https://acme-shoes.shop.example.test/"),
        format!("store link {href}"),
    )?;
    b.wait_until(
        "all 28 lines arrived",
        "return document.querySelector('.log-count').textContent === '28 lines'",
    )
    .await?;
    let first = b.text(".log-row .log-message").await?;
    check(
        first.contains("Reserving tenant resources"),
        format!("first line {first:?}"),
    )?;
    check(b.button_enabled().await?, "the button is enabled again")?;
    b.screenshot("deployed").await
}

async fn a_failed_job_shows_why_and_can_be_provisioned_again(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/fail-acme").await?;
    b.click_provision().await?;
    b.wait_for_status("failed").await?;
    b.wait_for_text("[role=status]", "payment provider rejected")
        .await?;
    b.wait_for_text(".hint", "provision the store again")
        .await?;
    let errors = b
        .js("return document.querySelectorAll('.log-row.level-error').length")
        .await?;
    check(errors == json!(1), format!("one error line, got {errors}"))?;
    b.screenshot("failed").await?;
    check(
        b.button_enabled().await?,
        "the button is enabled after a failure",
    )?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    check(
        b.jobs_of("fail-acme").await?.len() == 2,
        "two jobs: the failed one and the retry",
    )
}

async fn a_burst_of_5xx_html_pages_is_ridden_out(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/html5xx-acme").await?;
    b.click_provision().await?;
    b.wait_for_text(".notice", "retrying in").await?;
    b.wait_for_text(".notice", "Service trouble").await?;
    let notice = b.text(".notice").await?;
    check(
        !notice.contains("502") && !notice.contains("<html"),
        format!("no raw status or HTML: {notice:?}"),
    )?;
    b.screenshot("retrying").await?;
    b.wait_for_status("deployed").await?;
    b.wait_until(
        "the notice is gone",
        "return document.querySelector('.notice') === null",
    )
    .await?;
    check(b.log_line_count().await? == 28, "no line lost")
}

async fn malformed_json_is_reported_and_recovered_from(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/malformed-acme").await?;
    b.click_provision().await?;
    b.wait_for_text(".notice", "Unreadable response").await?;
    b.wait_for_status("deployed").await?;
    check(b.log_line_count().await? == 28, "no line lost")
}

async fn a_rate_limited_request_says_so_and_a_retry_works(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/ratelimit-acme").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=alert]", "busy").await?;
    b.wait_for_text(".hint", "asked to wait 2 s").await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.no_alert_shown().await?;
    b.one_job_for("ratelimit-acme").await
}

async fn without_a_token_the_user_is_asked_to_sign_in(b: &Browser) -> Outcome {
    b.reset_storage(None).await?;
    b.open("/tenants/acme-nosignin").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=alert]", "Sign in again through the portal")
        .await?;
    check(
        b.jobs_of("acme-nosignin").await?.is_empty(),
        "no request reached the service",
    )
}

async fn a_token_refused_mid_job_keeps_the_log_and_asks_to_sign_in(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/signout-acme").await?;
    b.click_provision().await?;
    b.wait_for_text(".notice", "Sign in again").await?;
    check(b.log_line_count().await? > 0, "the lines shown before stay")?;
    b.driver
        .find(By::XPath("//button[normalize-space()='Check again']"))
        .await
        .map_err(fail("Check again"))?;
    Ok(())
}

async fn an_unknown_tenant_is_reported(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/missing-acme").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=alert]", "doesn't know this tenant")
        .await?;
    check(b.button_enabled().await?, "the button is enabled")
}

async fn a_forbidden_user_is_told(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/forbidden-acme").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=alert]", "permission").await
}

async fn an_expired_job_is_forgotten(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/expire-acme").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=alert]", "no longer available")
        .await?;
    b.wait_for_text("[role=status]", "No provisioning job")
        .await?;
    check(b.button_enabled().await?, "the button is enabled")?;
    let saved = b
        .js("return localStorage.getItem('store-portal.jobs.v1')")
        .await?;
    check(
        !saved.to_string().contains("expire-acme"),
        format!("the saved job is forgotten: {saved}"),
    )
}

async fn a_409_attaches_to_the_running_job(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/busy-acme").await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.no_alert_shown().await?;
    b.one_job_for("busy-acme").await
}

async fn a_reload_mid_job_resumes_it(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/acme-reload").await?;
    b.click_provision().await?;
    b.wait_for_status("processing").await?;
    b.driver.refresh().await.map_err(fail("reload"))?;
    b.wait_for_status("deployed").await?;
    check(
        b.log_line_count().await? == 28,
        "every line after the reload",
    )?;
    b.one_job_for("acme-reload").await
}

async fn a_double_click_makes_one_job(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/acme-double").await?;
    let button = b.provision_button().await?;
    b.driver
        .action_chain()
        .double_click_element(&button)
        .perform()
        .await
        .map_err(fail("double click"))?;
    b.wait_for_status("deployed").await?;
    let jobs = b.jobs_of("acme-double").await?;
    check(jobs.len() == 1, format!("one job, got {jobs:?}"))
}

async fn hostile_log_text_is_shown_literally(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/hostile-acme").await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.wait_until("the first lines are in view", "document.querySelector('[role=log]').scrollTop = 0; return !!document.querySelector('.log-row[data-seq=\"1\"]')").await?;
    let log = b.text("[role=log]").await?;
    check(
        log.contains("<script>alert('xss')</script> rendered as text"),
        "script text shown literally",
    )?;
    check(
        log.contains("<img src=x onerror=\"alert(1)\">"),
        "img text shown literally",
    )?;
    check(
        log.contains("مرحبا بالعالم") && log.contains("👩‍👩‍👧"),
        "RTL and emoji intact",
    )?;
    check(!log.contains('\u{1b}'), "no raw escape characters")?;
    let injected = b.js("return document.querySelectorAll('[role=log] script, [role=log] img, [role=log] b').length").await?;
    check(
        injected == json!(0),
        format!("no elements injected: {injected}"),
    )?;
    let green = b.text("[role=log] .ansi-fg-2").await?;
    check(
        green == "green",
        format!("ANSI colour as a class: {green:?}"),
    )?;
    b.screenshot("hostile").await
}

async fn two_tenants_run_at_once(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/slow-alpha").await?;
    b.click_provision().await?;
    b.wait_for_status("queued").await?;
    b.open("/tenants/acme-beta").await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    check(b.log_line_count().await? == 28, "beta has its own log")?;
    b.open("/tenants/slow-alpha").await?;
    b.wait_for_status("deployed").await?;
    check(
        b.log_line_count().await? == 28,
        "alpha resumed with its log",
    )?;
    let alpha = b.jobs_of("slow-alpha").await?;
    let beta = b.jobs_of("acme-beta").await?;
    check(
        alpha.len() == 1 && beta.len() == 1 && alpha != beta,
        "one job each",
    )
}

async fn a_server_that_repeats_lines_shows_each_once(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/dupes-acme").await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.wait_until(
        "28 lines",
        "return document.querySelector('.log-count').textContent === '28 lines'",
    )
    .await
}

async fn unknown_statuses_are_shown_as_sent(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/weird-acme").await?;
    b.click_provision().await?;
    b.wait_for_status("warming_up").await?;
    b.wait_for_status("deployed").await
}

async fn slow_responses_keep_the_button_busy_until_they_arrive(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/slow-acme").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=status]", "Starting").await?;
    check(!b.button_enabled().await?, "busy while the request is slow")?;
    b.wait_for_status("deployed").await
}

async fn a_huge_log_stays_windowed(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/huge-acme").await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.wait_until(
        "120,001 lines",
        "return document.querySelector('.log-count').textContent === '120001 lines'",
    )
    .await?;
    let rows = b
        .js("return document.querySelectorAll('.log-row').length")
        .await?;
    check(
        rows.as_u64().is_some_and(|n| n < 200),
        format!("only the rows in view are rendered: {rows}"),
    )?;
    let last = b.js("const rows = document.querySelectorAll('.log-row'); return rows[rows.length - 1].dataset.seq").await?;
    check(
        last == json!("120001"),
        format!("follows the newest line: {last}"),
    )?;
    b.wait_until("scrolling to the top shows line 1", "document.querySelector('[role=log]').scrollTop = 0; return !!document.querySelector('.log-row[data-seq=\"1\"]')").await
}

async fn an_invalid_tenant_id_gets_a_message_and_no_button(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/Bad_Tenant").await?;
    b.wait_for_text("[role=alert]", "is not a tenant id")
        .await?;
    let buttons = b.js("return [...document.querySelectorAll('button')].filter(x => x.textContent.includes('Provision Store')).length").await?;
    check(buttons == json!(0), "no Provision Store button")
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        vec![$((stringify!($name), (|b| Box::pin($name(b))) as Scenario)),*]
    };
}

// ---------------------------------------------------------------- harness

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_service(dist: &Path) -> (Child, String) {
    let bin = std::env::var_os("DEV_SERVICE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/debug/dev-provisioning-service"));
    assert!(
        bin.is_file(),
        "{} is missing: cargo build -p dev-provisioning-service",
        bin.display()
    );
    let mut child = Command::new(bin)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--step-ms",
            &STEP_MS.to_string(),
            "--dist",
        ])
        .arg(dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
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
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (child, format!("http://127.0.0.1:{port}"))
}

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
    WebDriver::new(driver_url, caps)
        .await
        .expect("start a Chromium session")
}

/// Returns (rather than `process::exit`) so the service and chromedriver
/// children are dropped, and so killed, whatever the outcome.
#[tokio::main]
async fn main() -> std::process::ExitCode {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let dist = std::env::var_os("DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: run trunk build --release first",
        dist.display()
    );
    let screenshots = root().join("target/e2e-screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();

    let (_service, base) = start_service(&dist).await;
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let browser = Browser {
        driver: start_browser(&driver_url).await,
        base,
        screenshots,
    };
    let browser = Arc::new(browser);

    let all: Vec<(&str, Scenario)> = scenarios![
        home_redirects_and_a_tenant_opens_by_id,
        a_deep_link_to_an_unknown_page_shows_not_found,
        an_invalid_tenant_id_gets_a_message_and_no_button,
        success_shows_progress_logs_and_the_store_link,
        a_failed_job_shows_why_and_can_be_provisioned_again,
        a_burst_of_5xx_html_pages_is_ridden_out,
        malformed_json_is_reported_and_recovered_from,
        a_rate_limited_request_says_so_and_a_retry_works,
        without_a_token_the_user_is_asked_to_sign_in,
        a_token_refused_mid_job_keeps_the_log_and_asks_to_sign_in,
        an_unknown_tenant_is_reported,
        a_forbidden_user_is_told,
        an_expired_job_is_forgotten,
        a_409_attaches_to_the_running_job,
        a_reload_mid_job_resumes_it,
        a_double_click_makes_one_job,
        hostile_log_text_is_shown_literally,
        two_tenants_run_at_once,
        a_server_that_repeats_lines_shows_each_once,
        unknown_statuses_are_shown_as_sent,
        slow_responses_keep_the_button_busy_until_they_arrive,
        a_huge_log_stays_windowed,
    ];
    let selected: Vec<_> = all
        .into_iter()
        .filter(|(name, _)| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())))
        .collect();
    println!("\nrunning {} end-to-end scenarios", selected.len());
    let (mut passed, mut failed) = (0, 0);
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
    if let Ok(browser) = Arc::try_unwrap(browser) {
        let _ = browser.driver.quit().await;
    }
    println!("\ne2e: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
