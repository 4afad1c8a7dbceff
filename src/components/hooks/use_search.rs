//! "Search log" over every line, not just the rows on screen: the whole log
//! scanned in slices (the page stays responsive), and again as lines arrive.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use yew::prelude::*;

use crate::log_pane::search::{hit_number, Query, SearchScan};
use crate::log_pane::tools::ToolAction;
use crate::log_pane::LogLines;

/// A search slice may run this long: few yields (each costs the browser's
/// minimum timer delay), still well under a long task (50 ms).
const SEARCH_SLICE_MS: f64 = 20.0;
/// Lines scanned between looks at the clock.
const LINES_PER_STEP: usize = 8_192;

/// The scan of the log being searched, shared with the scanning task.
type SharedScan = Rc<RefCell<Option<(LogLines, SearchScan)>>>;

pub struct SearchState {
    /// Matching lines found so far.
    pub hits_total: usize,
    /// The current match's number among them (1 for the first).
    pub current_number: Option<usize>,
    /// Lines are still being scanned.
    pub searching: bool,
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
                Some((_, scan)) => Rc::from(scan.hits()),
                None => Rc::from(Vec::new()),
            };
            go.emit(ToolAction::StepMatch { forward, hits });
        })
    }
}

/// Searches `lines` for `query` (lines of `hidden` levels left out);
/// `on_first_match` is told of the first match found when there is no
/// current one yet (typing a query shows its first match).
#[hook]
pub fn use_search(
    lines: &LogLines,
    query: &str,
    hidden: [bool; 4],
    current: Option<usize>,
    on_first_match: Callback<usize>,
) -> SearchState {
    let scan: SharedScan = use_mut_ref(|| None);
    let generation = use_mut_ref(|| 0u64);
    let rerender = use_force_update();
    {
        let (scan, generation, rerender) = (scan.clone(), generation.clone(), rerender.clone());
        use_effect_with(
            (query.to_owned(), hidden, lines.clone()),
            move |(query, hidden, lines)| {
                {
                    let mut held = scan.borrow_mut();
                    let keep = matches!((&*held, Query::new(query)), (Some((log, s)), Some(q))
                        if log.same_log(lines) && s.query == q && s.hidden() == *hidden);
                    if !keep {
                        *held =
                            Query::new(query).map(|q| (lines.clone(), SearchScan::new(q, *hidden)));
                    }
                }
                let this_run = {
                    let mut g = generation.borrow_mut();
                    *g += 1;
                    *g
                };
                let lines = lines.clone();
                let mut told_first = current.is_some();
                wasm_bindgen_futures::spawn_local(async move {
                    loop {
                        if *generation.borrow() != this_run {
                            return;
                        }
                        let started = js_sys::Date::now();
                        let (done, first, found) = {
                            let mut held = scan.borrow_mut();
                            let Some((_, scan)) = held.as_mut() else {
                                return;
                            };
                            if scan.is_done(&lines) {
                                return;
                            }
                            let before = scan.hits().len();
                            let done = loop {
                                let done = scan.advance(&lines, LINES_PER_STEP);
                                if done || js_sys::Date::now() - started > SEARCH_SLICE_MS {
                                    break done;
                                }
                            };
                            (
                                done,
                                scan.hits().first().copied(),
                                scan.hits().len() > before,
                            )
                        };
                        if let (false, Some(first)) = (told_first, first) {
                            told_first = true;
                            on_first_match.emit(first as usize);
                        }
                        // The count shows what is found so far; nothing new, no render.
                        if found || done {
                            rerender.force_update();
                        }
                        if done {
                            return;
                        }
                        TimeoutFuture::new(0).await;
                    }
                });
            },
        );
    }
    let (hits_total, current_number, searching) = match &*scan.borrow() {
        Some((_, s)) => (
            s.hits().len(),
            current.and_then(|c| hit_number(s.hits(), c)),
            !s.is_done(lines),
        ),
        None => (0, None, false),
    };
    SearchState {
        hits_total,
        current_number,
        searching,
        scan,
    }
}
