//! The browser side of the API: one request function that adds the bearer
//! token (read at each request) and the headers, aborts after a timeout, and
//! turns every outcome into a value or an [`ApiError`].

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use gloo_timers::callback::Timeout;

use super::contract::{Job, ProvisionRequest, TenantId};
use super::endpoints::ApiBase;
use super::error::ApiError;
use super::job_page::JobPage;
use super::response::{interpret, interpret_page, RawResponse};

/// The localStorage key the portal's login page writes the token under.
pub const TOKEN_KEY: &str = "token";
/// A request that has not answered by then is abandoned.
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;
/// The current token: read on every request, since the portal refreshes it.
pub fn read_token() -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    storage
        .get_item(TOKEN_KEY)
        .ok()?
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// Starts provisioning `tenant`. The same `idempotency_key` on a retry
/// returns the job the first attempt created.
pub async fn provision_store(
    base: &ApiBase,
    tenant: &TenantId,
    idempotency_key: &str,
) -> Result<Job, ApiError> {
    let body = serde_json::to_string(&ProvisionRequest {
        tenant_id: tenant.as_str(),
    })
    .expect("a request body always serializes");
    send(
        Method::POST,
        &base.provision_store(),
        Some(body),
        Some(idempotency_key),
    )
    .await
}

/// Reads a job, with only the log lines after `logs_after`; its lines are
/// left to be read a slice at a time.
pub async fn get_provisioning_status_page(
    base: &ApiBase,
    job_id: &str,
    logs_after: Option<u64>,
) -> Result<JobPage, ApiError> {
    let url = base.provision_status(job_id, logs_after);
    let answer = fetch(Method::GET, &url, None, None).await?;
    interpret_page(
        answer.status,
        answer.retry_after.as_deref(),
        answer.body,
        answer.received_ms,
    )
}

/// Reads a job, with only the log lines after `logs_after`, all at once.
pub async fn get_provisioning_status(
    base: &ApiBase,
    job_id: &str,
    logs_after: Option<u64>,
) -> Result<Job, ApiError> {
    get_provisioning_status_page(base, job_id, logs_after)
        .await?
        .into_job()
}

async fn send(
    method: Method,
    url: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<Job, ApiError> {
    let answer = fetch(method, url, body, idempotency_key).await?;
    interpret(RawResponse {
        status: answer.status,
        retry_after: answer.retry_after.as_deref(),
        body: &answer.body,
        received_ms: answer.received_ms,
    })
}

/// What came back, before it is interpreted.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: String,
    /// When the answer's head came (an HTTP-date `Retry-After` counts from then).
    received_ms: f64,
}

async fn fetch(
    method: Method,
    url: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<Answer, ApiError> {
    let token = read_token().ok_or(ApiError::NotSignedIn)?;
    let controller = web_sys::AbortController::new().ok();
    let timed_out = Rc::new(Cell::new(false));
    let _deadline = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        Timeout::new(REQUEST_TIMEOUT_MS, move || {
            timed_out.set(true);
            if let Some(controller) = controller {
                controller.abort();
            }
        })
    };
    let signal = controller.as_ref().map(|c| c.signal());
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    if let Some(key) = idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let failed = || {
        if timed_out.get() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    let response = request.send().await.map_err(|_| failed())?;
    let received_ms = js_sys::Date::now();
    let retry_after = response.headers().get("retry-after");
    // Bytes, not text: a copy into wasm memory instead of a conversion from
    // a JS string, which for a page of many log lines is the slower one.
    let bytes = response.binary().await.map_err(|_| failed())?;
    let body = String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    Ok(Answer {
        status: response.status(),
        retry_after,
        body,
        received_ms,
    })
}
