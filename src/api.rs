//! The Store Provisioning Service's HTTP contract (`contract`), how a
//! response becomes a value or a typed error (`response`, pure), and the
//! browser client that sends requests (`client`).

pub mod client;
pub mod contract;
pub mod endpoints;
pub mod error;
pub mod response;

pub use contract::{Job, JobError, JobStatus, LogLine, Progress, TenantId};
pub use error::ApiError;
