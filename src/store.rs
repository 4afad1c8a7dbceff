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

pub use provisioning::{
    Action, JobState, PollTrouble, ProvisionRetry, ProvisioningState, RequestStatus, TenantAction,
    TenantProvisioning,
};
