//! `GET /provision/events/{jobId}`: a job as server-sent events
//! (`docs/provisioning-api.md`, "Streaming a job").
//!
//! A task per stream reads the job every [`TICK`] and writes what changed
//! into a small channel; the response body reads the channel. The body holds
//! an [`OpenStream`] guard, so the tenant's open streams
//! (`GET /dev/streams/{tenantId}`) drop by one as soon as the body is
//! dropped: the stream ended, or the client went away. The task notices the
//! closed channel at its next tick and stops.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use provisioning_contract::{events, paths};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::jobs::{Job, Jobs};
use crate::scenario::Scenario;
use crate::{job_not_found, refuse_unauthenticated, slow_down, token_expired, AppState, Clock};

/// How often a stream looks at its job: a line reaches the client at most
/// this long after the job wrote it.
pub const TICK: Duration = Duration::from_millis(20);

/// The longest quiet between two comments (the contract says at most 5 s).
pub const KEEP_ALIVE: Duration = Duration::from_secs(4);

/// The most lines one `logs` event carries: a long backlog comes as many.
pub const MAX_LINES_PER_EVENT: u64 = 2_000;

/// The events query: `after` wins over `Last-Event-ID`.
#[derive(Deserialize)]
pub(crate) struct EventsQuery {
    after: Option<u64>,
}

type Chunk = Result<Bytes, std::io::Error>;

pub(crate) async fn provision_events(
    State(state): State<AppState>,
    Path(job_id): Path<String>,
    Query(query): Query<EventsQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refuse_unauthenticated(&headers) {
        return refusal;
    }
    let after = query
        .after
        .or_else(|| {
            headers
                .get("last-event-id")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0);
    let (job, requests) = {
        let mut jobs = state.jobs.lock().unwrap();
        let Some(job) = jobs.get_mut(&job_id) else {
            return job_not_found();
        };
        if !(state.config.streams && job.plan.scenario.streams()) {
            return without_streams();
        }
        job.stream_requests += 1;
        let requests = job.requests();
        if job.plan.scenario == Scenario::Expire && requests >= 3 {
            jobs.remove(&job_id);
            return job_not_found();
        }
        (job.clone(), requests)
    };
    let scenario = job.plan.scenario;
    slow_down(scenario).await;
    if scenario == Scenario::Signout && requests >= 3 {
        return token_expired();
    }
    state.jobs.lock().unwrap().stream_opened(&job.tenant_id);
    let guard = OpenStream {
        jobs: state.jobs.clone(),
        tenant_id: job.tenant_id.clone(),
    };
    let (sender, mut receiver) = mpsc::channel::<Chunk>(4);
    let out = Out {
        sender,
        held: (scenario == Scenario::Buffered).then(String::new),
    };
    let opened_ms = state.clock.now_ms();
    tokio::spawn(run(
        state.clock.clone(),
        state.jobs.clone(),
        job,
        (opened_ms, after),
        out,
    ));
    let body = futures_util::stream::poll_fn(move |cx| {
        let _open = &guard;
        receiver.poll_recv(cx)
    });
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::HeaderName::from_static("x-accel-buffering"),
                HeaderValue::from_static("no"),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// What a service without streams answers: its unknown-route 404.
pub(crate) fn without_streams() -> Response {
    crate::unknown_route()
}

/// One open stream of a tenant's job, counted while its body lives.
struct OpenStream {
    jobs: Arc<Mutex<Jobs>>,
    tenant_id: String,
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.stream_closed(&self.tenant_id);
        }
    }
}

/// Where a stream's text goes: to the client at once, or (`buffered`) held
/// back until the stream ends.
struct Out {
    sender: mpsc::Sender<Chunk>,
    held: Option<String>,
}

/// The client went away.
struct Gone;

impl Out {
    async fn send(&mut self, text: String) -> Result<(), Gone> {
        match &mut self.held {
            Some(held) => {
                held.push_str(&text);
                Ok(())
            }
            None => self.sender.send(Ok(text.into())).await.map_err(|_| Gone),
        }
    }

