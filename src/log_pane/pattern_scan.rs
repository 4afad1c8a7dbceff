//! A regular-expression search of the whole log, run by the browser's own
//! `RegExp` engine in a Worker (`assets/regex-worker.js`): this core cuts
//! the shown lines into chunks of text (plain text as shown, one line per
//! `\n`), remembers which line each row of a chunk is, and maps the rows
//! the Worker reports back to lines. It knows nothing of the browser, so
//! the chunking, the mapping and the time limit are tested natively.

use std::collections::VecDeque;

use crate::log_pane::ansi;
use crate::log_pane::LogLines;

/// The flags a pattern is checked with on the page: case-insensitive,
/// Unicode; never `s` (`.` stays inside a line). The Worker adds `g` (to
/// walk a chunk) and `m` (`^` and `$` at each line's ends).
pub const PATTERN_FLAGS: &str = "iu";

/// How long the Worker may take over one chunk before the search stops.
pub const CHUNK_TIME_LIMIT_MS: u32 = 2_000;

/// A chunk holds at most this many lines, and stops growing past this
/// much text: small enough to build within a slice on the page, large
/// enough that the round trips cost little.
pub const CHUNK_LINES: usize = 32_768;
pub const CHUNK_BYTES: usize = 1 << 21;

/// Chunks out at once, each with its own Worker: while the Workers search,
/// the page builds the next chunk (building one takes about as long as
/// searching it and handing it over), and two cores search at once.
pub const IN_FLIGHT: usize = 2;

/// Why a pattern search stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// The Worker took longer than the limit over the chunk of these lines
    /// (0-based, inclusive).
    TooSlow { first: usize, last: usize },
    /// The Worker could not run (its script did not load, or failed).
    Unavailable(String),
}

impl Stopped {
    /// What the reader is told under the search box.
    pub fn message(&self) -> String {
        match self {
            Stopped::TooSlow { first, last } => format!(
                "Search stopped: the pattern took over {} s on lines {}–{}. Nested repeats such as (a+)+ can take forever; simplify the pattern.",
                CHUNK_TIME_LIMIT_MS / 1000,
                crate::log_pane::tools::grouped(first + 1),
                crate::log_pane::tools::grouped(last + 1),
            ),
            Stopped::Unavailable(why) => format!("Regular expressions are unavailable: {why}"),
        }
    }
}

/// A chunk handed to a Worker: the line each of its rows is. Its text
/// goes to the Worker and is not kept here.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunk {
    lines: Vec<u32>,
}

/// A pattern search of one log, resumable: chunks out, matching rows in.
#[derive(Debug, Clone)]
pub struct PatternScan {
    pub pattern: String,
    hidden: [bool; 4],
    /// Lines put into chunks so far.
    taken: usize,
    /// The chunks with the Workers, oldest first, awaiting their answers.
    out: VecDeque<Chunk>,
    hits: Vec<u32>,
    stopped: Option<Stopped>,
}

impl PatternScan {
    pub fn new(pattern: &str, hidden: [bool; 4]) -> PatternScan {
        PatternScan {
            pattern: pattern.to_owned(),
            hidden,
            taken: 0,
            out: VecDeque::new(),
            hits: Vec::new(),
            stopped: None,
        }
    }

    pub fn hidden(&self) -> [bool; 4] {
        self.hidden
    }

    /// Builds the next chunk from up to `max_lines` lines of `lines` (the
    /// lines of hidden levels left out), unless `IN_FLIGHT` are already
    /// out, the search stopped, or every line has been taken. A chunk of
    /// hidden lines only is passed over. The text is the Worker's: one line
    /// a row, joined by `\n`.
    pub fn next_chunk(&mut self, lines: &LogLines, max_lines: usize) -> Option<String> {
        if self.out.len() >= IN_FLIGHT || self.stopped.is_some() {
            return None;
        }
        if self.taken > lines.len() {
            // Another log: start again.
            self.taken = 0;
            self.hits.clear();
        }
        if self.taken == lines.len() {
            return None;
        }
        // Room for a whole chunk at once: no copies as it grows.
        let mut text = String::with_capacity(CHUNK_BYTES + 4096);
        let mut chunk = Chunk { lines: Vec::new() };
        let end = lines.len().min(self.taken.saturating_add(max_lines));
        let mut taken = self.taken;
        let hidden = self.hidden;
        lines.texts_in(self.taken..end, |index, level, message, simple| {
            if text.len() >= CHUNK_BYTES {
                return;
            }
            taken = index + 1;
            if hidden[level.index()] {
                return;
            }
            if !chunk.lines.is_empty() {
                text.push('\n');
            }
            push_one_line(&mut text, message, simple);
            chunk.lines.push(index as u32);
        });
        self.taken = taken;
        if chunk.lines.is_empty() {
            return self.next_chunk(lines, max_lines);
        }
        self.out.push_back(chunk);
        Some(text)
    }

