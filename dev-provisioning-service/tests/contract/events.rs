//! `GET /provision/events/{jobId}` read as a client reads it: the body
//! parsed as server-sent events (lines, fields, a blank line dispatches; an
//! event cut off by the end of the body is dropped), each event's `data`
//! checked against `x-events` in `docs/openapi.yaml`, and the order the
//! contract promises (a comment at once, `job` first, `logs` ids the last
//! seq, seqs increasing and past `after`, `done` last and then the end).

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{openapi, Service, STEP_MS};

/// How long a test waits for something the service sends within a tick.
const PATIENCE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Comment(String),
    Event {
        name: String,
        id: Option<String>,
        data: String,
    },
}

impl Item {
    fn name(&self) -> &str {
        match self {
            Item::Comment(_) => ":",
            Item::Event { name, .. } => name,
        }
    }
    fn data(&self) -> Value {
        match self {
            Item::Event { data, .. } => serde_json::from_str(data)
                .unwrap_or_else(|e| panic!("data is not one line of JSON ({e}): {data}")),
            Item::Comment(c) => panic!("a comment has no data: {c}"),
        }
    }
}

/// How a stream's body ended.
#[derive(Debug, PartialEq)]
enum End {
    Clean,
    Broken,
}

/// An open stream, read and parsed as it comes.
struct Stream {
    body: Body,
    bytes: Vec<u8>,
    /// Fields of the event being read.
    name: String,
    id: Option<String>,
    data: Vec<String>,
    items: VecDeque<Item>,
    ended: Option<End>,
    /// Body chunks read so far.
    chunks: usize,
}

impl Stream {
    fn new(body: Body) -> Self {
        Self {
            body,
            bytes: Vec::new(),
            name: String::new(),
            id: None,
            data: Vec::new(),
            items: VecDeque::new(),
            ended: None,
            chunks: 0,
        }
    }

    fn line(&mut self, line: &str) {
        if line.is_empty() {
            if !self.data.is_empty() {
                let name = std::mem::take(&mut self.name);
                self.items.push_back(Item::Event {
                    name: if name.is_empty() {
                        "message".into()
                    } else {
                        name
                    },
                    id: self.id.take(),
                    data: std::mem::take(&mut self.data).join("\n"),
                });
            }
            self.name.clear();
            self.id = None;
            return;
        }
        if let Some(comment) = line.strip_prefix(':') {
            self.items
                .push_back(Item::Comment(comment.trim().to_owned()));
            return;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => self.name = value.to_owned(),
            "data" => self.data.push(value.to_owned()),
            "id" => self.id = Some(value.to_owned()),
            other => panic!("a field the contract does not use: {other}"),
        }
    }

    /// The next comment or event; `None` once the body has ended.
    async fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Some(item);
            }
            if self.ended.is_some() {
                return None;
            }
            let frame = tokio::time::timeout(PATIENCE, self.body.frame())
                .await
                .expect("the service sent nothing for 5 s");
            match frame {
                None => self.ended = Some(End::Clean),
                Some(Err(_)) => self.ended = Some(End::Broken),
                Some(Ok(frame)) => {
                    let Ok(data) = frame.into_data() else {
                        continue;
                    };
                    self.chunks += 1;
                    self.bytes.extend_from_slice(&data);
                    while let Some(at) = self.bytes.iter().position(|b| *b == b'\n') {
                        let line: Vec<u8> = self.bytes.drain(..=at).collect();
                        let line = String::from_utf8(line).expect("UTF-8");
                        self.line(line.trim_end_matches(['\n', '\r']));
                    }
                }
            }
            // What an ended body leaves half-read is not an event.
        }
    }

    /// Whether anything comes within `wait`.
    async fn quiet_for(&mut self, wait: Duration) -> bool {
        self.items.is_empty() && tokio::time::timeout(wait, self.body.frame()).await.is_err()
    }
}

/// What one stream brought, checked against the contract as it was read.
#[derive(Default, Debug)]
struct Followed {
    jobs: Vec<Value>,
    seqs: Vec<u64>,
    done: bool,
    /// Events read, in order (`job`, `logs`, `done`).
    names: Vec<String>,
}

/// Checks each event of a stream as it comes, from `after`.
struct Checker {
    after: u64,
    followed: Followed,
}

