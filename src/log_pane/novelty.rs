//! "New in this attempt": the warn and error lines of a log whose text does
//! not occur in the attempt before it, once what changes from run to run
//! (numbers, hex ids, UUIDs, timestamps) is masked. Pure, tested natively.

use std::collections::HashSet;
use std::hash::Hasher;

use super::ansi;
use super::level::Level;
use super::LogLines;
use crate::sliced_work::{Resumable, LINES_PER_SCAN_STEP};

/// A line's text with what differs between runs masked: each run of
/// ASCII letters and digits that is a number or a hex id (hex digits with
/// a digit among them, or eight and more; `0x…`) becomes `#`, and the digits
/// inside any other word do too. `job 7f3a9c1e failed after 12.5 s at
/// 2026-11-23T10:15:01Z` and the same line of another run read alike.
pub fn masked(text: &str) -> String {
    let mut out = String::new();
    mask_pieces(&ansi::plain_text(text), &mut |piece| out.push_str(piece));
    out
}

/// Hands `out`, in order, the pieces of `plain` as `masked` writes them,
/// without building the text: a word (a run of ASCII letters and digits)
/// at a time, and each run between words whole.
fn mask_pieces(plain: &str, out: &mut impl FnMut(&str)) {
    for (word, piece) in runs(plain, |b| b.is_ascii_alphanumeric()) {
        if word {
            mask_word(piece, out);
        } else {
            out(piece);
        }
    }
}

fn mask_word(word: &str, out: &mut impl FnMut(&str)) {
    let hex = word.bytes().all(|b| b.is_ascii_hexdigit());
    let digit = word.bytes().any(|b| b.is_ascii_digit());
    let prefixed = word.len() > 2
        && word[..2].eq_ignore_ascii_case("0x")
        && word.bytes().skip(2).all(|b| b.is_ascii_hexdigit());
    if prefixed || (hex && (digit || word.len() >= 8)) {
        return out("#");
    }
    // The digits inside another word: each run one `#`.
    for (digits, piece) in runs(word, |b| b.is_ascii_digit()) {
        out(if digits { "#" } else { piece });
    }
}

/// `text` cut into runs of bytes that are, or are not, of `class` (an
/// ASCII class, so each cut is a character bound), with which they are.
fn runs(text: &str, class: impl Fn(u8) -> bool) -> impl Iterator<Item = (bool, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at;
        let first = class(*bytes.get(at)?);
        while at < bytes.len() && class(bytes[at]) == first {
            at += 1;
        }
        Some((first, &text[start..at]))
    })
}

/// The masked text's hash, fed piece by piece (no text is built); a
/// `simple` message (plain ASCII) has no escape codes to take out.
fn fingerprint(message: &str, simple: bool) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    mask_pieces(&ansi::shown_text(message, simple), &mut |piece| {
        hasher.write(piece.as_bytes())
    });
    hasher.finish()
}

/// The warn and error lines of `current` (their indices, in order) whose
/// masked text is not the masked text of any line of `previous`.
pub fn new_in_attempt(current: &LogLines, previous: &LogLines) -> Vec<u32> {
    let mut scan = NoveltyScan::default();
    while !scan.advance(current, previous, usize::MAX) {}
    scan.found
}

/// `new_in_attempt`, resumable, so a million lines never hold the page:
/// the previous attempt's lines are fingerprinted a slice at a time, then
/// the current attempt's warn and error lines are looked up, the ones that
/// came since included.
#[derive(Debug, Default)]
pub struct NoveltyScan {
    seen: HashSet<u64>,
    previous_done: usize,
    current_done: usize,
    found: Vec<u32>,
}

impl NoveltyScan {
    /// Goes through up to `max_lines` more lines: `true` once every line
    /// there is has been (a later snapshot of `current` goes on from there;
    /// `previous` is a finished attempt and stays the same).
    pub fn advance(&mut self, current: &LogLines, previous: &LogLines, max_lines: usize) -> bool {
        if self.previous_done < previous.len() {
            let end = previous
                .len()
                .min(self.previous_done.saturating_add(max_lines));
            let seen = &mut self.seen;
            previous.texts_in(self.previous_done..end, |_, _, message, simple| {
                seen.insert(fingerprint(message, simple));
            });
            self.previous_done = end;
            return false;
        }
        let end = current
            .len()
            .min(self.current_done.saturating_add(max_lines));
        let (seen, found) = (&self.seen, &mut self.found);
        current.texts_in(self.current_done..end, |index, level, message, simple| {
            if matches!(level, Level::Warn | Level::Error)
                && !seen.contains(&fingerprint(message, simple))
            {
                found.push(index as u32);
            }
        });
        self.current_done = end;
        end == current.len()
    }