    /// The answer for the oldest chunk out: the rows (0-based, ascending)
    /// that match. Answers are taken in the order the chunks went out, so
    /// the matches stay in order.
    pub fn answered(&mut self, rows: &[u32]) {
        let Some(chunk) = self.out.pop_front() else {
            return;
        };
        self.hits.extend(
            rows.iter()
                .filter_map(|row| chunk.lines.get(*row as usize).copied()),
        );
    }

    /// The oldest chunk out took too long, or a Worker failed: the chunks
    /// still out are dropped.
    pub fn stop(&mut self, why: Option<String>) {
        let stopped = match (why, self.out.front()) {
            (Some(why), _) => Stopped::Unavailable(why),
            (None, Some(chunk)) => Stopped::TooSlow {
                first: *chunk.lines.first().unwrap_or(&0) as usize,
                last: *chunk.lines.last().unwrap_or(&0) as usize,
            },
            (None, None) => return,
        };
        self.out.clear();
        self.stopped = Some(stopped);
    }

    pub fn stopped(&self) -> Option<&Stopped> {
        self.stopped.as_ref()
    }

    pub fn is_waiting(&self) -> bool {
        !self.out.is_empty()
    }

    /// Every line has been searched (or the search stopped).
    pub fn is_done(&self, lines: &LogLines) -> bool {
        self.stopped.is_some() || (self.out.is_empty() && self.taken == lines.len())
    }

    /// Indices of the matching lines found so far, in order.
    pub fn hits(&self) -> &[u32] {
        &self.hits
    }
}

/// A line's text as shown: escape codes and control characters removed
/// (a line break inside a message is not shown either), so one row.
fn push_one_line(out: &mut String, message: &str, simple: bool) {
    if simple {
        out.push_str(message);
    } else {
        out.push_str(&ansi::plain_text(message));
    }
}

