//! The release build where it will live: behind nginx configured by
//! `deploy/nginx/` (through `scripts/nginx.sh`, docs/deploying.md's recipe), under
//! the portal's strict Content-Security-Policy, at `/` and at a sub-path.
//! Also what the production issue asks of the page itself: accessibility
//! (axe-core, the keyboard alone, polite announcements, reduced motion) and
//! where the token goes.

use serde_json::{json, Value};
use thirtyfour::prelude::*;

use crate::browser::{check, fail, matches_counted, Browser, Outcome, TOKEN};
use crate::dev_service;
use crate::Scenario;

/// The portal's policy, exactly as `deploy/nginx/store-portal-headers.conf` sends it.
pub const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// `http://host:port` of a base that may carry a path.
fn origin(base: &str) -> String {
    base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")
}

struct Fetched {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Fetched {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

async fn fetch(url: &str, accept_encoding: Option<&str>) -> Result<Fetched, String> {
    let mut request = http().get(url);
    if let Some(encoding) = accept_encoding {
        request = request.header("Accept-Encoding", encoding);
    }
    let response = request.send().await.map_err(fail(url))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(fail(url))?.to_vec();
    Ok(Fetched {
        status,
        headers,
        body,
    })
}

/// The `src` and `href` values in a page.
fn asset_urls(html: &str) -> Vec<String> {
    html.split(['"', '\''])
        .filter(|part| {
            part.starts_with('/')
                && [".wasm", ".js", ".css", ".svg"]
                    .iter()
                    .any(|ext| part.ends_with(ext))
        })
        .map(str::to_owned)
        .collect()
}

async fn the_app_page_carries_the_policy(b: &Browser, path: &str) -> Result<String, String> {
    let page = fetch(&format!("{}{path}", b.base), None).await?;
    check(
        page.status == 200,
        format!("{path}: status {}", page.status),
    )?;
    check(
        page.header("content-security-policy") == POLICY,
        format!("{path}: CSP {:?}", page.header("content-security-policy")),
    )?;
    check(
        page.header("cache-control") == "no-cache",
        format!(
            "{path}: index.html must be revalidated, got {:?}",
            page.header("cache-control")
        ),
    )?;
    check(
        page.header("x-content-type-options") == "nosniff",
        "nosniff on the page",
    )?;
    check(
        page.header("content-type").starts_with("text/html"),
        format!("{path}: {}", page.header("content-type")),
    )?;
    Ok(String::from_utf8_lossy(&page.body).into_owned())
}

/// Headers and bytes of everything a visit loads: the policy on the page
/// (also on a deep link), immutable caching and pre-compressed bodies on
/// the hashed assets, `application/wasm`, and a 404 for an asset that is not there.
async fn headers_protect_cache_and_compress(b: &Browser) -> Outcome {
    let html = the_app_page_carries_the_policy(b, "/").await?;
    the_app_page_carries_the_policy(b, "/tenants/acme-deep-link").await?;
    let assets = asset_urls(&html);
    check(
        assets.iter().any(|a| a.ends_with("_bg.wasm")) && assets.len() >= 4,
        format!("the page names its assets: {assets:?}"),
    )?;
    let origin = origin(&b.base);
    for asset in &assets {
        let url = format!("{origin}{asset}");
        let raw = fetch(&url, None).await?;
        let gzip = fetch(&url, Some("gzip")).await?;
        let brotli = fetch(&url, Some("br, gzip")).await?;
        for (what, got) in [("raw", &raw), ("gzip", &gzip), ("brotli", &brotli)] {
            check(
                got.status == 200,
                format!("{asset} ({what}): {}", got.status),
            )?;
            check(
                got.header("cache-control") == IMMUTABLE,
                format!(
                    "{asset} ({what}): cache-control {:?}",
                    got.header("cache-control")
                ),
            )?;
            check(
                got.header("content-security-policy") == POLICY,
                format!("{asset}: CSP"),
            )?;
        }
        check(
            raw.header("content-encoding").is_empty(),
            format!("{asset}: sent raw when nothing else is accepted"),
        )?;
        check(
            gzip.header("content-encoding") == "gzip" && brotli.header("content-encoding") == "br",
            format!(
                "{asset}: pre-compressed files served (gzip {:?}, br {:?})",
                gzip.header("content-encoding"),
                brotli.header("content-encoding")
            ),
        )?;
        check(
            brotli.body.len() < raw.body.len() && gzip.body.len() < raw.body.len(),
            format!("{asset}: compressed is smaller"),
        )?;
        if asset.ends_with(".wasm") {
            check(
                raw.header("content-type") == "application/wasm"
                    && brotli.header("content-type") == "application/wasm",
                format!("{asset}: {:?}", brotli.header("content-type")),
            )?;
        }
        println!(
            "    {asset}: {} B raw, {} B gzip, {} B brotli sent",
            raw.body.len(),
            gzip.body.len(),
            brotli.body.len()
        );
    }
    let missing = fetch(
        &format!("{}/store-portal-0123456789abcdef_bg.wasm", b.base),
        Some("br"),
    )
    .await?;
    check(
        missing.status == 404,
        format!("a missing asset is a 404, not the app: {}", missing.status),
    )
}

/// No inline script and no `style` attribute in what is served; every
/// script and stylesheet carries an SRI hash.
async fn the_page_has_no_inline_script_or_style(b: &Browser) -> Outcome {
    let html = the_app_page_carries_the_policy(b, "/").await?;
    let lower = html.to_ascii_lowercase();
    check(!lower.contains(" style="), "no style attribute")?;
    check(!lower.contains("<style"), "no style element")?;
    for tag in lower.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap_or_default();
        check(
            open.contains(" src="),
            format!("inline script: <script{open}>"),
        )?;
        check(
            open.contains("integrity="),
            format!("no SRI: <script{open}>"),
        )?;
    }
    for tag in lower.split("<link").skip(1) {
        let open = tag.split('>').next().unwrap_or_default();
        if ["stylesheet", "modulepreload", "\"preload\""]
            .iter()
            .any(|rel| open.contains(rel))
        {
            check(open.contains("integrity="), format!("no SRI: <link{open}>"))?;
        }
    }
    Ok(())
}

async fn a_job_runs_to_deployed_under_the_strict_policy(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/acme-csp").await?;
    b.page_trouble().await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.wait_until(
        "all 28 lines",
        "return document.querySelector('.log-count').textContent === '28 lines'",
    )
    .await?;
    b.screenshot("nginx-strict-csp-deployed").await?;
    b.no_page_trouble("a job under the strict CSP").await
}

/// The status region changes once per status (so it is announced once per
/// status), never on a step; errors go to an alert region.
async fn the_status_is_announced_once_per_change(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/acme-announce").await?;
    b.js("window.__statusTexts = []; const read = () => { const r = document.querySelector('[role=status]'); const t = r ? r.textContent.trim() : ''; const all = window.__statusTexts; if (all[all.length - 1] !== t) all.push(t); }; read(); new MutationObserver(read).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true });")
        .await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    let texts = b.js("return window.__statusTexts").await?;
    let texts: Vec<String> = texts
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t.as_str().unwrap_or_default().to_owned())
        .collect();
    check(
        texts.iter().all(|t| !t.contains("Step")),
        format!("steps stay out of the status region: {texts:#?}"),
    )?;
    let processing = texts.iter().filter(|t| t.starts_with("processing")).count();
    check(
        processing == 1 && texts.len() <= 6,
        format!("one change per status: {texts:#?}"),
    )?;
    b.open_signed_in("/tenants/forbidden-announce").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=alert]", "permission").await
}

