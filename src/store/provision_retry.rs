//! When "Provision Store" tries its POST again on its own. Pure: the
//! request loop feeds it each failure and sleeps for what it says.
//!
//! One click should end with a running job even when the service is busy
//! for a moment. A failure is repeated only when repeating is safe: the
//! retry carries the same `Idempotency-Key`, so a request that did reach the
//! service returns the job it started instead of starting a second one.

use super::polling_policy::jittered_backoff_ms;
use crate::api::ApiError;

/// How many times one press of "Provision Store" sends its POST, the first
/// included.
pub const MAX_SENDS: u32 = 5;
/// No retry is started once this long has passed since the click.
pub const GIVE_UP_AFTER_MS: f64 = 60_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextSend {
    /// Send the same request again after this many milliseconds.
    After(u32),
    /// Show the failure; the user decides.
    GiveUp,
}

/// After send number `sends` (1 for the first) failed with `error`,
/// `elapsed_ms` after the click. `jitter` is a random number in `[0, 1)`.
/// A `Retry-After` is honoured as asked; otherwise the wait doubles from
/// about a second, jittered so that many portals do not retry in step.
pub fn after_failed_send(error: &ApiError, sends: u32, elapsed_ms: f64, jitter: f64) -> NextSend {
    if !error.worth_sending_again() || sends >= MAX_SENDS || !elapsed_ms.is_finite() {
        return NextSend::GiveUp;
    }
    let wait = error
        .retry_after_ms()
        .unwrap_or_else(|| jittered_backoff_ms(sends, jitter));
    if elapsed_ms.max(0.0) + f64::from(wait) > GIVE_UP_AFTER_MS {
        NextSend::GiveUp
    } else {
        NextSend::After(wait)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BUSY_2S: ApiError = ApiError::RateLimited {
        retry_after_ms: Some(2_000),
    };

    #[test]
    fn a_rate_limit_is_retried_after_the_wait_it_asks_for() {
        assert_eq!(
            after_failed_send(&BUSY_2S, 1, 120.0, 0.7),
            NextSend::After(2_000)
        );
        let down = ApiError::ServiceUnavailable {
            status: 503,
            retry_after_ms: Some(3_000),
        };
        assert_eq!(
            after_failed_send(&down, 2, 5_000.0, 0.0),
            NextSend::After(3_000)
        );
    }

    #[test]
    fn without_retry_after_the_wait_doubles_with_jitter() {
        let waits: Vec<_> = (1..=4)
            .map(|n| after_failed_send(&ApiError::Network, n, 0.0, 0.0))
            .collect();
        assert_eq!(
            waits,
            [
                NextSend::After(500),
                NextSend::After(1_000),
                NextSend::After(2_000),
                NextSend::After(4_000)
            ]
        );
        assert_eq!(
            after_failed_send(&ApiError::Timeout, 1, 0.0, 0.999_999),
            NextSend::After(999)
        );
    }

    #[test]
    fn five_sends_at_most() {
        assert_eq!(
            after_failed_send(&ApiError::Network, 4, 0.0, 0.5),
            NextSend::After(6_000)
        );
        assert_eq!(
            after_failed_send(&ApiError::Network, MAX_SENDS, 0.0, 0.5),
            NextSend::GiveUp
        );
    }

    #[test]
    fn no_retry_would_end_after_a_minute() {
        assert_eq!(
            after_failed_send(&BUSY_2S, 1, 58_000.0, 0.0),
            NextSend::After(2_000)
        );
        assert_eq!(
            after_failed_send(&BUSY_2S, 1, 58_001.0, 0.0),
            NextSend::GiveUp
        );
        let far = ApiError::RateLimited {
            retry_after_ms: Some(120_000),
        };
        assert_eq!(after_failed_send(&far, 1, 0.0, 0.0), NextSend::GiveUp);
    }

    #[test]
    fn what_a_person_must_fix_or_an_unreadable_answer_is_not_repeated() {
        for error in [
            ApiError::NotSignedIn,
            ApiError::Forbidden,
            ApiError::TenantNotFound,
            ApiError::InvalidRequest {
                message: "bad".into(),
            },
            ApiError::Decode {
                detail: "cut off".into(),
            },
            ApiError::Unexpected { status: 302 },
        ] {
            assert_eq!(
                after_failed_send(&error, 1, 0.0, 0.5),
                NextSend::GiveUp,
                "{error:?}"
            );
        }
    }

    fn repeatable_error() -> impl Strategy<Value = ApiError> {
        let retry_after = proptest::option::of(0u32..400_000);
        prop_oneof![
            Just(ApiError::Network),
            Just(ApiError::Timeout),
            retry_after
                .clone()
                .prop_map(|retry_after_ms| ApiError::RateLimited { retry_after_ms }),
            (500u16..600, retry_after).prop_map(|(status, retry_after_ms)| {
                ApiError::ServiceUnavailable {
                    status,
                    retry_after_ms,
                }
            }),
        ]
    }

    proptest! {
        #[test]
        fn retries_end_within_five_sends_and_a_minute(
            error in repeatable_error(),
            sends in 1u32..20,
            elapsed in proptest::num::f64::ANY,
            jitter in proptest::num::f64::ANY,
        ) {
            match after_failed_send(&error, sends, elapsed, jitter) {
                NextSend::After(wait) => {
                    prop_assert!(sends < MAX_SENDS && elapsed.is_finite());
                    prop_assert!(elapsed.max(0.0) + f64::from(wait) <= GIVE_UP_AFTER_MS);
                    if let Some(asked) = error.retry_after_ms() {
                        prop_assert_eq!(wait, asked);
                    }
                }
                NextSend::GiveUp => {}
            }
        }
    }
}
