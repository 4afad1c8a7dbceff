//! "Search log" over every line, not just the rows on screen: plain text
//! scanned in slices on the page (it stays responsive), a regular
//! expression by the browser's `RegExp` in a Worker (`regex_worker`); both
//! again as lines arrive.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use yew::prelude::*;

use super::regex_worker::{
    checked_pattern, pattern_matches, Answer, IdleWorkers, RegexWorker, Sent,
};
use super::work_slice::{work_for, LINES_PER_STEP, SCAN_SLICE_MS};
use crate::log_pane::level::PerLevel;
use crate::log_pane::pattern_scan::{byte_ranges_of_utf16, PatternScan, CHUNK_LINES};
use crate::log_pane::search::{hit_number, Query, SearchScan};
use crate::log_pane::tools::ToolAction;
use crate::log_pane::LogLines;

/// Matches marked in one row at most (a pattern that matches every
/// character of a long line marks its first ones).
const MARKS_PER_ROW: usize = 64;

/// A search of the log, by either engine.
enum Scan {
    Text(SearchScan),
    Pattern {
        scan: PatternScan,
        /// For marking the rows on screen (only lines known to match).
        regexp: js_sys::RegExp,
    },
}

impl Scan {
    fn hits(&self) -> &[u32] {
        match self {
            Scan::Text(scan) => scan.hits(),
            Scan::Pattern { scan, .. } => scan.hits(),
        }
    }

    fn is_done(&self, lines: &LogLines) -> bool {
        match self {
            Scan::Text(scan) => scan.is_done(lines),
            Scan::Pattern { scan, .. } => scan.is_done(lines),
        }
    }

    fn asks(&self, query: &str, regex: bool, hidden: PerLevel<bool>) -> bool {
        match self {
            Scan::Text(scan) => {
                !regex && Query::new(query).as_ref() == Some(&scan.query) && scan.hidden() == hidden
            }
            Scan::Pattern { scan, .. } => regex && scan.pattern == query && scan.hidden() == hidden,
        }
    }
}

/// The search being run, shared with its scanning task.
struct Held {
    /// Which search this is (a task whose search was replaced stops).
    id: u64,
    lines: LogLines,
    scan: Scan,
    /// A task is scanning it.
    scanning: bool,
}

type SharedScan = Rc<RefCell<Option<Held>>>;

pub struct SearchState {
    /// Matching lines found so far.
    pub hits_total: usize,
    /// The current match's number among them (1 for the first).
    pub current_number: Option<usize>,
    /// Lines are still being scanned.
    pub searching: bool,
    /// Why the pattern cannot run, or why its search stopped.
    pub problem: Option<String>,
    scan: SharedScan,
}

impl SearchState {
    /// A callback that moves to the next (`true`) or previous match: the
    /// matches found by then are read when it is called, not at each render
    /// (a dense search finds a million).
    pub fn on_step(&self, go: Callback<ToolAction>) -> Callback<bool> {
        let scan = self.scan.clone();
        Callback::from(move |forward: bool| {
            let hits: Rc<[u32]> = match &*scan.borrow() {
                Some(held) => Rc::from(held.scan.hits()),
                None => Rc::from(Vec::new()),
            };
            go.emit(ToolAction::StepMatch { forward, hits });
        })
    }

    /// The byte ranges to mark in the text (as shown) of the line at `index`.
    pub fn marks_in(&self, index: usize, plain: &str) -> Vec<Range<usize>> {
        match &*self.scan.borrow() {
            Some(Held {
                scan: Scan::Text(scan),
                ..
            }) => scan.query.matches_in(plain),
            // On the page's thread only lines the Worker found matching are
            // marked: the pattern has run on each of them already.
            Some(Held {
                scan: Scan::Pattern { scan, regexp },
                ..
            }) if scan.hits().binary_search(&(index as u32)).is_ok() => {
                byte_ranges_of_utf16(plain, &pattern_matches(regexp, plain, MARKS_PER_ROW))
            }
            _ => Vec::new(),
        }
    }

    /// The search (its identity) and the matching lines found so far, for
    /// "Only matching lines".
    pub fn matches(&self) -> (u64, std::cell::Ref<'_, [u32]>) {
        let held = self.scan.borrow();
        let id = held.as_ref().map_or(0, |h| h.id);
        let hits = std::cell::Ref::map(held, |h| h.as_ref().map_or(&[][..], |h| h.scan.hits()));
        (id, hits)
    }
}

