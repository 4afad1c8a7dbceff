//! "Search log" over every line, not just the rows on screen: plain text
//! scanned in slices on the page (it stays responsive), a regular
//! expression by the browser's `RegExp` in a Worker (`regex_worker`); both
//! again as lines arrive.

use std::cell::Ref;
use std::collections::VecDeque;
use std::ops::Range;
use std::rc::Rc;

use yew::prelude::*;

use super::regex_worker::{
    checked_pattern, pattern_matches, Answer, IdleWorkers, RegexWorker, Sent,
};
use super::use_sliced_task::{use_sliced_task, Plan, TaskHandle, TaskSlot};
use crate::log_pane::level::PerLevel;
use crate::log_pane::pattern_scan::{byte_ranges_of_utf16, PatternScan, CHUNK_LINES};
use crate::log_pane::search::{hit_number, Query, SearchScan};
use crate::log_pane::tools::ToolAction;
use crate::log_pane::LogLines;
use crate::sliced_work::{Resumable, SliceBudget, LINES_PER_SCAN_STEP};

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

/// The search being run: the lines (a snapshot that grows) and the scan.
struct SearchTask {
    lines: LogLines,
    scan: Scan,
}

/// The plain-text scan runs on the page, a slice at a time; a pattern's
/// runs in the Workers (`run_pattern`).
impl Resumable for SearchTask {
    fn step(&mut self) -> bool {
        match &mut self.scan {
            Scan::Text(scan) => scan.advance(&self.lines, LINES_PER_SCAN_STEP),
            Scan::Pattern { .. } => true,
        }
    }
}

pub struct SearchState {
    /// Matching lines found so far.
    pub hits_total: usize,
    /// The current match's number among them (1 for the first).
    pub current_number: Option<usize>,
    /// Lines are still being scanned.
    pub searching: bool,
    /// Why the pattern cannot run, or why its search stopped.
    pub problem: Option<String>,
    slot: TaskSlot<SearchTask>,
}

impl SearchState {
    /// A callback that moves to the next (`true`) or previous match: the
    /// matches found by then are read when it is called, not at each render
    /// (a dense search finds a million).
    pub fn on_step(&self, go: Callback<ToolAction>) -> Callback<bool> {
        let slot = self.slot.clone();
        Callback::from(move |forward: bool| {
            let hits: Rc<[u32]> = match slot.task() {
                Some(task) => Rc::from(task.scan.hits()),
                None => Rc::from(Vec::new()),
            };
            go.emit(ToolAction::StepMatch { forward, hits });
        })
    }

    /// The byte ranges to mark in the text (as shown) of the line at `index`.
    pub fn marks_in(&self, index: usize, plain: &str) -> Vec<Range<usize>> {
        let Some(task) = self.slot.task() else {
            return Vec::new();
        };
        match &task.scan {
            Scan::Text(scan) => scan.query.matches_in(plain),
            // On the page's thread only lines the Worker found matching are
            // marked: the pattern has run on each of them already.
            Scan::Pattern { scan, regexp }
                if scan.hits().binary_search(&(index as u32)).is_ok() =>
            {
                byte_ranges_of_utf16(plain, &pattern_matches(regexp, plain, MARKS_PER_ROW))
            }
            Scan::Pattern { .. } => Vec::new(),
        }
    }

    /// The search (its identity) and the matching lines found so far, for
    /// "Only matching lines".
    pub fn matches(&self) -> (u64, Ref<'_, [u32]>) {
        let hits = self
            .slot
            .read(|task| task.map_or(&[][..], |t| t.scan.hits()));
        (self.slot.id(), hits)
    }
}

