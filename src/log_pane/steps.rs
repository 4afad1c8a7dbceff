//! Lines grouped by step: each time the service reports a different step,
//! the lines that arrive from then on belong to it. A group's header shows
//! the step's label, its line count and how long it took (by the lines' own
//! timestamps), its warnings and errors; a step that has finished without
//! an error line folds by itself ([`StepTally::fold_by_outcome`]).

use std::ops::Range;
use std::rc::Rc;

use crate::api::Progress;
use crate::log_pane::level::{Level, PerLevel};
use crate::log_pane::LogLines;
use crate::time_format::format_elapsed;

/// Where a step's lines begin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepMark {
    /// Index of the first line that arrived with this step.
    pub first_line: usize,
    pub step: Option<u32>,
    pub total_steps: Option<u32>,
    pub label: Rc<str>,
}

impl StepMark {
    /// `Step 2 of 7: Importing catalog`, or what of it is known.
    pub fn title(&self) -> String {
        let label = self.label.trim();
        match (self.step, self.total_steps, label.is_empty()) {
            (Some(step), Some(total), false) => format!("Step {step} of {total}: {label}"),
            (Some(step), Some(total), true) => format!("Step {step} of {total}"),
            (Some(step), None, false) => format!("Step {step}: {label}"),
            (Some(step), None, true) => format!("Step {step}"),
            (None, _, false) => label.to_owned(),
            (None, _, true) => "Step".to_owned(),
        }
    }

    fn same_step(&self, progress: &Progress) -> bool {
        self.step == progress.step && *self.label == *progress.label.as_deref().unwrap_or("")
    }
}

/// Notes the step a response reported: when it differs from the last one
/// noted, a new group begins at `page_start`, the first line that arrived
/// with that response.
pub fn note_progress(marks: &mut Vec<StepMark>, page_start: usize, progress: Option<&Progress>) {
    let Some(progress) = progress
        .filter(|p| p.step.is_some() || p.label.as_deref().is_some_and(|l| !l.trim().is_empty()))
    else {
        return;
    };
    if marks.last().is_some_and(|mark| mark.same_step(progress)) {
        return;
    }
    // A step that got no line before the next one began leaves no group.
    if marks
        .last()
        .is_some_and(|mark| mark.first_line >= page_start)
    {
        marks.pop();
    }
    marks.push(StepMark {
        first_line: page_start,
        step: progress.step,
        total_steps: progress.total_steps,
        label: progress.label.as_deref().unwrap_or("").into(),
    });
}

/// The lines of group `group` (its mark's index) in a log of `len` lines.
pub fn group_lines(marks: &[StepMark], group: usize, len: usize) -> Range<usize> {
    let start = marks.get(group).map_or(len, |m| m.first_line.min(len));
    let end = marks.get(group + 1).map_or(len, |m| m.first_line.min(len));
    start..end.max(start)
}

/// The group a line belongs to (`None` before the first step).
pub fn group_of(marks: &[StepMark], index: usize) -> Option<usize> {
    marks
        .partition_point(|m| m.first_line <= index)
        .checked_sub(1)
}

/// How long a group took: from its first line to the next group's first
/// line (or, for the last group, to its own last line), e.g. `0:12`.
pub fn group_duration(marks: &[StepMark], group: usize, lines: &LogLines) -> Option<String> {
    let range = group_lines(marks, group, lines.len());
    let end_line = if group + 1 < marks.len() && range.end < lines.len() {
        range.end
    } else {
        range.end.checked_sub(1)?
    };
    let time = |index: usize| {
        let mut at = None;
        lines.for_each_in(index..index + 1, |_, line| at = line.wall_ms);
        at
    };
    let (start, end) = (time(range.start)?, time(end_line)?);
    Some(format_elapsed((end - start) as f64))
}

