//! Component tests in a real browser (headless Chromium and Firefox):
//! mount, act, assert on the DOM. `scripts/test.sh` runs them in both.

#![cfg(target_arch = "wasm32")]

#[path = "support/dom.rs"]
mod support;

use store_portal::api::ApiError;
use store_portal::api::{Job, JobError, JobStatus, LogLine, Progress};
use store_portal::components::{
    poll_trouble_notice, provision_retry_notice, provision_store_button, provisioning_logs,
    provisioning_status,
};
use store_portal::components::{
    PollTroubleNotice, ProvisionRetryNotice, ProvisionStoreButton, ProvisioningLogs,
    ProvisioningStatus,
};
use store_portal::store::provisioning::Frozen;
use store_portal::store::{JobState, LogLines, PollTrouble, ProvisionRetry};
use support::{mount, rendered};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn job_state(status: &str) -> JobState {
    let mut job = JobState::new("job_8f2c1a");
    job.status = Some(JobStatus::parse(status));
    job.progress = Some(Progress {
        step: Some(3),
        total_steps: Some(7),
        label: Some("Seeding catalog".into()),
    });
    job.created_at = Some("2026-11-23T10:15:00Z".into());
    job.updated_at = Some("2026-11-23T10:16:05Z".into());
    job
}

fn lines(messages: &[&str]) -> LogLines {
    let page = messages
        .iter()
        .enumerate()
        .map(|(i, message)| LogLine {
            seq: i as u64 + 1,
            ts: "2026-11-23T10:15:01.120Z".into(),
            level: if i % 2 == 0 {
                "info".into()
            } else {
                "error".into()
            },
            message: (*message).to_owned(),
        })
        .collect();
    LogLines::default().appended(page)
}

fn log_props(lines: LogLines) -> provisioning_logs::Props {
    provisioning_logs::Props {
        lines,
        steps: Vec::new(),
        running: false,
        backlog: false,
        file_name: "acme-job.log".into(),
    }
}

/// Types `text` into the input `css` as a user would (an input event).
fn type_into<C: yew::BaseComponent>(view: &support::Mounted<C>, css: &str, text: &str) {
    let input: web_sys::HtmlInputElement = view.expect(css).dyn_into().unwrap();
    input.set_value(text);
    let event = web_sys::InputEvent::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
}

/// What the search box says of its matches ("" while it says nothing).
fn count_of<C: yew::BaseComponent>(view: &support::Mounted<C>) -> String {
    view.find(".log-search-count")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// A callback and the number of times it was called.
fn counting_callback() -> (std::rc::Rc<std::cell::Cell<u32>>, Callback<()>) {
    let clicks = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = clicks.clone();
    (
        clicks,
        Callback::from(move |()| counter.set(counter.get() + 1)),
    )
}

#[wasm_bindgen_test]
async fn the_button_is_named_provision_store_and_reports_clicks() {
    let (clicks, onclick) = counting_callback();
    let view = mount::<ProvisionStoreButton>(provision_store_button::Props {
        busy: false,
        onclick,
    })
    .await;
    let button = view.expect("button");
    assert_eq!(button.text_content().unwrap().trim(), "Provision Store");
    assert!(!button.has_attribute("disabled"));
    view.click("button");
    assert_eq!(clicks.get(), 1);
}

#[wasm_bindgen_test]
async fn a_busy_button_is_disabled_with_a_hidden_spinner_and_the_same_name() {
    let (clicks, onclick) = counting_callback();
    let view = mount::<ProvisionStoreButton>(provision_store_button::Props {
        busy: true,
        onclick,
    })
    .await;
    let button = view.expect("button");
    assert!(button.has_attribute("disabled"));
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(
        view.expect(".spinner")
            .get_attribute("aria-hidden")
            .as_deref(),
        Some("true")
    );
    assert_eq!(button.text_content().unwrap().trim(), "Provision Store");
    view.click("button");
    assert_eq!(clicks.get(), 0, "a disabled button does not click");
}

#[wasm_bindgen_test]
async fn an_expired_attempt_says_so_instead_of_checking() {
    let job = store_portal::store::JobState::new("job_gone");
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: Some(job.clone()),
        starting: false,
        frozen: Some(Frozen::Expired),
    })
    .await;
    assert!(view
        .text("[role=status]")
        .contains("Expired: the service no longer keeps this attempt."));
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: Some(job),
        starting: false,
        frozen: None,
    })
    .await;
    assert!(view
        .text("[role=status]")
        .contains("Checking the latest job"));
}

