//! Where the two endpoints are, relative to the service's base URL, and the
//! names of the query and header the contract defines.

/// `POST` here starts provisioning a tenant's store.
pub const PROVISION_STORE: &str = "/provision/store";

/// `GET` this followed by a job id (one path segment) reads the job.
pub const PROVISION_STATUS_PREFIX: &str = "/provision/status/";

/// The status query asking only for log lines with a greater `seq`.
pub const LOGS_AFTER: &str = "logsAfter";

/// The request header that makes a repeated `POST` return the first job.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
