//! The batch benchmark: `cargo bench -p e2e --bench batch`, after `trunk
//! build --release --features split` and `cargo build --release -p
//! dev-provisioning-service`.
//!
//! Drives the release build in headless Chromium as an administrator
//! would: 1,000 tenant ids pasted into "Provision many tenants", checked,
//! provisioned 10 at once against a fast dev service (seven steps of
//! 300 ms: a job lasts 2.1 s), then the finished batch reloaded. Prints the
//! time to the last deployed against the ideal (tenants / at once × one
//! job's length), status requests a second (on average and in the busiest
//! second, from the service's own count), the most jobs the service saw
//! running at once, main-thread long tasks (over 50 ms) while checking,
//! starting, running and reloading, and memory. First, the Tenants page is
//! opened several times with a finished batch of that size seeded in
//! localStorage (`BATCH_RUN=0` stops there). `BATCH_TENANTS`, `BATCH_AT_ONCE` and
//! `BATCH_STEP_MS` change the sizes.

use std::time::{Duration, Instant};

use e2e::{dev_json, page_js as js, BenchSite, MEMORY_SCRIPT};
use serde_json::{json, Value};
use thirtyfour::prelude::*;

/// How many times the Tenants page is opened with a seeded batch.
const OPENINGS: usize = 9;

/// The simulated job's steps (the dev service's plan).
const STEPS: u64 = 7;

/// The long tasks (ms) since the list was last emptied, emptied again:
/// how many, and the longest.
async fn take_long_tasks(driver: &WebDriver) -> (usize, f64) {
    let tasks = js(
        driver,
        "const t = window.__longTasks.slice(); window.__longTasks.length = 0; return t",
    )
    .await;
    let tasks: Vec<f64> = tasks
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    (tasks.len(), tasks.iter().copied().fold(0.0, f64::max))
}

async fn stats(service: &str, part: &str) -> Value {
    dev_json(service, &format!("stats?tenants={part}")).await
}

