//! The browser side of a regular-expression search: the pattern checked
//! with the page's own `RegExp` (an invalid one throws, and says why), and
//! the Worker (`assets/regex-worker.js`) that scans chunks of the log off
//! the page's thread, ended when a chunk takes longer than the limit.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::log_pane::pattern_scan::{ChunkText, CHUNK_TIME_LIMIT_MS, IN_FLIGHT, PATTERN_FLAGS};

/// The pattern as the page's `RegExp` takes it, or why it cannot
/// ("Unterminated group").
pub fn checked_pattern(pattern: &str) -> Result<js_sys::RegExp, String> {
    let constructor = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("RegExp"))
        .map_err(|_| "this browser has no RegExp".to_owned())?;
    let args = js_sys::Array::of2(&pattern.into(), &PATTERN_FLAGS.into());
    match js_sys::Reflect::construct(constructor.unchecked_ref::<js_sys::Function>(), &args) {
        Ok(made) => Ok(made.unchecked_into()),
        Err(thrown) => Err(reason(&thrown)),
    }
}

/// "Invalid regular expression: /(/iu: Unterminated group" (Chromium) or
/// "unterminated parenthetical" (Firefox): the reason, capitalised.
fn reason(thrown: &JsValue) -> String {
    let message: String = thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| e.message().into())
        .unwrap_or_else(|| "invalid pattern".to_owned());
    let mut last = message
        .rsplit(": ")
        .next()
        .unwrap_or(&message)
        .trim()
        .to_owned();
    // The engines' messages are English: an ASCII first letter (Unicode's
    // upper-case tables would cost the wasm kilobytes).
    if let Some(first) = last.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if last.is_empty() {
        last.push_str("Invalid pattern");
    }
    last
}

/// The matches of `pattern` in `text` (at most `max`), as `RegExp`
/// counts: UTF-16 code units.
pub fn pattern_matches(pattern: &js_sys::RegExp, text: &str, max: usize) -> Vec<(u32, u32)> {
    let walk = js_sys::RegExp::new(
        &String::from(pattern.source()),
        &format!("g{PATTERN_FLAGS}"),
    );
    let mut found = Vec::new();
    while found.len() < max {
        let Some(hit) = walk.exec(text) else { break };
        let start = js_sys::Reflect::get(&hit, &JsValue::from_str("index"))
            .ok()
            .and_then(|i| i.as_f64())
            .unwrap_or(0.0) as u32;
        let length = hit
            .get(0)
            .as_string()
            .map_or(0, |s| s.encode_utf16().count() as u32);
        if length == 0 {
            // An empty match marks nothing; step past it.
            walk.set_last_index(walk.last_index() + 1);
            continue;
        }
        found.push((start, start + length));
    }
    found
}

/// What came of a chunk given to the Worker.
pub enum Answer {
    Rows(Vec<u32>),
    /// It took longer than the limit: the Worker has been ended.
    TooSlow,
    Failed(String),
}

thread_local! {
    /// The Worker's script passed its integrity check once this session.
    static CHECKED: Cell<bool> = const { Cell::new(false) };
}

/// A module Worker running `assets/regex-worker.js`; ended when dropped.
pub struct RegexWorker {
    worker: web_sys::Worker,
    next_id: u32,
}

impl RegexWorker {
    /// Starts the Worker from the script the build named, after fetching it
    /// once with its SRI hash (a Worker's own request cannot carry one): a
    /// script that fails the check never runs.
    pub async fn start() -> Result<RegexWorker, String> {
        let (url, integrity) =
            crate::deployment::worker_asset().ok_or("the page names no search worker")?;
        if !CHECKED.get() {
            let fetched = gloo_net::http::Request::get(&url)
                .integrity(&integrity)
                .send()
                .await;
            match fetched {
                Ok(response) if response.ok() => CHECKED.set(true),
                _ => return Err("its script did not load or failed its integrity check".into()),
            }
        }
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(&url, &options)
            .map_err(|_| "the browser refused to start it".to_owned())?;
        Ok(RegexWorker { worker, next_id: 0 })
    }

    /// Starts `IN_FLIGHT` Workers, one for each chunk out at once.
    pub async fn start_all() -> Result<Vec<RegexWorker>, String> {
        let mut workers = Vec::with_capacity(IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            workers.push(RegexWorker::start().await?);
        }
        Ok(workers)
    }

