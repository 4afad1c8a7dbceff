//! The HTTP client and the wired-up panel in a real browser, against the dev
//! provisioning service on another local port (CORS). `scripts/test.sh`
//! starts the service and sets STORE_PORTAL_TEST_SERVICE when building.

#![cfg(target_arch = "wasm32")]

#[path = "support/dom.rs"]
mod support;

use std::time::Duration;

use gloo_timers::future::TimeoutFuture;
use store_portal::api::client::{get_provisioning_status, provision_store, HEAD_ONLY_LOGS_AFTER};
use store_portal::api::endpoints::ApiBase;
use store_portal::api::{ApiError, JobStatus, TenantId};
use store_portal::app::{App, AppProps};
use store_portal::store::job_follower::JobFollower;
use store_portal::store::job_watcher::shell::JobWatcher;
use store_portal::store::{Action, ProvisioningState, TenantAction};
use support::{mount, set_token};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// Deliberately a run-time failure with a clear message, not a build error:
// `cargo check` and the component tests build without the service.
#[allow(clippy::option_env_unwrap)]
fn service() -> ApiBase {
    let url = option_env!("STORE_PORTAL_TEST_SERVICE")
        .expect("build with STORE_PORTAL_TEST_SERVICE=<dev service URL> (scripts/test.sh does)");
    ApiBase::new(url)
}

/// An idempotency key no other request used.
fn key() -> String {
    format!("key-{}", js_sys::Math::random())
}

/// A tenant id no other test (or earlier run against the same service) used.
fn fresh_tenant(scenario: &str) -> TenantId {
    let suffix = (js_sys::Math::random() * 1e9) as u64;
    TenantId::parse(&format!("{scenario}-{suffix}")).unwrap()
}

/// Provisions a fresh tenant of `scenario` with a fresh key.
async fn provision_fresh(scenario: &str) -> Result<store_portal::api::Job, ApiError> {
    provision_store(&service(), &fresh_tenant(scenario), &key()).await
}

#[wasm_bindgen_test]
async fn provisioning_returns_a_queued_job_and_its_status_can_be_read() {
    set_token(Some("browser-test"));
    let tenant = fresh_tenant("acme");
    let job = provision_store(&service(), &tenant, &key()).await.unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(job.tenant_id, tenant.as_str());
    let again = get_provisioning_status(&service(), &job.job_id, Some(0))
        .await
        .unwrap();
    assert_eq!(again.job_id, job.job_id);
}

#[wasm_bindgen_test]
async fn the_same_idempotency_key_returns_the_same_job() {
    set_token(Some("browser-test"));
    let tenant = fresh_tenant("acme");
    let same = key();
    let first = provision_store(&service(), &tenant, &same).await.unwrap();
    let second = provision_store(&service(), &tenant, &same).await.unwrap();
    assert_eq!(first.job_id, second.job_id);
}

#[wasm_bindgen_test]
async fn a_second_job_for_a_busy_tenant_is_a_409_with_the_running_job() {
    set_token(Some("browser-test"));
    let tenant = fresh_tenant("acme");
    let first = provision_store(&service(), &tenant, &key()).await.unwrap();
    let second = provision_store(&service(), &tenant, &key())
        .await
        .unwrap_err();
    assert_eq!(
        second,
        ApiError::JobInProgress {
            job_id: first.job_id
        }
    );
}

/// The `POST /provision/store` requests the dev service received for `tenant`.
async fn posts_for(tenant: &TenantId) -> u64 {
    let url = format!("{}/dev/requests/{}", service().as_str(), tenant.as_str());
    let reply = gloo_net::http::Request::get(&url).send().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
    body["posts"].as_u64().unwrap()
}