/// The batch's summary line, when one shows.
async fn summary(driver: &WebDriver) -> String {
    js(
        driver,
        "const s = document.querySelector('.batch-summary'); return s ? s.textContent : ''",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Waits (a minute at most) until the summary reads `done`; the seconds
/// it took.
async fn summary_until(driver: &WebDriver, done: &str, what: &str) -> f64 {
    let started = Instant::now();
    while summary(driver).await != done {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} never showed: {}",
            summary(driver).await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    started.elapsed().as_secs_f64()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn memory_mb(driver: &WebDriver) -> (f64, f64) {
    js(driver, "window.gc(); return 0").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let memory = js(driver, MEMORY_SCRIPT).await;
    let mb = |i: usize| memory[i].as_f64().unwrap() / 1e6;
    (mb(0), mb(1))
}

/// The Tenants page opened with a finished batch of `tenants` in this
/// browser (as the app keeps it, every tenant's job among its attempts
/// too): the time to the table, long tasks, memory. Quick to repeat
/// (`BATCH_RUN=0` stops after it).
async fn opened_with_a_finished_batch(driver: &WebDriver, service: &str, tenants: u64) {
    let seed = "const n = arguments[0]; const rows = []; const attempts = {};         for (let i = 0; i < n; i++) {           const t = `seeded-${String(i).padStart(4, '0')}`, job = `job-${i}`, at = new Date(Date.UTC(2026, 11, 2, 10, 0, i)).toISOString();           rows.push({ t, s: 3, a: 1, j: job, st: 'deployed', p: [7, 7], u: `https://${t}.shop.example/`, c: at, up: at });           attempts[t] = [job];         }         localStorage.clear(); localStorage.setItem('token', 'bench-token');         localStorage.setItem('store-portal.batch.v2', JSON.stringify({ atOnce: 10, rows }));         localStorage.setItem('store-portal.attempts.v2', JSON.stringify(attempts));";
    driver.execute(seed, vec![json!(tenants)]).await.unwrap();
    let done = format!("{tenants} deployed · 0 failed · 0 running · 0 waiting");
    // The longest task of each of several openings (0: none over 50 ms).
    let mut longest = Vec::new();
    for _ in 0..OPENINGS {
        driver.goto(format!("{service}/tenants")).await.unwrap();
        summary_until(driver, &done, "the seeded batch").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        longest.push(take_long_tasks(driver).await.1);
        driver.goto(format!("{service}/404")).await.unwrap();
    }
    driver.goto(format!("{service}/tenants")).await.unwrap();
    let (heap, wasm) = memory_mb(driver).await;
    longest.sort_by(f64::total_cmp);
    let over = longest.iter().filter(|&&ms| ms > 0.0).count();
    println!(
        "  opened with a finished batch of {tenants}, {OPENINGS} times: a task over 50 ms in {over}; the longest task each time, sorted: {longest:.0?} ms; memory after a GC {heap:.1} + {wasm:.1} = {:.1} MB",
        heap + wasm
    );
}

#[tokio::main]
async fn main() {
    let tenants = env_number("BATCH_TENANTS", 1_000);
    let at_once = env_number("BATCH_AT_ONCE", 10);
    let step_ms = env_number("BATCH_STEP_MS", 300);
    let site = BenchSite::start(step_ms, "bench-batch-dev-service.log").await;
    let (driver, service) = (&site.driver, &site.service);
    let prefix = format!("bench{}-", std::process::id());
    println!(
        "batch benchmark: headless Chromium, release build, {tenants} tenants at {at_once} at once, dev service at {step_ms} ms steps\n"
    );

    driver.goto(format!("{service}/404")).await.unwrap();
    opened_with_a_finished_batch(driver, service, tenants).await;
    if std::env::var("BATCH_RUN").as_deref() == Ok("0") {
        site.quit().await;
        return;
    }
    driver
        .execute(
            "localStorage.clear(); localStorage.setItem('token', 'bench-token');",
            Vec::<Value>::new(),
        )
        .await
        .unwrap();
    driver.goto(format!("{service}/tenants")).await.unwrap();
    let ids: Vec<String> = (0..tenants).map(|i| format!("{prefix}{i:04}")).collect();
    let field = driver.query(By::Id("batch-ids")).first().await.unwrap();
    driver
        .execute(
            "arguments[0].value = arguments[1]",
            vec![field.to_json().unwrap(), json!(ids.join("\n"))],
        )
        .await
        .unwrap();
    let pace = driver.find(By::Id("batch-at-once")).await.unwrap();
    pace.clear().await.unwrap();
    pace.send_keys(at_once.to_string()).await.unwrap();
    take_long_tasks(driver).await;
    driver
        .find(By::Css("form.batch-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let start = driver
        .query(By::XPath(format!(
            "//button[normalize-space()='Provision {tenants} tenants']"
        )))
        .first()
        .await
        .unwrap();
    let (count, longest) = take_long_tasks(driver).await;
    println!("  check the list: long tasks (> 50 ms): {count}, longest {longest:.0} ms");

    start.click().await.unwrap();
    let started = Instant::now();
    while summary(driver).await.is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (count, longest) = take_long_tasks(driver).await;
    println!("  start the batch (its keys made, kept, the table shown): long tasks (> 50 ms): {count}, longest {longest:.0} ms");
    let done = format!("{tenants} deployed · 0 failed · 0 running · 0 waiting");
    let (mut last_reads, mut last_at) = (0u64, Instant::now());
    let mut busiest = 0.0f64;
    let (mut long_count, mut longest) = (0usize, 0.0f64);
    let mut heap_mb = 0.0f64;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = stats(service, &prefix).await;
        let reads = now["statusReads"].as_u64().unwrap_or(0);
        let seconds = last_at.elapsed().as_secs_f64();
        busiest = busiest.max((reads - last_reads) as f64 / seconds);
        (last_reads, last_at) = (reads, Instant::now());
        let (count, most) = take_long_tasks(driver).await;
        long_count += count;
        longest = longest.max(most);
        let heap = js(driver, "return performance.memory.usedJSHeapSize").await;
        heap_mb = heap_mb.max(heap.as_f64().unwrap_or(0.0) / 1e6);
        if summary(driver).await == done {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60 * 30),
            "the batch never finished: {}",
            summary(driver).await
        );
    }
    let took = started.elapsed().as_secs_f64();
    let job_s = (STEPS * step_ms) as f64 / 1000.0;
    let ideal = (tenants as f64 / at_once as f64).ceil() * job_s;
    let end = stats(service, &prefix).await;
    println!(
        "  the last deployed after {took:.1} s; ideal {ideal:.1} s ({tenants} / {at_once} × {job_s:.1} s): {:.2}× the ideal",
        took / ideal
    );
    println!(
        "  the service saw: {} jobs for {} tenants, at most {} a tenant, at most {} running at once",
        end["jobs"], end["tenants"], end["mostJobsForATenant"], end["mostRunningAtOnce"]
    );
    println!(
        "  status requests: {} in all, {:.1} a second on average, {busiest:.1} in the busiest second",
        end["statusReads"],
        end["statusReads"].as_f64().unwrap_or(0.0) / took
    );
    println!("  while it ran: long tasks (> 50 ms): {long_count}, longest {longest:.0} ms; JS heap at most {heap_mb:.1} MB");
    let (heap, wasm) = memory_mb(driver).await;
    println!(
        "  memory after it, after a GC: JS heap {heap:.1} MB + wasm {wasm:.1} MB = {:.1} MB",
        heap + wasm
    );

    driver.refresh().await.unwrap();
    let shown = summary_until(driver, &done, "the reloaded batch").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (count, longest) = take_long_tasks(driver).await;
    let (heap, wasm) = memory_mb(driver).await;
    println!(
        "  reload of the finished batch: shown in {shown:.2} s; long tasks (> 50 ms): {count}, longest {longest:.0} ms; memory after a GC {heap:.1} + {wasm:.1} = {:.1} MB",
        heap + wasm
    );
    site.quit().await;
}
