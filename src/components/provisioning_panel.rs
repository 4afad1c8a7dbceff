//! A tenant's provisioning, wired up: reads the tenant's slice of the store,
//! re-attaches to a saved job on a visit, polls while the job runs and the
//! panel is on screen, and starts a job on "Provision Store".

use yew::prelude::*;
use yewdux::prelude::*;

use super::hooks::use_job_watcher;
use super::lazy_part::LazyPart;
use super::reading_tools::{log_frame, use_reading_tools};
use super::{
    attempt_choice, failure_summary, new_in_attempt, provisioning_logs, AttemptChoice, JobAlerts,
    PollTroubleNotice, ProvisionRetryNotice, ProvisionStoreButton, ProvisioningStatus,
};
use crate::api::client::on_token_written;
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, JobStatus, TenantId};
use crate::log_pane::export;
use crate::store::job_follower::JobFollower;
use crate::store::provisioning_actions::{provision, resume};
use crate::store::{
    recent_tenants, Action, JobState, ProvisioningState, StartEvent, TenantAction,
    TenantProvisioning,
};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tenant: TenantId,
}

/// A hint under the button after something went wrong: what the user can do now.
pub fn hint(entry: &TenantProvisioning) -> Option<String> {
    let failed_job = entry
        .job()
        .is_some_and(|job| job.status == Some(JobStatus::Failed));
    match &entry.start.error {
        _ if entry.is_busy() => None,
        Some(ApiError::RateLimited {
            retry_after_ms: Some(ms),
        }) => Some(format!(
            "The service asked to wait {} s; then press Provision Store again.",
            ms.div_ceil(1000).max(1)
        )),
        Some(error) if error.worth_trying_again() => {
            Some("Nothing was lost: press Provision Store to try again.".to_owned())
        }
        Some(_) => None,
        None if failed_job => {
            Some("The last job failed. You can provision the store again.".to_owned())
        }
        None => None,
    }
}

