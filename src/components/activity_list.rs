//! "Activity" on the Tenants page: each tenant this browser has a job for,
//! its newest attempt's status badge, step and elapsed time, kept up to
//! date while any runs; each a link to the tenant's page. The newest
//! [`ROWS_AT_FIRST`] at first (a batch can add a thousand).

use yew::prelude::*;
use yew_router::prelude::*;

use super::hooks::{use_activity, use_now};
use super::provisioning_status::{badge_class, elapsed_as_last_heard, elapsed_text, step_text};
use crate::log_pane::count_text::grouped;
use crate::route::Route;
use crate::store::activity::{status_word, ActivityRow, ROWS_AT_FIRST};

fn row(row: &ActivityRow, now: f64) -> Html {
    let job = &row.job;
    let badge = match (&job.status, row.expired) {
        (_, true) => classes!("badge", "badge-expired"),
        (Some(status), false) => classes!("badge", badge_class(status)),
        _ => classes!("badge", "badge-other"),
    };
    // An expired job's clock stops where it was last heard of.
    let elapsed = if row.expired {
        elapsed_as_last_heard(job.created_at.as_deref(), job.updated_at.as_deref(), None)
    } else {
        elapsed_text(job, now)
    };
    let step = step_text(job).filter(|_| !job.is_final() && !row.expired);
    html! {
        <li key={row.tenant.to_string()} class="activity-row">
            <Link<Route> to={Route::Tenant { tenant_id: row.tenant.to_string() }}>{ row.tenant.to_string() }</Link<Route>>
            <span class={badge}>{ status_word(row).unwrap_or("checking…").to_owned() }</span>
            if let Some(step) = step {
                <span class="activity-step">{ step }</span>
            }
            if let Some(elapsed) = elapsed {
                <span class="activity-elapsed" title="Elapsed">{ elapsed }</span>
            }
        </li>
    }
}

#[function_component]
pub fn ActivityList() -> Html {
    let activity = use_activity();
    let now = use_now(activity.running() > 0);
    let all = use_state_eq(|| false);
    let total = activity.rows.len();
    let shown = if *all {
        total
    } else {
        total.min(ROWS_AT_FIRST)
    };
    let show_all = {
        let all = all.clone();
        Callback::from(move |_: MouseEvent| all.set(true))
    };
    html! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">{ "Activity" }</h2>
            if activity.rows.is_empty() {
                <p class="muted">{ "No provisioning started from this browser yet." }</p>
            } else {
                <ul class="activity">
                    { for activity.rows.iter().take(shown).map(|r| row(r, now)) }
                </ul>
            }
            if shown < total {
                <p class="activity-more">
                    { format!("The {shown} newest of {} tenants. ", grouped(total)) }
                    <button type="button" class="button button-small" onclick={show_all}>{ "Show all" }</button>
                </p>
            }
        </section>
    }
}