/// Searches `lines` for `query`, a regular expression when `regex` (lines
/// of `hidden` levels left out); `on_first_match` is told of the first
/// match found when there is no current one yet (typing a query shows its
/// first match). An invalid pattern keeps the last search's results.
#[hook]
pub fn use_search(
    lines: &LogLines,
    query: &str,
    regex: bool,
    hidden: PerLevel<bool>,
    current: Option<usize>,
    on_first_match: Callback<usize>,
) -> SearchState {
    let shared: SharedScan = use_mut_ref(|| None);
    let workers = use_memo((), |_| IdleWorkers::default());
    let next_id = use_mut_ref(|| 0u64);
    let invalid = use_state_eq(|| None::<String>);
    let rerender = use_force_update();
    // "Regular expression" ticked: the Workers start before the first
    // pattern is typed.
    {
        let workers = workers.clone();
        use_effect_with(regex, move |regex| {
            if *regex {
                workers.prewarm();
            }
        });
    }
    {
        let (shared, rerender, invalid) = (shared.clone(), rerender.clone(), invalid.clone());
        use_effect_with(
            (query.to_owned(), regex, hidden, lines.clone()),
            move |(query, regex, hidden, lines)| {
                let (query, regex, hidden) = (query.as_str(), *regex, *hidden);
                let fresh = match (query.is_empty(), regex) {
                    (true, _) => None,
                    (false, false) => {
                        Query::new(query).map(|q| Scan::Text(SearchScan::new(q, hidden)))
                    }
                    (false, true) => match checked_pattern(query) {
                        Ok(regexp) => Some(Scan::Pattern {
                            scan: PatternScan::new(query, hidden),
                            regexp,
                        }),
                        Err(why) => {
                            invalid.set(Some(why));
                            return;
                        }
                    },
                };
                invalid.set(None);
                let mut cleared = false;
                let start = {
                    let mut held = shared.borrow_mut();
                    match (&mut *held, fresh) {
                        (_, None) => {
                            cleared = held.take().is_some();
                            None
                        }
                        (Some(h), Some(_))
                            if h.lines.same_log(lines) && h.scan.asks(query, regex, hidden) =>
                        {
                            h.lines = lines.clone();
                            (!h.scanning).then_some((h.id, false))
                        }
                        (_, Some(scan)) => {
                            let id = {
                                let mut n = next_id.borrow_mut();
                                *n += 1;
                                *n
                            };
                            *held = Some(Held {
                                id,
                                lines: lines.clone(),
                                scan,
                                scanning: false,
                            });
                            Some((id, true))
                        }
                    }
                };
                let Some((id, replaced)) = start else {
                    if cleared {
                        rerender.force_update();
                    }
                    return;
                };
                // A new search shows at once what it has: nothing yet.
                if replaced {
                    rerender.force_update();
                }
                if let Some(held) = shared.borrow_mut().as_mut() {
                    held.scanning = true;
                }
                let told_first = current.is_some();
                let task = ScanTask {
                    shared,
                    id,
                    rerender,
                    on_first_match,
                    told_first,
                };
                if regex {
                    wasm_bindgen_futures::spawn_local(task.run_pattern((*workers).clone()));
                } else {
                    wasm_bindgen_futures::spawn_local(task.run_text());
                }
            },
        );
    }
    // Until the search for what the box says has started, it is being
    // searched (not the last search's count); an invalid pattern shows
    // the last search's results.
    let pending = !query.is_empty()
        && invalid.is_none()
        && !shared
            .borrow()
            .as_ref()
            .is_some_and(|held| held.scan.asks(query, regex, hidden));
    let (hits_total, current_number, searching, stopped) = match &*shared.borrow() {
        _ if pending => (0, None, true, None),
        Some(held) => (
            held.scan.hits().len(),
            current.and_then(|c| hit_number(held.scan.hits(), c)),
            !held.scan.is_done(lines),
            match &held.scan {
                Scan::Pattern { scan, .. } => scan.stopped().map(|s| s.message()),
                Scan::Text(_) => None,
            },
        ),
        None => (0, None, false, None),
    };
    SearchState {
        hits_total,
        current_number,
        searching,
        problem: (*invalid).clone().or(stopped),
        scan: shared,
    }
}

/// The task that scans one search to the end of the lines it has.
struct ScanTask {
    shared: SharedScan,
    id: u64,
    rerender: UseForceUpdateHandle,
    on_first_match: Callback<usize>,
    told_first: bool,
}

