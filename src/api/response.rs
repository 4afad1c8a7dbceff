//! How an HTTP response becomes a value or an [`ApiError`]: pure, so every
//! status, header and body a server may send is tested natively.

use super::error::ApiError;
use super::job_page::JobPage;
use provisioning_contract::{ErrorBody, ErrorCode, Job};

/// The parts of a response the portal reads.
#[derive(Debug, Clone, Copy)]
pub struct RawResponse<'a> {
    pub status: u16,
    pub retry_after: Option<&'a str>,
    pub body: &'a str,
    /// When it arrived (ms since the epoch): an HTTP-date `Retry-After`
    /// counts from then.
    pub received_ms: f64,
}

/// The longest wait a `Retry-After` may ask for that we take literally.
pub const MAX_RETRY_AFTER_MS: u32 = 5 * 60 * 1000;

/// `Retry-After` in milliseconds from `now_ms`, in either form RFC 9110
/// allows: delta-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2026
/// 07:28:00 GMT`, and the obsolete RFC 850 and asctime forms, read by
/// `httpdate`); a date already past is no wait. Capped at five minutes.
/// Anything unreadable gives `None`: the caller's backoff then decides.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u32> {
    let value = value.trim();
    let wait_ms = match value.parse::<u64>() {
        Ok(seconds) => seconds.saturating_mul(1000),
        Err(_) => {
            let date = httpdate::parse_http_date(value).ok()?;
            let date_ms = date.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as f64;
            (date_ms - now_ms).max(0.0).ceil() as u64
        }
    };
    Some(wait_ms.min(u64::from(MAX_RETRY_AFTER_MS)) as u32)
}

/// A success body decoded as a job, or the error the response stands for.
pub fn interpret(response: RawResponse<'_>) -> Result<Job, ApiError> {
    if is_success(response.status) {
        return decode(response.body);
    }
    Err(classify_failure(response))
}

/// Whether a status carries a job (its body then read as one).
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The whole body read as a job, the way a status page is read (one decoder).
fn decode(body: &str) -> Result<Job, ApiError> {
    JobPage::parse(body.to_owned()).and_then(JobPage::into_job)
}

/// Whether an error answer to a stream's request (`GET
/// /provision/events/{jobId}`) says the service has no streams: 404 with a
/// code other than `job_not_found`, 405 or 501. Any other error means what
/// it means on the status endpoint.
pub fn says_no_streams(status: u16, error: &ApiError) -> bool {
    matches!(status, 405 | 501) || (status == 404 && *error != ApiError::JobNotFound)
}

