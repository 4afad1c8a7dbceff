//! How many columns text takes in the pane's monospace font, by Unicode's
//! East Asian Width and emoji presentation (the `unicode-width` crate): CJK
//! and fullwidth characters and emoji take two, combining marks and other
//! zero-width characters none, everything else one (a tab is counted as
//! one). Wrapping cuts rows by these columns.

use unicode_width::UnicodeWidthChar;

/// The columns of one character of shown text.
pub fn char_width(c: char) -> usize {
    if c == '\t' {
        return 1;
    }
    c.width().unwrap_or(0)
}

/// The columns `text` takes.
pub fn width(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.chars().map(char_width).sum()
}

/// The byte offset where the row starting at `column` begins: the first
/// character that starts at or after that column (its length when none).
/// A zero-width character (a combining mark) stays with the character
/// before it, so no row but the first starts with one.
///
/// Rows cut this way take at most one column more than the row's width,
/// when a wide character starts in its last column: the pane leaves that
/// one column spare.
pub fn byte_of_column(text: &str, column: usize) -> usize {
    if text.is_ascii() {
        return column.min(text.len());
    }
    if column == 0 {
        return 0;
    }
    let mut at = 0;
    for (byte, c) in text.char_indices() {
        let w = char_width(c);
        if at >= column && w > 0 {
            return byte;
        }
        at += w;
    }
    text.len()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wide_characters_take_two_columns_and_marks_none() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本語"), 6);
        assert_eq!(width("ｆｕｌｌ"), 8);
        assert_eq!(width("🚀 ok"), 5);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("שלום"), 4);
        assert_eq!(width("a\tb"), 3);
    }

    #[test]
    fn rows_start_at_whole_characters_and_never_on_a_mark() {
        // 日 takes columns 0–1, 本 2–3, 語 4–5.
        assert_eq!(byte_of_column("日本語", 2), "日".len());
        // Column 3 is inside 本: the row starts with 語.
        assert_eq!(byte_of_column("日本語", 3), "日本".len());
        assert_eq!(byte_of_column("日本語", 9), "日本語".len());
        // The accent stays with its e.
        assert_eq!(byte_of_column("ae\u{301}b", 2), "ae\u{301}".len());
        assert_eq!(byte_of_column("abc", 2), 2);
    }

    proptest! {
        #[test]
        fn a_row_never_takes_more_than_one_spare_column(text in "[a-z日本語🚀\u{301}é ]{0,60}", columns in 2..12usize) {
            let total = width(&text);
            let rows = total.div_ceil(columns).max(1);
            let mut joined = String::new();
            for row in 0..rows {
                let part = &text[byte_of_column(&text, row * columns)..byte_of_column(&text, (row + 1) * columns)];
                prop_assert!(width(part) <= columns + 1, "{part:?}");
                joined.push_str(part);
            }
            prop_assert_eq!(joined, text);
        }
    }
}
