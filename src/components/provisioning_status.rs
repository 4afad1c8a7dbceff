//! A job at a glance: the status as a coloured badge in a `role="status"`
//! region (announced once per status change), step N of M with its label, a progress bar, the elapsed time, the
//! store's link when deployed and the reason when failed.

use yew::prelude::*;

use super::hooks::use_now;
use crate::api::JobStatus;
use crate::log_pane::links::is_web_address;
use crate::store::provisioning::Frozen;
use crate::store::JobState;
use crate::time_format::{format_elapsed, parse_rfc3339_ms};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub job: Option<JobState>,
    /// A "Provision Store" request is in flight.
    #[prop_or_default]
    pub starting: bool,
    /// What is shown is as last heard of, not live (the service forgot the
    /// job, or the user is signed out): it stays, its clock stopped.
    #[prop_or_default]
    pub frozen: Option<Frozen>,
}

/// The badge's word and class, and the note, for a job shown as last heard of.
fn frozen_text(frozen: Frozen, status: &JobStatus) -> (&'static str, &'static str, String) {
    match frozen {
        Frozen::Expired => (
            "expired",
            "badge-expired",
            format!(
                "The service no longer knows this job; what was shown is kept. It was last heard of as {}.",
                status.as_str()
            ),
        ),
        Frozen::SignedOut => (
            "unknown",
            "badge-expired",
            format!(
                "Signed out: this job's state is unknown (last heard of as {}). It is followed again once you sign in.",
                status.as_str()
            ),
        ),
    }
}

/// The badge's class: known statuses have their colour, others a neutral one.
pub fn badge_class(status: &JobStatus) -> &'static str {
    match status {
        JobStatus::Queued => "badge-queued",
        JobStatus::Processing => "badge-processing",
        JobStatus::Deployed => "badge-deployed",
        JobStatus::Failed => "badge-failed",
        JobStatus::Other(_) => "badge-other",
    }
}

/// How long the job has run ("1:02"): to `now` while it runs, to its last
/// update once it is final; `None` without a start time.
pub fn elapsed_text(job: &JobState, now: f64) -> Option<String> {
    elapsed_between(
        job.created_at.as_deref(),
        job.updated_at.as_deref(),
        job.is_final(),
        now,
    )
}

/// How long a job shown as last heard of (expired, or its state unknown)
/// ran: from `created` to its last update, else to when it was last heard
/// of; `None` when neither is known (no clock then, rather than one that
/// runs on).
pub fn elapsed_as_last_heard(
    created: Option<&str>,
    updated: Option<&str>,
    heard_at_ms: Option<f64>,
) -> Option<String> {
    let created = created.and_then(parse_rfc3339_ms)?;
    let last = updated.and_then(parse_rfc3339_ms).or(heard_at_ms)?;
    Some(format_elapsed(last - created))
}

/// How long a job created at `created` has run: to `now`, or to `updated`
/// once it is `finished`.
pub fn elapsed_between(
    created: Option<&str>,
    updated: Option<&str>,
    finished: bool,
    now: f64,
) -> Option<String> {
    let created = created.and_then(parse_rfc3339_ms)?;
    let ended = updated.and_then(parse_rfc3339_ms).filter(|_| finished);
    Some(format_elapsed(ended.unwrap_or(now) - created))
}

/// "Step 3 of 7: Seeding catalog", from whatever parts the service sent.
pub fn step_text(job: &JobState) -> Option<String> {
    let progress = job.progress.as_ref()?;
    let label = progress
        .label
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let steps = match (progress.step, progress.total_steps) {
        (Some(step), Some(total)) => Some(format!("Step {step} of {total}")),
        (Some(step), None) => Some(format!("Step {step}")),
        _ => None,
    };
    match (steps, label) {
        (Some(steps), Some(label)) => Some(format!("{steps}: {label}")),
        (Some(steps), None) => Some(steps),
        (None, Some(label)) => Some(label.to_owned()),
        (None, None) => None,
    }
}