/// The ids of the jobs the dev service started for `tenant`.
async fn jobs_of(tenant: &TenantId) -> Vec<String> {
    let url = format!("{}/dev/jobs/{}", service().as_str(), tenant.as_str());
    let reply = gloo_net::http::Request::get(&url).send().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
    body["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect()
}

#[wasm_bindgen_test]
async fn without_a_token_no_request_is_made() {
    let tenant = fresh_tenant("acme");
    set_token(None);
    let error = provision_store(&service(), &tenant, &key())
        .await
        .unwrap_err();
    assert_eq!(error, ApiError::NotSignedIn);
    assert_eq!(posts_for(&tenant).await, 0, "no request without a token");
    // The count does see a request when one is made.
    set_token(Some("browser-test"));
    provision_store(&service(), &tenant, &key()).await.unwrap();
    assert_eq!(posts_for(&tenant).await, 1);
}

#[wasm_bindgen_test]
async fn the_token_is_read_at_each_request() {
    set_token(Some("expired"));
    let error = provision_fresh("acme").await.unwrap_err();
    assert_eq!(error, ApiError::NotSignedIn);
    set_token(Some("fresh"));
    assert!(provision_fresh("acme").await.is_ok());
}

#[wasm_bindgen_test]
async fn retry_after_is_read_across_origins() {
    set_token(Some("browser-test"));
    let error = provision_fresh("ratelimit").await.unwrap_err();
    assert_eq!(
        error,
        ApiError::RateLimited {
            retry_after_ms: Some(2_000)
        }
    );
}

#[wasm_bindgen_test]
async fn contract_errors_map_to_their_variants() {
    set_token(Some("browser-test"));
    let missing = provision_fresh("missing").await.unwrap_err();
    assert_eq!(missing, ApiError::TenantNotFound);
    let forbidden = provision_fresh("forbidden").await.unwrap_err();
    assert_eq!(forbidden, ApiError::Forbidden);
    let gone = get_provisioning_status(&service(), "job_nope", None)
        .await
        .unwrap_err();
    assert_eq!(gone, ApiError::JobNotFound);
}

#[wasm_bindgen_test]
async fn html_5xx_pages_are_service_trouble() {
    set_token(Some("browser-test"));
    let job = provision_fresh("html5xx").await.unwrap();
    let mut results = Vec::new();
    for _ in 0..6 {
        results.push(get_provisioning_status(&service(), &job.job_id, None).await);
    }
    assert!(results[0].is_ok());
    assert_eq!(
        results[2].clone().unwrap_err(),
        ApiError::ServiceUnavailable {
            status: 502,
            retry_after_ms: None
        }
    );
    assert_eq!(
        results[5].clone().unwrap_err(),
        ApiError::ServiceUnavailable {
            status: 503,
            retry_after_ms: Some(2_000)
        }
    );
}

#[wasm_bindgen_test]
async fn a_service_that_is_not_there_is_a_network_error() {
    set_token(Some("browser-test"));
    let nowhere = ApiBase::new("http://127.0.0.1:9");
    let error = get_provisioning_status(&nowhere, "job_1", None)
        .await
        .unwrap_err();
    assert_eq!(error, ApiError::Network);
}

#[wasm_bindgen_test]
async fn a_job_id_that_is_a_dot_segment_is_refused_before_any_request() {
    set_token(Some("browser-test"));
    // Any request to this base fails as a network error (see above): a
    // refusal without a request is told apart from one made.
    let nowhere = ApiBase::new("http://127.0.0.1:9");
    for id in ["..", "."] {
        let error = get_provisioning_status(&nowhere, id, None)
            .await
            .unwrap_err();
        assert!(
            matches!(error, ApiError::Decode { .. }),
            "{id:?}: {error:?}"
        );
    }
}

/// The whole app, signed in, on `tenant`'s page, mounted under `basename`
/// (the browser's storage holding the token only).
async fn open_tenant_page(tenant: &TenantId, basename: Option<&str>) -> support::Mounted<App> {
    set_token(Some("browser-test"));
    mount_tenant_page(tenant, basename).await
}

/// The whole app on `tenant`'s page, with the browser's storage as it is.
async fn mount_tenant_page(tenant: &TenantId, basename: Option<&str>) -> support::Mounted<App> {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!(
                "{}/tenants/{tenant}",
                basename.unwrap_or_default()
            )),
        )
        .unwrap();
    let view = mount::<App>(AppProps {
        api_base: Some(service()),
        basename: basename.map(Into::into),
    })
    .await;
    view.wait_until("the page renders", Duration::from_secs(5), |v| {
        v.find("h1").is_some()
    })
    .await;
    assert_eq!(view.text("h1"), tenant.as_str());
    view
}

