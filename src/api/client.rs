//! The browser side of the API: one request function that adds the bearer
//! token (read at each request) and the headers, aborts after a timeout, and
//! turns every outcome into a value or an [`ApiError`].

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;

use super::endpoints::ApiBase;
use super::error::ApiError;
use super::job_page::JobPage;
use super::response::{classify_failure, interpret, is_success, says_no_streams, RawResponse};
use provisioning_contract::{paths, Job, ProvisionRequest, TenantId};

/// The localStorage key the portal's login page writes the token under.
pub const TOKEN_KEY: &str = "token";
/// A request that has not answered by then is abandoned.
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;
/// Someone waiting for a token, by the id its [`TokenWatch`] removes it with.
type TokenWaiter = (u32, Rc<dyn Fn()>);

thread_local! {
    /// The host page's token source (`getToken` on an element, through the
    /// element script), asked before localStorage.
    static HOST_TOKEN: std::cell::RefCell<Option<js_sys::Function>> = const { std::cell::RefCell::new(None) };
    /// Whoever waits for a token written by the portal.
    static TOKEN_WAITERS: std::cell::RefCell<Vec<TokenWaiter>> = const { std::cell::RefCell::new(Vec::new()) };
    static NEXT_WAITER: Cell<u32> = const { Cell::new(0) };
}

/// Sets the host page's token source: a function that returns `undefined`
/// when no element has a `getToken` (localStorage is read then), else a
/// Promise of the token (a string; anything else is no token).
pub fn set_host_token(source: Option<js_sys::Function>) {
    HOST_TOKEN.with(|host| *host.borrow_mut() = source);
}

/// Waits for a token written by the portal until dropped: one written in
/// another tab (the `storage` event), or a host's new `getToken`.
pub struct TokenWatch {
    id: u32,
    _storage: Option<gloo_events::EventListener>,
}

impl Drop for TokenWatch {
    fn drop(&mut self) {
        TOKEN_WAITERS.with(|waiters| waiters.borrow_mut().retain(|(id, _)| *id != self.id));
    }
}

/// Calls `back` each time a token is written: by another tab (the
/// `storage` event), or by the host page ([`token_written`]).
pub fn on_token_written(back: impl Fn() + 'static) -> TokenWatch {
    let back: Rc<dyn Fn()> = Rc::new(back);
    let id = NEXT_WAITER.with(|next| {
        next.set(next.get() + 1);
        next.get()
    });
    TOKEN_WAITERS.with(|waiters| waiters.borrow_mut().push((id, back.clone())));
    let storage = web_sys::window().map(|window| {
        gloo_events::EventListener::new(&window, "storage", move |event| {
            let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::StorageEvent>(event) else {
                return;
            };
            let token_written = event.key().as_deref() == Some(TOKEN_KEY)
                && event.new_value().is_some_and(|t| !t.trim().is_empty());
            if token_written {
                back();
            }
        })
    });
    TokenWatch {
        id,
        _storage: storage,
    }
}

/// The host page has a new token source: whoever waits for a token asks again.
pub fn token_written() {
    let waiters: Vec<Rc<dyn Fn()>> =
        TOKEN_WAITERS.with(|waiters| waiters.borrow().iter().map(|(_, w)| w.clone()).collect());
    for waiter in waiters {
        waiter();
    }
}

/// The current token, read on every request, since the portal refreshes
/// it: the host's `getToken` where an element was given one, else
/// localStorage `token`.
pub async fn read_token() -> Option<String> {
    let asked = HOST_TOKEN.with(|host| {
        host.borrow()
            .as_ref()
            .map(|source| source.call0(&wasm_bindgen::JsValue::NULL))
    });
    let token = match asked {
        Some(Ok(answer)) if !answer.is_undefined() => {
            let promise = js_sys::Promise::resolve(&answer);
            wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .ok()?
                .as_string()?
        }
        Some(Err(_)) => return None,
        _ => stored_token()?,
    };
    Some(token.trim().to_owned()).filter(|t| !t.is_empty())
}

fn stored_token() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(TOKEN_KEY)
        .ok()?
}

