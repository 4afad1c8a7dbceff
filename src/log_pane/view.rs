//! The rows the pane shows, in order: step headers and the lines the level
//! filter and the folded steps leave, each line one row, or (wrapping)
//! as many rows as its width needs at the pane's width in columns. Rows are
//! all one height, so windowing stays exact at any length: a wrapped line
//! is cut into rows of `columns` columns (wide characters take two), as a terminal does.
//!
//! The view grows with the log (new lines are appended in O(new lines));
//! changing an option, or a step mark that reaches back, rebuilds it.
//!
//! "Only matching lines" builds it from the search's matches instead: each
//! matching line with `context` lines either side (as `grep -C`), a gap row
//! between groups that do not touch, no step headers; it grows as matches
//! are found.

use crate::log_pane::level::{Level, PerLevel};
use crate::log_pane::steps::{group_of, StepMark};
use crate::log_pane::LogLines;

/// Set on an entry that is a step header (the rest of it is the index of
/// the group's first line).
const HEADER: u32 = 1 << 31;
/// Set on an entry that is a gap between groups of matching lines (the rest
/// of it is the index of the line after the gap).
const GAP: u32 = 1 << 30;
/// The line index an entry stands at.
fn line_of(entry: u32) -> usize {
    (entry & !(HEADER | GAP)) as usize
}

/// How the reader asked to see the log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewOptions {
    /// Levels hidden by the filter, by [`Level::index`].
    pub hidden: PerLevel<bool>,
    /// Folded step groups (indices of their marks).
    pub folded: Vec<usize>,
    /// Wrap lines at this many columns; `None`: one row a line.
    pub columns: Option<usize>,
    /// Only matching lines, with this many lines of context either side.
    pub context: Option<usize>,
}

impl ViewOptions {
    pub fn is_folded(&self, group: usize) -> bool {
        self.folded.contains(&group)
    }
}

/// One row of the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// The header of a step group.
    Header { group: usize },
    /// Lines left out between two groups of matching lines.
    Gap { skipped: usize },
    /// Part `part` (of `parts`) of the line at `index`.
    Line {
        index: usize,
        part: usize,
        parts: usize,
    },
}

#[derive(Debug, Clone, Default)]
pub struct View {
    options: ViewOptions,
    /// Where each step began, as last built.
    marks: Vec<usize>,
    entries: Vec<u32>,
    /// With wrapping: the first row of each entry.
    starts: Vec<u32>,
    rows: usize,
    /// Lines taken in so far.
    built: usize,
    /// The group of the last line taken in.
    group: Option<usize>,
    counts: PerLevel<usize>,
    first_error: Option<usize>,
    matching: Matching,
}

/// How far "Only matching lines" has taken the search's matches in.
#[derive(Debug, Clone, Default)]
struct Matching {
    /// The search the matches are from.
    search: u64,
    taken: usize,
    /// Lines before this one have been shown or passed over.
    next: usize,
    /// The last match's context reaches up to (not including) this line.
    until: usize,
}

impl View {
    pub fn new(options: ViewOptions) -> View {
        View {
            options,
            ..View::default()
        }
    }

    pub fn options(&self) -> &ViewOptions {
        &self.options
    }

    /// Brings the view up to `lines` and `marks`: appends what is new, or
    /// rebuilds when the steps changed behind what was built. With "Only
    /// matching lines", `matches` are the search's (its identity, the
    /// matching lines so far, in order).
    pub fn update(&mut self, lines: &LogLines, marks: &[StepMark], matches: (u64, &[u32])) {
        if self.options.context.is_some() {
            return self.update_matching(lines, matches);
        }
        let starts: Vec<usize> = marks.iter().map(|m| m.first_line).collect();
        if lines.len() < self.built {
            *self = View::new(std::mem::take(&mut self.options));
        }
        // Steps that changed behind what was built (a response names the
        // step of the lines that came before it): take those lines out
        // and in again, from the earliest line a changed step touches.
        let same = self
            .marks
            .iter()
            .zip(&starts)
            .take_while(|(a, b)| a == b)
            .count();
        let changed = self.marks[same..]
            .iter()
            .chain(&starts[same..])
            .min()
            .copied();
        if let Some(line) = changed.filter(|line| *line < self.built) {
            self.truncate(lines, line, marks);
        }
        self.marks = starts;
        self.extend(lines, marks);
    }