/// Byte ranges in `text` for ranges counted in UTF-16 code units (what
/// `RegExp` reports). A unit inside a surrogate pair counts as the
/// character's start; offsets past the end are the end.
pub fn byte_ranges_of_utf16(text: &str, ranges: &[(u32, u32)]) -> Vec<std::ops::Range<usize>> {
    let byte_at = |unit: u32| {
        let mut units = 0u32;
        for (at, c) in text.char_indices() {
            if units >= unit {
                return at;
            }
            units += c.len_utf16() as u32;
            if units > unit {
                return at;
            }
        }
        text.len()
    };
    ranges
        .iter()
        .map(|(start, end)| byte_at(*start)..byte_at(*end))
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::LogLine;

    use crate::log_pane::lines::test_log as log;

    /// What the Worker does, with a substring for a pattern.
    fn answer(text: &str, needle: &str) -> Vec<u32> {
        text.split('\n')
            .enumerate()
            .filter(|(_, row)| row.contains(needle))
            .map(|(i, _)| i as u32)
            .collect()
    }

    #[test]
    fn chunks_hold_the_shown_text_and_rows_map_back_to_lines() {
        let lines = log(&[
            ("info", "alpha"),
            ("debug", "alpha hidden"),
            ("info", "\u{1b}[31mred alpha\u{1b}[0m"),
            ("warn", "two\nrows alpha"),
            ("info", "beta"),
        ]);
        let mut scan = PatternScan::new("alpha", [true, false, false, false]);
        let chunk = scan.next_chunk(&lines, 2).unwrap();
        assert_eq!(chunk, "alpha");
        let second = scan.next_chunk(&lines, 10).unwrap();
        assert_eq!(second, "red alpha\ntworows alpha\nbeta");
        assert!(scan.is_waiting());
        scan.answered(&answer(&chunk, "alpha"));
        assert_eq!(scan.hits(), [0]);
        assert!(!scan.is_done(&lines));
        scan.answered(&answer(&second, "alpha"));
        assert_eq!(scan.hits(), [0, 2, 3]);
        assert!(scan.is_done(&lines));
        assert!(scan.next_chunk(&lines, 10).is_none());
        // New lines are picked up.
        let more = lines.appended(vec![LogLine {
            seq: 6,
            ts: String::new(),
            level: "info".into(),
            message: "alpha again".into(),
        }]);
        let chunk = scan.next_chunk(&more, 10).unwrap();
        scan.answered(&answer(&chunk, "alpha"));
        assert_eq!(scan.hits(), [0, 2, 3, 5]);
    }

    #[test]
    fn no_more_than_in_flight_chunks_are_out_and_answers_keep_their_order() {
        let rows: Vec<(&str, &str)> = (0..6).map(|_| ("info", "x")).collect();
        let lines = log(&rows);
        let mut scan = PatternScan::new("x", [false; 4]);
        let out: Vec<String> = std::iter::from_fn(|| scan.next_chunk(&lines, 1)).collect();
        assert_eq!(out.len(), IN_FLIGHT);
        // The oldest answer first: its lines come before the next chunk's.
        scan.answered(&[0]);
        let third = scan.next_chunk(&lines, 1);
        assert!(third.is_some(), "a chunk answered makes room for the next");
        scan.answered(&[0]);
        scan.answered(&[0]);
        assert_eq!(scan.hits(), [0, 1, 2]);
        assert!(!scan.is_waiting());
    }

    #[test]
    fn a_chunk_of_hidden_lines_only_is_skipped() {
        let lines = log(&[("debug", "a"), ("debug", "b"), ("info", "c")]);
        let mut scan = PatternScan::new("c", [true, false, false, false]);
        let chunk = scan.next_chunk(&lines, 2).unwrap();
        assert_eq!(chunk, "c");
        scan.answered(&[0]);
        assert_eq!(scan.hits(), [2]);
    }

    #[test]
    fn a_slow_chunk_stops_the_search_and_keeps_what_was_found() {
        let lines = log(&[("info", "a"), ("info", "aaaa"), ("info", "aaab")]);
        let mut scan = PatternScan::new("(a+)+$", [false; 4]);
        scan.next_chunk(&lines, 1).unwrap();
        scan.answered(&[0]);
        scan.next_chunk(&lines, 2).unwrap();
        // The slow chunk is the oldest out; one after it is dropped.
        let more = lines.appended(vec![LogLine {
            seq: 4,
            ts: String::new(),
            level: "info".into(),
            message: "a".into(),
        }]);
        scan.next_chunk(&more, 2).unwrap();
        scan.stop(None);
        assert!(!scan.is_waiting());
        assert_eq!(scan.hits(), [0]);
        assert!(scan.is_done(&lines));
        assert_eq!(
            scan.stopped(),
            Some(&Stopped::TooSlow { first: 1, last: 2 })
        );
        assert!(scan.stopped().unwrap().message().contains("lines 2–3"));
        assert!(scan.next_chunk(&lines, 2).is_none());
    }

    #[test]
    fn utf16_offsets_become_byte_offsets() {
        // "é" is 1 unit / 2 bytes, "😀" 2 units / 4 bytes, "日" 1 unit / 3 bytes.
        let text = "é😀日x";
        assert_eq!(
            byte_ranges_of_utf16(text, &[(0, 1), (1, 3), (3, 4), (4, 5), (9, 9)]),
            [0..2, 2..6, 6..9, 9..10, 10..10]
        );
        // Inside a surrogate pair: the character's start.
        assert_eq!(byte_ranges_of_utf16(text, &[(2, 3)]), vec![2..6]);
    }
}