/// Starts provisioning `tenant`. The same `idempotency_key` on a retry
/// returns the job the first attempt created.
pub async fn provision_store(
    base: &ApiBase,
    tenant: &TenantId,
    idempotency_key: &str,
) -> Result<Job, ApiError> {
    let body = serde_json::to_string(&ProvisionRequest {
        tenant_id: tenant.to_string(),
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

/// A status response on its way: its head has come, its body arrives in
/// pieces that [`StatusStream::fetch_more`] feeds to [`StatusStream::page`]
/// (a million-line page never sits in memory whole).
pub struct StatusStream {
    pub page: JobPage,
    incoming: Incoming,
}

impl StatusStream {
    /// Waits for the next piece of the body and feeds it to the page;
    /// `false` once the body has ended (the page then knows it).
    pub async fn fetch_more(&mut self) -> Result<bool, ApiError> {
        match self.incoming.next_piece().await? {
            Some(piece) => {
                self.page.feed(&piece);
                Ok(true)
            }
            None => {
                self.page.finish();
                Ok(false)
            }
        }
    }

    /// Every line still to come, and the job.
    pub async fn into_job(mut self) -> Result<Job, ApiError> {
        while self.fetch_more().await? {}
        self.page.into_job()
    }
}

/// Reads a job, with only the log lines after `logs_after`; its body is
/// read as it arrives, its lines a slice at a time. `cancel`, aborted,
/// ends the request (its body included).
pub async fn get_provisioning_status_stream(
    base: &ApiBase,
    job_id: &str,
    logs_after: Option<u64>,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<StatusStream, ApiError> {
    let url = base
        .provision_status(job_id, logs_after)
        .ok_or_else(|| unaddressable(job_id))?;
    let incoming = fetch(Method::GET, &url, None, None, cancel, JSON).await?;
    if !is_success(incoming.status) {
        return Err(classify_failure(incoming.whole().await?.raw()));
    }
    Ok(StatusStream {
        page: JobPage::new(),
        incoming,
    })
}

/// A job id no request can carry (`ApiBase::provision_status` refuses it).
fn unaddressable(job_id: &str) -> ApiError {
    ApiError::Decode {
        detail: format!("the job id {job_id:?} cannot be part of an address"),
    }
}

/// A job's stream whose head has come: its body arrives as the service
/// sends it, with no deadline (a keep-alive comes every few seconds, and
/// the job watcher closes a stream that falls silent).
pub struct EventsStream {
    incoming: Incoming,
}

/// A stream let go before its body ended (closed, refused, or nobody
/// wants its lines) cancels its body: the connection is not left open.
impl Drop for EventsStream {
    fn drop(&mut self) {
        if let Some(reader) = &self.incoming.reader {
            // (Refused when the body already failed, an abort included: an
            // answer awaited, so no rejection goes unhandled.)
            let cancelled = wasm_bindgen_futures::JsFuture::from(reader.cancel());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = cancelled.await;
            });
        }
    }
}

impl EventsStream {
    /// The next piece of the body; `None` at its end. (The read is the
    /// future's own: one not awaited yet can wait while others run.)
    pub fn next_piece(
        &self,
    ) -> impl std::future::Future<Output = Result<Option<Vec<u8>>, ApiError>> {
        read_piece(self.incoming.reader.clone())
    }
}

/// The next piece `reader` brings; `None` at the body's end (or with no body).
async fn read_piece(
    reader: Option<web_sys::ReadableStreamDefaultReader>,
) -> Result<Option<Vec<u8>>, ApiError> {
    let Some(reader) = reader else {
        return Ok(None);
    };
    let read = wasm_bindgen_futures::JsFuture::from(reader.read())
        .await
        .map_err(|_| ApiError::Network)?;
    let read: web_sys::ReadableStreamReadResult = read.unchecked_into();
    if read.get_done().unwrap_or(true) {
        return Ok(None);
    }
    let piece = read.get_value().unchecked_into::<js_sys::Uint8Array>();
    Ok(Some(piece.to_vec()))
}

/// Opens `job_id`'s stream from the lines after `after`. `Ok(None)`: the
/// service has no streams (404 with another code than `job_not_found`,
/// 405, 501, or a 200 that is not `text/event-stream`); an error otherwise means what it means on the status
/// endpoint. `cancel`, aborted, closes it.
pub async fn open_events(
    base: &ApiBase,
    job_id: &str,
    after: Option<u64>,
    cancel: Option<&web_sys::AbortSignal>,
) -> Result<Option<EventsStream>, ApiError> {
    let url = base
        .provision_events(job_id, after)
        .ok_or_else(|| unaddressable(job_id))?;
    let mut incoming = fetch(Method::GET, &url, None, None, cancel, EVENT_STREAM).await?;
    if !is_success(incoming.status) {
        let answer = incoming.whole().await?;
        let error = classify_failure(answer.raw());
        return if says_no_streams(answer.status, &error) {
            Ok(None)
        } else {
            Err(error)
        };
    }
    // A 200 that is no event stream (a web server's page for an unknown
    // path) is no stream either.
    let content_type = incoming.content_type.as_deref().unwrap_or_default();
    if !content_type.trim_start().starts_with(EVENT_STREAM) {
        return Ok(None);
    }
    incoming.deadline.lift();
    Ok(Some(EventsStream { incoming }))
}

const JSON: &str = "application/json";
const EVENT_STREAM: &str = "text/event-stream";

/// `logsAfter` that asks for no line: past any seq (the largest integer a
/// JSON number holds exactly, so any server reads it).
pub const HEAD_ONLY_LOGS_AFTER: u64 = (1 << 53) - 1;

/// Reads a job, with only the log lines after `logs_after`, all at once
/// (the app hears jobs through `store::job_watcher`; this is for tests).
pub async fn get_provisioning_status(
    base: &ApiBase,
    job_id: &str,
    logs_after: Option<u64>,
) -> Result<Job, ApiError> {
    get_provisioning_status_stream(base, job_id, logs_after, None)
        .await?
        .into_job()
        .await
}

async fn send(
    method: Method,
    url: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<Job, ApiError> {
    let answer = fetch(method, url, body, idempotency_key, None, JSON)
        .await?
        .whole()
        .await?;
    interpret(answer.raw())
}

/// An answer read whole (the small ones: errors, a POST's job).
struct WholeAnswer {
    status: u16,
    retry_after: Option<String>,
    body: String,
    received_ms: f64,
}

impl WholeAnswer {
    fn raw(&self) -> RawResponse<'_> {
        RawResponse {
            status: self.status,
            retry_after: self.retry_after.as_deref(),
            body: &self.body,
            received_ms: self.received_ms,
        }
    }
}

/// The request's deadline: it aborts the request (its body included) when
/// it passes, or when its caller's `cancel` signal is aborted; and tells a
/// timeout from another network failure.
struct Deadline {
    timed_out: Rc<Cell<bool>>,
    timer: Option<Timeout>,
    _cancel: Option<gloo_events::EventListener>,
}

impl Deadline {
    fn start(
        controller: Option<web_sys::AbortController>,
        cancel: Option<&web_sys::AbortSignal>,
    ) -> Deadline {
        let timed_out = Rc::new(Cell::new(false));
        let flag = timed_out.clone();
        let on_time = controller.clone();
        let timer = Timeout::new(REQUEST_TIMEOUT_MS, move || {
            flag.set(true);
            if let Some(controller) = on_time {
                controller.abort();
            }
        });
        let cancel = cancel.zip(controller).map(|(signal, controller)| {
            if signal.aborted() {
                controller.abort();
            }
            gloo_events::EventListener::once(signal, "abort", move |_| controller.abort())
        });
        Deadline {
            timed_out,
            timer: Some(timer),
            _cancel: cancel,
        }
    }

    /// The body may take as long as it takes (a stream's); `cancel` still ends it.
    fn lift(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.cancel();
        }
    }

    /// What a failed request or body read stands for.
    fn failed(&self) -> ApiError {
        if self.timed_out.get() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    }
}

/// A response whose head has come; its body is read while the request's
/// deadline still runs.
struct Incoming {
    status: u16,
    retry_after: Option<String>,
    /// When the answer's head came (an HTTP-date `Retry-After` counts from then).
    received_ms: f64,
    /// The body as it arrives (`None`: there is none).
    reader: Option<web_sys::ReadableStreamDefaultReader>,
    /// Its `Content-Type`.
    content_type: Option<String>,
    deadline: Deadline,
}

impl Incoming {
    /// The next piece of the body, as the network brought it; `None` at its end.
    async fn next_piece(&mut self) -> Result<Option<Vec<u8>>, ApiError> {
        let piece = read_piece(self.reader.clone())
            .await
            .map_err(|_| self.deadline.failed())?;
        if piece.is_none() {
            self.reader = None;
        }
        Ok(piece)
    }

    /// The answer with its whole body as text.
    async fn whole(mut self) -> Result<WholeAnswer, ApiError> {
        let mut bytes = Vec::new();
        while let Some(piece) = self.next_piece().await? {
            bytes.extend_from_slice(&piece);
        }
        Ok(WholeAnswer {
            status: self.status,
            retry_after: self.retry_after.take(),
            body: String::from_utf8(bytes)
                .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
            received_ms: self.received_ms,
        })
    }
}

/// Sends a request and waits for the head of its answer. The deadline
/// covers the body too: it goes with the [`Incoming`].
async fn fetch(
    method: Method,
    url: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
    cancel: Option<&web_sys::AbortSignal>,
    accept: &str,
) -> Result<Incoming, ApiError> {
    let token = read_token().await.ok_or(ApiError::NotSignedIn)?;
    let controller = web_sys::AbortController::new().ok();
    let deadline = Deadline::start(controller.clone(), cancel);
    let signal = controller.as_ref().map(|c| c.signal());
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Accept", accept)
        .abort_signal(signal.as_ref());
    if let Some(key) = idempotency_key {
        builder = builder.header(paths::IDEMPOTENCY_KEY, key);
    }
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| deadline.failed())?;
    let received_ms = js_sys::Date::now();
    let reader = match response.body() {
        Some(stream) => Some(
            web_sys::ReadableStreamDefaultReader::new(&stream).map_err(|_| deadline.failed())?,
        ),
        None => None,
    };
    Ok(Incoming {
        status: response.status(),
        retry_after: response.headers().get("retry-after"),
        received_ms,
        reader,
        content_type: response.headers().get("content-type"),
        deadline,
    })
}
