//! A regular-expression search of the whole log, run by the browser's own
//! `RegExp` engine in a Worker (`assets/regex-worker.js`): this core cuts
//! the shown lines into chunks of text (plain text as shown, one line per
//! `\n`), remembers which line each row of a chunk is, and maps the rows
//! the Worker reports back to lines. It knows nothing of the browser, so
//! the chunking, the mapping and the time limit are tested natively.

use std::collections::VecDeque;

use crate::log_pane::ansi;
use crate::log_pane::level::PerLevel;
use crate::log_pane::LogLines;

/// The flags a pattern is checked with on the page: case-insensitive,
/// Unicode; never `s` (`.` stays inside a line). The Worker is sent them
/// and adds `g` (to walk a chunk) and `m` (`^` and `$` at each line's
/// ends); the marks in a row add `g`.
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
                crate::log_pane::count_text::grouped(first + 1),
                crate::log_pane::count_text::grouped(last + 1),
            ),
            Stopped::Unavailable(why) => format!("Regular expressions are unavailable: {why}"),
        }
    }
}

/// A chunk handed to a Worker: the line each of its rows is, the narrow
/// part's rows first. Its text goes to the Worker and is not kept here.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunk {
    lines: Vec<u32>,
    /// Rows in the narrow part.
    narrow: usize,
}

/// A chunk's text for the Worker, in two parts one after the other: the
/// lines whose every character fits a one-byte JS string (up to U+00FF),
/// then the others, each part one line a row joined by `\n`. A browser
/// decodes a part with no wider character into a one-byte string, and its
/// `RegExp` runs over that faster: one `✔` among 32,768 lines made the
/// whole chunk two-byte, its decoding 4.7 times and its search 2.5 times
/// slower (BENCHMARKS.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkText {
    pub text: String,
    /// Where the wide part starts, in bytes.
    pub split: usize,
    /// Rows in the narrow part and in the wide part (a part of one empty
    /// line has no bytes but a row). The Worker numbers the wide part's
    /// rows after the narrow part's.
    pub rows: [u32; 2],
}

impl ChunkText {
    pub fn narrow(&self) -> &str {
        &self.text[..self.split]
    }

    pub fn wide(&self) -> &str {
        &self.text[self.split..]
    }
}

/// Every character of `text` is at most U+00FF: no UTF-8 lead byte from
/// 0xC4 on (0xC2 and 0xC3 lead U+0080–U+00FF; continuation bytes are
/// below 0xC0).
pub fn fits_one_byte(text: &str) -> bool {
    text.bytes().all(|b| b < 0xC4)
}

/// A pattern search of one log, resumable: chunks out, matching rows in.
#[derive(Debug, Clone)]
pub struct PatternScan {
    pub pattern: String,
    hidden: PerLevel<bool>,
    /// Lines put into chunks so far.
    taken: usize,
    /// The chunks with the Workers, oldest first, awaiting their answers.
    out: VecDeque<Chunk>,
    hits: Vec<u32>,
    stopped: Option<Stopped>,
}

impl PatternScan {
    pub fn new(pattern: &str, hidden: PerLevel<bool>) -> PatternScan {
        PatternScan {
            pattern: pattern.to_owned(),
            hidden,
            taken: 0,
            out: VecDeque::new(),
            hits: Vec::new(),
            stopped: None,
        }
    }

    pub fn hidden(&self) -> PerLevel<bool> {
        self.hidden
    }

    /// Builds the next chunk from up to `max_lines` lines of `lines` (the
    /// lines of hidden levels left out), unless `IN_FLIGHT` are already
    /// out, the search stopped, or every line has been taken. A chunk of
    /// hidden lines only is passed over.
    pub fn next_chunk(&mut self, lines: &LogLines, max_lines: usize) -> Option<ChunkText> {
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
        let mut narrow = String::with_capacity(CHUNK_BYTES + 4096);
        let mut wide = String::new();
        let (mut narrow_lines, mut wide_lines) = (Vec::new(), Vec::new());
        let end = lines.len().min(self.taken.saturating_add(max_lines));
        let mut taken = self.taken;
        let hidden = self.hidden;
        lines.texts_in(self.taken..end, |index, level, message, simple| {
            if narrow.len() + wide.len() >= CHUNK_BYTES {
                return;
            }
            taken = index + 1;
            if hidden[level] {
                return;
            }
            // Escape codes and control characters removed (a line break
            // inside a message is not shown either), so one row.
            let shown = ansi::shown_text(message, simple);
            let (part, rows) = if fits_one_byte(&shown) {
                (&mut narrow, &mut narrow_lines)
            } else {
                (&mut wide, &mut wide_lines)
            };
            if !rows.is_empty() {
                part.push('\n');
            }
            part.push_str(&shown);
            rows.push(index as u32);
        });
        self.taken = taken;
        if narrow_lines.is_empty() && wide_lines.is_empty() {
            return self.next_chunk(lines, max_lines);
        }
        let split = narrow.len();
        let rows = [narrow_lines.len() as u32, wide_lines.len() as u32];
        narrow.push_str(&wide);
        let chunk = Chunk {
            narrow: narrow_lines.len(),
            lines: {
                narrow_lines.append(&mut wide_lines);
                narrow_lines
            },
        };
        self.out.push_back(chunk);
        Some(ChunkText {
            text: narrow,
            split,
            rows,
        })
    }

