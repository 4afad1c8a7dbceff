//! A job's log, held compactly: append-only, shared, cheap to snapshot.
//!
//! Lines live in chunks of [`CHUNK_LINES`]. A chunk keeps every message in
//! one byte arena with a 32-bit end offset per line, the level as a one-byte
//! index into the log's table of level names, the timestamp as a 32-bit
//! millisecond offset from the chunk's first one, and the columns the line
//! shows as a 32-bit width; the `seq` is implicit while the chunk's seqs run
//! on by one. A line costs its text plus those 13 bytes, where three heap
//! strings would cost about 265. Scans (search, download) walk the chunks in
//! order and can stop and resume at any line, so they can run in slices.
//!
//! Every snapshot ([`LogLines`]) is a length over one shared buffer, so
//! cloning the store's state never copies lines, and appending a page costs
//! O(new lines). Because the buffer only ever grows, an older snapshot still
//! sees exactly the lines it saw. Should two snapshots of one buffer both
//! append (a branch), the second copies its prefix first, so no snapshot
//! ever sees lines that are not its own.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use crate::api::LogLine;
use crate::log_pane::ansi;
use crate::log_pane::level::Level;
use crate::time_format::{parse_rfc3339_wall_ms, time_of_day};

/// Lines per chunk.
pub const CHUNK_LINES: usize = 4096;
/// Distinct level names a log keeps; later ones are stored as "other".
const MAX_LEVEL_NAMES: usize = 250;
/// A line whose timestamp is not a readable time (its text is kept aside).
const NO_TIME: i32 = i32::MIN;
/// Set in a line's width when its text is not plain printable ASCII (it
/// has escape codes, control or non-ASCII characters).
const NOT_SIMPLE: u32 = 1 << 31;

/// One line, borrowed from the log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineRef<'a> {
    pub seq: u64,
    /// The level as the service sent it.
    pub level: &'a str,
    /// The wall-clock time it was written, as sent (ms; `None` if unreadable).
    pub wall_ms: Option<i64>,
    /// The timestamp when it was not a readable time.
    pub odd_ts: Option<&'a str>,
    pub message: &'a str,
    /// The message is printable ASCII only: its text is what is shown.
    pub simple: bool,
    /// Characters shown (escape codes removed): the columns it takes.
    pub width: usize,
}

/// One line, owned: what the tests compare (the pane reads [`LineRef`]s).
#[cfg(all(test, not(target_arch = "wasm32")))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownLine {
    pub seq: u64,
    /// `10:15:01.120`, or the timestamp's text when it is not a time.
    pub time: String,
    pub level: String,
    pub message: String,
}

