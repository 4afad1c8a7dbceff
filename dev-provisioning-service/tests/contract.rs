//! The dev service against the contract (`docs/provisioning-api.md`): every
//! status code, field and header the portal relies on, with a clock the
//! tests move. Every answer to a contract request is also checked against
//! `docs/openapi.yaml` (its status documented, its JSON valid against the
//! documented schema), so the document cannot drift from what is sent.

#[path = "contract/openapi.rs"]
mod openapi;

#[path = "contract/events.rs"]
mod events;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use dev_provisioning_service::{router, AppState, Clock, Config};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const STEP_MS: u64 = 1_000;

struct Service {
    app: axum::Router,
    now: Arc<AtomicU64>,
    /// Whether answers are checked against `docs/openapi.yaml`: not for a
    /// scenario that breaks the contract on purpose.
    checks_contract: bool,
}

struct Reply {
    status: StatusCode,
    retry_after: Option<String>,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap().to_owned()
    }
}

impl Service {
    fn new() -> Self {
        Self::with(None, None)
    }

    fn with_dist(dist: Option<std::path::PathBuf>) -> Self {
        Self::with(dist, None)
    }

    fn with(dist: Option<std::path::PathBuf>, new_jobs_per_second: Option<u32>) -> Self {
        Self::configured(Config {
            step_ms: STEP_MS,
            dist,
            new_jobs_per_second,
            streams: true,
        })
    }

    /// Started with `--no-streams`.
    fn without_streams() -> Self {
        Self::configured(Config {
            step_ms: STEP_MS,
            dist: None,
            new_jobs_per_second: None,
            streams: false,
        })
    }

    fn configured(config: Config) -> Self {
        let now = Arc::new(AtomicU64::new(0));
        let state = AppState::new(config, Clock::Manual(now.clone()));
        Self {
            app: router(state),
            now,
            checks_contract: true,
        }
    }

    /// A service whose scenario sends what the contract forbids.
    fn bending() -> Self {
        Self {
            checks_contract: false,
            ..Self::new()
        }
    }

    fn advance(&self, ms: u64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let operation = openapi::operation(request.method().as_str(), &request.uri().to_string());
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let retry_after = header_text(header::RETRY_AFTER);
        let content_type = header_text(header::CONTENT_TYPE).unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let (Some((path, method)), true) = (operation, self.checks_contract) {
            if let Err(mismatch) =
                openapi::check(path, method, status.as_u16(), &content_type, &text)
            {
                panic!("the answer is not what docs/openapi.yaml documents: {mismatch}");
            }
        }
        Reply {
            status,
            retry_after,
            text,
        }
    }

    async fn post(&self, tenant: &str, key: Option<&str>) -> Reply {
        let mut request = Request::post("/provision/store")
            .header(header::AUTHORIZATION, "Bearer test-token")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        self.send(
            request
                .body(Body::from(json!({"tenantId": tenant}).to_string()))
                .unwrap(),
        )
        .await
    }

    async fn status(&self, job_id: &str, logs_after: Option<u64>) -> Reply {
        let uri = match logs_after {
            Some(seq) => format!("/provision/status/{job_id}?logsAfter={seq}"),
            None => format!("/provision/status/{job_id}"),
        };
        let request = Request::get(uri).header(header::AUTHORIZATION, "Bearer test-token");
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn start(&self, tenant: &str) -> String {
        let reply = self.post(tenant, None).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text);
        reply.json()["jobId"].as_str().unwrap().to_owned()
    }
}

