//! "New in this attempt": the warn and error lines of a log whose text does
//! not occur in the attempt before it, once what changes from run to run
//! (numbers, hex ids, UUIDs, timestamps) is masked. Pure, tested natively.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::ansi;
use super::level::Level;
use super::LogLines;

/// A line's text with what differs between runs masked: each run of
/// ASCII letters and digits that is a number or a hex id (hex digits with
/// a digit among them, or eight and more; `0x…`) becomes `#`, and the digits
/// inside any other word do too. `job 7f3a9c1e failed after 12.5 s at
/// 2026-11-23T10:15:01Z` and the same line of another run read alike.
pub fn masked(text: &str) -> String {
    let plain = ansi::plain_text(text);
    let mut out = String::with_capacity(plain.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let hex = word.bytes().all(|b| b.is_ascii_hexdigit());
        let digit = word.bytes().any(|b| b.is_ascii_digit());
        let prefixed = word.len() > 2
            && word[..2].eq_ignore_ascii_case("0x")
            && word.bytes().skip(2).all(|b| b.is_ascii_hexdigit());
        if prefixed || (hex && (digit || word.len() >= 8)) {
            out.push('#');
        } else {
            let mut in_digits = false;
            for c in word.chars() {
                if c.is_ascii_digit() {
                    if !in_digits {
                        out.push('#');
                    }
                    in_digits = true;
                } else {
                    out.push(c);
                    in_digits = false;
                }
            }
        }
        word.clear();
    };
    for c in plain.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn fingerprint(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    masked(text).hash(&mut hasher);
    hasher.finish()
}

/// The warn and error lines of `current` (their indices, in order) whose
/// masked text is not the masked text of any line of `previous`.
pub fn new_in_attempt(current: &LogLines, previous: &LogLines) -> Vec<u32> {
    let mut seen = HashSet::with_capacity(previous.len());
    previous.texts_in(0..previous.len(), |_, _, message, _| {
        seen.insert(fingerprint(message));
    });
    let mut found = Vec::new();
    current.texts_in(0..current.len(), |index, level, message, _| {
        if matches!(level, Level::Warn | Level::Error) && !seen.contains(&fingerprint(message)) {
            found.push(index as u32);
        }
    });
    found
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::log_pane::lines::test_log as log;

    #[test]
    fn what_changes_between_runs_is_masked() {
        assert_eq!(
            masked("job 7f3a9c1e failed after 12.5 s at 2026-11-23T10:15:01Z"),
            "job # failed after #.# s at #-#-#T#:#:#Z"
        );
        assert_eq!(
            masked("request 3f2b8c9e-1d4a-4b6f-9a0e-5c7d8e9f0a1b for sku-1234 (req42)"),
            "request #-#-#-#-# for sku-# (req#)"
        );
        assert_eq!(
            masked("0xDEADBEEF deadbeef cafe"),
            "# # cafe",
            "short words stay"
        );
        // Escape codes and other scripts: kept apart from the masking.
        assert_eq!(masked("\u{1b}[31m错误 42 件\u{1b}[0m ✗"), "错误 # 件 ✗");
        assert_eq!(masked("خطأ 7"), "خطأ #");
        assert_eq!(masked(""), "");
    }

    #[test]
    fn only_warn_and_error_lines_whose_text_is_new_are_listed() {
        let before = log(&[
            ("info", "step 1 started at 10:00:01"),
            ("warn", "retrying payment 3f2b8c9e (attempt 1)"),
            ("error", "payment provider rejected the merchant account"),
        ]);
        let now = log(&[
            ("info", "step 1 started at 10:42:07"),
            ("warn", "retrying payment 9a0e5c7d (attempt 2)"),
            ("warn", "catalog sku-77 has no price"),
            ("error", "payment provider rejected the merchant account"),
            ("info", "an info line that is new"),
            (
                "error",
                "\u{1b}[31mwebhook 502 from https://pay.example/hook\u{1b}[0m",
            ),
        ]);
        assert_eq!(new_in_attempt(&now, &before), [2, 5]);
        assert!(new_in_attempt(&now, &now).is_empty());
        assert_eq!(new_in_attempt(&now, &LogLines::default()), [1, 2, 3, 5]);
    }
}
