//! "New in this attempt" over whole logs, a slice at a time: comparing two
//! million-line attempts takes about half a second of work, which would
//! freeze the page in one task.

use yew::prelude::*;

use super::use_sliced_task::{use_sliced_task, Plan};
use crate::log_pane::novelty::NoveltyTask;
use crate::log_pane::LogLines;
use crate::sliced_work::SliceBudget;

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
    let key = (on, lines.clone(), previous.cloned());
    let slot = use_sliced_task(
        key,
        |(on, lines, previous), held: Option<&mut NoveltyTask>| {
            let Some(previous) = previous.as_ref().filter(|_| *on) else {
                return Plan::Clear;
            };
            if held.is_some_and(|task| task.resume_with(lines, previous)) {
                Plan::Resume
            } else {
                Plan::Start(NoveltyTask::new(lines, previous))
            }
        },
        |handle| {
            let slices = handle.run_slices(SliceBudget::SCAN, |_, _| (), |()| true);
            wasm_bindgen_futures::spawn_local(slices)
        },
    );
    let running = slot.running();
    let novelty = match slot.task() {
        Some(task) => Novelty {
            total: task.found().len(),
            first: task.found().iter().take(listed).copied().collect(),
            comparing: running && !task.compared(),
        },
        // Before the first slice has run.
        None => Novelty {
            total: 0,
            first: Vec::new(),
            comparing: on && previous.is_some(),
        },
    };
    novelty
}
