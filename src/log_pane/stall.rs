//! Telling the reader when a running job has gone quiet.

/// Silence longer than this is worth saying.
pub const STALL_AFTER_MS: f64 = 10_000.0;

/// Whole seconds without a new line, once over [`STALL_AFTER_MS`] while the
/// job runs; `None` otherwise.
pub fn stalled_seconds(now_ms: f64, last_line_at_ms: f64, running: bool) -> Option<u64> {
    let quiet = now_ms - last_line_at_ms;
    (running && quiet.is_finite() && quiet > STALL_AFTER_MS).then(|| (quiet / 1000.0) as u64)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn only_a_running_job_quiet_for_over_ten_seconds_is_stalled() {
        assert_eq!(stalled_seconds(20_000.0, 10_000.0, true), None);
        assert_eq!(stalled_seconds(22_400.0, 10_000.0, true), Some(12));
        assert_eq!(stalled_seconds(22_400.0, 10_000.0, false), None);
        assert_eq!(stalled_seconds(f64::NAN, 10_000.0, true), None);
    }
}