    /// Takes the lines from `line` on out of the view (to be taken in again).
    fn truncate(&mut self, lines: &LogLines, line: usize, marks: &[StepMark]) {
        let k = self
            .entries
            .partition_point(|e| ((e & !HEADER) as usize) < line);
        self.entries.truncate(k);
        if self.options.columns.is_some() {
            self.rows = self.starts.get(k).map_or(self.rows, |s| *s as usize);
            self.starts.truncate(k);
        } else {
            self.rows = k;
        }
        let counts = &mut self.counts;
        lines.levels_in(line..self.built, |_, level, _| counts[level] -= 1);
        if self.first_error.is_some_and(|e| e >= line) {
            self.first_error = None;
        }
        self.group = line.checked_sub(1).and_then(|last| group_of(marks, last));
        self.built = line;
    }

    fn extend(&mut self, lines: &LogLines, marks: &[StepMark]) {
        let Self {
            options,
            entries,
            starts,
            rows,
            group,
            counts,
            first_error,
            ..
        } = self;
        let mut folded = group.is_some_and(|g| options.is_folded(g));
        let mut next_mark = marks.partition_point(|m| m.first_line < self.built);
        let mut push = |entry: u32, height: usize| {
            if options.columns.is_some() {
                starts.push(*rows as u32);
            }
            entries.push(entry);
            *rows += height;
        };
        lines.levels_in(self.built..lines.len(), |index, level, width| {
            counts[level] += 1;
            if level == Level::Error && first_error.is_none() {
                *first_error = Some(index);
            }
            if next_mark < marks.len() && marks[next_mark].first_line <= index {
                while next_mark < marks.len() && marks[next_mark].first_line <= index {
                    next_mark += 1;
                }
                *group = next_mark.checked_sub(1);
                folded = group.is_some_and(|g| options.is_folded(g));
                push(HEADER | index as u32, 1);
            }
            if folded || options.hidden[level] {
                return;
            }
            let height = options
                .columns
                .map_or(1, |columns| width.div_ceil(columns.max(1)).max(1));
            push(index as u32, height);
        });
        self.built = lines.len();
    }

    fn update_matching(&mut self, lines: &LogLines, (search, hits): (u64, &[u32])) {
        let context = self.options.context.unwrap_or(0);
        let (known, taken) = (self.matching.search, self.matching.taken);
        if lines.len() < self.built || search != known || hits.len() < taken {
            *self = View::new(std::mem::take(&mut self.options));
            self.matching.search = search;
        }
        // The levels' counts and the first error, over every line.
        let (counts, first_error) = (&mut self.counts, &mut self.first_error);
        lines.levels_in(self.built..lines.len(), |index, level, _| {
            counts[level] += 1;
            if level == Level::Error && first_error.is_none() {
                *first_error = Some(index);
            }
        });
        self.built = lines.len();
        let taken = self.matching.taken;
        for hit in &hits[taken..] {
            let hit = *hit as usize;
            // The last match's context after it, up to this one.
            self.show_lines(lines, self.matching.until.min(hit));
            let from = hit.saturating_sub(context).max(self.matching.next);
            if from > self.matching.next && !self.entries.is_empty() {
                // A window whose lines are all hidden leaves one gap, not two.
                if self.entries.last().is_some_and(|e| e & GAP != 0) {
                    self.entries.pop();
                    self.starts.pop();
                    self.rows -= 1;
                }
                self.push(GAP | from as u32, 1);
            }
            self.matching.next = from;
            self.show_lines(lines, hit + 1);
            self.matching.until = hit + 1 + context;
        }
        self.matching.taken = hits.len();
        // Context after the last match, as far as the lines have come.
        self.show_lines(lines, self.matching.until);
    }

    /// Shows the lines from the next one up to `end` (those of shown
    /// levels; as far as there are lines).
    fn show_lines(&mut self, lines: &LogLines, end: usize) {
        let (start, end) = (self.matching.next, end.min(lines.len()));
        if start >= end {
            return;
        }
        let mut shown = Vec::new();
        let (hidden, columns) = (self.options.hidden, self.options.columns);
        lines.levels_in(start..end, |index, level, width| {
            if !hidden[level] {
                let height = columns.map_or(1, |c| width.div_ceil(c.max(1)).max(1));
                shown.push((index as u32, height));
            }
        });
        for (entry, height) in shown {
            self.push(entry, height);
        }
        self.matching.next = end;
    }

