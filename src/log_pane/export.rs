//! The log as a plain text file: one line per log line, `time level
//! message`, escape codes removed. Written a range at a time so a caller can
//! build a million-line file in slices.

use std::ops::Range;

use crate::log_pane::ansi;
use crate::log_pane::LogLines;
use crate::sliced_work::Resumable;
use crate::time_format::date_time;

/// The file's name: `<tenantId>-<jobId>.log`, with anything but letters,
/// digits, `-`, `_` and `.` replaced.
pub fn file_name(tenant: &str, job_id: &str) -> String {
    let safe = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("{}-{}.log", safe(tenant), safe(job_id))
}

/// Appends the lines of `range` to `out`.
pub fn write_lines(lines: &LogLines, range: Range<usize>, out: &mut Vec<u8>) {
    lines.for_each_in(range, |_, line| {
        let time = match (line.wall_ms, line.odd_ts) {
            (Some(ms), _) => date_time(ms),
            (None, Some(text)) => text.chars().filter(|c| !c.is_control()).collect(),
            (None, None) => String::new(),
        };
        let level: String = line.level.chars().filter(|c| !c.is_control()).collect();
        out.extend_from_slice(time.as_bytes());
        out.push(b' ');
        out.extend_from_slice(level.to_ascii_uppercase().as_bytes());
        out.push(b' ');
        out.extend_from_slice(ansi::shown_text(line.message, line.simple).as_bytes());
        out.push(b'\n');
    });
}

/// Lines written in one step of [`FileWriting`].
pub const LINES_PER_WRITE_STEP: usize = 2_000;

/// The whole log being written as the file, a step at a time: the bytes
/// written since they were last taken.
#[derive(Debug)]
pub struct FileWriting {
    lines: LogLines,
    written: usize,
    bytes: Vec<u8>,
}

impl FileWriting {
    /// Writes `lines` as they are now (lines that come later are not in
    /// the file).
    pub fn new(lines: &LogLines) -> Self {
        Self {
            lines: lines.clone(),
            written: 0,
            bytes: Vec::new(),
        }
    }

    /// The bytes written since the last call.
    pub fn take_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}

impl Resumable for FileWriting {
    fn step(&mut self) -> bool {
        let end = (self.written + LINES_PER_WRITE_STEP).min(self.lines.len());
        write_lines(&self.lines, self.written..end, &mut self.bytes);
        self.written = end;
        end == self.lines.len()
    }
}

/// The lines numbered `first` to `last` (by seq), as the download writes
/// them: what "Copy line" and "Copy lines" put on the clipboard.
pub fn text_of(lines: &LogLines, first: u64, last: u64) -> String {
    let start = lines.index_at_or_after(first);
    let end = lines.index_at_or_after(last.saturating_add(1)).max(start);
    let mut out = Vec::new();
    write_lines(lines, start..end, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::LogLine;

    #[test]
    fn every_line_in_order_without_escape_codes() {
        let page = vec![
            LogLine {
                seq: 1,
                ts: "2026-11-25T10:15:01.120Z".into(),
                level: "info".into(),
                message: "\u{1b}[32mok\u{1b}[0m done".into(),
            },
            LogLine {
                seq: 2,
                ts: "yesterday".into(),
                level: "warn".into(),
                message: "tab\there\nnext".into(),
            },
            LogLine {
                seq: 3,
                ts: "2026-11-25T11:15:01+01:00".into(),
                level: "error".into(),
                message: "x".into(),
            },
        ];
        let lines = LogLines::default().appended(page);
        let mut out = Vec::new();
        write_lines(&lines, 0..1, &mut out);
        write_lines(&lines, 1..3, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2026-11-25 10:15:01.120 INFO ok done\nyesterday WARN tab     herenext\n2026-11-25 11:15:01.000 ERROR x\n"
        );
        // What the copy buttons take: a line, a range, nothing past the end.
        assert_eq!(text_of(&lines, 3, 3), "2026-11-25 11:15:01.000 ERROR x\n");
        assert_eq!(text_of(&lines, 2, 9).lines().count(), 2);
        assert_eq!(text_of(&lines, 7, 9), "");
    }

    #[test]
    fn the_file_written_in_steps_is_the_file_written_at_once() {
        let page: Vec<LogLine> = (1..=4_500)
            .map(|seq| LogLine {
                seq,
                ts: "2026-11-25T10:15:01.120Z".into(),
                level: "info".into(),
                message: format!("line {seq}"),
            })
            .collect();
        let lines = LogLines::default().appended(page);
        let mut whole = Vec::new();
        write_lines(&lines, 0..lines.len(), &mut whole);
        let mut file = FileWriting::new(&lines);
        let (mut steps, mut parts) = (1, file.take_bytes());
        assert!(parts.is_empty(), "nothing before a step");
        while !file.step() {
            steps += 1;
        }
        parts.extend(file.take_bytes());
        assert_eq!((steps, parts), (3, whole));
        assert!(
            FileWriting::new(&LogLines::default()).step(),
            "an empty log"
        );
    }

    #[test]
    fn the_file_is_named_after_tenant_and_job() {
        assert_eq!(file_name("acme-corp", "job_123"), "acme-corp-job_123.log");
        assert_eq!(file_name("a/b", "../x y"), "a_b-.._x_y.log");
    }
}
