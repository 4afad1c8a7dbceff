//! The log pane benchmark: `cargo bench -p e2e --bench log_pane`, after
//! `trunk build --release --features split` and `cargo build --release -p
//! dev-provisioning-service` (the debug build of the service works too, but
//! its slower answers then count in the time to the last line).
//!
//! Drives the release build in headless Chromium against the dev service at
//! its real pace (1.5 s steps) through the `huge-…` (120,001 lines over
//! about 11 s) and `million-…` (1,000,000 lines over about 21 s) jobs, as a
//! person watching the log would, and prints for each: the time from the
//! service writing the last line to that line on screen (or counted in the
//! log, when the job's end folded its step first), main-thread long
//! tasks (over 50 ms) from the click to the end, JS heap and wasm memory
//! (before and after a garbage collection), DOM rows, and bytes downloaded
//! against one transfer of the whole log. Each job runs twice: streamed by
//! the service, then polled (a second service with `--no-streams`).
//! Arguments filter the jobs by name.

use std::time::{Duration, Instant};

use e2e::{first_job, open_tenant, page_js as js, BenchSite, MEMORY_SCRIPT};
use serde_json::{json, Value};
use thirtyfour::prelude::*;

/// Watches on every frame for line `n`: its row in the DOM, or the log's
/// count reaching `n` (a stream can bring the last lines with the job's
/// end, which folds every step at once), and notes the wall clock.
const WATCH: &str = "const n = arguments[0]; window.__lastSeenAt = null; const counted = () => { const c = document.querySelector('.log-count'); return !!c && parseInt(c.textContent.replace(/,/g, '')) >= n; }; const look = () => { if (document.querySelector(`.log-row[data-seq=\"${n}\"]`) || counted()) { window.__lastSeenAt = Date.now(); } else { requestAnimationFrame(look); } }; requestAnimationFrame(look);";

const TOKEN: &str = "bench-token";

/// The long tasks (ms) recorded since the list was last cleared.
async fn long_tasks(driver: &WebDriver) -> Vec<f64> {
    js(driver, "return window.__longTasks")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect()
}

/// The service's own record of a job: its id, and the whole log in one transfer.
async fn job_record(service: &str, tenant: &str) -> (String, usize, String) {
    let (job_id, body, job) = first_job(service, tenant, TOKEN).await;
    let last_ts = job["logs"]
        .as_array()
        .and_then(|l| l.last())
        .and_then(|l| l["ts"].as_str())
        .unwrap_or_default()
        .to_owned();
    (job_id, body.len(), last_ts)
}

/// Milliseconds since the epoch of the service's timestamps (UTC, with a
/// fraction: `2026-11-25T13:39:43.989Z`).
fn utc_ms(ts: &str) -> f64 {
    let num = |a: usize, b: usize| ts[a..b].parse::<i64>().expect("a service timestamp");
    let (y, m, d) = (num(0, 4), num(5, 7), num(8, 10));
    let (h, min, s) = (num(11, 13), num(14, 16), num(17, 19));
    let fraction: f64 = ts[19..ts.len() - 1].parse().unwrap_or(0.0);
    // Days from 1970-01-01 (the civil-from-days inverse).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    ((days * 86_400 + h * 3_600 + min * 60 + s) as f64 + fraction) * 1000.0
}

