//! A local Store Provisioning Service that honours the contract
//! (`docs/provisioning-api.md`, `docs/openapi.yaml`; its types are the
//! `provisioning-contract` crate), with reproducible scenarios chosen by tenant
//! id (see [`scenario::CATALOGUE`]). It can also serve a built `dist/` with
//! an SPA fallback, so a release build of the portal runs from one process.

pub mod events;
pub mod jobs;
pub mod scenario;
pub mod simulation;
pub mod terminal_captures;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use provisioning_contract::{paths, ErrorBody, ErrorCode, ProvisionRequest, TenantId};
use serde::Deserialize;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

use jobs::{Jobs, StartOutcome};
use scenario::{Scenario, SLOW_RESPONSE_MS};

/// Where the service reads the time: the real clock, or one a test moves.
#[derive(Clone)]
pub enum Clock {
    Real {
        started: Instant,
        started_wall: SystemTime,
    },
    Manual(Arc<AtomicU64>),
}

impl Clock {
    pub fn real() -> Self {
        Self::Real {
            started: Instant::now(),
            started_wall: SystemTime::now(),
        }
    }

    /// Milliseconds since the service started.
    pub fn now_ms(&self) -> u64 {
        match self {
            Self::Real { started, .. } => started.elapsed().as_millis() as u64,
            Self::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }

    /// An RFC 3339 time (UTC, milliseconds) for a clock reading.
    pub fn wall(&self, ms: u64) -> String {
        let origin = match self {
            Self::Real { started_wall, .. } => *started_wall,
            Self::Manual(_) => SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000),
        };
        humantime::format_rfc3339_millis(origin + Duration::from_millis(ms)).to_string()
    }
}

/// Settings a test or the command line chooses.
#[derive(Clone)]
pub struct Config {
    /// How long each simulated step takes.
    pub step_ms: u64,
    /// A built portal to serve with an SPA fallback.
    pub dist: Option<PathBuf>,
    /// A service-wide limit on new jobs a second: a POST over it is
    /// answered 429 with `Retry-After: 1`.
    pub new_jobs_per_second: Option<u32>,
    /// The events endpoint streams (else every job answers it as a
    /// service without streams: 404 `not_found`).
    pub streams: bool,
}

#[derive(Clone)]
pub struct AppState {
    jobs: Arc<Mutex<Jobs>>,
    /// `POST /provision/store` requests received, by the body's `tenantId`
    /// (refused ones too): what `GET /dev/requests/{tenantId}` tells tests.
    posts: Arc<Mutex<std::collections::HashMap<String, u64>>>,
    clock: Clock,
    config: Config,
}

impl AppState {
    pub fn new(config: Config, clock: Clock) -> Self {
        let mut jobs = Jobs::default();
        jobs.new_jobs_per_second = config.new_jobs_per_second;
        Self {
            jobs: Arc::new(Mutex::new(jobs)),
            posts: Arc::default(),
            clock,
            config,
        }
    }

    /// Counts a POST for the tenant its body names ("" when it names none).
    fn count_post(&self, request: Option<&serde_json::Value>) {
        let tenant = request
            .and_then(|v| v.get("tenantId"))
            .and_then(|t| t.as_str())
            .unwrap_or_default();
        *self
            .posts
            .lock()
            .unwrap()
            .entry(tenant.to_owned())
            .or_default() += 1;
    }
}