#[function_component]
pub fn ProvisioningPanel(props: &Props) -> Html {
    let dispatch = use_dispatch::<ProvisioningState>();
    let base = use_context::<ApiBase>().unwrap_or_default();
    let watcher = use_job_watcher();
    let entry = use_selector_with_deps(
        |state: &ProvisioningState, tenant: &TenantId| {
            state.tenant(tenant).cloned().unwrap_or_default()
        },
        props.tenant.clone(),
    );

    {
        let (dispatch, watcher) = (dispatch.clone(), watcher.clone());
        use_effect_with(props.tenant.clone(), move |tenant| {
            resume(&dispatch, &watcher, tenant);
            recent_tenants::remember(tenant);
        });
    }

    let poll_job = entry
        .job()
        .filter(|_| entry.wants_polling())
        .map(|job| job.job_id.clone());
    {
        let (dispatch, watcher) = (dispatch.clone(), watcher.clone());
        use_effect_with((props.tenant.clone(), poll_job), move |(tenant, job_id)| {
            let follower = job_id.as_ref().map(|job_id| {
                JobFollower::start(dispatch, watcher, tenant.clone(), job_id.to_string())
            });
            move || drop(follower)
        });
    }
    // An earlier attempt chosen in "Attempt": its whole log, read once.
    {
        let (dispatch, watcher) = (dispatch.clone(), watcher.clone());
        let read = entry.attempt_to_read();
        use_effect_with((props.tenant.clone(), read), move |(tenant, job_id)| {
            let reader = job_id.as_ref().map(|job_id| {
                JobFollower::start(dispatch, watcher, tenant.clone(), job_id.to_string())
            });
            move || drop(reader)
        });
    }
    // Signed out while the job ran: a token written by the portal (in
    // another tab: the `storage` event) resumes following it.
    {
        let tenant = props.tenant.clone();
        let dispatch = dispatch.clone();
        use_effect_with(entry.waits_for_sign_in(), move |&waits| {
            let listener = waits.then(|| {
                on_token_written(move || {
                    dispatch.apply(TenantAction(tenant.clone(), Action::ResumePolling));
                })
            });
            move || drop(listener)
        });
    }
    let on_choose = {
        let tenant = props.tenant.clone();
        dispatch.apply_callback(move |id: String| {
            TenantAction(tenant.clone(), Action::ViewAttempt(Some(id)))
        })
    };

    let on_provision = {
        let (dispatch, base, tenant) = (dispatch.clone(), base.clone(), props.tenant.clone());
        Callback::from(move |()| provision(dispatch.clone(), base.clone(), tenant.clone()))
    };
    let on_retry = {
        let tenant = props.tenant.clone();
        dispatch.apply_callback(move |()| TenantAction(tenant.clone(), Action::ResumePolling))
    };
    let on_cancel = {
        let tenant = props.tenant.clone();
        dispatch.apply_callback(move |()| {
            TenantAction(tenant.clone(), Action::Start(StartEvent::Cancelled))
        })
    };
    let starting = entry.start.is_loading();
    let expired = entry.shown_is_expired();
    let frozen = entry.shown_frozen();
    // An attempt the service forgot before this page read it: its id.
    let forgotten = entry
        .shown()
        .filter(|a| a.job.is_none() && expired)
        .map(|a| JobState::new(a.job_id()));
    let shown = entry.shown_job().or(forgotten.as_ref());
    let (logs, steps, running, backlog, file_name) = match shown {
        Some(job) => (
            job.logs.clone(),
            job.steps.clone(),
            !job.is_final() && frozen.is_none(),
            job.status.is_none() || job.is_final() || frozen.is_some(),
            export::file_name(props.tenant.as_str(), &job.job_id),
        ),
        None => Default::default(),
    };
    let tools = use_reading_tools(entry.shown_job().is_some() || entry.is_busy());
    let reading = match &tools {
        LazyPart::Ready(tools) => {
            let failure = shown
                .filter(|job| job.status == Some(JobStatus::Failed))
                .map(|job| {
                    (tools.failure)(failure_summary::Props {
                        tenant: AttrValue::from(props.tenant.to_string()),
                        job_id: AttrValue::from(job.job_id.to_string()),
                        lines: job.logs.clone(),
                        steps: job.steps.clone(),
                        error: job.error.clone(),
                    })
                });
            // The attempt before the one on screen, to compare with.
            let novelty = entry.previous_of_shown().map(|(number, previous)| {
                (tools.novelty)(new_in_attempt::Props {
                    lines: logs.clone(),
                    previous: previous.filter(|p| p.is_final()).map(|p| p.logs.clone()),
                    previous_number: number,
                })
            });
            let log = (tools.log)(provisioning_logs::Props {
                lines: logs,
                steps,
                running,
                backlog,
                file_name: AttrValue::from(file_name),
            });
            html! { <>{ failure }{ novelty }{ log }</> }
        }
        waiting => log_frame(logs.len(), waiting),
    };
    html! {
        <section class="provisioning" aria-label="Store provisioning">
            <div class="provisioning-actions">
                <ProvisionStoreButton busy={entry.is_busy()} onclick={on_provision} />
                if let Some(hint) = hint(&entry) {
                    <p class="hint">{ hint }</p>
                }
            </div>
            <ProvisionRetryNotice retry={entry.start.retry.clone()} {on_cancel} />
            if let Some(error) = &entry.start.error {
                <div class="alert alert-error" role="alert">
                    <strong>{ error.headline() }</strong>{ " — " }{ error.to_string() }
                </div>
            }
            <AttemptChoice
                choices={attempt_choice::choices(&entry)}
                shown={shown.map(|job| AttrValue::from(job.job_id.to_string()))}
                {on_choose}
            />
            <ProvisioningStatus job={shown.cloned()} {starting} {frozen} />
            <JobAlerts
                tenant={props.tenant.clone()}
                job_id={entry.job().map(|job| AttrValue::from(job.job_id.to_string()))}
                status={entry.job().and_then(|job| job.status.clone())}
                progress={entry.job().and_then(|job| job.progress.clone())}
                error={entry.job().and_then(|job| job.error.clone())}
            />
            <PollTroubleNotice trouble={entry.trouble.clone()} {on_retry} />
            { reading }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::{RequestStatus, StartRequest};

    fn failed(error: ApiError) -> TenantProvisioning {
        TenantProvisioning {
            start: StartRequest {
                status: RequestStatus::Failed,
                error: Some(error),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn hints_say_what_to_do_next() {
        let limited = failed(ApiError::RateLimited {
            retry_after_ms: Some(1_500),
        });
        assert_eq!(
            hint(&limited).as_deref(),
            Some("The service asked to wait 2 s; then press Provision Store again.")
        );
        assert_eq!(
            hint(&failed(ApiError::Network)).as_deref(),
            Some("Nothing was lost: press Provision Store to try again.")
        );
        assert_eq!(
            hint(&failed(ApiError::Forbidden)),
            None,
            "the alert says it all"
        );
        let mut after_failed_job = TenantProvisioning::default();
        after_failed_job.apply(Action::Attach { job_id: "j".into() });
        let job = crate::api::job_fixture::job("j")
            .status(JobStatus::Failed)
            .build();
        after_failed_job.apply(Action::StatusReceived(job));
        assert_eq!(
            hint(&after_failed_job).as_deref(),
            Some("The last job failed. You can provision the store again.")
        );
    }

    #[test]
    fn no_hint_while_busy() {
        let busy = TenantProvisioning {
            start: StartRequest {
                status: RequestStatus::Loading,
                error: Some(ApiError::Network),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(hint(&busy), None);
    }
}