/// The error a response that is not a success stands for.
pub fn classify_failure(response: RawResponse<'_>) -> ApiError {
    let detail = serde_json::from_str::<ErrorBody>(response.body)
        .ok()
        .map(|body| body.error);
    let code = detail.as_ref().map(|d| &d.code);
    let retry_after_ms = response
        .retry_after
        .and_then(|value| parse_retry_after(value, response.received_ms));
    match (response.status, code) {
        (401, _) => ApiError::NotSignedIn,
        (403, _) => ApiError::Forbidden,
        (404, Some(ErrorCode::TenantNotFound)) => ApiError::TenantNotFound,
        (404, Some(ErrorCode::JobNotFound)) => ApiError::JobNotFound,
        (409, _) => match detail.and_then(|d| d.job_id) {
            Some(job_id) if !job_id.is_empty() => ApiError::JobInProgress { job_id },
            _ => ApiError::Unexpected { status: 409 },
        },
        (400 | 422, _) => ApiError::InvalidRequest {
            message: detail
                .map(|d| d.message)
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| "the request was not valid".to_owned()),
        },
        (429, _) => ApiError::RateLimited { retry_after_ms },
        (status @ 500..=599, _) => ApiError::ServiceUnavailable {
            status,
            retry_after_ms,
        },
        (status, _) => ApiError::Unexpected { status },
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_job_not_found_is_a_404_about_the_job() {
        let no_streams =
            |status, body| says_no_streams(status, &classify_failure(raw(status, body)));
        assert!(no_streams(
            404,
            r#"{"error":{"code":"not_found","message":"No route"}}"#
        ));
        assert!(no_streams(404, "<html>Not Found</html>"));
        assert!(!no_streams(
            404,
            r#"{"error":{"code":"job_not_found","message":"Gone"}}"#
        ));
        assert!(no_streams(405, "") && no_streams(501, ""));
        assert!(!no_streams(503, "") && !no_streams(401, "") && !no_streams(429, ""));
    }

    fn raw(status: u16, body: &str) -> RawResponse<'_> {
        RawResponse {
            status,
            retry_after: None,
            body,
            received_ms: NOW_MS,
        }
    }

    fn fail(status: u16, body: &str) -> ApiError {
        interpret(raw(status, body)).unwrap_err()
    }

    #[test]
    fn a_job_body_decodes() {
        let job: Job = interpret(raw(202, r#"{"jobId":"j1","status":"queued"}"#)).unwrap();
        assert_eq!(job.job_id, "j1");
    }

    #[test]
    fn every_contract_error_maps_to_its_own_variant() {
        let body = |code: &str| format!(r#"{{"error":{{"code":"{code}","message":"m"}}}}"#);
        assert_eq!(fail(401, &body("unauthenticated")), ApiError::NotSignedIn);
        assert_eq!(fail(403, &body("forbidden")), ApiError::Forbidden);
        assert_eq!(
            fail(404, &body("tenant_not_found")),
            ApiError::TenantNotFound
        );
        assert_eq!(fail(404, &body("job_not_found")), ApiError::JobNotFound);
        assert_eq!(
            fail(400, &body("invalid_tenant_id")),
            ApiError::InvalidRequest {
                message: "m".into()
            }
        );
        assert_eq!(
            fail(
                409,
                r#"{"error":{"code":"job_in_progress","message":"m","jobId":"job_8f"}}"#
            ),
            ApiError::JobInProgress {
                job_id: "job_8f".into()
            }
        );
    }

    #[test]
    fn retry_after_is_honoured_on_429_and_5xx() {
        let limited = interpret(RawResponse {
            status: 429,
            retry_after: Some("2"),
            body: "",
            received_ms: NOW_MS,
        });
        assert_eq!(
            limited.unwrap_err(),
            ApiError::RateLimited {
                retry_after_ms: Some(2_000)
            }
        );
        let down = interpret(RawResponse {
            status: 503,
            retry_after: Some(" 7 "),
            body: "<html>",
            received_ms: NOW_MS,
        });
        assert_eq!(
            down.unwrap_err(),
            ApiError::ServiceUnavailable {
                status: 503,
                retry_after_ms: Some(7_000)
            }
        );
    }

    /// Wed, 21 Oct 2026 07:28:00 GMT.
    const NOW_MS: f64 = 1_792_567_680_000.0;

    #[test]
    fn retry_after_takes_delta_seconds_and_is_capped() {
        assert_eq!(parse_retry_after("0", NOW_MS), Some(0));
        assert_eq!(parse_retry_after("86400", NOW_MS), Some(MAX_RETRY_AFTER_MS));
        assert_eq!(parse_retry_after("-1", NOW_MS), None);
        assert_eq!(parse_retry_after("", NOW_MS), None);
        assert_eq!(parse_retry_after("soon", NOW_MS), None);
    }

    #[test]
    fn retry_after_takes_an_http_date_in_every_form() {
        for date in [
            "Wed, 21 Oct 2026 07:28:30 GMT",
            "Wednesday, 21-Oct-26 07:28:30 GMT",
            "Wed Oct 21 07:28:30 2026",
        ] {
            assert_eq!(parse_retry_after(date, NOW_MS), Some(30_000), "{date}");
        }
        // Counted from when the answer came, to the millisecond, never early.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2026 07:28:30 GMT", NOW_MS + 250.0),
            Some(29_750)
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2026 07:27:00 GMT", NOW_MS),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Thu, 22 Oct 2026 07:28:00 GMT", NOW_MS),
            Some(MAX_RETRY_AFTER_MS)
        );
        assert_eq!(
            parse_retry_after("Wed, 32 Oct 2026 07:28:00 GMT", NOW_MS),
            None
        );
        let limited = interpret(RawResponse {
            status: 429,
            retry_after: Some("Wed, 21 Oct 2026 07:28:02 GMT"),
            body: r#"{"error":{"code":"rate_limited","message":"slow down"}}"#,
            received_ms: NOW_MS,
        });
        assert_eq!(
            limited.unwrap_err(),
            ApiError::RateLimited {
                retry_after_ms: Some(2_000)
            }
        );
    }

    #[test]
    fn a_5xx_with_an_html_body_is_service_trouble() {
        let error = fail(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        assert_eq!(
            error,
            ApiError::ServiceUnavailable {
                status: 502,
                retry_after_ms: None
            }
        );
        assert!(error.worth_trying_again());
        assert!(
            !error.to_string().contains("502"),
            "no bare status codes for people"
        );
    }

    #[test]
    fn truncated_and_invalid_json_are_decode_errors_with_a_reason() {
        let cut = fail(200, r#"{"jobId":"j1","status":"proc"#);
        assert_eq!(
            cut,
            ApiError::Decode {
                detail: "the response was cut off".into()
            }
        );
        let junk = fail(200, "{status: processing");
        assert_eq!(
            junk,
            ApiError::Decode {
                detail: "the response is not valid JSON".into()
            }
        );
        assert!(matches!(
            fail(200, r#"{"status":"queued"}"#),
            ApiError::Decode { .. }
        ));
        assert!(matches!(fail(200, ""), ApiError::Decode { .. }));
    }

    #[test]
    fn odd_statuses_and_bodies_never_panic() {
        assert_eq!(fail(409, "{}"), ApiError::Unexpected { status: 409 });
        assert_eq!(
            fail(404, "<html>Not Found</html>"),
            ApiError::Unexpected { status: 404 }
        );
        assert_eq!(fail(418, ""), ApiError::Unexpected { status: 418 });
        assert_eq!(
            fail(400, "{}"),
            ApiError::InvalidRequest {
                message: "the request was not valid".into()
            }
        );
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            let keys = prop_oneof![
                Just("jobId".to_owned()),
                Just("status".to_owned()),
                Just("logs".to_owned()),
                Just("seq".to_owned()),
                Just("progress".to_owned()),
                Just("error".to_owned()),
                Just("code".to_owned()),
                Just("message".to_owned()),
                "[a-zA-Z]{0,6}",
            ];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(keys, inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// The error a status stands for, whatever the body says.
    fn consistent(status: u16, error: &ApiError) -> bool {
        match status {
            401 => *error == ApiError::NotSignedIn,
            403 => *error == ApiError::Forbidden,
            429 => matches!(error, ApiError::RateLimited { .. }),
            500..=599 => {
                matches!(error, ApiError::ServiceUnavailable { status: s, .. } if *s == status)
            }
            200..=299 => matches!(error, ApiError::Decode { .. }),
            _ => true,
        }
    }

    proptest! {
        #[test]
        fn any_bytes_any_status_any_retry_after_never_panic(
            status in 0u16..1000,
            body in proptest::collection::vec(any::<u8>(), 0..200),
            retry_after in proptest::option::of(".{0,12}"),
        ) {
            let body = String::from_utf8_lossy(&body);
            let result = interpret(RawResponse { status, retry_after: retry_after.as_deref(), body: &body, received_ms: NOW_MS });
            if let Err(error) = result {
                prop_assert!(consistent(status, &error), "{status}: {error:?}");
                prop_assert!(!error.to_string().is_empty());
                if let Some(ms) = error.retry_after_ms() {
                    prop_assert!(ms <= MAX_RETRY_AFTER_MS);
                }
            }
        }

        #[test]
        fn any_json_any_status_never_panics(status in 0u16..1000, json in any_json()) {
            let body = json.to_string();
            let result = interpret(raw(status, &body));
            match result {
                Ok(_) => prop_assert!((200..300).contains(&status), "only a 2xx is a job"),
                Err(error) => prop_assert!(consistent(status, &error), "{status}: {error:?}"),
            }
        }

        #[test]
        fn any_error_body_is_classified(
            status in prop_oneof![
                prop::sample::select(vec![400u16, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
                400u16..600,
            ],
            code in prop_oneof![
                prop::sample::select(CONTRACT_CODES.to_vec()).prop_map(str::to_owned),
                ".{0,20}",
            ],
            message in ".{0,40}",
            job_id in proptest::option::of(".{0,12}"),
        ) {
            let mut error = serde_json::json!({"code": code, "message": message});
            if let Some(id) = &job_id {
                error["jobId"] = serde_json::json!(id);
            }
            let body = serde_json::json!({ "error": error }).to_string();
            let got = interpret(raw(status, &body)).unwrap_err();
            let expected = class_of(status, &code, &message, job_id.as_deref());
            prop_assert_eq!(got, expected, "{} {:?}", status, code);
        }
    }

    /// Every error code docs/provisioning-api.md names.
    const CONTRACT_CODES: [&str; 8] = [
        "invalid_tenant_id",
        "invalid_request",
        "unauthenticated",
        "forbidden",
        "tenant_not_found",
        "job_not_found",
        "job_in_progress",
        "rate_limited",
    ];

    /// The error an Error body stands for, read from docs/provisioning-api.md:
    /// 401 and 403 whatever the code; 404 by its code (`tenant_not_found`,
    /// `job_not_found`); 409 by its `jobId`; 400 and 422 with the message
    /// shown; 429; 5xx; any other answer is unexpected.
    fn class_of(status: u16, code: &str, message: &str, job_id: Option<&str>) -> ApiError {
        match (status, code) {
            (401, _) => ApiError::NotSignedIn,
            (403, _) => ApiError::Forbidden,
            (404, "tenant_not_found") => ApiError::TenantNotFound,
            (404, "job_not_found") => ApiError::JobNotFound,
            (409, _) => match job_id {
                Some(id) if !id.is_empty() => ApiError::JobInProgress {
                    job_id: id.to_owned(),
                },
                _ => ApiError::Unexpected { status },
            },
            (400 | 422, _) if message.trim().is_empty() => ApiError::InvalidRequest {
                message: "the request was not valid".to_owned(),
            },
            (400 | 422, _) => ApiError::InvalidRequest {
                message: message.to_owned(),
            },
            (429, _) => ApiError::RateLimited {
                retry_after_ms: None,
            },
            (500..=599, _) => ApiError::ServiceUnavailable {
                status,
                retry_after_ms: None,
            },
            _ => ApiError::Unexpected { status },
        }
    }

    #[test]
    fn messages_for_people_never_name_a_status_code() {
        for status in [400, 401, 403, 404, 409, 418, 429, 500, 502, 503] {
            let message = fail(status, "").to_string();
            assert!(
                !message.contains(&status.to_string()),
                "{status}: {message}"
            );
        }
    }
}