async fn a_failed_job_through_nginx(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/fail-nginx").await?;
    b.page_trouble().await?;
    b.click_provision().await?;
    b.wait_for_status("failed").await?;
    b.wait_for_text("[role=status]", "payment provider rejected")
        .await?;
    // The tab's icon for a failed job: a hashed file nginx keeps for ever,
    // loaded under the strict CSP.
    let icon = b
        .js("return document.querySelector('link[rel=icon]').href")
        .await?;
    let icon = icon.as_str().unwrap_or_default().to_owned();
    check(
        icon.contains("/favicon-failed-"),
        format!("the failed icon: {icon}"),
    )?;
    let served = http()
        .get(&icon)
        .send()
        .await
        .map_err(fail("fetch the icon"))?;
    let cache = served
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    check(
        served.status() == 200 && cache.contains("immutable"),
        format!(
            "the icon is served, cached for ever: {} {cache}",
            served.status()
        ),
    )?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.wait_until(
        "the deployed title",
        "return document.title === '✓ Deployed · fail-nginx'",
    )
    .await?;
    b.no_page_trouble("a failed job, its icon, a retry").await?;
    check(
        b.jobs_of("fail-nginx").await?.len() == 2,
        "two jobs: the failed one and the retry",
    )
}

/// A deep link typed into the address bar (no navigation inside the app first).
async fn a_deep_link_opens_directly(b: &Browser) -> Outcome {
    b.reset_storage(Some(TOKEN)).await?;
    b.driver
        .goto(format!("{}/tenants/acme-direct", b.base))
        .await
        .map_err(fail("open"))?;
    b.wait_for_text("h1", "acme-direct").await?;
    b.wait_for_text("[role=status]", "No provisioning job")
        .await?;
    b.no_page_trouble("a deep link").await
}

