//! "Activity" on the Tenants page: each tenant this browser has a job for,
//! its newest attempt's status badge, step and elapsed time, kept up to
//! date while any runs; each a link to the tenant's page.

use yew::prelude::*;
use yew_router::prelude::*;

use super::hooks::{use_activity, use_now};
use super::provisioning_status::{badge_class, elapsed_text, step_text};
use crate::api::endpoints::ApiBase;
use crate::route::Route;
use crate::store::activity::{status_word, ActivityRow};

fn row(row: &ActivityRow, now: f64) -> Html {
    let job = &row.job;
    let badge = match (&job.status, row.expired) {
        (Some(status), false) => classes!("badge", badge_class(status)),
        _ => classes!("badge", "badge-other"),
    };
    let elapsed = elapsed_text(job, now);
    let step = step_text(job).filter(|_| !job.is_final());
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
    let base = use_context::<ApiBase>().unwrap_or_default();
    let activity = use_activity(&base);
    let now = use_now(activity.running() > 0);
    html! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">{ "Activity" }</h2>
            if activity.rows.is_empty() {
                <p class="muted">{ "No provisioning started from this browser yet." }</p>
            } else {
                <ul class="activity">
                    { for activity.rows.iter().map(|r| row(r, now)) }
                </ul>
            }
        </section>
    }
}
