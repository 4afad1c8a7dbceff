//! The provisioning store (yewdux) and the pure rules it follows: how the
//! state changes (`provisioning`), how log pages merge (`log_lines`), when
//! to poll again (`polling_policy`). The browser-facing pieces — the poller,
//! the actions that call the API and what is kept in localStorage — are thin
//! layers over those.

pub mod job_poller;
pub mod log_lines;
pub mod polling_policy;
pub mod provision_retry;
pub mod provisioning;
pub mod provisioning_actions;
pub mod recent_tenants;
pub mod saved_jobs;

pub use log_lines::LogLines;
pub use provisioning::{
    Action, JobState, PollTrouble, ProvisionRetry, ProvisioningState, RequestStatus, TenantAction,
    TenantProvisioning,
};
