//! A status response read as it arrives and a slice at a time, so that a
//! page of a million log lines never holds the browser's main thread for
//! long nor sits in memory whole. The body is fed in pieces as the network
//! brings them ([`JobPage::feed`], then [`JobPage::finish`]) and walked once,
//! front to back: the job's fields as they come, its `logs` array a few
//! thousand lines per call of [`JobPage::next_lines`] (the browser is free
//! in between), and the job itself once every line is read
//! ([`JobPage::into_job`]). Text already read is let go as reading goes on.
//! Each key, value and line is read by serde_json (`StreamDeserializer`);
//! only the punctuation between them is read here. Pure; tested natively.

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::error::ApiError;
use provisioning_contract::{Job, LogLine};

/// Read text is let go once this much of it has piled up (and it is more
/// than half of what is held).
const RELEASE_AFTER_BYTES: usize = 1 << 20;

/// A status response being read.
#[derive(Debug)]
pub struct JobPage {
    /// The part of the body not yet let go.
    buf: Vec<u8>,
    /// Where reading goes on, in `buf`.
    at: usize,
    /// Every byte of the body has been fed.
    complete: bool,
    /// The opening brace was read.
    started: bool,
    /// Inside the `logs` array.
    in_logs: bool,
    /// The object's closing brace was read.
    done: bool,
    /// Fields of the object seen so far (the log lines' own included).
    fields: usize,
    /// Lines read from the current `logs` array.
    lines_read: usize,
    /// The job's fields but its lines, as JSON text, for the final decode.
    head: Vec<u8>,
    /// `jobId`, once read.
    job_id: Option<String>,
}

fn cut_off() -> ApiError {
    ApiError::Decode {
        detail: "the response was cut off".to_owned(),
    }
}

fn not_json() -> ApiError {
    ApiError::Decode {
        detail: "the response is not valid JSON".to_owned(),
    }
}

/// What serde_json said, without its position: the position is in a part
/// of the body, which the reader of the message cannot see anyway.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) if error.line() > 0 => text[..at].to_owned(),
        _ => text,
    }
}

/// A decode error, naming where in the job it was (`place`) and what serde
/// found wrong there (which field, which type).
fn decode_error(error: &serde_json::Error, place: &str) -> ApiError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Eof => cut_off(),
        Category::Syntax => not_json(),
        Category::Data | Category::Io => ApiError::Decode {
            detail: format!("unexpected content in {place}: {}", without_position(error)),
        },
    }
}

/// Whether serde_json's `error` in `text` is at its very end (or its last
/// byte): a value cut off there may only be unfinished.
fn ends_at(text: &[u8], error: &serde_json::Error) -> bool {
    if error.line() == 0 {
        return false;
    }
    let mut line_start = 0;
    for _ in 1..error.line() {
        match text[line_start..].iter().position(|b| *b == b'\n') {
            Some(at) => line_start += at + 1,
            None => return false,
        }
    }
    line_start + error.column() + 1 >= text.len()
}

fn the_job() -> String {
    "the job".to_owned()
}

/// Why a step of reading stopped short.
enum Short {
    /// The text so far ends inside it: wait for more.
    NeedMore,
    Failed(ApiError),
}

impl From<ApiError> for Short {
    fn from(error: ApiError) -> Self {
        Short::Failed(error)
    }
}

type Step<T> = Result<T, Short>;

impl Default for JobPage {
    fn default() -> Self {
        JobPage {
            buf: Vec::new(),
            at: 0,
            complete: false,
            started: false,
            in_logs: false,
            done: false,
            fields: 0,
            lines_read: 0,
            head: b"{".to_vec(),
            job_id: None,
        }
    }
}

impl JobPage {
    /// A page to feed a body into as it arrives.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a whole job body (a 2xx body) up to its log lines.
    pub fn parse(body: String) -> Result<Self, ApiError> {
        let mut page = Self::new();
        page.feed(body.as_bytes());
        page.finish();
        page.advance()?;
        Ok(page)
    }