async fn a_reload_mid_job_resumes_it(b: &Browser) -> Outcome {
    dev_service::reload_mid_job(b, "acme-nginx-reload").await?;
    b.no_page_trouble("a reload").await
}

async fn one_click_gets_through_a_rate_limit(b: &Browser) -> Outcome {
    dev_service::one_click_through_a_rate_limit(b, "ratelimit-nginx").await
}

async fn one_click_gets_through_a_dropped_connection(b: &Browser) -> Outcome {
    dev_service::one_click_through_a_dropped_connection(b, "dropped-nginx").await
}

/// axe-core on every state a person sees: no serious or critical violation.
async fn axe_finds_nothing_serious(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants").await?;
    b.axe_clean("the tenants page").await?;
    b.open("/tenants/slow-axe").await?;
    b.axe_clean("a tenant page before a job").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=status]", "Starting").await?;
    b.axe_clean("while the job starts").await?;
    // (The slow service's stream may bring the job's end before a
    // running state is on screen: a running job of its own.)
    b.open("/tenants/live-axe").await?;
    b.click_provision().await?;
    b.wait_for_status("processing").await?;
    b.axe_clean("while the job runs").await?;
    b.wait_for_status("deployed").await?;
    b.axe_clean("after the job").await?;
    b.open("/tenants/fail-axe").await?;
    b.click_provision().await?;
    b.wait_for_status("failed").await?;
    b.axe_clean("after a failure").await?;
    b.open("/tenants/missing-axe").await?;
    b.click_provision().await?;
    b.wait_for_text("[role=alert]", "doesn't know").await?;
    b.axe_clean("with an error alert").await?;
    b.open("/no/such/page").await?;
    b.axe_clean("the not-found page").await
}