    fn push(&mut self, entry: u32, height: usize) {
        if self.options.columns.is_some() {
            self.starts.push(self.rows as u32);
        }
        self.entries.push(entry);
        self.rows += height;
    }

    /// Rows in the view.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Lines of each level in the log (filtered or not), by [`Level::index`].
    pub fn counts(&self) -> PerLevel<usize> {
        self.counts
    }

    /// The first line at level error, if any.
    pub fn first_error(&self) -> Option<usize> {
        self.first_error
    }

    /// The row at `row`, or `None` past the end.
    pub fn row(&self, row: usize, marks: &[StepMark]) -> Option<Row> {
        if row >= self.rows {
            return None;
        }
        let (k, part, parts) = if self.options.columns.is_some() {
            let k = self.starts.partition_point(|s| *s as usize <= row) - 1;
            let start = self.starts[k] as usize;
            let end = self.starts.get(k + 1).map_or(self.rows, |s| *s as usize);
            (k, row - start, end - start)
        } else {
            (row, 0, 1)
        };
        let entry = self.entries[k];
        if entry & GAP != 0 {
            let before = k.checked_sub(1).map_or(0, |j| line_of(self.entries[j]) + 1);
            return Some(Row::Gap {
                skipped: line_of(entry).saturating_sub(before),
            });
        }
        Some(if entry & HEADER != 0 {
            Row::Header {
                group: group_of(marks, (entry & !HEADER) as usize).unwrap_or(0),
            }
        } else {
            Row::Line {
                index: entry as usize,
                part,
                parts,
            }
        })
    }

    /// The first row of the line at `index`; `None` when it is hidden
    /// (filtered, folded) or not in the log.
    pub fn row_of_line(&self, index: usize) -> Option<usize> {
        let key = |entry: u32| (line_of(entry), entry & (HEADER | GAP) == 0);
        let k = self.entries.partition_point(|e| key(*e) < (index, true));
        if self.entries.get(k) != Some(&(index as u32)) {
            return None;
        }
        Some(if self.options.columns.is_some() {
            self.starts[k] as usize
        } else {
            k
        })
    }

