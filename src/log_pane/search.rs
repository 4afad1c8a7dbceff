//! Case-insensitive plain-text search over the whole log, not just the rows
//! on screen. A [`SearchScan`] walks the lines in slices (a caller gives it
//! a number of lines per call and yields to the browser in between), keeps
//! the index of every matching line, and picks up new lines as they arrive.
//! Matching is on the text as shown: escape codes removed, each character
//! compared in lower case by Unicode's rules.

use std::ops::Range;

use crate::log_pane::ansi;
use crate::log_pane::level::PerLevel;
use crate::log_pane::LogLines;

/// One character as case-insensitive search compares it: lower case by
/// Unicode's own rules (the standard library's tables), with the Greek
/// final sigma as a sigma. Where Unicode lowers a character to more than
/// one (`İ` to `i̇`), its first stands for it.
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match c.to_lowercase().next() {
        Some('ς') => 'σ',
        Some(lower) => lower,
        None => c,
    }
}

/// What the reader searches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    folded: Vec<char>,
    /// The folded query as bytes, when it is ASCII (the fast path).
    ascii: Option<Vec<u8>>,
}

impl Query {
    /// `None` for an empty query.
    pub fn new(text: &str) -> Option<Query> {
        let folded: Vec<char> = text.chars().map(fold).collect();
        if folded.is_empty() {
            return None;
        }
        let ascii = folded
            .iter()
            .all(char::is_ascii)
            .then(|| folded.iter().map(|c| *c as u8).collect());
        Some(Query { folded, ascii })
    }

    /// Byte ranges of the matches in `plain` (text as shown), left to
    /// right, not overlapping.
    pub fn matches_in(&self, plain: &str) -> Vec<Range<usize>> {
        let chars: Vec<(usize, char)> = plain.char_indices().collect();
        let n = self.folded.len();
        let mut found = Vec::new();
        let mut i = 0;
        while i + n <= chars.len() {
            let hit = chars[i..i + n]
                .iter()
                .zip(&self.folded)
                .all(|((_, c), q)| fold(*c) == *q);
            if hit {
                let end = chars.get(i + n).map_or(plain.len(), |(at, _)| *at);
                found.push(chars[i].0..end);
                i += n;
            } else {
                i += 1;
            }
        }
        found
    }

    /// Whether a line's message holds the query once shown. `simple`: the
    /// message is printable ASCII, shown as it is.
    pub fn is_in(&self, message: &str, simple: bool) -> bool {
        if simple {
            // Folding never turns an ASCII character into a non-ASCII one.
            return self
                .ascii
                .as_deref()
                .is_some_and(|needle| contains_ascii_folded(message.as_bytes(), needle));
        }
        // Text with escape or control characters is searched as shown;
        // other text (non-ASCII) as it is, without a copy.
        if message.contains('\u{1b}') || message.chars().any(char::is_control) {
            !self.matches_in(&ansi::plain_text(message)).is_empty()
        } else {
            !self.matches_in(message).is_empty()
        }
    }
}

