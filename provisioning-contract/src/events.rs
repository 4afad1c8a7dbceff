//! The names of the server-sent events of `GET /provision/events/{jobId}`
//! ([`crate::paths::PROVISION_EVENTS_PREFIX`]). Each event's `data` is one
//! line of JSON. Comment lines (`: …`) are keep-alives: one when the stream
//! opens, then at least every 5 s. A client ignores events it does not know.

/// `data`: the [`Job`](crate::Job) without its `logs`. Sent first, then
/// whenever its status, progress, store URL or error changes.
pub const JOB: &str = "job";

/// `data`: a JSON array of [`LogLine`](crate::LogLine)s, in `seq` order,
/// each greater than the `after` asked for and sent once on a stream. The
/// event's `id` is the last line's `seq`: a client resumes with it.
pub const LOGS: &str = "logs";

/// `data`: `{}`. The job is final and every line was sent (its last `logs`
/// and final `job` came before); the service then ends the response.
pub const DONE: &str = "done";