#[function_component]
pub fn ProvisioningStatus(props: &Props) -> Html {
    let running = props.frozen.is_none()
        && props
            .job
            .as_ref()
            .is_some_and(|job| job.status.is_some() && !job.is_final());
    let now = use_now(running);
    let Some(job) = &props.job else {
        let text = if props.starting {
            "Starting provisioning…"
        } else {
            "No provisioning job for this tenant yet."
        };
        return html! {
            <section class="job-card is-empty">
                <div role="status" class="job-status"><p class="job-summary">{ text }</p></div>
            </section>
        };
    };
    let Some(status) = &job.status else {
        let text = if props.frozen == Some(Frozen::Expired) {
            "Expired: the service no longer keeps this attempt."
        } else {
            "Checking the latest job…"
        };
        return html! {
            <section class="job-card">
                <div role="status" class="job-status"><p class="job-summary">{ text }</p></div>
                <dl class="job-meta"><dt>{ "Job" }</dt><dd><code>{ &*job.job_id }</code></dd></dl>
            </section>
        };
    };
    // An expired job's clock stops where it was last heard of.
    let elapsed = if props.frozen.is_some() {
        elapsed_as_last_heard(job.created_at.as_deref(), job.updated_at.as_deref(), None)
    } else {
        elapsed_text(job, now)
    };
    let progress = job
        .progress
        .as_ref()
        .and_then(|p| Some((p.step?, p.total_steps.filter(|t| *t > 0)?)));
    let progress_bar = match (status, progress) {
        (JobStatus::Deployed, _) => {
            html! { <progress class="job-progress" max="1" value="1" aria-label="Provisioning progress"></progress> }
        }
        (_, Some((step, total))) => html! {
            <progress class="job-progress" max={total.to_string()} value={step.min(total).to_string()} aria-label="Provisioning progress"></progress>
        },
        (JobStatus::Failed, None) => html! {},
        (_, None) if props.frozen.is_some() => html! {},
        (_, None) => {
            html! { <progress class="job-progress" aria-label="Provisioning progress"></progress> }
        }
    };
    let outcome = match status {
        JobStatus::Deployed => match job.store_url.as_deref() {
            // Only a web address becomes a link (the log's rule): a server
            // cannot make the page run `javascript:`.
            Some(url) if is_web_address(url) => html! {
                <p class="job-outcome">{ "The store is live: " }<a href={url.to_owned()} target="_blank" rel="noopener noreferrer">{ url }</a></p>
            },
            Some(url) => {
                html! { <p class="job-outcome">{ "The store is live: " }<code>{ url }</code></p> }
            }
            None => html! { <p class="job-outcome">{ "The store is live." }</p> },
        },
        JobStatus::Failed => {
            let (message, code) = job
                .error
                .as_ref()
                .map(|e| (e.message.trim().to_owned(), e.code.trim().to_owned()))
                .unwrap_or_default();
            let message = if message.is_empty() {
                "The service did not say why.".to_owned()
            } else {
                message
            };
            html! {
                <p class="job-outcome job-error">
                    { "Provisioning failed: " }{ message }
                    if !code.is_empty() { { " " }<code>{ code }</code> }
                </p>
            }
        }
        _ => html! {},
    };
    let (badge_word, badge, outcome) = match props.frozen {
        Some(frozen) => {
            let (word, badge, note) = frozen_text(frozen, status);
            (
                word,
                badge,
                html! { <p class="job-outcome job-frozen">{ note }</p> },
            )
        }
        None => (status.as_str(), badge_class(status), outcome),
    };
    let outcome_class = match status {
        _ if props.frozen.is_some() => Some("is-frozen"),
        JobStatus::Deployed => Some("is-deployed"),
        JobStatus::Failed => Some("is-failed"),
        _ => None,
    };
    html! {
        <section class={classes!("job-card", outcome_class)}>
            <div class="job-headline">
                // Only what changes with the status is announced: the badge
                // and the outcome, not every step.
                <div role="status" class="job-status">
                    <span class={classes!("badge", badge)}>{ badge_word }</span>
                    { outcome }
                </div>
                if let Some(step) = step_text(job) {
                    <span class="job-step">{ step }</span>
                }
            </div>
            { progress_bar }
            <dl class="job-meta">
                <dt>{ "Job" }</dt><dd><code>{ &*job.job_id }</code></dd>
                if let Some(elapsed) = elapsed {
                    <dt>{ "Elapsed" }</dt><dd class="job-elapsed">{ elapsed }</dd>
                }
            </dl>
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::Progress;

    #[test]
    fn step_text_uses_whatever_parts_arrived() {
        let mut job = JobState::new("j");
        job.progress = Some(Progress {
            step: Some(3),
            total_steps: Some(7),
            label: Some("Seeding catalog".into()),
        });
        assert_eq!(
            step_text(&job).as_deref(),
            Some("Step 3 of 7: Seeding catalog")
        );
        job.progress = Some(Progress {
            step: Some(2),
            total_steps: None,
            label: Some(" ".into()),
        });
        assert_eq!(step_text(&job).as_deref(), Some("Step 2"));
        job.progress = Some(Progress {
            step: None,
            total_steps: Some(7),
            label: Some("Warming".into()),
        });
        assert_eq!(step_text(&job).as_deref(), Some("Warming"));
        job.progress = None;
        assert_eq!(step_text(&job), None);
    }
}