async fn run(driver: &WebDriver, service: &str, tenant: &str, lines: u64) {
    let button = open_tenant(driver, service, tenant, TOKEN).await;
    driver.execute(WATCH, vec![json!(lines)]).await.unwrap();
    js(driver, "window.__longTasks.length = 0; performance.clearResourceTimings(); performance.setResourceTimingBufferSize(100000); return 0").await;
    button.click().await.unwrap();
    let started = Instant::now();
    loop {
        let seen = js(driver, "return window.__lastSeenAt").await;
        let deployed = js(
            driver,
            "const b = document.querySelector('[role=status] .badge'); return !!b && b.textContent === 'deployed'",
        )
        .await;
        if seen.is_number() && deployed == json!(true) {
            break;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let state = js(driver, "return [[...document.querySelectorAll('.log-group-toggle')].map(h => h.getAttribute('aria-expanded') + ' ' + h.textContent), [...document.querySelectorAll('.log-row')].map(r => r.dataset.seq).slice(-3), document.querySelector('.log-count').textContent]").await;
            panic!("{tenant}: the last line never showed: {state}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (_, full_bytes, last_ts) = job_record(service, tenant).await;
    let seen_at = js(driver, "return window.__lastSeenAt")
        .await
        .as_f64()
        .unwrap();
    let latency = seen_at - utc_ms(&last_ts);
    let tasks = long_tasks(driver).await;
    let memory = MEMORY_SCRIPT;
    let before = js(driver, memory).await;
    js(driver, "window.gc(); return 0").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = js(driver, memory).await;
    let rows = js(
        driver,
        "return document.querySelectorAll('.log-row').length",
    )
    .await;
    let downloaded = js(
        driver,
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/provision/')).reduce((n, e) => n + e.transferSize, 0)",
    )
    .await
    .as_f64()
    .unwrap();
    // The last status request: how long the service took to answer it, and
    // from its last byte to the last line on screen.
    let last = js(
        driver,
        "const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/provision/status/')); const e = r[r.length - 1]; return [e.responseStart - e.requestStart, e.responseEnd - e.responseStart, performance.timeOrigin + e.responseEnd]",
    )
    .await;
    let (server_ms, transfer_ms) = (last[0].as_f64().unwrap(), last[1].as_f64().unwrap());
    let client_ms = seen_at - last[2].as_f64().unwrap();
    let mb = |v: &Value, i: usize| v[i].as_f64().unwrap() / 1e6;
    println!("{tenant} ({lines} lines)");
    println!(
        "  last line on screen after it was written: {:.2} s (the last poll: service {:.0} ms, transfer {:.0} ms, page {:.0} ms)",
        latency / 1000.0,
        server_ms,
        transfer_ms,
        client_ms
    );
    println!(
        "  long tasks (> 50 ms): {}, longest {:.0} ms, {:.0} ms in all",
        tasks.len(),
        tasks.iter().copied().fold(0.0, f64::max),
        tasks.iter().fold(0.0, |sum, t| sum + t)
    );
    println!(
        "  memory: JS heap {:.1} MB + wasm {:.1} MB = {:.1} MB; after a GC {:.1} + {:.1} = {:.1} MB",
        mb(&before, 0),
        mb(&before, 1),
        mb(&before, 0) + mb(&before, 1),
        mb(&after, 0),
        mb(&after, 1),
        mb(&after, 0) + mb(&after, 1)
    );
    println!("  DOM rows: {rows}");
    println!(
        "  downloaded {:.1} MB of API responses = {:.2} x one transfer of the log ({:.1} MB)",
        downloaded / 1e6,
        downloaded / full_bytes as f64,
        full_bytes as f64 / 1e6
    );
    // The reading tools, on the log written to try them (`million-…`).
    if tenant.starts_with("million") {
        reading_tools(driver, lines).await;
    }
    reload(driver, lines).await;
    println!();
}

/// A reload of the finished job: every line comes in one response, read a
/// slice at a time; the time from the navigation to the last line counted,
/// the long tasks meanwhile and the memory after it (and after a GC).
async fn reload(driver: &WebDriver, lines: u64) {
    driver.refresh().await.unwrap();
    let count = tools_count(lines);
    let started = Instant::now();
    let ms = loop {
        let done = js(
            driver,
            &format!(
                "const c = document.querySelector('.log-count'); \
                 return c && c.textContent === '{count}' ? performance.now() : null"
            ),
        )
        .await;
        if let Some(ms) = done.as_f64() {
            break ms;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the reload never showed every line"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let tasks = long_tasks(driver).await;
    let memory = MEMORY_SCRIPT;
    js(driver, "window.gc(); return 0").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = js(driver, memory).await;
    let mb = |i: usize| after[i].as_f64().unwrap() / 1e6;
    println!(
        "  reload of the finished job: every line counted {:.2} s after the navigation; long tasks (> 50 ms): {}, longest {:.0} ms; memory after a GC {:.1} + {:.1} = {:.1} MB",
        ms / 1000.0,
        tasks.len(),
        tasks.iter().copied().fold(0.0, f64::max),
        mb(0),
        mb(1),
        mb(0) + mb(1)
    );
}

/// `1,000,000 lines`, as the pane's count says it.
fn tools_count(lines: u64) -> String {
    let digits = lines.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out} lines")
}

/// Runs `act` (a script) and times, on every frame, how long until `done`
/// (an expression) holds; prints that with the long tasks meanwhile.
async fn timed(driver: &WebDriver, what: &str, act: &str, done: &str) {
    let script = format!(
        "window.__longTasks.length = 0; window.__done = null; const t0 = performance.now(); {act}; const look = () => {{ if ({done}) {{ window.__done = performance.now() - t0; }} else {{ requestAnimationFrame(look); }} }}; requestAnimationFrame(look); return 0"
    );
    js(driver, &script).await;
    let started = Instant::now();
    let ms = loop {
        let done = js(driver, "return window.__done").await;
        if let Some(ms) = done.as_f64() {
            break ms;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} never finished"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // Tasks still running when the condition was seen end before the next poll.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let tasks = long_tasks(driver).await;
    println!(
        "  {what}: {ms:.0} ms; long tasks (> 50 ms): {}, longest {:.0} ms",
        tasks.len(),
        tasks.iter().copied().fold(0.0, f64::max)
    );
}

/// The pane's reading tools over the whole log: search, the level filter
/// and building the download.
async fn reading_tools(driver: &WebDriver, lines: u64) {
    let errors = lines / 100_000;
    let type_query = |q: &str| {
        format!("const i = document.querySelector('input[aria-label=\"Search log\"]'); i.value = '{q}'; i.dispatchEvent(new InputEvent('input', {{ bubbles: true }}))")
    };
    let count_is = |text: String| {
        format!("(document.querySelector('.log-search-count') || {{}}).textContent === '{text}'")
    };
    if errors > 0 {
        timed(
            driver,
            &format!("search the whole log, {errors} matches (first shown, all counted)"),
            &type_query("checksum mismatch"),
            &count_is(format!("1 of {errors}")),
        )
        .await;
    }
    timed(
        driver,
        "search with a query in almost every line (all counted)",
        &type_query("record"),
        "(document.querySelector('.log-search-count') || {}).textContent.startsWith('1 of ') && !document.querySelector('.log-search-count').textContent.endsWith('+')",
    )
    .await;
    // Regular expressions, in the Worker; then "Only matching lines".
    let final_count = "(() => { const c = document.querySelector('.log-search-count'); return !!c && c.textContent.startsWith('1 of ') && !c.textContent.endsWith('+'); })()";
    js(
        driver,
        &format!(
            "{}; document.getElementById('log-regex').click(); return 0",
            type_query("")
        ),
    )
    .await;
    if errors > 0 {
        timed(
            driver,
            &format!("regular expression, {errors} matches, typed as the box is ticked (the Workers still starting; record \\d+ rejected: checksum)"),
            &type_query(r"record \\d+ rejected: checksum"),
            &count_is(format!("1 of {errors}")),
        )
        .await;
    }
    timed(
        driver,
        "regular expression matching half the lines (sku-\\d{3}[0-4], all counted)",
        &type_query(r"sku-\\d{3}[0-4]"),
        final_count,
    )
    .await;
    if errors > 0 {
        timed(
            driver,
            &format!("regular expression, {errors} matches, the Workers already running (record \\d+ rejected: checksum mismatch)"),
            &type_query(r"record \\d+ rejected: checksum mismatch"),
            &count_is(format!("1 of {errors}")),
        )
        .await;
    }
    js(
        driver,
        &format!(
            "{}; document.getElementById('log-only-matching').click(); return 0",
            type_query("")
        ),
    )
    .await;
    timed(
        driver,
        "only matching lines, context 2: first screen of a dense pattern",
        &type_query(r"sku-\\d{3}[0-4]"),
        "document.querySelectorAll('.log-row').length >= 15",
    )
    .await;
    if errors > 0 {
        timed(
            driver,
            &format!("only matching lines, context 2: {errors} rare matches, all shown"),
            &type_query(r"record \\d+ rejected: checksum"),
            &format!(
                "{} && !!document.querySelector('.log-gap')",
                count_is(format!("1 of {errors}"))
            ),
        )
        .await;
    }
    let memory = MEMORY_SCRIPT;
    js(driver, "window.gc(); return 0").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let held = js(driver, memory).await;
    let mb = |v: &Value| v.as_f64().unwrap_or_default() / 1e6;
    println!(
        "  memory with a pattern's matches shown, after a GC: JS heap {:.1} MB + wasm {:.1} MB = {:.1} MB (the Worker's own heap not counted)",
        mb(&held[0]),
        mb(&held[1]),
        mb(&held[0]) + mb(&held[1])
    );
    js(driver, &format!("{}; document.getElementById('log-only-matching').click(); document.getElementById('log-regex').click(); return 0", type_query(""))).await;
    timed(
        driver,
        "hide debug lines (level filter)",
        "document.getElementById('log-level-0').click()",
        "!document.querySelector('.log-row.level-debug')",
    )
    .await;
    timed(
        driver,
        "show them again",
        "document.getElementById('log-level-0').click()",
        "!!document.querySelector('.log-row.level-debug')",
    )
    .await;
    timed(
        driver,
        "wrap lines",
        "document.getElementById('log-wrap').click()",
        "!!document.querySelector('.log-wrapped')",
    )
    .await;
    js(
        driver,
        "document.getElementById('log-wrap').click(); return 0",
    )
    .await;
    // The file is handed to the browser by a click on a download link:
    // caught here, so nothing is written to disk.
    timed(
        driver,
        "build the download (every line, plain text)",
        "window.__savedAt = null; HTMLAnchorElement.prototype.click = function () { if (this.download) { window.__savedAt = performance.now(); } }; document.querySelector('.log-controls button[aria-busy]').click()",
        "window.__savedAt !== null",
    )
    .await;
}

#[tokio::main]
async fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let site = BenchSite::start(1_500, "bench-dev-service.log").await;
    // The same jobs on a service without streams: polled, as before issue 34.
    let (_polled_process, polled) =
        BenchSite::another_service(1_500, &["--no-streams"], "bench-dev-service-polled.log").await;
    let driver = &site.driver;
    let run_id = std::process::id();
    println!("log pane benchmark: headless Chromium, release build, dev service at 1.5 s steps\n");
    for (scenario, lines) in [("huge", 120_001u64), ("million", 1_000_000)] {
        if filter.is_empty() || filter.iter().any(|f| scenario.contains(f.as_str())) {
            for (how, service) in [("streamed", &site.service), ("polled", &polled)] {
                println!("{scenario}, {how}:");
                let tenant = format!("{scenario}-bench-{run_id}-{how}");
                run(driver, service, &tenant, lines).await;
            }
        }
    }
    site.quit().await;
}