#[wasm_bindgen_test]
async fn the_app_provisions_a_tenant_from_click_to_deployed() {
    let tenant = fresh_tenant("acme");
    let view = open_tenant_page(&tenant, None).await;
    view.click("button.button-primary");
    view.wait_until("the job is deployed", Duration::from_secs(20), |v| {
        v.find("[role=status] .badge-deployed").is_some()
    })
    .await;
    assert_eq!(view.text(".log-count"), "28 lines");
    let jobs = jobs_of(&tenant).await;
    assert_eq!(jobs.len(), 1, "one job: {jobs:?}");
    let saved = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("store-portal.attempts.v2")
        .unwrap();
    let saved: serde_json::Value = serde_json::from_str(&saved.unwrap_or_default()).unwrap();
    assert_eq!(
        saved[tenant.as_str()],
        serde_json::json!([jobs[0]]),
        "the job id is saved for a later visit"
    );
}

/// The two entries the build before `store-portal.attempts.v2` wrote, in
/// their exact text: a visit re-attaches to the saved job and lists the
/// earlier attempt; the first write replaces them with the one entry.
#[wasm_bindgen_test]
async fn a_visit_reads_the_entries_the_previous_build_wrote() {
    set_token(Some("browser-test"));
    let tenant = fresh_tenant("acme");
    let job = provision_store(&service(), &tenant, &key()).await.unwrap();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("store-portal.attempts.v2").unwrap();
    let (jobs, attempts) = (
        format!(r#"{{"{tenant}":"{id}"}}"#, id = job.job_id),
        format!(r#"{{"{tenant}":["{id}","job_gone_0"]}}"#, id = job.job_id),
    );
    storage.set_item("store-portal.jobs.v1", &jobs).unwrap();
    storage
        .set_item("store-portal.attempts.v1", &attempts)
        .unwrap();
    let view = mount_tenant_page(&tenant, None).await;
    view.wait_until(
        "the saved job is followed to its end",
        Duration::from_secs(20),
        |v| v.find("[role=status] .badge-deployed").is_some(),
    )
    .await;
    assert!(
        view.text(".job-meta").contains(&job.job_id),
        "the saved job"
    );
    // The earlier attempt, unknown to the service, is found expired: the
    // one entry is written and the old two are gone.
    view.wait_until(
        "the earlier attempt is expired",
        Duration::from_secs(5),
        |v| {
            v.find("#attempt-choice").is_some_and(|s| {
                s.text_content()
                    .is_some_and(|t| t.contains("Attempt 1 · expired"))
            })
        },
    )
    .await;
    let saved = storage.get_item("store-portal.attempts.v2").unwrap();
    assert_eq!(
        saved.as_deref(),
        Some(
            format!(
                r#"{{"{tenant}":["{id}",{{"jobId":"job_gone_0","expired":true}}]}}"#,
                id = job.job_id
            )
            .as_str()
        )
    );
    assert_eq!(storage.get_item("store-portal.jobs.v1").unwrap(), None);
    assert_eq!(storage.get_item("store-portal.attempts.v1").unwrap(), None);
}

#[wasm_bindgen_test]
async fn under_a_base_path_one_click_rides_out_a_rate_limit() {
    let tenant = fresh_tenant("ratelimit");
    let view = open_tenant_page(&tenant, Some("/admin/provisioning")).await;
    let crumb = view.expect(".breadcrumb a").get_attribute("href");
    assert_eq!(crumb.as_deref(), Some("/admin/provisioning/tenants"));
    view.click("button.button-primary");
    view.wait_until("the retry is announced", Duration::from_secs(5), |v| {
        v.find(".notice")
            .and_then(|n| n.text_content())
            .is_some_and(|t| t.contains("The service is busy — trying again in"))
    })
    .await;
    assert_eq!(view.count("[role=alert]"), 0, "no alert while trying again");
    view.wait_until("the job is deployed", Duration::from_secs(20), |v| {
        v.find("[role=status] .badge-deployed").is_some()
    })
    .await;
    assert_eq!(view.count(".notice"), 0);
    assert_eq!(view.count("[role=alert]"), 0);
}

/// Makes `document.hidden` read `hidden` and announces the change, as a
/// browser does when the tab is hidden or shown.
fn set_tab_hidden(hidden: bool) {
    let document = web_sys::window().unwrap().document().unwrap();
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &hidden.into()).unwrap();
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&document, &"hidden".into(), &descriptor);
    document
        .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
}

