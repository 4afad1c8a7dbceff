//! The rows the log pane shows, kept between renders: grown with the log
//! as lines arrive (and matches are found, for "Only matching lines"), built
//! afresh when a choice (filter, folds, wrap width) changes or another log
//! is shown.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::log_pane::steps::{StepMark, StepTally};
use crate::log_pane::view::{View, ViewOptions};
use crate::log_pane::LogLines;

struct ViewCache {
    lines: LogLines,
    view: Rc<RefCell<View>>,
}

#[hook]
pub fn use_view(
    lines: &LogLines,
    steps: &[StepMark],
    options: ViewOptions,
    matches: (u64, &[u32]),
) -> Rc<RefCell<View>> {
    let cache = use_mut_ref(|| ViewCache {
        lines: LogLines::default(),
        view: Rc::new(RefCell::new(View::new(ViewOptions::default()))),
    });
    let mut cache = cache.borrow_mut();
    if !cache.lines.same_log(lines) || cache.view.borrow().options() != &options {
        cache.view = Rc::new(RefCell::new(View::new(options)));
    }
    cache.view.borrow_mut().update(lines, steps, matches);
    cache.lines = lines.clone();
    cache.view.clone()
}

/// Each step's lines by level, grown with the log (its header's counts),
/// and the steps that fold by their outcome: finished without an error
/// line. Those are taken in only while the log follows its newest line
/// (`follow`), so nothing folds under a reader who scrolled back to read.
#[hook]
pub fn use_fold_by_outcome(
    lines: &LogLines,
    steps: &[StepMark],
    running: bool,
    follow: bool,
) -> (Rc<RefCell<StepTally>>, Vec<usize>) {
    let tally = use_mut_ref(StepTally::default);
    let kept = use_mut_ref(Vec::new);
    tally.borrow_mut().update(lines, steps);
    if follow {
        *kept.borrow_mut() = tally.borrow().fold_by_outcome(running);
    }
    let folds = kept.borrow().clone();
    (tally, folds)
}