/// Issue 31: a job shown as last heard of (forgotten by the service, or
/// its state unknown while signed out) says so, and its clock stops at its
/// last update (it ran on from the start time).
#[wasm_bindgen_test]
async fn a_job_shown_as_last_heard_of_says_so_and_its_clock_stops() {
    for (frozen, word, note) in [
        (
            Frozen::Expired,
            "expired",
            "The service no longer knows this job; what was shown is kept.",
        ),
        (
            Frozen::SignedOut,
            "unknown",
            "Signed out: this job's state is unknown",
        ),
    ] {
        let view = mount::<ProvisioningStatus>(provisioning_status::Props {
            job: Some(job_state("processing")),
            starting: false,
            frozen: Some(frozen),
        })
        .await;
        assert_eq!(view.text("[role=status] .badge"), word);
        assert!(view.text("[role=status]").contains(note));
        assert!(view
            .text("[role=status]")
            .contains("last heard of as processing"));
        assert_eq!(view.text(".job-elapsed"), "1:05", "created to updated");
    }
}

#[wasm_bindgen_test]
async fn without_a_job_the_status_region_says_so() {
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: None,
        starting: false,
        frozen: None,
    })
    .await;
    assert!(view.text("[role=status]").contains("No provisioning job"));
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: None,
        starting: true,
        frozen: None,
    })
    .await;
    assert!(view.text("[role=status]").contains("Starting"));
}

#[wasm_bindgen_test]
async fn a_running_job_shows_its_badge_step_and_progress() {
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: Some(job_state("processing")),
        starting: false,
        frozen: None,
    })
    .await;
    let badge = view.expect("[role=status] .badge");
    assert_eq!(badge.text_content().unwrap(), "processing");
    assert!(badge.class_list().contains("badge-processing"));
    assert_eq!(view.text(".job-step"), "Step 3 of 7: Seeding catalog");
    assert!(
        !view.text("[role=status]").contains("Step"),
        "steps are not announced: only status changes are"
    );
    let progress = view.expect("progress");
    assert_eq!(progress.get_attribute("max").as_deref(), Some("7"));
    assert_eq!(progress.get_attribute("value").as_deref(), Some("3"));
    assert!(view.text(".job-meta").contains("job_8f2c1a"));
}

#[wasm_bindgen_test]
async fn a_deployed_job_links_to_the_store_and_shows_the_elapsed_time() {
    let mut job = job_state("deployed");
    job.store_url = Some("https://acme.shop.example/".into());
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: Some(job),
        starting: false,
        frozen: None,
    })
    .await;
    let link = view.expect("[role=status] a");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://acme.shop.example/")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert_eq!(view.text(".job-elapsed"), "1:05");
}

#[wasm_bindgen_test]
async fn a_store_url_that_is_not_a_web_link_is_not_a_link() {
    let mut job = job_state("deployed");
    job.store_url = Some("javascript:alert(1)".into());
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: Some(job),
        starting: false,
        frozen: None,
    })
    .await;
    assert_eq!(view.count("a"), 0);
    assert!(view.text("[role=status]").contains("javascript:alert(1)"));
}