/// Open a tenant, provision, read the status, reach and scroll the log and
/// follow the store link, by keys alone, with a focus ring at every stop.
async fn the_whole_flow_works_from_the_keyboard(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants").await?;
    b.tab_to("input#tenant-id").await?;
    b.press("acme-keys").await?;
    b.press(Key::Enter).await?;
    b.wait_until(
        "the tenant page opens",
        "return location.pathname.endsWith('/tenants/acme-keys')",
    )
    .await?;
    b.wait_for_text("h1", "acme-keys").await?;
    b.tab_to("Provision Store").await?;
    b.screenshot("keyboard-focus-on-provision").await?;
    b.press(Key::Enter).await?;
    b.wait_for_status("deployed").await?;
    let status = b.text("[role=status]").await?;
    check(
        status.contains("The store is live"),
        format!("status {status:?}"),
    )?;
    b.wait_until(
        "all 28 lines",
        "return document.querySelector('.log-count').textContent === '28 lines'",
    )
    .await?;
    // The focused button was disabled while the job ran; Tab on from wherever focus is.
    b.tab_to("acme-keys.shop.example.test").await?;
    b.tab_to("[role=log]").await?;
    // The finished steps have folded; a step header opens from the keyboard
    // (the others are opened for the scrolling below).
    b.press(Key::Tab).await?;
    let (focused, ring) = b.focused().await?;
    check(
        focused.contains("Step ") && ring,
        format!("Tab from the log reaches its first step: {focused:?}"),
    )?;
    b.press(Key::Enter).await?;
    b.wait_until(
        "Enter opens the step",
        "return document.querySelector('.log-group-toggle').getAttribute('aria-expanded') === 'true'",
    )
    .await?;
    b.open_all_steps().await?;
    b.tab_to("[role=log]").await?;
    let scroll = "return document.querySelector('[role=log]').scrollTop";
    b.press(Key::Home).await?;
    b.wait_until(
        "Home scrolls the log to its first line",
        "return document.querySelector('[role=log]').scrollTop === 0",
    )
    .await?;
    // Away from the newest line, the log stops following. (Asked before
    // Page Down: 35 rows may fit in a page and a half of a tall window,
    // and Page Down from the top may then reach the bottom again.)
    b.wait_for_text(".log-toolbar", "Jump to newest").await?;
    b.press(Key::PageDown).await?;
    b.wait_until(
        "Page Down scrolls the log",
        "return document.querySelector('[role=log]').scrollTop > 0",
    )
    .await?;
    b.press(Key::End).await?;
    b.wait_until(
        "End scrolls to the newest line, and the log follows again",
        "return !document.querySelector('.log-jump')",
    )
    .await?;
    let end = b.js(scroll).await?.as_f64().unwrap_or_default();
    check(end > 100.0, format!("End scrolls to the end: {end}"))?;
    // The log's tools are a Shift+Tab away: full screen and back with Escape.
    b.press_with_shift(Key::Tab).await?;
    let (focused, ring) = b.focused().await?;
    check(
        focused.contains("Full screen") && ring,
        format!("Shift+Tab from the log reaches its tools: {focused:?}"),
    )?;
    b.press(Key::Enter).await?;
    b.wait_until(
        "Full screen gives the log the whole window",
        "const r = document.querySelector('.log-panel').getBoundingClientRect(); return r.width === innerWidth && r.height === innerHeight",
    )
    .await?;
    b.press(Key::Escape).await?;
    b.wait_until(
        "Escape returns",
        "return !document.querySelector('.log-panel-full')",
    )
    .await?;
    // Back to the store link and follow it: it opens in a new tab.
    b.shift_tab_to("acme-keys.shop.example.test").await?;
    let before = b.driver.windows().await.map_err(fail("windows"))?;
    b.press(Key::Enter).await?;
    let started = std::time::Instant::now();
    loop {
        let now = b.driver.windows().await.map_err(fail("windows"))?;
        if now.len() > before.len() {
            for handle in now.into_iter().filter(|h| !before.contains(h)) {
                b.driver
                    .switch_to_window(handle)
                    .await
                    .map_err(fail("switch"))?;
                b.driver.close_window().await.map_err(fail("close"))?;
            }
            break;
        }
        check(
            started.elapsed() < crate::browser::WAIT,
            "Enter on the store link opens it",
        )?;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    b.driver
        .switch_to_window(before[0].clone())
        .await
        .map_err(fail("switch back"))
}

/// With the system set to reduce motion, the busy spinner stands still.
async fn motion_stops_when_the_system_asks(b: &Browser) -> Outcome {
    let devtools = b.driver.cdp();
    let emulate = |value: &str| json!({ "media": "", "features": [{ "name": "prefers-reduced-motion", "value": value }] });
    let spinner = "const s = document.querySelector('.spinner'); return s ? getComputedStyle(s).animationName : null;";
    b.open_signed_in("/tenants/slow-motion").await?;
    b.click_provision().await?;
    b.wait_until(
        "the spinner spins",
        "const s = document.querySelector('.spinner'); return !!s && getComputedStyle(s).animationName === 'spin';",
    )
    .await?;
    devtools
        .send_raw("Emulation.setEmulatedMedia", emulate("reduce"))
        .await
        .map_err(fail("emulate reduced motion"))?;
    let still = b.js(spinner).await;
    devtools
        .send_raw("Emulation.setEmulatedMedia", emulate(""))
        .await
        .map_err(fail("stop emulating"))?;
    check(
        still? == json!("none"),
        "the spinner stops under prefers-reduced-motion",
    )?;
    b.wait_for_status("deployed").await
}

/// "Theme": the system's dark scheme, then the reader's Light and Dark,
/// each clean under axe; the choice and the log's wrap, timestamps and level
/// filter survive a reload, under the strict CSP.
async fn the_theme_and_the_log_choices_are_kept(b: &Browser) -> Outcome {
    let devtools = b.driver.cdp();
    let emulate = |value: &str| json!({ "media": "", "features": [{ "name": "prefers-color-scheme", "value": value }] });
    let background = "return getComputedStyle(document.documentElement).backgroundColor";
    const DARK: &str = "rgb(13, 17, 23)";
    const LIGHT: &str = "rgb(246, 247, 249)";
    b.open_signed_in("/tenants/fail-theme").await?;
    // What earlier scenarios left in the console is not this one's.
    b.page_trouble().await?;
    b.click_provision().await?;
    b.wait_for_status("failed").await?;
    devtools
        .send_raw("Emulation.setEmulatedMedia", emulate("dark"))
        .await
        .map_err(fail("emulate a dark system"))?;
    let outcome = async {
        check(b.js(background).await? == json!(DARK), "the page follows the system's dark scheme")?;
        b.axe_clean("the system's dark theme, a failed job").await?;
        b.choose("#theme-choice", "light").await?;
        check(b.js(background).await? == json!(LIGHT), "Light, chosen over a dark system")?;
        b.axe_clean("Light chosen").await?;
        devtools
            .send_raw("Emulation.setEmulatedMedia", emulate("light"))
            .await
            .map_err(fail("emulate a light system"))?;
        b.choose("#theme-choice", "dark").await?;
        check(b.js(background).await? == json!(DARK), "Dark, chosen over a light system")?;
        b.axe_clean("Dark chosen").await?;
        b.screenshot("dark-theme").await?;
        // The log's choices.
        b.click("#log-wrap").await?;
        b.choose(".log-controls .log-time-mode", "since-start").await?;
        b.click("#log-level-0").await?;
        // A regular expression, through the Worker under the strict CSP
        // (its script checked against its SRI hash), and only its lines.
        b.click("#log-regex").await?;
        b.search_for(r"payment \w+ rejected").await?;
        let count = b.final_count("the pattern's matches").await?;
        check(
            matches_counted(&count).is_some_and(|n| n > 0),
            format!("the pattern matches under the strict CSP: {count:?}"),
        )?;
        b.click("#log-only-matching").await?;
        b.choose(".log-context", "5").await?;
        b.driver.refresh().await.map_err(fail("reload"))?;
        b.wait_for_status("failed").await?;
        let kept = b
            .js("return [document.documentElement.dataset.theme, document.getElementById('theme-choice').value, \
                 document.getElementById('log-wrap').checked, document.querySelector('.log-controls .log-time-mode').value, \
                 document.getElementById('log-level-0').checked, document.getElementById('log-only-matching').checked, \
                 document.querySelector('.log-context').value]")
            .await?;
        check(
            kept == json!(["dark", "dark", true, "since-start", false, true, "5"]),
            format!("kept across the reload: {kept}"),
        )?;
        check(b.js(background).await? == json!(DARK), "dark after the reload")?;
        b.no_page_trouble("themes and kept choices").await
    }
    .await;
    let _ = devtools
        .send_raw("Emulation.setEmulatedMedia", emulate(""))
        .await;
    outcome
}

/// The token goes out only in the `Authorization` header of API requests:
/// never in a URL, a log line of nginx or the service, or the console.
async fn the_token_goes_only_to_the_api(b: &Browser) -> Outcome {
    b.open_signed_in("/tenants/acme-token").await?;
    b.console_log().await?;
    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    let console = b.console_log().await?;
    check(
        console.iter().all(|entry| !entry.message.contains(TOKEN)),
        "the token is never written to the console",
    )?;
    let urls = b
        .js("return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])")
        .await?;
    check(
        !urls.to_string().contains(TOKEN),
        "no URL the page loaded carries the token",
    )?;
    let prefix = b.nginx.as_ref().ok_or("an nginx site")?;
    let access = std::fs::read_to_string(prefix.join("access.log")).map_err(fail("nginx log"))?;
    let service = std::fs::read_to_string(crate::logs_dir().join("dev-service.log"))
        .map_err(fail("service log"))?;
    check(
        !access.contains(TOKEN) && !service.contains(TOKEN),
        "no log line holds the token",
    )?;
    let with_token: Vec<&str> = access.lines().filter(|l| l.contains(" bearer ")).collect();
    check(
        !with_token.is_empty(),
        "the API requests carried a bearer token",
    )?;
    let elsewhere: Vec<&&str> = with_token
        .iter()
        .filter(|l| {
            !l.split(' ')
                .nth(1)
                .unwrap_or_default()
                .starts_with("/provision/")
        })
        .collect();
    check(
        elsewhere.is_empty(),
        format!("the token went only to the API: {elsewhere:#?}"),
    )
}

// ------------------------------------------------------------- sub-path

/// The same checks of headers under the mount path, and the redirect from
/// the path without its slash.
async fn sub_path_headers_and_redirect(b: &Browser) -> Outcome {
    let html = the_app_page_carries_the_policy(b, "/tenants/acme-sub").await?;
    let assets = asset_urls(&html);
    check(
        !assets.is_empty() && assets.iter().all(|a| a.starts_with(crate::SUB_PATH)),
        format!("assets live under the mount path: {assets:?}"),
    )?;
    let wasm = assets
        .iter()
        .find(|a| a.ends_with(".wasm"))
        .ok_or("a wasm asset")?;
    let got = fetch(&format!("{}{wasm}", origin(&b.base)), Some("br")).await?;
    check(
        got.status == 200
            && got.header("content-encoding") == "br"
            && got.header("cache-control") == IMMUTABLE,
        format!("{wasm}: {} {:?}", got.status, got.headers),
    )?;
    let bare = fetch(&b.base, None).await?;
    check(
        bare.status == 301 && bare.header("location").ends_with(crate::SUB_PATH),
        format!(
            "the mount path without its slash redirects: {} {:?}",
            bare.status,
            bare.header("location")
        ),
    )
}

/// Routes, links, deep links and reloads stay under `/admin/provisioning/`.
async fn the_app_works_under_a_sub_path(b: &Browser) -> Outcome {
    b.open_signed_in("/").await?;
    b.wait_until(
        "the mount path redirects to its tenants page",
        "return location.pathname === '/admin/provisioning/tenants'",
    )
    .await?;
    let input = b
        .driver
        .find(By::Id("tenant-id"))
        .await
        .map_err(fail("the tenant field"))?;
    input.send_keys("acme-sub").await.map_err(fail("type"))?;
    b.click("form button[type=submit]").await?;
    b.wait_until(
        "the tenant page opens under the prefix",
        "return location.pathname === '/admin/provisioning/tenants/acme-sub'",
    )
    .await?;
    let hrefs = b
        .js("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        .await?;
    let internal: Vec<String> = hrefs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|h| h.starts_with('/'))
        .map(str::to_owned)
        .collect();
    check(
        !internal.is_empty() && internal.iter().all(|h| h.starts_with(crate::SUB_PATH)),
        format!("links stay under the prefix: {internal:?}"),
    )?;
    b.click_provision().await?;
    b.wait_for_status("processing").await?;
    b.driver.refresh().await.map_err(fail("reload"))?;
    b.wait_for_text("h1", "acme-sub").await?;
    b.wait_for_status("deployed").await?;
    b.one_job_for("acme-sub").await?;
    // The search Worker is found beside the app's files, under the prefix.
    b.click("#log-regex").await?;
    b.search_for(r"^Step \d").await?;
    let count = b.final_count("a pattern under the sub-path").await?;
    check(
        matches_counted(&count).is_some_and(|n| n > 0),
        format!("the pattern matches under the sub-path: {count:?}"),
    )?;
    b.click(".breadcrumb a").await?;
    b.wait_until(
        "the breadcrumb leads to the tenants page under the prefix",
        "return location.pathname === '/admin/provisioning/tenants'",
    )
    .await?;
    b.wait_for_text(".recent-tenants", "acme-sub").await?;
    let recent = b.attr(".recent-tenants a", "href").await?;
    check(
        recent.as_deref() == Some("/admin/provisioning/tenants/acme-sub"),
        format!("recent tenant link {recent:?}"),
    )?;
    b.screenshot("nginx-sub-path").await?;
    b.no_page_trouble("under the sub-path").await
}

async fn a_deep_link_under_the_sub_path_opens_directly(b: &Browser) -> Outcome {
    b.reset_storage(Some(TOKEN)).await?;
    b.driver
        .goto(format!("{}/tenants/acme-sub-direct", b.base))
        .await
        .map_err(fail("open"))?;
    b.wait_for_text("h1", "acme-sub-direct").await?;
    b.axe_clean("a tenant page under the sub-path").await?;
    b.no_page_trouble("a deep link under the sub-path").await
}

/// The chunks this document fetched (not the main module): name, and what
/// fetched it ("link": boot.js's preload, beside the main module).
async fn chunks_fetched(b: &Browser) -> Result<Vec<(String, String)>, String> {
    let entries = b
        .js("return performance.getEntriesByType('resource').map(e => [e.name.split('/').pop(), e.initiatorType]).filter(([n]) => n.endsWith('.wasm') && !n.endsWith('_bg.wasm'))")
        .await?;
    serde_json::from_value(entries).map_err(|e| format!("resource entries: {e}"))
}

/// boot.js fetches the chunks a page's first screen asks for beside the main
/// module (its preload, which the app's own fetch then uses: one request
/// each): the Tenants page's batch panel; a tenant page's log tools when a
/// job of that tenant is saved, and none when there is none.
async fn chunks_come_beside_the_main_module(b: &Browser, tenant: &str) -> Outcome {
    // The document fetched the split point's chunk and the shared ones it
    // uses (at least one: every two split points share one), each once and
    // by the preload; no other split point's.
    let only_preloaded = |chunks: &[(String, String)], split_point: &str| {
        let mut names: Vec<&str> = chunks.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let each_once = names.len() == chunks.len();
        let by_link = chunks.iter().all(|(_, how)| how == "link");
        let own = chunks
            .iter()
            .filter(|(n, _)| n.starts_with(split_point))
            .count()
            == 1;
        let others = chunks
            .iter()
            .filter(|(n, _)| n.starts_with("split_") && !n.starts_with(split_point))
            .count();
        let shared = chunks
            .iter()
            .filter(|(n, _)| n.starts_with("chunk_"))
            .count();
        each_once && by_link && own && others == 0 && shared >= 1
    };
    b.reset_storage(Some(TOKEN)).await?;
    b.open("/tenants").await?;
    b.wait_for_text(".batch-form", "Tenant ids").await?;
    let chunks = chunks_fetched(b).await?;
    check(
        only_preloaded(&chunks, "split_batch_panel-"),
        format!("the Tenants page: the batch panel's chunks, preloaded once each: {chunks:?}"),
    )?;

    b.open(&format!("/tenants/{tenant}")).await?;
    b.wait_for_text("[role=log]", "No log lines yet.").await?;
    let chunks = chunks_fetched(b).await?;
    check(chunks.is_empty(), format!("no job, no chunk: {chunks:?}"))?;

    b.click_provision().await?;
    b.wait_for_status("deployed").await?;
    b.driver.refresh().await.map_err(fail("reload"))?;
    b.wait_for_text("[role=log]", "Step 7 of 7").await?;
    let chunks = chunks_fetched(b).await?;
    check(
        only_preloaded(&chunks, "split_reading_tools-"),
        format!("a saved job: the log tools' chunks, preloaded once each: {chunks:?}"),
    )?;
    // The same page with a trailing slash, which the router allows too.
    b.open(&format!("/tenants/{tenant}/")).await?;
    b.wait_for_text("[role=log]", "Step 7 of 7").await?;
    let chunks = chunks_fetched(b).await?;
    check(
        only_preloaded(&chunks, "split_reading_tools-"),
        format!("a trailing slash: the log tools' chunks, preloaded once each: {chunks:?}"),
    )?;
    b.no_page_trouble("chunks beside the main module").await
}

async fn a_page_fetches_its_chunks_beside_the_main_module(b: &Browser) -> Outcome {
    chunks_come_beside_the_main_module(b, "acme-nginx-chunks").await
}

async fn chunks_come_beside_the_main_module_under_the_sub_path(b: &Browser) -> Outcome {
    chunks_come_beside_the_main_module(b, "acme-sub-chunks").await
}

/// The suite at `/`, in the order it runs.
pub fn at_root() -> Vec<(&'static str, Scenario)> {
    crate::scenarios![
        headers_protect_cache_and_compress,
        the_page_has_no_inline_script_or_style,
        a_job_runs_to_deployed_under_the_strict_policy,
        the_status_is_announced_once_per_change,
        a_failed_job_through_nginx,
        a_deep_link_opens_directly,
        a_page_fetches_its_chunks_beside_the_main_module,
        a_reload_mid_job_resumes_it,
        one_click_gets_through_a_rate_limit,
        one_click_gets_through_a_dropped_connection,
        axe_finds_nothing_serious,
        the_whole_flow_works_from_the_keyboard,
        motion_stops_when_the_system_asks,
        the_theme_and_the_log_choices_are_kept,
        the_token_goes_only_to_the_api,
    ]
}

/// The suite at `/admin/provisioning/`.
pub fn under_sub_path() -> Vec<(&'static str, Scenario)> {
    crate::scenarios![
        sub_path_headers_and_redirect,
        the_app_works_under_a_sub_path,
        a_deep_link_under_the_sub_path_opens_directly,
        chunks_come_beside_the_main_module_under_the_sub_path,
    ]
}
