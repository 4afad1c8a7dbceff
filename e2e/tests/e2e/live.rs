//! Live (issue 34): a running job's lines as the service sends them, over
//! its stream (`GET /provision/events/{jobId}`), and polling wherever the
//! stream cannot serve: a service without streams, a proxy that holds the
//! stream back, connections that drop. The standalone app behind the
//! private nginx at `/` (the deploy config's events location, the strict
//! CSP), in Chromium and in Firefox; the dev service counts the streams.

use std::time::{Duration, Instant};

use serde_json::json;

use e2e::{percentile, LINE_SEEN_PROBE};

use crate::browser::{check, Browser, Outcome, TOKEN};
use crate::scenarios;

/// Opens `id`'s page, watches its lines and presses Provision Store.
async fn provision_watched(b: &Browser, id: &str) -> Outcome {
    b.open_signed_in(&format!("/tenants/{id}")).await?;
    b.js(LINE_SEEN_PROBE).await?;
    b.click_provision().await?;
    b.wait_for_status("processing").await
}

/// The job's lines as the service has them (seq, written at ms since the epoch).
async fn service_lines(b: &Browser, id: &str) -> Result<Vec<(u64, f64)>, String> {
    let job = b
        .jobs_of(id)
        .await?
        .pop()
        .ok_or(format!("no job for {id}"))?;
    let script = format!(
        "return fetch('/provision/status/' + encodeURIComponent(arguments[0]), {{ headers: {{ Authorization: 'Bearer {TOKEN}' }} }}).then(r => r.json()).then(j => j.logs.map(l => [l.seq, Date.parse(l.ts)]))"
    );
    let lines = b
        .driver
        .execute(&script, vec![json!(job)])
        .await
        .map_err(|e| format!("read the job's lines: {e}"))?
        .json()
        .clone();
    Ok(lines
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| Some((l[0].as_u64()?, l[1].as_f64()?)))
        .collect())
}

/// Every line of the job is in the log, once: the log counts as many lines
/// as the service wrote.
async fn every_line_once(b: &Browser, id: &str) -> Outcome {
    let written = service_lines(b, id).await?;
    let shown = b.log_line_count().await?;
    check(
        shown == written.len() as u64 && !written.is_empty(),
        format!(
            "the log counts {shown} lines, the service wrote {}",
            written.len()
        ),
    )
}

/// How late each line came on screen after the service wrote it (ms), sorted.
async fn line_delays(b: &Browser, id: &str) -> Result<Vec<f64>, String> {
    let seen = b.js("return window.lineSeen").await?;
    let mut delays: Vec<f64> = service_lines(b, id)
        .await?
        .into_iter()
        .filter_map(|(seq, written)| Some(seen[seq.to_string()].as_f64()? - written))
        .collect();
    delays.sort_by(f64::total_cmp);
    Ok(delays)
}

