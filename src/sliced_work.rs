//! Long work on the page's one thread, done a slice at a time so no task is
//! long (over 50 ms): the browser paints and handles input between slices.
//! A piece of work is [`Resumable`] (a bounded step that says whether all
//! is done); a [`SliceBudget`] says how long one slice may run and runs the
//! steps until it is spent. The clock is passed in, so this is tested
//! natively; the page's shell (`components::hooks::use_sliced_task`) runs
//! slices in its idle time. Every long piece of work on the page uses it:
//! the plain-text search, "New in this attempt", the download, and the
//! poller applying a page of lines.

/// Lines a scan over the log goes through in one step (between looks at
/// the clock).
pub const LINES_PER_SCAN_STEP: usize = 8_192;

/// Work that can stop after any step and go on later.
pub trait Resumable {
    /// Does a bounded piece of the work; `true` once there is no more.
    fn step(&mut self) -> bool;
}

impl<F: FnMut() -> bool> Resumable for F {
    fn step(&mut self) -> bool {
        self()
    }
}

/// How long one slice may run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SliceBudget {
    pub ms: f64,
}

impl SliceBudget {
    /// A scan over the log (search, "New in this attempt"): few yields
    /// (each costs the browser's minimum timer delay), still well under a
    /// long task.
    pub const SCAN: SliceBudget = SliceBudget { ms: 20.0 };
    /// Writing the log as a file, and applying a page of lines as it
    /// arrives: each slice ends in other work (a blob, a render).
    pub const SHORT: SliceBudget = SliceBudget { ms: 12.0 };

    /// When a slice begun at `now_ms` is spent.
    pub fn deadline(self, now_ms: f64) -> Deadline {
        Deadline(now_ms + self.ms)
    }

    /// Runs `work` a step at a time until it is done or the budget is
    /// spent, reading the time from `clock` (ms); whether it is done. At
    /// least one step runs.
    pub fn run(self, mut clock: impl FnMut() -> f64, work: &mut impl Resumable) -> bool {
        let deadline = self.deadline(clock());
        loop {
            let done = work.step();
            if done || deadline.passed(clock()) {
                return done;
            }
        }
    }
}

/// The end of a slice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deadline(f64);

impl Deadline {
    pub fn passed(self, now_ms: f64) -> bool {
        now_ms > self.0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    /// Work of `steps` steps, each taking `step_ms` on a clock it moves,
    /// and how many steps have run.
    fn counted(
        steps: u32,
        step_ms: f64,
        clock: &Cell<f64>,
    ) -> (impl FnMut() -> bool + '_, Rc<Cell<u32>>) {
        let done = Rc::new(Cell::new(0));
        let seen = done.clone();
        let work = move || {
            clock.set(clock.get() + step_ms);
            done.set(done.get() + 1);
            done.get() >= steps
        };
        (work, seen)
    }

    #[test]
    fn a_slice_runs_steps_until_its_budget_is_spent_then_goes_on_later() {
        let clock = Cell::new(1_000.0);
        let (mut work, steps) = counted(100, 3.0, &clock);
        let budget = SliceBudget { ms: 10.0 };
        assert!(!budget.run(|| clock.get(), &mut work));
        // 3, 6, 9 ms are within 10; the fourth step ends at 12: spent.
        assert_eq!(steps.get(), 4);
        let mut slices = 1;
        while !budget.run(|| clock.get(), &mut work) {
            slices += 1;
        }
        assert_eq!((steps.get(), slices + 1), (100, 25));
    }

    #[test]
    fn a_slice_ends_when_the_work_is_done_and_always_takes_one_step() {
        let clock = Cell::new(0.0);
        let (mut work, steps) = counted(2, 0.0, &clock);
        assert!(SliceBudget::SCAN.run(|| clock.get(), &mut work));
        assert_eq!(steps.get(), 2, "no step after the last");
        let (mut slow, steps) = counted(5, 500.0, &clock);
        assert!(!SliceBudget { ms: 0.0 }.run(|| clock.get(), &mut slow));
        assert_eq!(
            steps.get(),
            1,
            "a step longer than the budget still runs once"
        );
    }

    #[test]
    fn a_deadline_passes_after_its_budget() {
        let deadline = SliceBudget::SHORT.deadline(100.0);
        assert!(!deadline.passed(112.0));
        assert!(deadline.passed(112.5));
    }
}