#[wasm_bindgen_test]
async fn a_failed_job_shows_the_reason_and_code() {
    let mut job = job_state("failed");
    job.error = Some(JobError {
        code: "payment_setup_failed".into(),
        message: "The payment provider said no.".into(),
    });
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: Some(job),
        starting: false,
        frozen: None,
    })
    .await;
    assert!(view
        .expect("[role=status] .badge")
        .class_list()
        .contains("badge-failed"));
    let text = view.text("[role=status]");
    assert!(
        text.contains("Provisioning failed: The payment provider said no."),
        "{text}"
    );
    assert!(text.contains("payment_setup_failed"));
    assert!(
        view.expect(".job-card").class_list().contains("is-failed"),
        "the progress bar turns red"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_status_is_shown_as_sent_in_a_neutral_badge() {
    let mut job = job_state("warming_up");
    job.progress = None;
    let view = mount::<ProvisioningStatus>(provisioning_status::Props {
        job: Some(job),
        starting: false,
        frozen: None,
    })
    .await;
    let badge = view.expect("[role=status] .badge");
    assert_eq!(badge.text_content().unwrap(), "warming_up");
    assert!(badge.class_list().contains("badge-other"));
}

#[wasm_bindgen_test]
async fn log_lines_show_number_time_level_and_message_as_text() {
    let log = lines(&[
        "Creating database schema",
        "<script>window.__pwned = 1</script><b>bold?</b>",
    ]);
    let view = mount::<ProvisioningLogs>(log_props(log)).await;
    assert_eq!(
        view.expect("[role=log]")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Provisioning log")
    );
    assert_eq!(view.count(".log-row"), 2);
    assert_eq!(view.text(".log-row .log-seq"), "1");
    assert_eq!(view.text(".log-row .log-time"), "10:15:01.120");
    assert_eq!(view.text(".log-row .log-level"), "info");
    assert!(view
        .expect(".log-row[data-seq='2']")
        .class_list()
        .contains("level-error"));
    assert_eq!(
        view.text(".log-row[data-seq='2'] .log-message"),
        "<script>window.__pwned = 1</script><b>bold?</b>"
    );
    assert_eq!(view.count("[role=log] script, [role=log] b"), 0);
    assert_eq!(view.text(".log-count"), "2 lines");
}

#[wasm_bindgen_test]
async fn ansi_colours_become_classes_and_escapes_disappear() {
    let log = lines(&["\u{1b}[1;31mfailed\u{1b}[0m after 3 tries"]);
    let view = mount::<ProvisioningLogs>(log_props(log)).await;
    let red = view.expect(".log-message .ansi-fg-1");
    assert_eq!(red.text_content().unwrap(), "failed");
    assert!(red.class_list().contains("ansi-bold"));
    assert_eq!(view.text(".log-message"), "failed after 3 tries");
}

#[wasm_bindgen_test]
async fn a_redrawn_progress_row_shows_its_last_state_in_the_style_it_was_written() {
    // npm's spinner (ESC[1G ESC[0K), then its coloured message; git's
    // progress redrawn with CR and ESC[K, 400 states.
    let spinner = "\u{280b}\u{1b}[1G\u{1b}[0K\u{2819}\u{1b}[1G\u{1b}[0K\u{1b}[1mnpm\u{1b}[22m \u{1b}[32mhttp\u{1b}[39m fetch GET 200";
    let progress: Vec<String> = (0..=400)
        .map(|i| format!("Counting objects: {:3}% ({i}/400)\u{1b}[K", i / 4))
        .collect();
    let progress = format!("{}, done.", progress.join("\r"));
    let view = mount::<ProvisioningLogs>(log_props(lines(&[spinner, &progress]))).await;
    rendered().await;
    assert_eq!(
        view.text(".log-row[data-seq='1'] .log-message"),
        "npm http fetch GET 200"
    );
    assert_eq!(view.text(".log-row[data-seq='1'] .ansi-bold"), "npm");
    assert_eq!(view.text(".log-row[data-seq='1'] .ansi-fg-2"), "http");
    assert_eq!(
        view.text(".log-row[data-seq='2'] .log-message"),
        "Counting objects: 100% (400/400), done."
    );
    type_into(&view, "input[aria-label='Search log']", "objects:  50%");
    view.wait_until(
        "an overwritten state is not found",
        std::time::Duration::from_secs(5),
        |v| count_of(v) == "No matches",
    )
    .await;
    type_into(
        &view,
        "input[aria-label='Search log']",
        "100% (400/400), done",
    );
    view.wait_until(
        "the state shown is found",
        std::time::Duration::from_secs(5),
        |v| count_of(v) == "1 of 1",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_long_log_renders_only_a_window_and_follows_the_newest_line() {
    let messages: Vec<String> = (1..=50_000).map(|i| format!("line {i}")).collect();
    let refs: Vec<&str> = messages.iter().map(String::as_str).collect();
    let view = mount::<ProvisioningLogs>(log_props(lines(&refs))).await;
    rendered().await;
    let rows = view.count(".log-row");
    assert!(rows > 0 && rows < 200, "{rows} rows rendered");
    view.wait_until(
        "the newest line is rendered",
        std::time::Duration::from_secs(5),
        |v| v.find(".log-row[data-seq='50000']").is_some(),
    )
    .await;
    assert_eq!(view.text(".log-count"), "50,000 lines");
}

#[wasm_bindgen_test]
async fn an_empty_log_says_so() {
    let view = mount::<ProvisioningLogs>(log_props(LogLines::default())).await;
    assert!(view.text("[role=log]").contains("No log lines yet."));
}

#[wasm_bindgen_test]
fn job_json_from_the_contract_decodes_in_the_browser_too() {
    let job: Job = serde_json::from_str(r#"{"jobId":"j","status":"queued","logs":[]}"#).unwrap();
    assert_eq!(job.status, JobStatus::Queued);
}

#[wasm_bindgen_test]
async fn a_connection_problem_says_when_the_next_attempt_is() {
    let trouble = PollTrouble {
        error: ApiError::Network,
        retry_at_ms: Some(js_sys::Date::now() + 7_500.0),
    };
    let props = poll_trouble_notice::Props {
        trouble: Some(trouble),
        on_retry: Callback::noop(),
    };
    let view = mount::<PollTroubleNotice>(props).await;
    let text = view.text(".notice");
    assert!(text.contains("Connection lost — retrying in 8 s"), "{text}");
    assert!(text.contains("Check your connection"), "{text}");
    assert_eq!(view.count("button"), 0, "it retries by itself");
}

#[wasm_bindgen_test]
async fn when_polling_stopped_the_notice_offers_to_check_again() {
    let (clicks, on_retry) = counting_callback();
    let trouble = PollTrouble {
        error: ApiError::NotSignedIn,
        retry_at_ms: None,
    };
    let view = mount::<PollTroubleNotice>(poll_trouble_notice::Props {
        trouble: Some(trouble),
        on_retry,
    })
    .await;
    assert!(view
        .text(".notice")
        .contains("Sign in again through the portal"));
    assert_eq!(view.text(".notice button"), "Check again");
    view.click(".notice button");
    assert_eq!(clicks.get(), 1);
}

#[wasm_bindgen_test]
async fn without_trouble_the_notice_is_empty() {
    let props = poll_trouble_notice::Props {
        trouble: None,
        on_retry: Callback::noop(),
    };
    let view = mount::<PollTroubleNotice>(props).await;
    assert_eq!(view.count(".notice"), 0);
}

#[wasm_bindgen_test]
async fn a_retrying_request_says_when_and_can_be_cancelled() {
    let (clicks, on_cancel) = counting_callback();
    let retry = ProvisionRetry {
        error: ApiError::RateLimited {
            retry_after_ms: Some(2_000),
        },
        retry_at_ms: js_sys::Date::now() + 1_900.0,
    };
    let view = mount::<ProvisionRetryNotice>(provision_retry_notice::Props {
        retry: Some(retry),
        on_cancel,
    })
    .await;
    let text = view.text(".notice");
    assert!(
        text.contains("The service is busy — trying again in 2 s"),
        "{text}"
    );
    let countdown = view.expect(".notice [aria-hidden=true]");
    assert_eq!(
        countdown.text_content().as_deref(),
        Some("trying again in 2 s"),
        "the ticking countdown is hidden from screen readers"
    );
    assert_eq!(view.text(".notice button"), "Cancel");
    view.click(".notice button");
    assert_eq!(clicks.get(), 1);
}

#[wasm_bindgen_test]
async fn without_a_retry_the_retry_notice_is_empty() {
    let view = mount::<ProvisionRetryNotice>(provision_retry_notice::Props {
        retry: None,
        on_cancel: Callback::noop(),
    })
    .await;
    assert_eq!(view.count(".notice"), 0);
}

#[wasm_bindgen_test]
async fn search_finds_a_line_that_is_not_rendered_counts_and_steps_through_matches() {
    let messages: Vec<String> = (1..=20_000)
        .map(|i| match i {
            30 | 15_000 | 19_990 => format!("record {i}: Checksum MISMATCH"),
            _ => format!("record {i}: ok"),
        })
        .collect();
    let refs: Vec<&str> = messages.iter().map(String::as_str).collect();
    let view = mount::<ProvisioningLogs>(log_props(lines(&refs))).await;
    rendered().await;
    type_into(&view, "input[aria-label='Search log']", "checksum mismatch");
    view.wait_until(
        "the first match is shown",
        std::time::Duration::from_secs(5),
        |v| count_of(v) == "1 of 3" && v.find(".log-row-current[data-seq='30']").is_some(),
    )
    .await;
    assert_eq!(
        view.text(".log-row-current mark.log-match-current"),
        "Checksum MISMATCH"
    );
    view.click("button[aria-label='Next match']");
    view.wait_until(
        "the second match is shown",
        std::time::Duration::from_secs(5),
        |v| count_of(v) == "2 of 3" && v.find(".log-row-current[data-seq='15000']").is_some(),
    )
    .await;
    view.click("button[aria-label='Previous match']");
    view.click("button[aria-label='Previous match']");
    view.wait_until(
        "it wraps around to the last match",
        std::time::Duration::from_secs(5),
        |v| count_of(v) == "3 of 3" && v.find(".log-row-current[data-seq='19990']").is_some(),
    )
    .await;
    type_into(&view, "input[aria-label='Search log']", "no such text");
    view.wait_until("no match is said", std::time::Duration::from_secs(5), |v| {
        count_of(v) == "No matches"
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_level_filter_hides_lines_and_shows_each_level_s_count() {
    let page = (1..=6)
        .map(|seq| LogLine {
            seq,
            ts: "2026-11-23T10:15:01.120Z".into(),
            level: ["debug", "info", "debug", "warn", "error", "notice"][seq as usize - 1].into(),
            message: format!("line {seq}"),
        })
        .collect();
    let view = mount::<ProvisioningLogs>(log_props(LogLines::default().appended(page))).await;
    assert_eq!(view.count(".log-row"), 6);
    assert_eq!(view.text(".log-level-choice-0 .log-level-count"), "2");
    assert_eq!(
        view.text(".log-level-choice-1 .log-level-count"),
        "2",
        "notice counts with info"
    );
    let debug = view.expect("#log-level-0");
    assert_eq!(
        view.expect("label[for='log-level-0']")
            .text_content()
            .unwrap(),
        "Debug"
    );
    debug.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    rendered().await;
    assert_eq!(view.count(".log-row"), 4);
    assert!(view.find(".log-row.level-debug").is_none());
    view.click(".log-tool-error");
    rendered().await;
    assert!(view.find(".log-row[data-seq='5']").is_some());
}

#[wasm_bindgen_test]
async fn steps_group_their_lines_and_a_finished_one_folds_unless_opened() {
    use store_portal::api::Progress;
    use store_portal::log_pane::steps::note_progress;
    // No error line: a finished step folds.
    let log = LogLines::default().appended(
        ["a", "b", "c", "d", "e"]
            .iter()
            .enumerate()
            .map(|(i, message)| LogLine {
                seq: i as u64 + 1,
                ts: "2026-11-23T10:15:01.120Z".into(),
                level: "info".into(),
                message: (*message).to_owned(),
            })
            .collect(),
    );
    let mut steps = Vec::new();
    let step = |n: u32, label: &str| Progress {
        step: Some(n),
        total_steps: Some(2),
        label: Some(label.into()),
    };
    note_progress(&mut steps, 0, Some(&step(1, "Validate")));
    note_progress(&mut steps, 3, Some(&step(2, "Import")));
    let view = mount::<ProvisioningLogs>(provisioning_logs::Props {
        lines: log,
        steps,
        running: true,
        backlog: false,
        file_name: "x.log".into(),
    })
    .await;
    let headers: Vec<String> = (0..2)
        .map(|i| {
            view.root
                .query_selector_all(".log-group-title")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(headers, ["Step 1 of 2: Validate", "Step 2 of 2: Import"]);
    assert!(view.text(".log-group").contains("3 lines"));
    let toggles = view.root.query_selector_all(".log-group-toggle").unwrap();
    let running: web_sys::HtmlButtonElement = toggles.item(1).unwrap().dyn_into().unwrap();
    assert!(running.disabled(), "the running step stays open");
    // The finished step had no error line: it folded by itself. The reader
    // opens it, and folds it again.
    let first: web_sys::HtmlElement = toggles.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(view.count(".log-row"), 2);
    assert_eq!(
        first.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    first.click();
    rendered().await;
    assert_eq!(view.count(".log-row"), 5);
    assert_eq!(
        first.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    first.click();
    rendered().await;
    assert_eq!(view.count(".log-row"), 2);
}

#[wasm_bindgen_test]
async fn web_addresses_become_safe_links_and_palette_colours_get_classes() {
    let log = lines(&[
        "see https://status.example.test/records/1. javascript:alert(1)",
        "\u{1b}[38;5;208morange\u{1b}[0m \u{1b}[48;2;255;0;0mred\u{1b}[0m",
    ]);
    let view = mount::<ProvisioningLogs>(log_props(log)).await;
    let link = view.expect(".log-message a");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://status.example.test/records/1")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(view.count(".log-message a"), 1);
    assert_eq!(view.text(".ansi-fg-208"), "orange");
    assert_eq!(view.text(".ansi-bg-196"), "red");
    assert!(
        view.find(".log-message [style]").is_none(),
        "colours are classes, not style attributes"
    );
}

#[wasm_bindgen_test]
async fn wrapped_lines_take_whole_rows_and_never_overlap() {
    let long = "0123456789".repeat(100);
    let log = lines(&["short", &long, "after"]);
    let view = mount::<ProvisioningLogs>(log_props(log)).await;
    view.expect("#log-wrap")
        .dyn_ref::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    // Once measured (the first wrapped render uses a default width), the
    // parts hold the whole line once.
    let parts_text = |v: &support::Mounted<ProvisioningLogs>| {
        let parts = v
            .root
            .query_selector_all(".log-row[data-seq='2'] .log-message")
            .unwrap();
        (0..parts.length())
            .map(|i| parts.item(i).unwrap().text_content().unwrap_or_default())
            .collect::<String>()
    };
    view.wait_until(
        "the long line wraps into rows that hold it all",
        std::time::Duration::from_secs(5),
        |v| v.count(".log-row[data-seq='2']") > 1 && parts_text(v) == long,
    )
    .await;
    let rows = view.root.query_selector_all(".log-row").unwrap();
    let mut text = String::new();
    let mut last_bottom: Option<f64> = None;
    for i in 0..rows.length() {
        let row: web_sys::Element = rows.item(i).unwrap().dyn_into().unwrap();
        let rect = row.get_bounding_client_rect();
        if let Some(bottom) = last_bottom {
            assert!(
                (rect.top() - bottom).abs() < 0.5,
                "rows sit one under the other"
            );
        }
        last_bottom = Some(rect.bottom());
        if row.get_attribute("data-seq").as_deref() == Some("2") {
            text.push_str(
                &row.query_selector(".log-message")
                    .unwrap()
                    .unwrap()
                    .text_content()
                    .unwrap(),
            );
        }
    }
    assert_eq!(text, long, "the parts hold the whole line once");
}

#[wasm_bindgen_test]
fn idempotency_keys_are_the_browser_s_random_uuids() {
    use store_portal::store::provisioning_actions::new_idempotency_key;
    let (a, b) = (new_idempotency_key(), new_idempotency_key());
    assert_ne!(a, b);
    // xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx
    let parts: Vec<&str> = a.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12],
        "{a}"
    );
    assert!(
        parts[2].starts_with('4') && "89ab".contains(&parts[3][..1]),
        "{a}"
    );
}

/// An attempt of `lines` lines as the service writes them: every 1,000th a
/// warning whose numbers differ from run to run, and `extra` as a warning
/// in the middle.
fn attempt(run: u64, lines: u64, extra: Option<&str>) -> LogLines {
    let mut log = LogLines::default();
    for first in (1..=lines).step_by(10_000) {
        let page = (first..(first + 10_000).min(lines + 1))
            .map(|seq| LogLine {
                seq,
                ts: "2026-11-23T10:15:01.120Z".into(),
                level: if seq % 1_000 == 0 { "warn" } else { "info" }.into(),
                message: match extra {
                    Some(extra) if seq == lines / 2 => extra.to_owned(),
                    _ => format!(
                        "record {} slow by {} ms (run {run})",
                        seq * 7 + run,
                        seq % 97
                    ),
                },
            })
            .collect();
        log = log.appended(page);
    }
    log
}

/// "New in this attempt" between two 300,000-line attempts goes a slice at
/// a time: the page paints "Comparing…" before the count (done in one go,
/// the comparison held the page for the whole of it), then lists the one
/// warning the first attempt did not have.
#[wasm_bindgen_test]
async fn new_in_this_attempt_compares_long_logs_a_slice_at_a_time() {
    use store_portal::components::{new_in_attempt, NewInAttempt};
    let previous = attempt(1, 300_000, None);
    let lines = attempt(2, 300_000, Some("webhook answered 502 (попытка 2)"));
    let view = mount::<NewInAttempt>(new_in_attempt::Props {
        lines,
        previous: Some(previous),
        previous_number: 1,
    })
    .await;
    view.click("#new-in-attempt");
    rendered().await;
    assert_eq!(
        view.text(".new-in-attempt-count"),
        "Comparing with attempt 1…"
    );
    view.wait_until(
        "the comparison ends",
        std::time::Duration::from_secs(30),
        |v| v.text(".new-in-attempt-count").contains("did not have"),
    )
    .await;
    assert_eq!(
        view.text(".new-in-attempt-count"),
        "1 warning or error that attempt 1 did not have:"
    );
    assert_eq!(view.count(".failure-line-link"), 1);
    assert_eq!(view.text(".failure-line-link"), "Line 150000");
    assert_eq!(
        view.text(".new-in-attempt .failure-line"),
        "2026-11-23 10:15:01.120 WARN webhook answered 502 (попытка 2)"
    );
}

/// The element shell (`embedding::element`): a `<store-provisioning>`
/// element's app in its shadow root, following its `tenant-id`, gone when
/// detached, and its app reused by the next element.
#[wasm_bindgen_test]
async fn an_element_shows_its_tenant_and_its_app_is_reused_after_it_goes() {
    use store_portal::embedding::element::attach;
    let document = web_sys::window().unwrap().document().unwrap();
    let element = |id: &str| {
        let host: web_sys::HtmlElement = document
            .create_element("store-provisioning")
            .unwrap()
            .unchecked_into();
        host.set_attribute("tenant-id", id).unwrap();
        document.body().unwrap().append_child(&host).unwrap();
        let shadow = host
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .unwrap();
        (host, shadow)
    };
    let provision_button = |shadow: &web_sys::ShadowRoot| {
        let buttons = shadow.query_selector_all("button").unwrap();
        (0..buttons.length()).any(|i| {
            buttons
                .item(i)
                .unwrap()
                .text_content()
                .unwrap_or_default()
                .trim()
                == "Provision Store"
        })
    };

    let (first, shadow) = element("element-a");
    let mut handle = attach(shadow.clone().into(), first.clone()).await.unwrap();
    rendered().await;
    assert!(provision_button(&shadow), "{}", shadow.inner_html());
    first.set_attribute("tenant-id", "Not Valid").unwrap();
    handle.refresh();
    rendered().await;
    let alert = shadow.query_selector("[role=alert]").unwrap().unwrap();
    assert!(
        alert.text_content().unwrap().contains("is not a tenant id"),
        "{}",
        shadow.inner_html()
    );
    let root = shadow.first_element_child().unwrap();
    handle.detach();
    rendered().await;
    assert_eq!(shadow.child_element_count(), 0, "detached, nothing is left");
    assert_eq!(root.child_element_count(), 0, "its app shows nothing");

    let (second, other) = element("element-b");
    let _handle = attach(other.clone().into(), second.clone()).await.unwrap();
    rendered().await;
    assert!(
        other.first_element_child().unwrap() == root,
        "the next element takes the pooled app"
    );
    assert!(provision_button(&other), "{}", other.inner_html());
    first.remove();
    second.remove();
}
