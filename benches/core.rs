//! Benchmarks of the functional core (native): `cargo bench --bench core`.
//! Each figure is the median of several runs; ratios compare two approaches
//! measured in the same run, since these machines are noisy.

use std::hint::black_box;
use std::time::{Duration, Instant};

use store_portal::api::response::{interpret, RawResponse};
use store_portal::api::{Job, LogLine};
use store_portal::log_pane::ansi::{plain_text, segments, stored_form};
use store_portal::log_pane::window::visible_window;
use store_portal::log_pane::LogLines;

fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn line(seq: u64) -> LogLine {
    LogLine {
        seq,
        ts: "2026-11-23T10:15:01.120Z".into(),
        level: "info".into(),
        message: format!("Seeding catalog: processed record {seq}"),
    }
}

fn pages(total: u64, page: u64) -> Vec<Vec<LogLine>> {
    (0..total / page)
        .map(|p| (p * page + 1..=(p + 1) * page).map(line).collect())
        .collect()
}

fn main() {
    println!("store-portal core benchmarks (median of runs)\n");

    // 1. Appending pages to a log, as polling does: shared append-only buffer
    //    versus copying the whole array per page (an immutable-array reducer).
    let total = 100_000;
    let shared = median(5, || {
        let mut log = LogLines::default();
        let mut snapshots = Vec::new();
        for page in pages(total, 1_000) {
            log = log.appended(page);
            snapshots.push(log.clone()); // the store keeps older snapshots alive
        }
        black_box((log.len(), snapshots.len()));
    });
    let copying = median(5, || {
        let mut log: Vec<LogLine> = Vec::new();
        for page in pages(total, 1_000) {
            let mut next = log.clone();
            next.extend(page);
            log = next;
        }
        black_box(log.len());
    });
    println!("append 100,000 lines in pages of 1,000:");
    println!(
        "  LogLines (shared, O(new lines)) {:>10.2} ms",
        shared.as_secs_f64() * 1e3
    );
    println!(
        "  copy-the-array per page          {:>10.2} ms",
        copying.as_secs_f64() * 1e3
    );
    println!(
        "  ratio                            {:>10.1}x faster\n",
        copying.as_secs_f64() / shared.as_secs_f64()
    );

    let mut held = LogLines::default();
    let million = median(3, || {
        let mut log = LogLines::default();
        for page in pages(1_000_000, 1_000) {
            log = log.appended(page);
        }
        held = log;
    });
    println!("append 1,000,000 lines in pages of 1,000: {:.1} ms ({:.0} ns/line, page building included)", million.as_secs_f64() * 1e3, million.as_secs_f64() * 1e9 / 1e6);
    let text: usize = (1..=1_000_000).map(|seq| line(seq).message.len()).sum();
    println!(
        "  held in {:.1} MB: {:.1} bytes a line for {:.1} bytes of message text\n",
        held.heap_bytes() as f64 / 1e6,
        held.heap_bytes() as f64 / 1e6,
        text as f64 / 1e6
    );

    // 2. Decoding a status response carrying 10,000 lines (read front to
    // back as the poller reads it: `JobPage`, its lines straight from the text).
    let body = serde_json::json!({
        "jobId": "job_1", "tenantId": "acme", "status": "processing",
        "logs": (1..=10_000).map(|seq| serde_json::json!({"seq": seq, "ts": "2026-11-23T10:15:01.120Z", "level": "info", "message": format!("processed record {seq}")})).collect::<Vec<_>>(),
    })
    .to_string();
    let decode = median(9, || {
        let job: Job = interpret(RawResponse {
            status: 200,
            retry_after: None,
            body: &body,
            received_ms: 0.0,
        })
        .unwrap();
        black_box(job.logs.len());
    });
    println!(
        "decode a 10,000-line status response ({} KB): {:.2} ms ({:.0} MB/s)\n",
        body.len() / 1024,
        decode.as_secs_f64() * 1e3,
        body.len() as f64 / decode.as_secs_f64() / 1e6
    );

    // 3. ANSI parsing of coloured messages.
    let message = "\u{1b}[32mgreen\u{1b}[0m \u{1b}[1;31mbold red\u{1b}[0m plain text after the colours, as a build tool prints it";
    let ansi = median(9, || {
        for _ in 0..100_000 {
            black_box(segments(black_box(message)));
        }
    });
    println!(
        "ANSI segments of a {}-byte coloured line: {:.0} ns/line\n",
        message.len(),
        ansi.as_secs_f64() * 1e9 / 1e5
    );

    // 3b. A progress line of 400 states separated by CR (20 KB), as
    //     git and pip write them: from the message as sent to the text
    //     shown (applied to the one-row screen once, when stored).
    let progress = (0..400)
        .map(|i| {
            format!(
                "Receiving objects: {:3}% ({}/40000), {:.2} MiB\u{1b}[K",
                i / 4,
                i * 100,
                f64::from(i) * 0.47
            )
        })
        .collect::<Vec<_>>()
        .join("\r");
    let shown = median(21, || {
        for _ in 0..100 {
            let (kept, _) = stored_form(black_box(&progress));
            black_box(plain_text(&kept));
        }
    });
    println!(
        "a {}-byte line of 400 CR-separated progress states to its shown text: {:.0} µs/line\n",
        progress.len(),
        shown.as_secs_f64() * 1e6 / 100.0
    );

    // 4. The windowing arithmetic run on every scroll event.
    let window = median(9, || {
        for i in 0..1_000_000u32 {
            black_box(visible_window(
                black_box(1_000_000),
                f64::from(i) * 7.0,
                416.0,
            ));
        }
    });
    println!(
        "visible_window over 1,000,000 lines: {:.1} ns/call",
        window.as_secs_f64() * 1e9 / 1e6
    );

    // 6. "New in this attempt" between two million-line attempts (every
    //    1,000th line a warning, the numbers differing between them).
    let attempt = |run: u64| {
        let mut log = LogLines::default();
        for p in 0..1_000u64 {
            let page = (p * 1_000 + 1..=(p + 1) * 1_000)
                .map(|seq| LogLine {
                    seq,
                    ts: "2026-11-23T10:15:01.120Z".into(),
                    level: if seq % 1_000 == 0 { "warn" } else { "info" }.into(),
                    message: format!(
                        "Seeding catalog: record {} took {} ms (run {run})",
                        seq * 7 + run,
                        seq % 97
                    ),
                })
                .collect();
            log = log.appended(page);
        }
        log
    };
    let (previous, current) = (attempt(1), attempt(2));
    let novelty = median(3, || {
        black_box(store_portal::log_pane::novelty::new_in_attempt(
            &current, &previous,
        ));
    });
    println!(
        "new in this attempt, 1,000,000 lines against 1,000,000: {:.0} ms",
        novelty.as_secs_f64() * 1e3
    );
}
