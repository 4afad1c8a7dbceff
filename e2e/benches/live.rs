//! The live benchmark: `cargo bench -p e2e --bench live`, after `trunk
//! build --release --features split` and `cargo build --release -p
//! dev-provisioning-service`.
//!
//! Headless Chromium runs `live-…` jobs (84 lines over about 17 s, one
//! every 190 ms or so, at 1.5 s steps) on a dev service that streams and on
//! one started with `--no-streams` (polled, as before issue 34), in one
//! run, and prints for each: how late each line showed on screen after the
//! service wrote it (median, 90th percentile, worst), and the requests a
//! job cost (status polls, streams). Then a `long-…` job in a tab hidden
//! for 45 s: what the hidden tab asks meanwhile. `JOBS` (default 3) sets
//! the jobs each way.

use std::time::{Duration, Instant};

use e2e::{
    dev_json, first_job, open_tenant, page_js as js, percentile, BenchSite, LINE_SEEN_PROBE,
};
use serde_json::{json, Value};
use thirtyfour::prelude::*;

const TOKEN: &str = "bench-token";

/// (status polls, streams opened) for `tenant`'s jobs.
async fn requests(service: &str, tenant: &str) -> (u64, u64) {
    let stats = dev_json(service, &format!("stats?tenants={tenant}")).await;
    let streams = dev_json(service, &format!("streams/{tenant}")).await;
    (
        stats["statusReads"].as_u64().unwrap(),
        streams["opened"].as_u64().unwrap(),
    )
}

/// The job's lines as the service wrote them: [seq, ts].
async fn written(service: &str, tenant: &str) -> Value {
    let (_, _, job) = first_job(service, tenant, TOKEN).await;
    job["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| json!([line["seq"], line["ts"]]))
        .collect()
}

async fn wait_for(driver: &WebDriver, status: &str) {
    let started = Instant::now();
    let script = format!("const b = document.querySelector('[role=status] .badge'); return !!b && b.textContent === {}", json!(status));
    while js(driver, &script).await != json!(true) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "never {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One job: the delays of its lines (ms), and its requests.
async fn one_job(driver: &WebDriver, service: &str, tenant: &str) -> (Vec<f64>, (u64, u64)) {
    let button = open_tenant(driver, service, tenant, TOKEN).await;
    js(driver, LINE_SEEN_PROBE).await;
    button.click().await.unwrap();
    wait_for(driver, "deployed").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Each line's time on screen less its time of writing (read by the
    // browser's own Date.parse).
    let delays = driver
        .execute(
            "return arguments[0].filter(([seq]) => seq in window.lineSeen).map(([seq, ts]) => window.lineSeen[seq] - Date.parse(ts))",
            vec![written(service, tenant).await],
        )
        .await
        .unwrap()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    (delays, requests(service, tenant).await)
}

/// What a tab hidden for 45 s asks about a running job.
async fn hidden_tab(driver: &WebDriver, service: &str, tenant: &str) {
    let button = open_tenant(driver, service, tenant, TOKEN).await;
    button.click().await.unwrap();
    wait_for(driver, "processing").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = requests(service, tenant).await;
    js(driver, "Object.defineProperty(document, 'hidden', { value: true, configurable: true }); Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); document.dispatchEvent(new Event('visibilitychange')); return 0").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let open_streams = dev_json(service, &format!("streams/{tenant}")).await["open"].clone();
    tokio::time::sleep(Duration::from_millis(44_500)).await;
    let after = requests(service, tenant).await;
    js(driver, "delete document.hidden; delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange')); return 0").await;
    println!(
        "a tab hidden for 45 s (a running job): {} status polls (heads only), {} streams opened, {open_streams} open while hidden",
        after.0 - before.0,
        after.1 - before.1
    );
}

#[tokio::main]
async fn main() {
    let jobs: usize = std::env::var("JOBS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let site = BenchSite::start(1_500, "bench-live-streamed.log").await;
    let (_polled_process, polled) =
        BenchSite::another_service(1_500, &["--no-streams"], "bench-live-polled.log").await;
    let driver = &site.driver;
    let run_id = std::process::id();
    println!("live benchmark: headless Chromium, release build, dev service at 1.5 s steps, {jobs} live- jobs each way\n");
    let mut medians = Vec::new();
    for (how, service) in [("streamed", &site.service), ("polled", &polled)] {
        let mut delays = Vec::new();
        let (mut polls, mut streams) = (0, 0);
        for n in 0..jobs {
            let tenant = format!("live-bench-{run_id}-{how}-{n}");
            let (more, (p, s)) = one_job(driver, service, &tenant).await;
            delays.extend(more);
            (polls, streams) = (polls + p, streams + s);
        }
        delays.sort_by(f64::total_cmp);
        let median = percentile(&delays, 0.5);
        medians.push(median);
        println!(
            "{how}: {} lines; delay median {median:.0} ms, 90th percentile {:.0} ms, worst {:.0} ms; a job: {:.1} status polls, {:.1} streams",
            delays.len(),
            percentile(&delays, 0.9),
            percentile(&delays, 1.0),
            polls as f64 / jobs as f64,
            streams as f64 / jobs as f64,
        );
    }
    println!(
        "polled / streamed median delay: {:.1}×\n",
        medians[1] / medians[0]
    );
    hidden_tab(
        driver,
        &site.service,
        &format!("long-bench-{run_id}-hidden"),
    )
    .await;
    site.quit().await;
}