/// Waits until `tenant`'s open streams are `open` (at most 5 s).
async fn wait_for_open_streams(b: &Browser, tenant: &str, open: u64) -> Outcome {
    let start = Instant::now();
    loop {
        let (_, now) = b.streams_of(tenant).await?;
        if now == open {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(5) {
            return Err(format!("{tenant}: {now} streams open, expected {open}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A service that streams: one stream for the job, its lines on screen
/// as they are sent (the median and 90th percentile printed; the
/// benchmark is `e2e/benches/live.rs`), hardly a poll, every line once.
async fn a_streamed_jobs_lines_appear_as_they_are_sent(b: &Browser) -> Outcome {
    let id = b.own_tenant("live-e2e").await?;
    provision_watched(b, &id).await?;
    wait_for_open_streams(b, &id, 1).await?;
    b.wait_for_status("deployed").await?;
    let delays = line_delays(b, &id).await?;
    let (median, p90) = (percentile(&delays, 0.5), percentile(&delays, 0.9));
    println!(
        "{id}: {} lines seen, delay median {median:.0} ms, 90th percentile {p90:.0} ms",
        delays.len()
    );
    check(
        delays.len() > 20 && median < 250.0,
        format!(
            "lines came late: median {median} ms over {} lines",
            delays.len()
        ),
    )?;
    let (opened, open) = b.streams_of(&id).await?;
    let reads = b.status_reads(&id).await?;
    check(
        opened == 1 && open == 0,
        format!("one stream, closed at the end: {opened} opened, {open} open"),
    )?;
    check(
        reads <= 2,
        format!("{reads} status polls beside the stream"),
    )?;
    every_line_once(b, &id).await?;
    b.no_alert_shown().await?;
    // (Chromium's console and probe; geckodriver reads no browser log.)
    if b.is_firefox().await? {
        return Ok(());
    }
    b.no_page_trouble("a streamed job").await
}

/// A service without streams: polled as before, no word of trouble on
/// the page, every line once.
async fn a_service_without_streams_is_polled_without_a_word(b: &Browser) -> Outcome {
    let id = b.own_tenant("nostream-e2e").await?;
    provision_watched(b, &id).await?;
    b.wait_for_status("deployed").await?;
    let (opened, _) = b.streams_of(&id).await?;
    let reads = b.status_reads(&id).await?;
    check(
        opened == 0 && reads > 3,
        format!("{reads} polls, {opened} streams"),
    )?;
    every_line_once(b, &id).await?;
    b.no_alert_shown().await
}

/// A proxy that holds the stream back until the job ends: the job is
/// polled meanwhile, so its lines keep coming while it runs; every line once.
async fn a_buffering_proxy_never_leaves_the_page_stale(b: &Browser) -> Outcome {
    let id = b.own_tenant("buffered-e2e").await?;
    provision_watched(b, &id).await?;
    wait_for_open_streams(b, &id, 1).await?;
    b.wait_until(
        "lines come in while the job runs",
        "const status = document.querySelector('[role=status]'); return Object.keys(window.lineSeen).length >= 20 && !!status && status.textContent.includes('processing')",
    )
    .await?;
    b.wait_for_status("deployed").await?;
    every_line_once(b, &id).await?;
    b.no_alert_shown().await
}

/// Streams that drop every few seconds: each new one resumes after the
/// last line the page has; every line once.
async fn dropped_streams_resume_with_every_line_once(b: &Browser) -> Outcome {
    let id = b.own_tenant("drops-e2e").await?;
    provision_watched(b, &id).await?;
    b.wait_for_status("deployed").await?;
    let (opened, _) = b.streams_of(&id).await?;
    check(
        opened >= 2,
        format!("{opened} streams for a job whose streams drop"),
    )?;
    let seen = b.js("return Object.keys(window.lineSeen).length").await?;
    println!("{id}: {opened} streams, {seen} lines seen");
    every_line_once(b, &id).await?;
    b.no_alert_shown().await
}

/// Hidden, the tab closes its stream and follows the job's head slowly;
/// shown, it streams again; leaving the page closes the stream at once.
async fn hiding_and_leaving_the_page_close_the_stream(b: &Browser) -> Outcome {
    let id = b.own_tenant("long-live-leave").await?;
    provision_watched(b, &id).await?;
    wait_for_open_streams(b, &id, 1).await?;
    b.set_hidden(true).await?;
    wait_for_open_streams(b, &id, 0).await?;
    b.set_hidden(false).await?;
    wait_for_open_streams(b, &id, 1).await?;
    // The header's Tenants link, as a person leaves the page.
    let left = Instant::now();
    b.click("header a[href='/tenants']").await?;
    b.wait_until(
        "the Tenants page",
        "return location.pathname === '/tenants' && !document.querySelector('[role=log]')",
    )
    .await?;
    wait_for_open_streams(b, &id, 0).await?;
    println!(
        "{id}: stream closed within {} ms of leaving",
        left.elapsed().as_millis()
    );
    let (opened, _) = b.streams_of(&id).await?;
    check(
        opened == 2,
        format!("{opened} streams opened (one, and one more once the tab was shown)"),
    )
}

pub fn all() -> Vec<(&'static str, crate::Scenario)> {
    scenarios![
        a_streamed_jobs_lines_appear_as_they_are_sent,
        a_service_without_streams_is_polled_without_a_word,
        a_buffering_proxy_never_leaves_the_page_stale,
        dropped_streams_resume_with_every_line_once,
        hiding_and_leaving_the_page_close_the_stream,
    ]
}