impl LineRef<'_> {
    /// The time of day to show: `10:15:01.120`, or the text as sent.
    pub fn time_text(&self) -> String {
        match (self.wall_ms, self.odd_ts) {
            (Some(ms), _) => time_of_day(ms),
            (None, Some(text)) => text.chars().take(24).collect(),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Chunk {
    first_seq: u64,
    /// Every seq, once they stop running on by one within the chunk.
    seqs: Option<Vec<u64>>,
    text: String,
    ends: Vec<u32>,
    levels: Vec<u8>,
    /// The first readable time in the chunk, which `times` count from.
    base_ms: Option<i64>,
    times: Vec<i32>,
    /// Unreadable timestamps, by index in the chunk (rare).
    odd_ts: Vec<(u32, Box<str>)>,
    /// Columns shown per line (`display_width`), with [`NOT_SIMPLE`] for lines whose
    /// text needs parsing before it is shown or searched.
    widths: Vec<u32>,
}

/// Whether a message is plain printable ASCII: shown, searched and saved
/// as it is.
fn is_simple(message: &str) -> bool {
    let special = message.as_bytes().iter().fold(0u8, |acc, &b| {
        acc | (b & 0x80) | u8::from(b < 0x20 || b == 0x7f)
    });
    special == 0
}

/// A message as the chunk keeps it, and its width with [`NOT_SIMPLE`] when
/// its text needs parsing before it is shown or searched. A simple message
/// is kept as it is at no cost; one that moves its cursor (a progress bar)
/// is kept as the row a terminal shows ([`ansi::stored_form`]).
fn stored(message: &str) -> (std::borrow::Cow<'_, str>, u32) {
    if is_simple(message) {
        return (message.into(), (message.len() as u32).min(NOT_SIMPLE - 1));
    }
    let (kept, columns) = ansi::stored_form(message);
    let columns = (columns as u32).min(NOT_SIMPLE - 1);
    // Only a row written anew can have become simple (git's progress).
    let flag = match &kept {
        std::borrow::Cow::Owned(row) if is_simple(row) => 0,
        _ => NOT_SIMPLE,
    };
    (kept, columns | flag)
}

impl Chunk {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn seq(&self, i: usize) -> u64 {
        match &self.seqs {
            Some(seqs) => seqs[i],
            None => self.first_seq + i as u64,
        }
    }

    fn push(&mut self, seq: u64, level: u8, ts: &str, message: &str) {
        let i = self.len();
        if i == 0 {
            self.first_seq = seq;
        } else if self.seqs.is_none() && seq != self.first_seq + i as u64 {
            self.seqs = Some((0..i).map(|k| self.first_seq + k as u64).collect());
        }
        if let Some(seqs) = &mut self.seqs {
            seqs.push(seq);
        }
        // An arena over 4 GiB per chunk cannot happen with CHUNK_LINES lines
        // of the sizes a browser can receive; clamp rather than wrap.
        let (message, width) = stored(message);
        self.text.push_str(&message);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.levels.push(level);
        self.widths.push(width);
        let time = parse_rfc3339_wall_ms(ts).map(|ms| ms as i64);
        if self.base_ms.is_none() {
            self.base_ms = time;
        }
        let delta = time
            .zip(self.base_ms)
            .and_then(|(ms, base)| i32::try_from(ms - base).ok())
            .filter(|d| *d != NO_TIME);
        match delta {
            Some(delta) => self.times.push(delta),
            None => {
                self.times.push(NO_TIME);
                if !ts.is_empty() {
                    self.odd_ts.push((i as u32, ts.into()));
                }
            }
        }
    }

    fn message(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        self.text.get(start..end).unwrap_or_default()
    }

    fn truncated(&self, len: usize) -> Chunk {
        let end = if len == 0 {
            0
        } else {
            self.ends[len - 1] as usize
        };
        Chunk {
            first_seq: self.first_seq,
            seqs: self.seqs.as_ref().map(|s| s[..len].to_vec()),
            text: self.text[..end].to_owned(),
            ends: self.ends[..len].to_vec(),
            levels: self.levels[..len].to_vec(),
            base_ms: self.base_ms,
            times: self.times[..len].to_vec(),
            widths: self.widths[..len].to_vec(),
            odd_ts: self
                .odd_ts
                .iter()
                .filter(|(i, _)| (*i as usize) < len)
                .cloned()
                .collect(),
        }
    }

    fn bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * 4
            + self.levels.capacity()
            + self.times.capacity() * 4
            + self.widths.capacity() * 4
            + self.seqs.as_ref().map_or(0, |s| s.capacity() * 8)
            + self.odd_ts.iter().map(|(_, t)| 24 + t.len()).sum::<usize>()
    }
}

#[derive(Debug, Clone, Default)]
struct Buffer {
    chunks: Vec<Chunk>,
    level_names: Vec<Box<str>>,
    /// The filter bucket of each level name.
    level_kinds: Vec<Level>,
    len: usize,
}

impl Buffer {
    fn level_index(&mut self, level: &str) -> u8 {
        if let Some(i) = self.level_names.iter().position(|l| &**l == level) {
            return i as u8;
        }
        // One slot past the limit is kept for "other" itself.
        let room = MAX_LEVEL_NAMES + usize::from(level == "other");
        if self.level_names.len() < room {
            self.level_names.push(level.into());
            self.level_kinds.push(Level::of(level));
            return (self.level_names.len() - 1) as u8;
        }
        self.level_index("other")
    }

    fn push(&mut self, line: &LogLine) {
        let level = self.level_index(&line.level);
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK_LINES) {
            self.chunks.push(Chunk {
                ends: Vec::with_capacity(CHUNK_LINES),
                levels: Vec::with_capacity(CHUNK_LINES),
                times: Vec::with_capacity(CHUNK_LINES),
                widths: Vec::with_capacity(CHUNK_LINES),
                ..Chunk::default()
            });
        }
        let chunk = self.chunks.last_mut().expect("a chunk was just ensured");
        chunk.push(line.seq, level, &line.ts, &line.message);
        if chunk.len() == CHUNK_LINES {
            // Full for good: give back what the arena's doubling left over.
            chunk.text.shrink_to_fit();
        }
        self.len += 1;
    }

    fn last_seq(&self, len: usize) -> Option<u64> {
        let last = len.checked_sub(1)?;
        self.chunks[last / CHUNK_LINES].last_seq_at(last % CHUNK_LINES)
    }

    fn line(&self, index: usize) -> LineRef<'_> {
        let chunk = &self.chunks[index / CHUNK_LINES];
        let i = index % CHUNK_LINES;
        let time = chunk.times[i];
        LineRef {
            seq: chunk.seq(i),
            level: self
                .level_names
                .get(usize::from(chunk.levels[i]))
                .map_or("", |l| l),
            wall_ms: (time != NO_TIME).then(|| chunk.base_ms.unwrap_or_default() + i64::from(time)),
            odd_ts: chunk
                .odd_ts
                .iter()
                .find(|(k, _)| *k as usize == i)
                .map(|(_, t)| &**t),
            message: chunk.message(i),
            simple: chunk.widths[i] & NOT_SIMPLE == 0,
            width: (chunk.widths[i] & !NOT_SIMPLE) as usize,
        }
    }

    fn level_at(&self, index: usize) -> Level {
        let chunk = &self.chunks[index / CHUNK_LINES];
        let level = chunk.levels[index % CHUNK_LINES];
        self.level_kinds
            .get(usize::from(level))
            .copied()
            .unwrap_or(Level::Info)
    }

    fn truncated(&self, len: usize) -> Buffer {
        let full = len / CHUNK_LINES;
        let mut chunks: Vec<Chunk> = self.chunks[..full].to_vec();
        if !len.is_multiple_of(CHUNK_LINES) {
            chunks.push(self.chunks[full].truncated(len % CHUNK_LINES));
        }
        Buffer {
            chunks,
            level_names: self.level_names.clone(),
            level_kinds: self.level_kinds.clone(),
            len,
        }
    }
}

