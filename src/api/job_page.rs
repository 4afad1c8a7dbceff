//! A status response read a slice at a time, so that a page of a hundred
//! thousand log lines never holds the browser's main thread for long. The
//! body is walked once, front to back: the job's fields as they come, its
//! `logs` array a few thousand lines per call of [`JobPage::next_lines`]
//! (the browser is free in between), and the job itself once every line is
//! read ([`JobPage::into_job`]). Nothing scans the whole body up front.
//! Pure; tested natively.

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::contract::{Job, LogLine};
use super::error::ApiError;

/// A status response being read.
#[derive(Debug)]
pub struct JobPage {
    body: String,
    /// Where reading goes on.
    at: usize,
    /// Inside the `logs` array.
    in_logs: bool,
    /// The object's closing brace was read.
    done: bool,
    /// Fields of the object seen so far (the log lines' own included).
    fields: usize,
    /// Lines read from the current `logs` array.
    lines_read: usize,
    /// The job's fields but its lines, as JSON text, for the final decode.
    head: String,
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

fn the_job() -> String {
    "the job".to_owned()
}

impl JobPage {
    /// Starts reading a job body (a 2xx body): its fields up to the log lines.
    pub fn parse(body: String) -> Result<Self, ApiError> {
        let mut page = Self {
            body,
            at: 0,
            in_logs: false,
            done: false,
            fields: 0,
            lines_read: 0,
            head: String::from("{"),
            job_id: None,
        };
        page.skip_space();
        if !page.eat(b'{') {
            return Err(if page.at >= page.body.len() {
                cut_off()
            } else {
                not_json()
            });
        }
        page.read_fields()?;
        Ok(page)
    }

    /// The job's id, when it came before its lines.
    pub fn job_id(&self) -> Option<&str> {
        self.job_id.as_deref()
    }

    fn skip_space(&mut self) {
        let rest = &self.body[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    /// Reads `byte`, or says why the body is not a job.
    fn expect(&mut self, byte: u8) -> Result<(), ApiError> {
        match self.eat(byte) {
            true => Ok(()),
            false if self.at >= self.body.len() => Err(cut_off()),
            false => Err(not_json()),
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.body.as_bytes().get(self.at) == Some(&byte);
        if hit {
            self.at += 1;
        }
        hit
    }

    /// Reads one JSON value of type `T` at the cursor.
    /// `place` names where it is, for a message, only if it is not a `T`.
    fn value<T: for<'de> Deserialize<'de>>(
        &mut self,
        place: impl FnOnce() -> String,
    ) -> Result<T, ApiError> {
        let mut stream = serde_json::Deserializer::from_str(&self.body[self.at..]).into_iter::<T>();
        match stream.next() {
            Some(Ok(value)) => {
                self.at += stream.byte_offset();
                Ok(value)
            }
            Some(Err(error)) => Err(decode_error(&error, &place())),
            None => Err(cut_off()),
        }
    }

    /// Reads fields until the log lines start or the object ends.
    fn read_fields(&mut self) -> Result<(), ApiError> {
        loop {
            self.skip_space();
            if self.eat(b'}') {
                self.done = true;
                self.head.push('}');
                return Ok(());
            }
            if self.fields > 0 {
                self.expect(b',')?;
                self.skip_space();
            }
            self.fields += 1;
            let key_start = self.at;
            let key: String = self.value(the_job)?;
            self.skip_space();
            self.expect(b':')?;
            self.skip_space();
            if key == "logs" && self.eat(b'[') {
                self.in_logs = true;
                self.lines_read = 0;
                return Ok(());
            }
            let value_start = self.at;
            if key == "jobId" {
                self.job_id = self.value::<Option<String>>(the_job)?;
            } else {
                self.value::<IgnoredAny>(the_job)?;
            }
            if self.head.len() > 1 {
                self.head.push(',');
            }
            self.head.push_str(&self.body[key_start..value_start]);
            self.head.push_str(&self.body[value_start..self.at]);
        }
    }

    /// Up to `max` more lines, in the order sent; empty once all are read.
    pub fn next_lines(&mut self, max: usize) -> Result<Vec<LogLine>, ApiError> {
        let mut lines = Vec::new();
        while self.in_logs && lines.len() < max {
            self.skip_space();
            if self.eat(b']') {
                self.in_logs = false;
                self.read_fields()?;
                break;
            }
            if self.lines_read > 0 {
                self.expect(b',')?;
                self.skip_space();
            }
            let line = self.lines_read + 1;
            lines.push(self.value::<LogLine>(|| format!("log line {line}"))?);
            self.lines_read += 1;
        }
        Ok(lines)
    }

    /// The job, with every line not yet read.
    pub fn into_job(mut self) -> Result<Job, ApiError> {
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
        if self.at < self.body.len() {
            return Err(not_json());
        }
        let mut job: Job =
            serde_json::from_str(&self.head).map_err(|e| decode_error(&e, "the job"))?;
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

    proptest! {
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
