//! Where the endpoints are, relative to the service's base URL, and the
//! names of the queries and header the contract defines.

/// `POST` here starts provisioning a tenant's store.
pub const PROVISION_STORE: &str = "/provision/store";

/// `GET` this followed by a job id (one path segment) reads the job.
pub const PROVISION_STATUS_PREFIX: &str = "/provision/status/";

/// The status query asking only for log lines with a greater `seq`.
pub const LOGS_AFTER: &str = "logsAfter";

/// The request header that makes a repeated `POST` return the first job.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// `GET` this followed by a job id (one path segment) streams the job as
/// server-sent events (`text/event-stream`; see [`crate::events`]).
pub const PROVISION_EVENTS_PREFIX: &str = "/provision/events/";

/// The events query asking only for log lines with a greater `seq`. A
/// `Last-Event-ID` header says the same; the query wins if both are sent.
pub const EVENTS_AFTER: &str = "after";
