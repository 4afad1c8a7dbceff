//! The provisioning store (yewdux) and the pure rules it follows: how the
//! state changes (`provisioning`), when to poll again (`polling_policy`),
//! when to send "Provision Store" again (`provision_retry`); a job's log is
//! held by `crate::log_pane::LogLines`. The browser-facing pieces — the poller,
//! the actions that call the API and what is kept in localStorage — are thin
//! layers over those.

pub mod job_poller;
pub mod polling_policy;
pub mod provision_retry;
pub mod provisioning;
pub mod provisioning_actions;
pub mod recent_tenants;
pub mod saved_jobs;

pub use crate::log_pane::LogLines;

/// A localStorage entry's text (`None` when absent or unreadable).
fn stored_text(key: &str) -> Option<String> {
    use gloo_storage::{LocalStorage, Storage};
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Writes a localStorage entry (quietly: a full or refused storage only
/// loses the convenience it serves).
fn store_text(key: &str, text: &str) {
    use gloo_storage::{LocalStorage, Storage};
    let _ = LocalStorage::raw().set_item(key, text);
}
pub use provisioning::{
    Action, JobState, PollTrouble, ProvisionRetry, ProvisioningState, RequestStatus, TenantAction,
    TenantProvisioning,
};
