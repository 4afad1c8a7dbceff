//! What "Provision Store" and a page visit set in motion: the API calls and
//! the saved job ids around the pure transitions.

use std::rc::Rc;

use yewdux::Dispatch;

use super::provisioning::{Action, ProvisioningState, TenantAction};
use super::saved_jobs;
use crate::api::client::provision_store;
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, TenantId};

/// A fresh key for one user action.
pub fn new_idempotency_key() -> Rc<str> {
    let random = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!(
        "sp-{:08x}{:08x}-{:x}",
        random(),
        random(),
        js_sys::Date::now() as u64
    )
    .into()
}

/// Starts provisioning `tenant`: one POST, with the key of an earlier
/// attempt that may have reached the service, so a retry never starts a
/// second job.
pub fn provision(dispatch: Dispatch<ProvisioningState>, base: ApiBase, tenant: TenantId) {
    let current = dispatch.get();
    let entry = current.tenant(&tenant);
    if entry.is_some_and(|e| e.is_busy()) {
        return;
    }
    let key = entry
        .and_then(|e| e.idempotency_key.clone())
        .unwrap_or_else(new_idempotency_key);
    dispatch.apply(TenantAction(
        tenant.clone(),
        Action::ProvisionRequested {
            idempotency_key: key.clone(),
        },
    ));
    wasm_bindgen_futures::spawn_local(async move {
        let result = provision_store(&base, &tenant, &key).await;
        match &result {
            Ok(job) => saved_jobs::save(&tenant, &job.job_id),
            Err(ApiError::JobInProgress { job_id }) => saved_jobs::save(&tenant, job_id),
            Err(_) => {}
        }
        let action = match result {
            Ok(job) => Action::ProvisionSucceeded(job),
            Err(error) => Action::ProvisionFailed(error),
        };
        dispatch.apply(TenantAction(tenant, action));
    });
}

/// On a visit: follow the tenant's saved job if the store holds none.
pub fn resume(dispatch: &Dispatch<ProvisioningState>, tenant: &TenantId) {
    let has_job = dispatch
        .get()
        .tenant(tenant)
        .is_some_and(|e| e.job.is_some());
    if has_job {
        return;
    }
    if let Some(job_id) = saved_jobs::load(tenant) {
        dispatch.apply(TenantAction(tenant.clone(), Action::Attach { job_id }));
    }
}