fn seqs(job: &Value) -> Vec<u64> {
    job["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["seq"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn post_answers_202_with_a_queued_job_in_the_contract_shape() {
    let service = Service::new();
    let reply = service.post("acme-shoes", None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let job = reply.json();
    assert_eq!(job["status"], "queued");
    assert_eq!(job["tenantId"], "acme-shoes");
    assert!(job["jobId"].as_str().unwrap().starts_with("job_"));
    for field in ["createdAt", "updatedAt"] {
        assert!(
            job[field].as_str().unwrap().ends_with('Z'),
            "{field}: {}",
            job[field]
        );
    }
    assert!(job["storeUrl"].is_null());
    assert!(job["error"].is_null());
    assert_eq!(job["logs"], json!([]));
}

#[tokio::test]
async fn a_job_advances_with_time_to_deployed_with_a_store_url() {
    let service = Service::new();
    let id = service.start("acme-shoes").await;
    service.advance(STEP_MS / 2 + 2_500);
    let job = service.status(&id, None).await.json();
    assert_eq!(job["status"], "processing");
    assert_eq!(
        job["progress"],
        json!({"step": 3, "totalSteps": 7, "label": "Seeding catalog"})
    );
    service.advance(10 * STEP_MS);
    let job = service.status(&id, None).await.json();
    assert_eq!(job["status"], "deployed");
    assert_eq!(job["storeUrl"], "https://acme-shoes.shop.example.test/");
    assert_eq!(seqs(&job), (1..=28).collect::<Vec<_>>());
    let levels: Vec<&str> = job["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["level"].as_str().unwrap())
        .collect();
    assert!(levels.contains(&"warn") && levels.contains(&"debug"));
}

#[tokio::test]
async fn logs_after_returns_only_newer_lines() {
    let service = Service::new();
    let id = service.start("acme-shoes").await;
    service.advance(20 * STEP_MS);
    assert_eq!(
        seqs(&service.status(&id, Some(25)).await.json()),
        vec![26, 27, 28]
    );
    assert_eq!(
        seqs(&service.status(&id, Some(28)).await.json()),
        Vec::<u64>::new()
    );
}

#[tokio::test]
async fn a_repeated_idempotency_key_returns_the_first_job() {
    let service = Service::new();
    let first = service.post("acme-shoes", Some("key-1")).await;
    let again = service.post("acme-shoes", Some("key-1")).await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    assert_eq!(first.json()["jobId"], again.json()["jobId"]);
    let other_tenant = service.post("acme-boots", Some("key-1")).await;
    assert_eq!(other_tenant.status, StatusCode::ACCEPTED);
    assert_ne!(
        other_tenant.json()["jobId"],
        first.json()["jobId"],
        "keys are scoped to the tenant"
    );
}

#[tokio::test]
async fn dev_jobs_lists_the_jobs_a_tenant_started() {
    let service = Service::new();
    let first = service.start("acme-shoes").await;
    service.post("acme-shoes", None).await; // 409: no new job
    let reply = service
        .send(
            Request::get("/dev/jobs/acme-shoes")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.json()["jobs"], json!([first]));
}

#[tokio::test]
async fn dev_requests_counts_the_posts_naming_a_tenant_refused_or_not() {
    let service = Service::new();
    let posts = || {
        Request::get("/dev/requests/acme-shoes")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(service.send(posts()).await.json()["posts"], json!(0));
    service.start("acme-shoes").await;
    service.post("acme-shoes", None).await; // 409
    let unsigned = Request::post("/provision/store")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"tenantId":"acme-shoes"}"#))
        .unwrap();
    assert_eq!(
        service.send(unsigned).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(service.send(posts()).await.json()["posts"], json!(3));
}

#[tokio::test]
async fn a_second_post_while_a_job_runs_answers_409_with_its_id() {
    let service = Service::new();
    let id = service.start("acme-shoes").await;
    let reply = service.post("acme-shoes", Some("another-key")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error_code(), "job_in_progress");
    assert_eq!(reply.json()["error"]["jobId"], id.as_str());
    service.advance(20 * STEP_MS);
    assert_eq!(
        service.post("acme-shoes", None).await.status,
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn requests_without_a_usable_bearer_token_answer_401() {
    let service = Service::new();
    let request = Request::post("/provision/store")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"tenantId":"acme"}"#))
        .unwrap();
    let reply = service.send(request).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    let request = Request::get("/provision/status/job_1")
        .header(header::AUTHORIZATION, "Bearer expired")
        .body(Body::empty())
        .unwrap();
    assert_eq!(service.send(request).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_bodies_and_tenant_ids_answer_400() {
    let service = Service::new();
    for bad in ["-acme", "acme-", "Acme", "", &"a".repeat(64), "acme_shoes"] {
        let reply = service.post(bad, None).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (StatusCode::BAD_REQUEST, "invalid_tenant_id"),
            "{bad:?}"
        );
    }
    assert_eq!(
        service.post(&"a".repeat(63), None).await.status,
        StatusCode::ACCEPTED
    );
    let request = Request::post("/provision/store")
        .header(header::AUTHORIZATION, "Bearer t")
        .body(Body::from("not json"))
        .unwrap();
    assert_eq!(service.send(request).await.error_code(), "invalid_request");
}

#[tokio::test]
async fn unknown_and_forbidden_tenants() {
    let service = Service::new();
    let reply = service.post("missing-acme", None).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::NOT_FOUND, "tenant_not_found")
    );
    let reply = service.post("forbidden-acme", None).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
}

#[tokio::test]
async fn an_unknown_job_answers_404_job_not_found() {
    let service = Service::new();
    let reply = service.status("job_nope", None).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::NOT_FOUND, "job_not_found")
    );
}

#[tokio::test]
async fn fail_scenario_fails_once_with_an_error_then_succeeds() {
    let service = Service::new();
    let id = service.start("fail-acme").await;
    service.advance(20 * STEP_MS);
    let job = service.status(&id, None).await.json();
    assert_eq!(job["status"], "failed");
    assert_eq!(job["error"]["code"], "payment_setup_failed");
    assert!(job["storeUrl"].is_null());
    let second = service.start("fail-acme").await;
    service.advance(20 * STEP_MS);
    assert_eq!(
        service.status(&second, None).await.json()["status"],
        "deployed"
    );
}

#[tokio::test]
async fn html5xx_scenario_sends_a_burst_of_html_errors_then_recovers() {
    let service = Service::new();
    let id = service.start("html5xx-acme").await;
    let statuses: Vec<(u16, bool, Option<String>)> = futures_statuses(&service, &id, 7).await;
    assert_eq!(statuses[0].0, 200);
    assert_eq!(statuses[2], (502, true, None));
    assert_eq!(statuses[4], (502, true, None));
    assert_eq!(statuses[5], (503, true, Some("2".into())));
    assert_eq!(statuses[6].0, 200);
}

async fn futures_statuses(
    service: &Service,
    id: &str,
    n: usize,
) -> Vec<(u16, bool, Option<String>)> {
    let mut out = Vec::new();
    for _ in 0..n {
        let reply = service.status(id, None).await;
        out.push((
            reply.status.as_u16(),
            reply.text.starts_with("<html>"),
            reply.retry_after,
        ));
    }
    out
}

#[tokio::test]
async fn malformed_scenario_sends_truncated_and_invalid_json() {
    let service = Service::bending();
    let id = service.start("malformed-acme").await;
    service.advance(3 * STEP_MS);
    let bodies: Vec<Reply> = {
        let mut v = Vec::new();
        for _ in 0..5 {
            v.push(service.status(&id, None).await);
        }
        v
    };
    assert!(serde_json::from_str::<Value>(&bodies[0].text).is_ok());
    assert_eq!(bodies[1].status, StatusCode::OK);
    assert!(
        serde_json::from_str::<Value>(&bodies[1].text).is_err(),
        "poll 2 must be truncated"
    );
    assert!(bodies[1].text.starts_with("{\""));
    assert!(serde_json::from_str::<Value>(&bodies[3].text).is_err());
    assert!(serde_json::from_str::<Value>(&bodies[4].text).is_ok());
}

#[tokio::test]
async fn ratelimit_scenario_answers_429_with_retry_after() {
    let service = Service::new();
    let reply = service.post("ratelimit-acme", None).await;
    assert_eq!(
        (reply.status, reply.retry_after.as_deref()),
        (StatusCode::TOO_MANY_REQUESTS, Some("2"))
    );
    assert_eq!(reply.error_code(), "rate_limited");
    let id = service.start("ratelimit-acme").await;
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
    let reply = service.status(&id, None).await;
    assert_eq!(
        (reply.status, reply.retry_after.as_deref()),
        (StatusCode::TOO_MANY_REQUESTS, Some("1"))
    );
}

#[tokio::test]
async fn expire_scenario_forgets_the_job() {
    let service = Service::new();
    let id = service.start("expire-acme").await;
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
    assert_eq!(
        service.status(&id, None).await.error_code(),
        "job_not_found"
    );
    assert_eq!(
        service.status(&id, None).await.error_code(),
        "job_not_found"
    );
}

#[tokio::test]
async fn huge_scenario_writes_more_than_100000_lines() {
    let service = Service::new();
    let id = service.start("huge-acme").await;
    service.advance(20 * STEP_MS);
    let job = service.status(&id, Some(100_000)).await.json();
    assert_eq!(job["status"], "deployed");
    let seqs = seqs(&job);
    assert_eq!(seqs.first(), Some(&100_001));
    assert!(seqs.len() > 10_000);
}

#[tokio::test]
async fn hostile_scenario_sends_html_and_ansi_text_as_plain_json_strings() {
    let service = Service::new();
    let id = service.start("hostile-acme").await;
    service.advance(20 * STEP_MS);
    let job = service.status(&id, None).await.json();
    let messages: Vec<&str> = job["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert!(messages.iter().any(|m| m.contains("<script>")));
    assert!(messages.iter().any(|m| m.contains("\u{1b}[32m")));
    assert!(messages.iter().any(|m| m.chars().count() > 20_000));
}

#[tokio::test]
async fn dupes_scenario_ignores_logs_after() {
    let service = Service::new();
    let id = service.start("dupes-acme").await;
    service.advance(3 * STEP_MS);
    let job = service.status(&id, Some(5)).await.json();
    assert_eq!(seqs(&job)[0], 1);
}

#[tokio::test]
async fn weird_scenario_sends_unknown_statuses_and_fields_without_progress() {
    let service = Service::new();
    let id = service.start("weird-acme").await;
    service.advance(STEP_MS);
    let job = service.status(&id, None).await.json();
    assert_eq!(job["status"], "warming_up");
    assert!(job.get("progress").is_none());
    assert_eq!(job["region"], "eu-west-1");
}

#[tokio::test]
async fn busy_scenario_answers_409_to_the_first_post() {
    let service = Service::new();
    let reply = service.post("busy-acme", None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let id = reply.json()["error"]["jobId"].as_str().unwrap().to_owned();
    assert_eq!(
        service.status(&id, None).await.json()["tenantId"],
        "busy-acme"
    );
}

#[tokio::test]
async fn signout_scenario_refuses_the_token_from_poll_three() {
    let service = Service::new();
    let id = service.start("signout-acme").await;
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
    assert_eq!(
        service.status(&id, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn dropped_scenario_starts_the_job_but_loses_the_first_answer() {
    let service = Service::new();
    let request = Request::post("/provision/store")
        .header(header::AUTHORIZATION, "Bearer test-token")
        .header(header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", "k-dropped")
        .body(Body::from(r#"{"tenantId":"dropped-acme"}"#))
        .unwrap();
    let response = service.app.clone().oneshot(request).await.unwrap();
    assert!(
        response.into_body().collect().await.is_err(),
        "the body breaks off"
    );
    let jobs = service
        .send(
            Request::get("/dev/jobs/dropped-acme")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    assert_eq!(jobs["jobs"].as_array().unwrap().len(), 1, "the job started");
    let retry = service.post("dropped-acme", Some("k-dropped")).await;
    assert_eq!(retry.status, StatusCode::ACCEPTED);
    assert_eq!(retry.json()["jobId"], jobs["jobs"][0]);
}

#[tokio::test]
async fn cors_preflight_allows_the_headers_the_portal_sends() {
    let service = Service::new();
    let request = Request::options("/provision/store")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type,idempotency-key",
        )
        .body(Body::empty())
        .unwrap();
    let response = service.app.clone().oneshot(request).await.unwrap();
    assert!(response.status().is_success());
    let headers = response.headers();
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://127.0.0.1:9999"
    );
    let allowed = headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("idempotency-key") && allowed.contains("authorization"));
}

#[tokio::test]
async fn retry_after_is_exposed_to_cross_origin_pages() {
    let service = Service::new();
    let request = Request::post("/provision/store")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .header(header::AUTHORIZATION, "Bearer t")
        .body(Body::from(r#"{"tenantId":"ratelimit-x"}"#))
        .unwrap();
    let response = service.app.clone().oneshot(request).await.unwrap();
    let exposed = response.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"));
}

#[tokio::test]
async fn a_built_portal_is_served_with_an_spa_fallback() {
    let dist = std::env::temp_dir().join(format!("dps-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>portal</title>",
    )
    .unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    let service = Service::with_dist(Some(dist.clone()));
    let deep = service
        .send(
            Request::get("/tenants/acme-shoes")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(deep.status, StatusCode::OK);
    assert!(deep.text.contains("<title>portal</title>"));
    let asset = service
        .send(Request::get("/app.js").body(Body::empty()).unwrap())
        .await;
    assert_eq!(asset.text, "console.log(1)");
    let api = service.status("job_x", None).await;
    assert_eq!(api.error_code(), "job_not_found");
    std::fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn dev_sign_in_stores_the_token_and_redirects_to_a_local_path_only() {
    let service = Service::new();
    let page = service
        .send(
            Request::get("/dev/sign-in?token=abc&next=/tenants/acme-shoes")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page
        .text
        .contains(r#"localStorage.setItem('token', "abc")"#));
    assert!(page
        .text
        .contains(r#"location.replace("/tenants/acme-shoes")"#));
    let page = service
        .send(
            Request::get("/dev/sign-in?next=//evil.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.text.contains(r#"location.replace("/tenants")"#));
}

/// The document's schemas refuse what the contract forbids (so the checks
/// above can fail), and accept every form the contract's types write.
#[test]
fn the_openapi_schemas_refuse_what_the_contract_forbids() {
    use provisioning_contract::{ErrorBody, ErrorCode, Job, JobError, JobStatus, LogLine};
    let job = Job {
        job_id: "job_8f2c1a".into(),
        tenant_id: "acme-shoes".into(),
        status: JobStatus::Deployed,
        created_at: Some("2026-11-23T10:15:00Z".into()),
        updated_at: Some("2026-11-23T10:15:42Z".into()),
        progress: None,
        store_url: Some("https://acme-shoes.shop.example.test/".into()),
        error: None,
        logs: vec![LogLine {
            seq: 1,
            ts: "2026-11-23T10:15:01.120Z".into(),
            level: "info".into(),
            message: "\u{1b}[31m<script>".into(),
        }],
    };
    let good = serde_json::to_value(&job).unwrap();
    let job_schema = openapi::component("Job");
    openapi::validate(&job_schema, &good).unwrap();
    let failed = Job {
        status: JobStatus::Failed,
        store_url: None,
        error: Some(JobError {
            code: "x".into(),
            message: "y".into(),
        }),
        ..job.clone()
    };
    openapi::validate(&job_schema, &serde_json::to_value(&failed).unwrap()).unwrap();
    let mut weird = good.clone();
    weird["status"] = json!("warming_up");
    weird["region"] = json!("eu-west-1");
    openapi::validate(&job_schema, &weird).unwrap();

    type Spoil = fn(&mut Value);
    let bad_jobs: [(&str, Spoil); 7] = [
        ("no jobId", |j| {
            drop(j.as_object_mut().unwrap().remove("jobId"))
        }),
        ("a number for a status", |j| j["status"] = json!(3)),
        ("a tenant id the rule refuses", |j| {
            j["tenantId"] = json!("Acme_Shoes")
        }),
        ("a seq of 0", |j| j["logs"][0]["seq"] = json!(0)),
        ("a seq as text", |j| j["logs"][0]["seq"] = json!("1")),
        ("deployed without a store URL", |j| {
            j["storeUrl"] = Value::Null
        }),
        ("failed without an error", |j| {
            j["status"] = json!("failed");
            j["storeUrl"] = Value::Null;
        }),
    ];
    for (what, spoil) in bad_jobs {
        let mut bad = good.clone();
        spoil(&mut bad);
        assert!(
            openapi::validate(&job_schema, &bad).is_err(),
            "{what} passed"
        );
    }

    let error_schema = openapi::component("Error");
    let in_progress = ErrorBody::job_in_progress("Tenant acme already has a job running", "job_1");
    openapi::validate(&error_schema, &serde_json::to_value(&in_progress).unwrap()).unwrap();
    let mut without_id = serde_json::to_value(&in_progress).unwrap();
    without_id["error"].as_object_mut().unwrap().remove("jobId");
    assert!(
        openapi::validate(&error_schema, &without_id).is_err(),
        "409 without jobId"
    );
    let mut forbidden = serde_json::to_value(ErrorBody::new(ErrorCode::Forbidden, "no")).unwrap();
    openapi::validate(&error_schema, &forbidden).unwrap();
    forbidden["error"]["jobId"] = json!("job_1");
    assert!(
        openapi::validate(&error_schema, &forbidden).is_err(),
        "jobId beside another code"
    );

    // Statuses and media types the document does not list are refused.
    let body = good.to_string();
    assert!(openapi::check("/provision/store", "post", 200, "application/json", &body).is_err());
    assert!(openapi::check("/provision/store", "post", 418, "application/json", &body).is_err());
    assert!(openapi::check("/provision/status/{jobId}", "get", 200, "text/html", "<p>").is_err());
    assert!(openapi::check("/provision/status/{jobId}", "get", 502, "text/html", "<p>").is_ok());
    // A 202's job is queued.
    assert!(openapi::check("/provision/store", "post", 202, "application/json", &body).is_err());
}

#[tokio::test]
async fn a_service_wide_limit_refuses_new_jobs_over_it_and_stats_count_them() {
    let service = Service::with(None, Some(2));
    let stats = || async {
        let request = Request::get("/dev/stats?tenants=lim-")
            .body(Body::empty())
            .unwrap();
        service.send(request).await.json()
    };
    assert_eq!(
        service.post("lim-a", Some("ka")).await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        service.post("lim-b", Some("kb")).await.status,
        StatusCode::ACCEPTED
    );
    let third = service.post("lim-c", Some("kc")).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.retry_after.as_deref(), Some("1"));
    assert_eq!(third.error_code(), "rate_limited");
    // A repeat with a known key is no new job: not counted against the limit.
    assert_eq!(
        service.post("lim-a", Some("ka")).await.status,
        StatusCode::ACCEPTED
    );
    service.advance(1_000);
    assert_eq!(
        service.post("lim-c", Some("kc")).await.status,
        StatusCode::ACCEPTED
    );
    let now = stats().await;
    assert_eq!(now["jobs"], json!(3));
    assert_eq!(now["tenants"], json!(3));
    assert_eq!(now["mostJobsForATenant"], json!(1));
    assert_eq!(
        now["mostRunningAtOnce"],
        json!(3),
        "a and b still run when c starts"
    );
    assert_eq!(now["throttled"], json!(1));
    // Once a and b end, d runs alone beside c.
    service.advance(8 * STEP_MS);
    assert_eq!(
        service.post("lim-d", None).await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(stats().await["mostRunningAtOnce"], json!(3));
    // Status requests for those jobs are counted, others' are not.
    let before = stats().await["statusReads"].as_u64().unwrap();
    service.advance(1_000);
    let job = service.post("lim-e", Some("ke")).await;
    let job_id = job.json()["jobId"].as_str().unwrap().to_owned();
    service.status(&job_id, None).await;
    service.status(&job_id, Some(0)).await;
    let other = service.post("other-f", None).await;
    service
        .status(other.json()["jobId"].as_str().unwrap(), None)
        .await;
    assert_eq!(stats().await["statusReads"], json!(before + 2));
}