    /// The row of the header of `group`, if shown.
    pub fn row_of_header(&self, group: usize, marks: &[StepMark]) -> Option<usize> {
        let first = marks.get(group)?.first_line;
        let k = self
            .entries
            .partition_point(|e| (e & !HEADER) < first as u32);
        let entry = *self.entries.get(k)?;
        (entry & HEADER != 0 && group_of(marks, (entry & !HEADER) as usize) == Some(group)).then(
            || {
                if self.options.columns.is_some() {
                    self.starts[k] as usize
                } else {
                    k
                }
            },
        )
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::{LogLine, Progress};
    use crate::log_pane::steps::note_progress;
    use proptest::prelude::*;

    fn page(from: u64, levels: &[&str], width: usize) -> Vec<LogLine> {
        levels
            .iter()
            .enumerate()
            .map(|(i, level)| LogLine {
                seq: from + i as u64,
                ts: String::new(),
                level: (*level).into(),
                message: "x".repeat(width),
            })
            .collect()
    }

    fn all_rows(view: &View, marks: &[StepMark]) -> Vec<Row> {
        (0..view.rows())
            .map(|r| view.row(r, marks).unwrap())
            .collect()
    }

    fn step(n: u32) -> Progress {
        Progress {
            step: Some(n),
            total_steps: Some(3),
            label: Some(format!("step {n}")),
        }
    }

    fn line(index: usize) -> Row {
        Row::Line {
            index,
            part: 0,
            parts: 1,
        }
    }

    #[test]
    fn without_steps_or_filters_every_line_is_a_row() {
        let lines = LogLines::default().appended(page(1, &["info", "debug", "error"], 3));
        let mut view = View::new(ViewOptions::default());
        view.update(&lines, &[], (0, &[]));
        assert_eq!(all_rows(&view, &[]), [line(0), line(1), line(2)]);
        assert_eq!(view.counts(), PerLevel([1, 1, 0, 1]));
        assert_eq!(view.first_error(), Some(2));
        assert_eq!(view.row(3, &[]), None);
    }

    #[test]
    fn the_level_filter_hides_lines_but_counts_them() {
        let lines =
            LogLines::default().appended(page(1, &["debug", "info", "notice", "debug", "warn"], 3));
        let mut view = View::new(ViewOptions {
            hidden: PerLevel([true, false, false, false]),
            ..Default::default()
        });
        view.update(&lines, &[], (0, &[]));
        assert_eq!(all_rows(&view, &[]), [line(1), line(2), line(4)]);
        assert_eq!(view.counts(), PerLevel([2, 2, 1, 0]));
        assert_eq!(view.row_of_line(3), None);
        assert_eq!(view.row_of_line(4), Some(2));
    }

    #[test]
    fn steps_head_their_lines_and_fold() {
        let mut marks = Vec::new();
        note_progress(&mut marks, 0, Some(&step(1)));
        let lines = LogLines::default().appended(page(1, &["info"; 3], 3));
        let mut view = View::new(ViewOptions {
            folded: vec![0],
            ..Default::default()
        });
        view.update(&lines, &marks, (0, &[]));
        // The lines of the next step arrive before the response that says so.
        let lines = lines.appended(page(4, &["info"; 2], 3));
        view.update(&lines, &marks, (0, &[]));
        note_progress(&mut marks, 3, Some(&step(2)));
        view.update(&lines, &marks, (0, &[]));
        assert_eq!(
            all_rows(&view, &marks),
            [
                Row::Header { group: 0 },
                Row::Header { group: 1 },
                line(3),
                line(4)
            ]
        );
        assert_eq!(view.row_of_header(1, &marks), Some(1));
        assert_eq!(view.row_of_line(1), None);
        let lines = lines.appended(page(6, &["info"], 3));
        view.update(&lines, &marks, (0, &[]));
        assert_eq!(view.rows(), 5);
        assert_eq!(view.row_of_line(5), Some(4));
    }

    #[test]
    fn wrapped_lines_take_the_rows_their_width_needs() {
        let mut lines = LogLines::default().appended(page(1, &["info"], 25));
        lines = lines.appended(page(2, &["info"], 0));
        lines = lines.appended(page(3, &["info"], 10));
        let mut view = View::new(ViewOptions {
            columns: Some(10),
            ..Default::default()
        });
        view.update(&lines, &[], (0, &[]));
        assert_eq!(view.rows(), 3 + 1 + 1);
        assert_eq!(
            view.row(2, &[]),
            Some(Row::Line {
                index: 0,
                part: 2,
                parts: 3
            })
        );
        assert_eq!(
            view.row(3, &[]),
            Some(Row::Line {
                index: 1,
                part: 0,
                parts: 1
            })
        );
        assert_eq!(view.row_of_line(2), Some(4));
    }

    /// `grep -C`: each matching line with `context` lines either side (of
    /// shown levels), a gap where windows do not touch.
    fn grep(levels: &[usize], hits: &[u32], context: usize, hidden: PerLevel<bool>) -> Vec<Row> {
        let level_of =
            |i: usize| Level::of(["debug", "info", "warn", "error", "notice"][levels[i]]);
        let mut rows = Vec::new();
        let mut next = 0;
        for hit in hits {
            let (hit, end) = (
                *hit as usize,
                (*hit as usize + context + 1).min(levels.len()),
            );
            let from = hit.saturating_sub(context).max(next);
            if from > next && !rows.is_empty() {
                if matches!(rows.last(), Some(Row::Gap { .. })) {
                    rows.pop();
                }
                let before = match rows.last() {
                    Some(Row::Line { index, .. }) => index + 1,
                    _ => 0,
                };
                rows.push(Row::Gap {
                    skipped: from - before,
                });
            }
            for i in from..end {
                if !hidden[level_of(i)] {
                    rows.push(line(i));
                }
            }
            next = next.max(end);
        }
        rows
    }

    #[test]
    fn only_matching_lines_reads_like_grep_with_context() {
        let lines = LogLines::default().appended(page(1, &["info"; 20], 3));
        let mut view = View::new(ViewOptions {
            context: Some(2),
            ..Default::default()
        });
        view.update(&lines, &[], (7, &[1, 5, 15]));
        let rows = all_rows(&view, &[]);
        let shown: Vec<String> = rows
            .iter()
            .map(|row| match row {
                Row::Line { index, .. } => (index + 1).to_string(),
                Row::Gap { skipped } => format!("-- {skipped}"),
                Row::Header { .. } => "header".into(),
            })
            .collect();
        assert_eq!(
            shown,
            ["1", "2", "3", "4", "5", "6", "7", "8", "-- 5", "14", "15", "16", "17", "18"]
        );
        assert_eq!(view.row_of_line(13), Some(9));
        assert_eq!(view.row_of_line(9), None);
        assert_eq!(view.counts(), PerLevel([0, 20, 0, 0]));
        // Another search starts again.
        view.update(&lines, &[], (8, &[19]));
        assert_eq!(all_rows(&view, &[]), [line(17), line(18), line(19)]);
    }

    proptest! {
        #[test]
        fn only_matching_lines_grown_piece_by_piece_equals_grep(
            levels in prop::collection::vec(0..5usize, 1..60),
            picks in prop::collection::vec(any::<bool>(), 60),
            cuts in prop::collection::vec(0..60usize, 0..4),
            context in 0..4usize,
            hidden in any::<[bool; 4]>().prop_map(PerLevel),
        ) {
            let names = ["debug", "info", "warn", "error", "notice"];
            let hits: Vec<u32> = (0..levels.len() as u32).filter(|i| picks[*i as usize]).collect();
            let all: Vec<&str> = levels.iter().map(|l| names[*l]).collect();
            let mut view = View::new(ViewOptions { hidden, context: Some(context), ..Default::default() });
            // Lines and matches arrive in pieces; a match is found once its line has come.
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(levels.len())).collect();
            cuts.push(levels.len());
            cuts.sort_unstable();
            let mut lines = LogLines::default();
            for end in cuts {
                if end > lines.len() {
                    lines = lines.appended(page(lines.len() as u64 + 1, &all[lines.len()..end], 3));
                }
                let found = hits.partition_point(|h| (*h as usize) < end);
                view.update(&lines, &[], (1, &hits[..found]));
            }
            prop_assert_eq!(all_rows(&view, &[]), grep(&levels, &hits, context, hidden));
        }

        #[test]
        fn a_view_grown_page_by_page_equals_one_built_at_once(
            pages in prop::collection::vec((prop::collection::vec(0..5usize, 0..20), 0..4u32, 0..30usize), 1..12),
            hidden in any::<[bool; 4]>().prop_map(PerLevel),
            folded in prop::collection::vec(0..6usize, 0..3),
            columns in prop::option::of(1..12usize),
        ) {
            let names = ["debug", "info", "warn", "error", "notice"];
            let options = ViewOptions { hidden, folded, columns, context: None };
            let mut lines = LogLines::default();
            let mut marks = Vec::new();
            let mut grown = View::new(options.clone());
            let mut seq = 1;
            for (levels, step_no, width) in pages {
                let page_start = lines.len();
                let levels: Vec<&str> = levels.iter().map(|l| names[*l]).collect();
                lines = lines.appended(page(seq, &levels, width));
                seq += levels.len() as u64;
                grown.update(&lines, &marks, (0, &[]));
                note_progress(&mut marks, page_start, Some(&step(step_no)));
                grown.update(&lines, &marks, (0, &[]));
            }
            let mut whole = View::new(options.clone());
            whole.update(&lines, &marks, (0, &[]));
            prop_assert_eq!(all_rows(&grown, &marks), all_rows(&whole, &marks));
            prop_assert_eq!(grown.counts(), whole.counts());
            prop_assert_eq!(grown.first_error(), whole.first_error());
            // Every line shown exactly where row_of_line says, in order.
            let mut last = None;
            for index in 0..lines.len() {
                if let Some(row) = whole.row_of_line(index) {
                    let shown = whole.row(row, &marks);
                    prop_assert_eq!(shown, Some(Row::Line { index, part: 0, parts: match shown { Some(Row::Line { parts, .. }) => parts, _ => 0 } }));
                    prop_assert!(last < Some(row));
                    last = Some(row);
                }
            }
        }
    }
}
