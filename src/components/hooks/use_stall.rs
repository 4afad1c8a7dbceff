//! "No new lines for 12 s": the silence of a running job.

use yew::prelude::*;

use super::use_now;
use crate::log_pane::stall::stalled_seconds;

/// Seconds without a new line while `running` (past the stall threshold).
#[hook]
pub fn use_stall(lines_held: usize, running: bool) -> Option<u64> {
    let now = use_now(running);
    let arrival = use_mut_ref(|| (0usize, js_sys::Date::now()));
    if arrival.borrow().0 != lines_held {
        *arrival.borrow_mut() = (lines_held, js_sys::Date::now());
    }
    let since = arrival.borrow().1;
    stalled_seconds(now, since, running)
}
