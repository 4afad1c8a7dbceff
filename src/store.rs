//! The provisioning store (yewdux) and the pure rules it follows: how the
//! state changes (`provisioning`), when to poll again (`polling_policy`),
//! when to send "Provision Store" again (`provision_retry`); a job's log is
//! held by `crate::log_pane::LogLines`. The browser-facing pieces — the poller,
//! the actions that call the API and what is kept in localStorage — are thin
//! layers over those.

pub mod activity;
pub mod batch;
pub mod job_alerts;
pub mod job_follower;
pub mod job_relay;
pub mod job_watcher;
pub mod kept;
pub mod polling_policy;
pub mod preferences;
pub mod provision_retry;
pub mod provisioning;
pub mod provisioning_actions;
pub mod recent_tenants;
pub mod saved_attempts;
pub mod saved_batch;
pub mod stream_policy;
pub mod tab_lock;

pub use crate::log_pane::LogLines;

/// Puts `item` first in `list` (moved there: an entry `same` as it goes),
/// at most `max` long: the shape of every "newest first" list here.
fn put_first<T>(list: &mut Vec<T>, item: T, max: usize, same: impl Fn(&T, &T) -> bool) {
    list.retain(|kept| !same(kept, &item));
    list.insert(0, item);
    list.truncate(max);
}

pub use provisioning::{
    Action, Attempt, JobState, PollTrouble, ProvisionRetry, ProvisioningState, RequestStatus,
    StartEvent, StartRequest, TenantAction, TenantProvisioning,
};