/// The whole service: the API, the dev sign-in page, CORS, request logs and,
/// when configured, the static portal.
pub fn router(state: AppState) -> Router {
    let dist = state.config.dist.clone();
    let api = Router::new()
        .route(paths::PROVISION_STORE, post(provision_store))
        .route(
            &format!("{}{{job_id}}", paths::PROVISION_STATUS_PREFIX),
            get(provision_status),
        )
        .route(&events::route(), get(events::provision_events))
        .route("/dev/sign-in", get(dev_sign_in))
        .route("/dev/jobs/{tenant_id}", get(dev_jobs))
        .route("/dev/requests/{tenant_id}", get(dev_requests))
        .route("/dev/stats", get(dev_stats))
        .route("/dev/streams/{tenant_id}", get(dev_streams))
        .with_state(state);
    let app = match dist {
        Some(dist) => {
            // A missing hashed asset is a 404, as nginx answers it (a
            // client must not take index.html for a chunk); any other path
            // is a page of the app.
            let assets = ServeDir::new(&dist);
            let pages = ServeDir::new(&dist).fallback(ServeFile::new(dist.join("index.html")));
            api.fallback(move |request: axum::extract::Request| {
                let (assets, pages) = (assets.clone(), pages.clone());
                async move {
                    use tower::ServiceExt;
                    if request.uri().path().starts_with("/provision/") {
                        unknown_route()
                    } else if is_hashed_asset(request.uri().path()) {
                        assets.oneshot(request).await.into_response()
                    } else {
                        pages.oneshot(request).await.into_response()
                    }
                }
            })
        }
        None => api.fallback(|| async { unknown_route() }),
    };
    app.layer(cors()).layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
            .on_request(())
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
    )
}

/// A build's content-hashed file: `name-<8 to 16 hex digits>[_bg].(wasm|js|css|svg)`.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, extension)) = file.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hash = stem.rsplit_once('-').map_or("", |(_, hash)| hash);
    matches!(extension, "wasm" | "js" | "css" | "svg")
        && (8..=16).contains(&hash.len())
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The wasm test page is served from another local port: let it call us.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

fn error(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    (status, axum::Json(ErrorBody::new(code, message))).into_response()
}

/// 404 `job_not_found`: the status and events endpoints' answer for a job
/// the service does not know (any more).
fn job_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        ErrorCode::JobNotFound,
        "This job is unknown or has expired.",
    )
}

/// 401 for the token `expired`, and for the `signout` scenario's third request.
fn token_expired() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
        "The token has expired.",
    )
}

/// An unknown route of the API: 404 with the generic code `not_found`.
/// (The events endpoint answers so for the scenarios that do not stream,
/// as a service without streams would.)
fn unknown_route() -> Response {
    error(
        StatusCode::NOT_FOUND,
        ErrorCode::Other("not_found".to_owned()),
        "There is no such route.",
    )
}

fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// `Retry-After` as an HTTP-date (RFC 9110's IMF-fixdate), the way proxies
/// and CDNs send it. Wall time, not the service's clock: the browser
/// compares it with its own.
fn with_retry_after_date(mut response: Response, at: SystemTime) -> Response {
    let date = httpdate::fmt_http_date(at);
    if let Ok(value) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// `None` when the request carries a usable bearer token; the 401 otherwise.
/// The token `expired` stands for one the portal has to refresh.
fn refuse_unauthenticated(headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    match token {
        "" => Some(error(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "A bearer token is required.",
        )),
        "expired" => Some(token_expired()),
        _ => None,
    }
}

async fn slow_down(scenario: Scenario) {
    if scenario == Scenario::Slow {
        tokio::time::sleep(Duration::from_millis(SLOW_RESPONSE_MS)).await;
    }
}

async fn provision_store(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let request = serde_json::from_str::<serde_json::Value>(&body).ok();
    state.count_post(request.as_ref());
    if let Some(refusal) = refuse_unauthenticated(&headers) {
        return refusal;
    }
    let Some(request) = request else {
        return error(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRequest,
            "The body must be JSON.",
        );
    };
    let Ok(ProvisionRequest { tenant_id }) = ProvisionRequest::deserialize(&request) else {
        return error(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRequest,
            "tenantId is required.",
        );
    };
    if let Err(why) = TenantId::parse(&tenant_id) {
        return error(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidTenantId,
            &why.to_string(),
        );
    }
    let tenant_id = tenant_id.as_str();
    let scenario = Scenario::for_tenant(tenant_id);
    slow_down(scenario).await;
    match scenario {
        Scenario::Missing => {
            return error(
                StatusCode::NOT_FOUND,
                ErrorCode::TenantNotFound,
                &format!("There is no tenant {tenant_id}."),
            )
        }
        Scenario::Forbidden => {
            return error(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "You may not provision stores for this tenant.",
            )
        }
        _ => {}
    }
    let key = headers
        .get(paths::IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok());
    let now = state.clock.now_ms();
    // One lock for starting the job and reading it back: nothing runs in between.
    let mut jobs = state.jobs.lock().unwrap();
    match jobs.start(tenant_id, key, now, state.config.step_ms) {
        StartOutcome::Started(id) => {
            let job = jobs.get(&id).expect("a started job is kept");
            let body = job.to_json(now, 0, &|ms| state.clock.wall(ms));
            (StatusCode::ACCEPTED, axum::Json(body)).into_response()
        }
        StartOutcome::InProgress(id) => (
            StatusCode::CONFLICT,
            axum::Json(ErrorBody::job_in_progress(
                format!("Tenant {tenant_id} already has a job running"),
                id,
            )),
        )
            .into_response(),
        StartOutcome::AnswerLost(_) => connection_dropped(),
        StartOutcome::Throttled => with_retry_after(
            error(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "The service takes only so many new jobs a second; slow down.",
            ),
            1,
        ),
        StartOutcome::RateLimited => {
            let limited = error(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "Too many requests; slow down.",
            );
            if scenario == Scenario::RateDate {
                with_retry_after_date(limited, SystemTime::now() + Duration::from_secs(3))
            } else {
                with_retry_after(limited, 2)
            }
        }
    }
}

/// A response whose body fails after the headers: the server closes the
/// connection mid-answer, and the client sees a network error.
fn connection_dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<axum::body::Bytes, _>(std::io::Error::other("connection dropped (dev scenario)"))
    });
    (
        StatusCode::ACCEPTED,
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from_stream(failing),
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusQuery {
    logs_after: Option<u64>,
}

const BAD_GATEWAY_PAGE: &str =
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";

async fn provision_status(
    State(state): State<AppState>,
    Path(job_id): Path<String>,
    Query(query): Query<StatusQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refuse_unauthenticated(&headers) {
        return refusal;
    }
    let now = state.clock.now_ms();
    let (scenario, poll, requests, body) = {
        let mut jobs = state.jobs.lock().unwrap();
        let Some(job) = jobs.get_mut(&job_id) else {
            return job_not_found();
        };
        job.polls += 1;
        // `expire` and `signout` count stream requests too: "request 3".
        let (scenario, poll, requests) = (job.plan.scenario, job.polls, job.requests());
        if scenario == Scenario::Expire && requests >= 3 {
            jobs.remove(&job_id);
            return job_not_found();
        }
        let job = jobs.get(&job_id).expect("checked above");
        (
            scenario,
            poll,
            requests,
            job.to_json(now, query.logs_after.unwrap_or(0), &|ms| {
                state.clock.wall(ms)
            }),
        )
    };
    slow_down(scenario).await;
    match (scenario, poll) {
        (Scenario::Html5xx, 3..=5) => {
            (StatusCode::BAD_GATEWAY, Html(BAD_GATEWAY_PAGE)).into_response()
        }
        (Scenario::Html5xx, 6) => with_retry_after(
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html("<html><body><h1>Service Unavailable</h1></body></html>"),
            )
                .into_response(),
            2,
        ),
        (Scenario::Malformed, 2) => {
            let text = body.to_string();
            let cut = text.len() / 2;
            let cut = (0..=cut)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            json_text(text[..cut].to_owned())
        }
        (Scenario::Malformed, 4) => json_text("{status: processing, oops".to_owned()),
        (Scenario::RateLimit, 2) => with_retry_after(
            error(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "Too many requests; slow down.",
            ),
            1,
        ),
        (Scenario::Signout, _) if requests >= 3 => token_expired(),
        _ => (StatusCode::OK, axum::Json(body)).into_response(),
    }
}

