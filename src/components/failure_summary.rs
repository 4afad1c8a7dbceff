//! "Why it failed", above the log of a failed job: the service's error, the
//! step, the first error line and the last warnings and errors, each a link
//! to its line in the log (`#L…`, read by the log's permalinks), and "Copy
//! summary" as plain text for a ticket. Decided by `log_pane::failure`.

use yew::prelude::*;

use super::hooks::use_copy;
use crate::api::JobError;
use crate::log_pane::failure::{summarize, PointedLine};
use crate::log_pane::level::Level;
use crate::log_pane::steps::StepMark;
use crate::log_pane::LogLines;

/// The failed job on screen.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub tenant: AttrValue,
    pub job_id: AttrValue,
    pub lines: LogLines,
    pub steps: Vec<StepMark>,
    pub error: Option<JobError>,
}

/// A line pointed at: a link to it in the log, and its text.
pub fn line_link(line: &PointedLine) -> Html {
    html! {
        <li>
            <a class="failure-line-link" href={format!("#L{}", line.seq)}>{ format!("Line {}", line.seq) }</a>
            <code class={classes!("failure-line", (line.level == Level::Error).then_some("failure-line-error"))}>{ line.text.clone() }</code>
        </li>
    }
}

#[function_component]
pub fn FailureSummaryPanel(props: &Props) -> Html {
    let (copied, copy) = use_copy();
    // Made again only when the log, its steps or the error change.
    let made = use_memo(
        (
            props.job_id.clone(),
            props.lines.clone(),
            props.steps.len(),
            props.error.clone(),
        ),
        |(_, lines, _, error)| {
            let summary = summarize(lines, &props.steps, error.as_ref());
            let text = summary.to_text(&props.tenant, &props.job_id);
            (summary, text)
        },
    );
    let (summary, text) = &*made;
    let on_copy = {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| copy.emit(text.clone()))
    };
    html! {
        <section class="failure-summary" aria-labelledby="failure-heading">
            <h2 id="failure-heading" class="failure-heading">{ "Why it failed" }</h2>
            <dl class="failure-facts">
                if let Some(error) = &summary.error {
                    <dt>{ "Error" }</dt>
                    <dd><code>{ error.code.clone() }</code>{ " " }{ error.message.clone() }</dd>
                }
                if let Some(step) = &summary.step {
                    <dt>{ "Failed step" }</dt>
                    <dd>{ step.clone() }</dd>
                }
                if let Some(line) = &summary.first_error {
                    <dt>{ "First error" }</dt>
                    <dd><ul class="failure-lines">{ line_link(line) }</ul></dd>
                }
                if !summary.last_problems.is_empty() {
                    <dt>{ "Last warnings and errors" }</dt>
                    <dd><ul class="failure-lines">{ for summary.last_problems.iter().map(line_link) }</ul></dd>
                }
            </dl>
            <div class="failure-actions">
                <button type="button" class="button button-small" onclick={on_copy}>{ "Copy summary" }</button>
                <span class="failure-copied" role="status">{ copied.map(|c| c.message()).unwrap_or_default() }</span>
            </div>
        </section>
    }
}
