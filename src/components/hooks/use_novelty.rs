//! "New in this attempt" over whole logs, a slice at a time: comparing two
//! million-line attempts takes about half a second of work, which would
//! freeze the page in one task.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use yew::prelude::*;

use super::work_slice::{work_for, LINES_PER_STEP, SCAN_SLICE_MS};
use crate::log_pane::novelty::NoveltyScan;
use crate::log_pane::LogLines;

/// The comparison being made, shared with its task.
struct Held {
    /// Which comparison this is (a task whose comparison was replaced stops).
    id: u64,
    lines: LogLines,
    previous: LogLines,
    scan: NoveltyScan,
    /// A task is going through it.
    running: bool,
    /// It has gone through every line once (lines that come later are
    /// compared as they come, without saying so again).
    compared: bool,
}

type Shared = Rc<RefCell<Option<Held>>>;

/// What the comparison has found so far.
pub struct Novelty {
    /// New lines found so far.
    pub total: usize,
    /// The first `listed` of them.
    pub first: Vec<u32>,
    /// The lines there were are still being compared, the first time.
    pub comparing: bool,
}

/// The warn and error lines of `lines` new since `previous` (while `on`),
/// found a slice at a time and again as lines come.
#[hook]
pub fn use_novelty(
    on: bool,
    lines: &LogLines,
    previous: Option<&LogLines>,
    listed: usize,
) -> Novelty {
    let shared: Shared = use_mut_ref(|| None);
    let next_id = use_mut_ref(|| 0u64);
    let rerender = use_force_update();
    {
        let (shared, rerender) = (shared.clone(), rerender.clone());
        let key = (on, lines.clone(), previous.cloned());
        use_effect_with(key, move |(on, lines, previous)| {
            let previous = match (on, previous) {
                (true, Some(previous)) => previous,
                _ => {
                    *shared.borrow_mut() = None;
                    return;
                }
            };
            let start = {
                let mut held = shared.borrow_mut();
                match &mut *held {
                    // The same two logs, the current one grown: on from
                    // where the comparison is.
                    Some(h) if h.lines.same_log(lines) && h.previous == *previous => {
                        h.lines = lines.clone();
                        (!h.running).then_some(h.id)
                    }
                    _ => {
                        let id = {
                            let mut n = next_id.borrow_mut();
                            *n += 1;
                            *n
                        };
                        *held = Some(Held {
                            id,
                            lines: lines.clone(),
                            previous: previous.clone(),
                            scan: NoveltyScan::default(),
                            running: false,
                            compared: false,
                        });
                        Some(id)
                    }
                }
            };
            if let Some(id) = start {
                if let Some(held) = shared.borrow_mut().as_mut() {
                    held.running = true;
                }
                wasm_bindgen_futures::spawn_local(compare(shared, id, rerender));
            }
        });
    }
    let held = shared.borrow();
    match &*held {
        Some(h) => Novelty {
            total: h.scan.found().len(),
            first: h.scan.found().iter().take(listed).copied().collect(),
            comparing: h.running && !h.compared,
        },
        // Before the first slice has run.
        None => Novelty {
            total: 0,
            first: Vec::new(),
            comparing: on && previous.is_some(),
        },
    }
}

/// Goes through the comparison `id` to the end of the lines it has, a
/// slice at a time, rendering after each.
async fn compare(shared: Shared, id: u64, rerender: UseForceUpdateHandle) {
    loop {
        let done = {
            let mut held = shared.borrow_mut();
            let Some(held) = held.as_mut().filter(|h| h.id == id) else {
                return;
            };
            let Held {
                scan,
                lines,
                previous,
                ..
            } = held;
            let done = work_for(SCAN_SLICE_MS, || {
                scan.advance(lines, previous, LINES_PER_STEP)
            });
            if done {
                held.running = false;
                held.compared = true;
            }
            done
        };
        rerender.force_update();
        if done {
            return;
        }
        TimeoutFuture::new(0).await;
    }
}
