//! The page's components, one a file, and their hooks (`hooks`). Most take
//! plain props and render them. A few connect a part of the page to the app's
//! state and the browser through the hooks: `ProvisioningPanel` (a tenant's
//! provisioning), `BatchPanel` and `ActivityList`. What is decided is decided
//! in `store` and `log_pane`, tested natively.

pub mod activity_list;
pub mod attempt_choice;
pub mod batch_panel;
pub mod failure_summary;
pub mod hooks;
pub mod job_alerts;
pub mod lazy_part;
pub mod log_rows;
pub mod log_toolbar;
pub mod new_in_attempt;
pub mod poll_trouble_notice;
pub mod provision_retry_notice;
pub mod provision_store_button;
pub mod provisioning_logs;
pub mod provisioning_panel;
pub mod provisioning_status;
pub mod reading_tools;
pub mod tenant_link;
pub mod theme_choice;

pub use activity_list::ActivityList;
pub use attempt_choice::AttemptChoice;
pub use batch_panel::BatchPanel;
pub use failure_summary::FailureSummaryPanel;
pub use job_alerts::JobAlerts;
pub use new_in_attempt::NewInAttempt;
pub use poll_trouble_notice::PollTroubleNotice;
pub use provision_retry_notice::ProvisionRetryNotice;
pub use provision_store_button::ProvisionStoreButton;
pub use provisioning_logs::ProvisioningLogs;
pub use provisioning_panel::ProvisioningPanel;
pub use provisioning_status::ProvisioningStatus;
pub use tenant_link::TenantLink;
pub use theme_choice::ThemeChoice;