impl ScanTask {
    /// Runs `step` on the search while it is still this task's: `None` once
    /// it is not. Nothing is borrowed when the caller then renders.
    fn with_held<T>(&self, step: impl FnOnce(&mut Held) -> T) -> Option<T> {
        let mut held = self.shared.borrow_mut();
        held.as_mut().filter(|h| h.id == self.id).map(step)
    }

    /// Tells of the first match, and renders when something was found or
    /// the scan ended (the count shows what is found so far).
    fn report(&mut self, first: Option<u32>, found: bool, done: bool) {
        if let (false, Some(first)) = (self.told_first, first) {
            self.told_first = true;
            self.on_first_match.emit(first as usize);
        }
        if found || done {
            self.rerender.force_update();
        }
    }

    fn finish(&self) {
        self.with_held(|held| held.scanning = false);
    }

    async fn run_text(mut self) {
        loop {
            let slice = self.with_held(|held| {
                let Scan::Text(scan) = &mut held.scan else {
                    return None;
                };
                let before = scan.hits().len();
                let done = work_for(SCAN_SLICE_MS, || scan.advance(&held.lines, LINES_PER_STEP));
                Some((
                    scan.hits().first().copied(),
                    scan.hits().len() > before,
                    done,
                ))
            });
            let Some(Some((first, found, done))) = slice else {
                return self.finish();
            };
            self.report(first, found, done);
            if done {
                return self.finish();
            }
            TimeoutFuture::new(0).await;
        }
    }

    async fn run_pattern(mut self, idle: IdleWorkers) {
        let mut workers = match idle.take().await {
            Ok(workers) => workers,
            Err(why) => return self.stop_pattern(why),
        };
        // Chunks out, oldest first: the Worker each is with, its answer.
        let mut out: VecDeque<(usize, Sent)> = VecDeque::new();
        loop {
            // Every Worker without a chunk gets the next one.
            let free: Vec<usize> = (0..workers.len())
                .filter(|w| out.iter().all(|(busy, _)| busy != w))
                .collect();
            for free in free {
                let next = self.with_held(|held| {
                    let Scan::Pattern { scan, .. } = &mut held.scan else {
                        return None;
                    };
                    let pattern = scan.pattern.clone();
                    Some((pattern, scan.next_chunk(&held.lines, CHUNK_LINES)?))
                });
                match next {
                    Some(Some((pattern, chunk))) => match workers[free].send(&pattern, &chunk) {
                        Ok(sent) => out.push_back((free, sent)),
                        Err(why) => return self.stop_pattern(why),
                    },
                    Some(None) => break,
                    // Replaced: the Workers answer what they have, then
                    // wait for the next search.
                    None => return park(idle, workers, out).await,
                }
            }
            let Some((with, sent)) = out.pop_front() else {
                // Done with the lines there are.
                idle.keep(workers);
                return self.finish();
            };
            let answer = workers[with].answer(sent).await;
            let ended = matches!(answer, Answer::TooSlow | Answer::Failed(_));
            let outcome = self.with_held(|held| {
                let Scan::Pattern { scan, .. } = &mut held.scan else {
                    return (None, false, true);
                };
                let before = scan.hits().len();
                match answer {
                    Answer::Rows(rows) => scan.answered(&rows),
                    Answer::TooSlow => scan.stop(None),
                    Answer::Failed(why) => scan.stop(Some(why)),
                }
                let done = scan.is_done(&held.lines);
                (
                    scan.hits().first().copied(),
                    scan.hits().len() > before,
                    done,
                )
            });
            let Some((first, found, done)) = outcome else {
                if !ended {
                    park(idle, workers, out).await;
                }
                return;
            };
            self.report(first, found, done);
            if ended {
                // The Workers end with the search (a slow one already
                // has): the next search starts new ones.
                return self.finish();
            }
        }
    }

    /// The Workers could not start or take a chunk: the search says why.
    fn stop_pattern(self, why: String) {
        self.with_held(|held| {
            if let Scan::Pattern { scan, .. } = &mut held.scan {
                scan.stop(Some(why));
            }
        });
        self.finish();
        self.rerender.force_update();
    }
}

/// Waits for the answers still to come (so none reaches the next search),
/// then keeps the Workers for the next search, unless one was too slow.
async fn park(idle: IdleWorkers, workers: Vec<RegexWorker>, out: VecDeque<(usize, Sent)>) {
    for (with, sent) in out {
        if !matches!(workers[with].answer(sent).await, Answer::Rows(_)) {
            return;
        }
    }
    idle.keep(workers);
}