/// `haystack` holds `needle` (lower case ASCII), ignoring ASCII case.
fn contains_ascii_folded(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if haystack.len() < needle.len() {
        return false;
    }
    let last_start = haystack.len() - needle.len();
    haystack[..=last_start].iter().enumerate().any(|(i, b)| {
        b.to_ascii_lowercase() == first
            && haystack[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
    })
}

/// A search of one log, resumable: the lines scanned so far and the
/// indices of those that match, in order.
#[derive(Debug, Clone)]
pub struct SearchScan {
    pub query: Query,
    /// Levels whose lines are not searched (hidden by the filter).
    hidden: PerLevel<bool>,
    scanned: usize,
    hits: Vec<u32>,
}

impl SearchScan {
    pub fn new(query: Query, hidden: PerLevel<bool>) -> SearchScan {
        SearchScan {
            query,
            hidden,
            scanned: 0,
            hits: Vec::new(),
        }
    }

    /// Scans up to `max_lines` more lines of `lines`. True once every line
    /// it holds has been scanned.
    pub fn advance(&mut self, lines: &LogLines, max_lines: usize) -> bool {
        if self.scanned > lines.len() {
            // Another log: start again.
            self.scanned = 0;
            self.hits.clear();
        }
        let end = lines.len().min(self.scanned.saturating_add(max_lines));
        let (query, hidden, hits) = (&self.query, self.hidden, &mut self.hits);
        lines.texts_in(self.scanned..end, |index, level, message, simple| {
            if !hidden[level] && query.is_in(message, simple) {
                hits.push(index as u32);
            }
        });
        self.scanned = end;
        self.is_done(lines)
    }

    pub fn is_done(&self, lines: &LogLines) -> bool {
        self.scanned == lines.len()
    }

    pub fn scanned(&self) -> usize {
        self.scanned
    }

    pub fn hidden(&self) -> PerLevel<bool> {
        self.hidden
    }

    /// Indices of the matching lines scanned so far, in order.
    pub fn hits(&self) -> &[u32] {
        &self.hits
    }
}

/// The match to go to from `current` (a line index), forwards or
/// backwards, wrapping around at either end. From no current match it is
/// the first (or the last).
pub fn step_hit(hits: &[u32], current: Option<usize>, forward: bool) -> Option<usize> {
    let (first, last) = (*hits.first()? as usize, *hits.last()? as usize);
    let Some(current) = current else {
        return Some(if forward { first } else { last });
    };
    let next = if forward {
        let at = hits.partition_point(|h| (*h as usize) <= current);
        hits.get(at).map_or(first, |h| *h as usize)
    } else {
        let at = hits.partition_point(|h| (*h as usize) < current);
        at.checked_sub(1).map_or(last, |i| hits[i] as usize)
    };
    Some(next)
}

/// The 1-based position of `current` among the hits ("3 of 120").
pub fn hit_number(hits: &[u32], current: usize) -> Option<usize> {
    let at = hits.binary_search(&(current as u32)).ok()?;
    Some(at + 1)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::LogLine;
    use proptest::prelude::*;

    use crate::log_pane::lines::test_log as log;

    fn scan_all(lines: &LogLines, query: &str, slice: usize) -> Vec<u32> {
        let mut scan = SearchScan::new(Query::new(query).unwrap(), PerLevel::default());
        while !scan.advance(lines, slice) {}
        scan.hits().to_vec()
    }

    #[test]
    fn folding_is_unicode_s_lower_case_with_final_sigma_as_sigma() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = match c.to_lowercase().next().unwrap() {
                'ς' => 'σ',
                lower => lower,
            };
            assert_eq!(fold(c), expected, "{c:?}");
        }
        // Vietnamese, Latin Extended-B, Greek (final sigma), Cherokee-free
        // scripts the earlier hand ranges missed.
        for (text, query) in [
            ("THÀNH PHỐ HỒ CHÍ MINH", "thành phố"),
            ("ǄEMAL Ǉubljana Ȁ", "ǆemal ǉubljana ȁ"),
            ("ΟΔΟΣ", "οδος"),
            ("οδος", "ΟΔΟΣ"),
            ("İstanbul", "istanbul"),
            ("Ⓐ ⓑ", "ⓐ Ⓑ"),
            ("ＡＢＣ", "ａｂｃ"),
            ("ДОБРЫЙ день", "добрый ДЕНЬ"),
        ] {
            let q = Query::new(query).unwrap();
            assert!(q.is_in(text, false), "{query} in {text}");
        }
    }

    #[test]
    fn an_empty_query_searches_nothing() {
        assert_eq!(Query::new(""), None);
    }

    #[test]
    fn case_is_ignored_both_ways_and_in_other_scripts() {
        let lines = log(&[
            ("info", "Checksum MISMATCH"),
            ("info", "no match here"),
            ("info", "ÉCHEC du déploiement"),
            ("info", "mismatch again"),
        ]);
        assert_eq!(scan_all(&lines, "mismatch", 1), [0, 3]);
        assert_eq!(scan_all(&lines, "MisMatch", 10), [0, 3]);
        assert_eq!(scan_all(&lines, "échec", 10), [2]);
        assert_eq!(scan_all(&lines, "DÉPLOIEMENT", 10), [2]);
    }

    #[test]
    fn escape_codes_are_not_searched_and_do_not_split_words() {
        let lines = log(&[
            ("info", "\u{1b}[32mcommit\u{1b}[0mted"),
            ("info", "\u{1b}[1;31m"),
            ("info", "tab\there"),
        ]);
        assert_eq!(scan_all(&lines, "committed", 10), [0]);
        assert_eq!(scan_all(&lines, "[1;31m", 10), Vec::<u32>::new());
        assert_eq!(scan_all(&lines, "31", 10), Vec::<u32>::new());
        // A tab is shown as a terminal shows it: spaces to the next stop.
        assert_eq!(scan_all(&lines, "tab     here", 10), [2]);
        assert_eq!(scan_all(&lines, "tab\th", 10), Vec::<u32>::new());
    }

    #[test]
    fn matches_across_chunk_and_page_boundaries_are_all_found_in_order() {
        let messages: Vec<(String, String)> = (0..10_000)
            .map(|i| {
                (
                    "info".into(),
                    if i % 997 == 0 {
                        format!("needle {i}")
                    } else {
                        format!("hay {i}")
                    },
                )
            })
            .collect();
        let borrowed: Vec<(&str, &str)> = messages
            .iter()
            .map(|(l, m)| (l.as_str(), m.as_str()))
            .collect();
        let lines = log(&borrowed);
        let expected: Vec<u32> = (0..10_000).filter(|i| i % 997 == 0).collect();
        assert_eq!(scan_all(&lines, "NEEDLE", 333), expected);
        assert_eq!(scan_all(&lines, "needle", 100_000), expected);
    }

    #[test]
    fn a_scan_picks_up_lines_that_arrive_later() {
        let first = log(&[("info", "alpha"), ("info", "beta")]);
        let mut scan = SearchScan::new(Query::new("a").unwrap(), PerLevel::default());
        assert!(scan.advance(&first, 10));
        let more = first.appended(vec![LogLine {
            seq: 3,
            ts: String::new(),
            level: "info".into(),
            message: "gamma".into(),
        }]);
        assert!(!scan.is_done(&more));
        assert!(scan.advance(&more, 10));
        assert_eq!(scan.hits(), [0, 1, 2]);
    }

    #[test]
    fn hidden_levels_are_not_searched() {
        let lines = log(&[
            ("debug", "x"),
            ("info", "x"),
            ("trace", "x"),
            ("error", "x"),
        ]);
        let mut scan = SearchScan::new(
            Query::new("x").unwrap(),
            PerLevel([true, false, false, false]),
        );
        assert!(scan.advance(&lines, 10));
        assert_eq!(scan.hits(), [1, 3]);
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let hits = [3, 10, 42];
        assert_eq!(step_hit(&hits, None, true), Some(3));
        assert_eq!(step_hit(&hits, None, false), Some(42));
        assert_eq!(step_hit(&hits, Some(3), true), Some(10));
        assert_eq!(step_hit(&hits, Some(42), true), Some(3));
        assert_eq!(step_hit(&hits, Some(3), false), Some(42));
        assert_eq!(step_hit(&hits, Some(11), false), Some(10));
        assert_eq!(step_hit(&hits, Some(11), true), Some(42));
        assert_eq!(step_hit(&[], Some(1), true), None);
        assert_eq!(hit_number(&hits, 10), Some(2));
        assert_eq!(hit_number(&hits, 11), None);
    }

    #[test]
    fn matches_in_a_row_are_byte_ranges_of_the_shown_text() {
        let query = Query::new("ab").unwrap();
        assert_eq!(query.matches_in("xABabab"), [1..3, 3..5, 5..7]);
        assert_eq!(query.matches_in("aaa"), Vec::<Range<usize>>::new());
        let query = Query::new("é").unwrap();
        assert_eq!(query.matches_in("café É"), [3..5, 6..8]);
    }

    proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_general_one(
            message in "[ -~]{0,40}",
            query in "[ -~]{1,4}",
        ) {
            let q = Query::new(&query).unwrap();
            prop_assert_eq!(q.is_in(&message, true), !q.matches_in(&message).is_empty());
        }

        #[test]
        fn every_match_is_the_query_in_any_case(message in any::<String>(), query in "\\PC{1,3}") {
            let q = Query::new(&query).unwrap();
            let plain = ansi::plain_text(&message);
            for range in q.matches_in(&plain) {
                let found: Vec<char> = plain[range].chars().map(fold).collect();
                prop_assert_eq!(&found, &q.folded);
            }
            prop_assert_eq!(q.is_in(&message, false), !q.matches_in(&plain).is_empty());
        }
    }
}