impl Checker {
    fn new(after: u64) -> Self {
        Self {
            after,
            followed: Followed::default(),
        }
    }

    fn take(&mut self, item: &Item) {
        let Item::Event { name, id, .. } = item else {
            return;
        };
        let f = &mut self.followed;
        assert!(!f.done, "nothing comes after done: {item:?}");
        if f.names.is_empty() {
            assert_eq!(name, "job", "the job comes first");
        }
        f.names.push(name.clone());
        let data = item.data();
        openapi::validate(&openapi::event_schema(name), &data)
            .unwrap_or_else(|e| panic!("{name} event against docs/openapi.yaml: {e}"));
        match name.as_str() {
            "job" => {
                assert!(data.get("logs").is_none(), "the job comes without logs");
                if let Some(last) = f.jobs.last() {
                    let state = |j: &Value| {
                        ["status", "progress", "storeUrl", "error"].map(|k| j.get(k).cloned())
                    };
                    assert_ne!(state(last), state(&data), "a job event says what changed");
                }
                f.jobs.push(data);
            }
            "logs" => {
                let seqs: Vec<u64> = data
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["seq"].as_u64().unwrap())
                    .collect();
                let mut previous = f.seqs.last().copied().unwrap_or(self.after);
                for &seq in &seqs {
                    assert!(seq > previous, "seq {seq} after {previous}");
                    previous = seq;
                }
                assert!(seqs.len() <= 2_000, "{} lines in one event", seqs.len());
                assert_eq!(
                    id.as_deref(),
                    Some(seqs.last().unwrap().to_string().as_str()),
                    "a logs event's id is its last seq"
                );
                f.seqs.extend(seqs);
            }
            "done" => {
                assert_eq!(data, json!({}));
                let last_job = f.jobs.last().expect("a job came before done");
                assert!(
                    matches!(last_job["status"].as_str(), Some("deployed" | "failed")),
                    "done comes after the final job: {last_job}"
                );
                f.done = true;
            }
            other => panic!("an event the contract does not name: {other}"),
        }
    }
}

