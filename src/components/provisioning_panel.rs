//! A tenant's provisioning, wired up: reads the tenant's slice of the store,
//! re-attaches to a saved job on a visit, polls while the job runs and the
//! panel is on screen, and starts a job on "Provision Store".

use yew::prelude::*;
use yewdux::prelude::*;

use super::{PollTroubleNotice, ProvisionStoreButton, ProvisioningLogs, ProvisioningStatus};
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, TenantId};
use crate::store::job_poller::JobPoller;
use crate::store::provisioning_actions::{provision, resume};
use crate::store::{
    recent_tenants, Action, ProvisioningState, RequestStatus, TenantAction, TenantProvisioning,
};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tenant: TenantId,
}

/// A hint under the button after something went wrong.
fn hint(entry: &TenantProvisioning) -> Option<&'static str> {
    let failed_job = entry
        .job
        .as_ref()
        .is_some_and(|job| job.status == Some(crate::api::JobStatus::Failed));
    match &entry.error {
        _ if entry.is_busy() => None,
        Some(ApiError::NotSignedIn) => None,
        Some(error) if error.is_transient() => {
            Some("Nothing was lost: press Provision Store to try again.")
        }
        _ if failed_job => Some("The last job failed. You can provision the store again."),
        _ => None,
    }
}

#[function_component]
pub fn ProvisioningPanel(props: &Props) -> Html {
    let dispatch = use_dispatch::<ProvisioningState>();
    let base = use_context::<ApiBase>().unwrap_or_default();
    let entry = use_selector_with_deps(
        |state: &ProvisioningState, tenant: &TenantId| {
            state.tenant(tenant).cloned().unwrap_or_default()
        },
        props.tenant.clone(),
    );

    {
        let dispatch = dispatch.clone();
        use_effect_with(props.tenant.clone(), move |tenant| {
            resume(&dispatch, tenant);
            recent_tenants::remember(tenant);
        });
    }

    let poll_job = entry
        .job
        .as_ref()
        .filter(|_| entry.wants_polling())
        .map(|job| job.job_id.clone());
    {
        let (dispatch, base) = (dispatch.clone(), base.clone());
        use_effect_with((props.tenant.clone(), poll_job), move |(tenant, job_id)| {
            let poller = job_id
                .as_ref()
                .map(|job_id| JobPoller::start(dispatch, base, tenant.clone(), job_id.to_string()));
            move || drop(poller)
        });
    }

    let on_provision = {
        let (dispatch, base, tenant) = (dispatch.clone(), base.clone(), props.tenant.clone());
        Callback::from(move |()| provision(dispatch.clone(), base.clone(), tenant.clone()))
    };
    let on_retry = {
        let tenant = props.tenant.clone();
        dispatch.apply_callback(move |()| TenantAction(tenant.clone(), Action::ResumePolling))
    };
    let starting = entry.request == RequestStatus::Loading;
    let logs = entry
        .job
        .as_ref()
        .map(|job| job.logs.clone())
        .unwrap_or_default();
    html! {
        <section class="provisioning" aria-label="Store provisioning">
            <div class="provisioning-actions">
                <ProvisionStoreButton busy={entry.is_busy()} onclick={on_provision} />
                if let Some(hint) = hint(&entry) {
                    <p class="hint">{ hint }</p>
                }
            </div>
            if let Some(error) = &entry.error {
                <div class="alert alert-error" role="alert">
                    <strong>{ error.headline() }</strong>{ " — " }{ error.to_string() }
                </div>
            }
            <ProvisioningStatus job={entry.job.clone()} {starting} />
            <PollTroubleNotice trouble={entry.trouble.clone()} {on_retry} />
            <ProvisioningLogs lines={logs} />
        </section>
    }
}
