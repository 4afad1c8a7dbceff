//! The job's log and the tools for reading it — the log pane, "Why it
//! failed", "New in this attempt" — in a chunk of their own in a split build
//! (`lazy_part`): the button and the job's status work before they arrive.
//! Until then the log's frame stands in their place, with the same heading,
//! count and `role="log"` region, so nothing moves when they come.

use yew::prelude::*;

use super::lazy_part::{split_point, unavailable, use_lazy_part, LazyPart};
use super::{failure_summary, new_in_attempt, provisioning_logs};
use super::{FailureSummaryPanel, NewInAttempt, ProvisioningLogs};
use crate::log_pane::count_text::lines_text;

/// The render functions of the reading tools.
#[derive(Clone, Copy)]
pub struct ReadingTools {
    pub log: fn(provisioning_logs::Props) -> Html,
    pub failure: fn(failure_summary::Props) -> Html,
    pub novelty: fn(new_in_attempt::Props) -> Html,
}

split_point!(
    reading_tools,
    fn reading_tools() -> ReadingTools {
        ReadingTools {
            log: |props| html! { <ProvisioningLogs ..props /> },
            failure: |props| html! { <FailureSummaryPanel ..props /> },
            novelty: |props| html! { <NewInAttempt ..props /> },
        }
    }
);

/// The reading tools' code, fetched once there is a job to read (shown, or
/// being started): a tenant with no job yet does not wait for it, nor does
/// the page's time to interactive.
#[hook]
pub fn use_reading_tools(wanted: bool) -> LazyPart<ReadingTools> {
    use_lazy_part(reading_tools, wanted)
}

/// The log's frame while its code is on its way (or could not be fetched).
pub fn log_frame(lines: usize, code: &LazyPart<ReadingTools>) -> Html {
    let (trouble, waiting) = match (lines, code) {
        (_, LazyPart::Failed(retry)) => (Some(unavailable(retry.clone())), None),
        (0, _) => (None, Some("No log lines yet.")),
        _ => (None, Some("Loading the log view…")),
    };
    html! {
        <section class="log-panel" aria-labelledby="log-heading">
            <header class="log-toolbar">
                <h2 id="log-heading" class="log-heading">{ "Log" }</h2>
                <span class="log-count">{ lines_text(lines) }</span>
            </header>
            { trouble }
            <div class="log-viewport" role="log" aria-label="Provisioning log" tabindex="0">
                if let Some(waiting) = waiting {
                    <p class="log-empty">{ waiting }</p>
                }
            </div>
        </section>
    }
}
