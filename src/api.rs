//! The portal's side of the Store Provisioning Service's HTTP contract
//! (whose types are the `provisioning-contract` crate): where requests go
//! (`endpoints`), how a response becomes a value or a typed error
//! (`response`, pure), a status
//! page read a slice of lines at a time (`job_page`, pure), and the browser
//! client that sends requests (`client`); for tests, one builder of jobs
//! (`job_fixture`).

pub mod client;
pub mod endpoints;
pub mod error;
pub mod events;
#[cfg(all(test, not(target_arch = "wasm32")))]
pub mod job_fixture;
pub mod job_page;
pub mod response;

pub use error::ApiError;
pub use provisioning_contract::{Job, JobError, JobStatus, LogLine, Progress, TenantId};
