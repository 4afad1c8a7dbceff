//! A job's stream (`GET /provision/events/{jobId}`, docs/provisioning-api.md):
//! its body, however the network cuts it, read as the contract's events.
//! The event-stream format is read by `sse-parse` (the WHATWG algorithm);
//! each event's data by the contract's decoders: a `job` as a status
//! page's job is read ([`JobPage`]), `logs` as an array of [`LogLine`]s.
//! Pure; tested natively.

use provisioning_contract::{events, Job, LogLine};
use sse_parse::SseParser;

use super::error::ApiError;
use super::job_page::JobPage;

/// One block of the stream is never held past this: a larger one is
/// dropped whole, and the decoder says so (its lines would be a gap).
const MAX_EVENT_BYTES: usize = 64 << 20;

/// What a stream says.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// The job's head (its status, progress, store URL or error changed).
    Job(Box<Job>),
    /// New log lines, in order.
    Logs(Vec<LogLine>),
    /// The job is final; its last lines and head came before.
    Done,
}

/// A stream's body being read.
pub struct EventsDecoder {
    parser: SseParser,
    ended: bool,
    /// Blocks over [`MAX_EVENT_BYTES`] already told of.
    overflows: u64,
}

impl Default for EventsDecoder {
    fn default() -> Self {
        Self {
            parser: SseParser::new().max_buffer(MAX_EVENT_BYTES),
            ended: false,
            overflows: 0,
        }
    }
}

impl EventsDecoder {
    /// The next piece of the body, as the network brought it.
    pub fn feed(&mut self, bytes: &[u8]) {
        if !self.ended {
            self.parser.feed(bytes);
        }
    }

    /// The body has ended: an unfinished event is dropped.
    pub fn finish(&mut self) {
        self.ended = true;
        self.parser.finish();
    }

    /// The next complete event, decoded; events of other names are skipped
    /// (keep-alive comments are not events at all).
    pub fn next_event(&mut self) -> Option<Result<StreamEvent, ApiError>> {
        if self.parser.overflows() > self.overflows {
            self.overflows = self.parser.overflows();
            return Some(Err(ApiError::Decode {
                detail: format!("an event over {} MB", MAX_EVENT_BYTES >> 20),
            }));
        }
        loop {
            let event = self.parser.next_event()?;
            let decoded = match event.event.as_str() {
                events::JOB => JobPage::parse(event.data)
                    .and_then(JobPage::into_job)
                    .map(|job| StreamEvent::Job(Box::new(job))),
                events::LOGS => serde_json::from_str(&event.data)
                    .map(StreamEvent::Logs)
                    .map_err(|error| ApiError::Decode {
                        detail: format!("a stream's lines: {error}"),
                    }),
                events::DONE => Ok(StreamEvent::Done),
                _ => continue,
            };
            return Some(decoded);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use provisioning_contract::JobStatus;

    const STREAM: &str = ": open\n\n\
        event: job\ndata: {\"jobId\":\"j1\",\"status\":\"processing\",\"progress\":{\"step\":2,\"totalSteps\":7}}\n\n\
        : keep-alive\n\n\
        event: logs\nid: 2\ndata: [{\"seq\":1,\"level\":\"info\",\"message\":\"Creating schema \\u00e9\"},{\"seq\":2,\"message\":\"\u{1F680} ok\"}]\n\n\
        event: upgrade\ndata: a future event\n\n\
        event: job\r\ndata: {\"jobId\":\"j1\",\"status\":\"deployed\",\"storeUrl\":\"https://s.example\"}\r\n\r\n\
        event: done\ndata: {}\n\n";

    fn read(pieces: &[&[u8]]) -> Vec<Result<StreamEvent, ApiError>> {
        let mut decoder = EventsDecoder::default();
        let mut events = Vec::new();
        for piece in pieces {
            decoder.feed(piece);
            events.extend(std::iter::from_fn(|| decoder.next_event()));
        }
        decoder.finish();
        events.extend(std::iter::from_fn(|| decoder.next_event()));
        events
    }

    #[test]
    fn the_contracts_events_are_read_and_others_skipped() {
        let events = read(&[STREAM.as_bytes()]);
        let [Ok(StreamEvent::Job(first)), Ok(StreamEvent::Logs(lines)), Ok(StreamEvent::Job(last)), Ok(StreamEvent::Done)] =
            events.as_slice()
        else {
            panic!("{events:?}");
        };
        assert_eq!(first.status, JobStatus::Processing);
        assert_eq!(
            lines.iter().map(|l| l.seq).collect::<Vec<_>>(),
            [1, 2],
            "{lines:?}"
        );
        assert_eq!(lines[0].message, "Creating schema é");
        assert_eq!(last.store_url.as_deref(), Some("https://s.example"));
    }

    #[test]
    fn an_unreadable_event_is_a_decode_error_and_an_unfinished_one_is_dropped() {
        let events = read(&[b"event: logs\ndata: [{\"seq\":\n\nevent: job\ndata: {\"jobId\":\"j"]);
        assert!(
            matches!(events.as_slice(), [Err(ApiError::Decode { .. })]),
            "{events:?}"
        );
    }

    proptest! {
        /// However the network cuts the body (a UTF-8 character or a CRLF
        /// included), the same events come.
        #[test]
        fn any_split_of_the_bytes_gives_the_same_events(
            cuts in proptest::collection::vec(0..STREAM.len(), 0..12)
        ) {
            let bytes = STREAM.as_bytes();
            let mut cuts = cuts;
            cuts.sort_unstable();
            let mut pieces = Vec::new();
            let mut from = 0;
            for cut in cuts {
                pieces.push(&bytes[from..cut]);
                from = cut;
            }
            pieces.push(&bytes[from..]);
            prop_assert_eq!(read(&pieces), read(&[bytes]));
        }
    }
}