    async fn event(&mut self, name: &str, id: Option<u64>, data: &str) -> Result<(), Gone> {
        let id = id.map(|id| format!("id: {id}\n")).unwrap_or_default();
        self.send(format!("event: {name}\n{id}data: {data}\n\n"))
            .await
    }

    /// Ends the stream: what was held back goes out first.
    async fn finish(self) {
        if let Some(held) = self.held {
            let _ = self.sender.send(Ok(held.into())).await;
        }
    }

    /// Cuts the stream in the middle of an event, as a dropped connection does.
    async fn break_off(self, partial: &str) {
        let _ = self.sender.send(Ok(partial.to_owned().into())).await;
        let _ = self
            .sender
            .send(Err(std::io::Error::other("stream cut (dev scenario)")))
            .await;
    }
}

/// What the `job` event reports a change of.
fn job_state(job: &Value) -> [Value; 4] {
    ["status", "progress", "storeUrl", "error"]
        .map(|field| job.get(field).cloned().unwrap_or_default())
}

/// Streams `job` from `after` until it is final, the client goes away, the
/// service forgets the job, or the scenario cuts the stream (timed from
/// `opened_ms`, the service's clock when the request was answered).
async fn run(
    clock: Clock,
    jobs: Arc<Mutex<Jobs>>,
    job: Job,
    (opened_ms, mut after): (u64, u64),
    mut out: Out,
) {
    let wall = |ms| clock.wall(ms);
    let cut_after = job.plan.scenario.stream_cut_after_ms();
    // `drops` cuts its odd-numbered streams mid-event, the others cleanly.
    let cut_mid_event = job.plan.scenario == Scenario::Drops && job.stream_requests % 2 == 1;
    if out.send(": open\n\n".to_owned()).await.is_err() {
        return;
    }
    let mut last_comment = tokio::time::Instant::now();
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut reported: Option<[Value; 4]> = None;
    loop {
        ticks.tick().await;
        if out.sender.is_closed() {
            return;
        }
        let now = clock.now_ms();
        if cut_after.is_some_and(|cut| now.saturating_sub(opened_ms) >= cut) {
            if cut_mid_event {
                let partial = format!("event: {}\ndata: [{{\"seq\":{}", events::LOGS, after + 1);
                out.break_off(&partial).await;
            } else {
                out.finish().await;
            }
            return;
        }
        if jobs.lock().unwrap().get(&job.id).is_none() {
            // Forgotten (the `expire` scenario's polls): the stream just ends.
            out.finish().await;
            return;
        }
        if last_comment.elapsed() >= KEEP_ALIVE {
            if out.send(": keep-alive\n\n".to_owned()).await.is_err() {
                return;
            }
            last_comment = tokio::time::Instant::now();
        }
        let snapshot = job.plan.at(job.elapsed(now));
        let mut state = job.to_json(now, snapshot.lines, &wall);
        if let Some(fields) = state.as_object_mut() {
            fields.remove("logs");
        }
        let changes = job_state(&state);
        let state = state.to_string();
        if reported.is_none() {
            if out.event(events::JOB, None, &state).await.is_err() {
                return;
            }
            reported = Some(changes.clone());
        }
        while after < snapshot.lines {
            let last = snapshot.lines.min(after + MAX_LINES_PER_EVENT);
            let lines = job.log_lines(after + 1, last, &wall);
            let data = serde_json::to_string(&lines).expect("lines serialize");
            if out.event(events::LOGS, Some(last), &data).await.is_err() {
                return;
            }
            after = last;
        }
        if reported.as_ref() != Some(&changes) {
            if out.event(events::JOB, None, &state).await.is_err() {
                return;
            }
            reported = Some(changes);
        }
        if snapshot.phase.is_final() {
            if out.event(events::DONE, None, "{}").await.is_ok() {
                out.finish().await;
            }
            return;
        }
    }
}

/// The path this module serves, for the router.
pub(crate) fn route() -> String {
    format!("{}{{job_id}}", paths::PROVISION_EVENTS_PREFIX)
}
