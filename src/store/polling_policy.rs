//! When to ask for a job's status again. Pure: the poller feeds it outcomes
//! and a random number, and sleeps for what it says.

use crate::api::{ApiError, JobStatus};

/// Time between polls while a job runs.
pub const POLL_INTERVAL_MS: u32 = 1_000;
/// The first wait after a failure.
pub const FIRST_BACKOFF_MS: u32 = 1_000;
/// Backoff never waits longer than this (a server's `Retry-After` may).
pub const MAX_BACKOFF_MS: u32 = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextPoll {
    /// Poll again after this many milliseconds.
    After(u32),
    /// Nothing more will change, or only the user can put it right.
    Stop,
}

/// While the tab is hidden the job is still followed, slowly and for its
/// head only (status, progress, error): the news that it ended comes within
/// this long, and no log travels.
pub const HIDDEN_POLL_INTERVAL_MS: u32 = 15_000;

/// The Tenants page asks about each running job this often (heads only;
/// the job watcher slows it while the tab is hidden).
pub const ACTIVITY_POLL_INTERVAL_MS: u32 = 3_000;

/// A tab that shows a job or the batch, while another tab follows it, says
/// so this often...
pub const SHOWN_EVERY_MS: f64 = 4_000.0;

/// ...so the follower, hidden itself, keeps the pace of a job on screen
/// while another tab said so within this long.
pub fn follow_as_hidden(
    follower_hidden: bool,
    shown_elsewhere_at_ms: Option<f64>,
    now_ms: f64,
) -> bool {
    follower_hidden && !shown_elsewhere_at_ms.is_some_and(|at| now_ms - at < 2.5 * SHOWN_EVERY_MS)
}

/// Whether the next poll asks for the log's new lines: always while the
/// tab is shown, and at once when a head-only poll said the job ended (its
/// last lines come before the page shows it final).
pub fn wants_lines(hidden: bool, head_said_final: bool) -> bool {
    !hidden || head_said_final
}

/// After a job was read with its lines: stop at a final status, else keep
/// the pace (slower while the tab is hidden).
pub fn after_success(status: &JobStatus, hidden: bool) -> NextPoll {
    match (status.is_final(), hidden) {
        (true, _) => NextPoll::Stop,
        (false, false) => NextPoll::After(POLL_INTERVAL_MS),
        (false, true) => NextPoll::After(HIDDEN_POLL_INTERVAL_MS),
    }
}

/// After a head-only poll: a job that ended has its last lines fetched at
/// once; else the hidden pace.
pub fn after_head(status: &JobStatus) -> NextPoll {
    if status.is_final() {
        NextPoll::After(0)
    } else {
        NextPoll::After(HIDDEN_POLL_INTERVAL_MS)
    }
}

/// The upper bound of the wait after `consecutive_failures` failures in a row
/// (1 for the first): doubling from [`FIRST_BACKOFF_MS`] up to [`MAX_BACKOFF_MS`].
pub fn backoff_ceiling_ms(consecutive_failures: u32) -> u32 {
    ceiling_ms(FIRST_BACKOFF_MS, MAX_BACKOFF_MS, consecutive_failures)
}

/// Doubling from `first_ms` up to `max_ms`, by failures in a row (1 for the first).
fn ceiling_ms(first_ms: u32, max_ms: u32, consecutive_failures: u32) -> u32 {
    let doublings = consecutive_failures.saturating_sub(1).min(16);
    first_ms.saturating_mul(1 << doublings).min(max_ms)
}

/// A wait between half the ceiling for `consecutive_failures` and the
/// ceiling, placed by `jitter` (a random number in `[0, 1)`; anything else
/// counts as 0).
pub fn jittered_backoff_ms(consecutive_failures: u32, jitter: f64) -> u32 {
    jittered_wait_ms(
        FIRST_BACKOFF_MS,
        MAX_BACKOFF_MS,
        consecutive_failures,
        jitter,
    )
}

/// As [`jittered_backoff_ms`], doubling from `first_ms` up to `max_ms`
/// (a stream's reconnects wait less than polls after trouble).
pub fn jittered_wait_ms(first_ms: u32, max_ms: u32, consecutive_failures: u32, jitter: f64) -> u32 {
    let ceiling = ceiling_ms(first_ms, max_ms, consecutive_failures);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (f64::from(ceiling) * (0.5 + 0.5 * jitter)) as u32
}