impl Service {
    fn events_request(
        &self,
        job_id: &str,
        after: Option<u64>,
        last_event_id: Option<u64>,
    ) -> Request<Body> {
        let uri = match after {
            Some(seq) => format!("/provision/events/{job_id}?after={seq}"),
            None => format!("/provision/events/{job_id}"),
        };
        let mut request = Request::get(uri)
            .header(header::AUTHORIZATION, "Bearer test-token")
            .header(header::ACCEPT, "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        request.body(Body::empty()).unwrap()
    }

    /// Opens a stream, checks its headers and that a comment comes at once.
    async fn open(&self, job_id: &str, after: Option<u64>, last_event_id: Option<u64>) -> Stream {
        let mut stream = self.open_quiet(job_id, after, last_event_id).await;
        let first = tokio::time::timeout(Duration::from_secs(1), stream.next())
            .await
            .expect("a comment at once");
        assert!(
            matches!(first, Some(Item::Comment(_))),
            "a comment first: {first:?}"
        );
        stream
    }

    /// Opens a stream and checks its headers only.
    async fn open_quiet(
        &self,
        job_id: &str,
        after: Option<u64>,
        last_event_id: Option<u64>,
    ) -> Stream {
        let request = self.events_request(job_id, after, last_event_id);
        let response = self.app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        assert_eq!(
            headers[header::CONTENT_TYPE],
            "text/event-stream; charset=utf-8"
        );
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
        assert_eq!(headers["x-accel-buffering"], "no");
        openapi::check(
            "/provision/events/{jobId}",
            "get",
            200,
            headers[header::CONTENT_TYPE].to_str().unwrap(),
            "",
        )
        .unwrap();
        Stream::new(response.into_body())
    }

    /// Reads a stream to its end, checking it; how it ended.
    async fn read_to_end(&self, stream: &mut Stream, checker: &mut Checker) -> End {
        while let Some(item) = stream.next().await {
            checker.take(&item);
        }
        stream.ended.take().unwrap()
    }

    /// A stream's refusal (it ends, it is JSON), checked against the document.
    async fn refused(&self, job_id: &str, token: Option<&str>) -> super::Reply {
        let mut request = Request::get(format!("/provision/events/{job_id}"))
            .header(header::ACCEPT, "text/event-stream");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn streams(&self, tenant: &str) -> Value {
        let request = Request::get(format!("/dev/streams/{tenant}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await.json()
    }
}

/// Reads until an item matches; every item read is checked.
async fn read_until(stream: &mut Stream, checker: &mut Checker, done: impl Fn(&Item) -> bool) {
    loop {
        let item = stream.next().await.expect("the stream ended early");
        checker.take(&item);
        if done(&item) {
            return;
        }
    }
}

fn progress_step(item: &Item) -> Option<u64> {
    (item.name() == "job")
        .then(|| item.data()["progress"]["step"].as_u64())
        .flatten()
}

#[tokio::test]
async fn a_stream_sends_the_job_its_lines_as_they_come_and_done_then_ends() {
    let service = Service::new();
    let id = service.start("acme-shoes").await;
    let mut stream = service.open(&id, None, None).await;
    let mut checker = Checker::new(0);
    read_until(&mut stream, &mut checker, |i| i.name() == "job").await;
    assert_eq!(checker.followed.jobs[0]["status"], "queued");
    // Each step's lines and progress come while the job runs.
    service.advance(STEP_MS / 2);
    for step in 1..=7 {
        read_until(&mut stream, &mut checker, |i| {
            progress_step(i) == Some(step)
        })
        .await;
        assert!(checker.followed.seqs.len() as u64 > (step - 1) * 4);
        service.advance(STEP_MS);
    }
    assert_eq!(
        service.read_to_end(&mut stream, &mut checker).await,
        End::Clean
    );
    let followed = checker.followed;
    assert!(followed.done);
    assert_eq!(followed.seqs, (1..=28).collect::<Vec<_>>());
    assert_eq!(followed.names.last().map(String::as_str), Some("done"));
    let last = followed.jobs.last().unwrap();
    assert_eq!(last["storeUrl"], "https://acme-shoes.shop.example.test/");
    let statuses: Vec<&str> = followed
        .jobs
        .iter()
        .map(|j| j["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"queued"));
    assert_eq!(statuses.last(), Some(&"deployed"));
    assert_eq!(followed.jobs.len(), 9, "queued, 7 steps, deployed");
}

#[tokio::test]
async fn a_failed_job_streams_its_error_then_done() {
    let service = Service::new();
    let id = service.start("fail-acme").await;
    service.advance(20 * STEP_MS);
    let mut stream = service.open(&id, None, None).await;
    let mut checker = Checker::new(0);
    assert_eq!(
        service.read_to_end(&mut stream, &mut checker).await,
        End::Clean
    );
    let followed = checker.followed;
    assert!(followed.done);
    assert_eq!(followed.seqs, (1..=17).collect::<Vec<_>>());
    assert_eq!(
        followed.jobs.last().unwrap()["error"]["code"],
        "payment_setup_failed"
    );
}

#[tokio::test]
async fn a_resumed_stream_sends_exactly_the_rest_after_the_query_or_last_event_id() {
    let service = Service::new();
    let id = service.start("acme-shoes").await;
    service.advance(20 * STEP_MS);
    for (after, last_event_id, first) in [
        (Some(25), None, 26),
        (None, Some(20), 21),
        (Some(25), Some(10), 26),
        (Some(28), None, 29),
    ] {
        let mut stream = service.open(&id, after, last_event_id).await;
        let mut checker = Checker::new(first - 1);
        assert_eq!(
            service.read_to_end(&mut stream, &mut checker).await,
            End::Clean
        );
        assert_eq!(checker.followed.seqs, (first..=28).collect::<Vec<_>>());
        assert!(checker.followed.done);
    }
}

#[tokio::test]
async fn a_long_backlog_comes_as_many_events_of_at_most_2000_lines() {
    let service = Service::new();
    let id = service.start("million-acme").await;
    service.advance(60 * STEP_MS);
    let mut stream = service.open(&id, Some(993_000), None).await;
    let mut checker = Checker::new(993_000);
    assert_eq!(
        service.read_to_end(&mut stream, &mut checker).await,
        End::Clean
    );
    let followed = checker.followed;
    assert_eq!(followed.seqs, (993_001..=1_000_000).collect::<Vec<_>>());
    assert_eq!(followed.names.iter().filter(|n| *n == "logs").count(), 4);
}

#[tokio::test]
async fn streams_are_refused_as_status_requests_are() {
    let service = Service::new();
    let reply = service.refused("job_nope", Some("t")).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::NOT_FOUND, "job_not_found")
    );
    let id = service.start("acme-shoes").await;
    for token in [None, Some("expired")] {
        let reply = service.refused(&id, token).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (StatusCode::UNAUTHORIZED, "unauthenticated")
        );
    }
}

#[tokio::test]
async fn the_polling_scenarios_and_nostream_answer_as_a_service_without_streams() {
    let service = Service::new();
    for tenant in [
        "nostream-acme",
        "html5xx-acme",
        "malformed-acme",
        "dupes-acme",
        "weird-acme",
    ] {
        let id = service.start(tenant).await;
        let reply = service.refused(&id, Some("t")).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{tenant}"
        );
    }
    service.post("ratelimit-acme", None).await; // the first POST is refused
    let id = service.start("ratelimit-acme").await;
    assert_eq!(
        service.refused(&id, Some("t")).await.error_code(),
        "not_found"
    );
    // Their status polls are as before: a refused stream is no poll.
    let reply = service.status(&id, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        service.status(&id, None).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The service's other unknown routes answer the same.
    let reply = service
        .send(
            Request::get("/provision/nothing/here")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

#[tokio::test]
async fn with_no_streams_every_job_answers_as_a_service_without_streams() {
    let service = Service::without_streams();
    let id = service.start("live-acme").await;
    let reply = service.refused(&id, Some("t")).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn buffered_streams_send_nothing_until_the_job_ends_then_everything_at_once() {
    let service = Service::new();
    let id = service.start("buffered-acme").await;
    let mut stream = service.open_quiet(&id, None, None).await;
    assert!(
        stream.quiet_for(Duration::from_millis(150)).await,
        "not even a comment"
    );
    service.advance(6 * STEP_MS);
    assert!(stream.quiet_for(Duration::from_millis(150)).await);
    service.advance(20 * STEP_MS);
    let first = stream.next().await;
    assert!(matches!(first, Some(Item::Comment(_))), "{first:?}");
    let mut checker = Checker::new(0);
    assert_eq!(
        service.read_to_end(&mut stream, &mut checker).await,
        End::Clean
    );
    assert_eq!(stream.chunks, 1, "all at once");
    assert!(checker.followed.done);
    assert_eq!(checker.followed.seqs, (1..=84).collect::<Vec<_>>());
    let jobs = &checker.followed.jobs;
    assert_eq!(
        jobs[0]["status"], "queued",
        "as it was when the stream opened"
    );
    assert_eq!(jobs.last().unwrap()["status"], "deployed");
}

#[tokio::test]
async fn drops_streams_are_cut_and_resumed_streams_bring_every_line_once() {
    let service = Service::new();
    let id = service.start("drops-acme").await;
    let (mut all, mut ends, mut after): (Vec<u64>, Vec<End>, u64) = (Vec::new(), Vec::new(), 0);
    loop {
        let mut stream = service.open(&id, Some(after), None).await;
        let mut checker = Checker::new(after);
        // Lines come while the stream lasts; then it is cut (2.5 s).
        service.advance(1_300);
        read_until(&mut stream, &mut checker, |i| {
            matches!(i.name(), "logs" | "done")
        })
        .await;
        service.advance(1_300);
        let end = service.read_to_end(&mut stream, &mut checker).await;
        let followed = checker.followed;
        all.extend(&followed.seqs);
        after = followed.seqs.last().copied().unwrap_or(after);
        if followed.done {
            assert_eq!(end, End::Clean);
            break;
        }
        ends.push(end);
        assert!(ends.len() < 20, "the job ends");
    }
    assert_eq!(all, (1..=84).collect::<Vec<_>>(), "every line once");
    assert!(ends.len() >= 3, "{ends:?}");
    assert!(ends.contains(&End::Broken) && ends.contains(&End::Clean));
}

#[tokio::test]
async fn expire_counts_streams_with_status_polls_and_cuts_them_after_2_s() {
    let service = Service::new();
    let id = service.start("expire-acme").await;
    for _ in 0..2 {
        let mut stream = service.open(&id, None, None).await;
        let mut checker = Checker::new(0);
        service.advance(1_000);
        read_until(&mut stream, &mut checker, |i| i.name() == "logs").await;
        service.advance(1_000);
        assert_eq!(
            service.read_to_end(&mut stream, &mut checker).await,
            End::Clean
        );
        assert!(!checker.followed.done, "cut, not done");
    }
    let reply = service.refused(&id, Some("t")).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::NOT_FOUND, "job_not_found")
    );
    // A poll, a stream, a poll: the third request finds it gone.
    let id = service.start("expire-acme").await;
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
    drop(service.open(&id, None, None).await);
    assert_eq!(
        service.status(&id, None).await.error_code(),
        "job_not_found"
    );
}

#[tokio::test]
async fn signout_refuses_the_third_request_stream_or_poll() {
    let service = Service::new();
    let id = service.start("signout-acme").await;
    let mut stream = service.open(&id, None, None).await;
    service.advance(2_000);
    let mut checker = Checker::new(0);
    assert_eq!(
        service.read_to_end(&mut stream, &mut checker).await,
        End::Clean
    );
    assert!(!checker.followed.done, "cut, not done");
    assert_eq!(service.status(&id, None).await.status, StatusCode::OK);
    let reply = service.refused(&id, Some("t")).await;
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    assert_eq!(
        service.status(&id, None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn dev_streams_counts_streams_opened_and_open_and_a_client_leaving_closes_one() {
    let service = Service::new();
    let id = service.start("live-acme").await;
    assert_eq!(
        service.streams("live-acme").await,
        json!({"tenantId": "live-acme", "opened": 0, "open": 0})
    );
    let first = service.open(&id, None, None).await;
    let second = service.open(&id, None, None).await;
    assert_eq!(service.streams("live-acme").await["open"], json!(2));
    drop(first); // the client went away
    assert_eq!(
        service.streams("live-acme").await,
        json!({"tenantId": "live-acme", "opened": 2, "open": 1})
    );
    drop(second);
    // Streams are counted apart from status requests, in /dev/stats too.
    service.status(&id, None).await;
    let stats = service
        .send(
            Request::get("/dev/stats?tenants=live-")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    assert_eq!(
        (
            &stats["statusReads"],
            &stats["streamsOpened"],
            &stats["streamsOpen"]
        ),
        (&json!(1), &json!(2), &json!(0))
    );
    // A stream read to its end is closed too.
    service.advance(30 * STEP_MS);
    let mut stream = service.open(&id, None, None).await;
    service.read_to_end(&mut stream, &mut Checker::new(0)).await;
    drop(stream);
    assert_eq!(
        service.streams("live-acme").await,
        json!({"tenantId": "live-acme", "opened": 3, "open": 0})
    );
    // Refused streams are not counted.
    service.refused(&id, None).await;
    assert_eq!(service.streams("live-acme").await["opened"], json!(3));
}

#[tokio::test]
async fn live_lines_reach_the_client_within_a_tick_or_two() {
    let service = Service::new();
    let id = service.start("live-acme").await;
    let mut stream = service.open(&id, None, None).await;
    let mut checker = Checker::new(0);
    read_until(&mut stream, &mut checker, |i| i.name() == "job").await;
    // At 1 s steps a line is written every 125 ms after the 750 ms queue.
    service.advance(750);
    let mut delays = Vec::new();
    for _ in 0..8 {
        let written = std::time::Instant::now();
        read_until(&mut stream, &mut checker, |i| i.name() == "logs").await;
        delays.push(written.elapsed());
        service.advance(125);
    }
    assert_eq!(checker.followed.seqs, (1..=8).collect::<Vec<_>>());
    let worst = delays.iter().max().unwrap();
    assert!(*worst < Duration::from_millis(500), "{delays:?}");
}

#[tokio::test(start_paused = true)]
async fn a_quiet_stream_sends_a_comment_at_least_every_5_s() {
    let service = Service::new();
    let id = service.start("acme-shoes").await;
    let mut stream = service.open(&id, None, None).await;
    let mut checker = Checker::new(0);
    read_until(&mut stream, &mut checker, |i| i.name() == "job").await;
    for _ in 0..3 {
        let since = tokio::time::Instant::now();
        let item = stream.next().await.unwrap();
        assert!(matches!(item, Item::Comment(_)), "{item:?}");
        assert!(
            since.elapsed() <= Duration::from_secs(5),
            "{:?}",
            since.elapsed()
        );
    }
}