    /// Hands the Worker `chunk` to search for `pattern`: its UTF-8, copied
    /// out of the wasm memory into a buffer that moves to the Worker, which
    /// decodes it (a decode on the page took longer than the search).
    /// `answer` waits for what it found. One chunk at a time: the answer is
    /// a promise the Worker's message resolves and a timer (or an error)
    /// rejects, so no closure of ours runs in between.
    pub fn send(&mut self, pattern: &str, chunk: &ChunkText) -> Result<Sent, String> {
        let text = js_sys::Uint8Array::from(chunk.text.as_bytes());
        let moved = js_sys::Array::of1(&text.buffer());
        self.next_id += 1;
        let id = self.next_id;
        let message = js_sys::Object::new();
        let rows = js_sys::Array::of2(&chunk.rows[0].into(), &chunk.rows[1].into());
        for (key, value) in [
            ("id", JsValue::from(id)),
            ("pattern", JsValue::from_str(pattern)),
            ("flags", JsValue::from_str(PATTERN_FLAGS)),
            ("text", text.into()),
            ("split", JsValue::from(chunk.split as u32)),
            ("rows", rows.into()),
        ] {
            let _ = js_sys::Reflect::set(&message, &JsValue::from_str(key), &value);
        }
        let (worker, mut timer) = (&self.worker, None);
        let answer = js_sys::Promise::new(&mut |resolve, reject| {
            worker.set_onmessage(Some(&resolve));
            worker.set_onerror(Some(&reject));
            timer = web_sys::window().and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &reject,
                    CHUNK_TIME_LIMIT_MS as i32,
                )
                .ok()
            });
        });
        let sent = Sent {
            id,
            answer: wasm_bindgen_futures::JsFuture::from(answer),
            timer,
        };
        if worker.post_message_with_transfer(&message, &moved).is_err() {
            clear_timer(sent.timer);
            return Err("the chunk could not be sent".into());
        }
        Ok(sent)
    }

    /// The rows of the chunk `sent` that match, within the time limit; a
    /// Worker over it is ended.
    pub async fn answer(&self, sent: Sent) -> Answer {
        let Sent { id, answer, timer } = sent;
        let answered = answer.await;
        clear_timer(timer);
        let data = match answered {
            Ok(event) => {
                js_sys::Reflect::get(&event, &JsValue::from_str("data")).unwrap_or_default()
            }
            // The timer (no value) or the Worker's error event.
            Err(reason) if reason.is_undefined() => {
                self.worker.terminate();
                return Answer::TooSlow;
            }
            Err(_) => return Answer::Failed("its script failed".into()),
        };
        let field = |key: &str| js_sys::Reflect::get(&data, &JsValue::from_str(key)).ok();
        if field("id").and_then(|v| v.as_f64()) != Some(f64::from(id)) {
            return Answer::Failed("it answered out of turn".into());
        }
        if let Some(error) = field("error").and_then(|v| v.as_string()) {
            return Answer::Failed(error);
        }
        let rows = field("rows")
            .and_then(|v| v.dyn_into::<js_sys::Uint32Array>().ok())
            .map(|rows| rows.to_vec())
            .unwrap_or_default();
        Answer::Rows(rows)
    }
}

/// A chunk with a Worker: its answer to come, and the time limit's timer.
pub struct Sent {
    id: u32,
    answer: wasm_bindgen_futures::JsFuture,
    timer: Option<i32>,
}

fn clear_timer(timer: Option<i32>) {
    if let (Some(window), Some(timer)) = (web_sys::window(), timer) {
        window.clear_timeout_with_handle(timer);
    }
}

/// The Workers between searches, shared by the searches of one pane: being
/// started (ticking "Regular expression" starts them before a pattern is
/// typed), or ready. A search that comes while they start waits for them
/// instead of starting more.
#[derive(Clone, Default)]
pub struct IdleWorkers(Rc<RefCell<Option<Idle>>>);

enum Idle {
    /// Resolves once the Workers being started are ready (or failed).
    Starting(js_sys::Promise),
    Ready(Vec<RegexWorker>),
}

impl IdleWorkers {
    /// Starts the Workers unless they are ready or starting.
    pub fn prewarm(&self) {
        if self.0.borrow().is_some() {
            return;
        }
        let mut done = None;
        let started = js_sys::Promise::new(&mut |resolve, _| done = Some(resolve));
        *self.0.borrow_mut() = Some(Idle::Starting(started));
        let slot = self.0.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let workers = RegexWorker::start_all().await;
            {
                let mut slot = slot.borrow_mut();
                // Unless a search has put back its own meanwhile.
                if matches!(*slot, Some(Idle::Starting(_))) {
                    *slot = workers.ok().map(Idle::Ready);
                }
            }
            if let Some(done) = done {
                let _ = done.call0(&JsValue::NULL);
            }
        });
    }

    /// Workers for a search: the ready ones, those being started once they
    /// are, or new ones.
    pub async fn take(&self) -> Result<Vec<RegexWorker>, String> {
        loop {
            let starting = match self.0.borrow_mut().take() {
                Some(Idle::Ready(workers)) => return Ok(workers),
                Some(Idle::Starting(started)) => started,
                None => break,
            };
            *self.0.borrow_mut() = Some(Idle::Starting(starting.clone()));
            let _ = wasm_bindgen_futures::JsFuture::from(starting).await;
        }
        RegexWorker::start_all().await
    }

    /// Keeps a search's Workers for the next one.
    pub fn keep(&self, workers: Vec<RegexWorker>) {
        let mut slot = self.0.borrow_mut();
        if !matches!(*slot, Some(Idle::Ready(_))) {
            *slot = Some(Idle::Ready(workers));
        }
    }
}

impl Drop for RegexWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
