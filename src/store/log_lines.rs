//! A job's log: append-only, shared, cheap to snapshot.
//!
//! Every snapshot ([`LogLines`]) is a length over one shared buffer, so
//! cloning the store's state never copies lines, and appending a page costs
//! O(new lines). Because the buffer only ever grows, an older snapshot still
//! sees exactly the lines it saw. Should two snapshots of one buffer both
//! append (a branch), the second copies its prefix first, so no snapshot
//! ever sees lines that are not its own.

use std::cell::{Ref, RefCell};
use std::ops::Range;
use std::rc::Rc;

use crate::api::LogLine;

#[derive(Debug, Clone, Default)]
pub struct LogLines {
    buffer: Rc<RefCell<Vec<LogLine>>>,
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
        self.len
            .checked_sub(1)
            .map(|last| self.buffer.borrow()[last].seq)
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
        let buffer = if self.buffer.borrow().len() == self.len {
            self.buffer.clone()
        } else {
            Rc::new(RefCell::new(self.buffer.borrow()[..self.len].to_vec()))
        };
        buffer.borrow_mut().extend(page);
        let len = buffer.borrow().len();
        Self { buffer, len }
    }

    /// The lines in `range` (clamped to this snapshot).
    pub fn slice(&self, range: Range<usize>) -> Ref<'_, [LogLine]> {
        let end = range.end.min(self.len);
        let start = range.start.min(end);
        Ref::map(self.buffer.borrow(), |lines| &lines[start..end])
    }

    /// Every line of this snapshot.
    pub fn all(&self) -> Ref<'_, [LogLine]> {
        self.slice(0..self.len)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(seq: u64) -> LogLine {
        LogLine {
            seq,
            ts: String::new(),
            level: "info".into(),
            message: format!("line {seq}"),
        }
    }

    fn seqs(lines: &LogLines) -> Vec<u64> {
        lines.all().iter().map(|l| l.seq).collect()
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
    fn slices_are_clamped() {
        let log = LogLines::default().appended(vec![line(1), line(2), line(3)]);
        assert_eq!(log.slice(1..10).len(), 2);
        assert_eq!(log.slice(5..10).len(), 0);
    }

    proptest! {
        #[test]
        fn any_pages_give_strictly_increasing_unique_seqs(
            pages in proptest::collection::vec(proptest::collection::vec(1u64..200, 0..30), 0..12)
        ) {
            let mut log = LogLines::default();
            let mut expected: Vec<u64> = Vec::new();
            for page in pages {
                let floor = expected.last().copied().unwrap_or(0);
                let mut new: Vec<u64> = page.iter().copied().filter(|s| *s > floor).collect();
                new.sort_unstable();
                new.dedup();
                expected.extend(new);
                log = log.appended(page.into_iter().map(line).collect());
            }
            prop_assert_eq!(seqs(&log), expected);
        }
    }
}
