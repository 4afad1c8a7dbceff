//! What "Provision Store" and a page visit set in motion: the API calls and
//! the saved attempts around the pure transitions.

use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use yewdux::Dispatch;

use super::job_watcher::shell::{Heard, JobListener, JobWatcher};
use super::job_watcher::{Interest, Pace};
use super::provision_retry::{after_failed_send, NextSend};
use super::provisioning::{Action, ProvisioningState, StartEvent, TenantAction};
use super::saved_attempts;
use crate::api::client::provision_store;
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, TenantId};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's `crypto.randomUUID()` (secure contexts only: it throws
    /// where it is missing, and `catch` makes that an `Err`).
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID, catch)]
    fn random_uuid() -> Result<String, wasm_bindgen::JsValue>;
}

/// A fresh key for one user action: a random UUID from the browser's
/// `crypto.randomUUID()`; where a page is served over plain HTTP from a
/// host that is not loopback (no secure context), a random text instead.
pub fn new_idempotency_key() -> Rc<str> {
    if let Ok(uuid) = random_uuid() {
        return uuid.into();
    }
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
/// send that may have reached the service, so a retry never starts a
/// second job. A failure worth sending again (busy, unreachable) is sent again
/// on its own, as [`provision_retry`] decides, until a job runs, the
/// failure stands, or the user cancels.
pub fn provision(dispatch: Dispatch<ProvisioningState>, base: ApiBase, tenant: TenantId) {
    let current = dispatch.get();
    let entry = current.tenant(&tenant);
    if entry.is_some_and(|e| e.is_busy()) {
        return;
    }
    let key = entry
        .and_then(|e| e.start.idempotency_key.clone())
        .unwrap_or_else(new_idempotency_key);
    dispatch.apply(TenantAction(
        tenant.clone(),
        Action::Start(StartEvent::Requested {
            idempotency_key: key.clone(),
        }),
    ));
    let request_id = request_id_of(&dispatch, &tenant).unwrap_or_default();
    let started_at = js_sys::Date::now();
    wasm_bindgen_futures::spawn_local(async move {
        let mut sends = 0;
        let action = loop {
            let result = provision_store(&base, &tenant, &key).await;
            sends += 1;
            match &result {
                Ok(job) => saved_attempts::remember(&tenant, &job.job_id),
                Err(ApiError::JobInProgress { job_id }) => {
                    saved_attempts::remember(&tenant, job_id)
                }
                Err(_) => {}
            }
            let error = match result {
                // A job runs: show it, even if the user gave up meanwhile.
                Ok(job) => break Action::ProvisionSucceeded(job),
                Err(error) => error,
            };
            if request_id_of(&dispatch, &tenant) != Some(request_id) {
                return;
            }
            let elapsed = js_sys::Date::now() - started_at;
            let wait = match after_failed_send(&error, sends, elapsed, js_sys::Math::random()) {
                NextSend::GiveUp => break Action::ProvisionFailed(error),
                NextSend::After(wait) => wait,
            };
            dispatch.apply(TenantAction(
                tenant.clone(),
                Action::Start(StartEvent::Retrying {
                    error,
                    retry_at_ms: js_sys::Date::now() + f64::from(wait),
                }),
            ));
            TimeoutFuture::new(wait).await;
            if request_id_of(&dispatch, &tenant) != Some(request_id) {
                return;
            }
        };
        dispatch.apply(TenantAction(tenant, action));
    });
}

/// The current request's id while one is in flight.
fn request_id_of(dispatch: &Dispatch<ProvisioningState>, tenant: &TenantId) -> Option<u64> {
    dispatch
        .get()
        .tenant(tenant)
        .and_then(|e| e.start.loading_id())
}

/// On a visit: the attempts this browser kept, the newest followed unless
/// it expired (when the store follows none yet), and the earlier attempts'
/// states learnt (their heads, once, through the page's job watcher).
pub fn resume(dispatch: &Dispatch<ProvisioningState>, watcher: &JobWatcher, tenant: &TenantId) {
    let follows = dispatch
        .get()
        .tenant(tenant)
        .is_some_and(|e| e.job().is_some());
    if follows {
        return;
    }
    let saved = saved_attempts::load(tenant);
    let Some(newest) = saved.first() else {
        return;
    };
    if !newest.expired {
        let job_id = newest.job_id.clone();
        dispatch.apply(TenantAction(tenant.clone(), Action::Attach { job_id }));
    }
    dispatch.apply(TenantAction(
        tenant.clone(),
        Action::AttemptsKnown(saved.clone()),
    ));
    let earlier = saved.into_iter().skip(1).filter(|a| !a.expired);
    for job_id in earlier.map(|a| a.job_id) {
        let listener = Rc::new(EarlierAttempt {
            dispatch: dispatch.clone(),
            tenant: tenant.clone(),
            job_id: job_id.clone(),
        });
        watcher.ask_once(&job_id, Interest::heads(Pace::Once), listener);
    }
}

/// An earlier attempt of the tenant on screen, asked about once.
struct EarlierAttempt {
    dispatch: Dispatch<ProvisioningState>,
    tenant: TenantId,
    job_id: String,
}

impl JobListener for EarlierAttempt {
    fn heard(&self, heard: &Heard) {
        let action = match heard.result {
            Ok(head) => Action::AttemptHeard(head.clone()),
            Err(ApiError::JobNotFound) => {
                saved_attempts::expire(&self.tenant, &self.job_id);
                Action::AttemptExpired(self.job_id.clone())
            }
            // Unknown for now: choosing the attempt reads it.
            Err(_) => return,
        };
        self.dispatch
            .apply(TenantAction(self.tenant.clone(), action));
    }
}
