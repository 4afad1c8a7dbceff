//! "Why it failed": what a reader of a failed job looks for first, found by
//! rules rather than by scrolling — the service's error, the step the job
//! was in, the first error line and the last warnings and errors before the
//! end — and the same as plain text for a ticket.

use crate::api::JobError;
use crate::log_pane::export;
use crate::log_pane::level::Level;
use crate::log_pane::steps::StepMark;
use crate::log_pane::LogLines;

/// Warnings and errors listed from the end of the log, at most.
pub const LAST_PROBLEMS: usize = 3;
/// Lines looked at a time, from the end backwards.
const CHUNK: usize = 4_096;

/// A line the summary points at: its number and its text as downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointedLine {
    pub index: usize,
    pub seq: u64,
    pub level: Level,
    /// `2026-12-01 10:42:07.120 ERROR message`, escape codes removed.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FailureSummary {
    pub error: Option<JobError>,
    /// The step the job was in when it ended.
    pub step: Option<String>,
    pub first_error: Option<PointedLine>,
    /// The last warnings and errors, in log order (the first error not repeated).
    pub last_problems: Vec<PointedLine>,
}

/// The line at `index`, as a summary points at it.
pub fn pointed(lines: &LogLines, index: usize) -> Option<PointedLine> {
    let mut found = None;
    lines.for_each_in(index..index + 1, |_, line| {
        let mut text = Vec::new();
        export::write_lines(lines, index..index + 1, &mut text);
        found = Some(PointedLine {
            index,
            seq: line.seq,
            level: Level::of(line.level),
            text: String::from_utf8_lossy(&text).trim_end().to_owned(),
        });
    });
    found
}

/// The summary of a failed job's log.
pub fn summarize(lines: &LogLines, steps: &[StepMark], error: Option<&JobError>) -> FailureSummary {
    let is_problem = |level: Level| matches!(level, Level::Warn | Level::Error);
    let mut first_error = None;
    let mut start = 0;
    while first_error.is_none() && start < lines.len() {
        let end = lines.len().min(start + CHUNK);
        lines.levels_in(start..end, |index, level, _| {
            if level == Level::Error && first_error.is_none() {
                first_error = Some(index);
            }
        });
        start = end;
    }
    let mut last = Vec::new();
    let mut end = lines.len();
    while last.len() < LAST_PROBLEMS && end > 0 {
        let start = end.saturating_sub(CHUNK);
        let mut found = Vec::new();
        lines.levels_in(start..end, |index, level, _| {
            if is_problem(level) && Some(index) != first_error {
                found.push(index);
            }
        });
        last.extend(found.into_iter().rev().take(LAST_PROBLEMS - last.len()));
        end = start;
    }
    last.reverse();
    FailureSummary {
        error: error
            .filter(|e| !e.code.is_empty() || !e.message.is_empty())
            .cloned(),
        step: steps.last().map(StepMark::title),
        first_error: first_error.and_then(|index| pointed(lines, index)),
        last_problems: last
            .into_iter()
            .filter_map(|index| pointed(lines, index))
            .collect(),
    }
}

impl FailureSummary {
    /// Plain text, ready to paste into a ticket.
    pub fn to_text(&self, tenant: &str, job_id: &str) -> String {
        let mut out = format!("Provisioning failed: tenant {tenant}, job {job_id}\n");
        if let Some(error) = &self.error {
            out.push_str(&format!("Error: {} {}\n", error.code, error.message).replace("  ", " "));
        }
        if let Some(step) = &self.step {
            out.push_str(&format!("Failed step: {step}\n"));
        }
        if let Some(line) = &self.first_error {
            out.push_str(&format!("First error (line {}): {}\n", line.seq, line.text));
        }
        if !self.last_problems.is_empty() {
            out.push_str("Last warnings and errors:\n");
            for line in &self.last_problems {
                out.push_str(&format!("  line {}: {}\n", line.seq, line.text));
            }
        }
        out
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::{LogLine, Progress};
    use crate::log_pane::steps::note_progress;

    fn log(levels: &[&str]) -> LogLines {
        LogLines::default().appended(
            levels
                .iter()
                .enumerate()
                .map(|(i, level)| LogLine {
                    seq: i as u64 + 1,
                    ts: "2026-12-01T10:42:07.120Z".into(),
                    level: (*level).into(),
                    message: format!("\u{1b}[31mline {}\u{1b}[0m", i + 1),
                })
                .collect(),
        )
    }

    #[test]
    fn the_summary_names_the_error_the_step_and_the_lines_to_read() {
        let mut levels = vec!["info"; 10_000];
        levels[20] = "error";
        levels[30] = "warn";
        levels[9_000] = "warn";
        levels[9_500] = "error";
        levels[9_990] = "warn";
        let lines = log(&levels);
        let mut steps = Vec::new();
        note_progress(
            &mut steps,
            0,
            Some(&Progress {
                step: Some(5),
                total_steps: Some(7),
                label: Some("Configuring payments".into()),
            }),
        );
        let error = JobError {
            code: "PAYMENT_DECLINED".into(),
            message: "payment provider rejected the card".into(),
        };
        let summary = summarize(&lines, &steps, Some(&error));
        assert_eq!(
            summary.step.as_deref(),
            Some("Step 5 of 7: Configuring payments")
        );
        let first = summary.first_error.clone().unwrap();
        assert_eq!(
            (first.index, first.seq, first.level),
            (20, 21, Level::Error)
        );
        assert_eq!(first.text, "2026-12-01 10:42:07.120 ERROR line 21");
        let last: Vec<u64> = summary.last_problems.iter().map(|l| l.seq).collect();
        assert_eq!(last, [9_001, 9_501, 9_991]);
        assert_eq!(
            summary.to_text("acme", "j-1"),
            "Provisioning failed: tenant acme, job j-1\n\
             Error: PAYMENT_DECLINED payment provider rejected the card\n\
             Failed step: Step 5 of 7: Configuring payments\n\
             First error (line 21): 2026-12-01 10:42:07.120 ERROR line 21\n\
             Last warnings and errors:\n  \
             line 9001: 2026-12-01 10:42:07.120 WARN line 9001\n  \
             line 9501: 2026-12-01 10:42:07.120 ERROR line 9501\n  \
             line 9991: 2026-12-01 10:42:07.120 WARN line 9991\n"
        );
    }

    #[test]
    fn a_log_without_problems_or_error_gives_what_there_is() {
        let summary = summarize(&log(&["info", "debug"]), &[], None);
        assert_eq!(summary, FailureSummary::default());
        assert_eq!(
            summary.to_text("t", "j"),
            "Provisioning failed: tenant t, job j\n"
        );
        // The first error is not listed twice.
        let summary = summarize(&log(&["error", "info"]), &[], None);
        assert!(summary.first_error.is_some() && summary.last_problems.is_empty());
    }
}