    /// More of the body, as the network brought it.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.at >= RELEASE_AFTER_BYTES && self.at * 2 >= self.buf.len() {
            self.buf.drain(..self.at);
            self.at = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The body has ended.
    pub fn finish(&mut self) {
        self.complete = true;
    }

    /// The job's id, when it came before its lines.
    pub fn job_id(&self) -> Option<&str> {
        self.job_id.as_deref()
    }

    /// Bytes of the body held now (read or not): what reading as it
    /// arrives keeps small (measured by the tests).
    #[cfg(all(test, not(target_arch = "wasm32")))]
    fn held_bytes(&self) -> usize {
        self.buf.capacity() + self.head.capacity()
    }

    fn skip_space(&mut self) {
        while matches!(self.buf.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// The next byte after white space; `NeedMore` at the end of what came.
    fn peek(&mut self) -> Step<u8> {
        self.skip_space();
        match self.buf.get(self.at) {
            Some(byte) => Ok(*byte),
            None if self.complete => Err(Short::Failed(cut_off())),
            None => Err(Short::NeedMore),
        }
    }

    /// Reads `byte` (after white space), or says why the body is not a job.
    fn expect(&mut self, byte: u8) -> Step<()> {
        if self.peek()? == byte {
            self.at += 1;
            Ok(())
        } else {
            Err(Short::Failed(not_json()))
        }
    }

    /// Reads one JSON value of type `T` at the cursor. `place` names where
    /// it is, for a message, only if it is not a `T`. A value that ends
    /// exactly where the text so far ends may go on (a number): unless the
    /// body has ended, it is read again once more has come.
    fn value<T: for<'de> Deserialize<'de>>(&mut self, place: impl FnOnce() -> String) -> Step<T> {
        self.skip_space();
        let rest = &self.buf[self.at..];
        let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<T>();
        match stream.next() {
            Some(Ok(_)) if !self.complete && stream.byte_offset() == rest.len() => {
                Err(Short::NeedMore)
            }
            Some(Ok(value)) => {
                self.at += stream.byte_offset();
                Ok(value)
            }
            // Cut off where the text so far ends (`"ab`, `-6.`, `tr`):
            // more may make it whole.
            Some(Err(error)) if !self.complete && (error.is_eof() || ends_at(rest, &error)) => {
                Err(Short::NeedMore)
            }
            Some(Err(error)) => Err(Short::Failed(decode_error(&error, &place()))),
            None if self.complete => Err(Short::Failed(cut_off())),
            None => Err(Short::NeedMore),
        }
    }

    /// Runs one step of reading as a whole or not at all: when it stops
    /// short for more text, the cursor goes back to where it started.
    fn whole<T>(&mut self, step: impl FnOnce(&mut Self) -> Step<T>) -> Step<T> {
        let from = self.at;
        let result = step(self);
        if matches!(result, Err(Short::NeedMore)) {
            self.at = from;
        }
        result
    }

    /// Reads what it can of the head: the opening brace, then fields until
    /// the log lines start or the object ends.
    fn read_fields(&mut self) -> Step<()> {
        if !self.started {
            self.expect(b'{')?;
            self.started = true;
        }
        while !self.in_logs && !self.done {
            self.whole(Self::read_field)?;
        }
        Ok(())
    }

    /// One field of the job (or the closing brace), kept for the final
    /// decode; the `logs` array is entered instead of read.
    fn read_field(&mut self) -> Step<()> {
        if self.peek()? == b'}' {
            self.at += 1;
            self.done = true;
            self.head.push(b'}');
            return Ok(());
        }
        if self.fields > 0 {
            self.expect(b',')?;
        }
        self.skip_space();
        let key_start = self.at;
        let key: String = self.value(the_job)?;
        self.expect(b':')?;
        self.skip_space();
        let value_start = self.at;
        if key == "logs" && self.peek()? == b'[' {
            self.at += 1;
            self.fields += 1;
            self.in_logs = true;
            self.lines_read = 0;
            return Ok(());
        }
        let job_id = if key == "jobId" {
            self.value::<Option<String>>(the_job)?
        } else {
            self.value::<IgnoredAny>(the_job)?;
            None
        };
        self.fields += 1;
        if key == "jobId" {
            self.job_id = job_id;
        }
        if self.head.len() > 1 {
            self.head.push(b',');
        }
        self.head
            .extend_from_slice(&self.buf[key_start..value_start]);
        self.head.extend_from_slice(&self.buf[value_start..self.at]);
        Ok(())
    }

    /// One line of the `logs` array, or its end.
    fn read_line(&mut self) -> Step<Option<LogLine>> {
        if self.peek()? == b']' {
            self.at += 1;
            self.in_logs = false;
            return Ok(None);
        }
        if self.lines_read > 0 {
            self.expect(b',')?;
        }
        let line = self.lines_read + 1;
        let read = self.value::<LogLine>(|| format!("log line {line}"))?;
        self.lines_read += 1;
        Ok(Some(read))
    }

    /// Reads the head as far as the text so far goes.
    fn advance(&mut self) -> Result<(), ApiError> {
        match self.read_fields() {
            Ok(()) | Err(Short::NeedMore) => Ok(()),
            Err(Short::Failed(error)) => Err(error),
        }
    }

    /// Up to `max` more lines of what has come, in the order sent; empty
    /// when every line that came is read (all of them, once the body has
    /// ended: [`JobPage::finish`]).
    pub fn next_lines(&mut self, max: usize) -> Result<Vec<LogLine>, ApiError> {
        let mut lines = Vec::new();
        self.advance()?;
        while self.in_logs && lines.len() < max {
            match self.whole(Self::read_line) {
                Ok(Some(line)) => lines.push(line),
                Ok(None) => self.advance()?,
                Err(Short::NeedMore) => break,
                Err(Short::Failed(error)) => return Err(error),
            }
        }
        Ok(lines)
    }

    /// The job, with every line not yet read (the body must have ended).
    pub fn into_job(mut self) -> Result<Job, ApiError> {
        self.complete = true;
        let mut logs = Vec::new();
        loop {
            let more = self.next_lines(usize::MAX)?;
            if more.is_empty() && !self.in_logs {
                break;
            }
            logs.extend(more);
        }
        if !self.done {
            return Err(cut_off());
        }
        self.skip_space();
        if self.at < self.buf.len() {
            return Err(not_json());
        }
        let mut job: Job =
            serde_json::from_slice(&self.head).map_err(|e| decode_error(&e, "the job"))?;
        job.logs.extend(logs);
        Ok(job)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn body(lines: &[(u64, &str)]) -> String {
        let logs: Vec<_> = lines
            .iter()
            .map(|(seq, message)| serde_json::json!({"seq": seq, "ts": "2026-11-23T10:15:01Z", "level": "info", "message": message}))
            .collect();
        serde_json::json!({"jobId": "j1", "status": "processing", "progress": {"step": 2}, "logs": logs, "extra": [1, 2]}).to_string()
    }

    fn all(page: &mut JobPage, slice: usize) -> Vec<u64> {
        let mut seqs = Vec::new();
        loop {
            let lines = page.next_lines(slice).unwrap();
            if lines.is_empty() {
                return seqs;
            }
            assert!(lines.len() <= slice);
            seqs.extend(lines.iter().map(|l| l.seq));
        }
    }

    fn whole(text: &str) -> Result<Job, ApiError> {
        JobPage::parse(text.to_owned()).and_then(JobPage::into_job)
    }

    #[test]
    fn the_lines_come_a_slice_at_a_time_then_the_job() {
        let mut page = JobPage::parse(body(&[(1, "a"), (2, "b, ]\"{"), (3, "c")])).unwrap();
        assert_eq!(page.job_id(), Some("j1"));
        let first = page.next_lines(2).unwrap();
        assert_eq!(first[1].message, "b, ]\"{");
        assert_eq!(page.next_lines(2).unwrap().len(), 1);
        assert!(page.next_lines(2).unwrap().is_empty());
        let job = page.into_job().unwrap();
        assert_eq!(job.job_id, "j1");
        assert_eq!(job.progress.unwrap().step, Some(2));
        assert!(job.logs.is_empty(), "the lines were read already");
    }

    #[test]
    fn no_logs_null_logs_and_empty_logs_have_no_lines() {
        for text in [
            r#"{"jobId":"j","status":"queued"}"#,
            r#"{"jobId":"j","status":"queued","logs":null}"#,
            r#" { "logs" : [ ] , "jobId":"j","status":"queued" } "#,
        ] {
            let mut page = JobPage::parse(text.to_owned()).unwrap();
            assert!(page.next_lines(10).unwrap().is_empty(), "{text}");
            assert!(page.into_job().unwrap().logs.is_empty(), "{text}");
        }
    }

    #[test]
    fn the_order_of_the_fields_does_not_matter() {
        let text = r#"{"logs":[{"seq":1,"message":"m"}],"status":"deployed","jobId":"j9","storeUrl":"https://x/"}"#;
        let mut page = JobPage::parse(text.to_owned()).unwrap();
        assert_eq!(page.job_id(), None, "not read yet");
        assert_eq!(page.next_lines(5).unwrap().len(), 1);
        let job = page.into_job().unwrap();
        assert_eq!(
            (job.job_id.as_str(), job.status.as_str()),
            ("j9", "deployed")
        );
        assert_eq!(
            job,
            serde_json::from_str::<Job>(text)
                .map(|j| Job { logs: vec![], ..j })
                .unwrap()
        );
    }

    #[test]
    fn unreadable_bodies_and_lines_are_decode_errors_that_say_why() {
        let cut = ApiError::Decode {
            detail: "the response was cut off".into(),
        };
        assert_eq!(whole(r#"{"jobId":"j","status":"proc"#).unwrap_err(), cut);
        assert_eq!(
            whole(r#"{"jobId":"j","logs":[{"seq":1},"#).unwrap_err(),
            cut
        );
        assert_eq!(whole("").unwrap_err(), cut);
        for junk in [
            r#"{"jobId":"j","status":"queued","logs":7}"#,
            r#"{"jobId":"j","status":"queued","logs":[{"seq":1},{"seq":"x"}]}"#,
            r#"{"jobId":"j","status":"queued","logs":[{"seq":1} {"seq":2}]}"#,
            r#"{"jobId":"j","status":"queued"} trailing"#,
            "{status: processing, oops",
            r#"["not","a","job"]"#,
            r#"{"status":"queued"}"#,
        ] {
            assert!(
                matches!(whole(junk), Err(ApiError::Decode { .. })),
                "{junk}"
            );
        }
    }

    #[test]
    fn a_decode_error_names_the_field_and_the_line() {
        let detail = |text: &str| match whole(text) {
            Err(ApiError::Decode { detail }) => detail,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(
            detail(r#"{"jobId":"j","status":"queued","logs":[{"seq":1},{"seq":"x"}]}"#),
            "unexpected content in log line 2: invalid type: string \"x\", expected u64"
        );
        assert_eq!(
            detail(r#"{"jobId":"j","logs":[{"seq":1,"message":"m"}]}"#),
            "unexpected content in the job: missing field `status`"
        );
        assert_eq!(
            detail(r#"{"jobId":"j","status":"queued","progress":{"step":"two"}}"#),
            "unexpected content in the job: invalid type: string \"two\", expected u32"
        );
        assert_eq!(
            detail(r#"{"jobId":"j","status":"queued","status":"failed"}"#),
            "unexpected content in the job: duplicate field `status`"
        );
    }

    #[test]
    fn it_reads_what_the_whole_decoder_reads() {
        let text = body(&[(1, "x"), (5, "y")]);
        let expected: Job = serde_json::from_str(&text).unwrap();
        assert_eq!(whole(&text).unwrap(), expected);
    }

    /// Lines, then the job, read from `text` fed in pieces cut at `cuts`.
    fn fed_in_pieces(
        text: &str,
        cuts: &[usize],
        slice: usize,
    ) -> Result<(Vec<u64>, Job), ApiError> {
        let bytes = text.as_bytes();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.push(bytes.len());
        cuts.sort_unstable();
        let mut page = JobPage::new();
        let mut seqs = Vec::new();
        let mut from = 0;
        for cut in cuts {
            page.feed(&bytes[from..cut]);
            from = cut;
            loop {
                let lines = page.next_lines(slice)?;
                if lines.is_empty() {
                    break;
                }
                seqs.extend(lines.iter().map(|l| l.seq));
            }
        }
        page.finish();
        loop {
            let lines = page.next_lines(slice)?;
            if lines.is_empty() {
                break;
            }
            seqs.extend(lines.iter().map(|l| l.seq));
        }
        Ok((seqs, page.into_job()?))
    }

    #[test]
    fn text_already_read_is_let_go() {
        let lines: Vec<(u64, String)> = (1..=100_000).map(|s| (s, format!("line {s}"))).collect();
        let refs: Vec<(u64, &str)> = lines.iter().map(|(s, m)| (*s, m.as_str())).collect();
        let text = body(&refs);
        let mut page = JobPage::new();
        let mut most = 0;
        let mut read = 0;
        for piece in text.as_bytes().chunks(64 * 1024) {
            page.feed(piece);
            read += page.next_lines(usize::MAX).unwrap().len();
            most = most.max(page.held_bytes());
        }
        page.finish();
        read += page.next_lines(usize::MAX).unwrap().len();
        assert_eq!(read, 100_000);
        assert!(
            most < 3 << 20 && most < text.len(),
            "held {most} bytes of a {}-byte body",
            text.len()
        );
    }

    proptest! {
        #[test]
        fn a_body_fed_in_any_pieces_reads_as_the_whole(
            cuts in proptest::collection::vec(0usize..100_000, 0..12),
            slice in 1usize..4,
        ) {
            let text = r#" {"jobId":"j1","n":12345,"status":"processing","logs":[{"seq":1,"message":"ünï ☃ 日本"},{"seq":22,"message":"q\"x"},{"seq":333}] ,"after":-6.5e3,"t":true} "#;
            let (seqs, job) = fed_in_pieces(text, &cuts, slice).unwrap();
            prop_assert_eq!(seqs, vec![1, 22, 333]);
            let expected = whole(text).unwrap();
            prop_assert_eq!(job, Job { logs: vec![], ..expected });
        }

        #[test]
        fn a_cut_off_body_fed_in_pieces_is_still_cut_off(cut in 0usize..120, pieces in proptest::collection::vec(0usize..120, 0..6)) {
            let text = r#"{"jobId":"j1","status":"processing","logs":[{"seq":1,"message":"a"},{"seq":2}],"n":7}"#;
            let short = &text[..cut.min(text.len() - 1)];
            let result = fed_in_pieces(short, &pieces, 2);
            prop_assert!(matches!(result, Err(ApiError::Decode { .. })), "{short}: {result:?}");
        }

        #[test]
        fn any_slicing_gives_every_line_in_order(
            messages in proptest::collection::vec(".{0,12}", 0..60), slice in 1usize..10
        ) {
            let lines: Vec<(u64, &str)> = messages.iter().enumerate().map(|(i, m)| (i as u64 + 1, m.as_str())).collect();
            let mut page = JobPage::parse(body(&lines)).unwrap();
            prop_assert_eq!(all(&mut page, slice), (1..=lines.len() as u64).collect::<Vec<_>>());
            prop_assert!(page.into_job().is_ok());
        }

        #[test]
        fn any_bytes_are_refused_or_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
            if let Ok(mut page) = JobPage::parse(String::from_utf8_lossy(&bytes).into_owned()) {
                let _ = page.next_lines(3);
                let _ = page.into_job();
            }
        }

        #[test]
        fn a_prefix_of_a_good_body_is_never_taken_for_a_job(cut in 0usize..200) {
            let text = body(&[(1, "a"), (2, "b")]);
            let cut = cut.min(text.len() - 1);
            prop_assert!(whole(&text[..cut]).is_err());
        }
    }
}