    /// The answer for the oldest chunk out: the rows (0-based, ascending)
    /// that match. Answers are taken in the order the chunks went out, so
    /// the matches stay in order.
    pub fn answered(&mut self, rows: &[u32]) {
        let Some(chunk) = self.out.pop_front() else {
            return;
        };
        // Each part's lines are in order: merged, so are the matches.
        let cut = rows.partition_point(|row| (*row as usize) < chunk.narrow);
        let line = |row: &u32| chunk.lines.get(*row as usize).copied();
        let mut narrow = rows[..cut].iter().filter_map(line).peekable();
        let mut wide = rows[cut..].iter().filter_map(line).peekable();
        loop {
            let next = match (narrow.peek(), wide.peek()) {
                (Some(n), Some(w)) if n > w => wide.next(),
                (Some(_), _) => narrow.next(),
                (None, _) => wide.next(),
            };
            let Some(next) = next else { break };
            self.hits.push(next);
        }
    }

    /// The oldest chunk out took too long, or a Worker failed: the chunks
    /// still out are dropped.
    pub fn stop(&mut self, why: Option<String>) {
        let stopped = match (why, self.out.front()) {
            (Some(why), _) => Stopped::Unavailable(why),
            (None, Some(chunk)) => Stopped::TooSlow {
                first: chunk.lines.iter().copied().min().unwrap_or(0) as usize,
                last: chunk.lines.iter().copied().max().unwrap_or(0) as usize,
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

    /// What the Worker does, with a substring for a pattern: each part's
    /// rows, the wide part's numbered after the narrow part's.
    fn answer(chunk: &ChunkText, needle: &str) -> Vec<u32> {
        let rows_of = |part: &str, count: u32, first: u32| -> Vec<u32> {
            if count == 0 {
                return Vec::new();
            }
            let rows: Vec<&str> = part.split('\n').collect();
            assert_eq!(rows.len() as u32, count, "the rows the page said");
            (0..count)
                .filter(|i| rows[*i as usize].contains(needle))
                .map(|i| first + i)
                .collect()
        };
        let mut rows = rows_of(chunk.narrow(), chunk.rows[0], 0);
        rows.extend(rows_of(chunk.wide(), chunk.rows[1], chunk.rows[0]));
        rows
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
        let mut scan = PatternScan::new("alpha", PerLevel([true, false, false, false]));
        let chunk = scan.next_chunk(&lines, 2).unwrap();
        assert_eq!(chunk.text, "alpha");
        let second = scan.next_chunk(&lines, 10).unwrap();
        assert_eq!(second.text, "red alpha\ntworows alpha\nbeta");
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
    fn lines_wider_than_one_byte_go_after_and_their_matches_fall_back_in_order() {
        let lines = log(&[
            ("info", "alpha ✔ batch"),
            ("info", "alpha café"),
            ("info", "日本語 alpha"),
            ("info", ""),
            ("info", "\u{1b}[32malpha\u{1b}[0m ÿ"),
            ("info", "alpha 😀"),
            ("info", "مرحبا alpha"),
            ("info", "beta ā"),
            ("info", "alpha"),
        ]);
        let mut scan = PatternScan::new("alpha", PerLevel::default());
        let chunk = scan.next_chunk(&lines, 100).unwrap();
        assert_eq!(chunk.narrow(), "alpha café\n\nalpha ÿ\nalpha");
        assert_eq!(
            chunk.wide(),
            "alpha ✔ batch\n日本語 alpha\nalpha 😀\nمرحبا alpha\nbeta ā"
        );
        assert_eq!(chunk.rows, [4, 5]);
        scan.answered(&answer(&chunk, "alpha"));
        assert_eq!(scan.hits(), [0, 1, 2, 4, 5, 6, 8]);
        // An empty line alone is a part of one row and no bytes.
        let lines = log(&[("info", "✔"), ("info", "")]);
        let mut scan = PatternScan::new("^$", PerLevel::default());
        let chunk = scan.next_chunk(&lines, 100).unwrap();
        assert_eq!((chunk.split, chunk.rows), (0, [1, 1]));
        scan.answered(&[0]);
        assert_eq!(scan.hits(), [1]);
    }

    #[test]
    fn one_byte_text_is_latin_1_and_nothing_wider() {
        assert!(fits_one_byte("plain ASCII ~\t"));
        assert!(fits_one_byte("café ÿ ß ¿ \u{80}"));
        assert!(!fits_one_byte("Ā"));
        assert!(!fits_one_byte("a ✔"));
        assert!(!fits_one_byte("日本"));
        assert!(!fits_one_byte("😀"));
        assert!(!fits_one_byte("مرحبا"));
    }

    #[test]
    fn a_slow_chunk_of_both_parts_names_its_first_and_last_line() {
        let lines = log(&[("info", "a"), ("info", "ā"), ("info", "a"), ("info", "✔")]);
        let mut scan = PatternScan::new("(a+)+$", PerLevel::default());
        scan.next_chunk(&lines, 4).unwrap();
        scan.stop(None);
        assert_eq!(
            scan.stopped(),
            Some(&Stopped::TooSlow { first: 0, last: 3 })
        );
    }

    #[test]
    fn no_more_than_in_flight_chunks_are_out_and_answers_keep_their_order() {
        let rows: Vec<(&str, &str)> = (0..6).map(|_| ("info", "x")).collect();
        let lines = log(&rows);
        let mut scan = PatternScan::new("x", PerLevel::default());
        let out: Vec<ChunkText> = std::iter::from_fn(|| scan.next_chunk(&lines, 1)).collect();
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
        let mut scan = PatternScan::new("c", PerLevel([true, false, false, false]));
        let chunk = scan.next_chunk(&lines, 2).unwrap();
        assert_eq!(chunk.text, "c");
        scan.answered(&[0]);
        assert_eq!(scan.hits(), [2]);
    }

    #[test]
    fn a_slow_chunk_stops_the_search_and_keeps_what_was_found() {
        let lines = log(&[("info", "a"), ("info", "aaaa"), ("info", "aaab")]);
        let mut scan = PatternScan::new("(a+)+$", PerLevel::default());
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