    /// The new lines found so far, in order.
    pub fn found(&self) -> &[u32] {
        &self.found
    }
}

/// "New in this attempt" being worked out, a step at a time: the current
/// attempt's lines (a snapshot that grows), the previous attempt's and
/// the scan between them.
#[derive(Debug)]
pub struct NoveltyTask {
    lines: LogLines,
    previous: LogLines,
    scan: NoveltyScan,
    /// Every line there was has been compared once (lines that come later
    /// are compared as they come).
    compared: bool,
}

impl NoveltyTask {
    pub fn new(lines: &LogLines, previous: &LogLines) -> Self {
        Self {
            lines: lines.clone(),
            previous: previous.clone(),
            scan: NoveltyScan::default(),
            compared: false,
        }
    }

    /// Takes a later snapshot of the same log, compared with the same
    /// previous attempt, and goes on from where it is; `false` (and
    /// nothing changed) for other logs.
    pub fn resume_with(&mut self, lines: &LogLines, previous: &LogLines) -> bool {
        let same = self.lines.same_log(lines) && self.previous == *previous;
        if same {
            self.lines = lines.clone();
        }
        same
    }

    pub fn found(&self) -> &[u32] {
        self.scan.found()
    }

    pub fn compared(&self) -> bool {
        self.compared
    }
}

impl Resumable for NoveltyTask {
    fn step(&mut self) -> bool {
        let done = self
            .scan
            .advance(&self.lines, &self.previous, LINES_PER_SCAN_STEP);
        self.compared |= done;
        done
    }
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

    #[test]
    fn a_scan_in_slices_finds_what_one_pass_finds_and_goes_on_with_new_lines() {
        let before = log(&[
            ("warn", "slow batch 1"),
            ("info", "retrying payment 3f2b8c9e"),
            ("error", "\u{1b}[31m支払い 失敗 7\u{1b}[0m"),
            ("info", "done"),
        ]);
        let now = log(&[
            ("warn", "slow batch 2"),
            ("error", "支払い 失敗 8"),
            ("warn", "retrying payment 9a0e5c7d"),
            ("error", "✗ webhook 502"),
        ]);
        let mut scan = NoveltyScan::default();
        let mut slices = 1;
        while !scan.advance(&now, &before, 1) {
            slices += 1;
        }
        assert_eq!(slices, before.len() + now.len());
        assert_eq!(scan.found(), new_in_attempt(&now, &before));
        assert_eq!(scan.found(), [3]);
        let more = now.appended(vec![crate::api::LogLine {
            seq: 5,
            ts: String::new(),
            level: "warn".into(),
            message: "مهلة 30 ثانية".into(),
        }]);
        assert!(
            !scan.advance(&more, &before, 0),
            "a line not gone through yet"
        );
        assert!(scan.advance(&more, &before, 10));
        assert_eq!(scan.found(), [3, 4]);
    }

    #[test]
    fn a_task_goes_on_with_its_own_log_grown_and_refuses_another() {
        let before = log(&[("error", "payment 1 failed")]);
        let now = log(&[("error", "payment 2 failed"), ("error", "webhook 502")]);
        let mut task = NoveltyTask::new(&now, &before);
        while !task.step() {}
        assert!(task.compared());
        assert_eq!(task.found(), [1]);
        let more = now.appended(vec![crate::api::LogLine {
            seq: 3,
            ts: String::new(),
            level: "warn".into(),
            message: "disk full".into(),
        }]);
        assert!(task.resume_with(&more, &before));
        assert!(task.step());
        assert_eq!(task.found(), [1, 2]);
        let other = log(&[("error", "payment 2 failed")]);
        assert!(!task.resume_with(&other, &before), "another log");
        assert!(!task.resume_with(&more, &now), "another previous attempt");
        assert_eq!(task.found(), [1, 2], "unchanged");
    }

    #[test]
    fn the_fingerprint_is_the_hash_of_the_masked_text() {
        use std::hash::Hasher;
        for (message, simple) in [
            ("record 42 took 7 ms", true),
            ("\u{1b}[32m✔\u{1b}[0m batch 0xFF committed", false),
            ("", true),
        ] {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            hasher.write(masked(message).as_bytes());
            assert_eq!(fingerprint(message, simple), hasher.finish(), "{message:?}");
        }
    }
}