fn json_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

#[derive(Deserialize)]
struct SignInQuery {
    token: Option<String>,
    next: Option<String>,
}

/// Development only: stores a token in the portal origin's localStorage, as
/// the real portal's login page would, then opens `next`.
async fn dev_sign_in(Query(query): Query<SignInQuery>) -> Response {
    let token = query.token.unwrap_or_else(|| "dev-token".to_owned());
    let next = query
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or_else(|| "/tenants".to_owned());
    let page = format!(
        "<!doctype html><meta charset=utf-8><title>Dev sign-in</title>\
         <p>Signing in with a development token…</p>\
         <script>localStorage.setItem('token', {token});location.replace({next});</script>",
        token = serde_json::to_string(&token)
            .unwrap()
            .replace('<', "\\u003c"),
        next = serde_json::to_string(&next)
            .unwrap()
            .replace('<', "\\u003c"),
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(page)).into_response()
}

/// How many `POST /provision/store` requests named this tenant.
async fn dev_requests(State(state): State<AppState>, Path(tenant_id): Path<String>) -> Response {
    let posts = state
        .posts
        .lock()
        .unwrap()
        .get(&tenant_id)
        .copied()
        .unwrap_or(0);
    axum::Json(json!({"tenantId": tenant_id, "posts": posts})).into_response()
}

#[derive(Deserialize)]
struct StatsQuery {
    tenants: Option<String>,
}

/// Development only: what the jobs of tenants whose ids contain `tenants`
/// came to (how many, the most running at once, POSTs refused by the
/// service-wide limit, status requests answered, streams opened and still
/// open), so a batch's tests can check its pace.
async fn dev_stats(State(state): State<AppState>, Query(query): Query<StatsQuery>) -> Response {
    let part = query.tenants.unwrap_or_default();
    let stats = state.jobs.lock().unwrap().stats(&part);
    axum::Json(stats).into_response()
}

/// Development only: the streams of a tenant's jobs: `opened`, how many
/// were answered 200, and `open`, how many of those the client still reads
/// (a stream's count drops when its body is dropped: it ended, or the
/// client went away). An end-to-end test proves with it that leaving a
/// page closed its stream.
async fn dev_streams(State(state): State<AppState>, Path(tenant_id): Path<String>) -> Response {
    let count = state.jobs.lock().unwrap().streams(&tenant_id);
    axum::Json(json!({"tenantId": tenant_id, "opened": count.opened, "open": count.open}))
        .into_response()
}

/// Development only: the ids of every job a tenant has started, oldest
/// first, so tests can count the jobs a user action created.
async fn dev_jobs(State(state): State<AppState>, Path(tenant_id): Path<String>) -> Response {
    let jobs = state.jobs.lock().unwrap().ids_for_tenant(&tenant_id);
    axum::Json(json!({"tenantId": tenant_id, "jobs": jobs})).into_response()
}

#[cfg(test)]
mod hashed_asset_tests {
    use super::is_hashed_asset;

    #[test]
    fn hashed_assets_are_told_from_pages() {
        for asset in [
            "/store-portal-b959ba9453f542ef_bg.wasm",
            "/admin/provisioning/split_batch_panel-6cb1a8e0b00e99a4.wasm",
            "/style-8bb40521ac9db0d5.css",
            "/favicon-running-af60ebc75e52a2bc.svg",
            "/boot-9a5e7a2c.js",
        ] {
            assert!(is_hashed_asset(asset), "{asset}");
        }
        for page in [
            "/tenants/acme-shoes",
            "/tenants/acme-deadbeef12",
            "/index.html",
            "/boot.js",
            "/store-portal-B959BA9453F542EF.js",
            "/x-1234567.js",
            "/regex-worker.js",
        ] {
            assert!(!is_hashed_asset(page), "{page}");
        }
    }
}