/// After a failed poll. `jitter` is a random number in `[0, 1)`: the wait is
/// between half the ceiling and the ceiling, so many portals that lost the
/// service together do not come back in step. A `Retry-After` is honoured
/// as the least wait.
pub fn after_failure(error: &ApiError, consecutive_failures: u32, jitter: f64) -> NextPoll {
    if !error.worth_trying_again() {
        return NextPoll::Stop;
    }
    let backoff = jittered_backoff_ms(consecutive_failures, jitter);
    let wait = match error.retry_after_ms() {
        Some(asked) => asked.max(POLL_INTERVAL_MS),
        None => backoff.max(POLL_INTERVAL_MS),
    };
    NextPoll::After(wait)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Issue 31: the follower (a job's, the batch's driver) may be a hidden tab
    /// while another shows it: it keeps a shown pace while that tab says so.
    #[test]
    fn a_hidden_driver_follows_at_the_shown_pace_while_another_tab_shows_the_batch() {
        assert!(!follow_as_hidden(false, None, 0.0));
        assert!(follow_as_hidden(true, None, 50_000.0));
        assert!(!follow_as_hidden(true, Some(45_000.0), 50_000.0));
        assert!(
            follow_as_hidden(true, Some(30_000.0), 50_000.0),
            "not for long"
        );
    }
    use crate::api::client::HEAD_ONLY_LOGS_AFTER;
    use proptest::prelude::*;

    #[test]
    fn a_running_job_is_polled_every_second_and_a_final_one_not_at_all() {
        for hidden in [false, true] {
            let pace = if hidden { 15_000 } else { 1_000 };
            assert_eq!(
                after_success(&JobStatus::Queued, hidden),
                NextPoll::After(pace)
            );
            assert_eq!(
                after_success(&JobStatus::Processing, hidden),
                NextPoll::After(pace)
            );
            assert_eq!(
                after_success(&JobStatus::Other("paused".into()), hidden),
                NextPoll::After(pace)
            );
            assert_eq!(after_success(&JobStatus::Deployed, hidden), NextPoll::Stop);
            assert_eq!(after_success(&JobStatus::Failed, hidden), NextPoll::Stop);
        }
    }

    #[test]
    fn a_hidden_tab_polls_heads_every_15_s_and_fetches_the_last_lines_of_a_job_that_ended() {
        assert!(wants_lines(false, false));
        assert!(!wants_lines(true, false));
        assert!(wants_lines(true, true), "the end's lines come at once");
        assert_eq!(after_head(&JobStatus::Processing), NextPoll::After(15_000));
        assert_eq!(after_head(&JobStatus::Failed), NextPoll::After(0));
        assert_eq!(after_head(&JobStatus::Deployed), NextPoll::After(0));
        // Past any line, and read exactly by a server whose numbers are
        // doubles (JavaScript's): the largest such integer, as the next
        // odd one up is not.
        let read_as_double = |n: u64| n.to_string().parse::<f64>().unwrap() as u64;
        assert_eq!(read_as_double(HEAD_ONLY_LOGS_AFTER), HEAD_ONLY_LOGS_AFTER);
        assert_ne!(
            read_as_double(HEAD_ONLY_LOGS_AFTER + 2),
            HEAD_ONLY_LOGS_AFTER + 2
        );
        assert!(HEAD_ONLY_LOGS_AFTER > u64::from(u32::MAX) * 1_000);
    }

    #[test]
    fn backoff_doubles_up_to_thirty_seconds() {
        let ceilings: Vec<u32> = (1..=8).map(backoff_ceiling_ms).collect();
        assert_eq!(
            ceilings,
            [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
        );
        assert_eq!(backoff_ceiling_ms(u32::MAX), 30_000);
    }

    #[test]
    fn retry_after_is_honoured_even_beyond_the_backoff() {
        let limited = ApiError::RateLimited {
            retry_after_ms: Some(45_000),
        };
        assert_eq!(after_failure(&limited, 1, 0.0), NextPoll::After(45_000));
        let down = ApiError::ServiceUnavailable {
            status: 503,
            retry_after_ms: Some(2_000),
        };
        assert_eq!(after_failure(&down, 1, 0.9), NextPoll::After(2_000));
    }

    #[test]
    fn errors_only_a_person_can_fix_stop_polling() {
        for error in [
            ApiError::NotSignedIn,
            ApiError::Forbidden,
            ApiError::JobNotFound,
        ] {
            assert_eq!(after_failure(&error, 1, 0.5), NextPoll::Stop, "{error:?}");
        }
    }

    fn transient_error() -> impl Strategy<Value = ApiError> {
        prop_oneof![
            Just(ApiError::Network),
            Just(ApiError::Timeout),
            Just(ApiError::Decode { detail: "x".into() }),
            (500u16..600).prop_map(|status| ApiError::ServiceUnavailable {
                status,
                retry_after_ms: None
            }),
            Just(ApiError::RateLimited {
                retry_after_ms: None
            }),
        ]
    }

    proptest! {
        #[test]
        fn waits_stay_between_one_and_thirty_seconds(
            error in transient_error(), failures in 1u32..100, jitter in proptest::num::f64::ANY
        ) {
            let NextPoll::After(wait) = after_failure(&error, failures, jitter) else {
                panic!("transient errors are retried");
            };
            prop_assert!((POLL_INTERVAL_MS..=MAX_BACKOFF_MS).contains(&wait));
            prop_assert!(wait <= backoff_ceiling_ms(failures).max(POLL_INTERVAL_MS));
            prop_assert!(wait >= backoff_ceiling_ms(failures) / 2);
        }

        #[test]
        fn a_retry_after_is_never_cut_short(asked in 0u32..300_000, failures in 1u32..50, jitter in 0.0f64..1.0) {
            let error = ApiError::RateLimited { retry_after_ms: Some(asked) };
            prop_assert_eq!(after_failure(&error, failures, jitter), NextPoll::After(asked.max(POLL_INTERVAL_MS)));
        }
    }
}