impl Chunk {
    fn last_seq_at(&self, i: usize) -> Option<u64> {
        (i < self.len()).then(|| self.seq(i))
    }
}

#[derive(Debug, Clone, Default)]
pub struct LogLines {
    buffer: Rc<RefCell<Buffer>>,
    len: usize,
}

impl PartialEq for LogLines {
    /// Two snapshots are equal when they show the same lines of the same buffer.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && (self.len == 0 || Rc::ptr_eq(&self.buffer, &other.buffer))
    }
}

impl LogLines {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The highest `seq` held: what `logsAfter` asks for.
    pub fn last_seq(&self) -> Option<u64> {
        self.buffer.borrow().last_seq(self.len)
    }

    /// A snapshot with the lines of `page` whose `seq` is above every seq
    /// held, in seq order, each once. Lines already held (a server that
    /// ignores `logsAfter`) are dropped; the result shares this buffer.
    pub fn appended(&self, mut page: Vec<LogLine>) -> Self {
        let floor = self.last_seq();
        page.retain(|line| floor.is_none_or(|floor| line.seq > floor));
        if page.is_empty() {
            return self.clone();
        }
        if !page.is_sorted_by_key(|line| line.seq) {
            page.sort_by_key(|line| line.seq);
        }
        page.dedup_by_key(|line| line.seq);
        let buffer = if self.buffer.borrow().len == self.len {
            self.buffer.clone()
        } else {
            Rc::new(RefCell::new(self.buffer.borrow().truncated(self.len)))
        };
        {
            let mut held = buffer.borrow_mut();
            for line in &page {
                held.push(line);
            }
        }
        let len = buffer.borrow().len;
        Self { buffer, len }
    }

