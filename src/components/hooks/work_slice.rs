//! Long work on the page's thread cut into slices: a slice runs a step
//! again and again until the step is done or the slice's time is up, then
//! the task yields, so no task is long (over 50 ms).

/// A slice of a scan over the log may run this long: few yields (each
/// costs the browser's minimum timer delay), still well under a long task.
pub const SCAN_SLICE_MS: f64 = 20.0;
/// Lines a scan goes through between looks at the clock.
pub const LINES_PER_STEP: usize = 8_192;

/// Runs `step` (a bounded piece of work: `true` once there is no more)
/// until it is done or `limit_ms` have passed since the slice began;
/// whether it is done.
pub fn work_for(limit_ms: f64, mut step: impl FnMut() -> bool) -> bool {
    let started = js_sys::Date::now();
    loop {
        let done = step();
        if done || js_sys::Date::now() - started > limit_ms {
            return done;
        }
    }
}
