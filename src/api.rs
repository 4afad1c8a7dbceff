//! The Store Provisioning Service's HTTP contract (`contract`), how a
//! response becomes a value or a typed error (`response`, pure), a status
//! page read a slice of lines at a time (`job_page`, pure), and the browser
//! client that sends requests (`client`).

pub mod client;
pub mod contract;
pub mod endpoints;
pub mod error;
pub mod job_page;
pub mod response;

pub use contract::{Job, JobError, JobStatus, LogLine, Progress, TenantId};
pub use error::ApiError;
