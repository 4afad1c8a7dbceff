//! The job of the tenant on screen, told outside the page: the tab's title
//! and icon, and "Notify me when it ends" while it runs.

use yew::prelude::*;

use super::hooks::{use_end_notice, use_tab_state};
use crate::api::{JobError, JobStatus, Progress, TenantId};
use crate::store::job_alerts::NotifyChoice;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tenant: TenantId,
    pub job_id: Option<AttrValue>,
    pub status: Option<JobStatus>,
    pub progress: Option<Progress>,
    pub error: Option<JobError>,
}

#[function_component]
pub fn JobAlerts(props: &Props) -> Html {
    use_tab_state(
        &props.tenant,
        props.status.as_ref(),
        props.progress.as_ref(),
    );
    let notice = use_end_notice(
        &props.tenant,
        props.job_id.as_deref(),
        props.status.as_ref(),
        props.error.as_ref().map(|e| e.message.as_str()),
    );
    let running = props.job_id.is_some() && !props.status.as_ref().is_some_and(JobStatus::is_final);
    if !running {
        return html! {};
    }
    let on = notice.choice == NotifyChoice::On;
    let onclick = notice.toggle.reform(|_: MouseEvent| ());
    html! {
        <div class="notify">
            <button
                type="button"
                class="button button-small"
                aria-pressed={if on { "true" } else { "false" }}
                aria-describedby="notify-state"
                {onclick}
            >
                { "Notify me when it ends" }
            </button>
            <p id="notify-state" class="notify-state" role="status">
                { notice.choice.message().unwrap_or_default() }
            </p>
        </div>
    }
}