    /// Calls `visit` with each line of `range` (clamped to this snapshot),
    /// in order, without copying any.
    pub fn for_each_in(&self, range: Range<usize>, mut visit: impl FnMut(usize, LineRef<'_>)) {
        let end = range.end.min(self.len);
        let buffer = self.buffer.borrow();
        for index in range.start.min(end)..end {
            visit(index, buffer.line(index));
        }
    }

    /// Calls `visit` with the level (as filtered), the message and whether
    /// it is plain ASCII of each line of `range`: what a search reads.
    pub fn texts_in(&self, range: Range<usize>, mut visit: impl FnMut(usize, Level, &str, bool)) {
        let end = range.end.min(self.len);
        let buffer = self.buffer.borrow();
        for index in range.start.min(end)..end {
            let chunk = &buffer.chunks[index / CHUNK_LINES];
            let i = index % CHUNK_LINES;
            let simple = chunk.widths[i] & NOT_SIMPLE == 0;
            visit(index, buffer.level_at(index), chunk.message(i), simple);
        }
    }

    /// Calls `visit` with the level (as filtered) and the width (columns
    /// shown) of each line of `range`, without touching its text.
    pub fn levels_in(&self, range: Range<usize>, mut visit: impl FnMut(usize, Level, usize)) {
        let end = range.end.min(self.len);
        let buffer = self.buffer.borrow();
        for index in range.start.min(end)..end {
            let width =
                buffer.chunks[index / CHUNK_LINES].widths[index % CHUNK_LINES] & !NOT_SIMPLE;
            visit(index, buffer.level_at(index), width as usize);
        }
    }

    /// The index of the first line whose seq is `seq` or above (lines are
    /// held in seq order); `len()` when there is none.
    pub fn index_at_or_after(&self, seq: u64) -> usize {
        let buffer = self.buffer.borrow();
        let (mut low, mut high) = (0, self.len);
        while low < high {
            let mid = low + (high - low) / 2;
            let chunk = &buffer.chunks[mid / CHUNK_LINES];
            if chunk.seq(mid % CHUNK_LINES) < seq {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// Whether `other` is a snapshot of the same log (it may hold more or
    /// fewer of its lines).
    pub fn same_log(&self, other: &LogLines) -> bool {
        Rc::ptr_eq(&self.buffer, &other.buffer)
    }

    /// The line at `index`, owned (for the tests).
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub fn get(&self, index: usize) -> Option<ShownLine> {
        (index < self.len).then(|| {
            let buffer = self.buffer.borrow();
            let line = buffer.line(index);
            ShownLine {
                seq: line.seq,
                time: line.time_text(),
                level: line.level.to_owned(),
                message: line.message.to_owned(),
            }
        })
    }

    /// Whether two snapshots read one buffer (neither copied the lines).
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub fn shares_lines_with(&self, other: &LogLines) -> bool {
        Rc::ptr_eq(&self.buffer, &other.buffer)
    }

    /// Bytes the whole buffer holds (all snapshots of it share them).
    pub fn heap_bytes(&self) -> usize {
        let buffer = self.buffer.borrow();
        buffer.chunks.iter().map(Chunk::bytes).sum::<usize>()
            + buffer.chunks.capacity() * std::mem::size_of::<Chunk>()
    }
}

/// A log of `(level, message)` lines numbered from 1, for the core's tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub fn test_log(messages: &[(&str, &str)]) -> LogLines {
    let page = messages
        .iter()
        .enumerate()
        .map(|(i, (level, message))| crate::api::LogLine {
            seq: i as u64 + 1,
            ts: "2026-11-25T10:00:00Z".into(),
            level: (*level).into(),
            message: (*message).into(),
        })
        .collect();
    LogLines::default().appended(page)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(seq: u64) -> LogLine {
        LogLine {
            seq,
            ts: format!("2026-11-23T10:15:{:02}.{:03}Z", seq / 1000 % 60, seq % 1000),
            level: ["info", "debug", "warn", "error", "notice"][(seq % 5) as usize].into(),
            message: format!("line {seq} \u{1b}[32mok\u{1b}[0m ü"),
        }
    }

    fn all(lines: &LogLines) -> Vec<ShownLine> {
        (0..lines.len()).filter_map(|i| lines.get(i)).collect()
    }

    fn seqs(lines: &LogLines) -> Vec<u64> {
        all(lines).iter().map(|l| l.seq).collect()
    }

    #[test]
    fn lines_are_found_by_seq_across_chunks_and_gaps() {
        let seqs: Vec<u64> = (1..=10_000).map(|i| i * 3).collect();
        let lines = LogLines::default().appended(seqs.iter().map(|s| line(*s)).collect());
        assert_eq!(lines.index_at_or_after(3), 0);
        assert_eq!(lines.index_at_or_after(4), 1);
        assert_eq!(lines.index_at_or_after(3 * 5_000), 4_999);
        assert_eq!(lines.index_at_or_after(30_000), 9_999);
        assert_eq!(lines.index_at_or_after(30_001), 10_000);
        assert_eq!(LogLines::default().index_at_or_after(1), 0);
    }

    #[test]
    fn widths_and_levels_are_kept_for_the_view() {
        let lines = LogLines::default().appended(vec![line(1), line(3)]);
        let mut seen = Vec::new();
        lines.levels_in(0..5, |i, level, width| seen.push((i, level, width)));
        // "line 1 ok ü": escape codes take no columns, ü takes one.
        assert_eq!(seen, [(0, Level::Debug, 11), (1, Level::Error, 11)]);
        let mut simple = Vec::new();
        lines.for_each_in(0..2, |_, l| simple.push(l.simple));
        assert_eq!(simple, [false, false]);
        let plain = LogLines::default().appended(vec![LogLine {
            message: "plain ascii".into(),
            ..line(1)
        }]);
        plain.for_each_in(0..1, |_, l| assert!(l.simple && l.width == 11));
    }

    #[test]
    fn pages_append_in_order() {
        let log = LogLines::default()
            .appended(vec![line(1), line(2)])
            .appended(vec![line(3)]);
        assert_eq!(seqs(&log), [1, 2, 3]);
        assert_eq!(log.last_seq(), Some(3));
    }

    #[test]
    fn a_line_comes_back_as_it_was_sent() {
        let sent = LogLine {
            seq: 7,
            ts: "2026-11-23T11:15:01.120+01:00".into(),
            level: "notice".into(),
            message: "<b>bold?</b> \u{1b}[31mred\u{1b}[0m مرحبا 👩‍👩‍👧".into(),
        };
        let log = LogLines::default().appended(vec![sent.clone()]);
        let got = log.get(0).unwrap();
        assert_eq!(
            (got.seq, &*got.level, &*got.message),
            (7, "notice", &*sent.message)
        );
        assert_eq!(got.time, "11:15:01.120", "the time of day as written");
        let odd = LogLines::default().appended(vec![LogLine {
            ts: "yesterday".into(),
            ..sent
        }]);
        assert_eq!(
            odd.get(0).unwrap().time,
            "yesterday",
            "an unreadable time is kept"
        );
    }

    #[test]
    fn lines_already_held_are_dropped_when_a_server_ignores_logs_after() {
        let log = LogLines::default().appended(vec![line(1), line(2)]);
        let log = log.appended(vec![line(1), line(2), line(3)]);
        assert_eq!(seqs(&log), [1, 2, 3]);
    }

    #[test]
    fn an_older_snapshot_keeps_seeing_only_its_own_lines() {
        let old = LogLines::default().appended(vec![line(1)]);
        let new = old.appended(vec![line(2)]);
        assert_eq!(seqs(&old), [1]);
        assert_eq!(seqs(&new), [1, 2]);
        assert_ne!(old, new);
        // A branch from the old snapshot copies, leaving the newer one intact.
        let branch = old.appended(vec![line(7)]);
        assert_eq!(seqs(&branch), [1, 7]);
        assert_eq!(seqs(&new), [1, 2]);
    }

    #[test]
    fn appending_shares_the_buffer_instead_of_copying() {
        let a = LogLines::default().appended((1..=1000).map(line).collect());
        let b = a.appended(vec![line(1001)]);
        assert!(Rc::ptr_eq(&a.buffer, &b.buffer));
        assert_eq!(a.appended(vec![]), a);
    }

    #[test]
    fn scans_are_clamped_and_cross_chunks() {
        let n = CHUNK_LINES as u64 * 2 + 10;
        let log = LogLines::default().appended((1..=n).map(line).collect());
        let mut seen = Vec::new();
        log.for_each_in(CHUNK_LINES - 2..CHUNK_LINES + 2, |i, l| {
            seen.push((i, l.seq))
        });
        assert_eq!(
            seen.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
            [4095, 4096, 4097, 4098]
        );
        let mut count = 0;
        log.for_each_in(n as usize - 1..n as usize + 50, |_, _| count += 1);
        assert_eq!(count, 1);
        assert_eq!(log.get(n as usize), None);
    }

    #[test]
    fn a_line_costs_its_text_and_a_few_bytes() {
        let text_bytes: usize = (1..=100_000u64).map(|s| line(s).message.len()).sum();
        let mut log = LogLines::default();
        for start in (1..=100_000u64).step_by(5_000) {
            log = log.appended((start..start + 5_000).map(line).collect());
        }
        let per_line = log.heap_bytes() as f64 / 100_000.0;
        let text_per_line = text_bytes as f64 / 100_000.0;
        assert!(
            // 13 bytes of fields a line, and room for the vectors' spare capacity.
            per_line < text_per_line + 13.0 + 8.0,
            "{per_line:.1} bytes a line for {text_per_line:.1} of text"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_same_lines_come_out_in_order_each_once(
            pages in proptest::collection::vec(
                proptest::collection::vec((1u64..12_000, ".{0,20}", "[a-z]{0,6}", any::<bool>()), 0..40),
                0..12,
            )
        ) {
            let mut log = LogLines::default();
            let mut expected: Vec<LogLine> = Vec::new();
            for page in pages {
                let page: Vec<LogLine> = page
                    .into_iter()
                    .map(|(seq, message, level, timed)| LogLine {
                        seq,
                        ts: if timed { format!("2026-11-23T10:{:02}:{:02}.{:03}Z", seq / 60 % 60, seq % 60, seq % 1000) } else { message.clone() },
                        level,
                        message,
                    })
                    .collect();
                let floor = expected.last().map_or(0, |l| l.seq);
                let mut new: Vec<LogLine> = page.iter().filter(|l| l.seq > floor).cloned().collect();
                new.sort_by_key(|l| l.seq);
                new.dedup_by_key(|l| l.seq);
                expected.extend(new);
                log = log.appended(page);
            }
            let got = all(&log);
            prop_assert_eq!(got.len(), expected.len());
            for (got, sent) in got.iter().zip(&expected) {
                prop_assert_eq!(got.seq, sent.seq);
                prop_assert_eq!(&got.message, &ansi::stored_form(&sent.message).0);
                prop_assert_eq!(&got.level, &sent.level);
                let time = crate::time_format::parse_rfc3339_wall_ms(&sent.ts)
                    .map(|ms| time_of_day(ms as i64))
                    .unwrap_or_else(|| sent.ts.chars().take(24).collect());
                prop_assert_eq!(&got.time, &time);
            }
            prop_assert_eq!(log.last_seq(), expected.last().map(|l| l.seq));
        }

    }

    proptest! {
        // Each case holds two chunks or more: fewer cases, still every boundary shape.
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn seqs_across_chunk_boundaries_with_gaps(
            gaps in proptest::collection::vec(1u64..4, CHUNK_LINES..CHUNK_LINES * 2 + 50)
        ) {
            let mut seq = 0;
            let page: Vec<LogLine> = gaps.iter().map(|g| { seq += g; line(seq) }).collect();
            let expected: Vec<u64> = page.iter().map(|l| l.seq).collect();
            let (a, b) = page.split_at(page.len() / 3);
            let log = LogLines::default().appended(a.to_vec()).appended(b.to_vec());
            prop_assert_eq!(seqs(&log), expected);
        }
    }
}
