//! The browser side of a regular-expression search: the pattern checked
//! with the page's own `RegExp` (an invalid one throws, and says why), and
//! the Worker (`assets/regex-worker.js`) that scans chunks of the log off
//! the page's thread, ended when a chunk takes longer than the limit.

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::log_pane::pattern_scan::{CHUNK_TIME_LIMIT_MS, PATTERN_FLAGS};

/// `<meta name="store-portal-regex-worker" content="regex-worker-….js"
/// data-integrity="sha384-…">`, written by the build.
const WORKER_META: &str = "store-portal-regex-worker";

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
    let walk = js_sys::RegExp::new(&String::from(pattern.source()), "giu");
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
        let meta = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(&format!("meta[name=\"{WORKER_META}\"]"))
                    .ok()
                    .flatten()
            })
            .ok_or("the page names no search worker")?;
        let attribute = |name: &str| meta.get_attribute(name).unwrap_or_default();
        let url = worker_url(&attribute("content"));
        if !CHECKED.get() {
            let fetched = gloo_net::http::Request::get(&url)
                .integrity(&attribute("data-integrity"))
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

    /// The rows of `text` (a chunk's text, already a JS string) that match
    /// `pattern`, within the time limit. The answer is a promise the
    /// Worker's message resolves and a timer (or an error) rejects: no
    /// closure of ours runs in between.
    pub async fn scan(&mut self, pattern: &str, text: JsValue) -> Answer {
        self.next_id += 1;
        let id = self.next_id;
        let message = js_sys::Object::new();
        for (key, value) in [
            ("id", JsValue::from(id)),
            ("pattern", JsValue::from_str(pattern)),
            ("text", text),
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
        if worker.post_message(&message).is_err() {
            return Answer::Failed("the chunk could not be sent".into());
        }
        let answered = wasm_bindgen_futures::JsFuture::from(answer).await;
        if let (Some(window), Some(timer)) = (web_sys::window(), timer) {
            window.clear_timeout_with_handle(timer);
        }
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

impl Drop for RegexWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The Worker's address: beside the app's own files (the JS glue's
/// preload link, which carries the mount path the build was made for).
fn worker_url(name: &str) -> String {
    let glue = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("link[rel=\"modulepreload\"]")
                .ok()
                .flatten()
        })
        .and_then(|link| link.get_attribute("href"));
    match glue.as_deref().and_then(|href| href.rsplit_once('/')) {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_owned(),
    }
}
