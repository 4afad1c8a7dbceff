//! What one row shows of a message: its text with escape codes turned into
//! styles, web addresses into links and search matches marked, cut to the
//! columns of the row when lines wrap.

use std::ops::Range;

use crate::log_pane::ansi::{self, Style};
use crate::log_pane::display_width::byte_of_column;
use crate::log_pane::links::find_links;

/// How a piece of text is marked by the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    Match,
    /// A match in the current match's line.
    Current,
}

/// A run of text shown one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub style: Style,
    /// Index into [`RowText::links`] when the text is part of a link.
    pub link: Option<usize>,
    pub mark: Mark,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowText {
    pub pieces: Vec<Piece>,
    /// The addresses the pieces link to (always `http://` or `https://`).
    pub links: Vec<String>,
}

/// Finds the byte ranges to mark (search matches) in a row's text as shown.
pub type FindMarks<'a> = dyn Fn(&str) -> Vec<Range<usize>> + 'a;

/// Lays out `message` for a row: `columns`, when lines wrap, is the range of
/// columns this row shows; `current` marks the matches as the current one.
pub fn row_text(
    message: &str,
    marks: Option<&FindMarks>,
    current: bool,
    columns: Option<Range<usize>>,
) -> RowText {
    let segments = ansi::segments(message);
    let mut plain = String::new();
    let mut styles: Vec<(usize, Style)> = Vec::with_capacity(segments.len());
    // OSC 8 hyperlinks first, by their own targets; then the addresses
    // written out in the rest of the text.
    let mut links: Vec<(Range<usize>, String)> = Vec::new();
    for segment in segments {
        let start = plain.len();
        styles.push((start, segment.style));
        plain.push_str(&segment.text);
        if let Some(target) = segment.link {
            match links.last_mut() {
                Some((range, last)) if range.end == start && **last == *target => {
                    range.end = plain.len()
                }
                _ => links.push((start..plain.len(), target.to_string())),
            }
        }
    }
    let part = match columns {
        Some(columns) => byte_of_column(&plain, columns.start)..byte_of_column(&plain, columns.end),
        None => 0..plain.len(),
    };
    let written: Vec<_> = find_links(&plain)
        .into_iter()
        .filter(|found| {
            !links
                .iter()
                .any(|(range, _)| range.start < found.end && found.start < range.end)
        })
        .map(|found| (found.clone(), plain[found].to_owned()))
        .collect();
    links.extend(written);
    links.sort_by_key(|(range, _)| range.start);
    let (links, targets): (Vec<Range<usize>>, Vec<String>) = links.into_iter().unzip();
    let matches = marks.map(|find| find(&plain)).unwrap_or_default();
    let mut cuts: Vec<usize> = vec![part.start, part.end];
    cuts.extend(styles.iter().map(|(at, _)| *at));
    for range in links.iter().chain(&matches) {
        cuts.extend([range.start, range.end]);
    }
    cuts.retain(|at| part.contains(at) || *at == part.end);
    cuts.sort_unstable();
    cuts.dedup();
    let inside = |ranges: &[Range<usize>], at: usize| ranges.iter().position(|r| r.contains(&at));
    let pieces = cuts
        .windows(2)
        .map(|pair| {
            let (start, end) = (pair[0], pair[1]);
            let style = styles
                .iter()
                .rev()
                .find(|(at, _)| *at <= start)
                .map(|(_, style)| *style)
                .unwrap_or_default();
            let mark = match (inside(&matches, start), current) {
                (None, _) => Mark::None,
                (Some(_), false) => Mark::Match,
                (Some(_), true) => Mark::Current,
            };
            Piece {
                text: plain[start..end].to_owned(),
                style,
                link: inside(&links, start),
                mark,
            }
        })
        .collect();
    RowText {
        pieces,
        links: targets,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::log_pane::search::Query;
    use proptest::prelude::*;

    fn shown(row: &RowText) -> Vec<(&str, bool, Option<&str>, Mark)> {
        row.pieces
            .iter()
            .map(|p| {
                (
                    p.text.as_str(),
                    p.style.bold,
                    p.link.map(|l| row.links[l].as_str()),
                    p.mark,
                )
            })
            .collect()
    }

    #[test]
    fn styles_links_and_matches_cut_the_text_into_pieces() {
        let query = Query::new("record").unwrap();
        let find = |plain: &str| query.matches_in(plain);
        let row = row_text(
            "\u{1b}[1mRecord\u{1b}[0m at https://a.test/record/1 ok",
            Some(&find),
            false,
            None,
        );
        assert_eq!(
            shown(&row),
            [
                ("Record", true, None, Mark::Match),
                (" at ", false, None, Mark::None),
                (
                    "https://a.test/",
                    false,
                    Some("https://a.test/record/1"),
                    Mark::None
                ),
                (
                    "record",
                    false,
                    Some("https://a.test/record/1"),
                    Mark::Match
                ),
                ("/1", false, Some("https://a.test/record/1"), Mark::None),
                (" ok", false, None, Mark::None),
            ]
        );
        let current = row_text("a record", Some(&find), true, None);
        assert_eq!(current.pieces[1].mark, Mark::Current);
    }

    #[test]
    fn an_osc_8_link_wraps_its_text_and_written_addresses_still_link() {
        let row = row_text(
            "\u{1b}]8;;https://ci.test/run/7\u{1b}\\run 7\u{1b}]8;;\u{1b}\\ see https://a.test",
            None,
            false,
            None,
        );
        assert_eq!(
            shown(&row),
            [
                ("run 7", false, Some("https://ci.test/run/7"), Mark::None),
                (" see ", false, None, Mark::None),
                ("https://a.test", false, Some("https://a.test"), Mark::None),
            ]
        );
    }

    #[test]
    fn wide_characters_wrap_by_their_columns() {
        // 日本語 takes six columns: at four a row, 日本 then 語.
        let row = |part: usize| {
            let row = row_text("日本語", None, false, Some(part * 4..(part + 1) * 4));
            row.pieces
                .iter()
                .map(|p| p.text.clone())
                .collect::<String>()
        };
        assert_eq!((row(0), row(1)), ("日本".to_owned(), "語".to_owned()));
    }

    #[test]
    fn a_wrapped_row_shows_only_its_columns() {
        let row = row_text("0123456789abcdé", None, false, Some(10..15));
        assert_eq!(shown(&row), [("abcdé", false, None, Mark::None)]);
        let row = row_text("see https://a.test/x", None, false, Some(0..8));
        assert_eq!(
            shown(&row),
            [
                ("see ", false, None, Mark::None),
                ("http", false, Some("https://a.test/x"), Mark::None)
            ]
        );
        assert!(row_text("short", None, false, Some(10..20))
            .pieces
            .is_empty());
    }

    proptest! {
        #[test]
        fn the_rows_of_a_line_show_its_text_exactly_once(message in any::<String>(), columns in 1..20usize) {
            let plain = ansi::plain_text(&message);
            let width = crate::log_pane::display_width::width(&plain);
            let mut joined = String::new();
            for part in 0..width.div_ceil(columns).max(1) {
                let row = row_text(&message, None, false, Some(part * columns..(part + 1) * columns));
                for piece in row.pieces {
                    prop_assert!(!piece.text.contains('\u{1b}'), "escape left in {:?}", piece.text);
                    joined.push_str(&piece.text);
                }
            }
            prop_assert_eq!(joined, plain);
        }
    }
}
