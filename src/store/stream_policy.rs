//! When a job is streamed (`GET /provision/events/{jobId}`, docs/provisioning-api.md)
//! rather than polled, and what comes after a stream ends. Pure: the job
//! watcher's schedule feeds it how the stream ended, how many failed in a
//! row and a random number.
//!
//! A stream is a bonus on top of polling, never a bet against it: a job is
//! polled at its pace until its stream has shown life (a keep-alive or an
//! event), and again as soon as it stops showing it, so a proxy that holds
//! the stream back never leaves the page stale.

use super::polling_policy::jittered_wait_ms;
use crate::api::ApiError;

/// A stream that brought nothing for this long (the service sends a
/// keep-alive at least every 5 s) is lost: something between holds it back.
pub const STREAM_SILENCE_MS: f64 = 10_000.0;

/// At most this many streams on a page: over HTTP/1.1 a browser opens six
/// connections to a host, and the page's polls, POSTs and files need the rest.
pub const MAX_STREAMS: usize = 3;

/// Streams in a row that ended before they served [`STREAM_SERVED_MS`]
/// (whatever they brought) before the job is polled for a while.
pub const STREAM_ATTEMPTS: u32 = 3;

/// A stream open this long served: its end starts a new count of failures.
/// (A stream cut sooner, again and again, would ask more than polling.)
pub const STREAM_SERVED_MS: f64 = 10_000.0;

/// How long a job is only polled after its stream fell silent, or failed
/// [`STREAM_ATTEMPTS`] times in a row, before a stream is tried again.
pub const STREAM_AGAIN_AFTER_MS: u32 = 60_000;

/// Reconnects wait half to all of this, doubling with each failure in a
/// row (¼–½ s, then ½–1 s; the third failure polls instead)...
pub const FIRST_RECONNECT_MS: u32 = 500;
/// ...up to this.
pub const MAX_RECONNECT_MS: u32 = 2_000;

/// How a stream ended.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEnd {
    /// The response ended, or the connection broke, before `done`;
    /// `with_events`: it brought an event first.
    Dropped { with_events: bool },
    /// Nothing came for [`STREAM_SILENCE_MS`].
    Silent,
    /// An error answer before any event (as the status endpoint's).
    Refused(ApiError),
    /// The service has no streams: 404 with a code other than
    /// `job_not_found`, 405 or 501.
    Unsupported,
}

/// What follows a stream's end (other than `done`, which ends the job).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AfterStream {
    /// Another stream after this wait (ms); `poll_now`: the job is polled at
    /// once meanwhile (else at its pace).
    StreamAgain { after_ms: u32, poll_now: bool },
    /// The job is polled, and told of the error, as after a poll refused
    /// for good (401, 403, 404 `job_not_found`): a stream is tried again
    /// only when polling resumes.
    AsRefused,
    /// This service never streams: every job is polled from now on.
    PollOnly,
}

/// After a stream ended as `end`, its `failures` in a row counted with it
/// (a stream that served [`STREAM_SERVED_MS`] counts 1); `jitter` in `[0, 1)`.
pub fn after_stream(end: &StreamEnd, failures: u32, jitter: f64) -> AfterStream {
    let reconnect = |least_ms: u32| {
        if failures >= STREAM_ATTEMPTS {
            AfterStream::StreamAgain {
                after_ms: STREAM_AGAIN_AFTER_MS,
                poll_now: true,
            }
        } else {
            let wait = jittered_wait_ms(FIRST_RECONNECT_MS, MAX_RECONNECT_MS, failures, jitter);
            AfterStream::StreamAgain {
                after_ms: wait.max(least_ms),
                poll_now: false,
            }
        }
    };
    match end {
        StreamEnd::Dropped { .. } => reconnect(0),
        StreamEnd::Silent => AfterStream::StreamAgain {
            after_ms: STREAM_AGAIN_AFTER_MS,
            poll_now: true,
        },
        StreamEnd::Refused(error) if !error.worth_trying_again() => AfterStream::AsRefused,
        StreamEnd::Refused(error) => reconnect(error.retry_after_ms().unwrap_or(0)),
        StreamEnd::Unsupported => AfterStream::PollOnly,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_stream_that_brought_events_reconnects_soon_with_jitter() {
        let end = StreamEnd::Dropped { with_events: true };
        assert_eq!(
            after_stream(&end, 1, 0.0),
            AfterStream::StreamAgain {
                after_ms: 250,
                poll_now: false
            }
        );
        assert_eq!(
            after_stream(&end, 1, 0.999),
            AfterStream::StreamAgain {
                after_ms: 499,
                poll_now: false
            }
        );
    }

    #[test]
    fn repeated_failures_poll_at_once_and_stream_again_a_minute_later() {
        let end = StreamEnd::Dropped { with_events: false };
        let waits: Vec<AfterStream> = (1..=3).map(|n| after_stream(&end, n, 1.0)).collect();
        assert_eq!(
            waits,
            [
                AfterStream::StreamAgain {
                    after_ms: 500,
                    poll_now: false
                },
                AfterStream::StreamAgain {
                    after_ms: 1_000,
                    poll_now: false
                },
                AfterStream::StreamAgain {
                    after_ms: 60_000,
                    poll_now: true
                },
            ]
        );
    }

    #[test]
    fn a_silent_stream_is_polled_at_once() {
        assert_eq!(
            after_stream(&StreamEnd::Silent, 1, 0.5),
            AfterStream::StreamAgain {
                after_ms: 60_000,
                poll_now: true
            }
        );
    }

    #[test]
    fn refusals_mean_what_they_mean_on_status() {
        for error in [
            ApiError::NotSignedIn,
            ApiError::JobNotFound,
            ApiError::Forbidden,
        ] {
            assert_eq!(
                after_stream(&StreamEnd::Refused(error), 1, 0.5),
                AfterStream::AsRefused
            );
        }
        let busy = ApiError::ServiceUnavailable {
            status: 503,
            retry_after_ms: Some(5_000),
        };
        assert_eq!(
            after_stream(&StreamEnd::Refused(busy), 1, 0.5),
            AfterStream::StreamAgain {
                after_ms: 5_000,
                poll_now: false
            },
            "Retry-After is the least wait"
        );
        assert_eq!(
            after_stream(&StreamEnd::Unsupported, 1, 0.5),
            AfterStream::PollOnly
        );
    }
}
