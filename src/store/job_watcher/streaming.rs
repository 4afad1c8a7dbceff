//! The schedule's streams: which jobs have one open, when one opens or
//! closes, and what its events and its end change. One stream a job,
//! whoever watches it; only jobs whose lines someone wants on a tab on
//! screen; at most [`MAX_STREAMS`] on a page. What follows a stream's end
//! is [`after_stream`]'s decision.

use super::{Delivery, Next, Schedule, Watched};
use crate::store::stream_policy::{
    after_stream, AfterStream, StreamEnd, MAX_STREAMS, STREAM_SERVED_MS, STREAM_SILENCE_MS,
};

/// A job's stream.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct JobStream {
    open: Option<Open>,
    /// Streams in a row that ended before they served [`STREAM_SERVED_MS`]
    /// (a longer one counts 1).
    failures: u32,
    /// No stream opens before this (ms since the epoch).
    not_before_ms: f64,
    /// A stream said `done`: a poll sent before is not news.
    pub(super) done: bool,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    number: u64,
    /// It has brought something (a keep-alive or an event): it carries the
    /// job, and the job is not polled.
    live: bool,
    opened_at_ms: f64,
    /// When it was opened or last brought something (ms since the epoch).
    heard_at_ms: f64,
}

impl JobStream {
    /// A live stream brings the job's news: it is not polled.
    pub(super) fn carries(&self) -> bool {
        self.open.is_some_and(|open| open.live)
    }

    fn is(&self, number: u64) -> bool {
        self.open.is_some_and(|open| open.number == number)
    }
}

/// What the shell does with streams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamMove {
    /// Opens stream `number` for the job.
    Open { job_id: String, number: u64 },
    /// Closes stream `number` (nobody on screen wants its lines, or it fell
    /// silent); its end is not reported.
    Close { job_id: String, number: u64 },
}

impl Watched {
    /// Whether a stream it has is still wanted: someone on screen follows
    /// its lines, and it has not ended (or been refused).
    fn keeps_stream(&self, hidden: bool) -> bool {
        self.wants_lines() && !hidden && self.next != Next::Stopped && self.fastest_ms().is_some()
    }

    /// Whether a stream opens for it now: it is kept, and its first answer
    /// (a poll's, with its backlog) has come.
    fn wants_stream(&self, hidden: bool) -> bool {
        self.keeps_stream(hidden) && !self.unanswered()
    }

    /// Every subscriber is answered (a `Once` one leaves: in `done`).
    fn answer_all(&mut self) -> Delivery {
        let (to, done) = self.answer(None, false);
        Delivery {
            to,
            done,
            next_at_ms: None,
        }
    }
}

impl Schedule {
    /// A schedule that streams jobs where the service streams (until a
    /// stream's answer says it does not).
    pub fn streaming() -> Self {
        Self {
            streams: true,
            ..Self::default()
        }
    }

    fn open_streams(&self) -> usize {
        self.jobs.iter().filter(|w| w.stream.open.is_some()).count()
    }

    /// Streams to open and close at `now_ms`.
    pub fn stream_moves(&mut self, now_ms: f64, tab_hidden: bool) -> Vec<StreamMove> {
        let mut moves = Vec::new();
        let mut open = self.open_streams();
        for watched in &mut self.jobs {
            let hidden = watched.hidden(tab_hidden, now_ms);
            if let Some(stream) = watched.stream.open {
                let wanted = watched.keeps_stream(hidden);
                let silent = now_ms - stream.heard_at_ms >= STREAM_SILENCE_MS;
                if silent || !wanted {
                    open -= 1;
                    if wanted {
                        end(watched, &StreamEnd::Silent, now_ms, 0.0);
                    }
                    watched.stream.open = None;
                    moves.push(StreamMove::Close {
                        job_id: watched.job_id.clone(),
                        number: stream.number,
                    });
                }
            } else if self.streams
                && watched.wants_stream(hidden)
                && watched.stream.not_before_ms <= now_ms
                && open < MAX_STREAMS
            {
                watched.stream.open = Some(Open {
                    number: self.next_request,
                    live: false,
                    opened_at_ms: now_ms,
                    heard_at_ms: now_ms,
                });
                moves.push(StreamMove::Open {
                    job_id: watched.job_id.clone(),
                    number: self.next_request,
                });
                self.next_request += 1;
                open += 1;
            }
        }
        moves
    }