/// A fresh job of `scenario`, attached in a store of its own (no component).
async fn attached_job(scenario: &str) -> (yewdux::Dispatch<ProvisioningState>, TenantId, String) {
    set_token(Some("browser-test"));
    let tenant = fresh_tenant(scenario);
    let job = provision_store(&service(), &tenant, &key()).await.unwrap();
    let dispatch = yewdux::Dispatch::<ProvisioningState>::new(&yewdux::Context::new());
    let attach = Action::Attach {
        job_id: job.job_id.clone(),
    };
    dispatch.apply(TenantAction(tenant.clone(), attach));
    (dispatch, tenant, job.job_id)
}

fn status_of(
    dispatch: &yewdux::Dispatch<ProvisioningState>,
    tenant: &TenantId,
) -> Option<JobStatus> {
    dispatch
        .get()
        .tenant(tenant)
        .and_then(|e| e.job().and_then(|j| j.status.clone()))
}

#[wasm_bindgen_test]
async fn a_hidden_tab_polls_the_head_only_and_catches_up_when_shown() {
    let (dispatch, tenant, job_id) = attached_job("acme").await;
    set_tab_hidden(true);
    let watcher = JobWatcher::start(service());
    let poller = JobFollower::start(
        dispatch.clone(),
        watcher.clone(),
        tenant.clone(),
        job_id.clone(),
    );
    let lines = |d: &yewdux::Dispatch<ProvisioningState>| {
        d.get()
            .tenant(&tenant)
            .and_then(|e| e.job().map(|j| j.logs.len()))
            .unwrap_or(0)
    };
    // At once: the job's head, no line.
    let hidden_at = js_sys::Date::now();
    while status_of(&dispatch, &tenant).is_none() {
        assert!(
            js_sys::Date::now() - hidden_at < 2_000.0,
            "a head-only poll at once"
        );
        TimeoutFuture::new(10).await;
    }
    let head = status_of(&dispatch, &tenant).unwrap();
    assert!(!head.is_final(), "the job has just started: {head:?}");
    assert_eq!(lines(&dispatch), 0, "no log travels while hidden");
    // The job ends within a second at this pace; polled each second it
    // would show deployed: hidden, nothing is asked for 15 s.
    TimeoutFuture::new(2_500).await;
    let on_the_service = get_provisioning_status(&service(), &job_id, Some(HEAD_ONLY_LOGS_AFTER))
        .await
        .unwrap()
        .status;
    assert_eq!(
        on_the_service,
        JobStatus::Deployed,
        "a poll now would have seen the job end"
    );
    assert_eq!(
        status_of(&dispatch, &tenant),
        Some(head),
        "no poll within 15 s"
    );
    assert_eq!(lines(&dispatch), 0);

    let shown_at = js_sys::Date::now();
    set_tab_hidden(false);
    while status_of(&dispatch, &tenant) != Some(JobStatus::Deployed) {
        assert!(
            js_sys::Date::now() - shown_at < 900.0,
            "shown again: polls at once, not after the interval"
        );
        TimeoutFuture::new(10).await;
    }
    assert!(lines(&dispatch) > 0, "the whole log comes with it");
    drop(poller);
    watcher.stop();
    js_sys::Reflect::delete_property(
        &web_sys::window().unwrap().document().unwrap(),
        &"hidden".into(),
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn a_stopped_poller_discards_its_answer_and_polls_no_more() {
    // The `slow` scenario answers after 2.5 s: stop while the first poll is
    // in flight. A second poller, kept, shows the answer does arrive within
    // the same wait.
    let (dispatch, tenant, job_id) = attached_job("slow").await;
    let (kept_dispatch, kept_tenant, kept_job) = attached_job("slow").await;
    let watcher = JobWatcher::start(service());
    let poller = JobFollower::start(dispatch.clone(), watcher.clone(), tenant.clone(), job_id);
    let kept = JobFollower::start(
        kept_dispatch.clone(),
        watcher.clone(),
        kept_tenant.clone(),
        kept_job,
    );
    TimeoutFuture::new(200).await;
    drop(poller);
    TimeoutFuture::new(4_000).await;
    assert!(
        status_of(&kept_dispatch, &kept_tenant).is_some(),
        "the kept poller's answer arrived"
    );
    assert_eq!(
        status_of(&dispatch, &tenant),
        None,
        "the late answer was discarded"
    );
    assert_eq!(dispatch.get().tenant(&tenant).unwrap().trouble, None);
    drop(kept);
    watcher.stop();
}

/// The whole app on the Tenants page, with the browser's storage as it is.
async fn mount_tenants_page() -> support::Mounted<App> {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/tenants"))
        .unwrap();
    mount::<App>(AppProps {
        api_base: Some(service()),
        basename: None,
    })
    .await
}

#[wasm_bindgen_test]
async fn a_big_batch_is_shown_a_page_and_a_part_at_a_time() {
    use store_portal::store::batch::{Batch, Stage};
    use wasm_bindgen::JsCast;
    set_token(Some("browser-test"));
    let tenants: Vec<TenantId> = (0..120)
        .map(|i| fresh_tenant(&format!("big{i:03}")))
        .collect();
    let mut batch = Batch::new(tenants.clone(), 4, || "key".to_owned());
    for (i, row) in batch.tenants.iter_mut().enumerate() {
        let deployed = i < 80;
        row.stage = if deployed {
            Stage::Deployed
        } else {
            Stage::Failed
        };
        row.status = Some(if deployed {
            JobStatus::Deployed
        } else {
            JobStatus::Failed
        });
        row.job_id = Some(format!("job-{i}"));
        row.attempts = 1;
        row.created_at = Some(format!("2026-12-02T10:{:02}:{:02}Z", i / 60, i % 60));
    }
    store_portal::store::saved_batch::save(&batch);
    let view = mount_tenants_page().await;
    let range = |v: &support::Mounted<App>| {
        v.find(".batch-range")
            .map(|r| r.text_content().unwrap_or_default())
    };
    view.wait_until("the table's first page", Duration::from_secs(5), |v| {
        range(v).as_deref() == Some("Rows 1–50 of 120")
    })
    .await;
    assert_eq!(view.count(".batch-row"), 50);
    assert_eq!(view.text(".batch-row th"), tenants[0].as_str());
    let button = |v: &support::Mounted<App>, name: &str| {
        let buttons = v
            .root
            .query_selector_all(".batch-table-tools button")
            .unwrap();
        (0..buttons.length())
            .filter_map(|i| buttons.get(i))
            .map(|b| b.dyn_into::<web_sys::HtmlButtonElement>().unwrap())
            .find(|b| b.text_content().as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no {name} button"))
    };
    assert!(button(&view, "Previous").disabled(), "on the first page");
    button(&view, "Next").click();
    view.wait_until("the second page", Duration::from_secs(2), |v| {
        range(v).as_deref() == Some("Rows 51–100 of 120")
    })
    .await;
    assert_eq!(view.text(".batch-row th"), tenants[50].as_str());
    // Only the failed ones: 40, on one page, each a failed row.
    let only = view
        .expect("#batch-only")
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    let labels: Vec<String> = (0..only.length())
        .filter_map(|i| only.item(i))
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        labels,
        [
            "All (120)",
            "Deployed (80)",
            "Failed (40)",
            "Running (0)",
            "Waiting (0)"
        ]
    );
    only.set_value("failed");
    only.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    view.wait_until("the failed tenants", Duration::from_secs(2), |v| {
        range(v).as_deref() == Some("Rows 1–40 of 40")
    })
    .await;
    assert_eq!(view.count(".batch-row"), 40);
    assert_eq!(view.count(".batch-row.batch-failed"), 40);
    assert_eq!(
        view.count(".batch-table-tools button"),
        0,
        "one page: no page buttons"
    );
    // The activity lists the batch's jobs: the newest 20 until asked for all.
    assert_eq!(view.count(".activity-row"), 20);
    assert_eq!(
        view.text(".activity-row a"),
        tenants[119].as_str(),
        "newest first"
    );
    view.click(".activity-more button");
    support::rendered().await;
    assert_eq!(view.count(".activity-row"), 120);
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}

/// The job watcher's seam (`job_watcher::hearing::hear`): a request whose
/// job nobody watches any more is aborted, and ends at once with no answer
/// (the `slow-` service answers after 2.5 s); not aborted, the same request
/// is answered.
#[wasm_bindgen_test]
async fn an_aborted_hearing_ends_at_once_with_no_answer() {
    use store_portal::store::job_watcher::hearing::hear;
    set_token(Some("browser-test"));
    let job = provision_fresh("slow").await.unwrap();
    let controller = web_sys::AbortController::new().unwrap();
    let signal = controller.signal();
    let _abort = gloo_timers::callback::Timeout::new(200, move || controller.abort());
    let started = js_sys::Date::now();
    let heard = hear(&service(), &job.job_id, Some(None), |_| true, Some(&signal)).await;
    let took = js_sys::Date::now() - started;
    assert!(heard.is_none(), "aborted, it told an answer: {heard:?}");
    assert!(took < 1_500.0, "aborted, it still took {took} ms");
    let heard = hear(&service(), &job.job_id, Some(None), |_| true, None).await;
    assert!(matches!(heard, Some(Ok(_))), "{heard:?}");
}

/// What a stream told ([`listen`](store_portal::store::job_watcher::hearing::listen)).
#[derive(Default)]
struct Told {
    alive: std::cell::Cell<u32>,
    seqs: std::cell::RefCell<Vec<u64>>,
    heads: std::cell::RefCell<Vec<(JobStatus, bool)>>,
}

impl store_portal::store::job_watcher::hearing::StreamListener for Told {
    fn alive(&self) {
        self.alive.set(self.alive.get() + 1);
    }
    fn lines(&self, lines: Vec<store_portal::api::LogLine>) -> bool {
        self.seqs.borrow_mut().extend(lines.iter().map(|l| l.seq));
        true
    }
    fn head(&self, job: store_portal::api::Job, ended: bool) {
        self.heads.borrow_mut().push((job.status, ended));
    }
}

/// The seam's stream (`hearing::listen`): a job streamed to its end, every
/// line once and in order, the final head after them; resumed after a
/// line, only the later ones; a service without streams says so; aborted,
/// it ends at once.
#[wasm_bindgen_test]
async fn a_stream_is_heard_to_the_end_and_a_service_without_one_says_so() {
    use store_portal::store::job_watcher::hearing::listen;
    use store_portal::store::stream_policy::StreamEnd;
    set_token(Some("browser-test"));
    let job = provision_fresh("live").await.unwrap();
    let told = Told::default();
    let end = listen(&service(), &job.job_id, None, &told, None).await;
    assert_eq!(end, None, "it ended with done");
    let seqs = told.seqs.borrow().clone();
    assert!(
        seqs.len() > 20 && seqs.iter().copied().eq(1..=seqs.len() as u64),
        "every line once, in order: {seqs:?}"
    );
    assert_eq!(
        told.heads.borrow().last(),
        Some(&(JobStatus::Deployed, true))
    );
    assert!(told.alive.get() > 0);
    let resumed = Told::default();
    listen(&service(), &job.job_id, Some(20), &resumed, None).await;
    assert_eq!(
        resumed.seqs.borrow().first(),
        Some(&21),
        "resumed after line 20"
    );

    let polled = provision_fresh("nostream").await.unwrap();
    let end = listen(&service(), &polled.job_id, None, &Told::default(), None).await;
    assert_eq!(end, Some(StreamEnd::Unsupported));

    let running = provision_fresh("long").await.unwrap();
    let controller = web_sys::AbortController::new().unwrap();
    let signal = controller.signal();
    let _close = gloo_timers::callback::Timeout::new(300, move || controller.abort());
    let started = js_sys::Date::now();
    let end = listen(
        &service(),
        &running.job_id,
        None,
        &Told::default(),
        Some(&signal),
    )
    .await;
    let took = js_sys::Date::now() - started;
    assert_eq!(end, None, "closed, it tells no end");
    assert!(took < 1_500.0, "closed, it still took {took} ms");
}