/// A step header's "2 warnings · 1 error" (by level counts), or `None`.
pub fn problems_text(counts: PerLevel<usize>) -> Option<String> {
    let named = |n: usize, one: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!(
            "{} {one}s",
            crate::log_pane::count_text::grouped(n)
        )),
    };
    let parts: Vec<String> = [
        named(counts[Level::Warn], "warning"),
        named(counts[Level::Error], "error"),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Lines of each level in each step group, grown with the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepTally {
    starts: Vec<usize>,
    built: usize,
    counts: Vec<PerLevel<usize>>,
}

impl StepTally {
    /// Counts the lines that are new; counts again from the start when a
    /// step changed behind what was counted (or another log is shown).
    pub fn update(&mut self, lines: &LogLines, marks: &[StepMark]) {
        let starts: Vec<usize> = marks.iter().map(|m| m.first_line).collect();
        let same_so_far = starts.starts_with(&self.starts)
            && starts[self.starts.len()..].iter().all(|s| *s >= self.built);
        if !same_so_far || lines.len() < self.built {
            *self = StepTally::default();
        }
        self.counts.resize(marks.len(), PerLevel::default());
        let mut group = group_of(marks, self.built);
        let counts = &mut self.counts;
        lines.levels_in(self.built..lines.len(), |index, level, _| {
            let next = group.map_or(0, |g| g + 1);
            if starts.get(next).is_some_and(|s| *s <= index) {
                group = group_of(marks, index);
            }
            if let Some(g) = group {
                counts[g][level] += 1;
            }
        });
        self.starts = starts;
        self.built = lines.len();
    }

    /// Lines of each level (by [`crate::log_pane::level::Level::index`]) in `group`.
    pub fn counts(&self, group: usize) -> PerLevel<usize> {
        self.counts.get(group).copied().unwrap_or_default()
    }

    /// The groups that fold by themselves: finished (every one but the
    /// last while the job runs) and without an error line.
    pub fn fold_by_outcome(&self, running: bool) -> Vec<usize> {
        let finished = self.counts.len().saturating_sub(usize::from(running));
        (0..finished)
            .filter(|g| self.counts[*g][Level::Error] == 0)
            .collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::LogLine;

    fn progress(step: u32, label: &str) -> Progress {
        Progress {
            step: Some(step),
            total_steps: Some(3),
            label: Some(label.into()),
        }
    }

    #[test]
    fn a_new_group_begins_when_the_step_changes() {
        let mut marks = Vec::new();
        note_progress(&mut marks, 0, Some(&progress(1, "Validate")));
        note_progress(&mut marks, 5, Some(&progress(1, "Validate")));
        note_progress(&mut marks, 8, Some(&progress(2, "Import")));
        note_progress(&mut marks, 8, None);
        assert_eq!(
            marks
                .iter()
                .map(|m| (m.first_line, m.title()))
                .collect::<Vec<_>>(),
            [
                (0, "Step 1 of 3: Validate".to_owned()),
                (8, "Step 2 of 3: Import".to_owned()),
            ]
        );
        assert_eq!(group_lines(&marks, 0, 20), 0..8);
        assert_eq!(group_lines(&marks, 1, 20), 8..20);
        assert_eq!(group_of(&marks, 7), Some(0));
        assert_eq!(group_of(&marks, 8), Some(1));
    }

    #[test]
    fn a_step_without_lines_leaves_no_group_and_lines_before_any_step_have_none() {
        let mut marks = Vec::new();
        note_progress(&mut marks, 4, Some(&progress(1, "Validate")));
        note_progress(&mut marks, 4, Some(&progress(2, "Import")));
        note_progress(&mut marks, 9, Some(&progress(3, "Publish")));
        assert_eq!(
            marks.iter().map(|m| m.step).collect::<Vec<_>>(),
            [Some(2), Some(3)]
        );
        assert_eq!(group_of(&marks, 3), None);
        assert_eq!(group_of(&marks, 100), Some(1));
        let no_step = Progress {
            step: None,
            total_steps: None,
            label: Some("  ".into()),
        };
        note_progress(&mut marks, 12, Some(&no_step));
        assert_eq!(marks.len(), 2);
    }

    #[test]
    fn titles_say_what_is_known() {
        let mark = |step, total, label: &str| {
            StepMark {
                first_line: 0,
                step,
                total_steps: total,
                label: label.into(),
            }
            .title()
        };
        assert_eq!(mark(Some(2), None, "Import"), "Step 2: Import");
        assert_eq!(mark(Some(2), Some(7), ""), "Step 2 of 7");
        assert_eq!(mark(None, None, "Warm up"), "Warm up");
    }

    #[test]
    fn a_group_lasts_until_the_next_one_begins() {
        let page = (1..=6)
            .map(|seq| LogLine {
                seq,
                ts: format!("2026-11-25T10:00:{:02}Z", seq * 5),
                level: "info".into(),
                message: String::new(),
            })
            .collect();
        let lines = LogLines::default().appended(page);
        let mut marks = Vec::new();
        note_progress(&mut marks, 0, Some(&progress(1, "a")));
        note_progress(&mut marks, 2, Some(&progress(2, "b")));
        // Lines at 5 s, 10 s | 15 s … 30 s.
        assert_eq!(group_duration(&marks, 0, &lines).as_deref(), Some("0:10"));
        assert_eq!(group_duration(&marks, 1, &lines).as_deref(), Some("0:15"));
    }

    #[test]
    fn steps_are_tallied_and_fold_by_outcome() {
        let levels = ["info", "warn", "info", "error", "info", "debug"];
        let mut lines = LogLines::default();
        let mut marks = Vec::new();
        let mut tally = StepTally::default();
        for (i, level) in levels.iter().enumerate() {
            lines = lines.appended(vec![LogLine {
                seq: i as u64 + 1,
                ts: String::new(),
                level: (*level).into(),
                message: "x".into(),
            }]);
            // Steps 1, 2 and 3 begin at lines 0, 2 and 4.
            if i % 2 == 0 {
                note_progress(&mut marks, i, Some(&progress(i as u32 / 2 + 1, "s")));
            }
            tally.update(&lines, &marks);
        }
        let mut whole = StepTally::default();
        whole.update(&lines, &marks);
        assert_eq!(tally, whole);
        assert_eq!(tally.counts(0), PerLevel([0, 1, 1, 0]));
        assert_eq!(tally.counts(1), PerLevel([0, 1, 0, 1]));
        assert_eq!(tally.counts(2), PerLevel([1, 1, 0, 0]));
        // Running: the last step stays open; step 2 holds an error.
        assert_eq!(tally.fold_by_outcome(true), [0]);
        assert_eq!(tally.fold_by_outcome(false), [0, 2]);
        assert_eq!(problems_text(tally.counts(1)).as_deref(), Some("1 error"));
        assert_eq!(
            problems_text(PerLevel([0, 0, 2, 1])).as_deref(),
            Some("2 warnings · 1 error")
        );
        assert_eq!(problems_text(PerLevel([0, 9, 0, 0])), None);
        assert_eq!(
            problems_text(PerLevel([0, 0, 1_200, 0])).as_deref(),
            Some("1,200 warnings")
        );
        // A step that reaches back (its lines came before the response that said so).
        marks[1].first_line = 1;
        tally.update(&lines, &marks);
        assert_eq!(tally.counts(0), PerLevel([0, 1, 0, 0]));
    }
}