    /// When [`Schedule::stream_moves`] may have something next: a stream
    /// to open, or an open one that falls silent.
    pub fn next_stream_move_ms(&self, now_ms: f64, tab_hidden: bool) -> Option<f64> {
        let room = self.streams && self.open_streams() < MAX_STREAMS;
        self.jobs
            .iter()
            .filter_map(|w| match w.stream.open {
                Some(open) => Some(open.heard_at_ms + STREAM_SILENCE_MS),
                None if room && w.wants_stream(w.hidden(tab_hidden, now_ms)) => {
                    Some(w.stream.not_before_ms.max(now_ms))
                }
                None => None,
            })
            .reduce(f64::min)
    }

    fn streamed_mut(&mut self, job_id: &str, number: u64) -> Option<&mut Watched> {
        self.job_mut(job_id).filter(|w| w.stream.is(number))
    }

    /// Stream `number` brought something (bytes of any kind): it is live.
    pub fn stream_heard(&mut self, job_id: &str, number: u64, now_ms: f64) {
        if let Some(watched) = self.streamed_mut(job_id, number) {
            if let Some(open) = &mut watched.stream.open {
                open.live = true;
                open.heard_at_ms = now_ms;
            }
            watched.heard_at_ms = now_ms;
        }
    }

    /// Stream `number` brought the job's head (`ended`: with `done`, after
    /// its last lines): every subscriber hears it. `None`: the stream is
    /// not the job's any more.
    pub fn stream_event(
        &mut self,
        job_id: &str,
        number: u64,
        ended: bool,
        now_ms: f64,
    ) -> Option<Delivery> {
        let watched = self.streamed_mut(job_id, number)?;
        watched.heard_at_ms = now_ms;
        (watched.failures, watched.least_wait_ms) = (0, 0);
        if ended {
            watched.stream.open = None;
            watched.stream.done = true;
            watched.next = Next::Stopped;
        }
        Some(watched.answer_all())
    }

    /// Stream `number` ended as `end` (not by `done`); `jitter` in `[0, 1)`.
    /// A delivery when its subscribers are told, as after a poll refused
    /// for good.
    pub fn stream_ended(
        &mut self,
        job_id: &str,
        number: u64,
        stream_end: &StreamEnd,
        now_ms: f64,
        jitter: f64,
    ) -> Option<Delivery> {
        let watched = self.streamed_mut(job_id, number)?;
        match end(watched, stream_end, now_ms, jitter) {
            AfterStream::AsRefused => Some(watched.answer_all()),
            AfterStream::PollOnly => {
                self.streams = false;
                None
            }
            AfterStream::StreamAgain { .. } => None,
        }
    }
}

/// What the end of its open stream changes for a job.
fn end(watched: &mut Watched, stream_end: &StreamEnd, now_ms: f64, jitter: f64) -> AfterStream {
    let served = watched
        .stream
        .open
        .take()
        .is_some_and(|open| now_ms - open.opened_at_ms >= STREAM_SERVED_MS);
    // A stream that served a while starts a new count; short ones in a row
    // (even those that brought the job's head first) add up.
    watched.stream.failures = if served {
        1
    } else {
        watched.stream.failures + 1
    };
    if let StreamEnd::Refused(error) = stream_end {
        // The service's Retry-After holds for its polls too.
        let asked = error.retry_after_ms().unwrap_or(0);
        watched.least_wait_ms = watched.least_wait_ms.max(asked);
    }
    let after = after_stream(stream_end, watched.stream.failures, jitter);
    match after {
        AfterStream::StreamAgain { after_ms, poll_now } => {
            watched.stream.not_before_ms = now_ms + f64::from(after_ms);
            if poll_now {
                // A new series of attempts once the job has been polled a while.
                watched.stream.failures = 0;
            }
            // Polled at its pace from now (at once if it may be stale).
            watched.heard_at_ms = now_ms;
            watched.next = if poll_now {
                Next::At(now_ms)
            } else {
                Next::Paced
            };
        }
        AfterStream::AsRefused => {
            watched.stream.not_before_ms = now_ms;
            watched.next = Next::Stopped;
        }
        AfterStream::PollOnly => watched.next = Next::At(now_ms),
    }
    after
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