/// The search a query asks for (`Err`: why the pattern cannot run).
fn search_for(query: &str, regex: bool, hidden: PerLevel<bool>) -> Result<Option<Scan>, String> {
    if query.is_empty() {
        return Ok(None);
    }
    if !regex {
        return Ok(Query::new(query).map(|q| Scan::Text(SearchScan::new(q, hidden))));
    }
    let regexp = checked_pattern(query)?;
    Ok(Some(Scan::Pattern {
        scan: PatternScan::new(query, hidden),
        regexp,
    }))
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
    let workers = use_memo((), |_| IdleWorkers::default());
    let invalid = use_state_eq(|| None::<String>);
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
    let plan = {
        let invalid = invalid.clone();
        move |(query, regex, hidden, lines): &(String, bool, PerLevel<bool>, LogLines),
              held: Option<&mut SearchTask>| {
            let fresh = match search_for(query, *regex, *hidden) {
                Ok(fresh) => fresh,
                Err(why) => {
                    invalid.set(Some(why));
                    return Plan::Leave;
                }
            };
            invalid.set(None);
            let Some(scan) = fresh else {
                return Plan::Clear;
            };
            match held {
                Some(task)
                    if task.lines.same_log(lines) && task.scan.asks(query, *regex, *hidden) =>
                {
                    task.lines = lines.clone();
                    Plan::Resume
                }
                _ => Plan::Start(SearchTask {
                    lines: lines.clone(),
                    scan,
                }),
            }
        }
    };
    let run = {
        let mut first = FirstMatch {
            on_first_match,
            told: current.is_some(),
            seen: 0,
        };
        let idle = (*workers).clone();
        move |handle: TaskHandle<SearchTask>| {
            if regex {
                wasm_bindgen_futures::spawn_local(run_pattern(handle, idle, first));
            } else {
                let hits = |task: &mut SearchTask, _| {
                    (task.scan.hits().first().copied(), task.scan.hits().len())
                };
                let slices = handle.run_slices(SliceBudget::SCAN, hits, move |(at, total)| {
                    first.found(at, total)
                });
                wasm_bindgen_futures::spawn_local(slices);
            }
        }
    };
    let slot = use_sliced_task((query.to_owned(), regex, hidden, lines.clone()), plan, run);
    // Until the search for what the box says has started, it is being
    // searched (not the last search's count); an invalid pattern shows
    // the last search's results.
    let task = slot.task();
    let pending = !query.is_empty()
        && invalid.is_none()
        && !task
            .as_ref()
            .is_some_and(|task| task.scan.asks(query, regex, hidden));
    let (hits_total, current_number, searching, stopped) = match &task {
        _ if pending => (0, None, true, None),
        Some(task) => (
            task.scan.hits().len(),
            current.and_then(|c| hit_number(task.scan.hits(), c)),
            !task.scan.is_done(lines),
            match &task.scan {
                Scan::Pattern { scan, .. } => scan.stopped().map(|s| s.message()),
                Scan::Text(_) => None,
            },
        ),
        None => (0, None, false, None),
    };
    drop(task);
    SearchState {
        hits_total,
        current_number,
        searching,
        problem: (*invalid).clone().or(stopped),
        slot,
    }
}

/// Tells of a search's first match, once (when there is no current one
/// yet), and says whether more were found since it last looked.
struct FirstMatch {
    on_first_match: Callback<usize>,
    told: bool,
    seen: usize,
}

impl FirstMatch {
    /// Told the first match (`at`) and how many there are now; called with
    /// nothing held (the callback may render).
    fn found(&mut self, at: Option<u32>, total: usize) -> bool {
        if let (false, Some(first)) = (self.told, at) {
            self.told = true;
            self.on_first_match.emit(first as usize);
        }
        let more = total > self.seen;
        self.seen = total;
        more
    }
}

/// Sends the pattern's chunks to the Workers as they are free and takes
/// their answers, until the lines there are have been searched, the search
/// is replaced or it stops.
async fn run_pattern(handle: TaskHandle<SearchTask>, idle: IdleWorkers, mut first: FirstMatch) {
    let mut workers = match idle.take().await {
        Ok(workers) => workers,
        Err(why) => return stop_pattern(handle, why),
    };
    // Chunks out, oldest first: the Worker each is with, its answer.
    let mut out: VecDeque<(usize, Sent)> = VecDeque::new();
    loop {
        // Every Worker without a chunk gets the next one.
        let free: Vec<usize> = (0..workers.len())
            .filter(|w| out.iter().all(|(busy, _)| busy != w))
            .collect();
        for free in free {
            let next = handle.with(|task| {
                let Scan::Pattern { scan, .. } = &mut task.scan else {
                    return None;
                };
                let pattern = scan.pattern.clone();
                Some((pattern, scan.next_chunk(&task.lines, CHUNK_LINES)?))
            });
            match next {
                Some(Some((pattern, chunk))) => match workers[free].send(&pattern, &chunk) {
                    Ok(sent) => out.push_back((free, sent)),
                    Err(why) => return stop_pattern(handle, why),
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
            return handle.finish();
        };
        let answer = workers[with].answer(sent).await;
        let ended = matches!(answer, Answer::TooSlow | Answer::Failed(_));
        let outcome = handle.with(|task| {
            let Scan::Pattern { scan, .. } = &mut task.scan else {
                return (None, 0, true);
            };
            match answer {
                Answer::Rows(rows) => scan.answered(&rows),
                Answer::TooSlow => scan.stop(None),
                Answer::Failed(why) => scan.stop(Some(why)),
            }
            let hits = scan.hits();
            (hits.first().copied(), hits.len(), scan.is_done(&task.lines))
        });
        let Some((at, total, done)) = outcome else {
            if !ended {
                park(idle, workers, out).await;
            }
            return;
        };
        if first.found(at, total) || done {
            handle.render();
        }
        if ended {
            // The Workers end with the search (a slow one already
            // has): the next search starts new ones.
            return handle.finish();
        }
    }
}

/// The Workers could not start or take a chunk: the search says why.
fn stop_pattern(handle: TaskHandle<SearchTask>, why: String) {
    handle.with(|task| {
        if let Scan::Pattern { scan, .. } = &mut task.scan {
            scan.stop(Some(why));
        }
    });
    handle.finish();
    handle.render();
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
