//! How a job is heard: a poll of the status endpoint (`GET
//! /provision/status/{jobId}`), its head only or with the log's new lines
//! ([`hear`]), or its stream (`GET /provision/events/{jobId}`, [`listen`]).
//! The lines are decoded as the body arrives, a slice at a time, and handed
//! over slice by slice, so the browser paints and handles input in
//! between. The one seam between the watcher and the service.

use futures::future::{self, Either};
use gloo_timers::future::TimeoutFuture;

use crate::api::client::{
    get_provisioning_status_stream, open_events, EventsStream, StatusStream, HEAD_ONLY_LOGS_AFTER,
};
use crate::api::endpoints::ApiBase;
use crate::api::events::{EventsDecoder, StreamEvent};
use crate::api::{ApiError, Job, LogLine};
use crate::sliced_work::SliceBudget;
use crate::store::stream_policy::StreamEnd;

/// A page's lines are decoded this many at a time, until a slice of
/// [`SliceBudget::SHORT`] is spent; the slice is then handed over and the
/// browser gets the main thread back. Together well inside the 50 ms that
/// make a task "long", on a fast machine or a slow one.
pub const LINES_PER_READ: usize = 500;

/// Hears `job_id` once: with the lines after `lines_after` (`Some(None)`:
/// from the first), or its head only (`None`). `lines` is handed each slice
/// of lines as it is read and says whether anyone still wants them
/// (`false`: the request is dropped, and `None` returned). `cancel`,
/// aborted, ends the request at once (`None` too).
pub async fn hear(
    base: &ApiBase,
    job_id: &str,
    lines_after: Option<Option<u64>>,
    lines: impl Fn(Vec<LogLine>) -> bool,
    cancel: Option<&web_sys::AbortSignal>,
) -> Option<Result<Job, ApiError>> {
    let logs_after = lines_after.unwrap_or(Some(HEAD_ONLY_LOGS_AFTER));
    let heard = match get_provisioning_status_stream(base, job_id, logs_after, cancel).await {
        Ok(stream) => read_lines(stream, job_id, lines).await,
        Err(error) => Some(Err(error)),
    };
    heard.filter(|_| !cancel.is_some_and(web_sys::AbortSignal::aborted))
}

fn other_job(id: &str) -> ApiError {
    ApiError::Decode {
        detail: format!("it described job {id} instead"),
    }
}

/// Hands over the page's lines as they arrive, a slice at a time; then its
/// job.
async fn read_lines(
    mut stream: StatusStream,
    job_id: &str,
    wanted: impl Fn(Vec<LogLine>) -> bool,
) -> Option<Result<Job, ApiError>> {
    let mut body_ended = false;
    loop {
        if let Some(id) = stream.page.job_id().filter(|id| *id != job_id) {
            return Some(Err(other_job(id)));
        }
        // One slice: the lines that have come, and more of the body while
        // it comes at once, until the budget is spent.
        let deadline = SliceBudget::SHORT.deadline(js_sys::Date::now());
        let mut lines = Vec::new();
        loop {
            match stream.page.next_lines(LINES_PER_READ) {
                Ok(more) if more.is_empty() => {
                    if body_ended {
                        break;
                    }
                    match stream.fetch_more().await {
                        Ok(more) => body_ended = !more,
                        Err(error) => return Some(Err(error)),
                    }
                }
                Ok(more) => lines.extend(more),
                Err(error) => return Some(Err(error)),
            }
            if deadline.passed(js_sys::Date::now()) {
                break;
            }
        }
        if !lines.is_empty() {
            if !wanted(lines) {
                return None;
            }
            TimeoutFuture::new(0).await;
        } else if body_ended {
            return Some(stream.page.into_job().and_then(|job| {
                if job.job_id == job_id {
                    Ok(job)
                } else {
                    Err(other_job(&job.job_id))
                }
            }));
        }
    }
}

/// What a job's stream tells, as it comes.
pub trait StreamListener {
    /// Something came (a keep-alive or an event): the stream is alive.
    fn alive(&self);
    /// New lines, a slice at a time; `false`: nobody wants them any more.
    fn lines(&self, lines: Vec<LogLine>) -> bool;
    /// The job's head, after the lines that came before it; `ended`: the
    /// stream said `done` (every line has come).
    fn head(&self, job: Job, ended: bool);
}

/// Hears `job_id` through its stream (`GET /provision/events/{jobId}`),
/// from the lines after `after`, until the job ends (`None`, as when
/// `cancel` is aborted or nobody wants the lines any more) or the stream
/// does: how. Lines that come together are handed over together, a slice
/// of [`SliceBudget::SHORT`] at most, and the browser gets the main thread
/// back in between.
pub async fn listen(
    base: &ApiBase,
    job_id: &str,
    after: Option<u64>,
    listener: &impl StreamListener,
    cancel: Option<&web_sys::AbortSignal>,
) -> Option<StreamEnd> {
    let cancelled = || cancel.is_some_and(web_sys::AbortSignal::aborted);
    let stream = match open_events(base, job_id, after, cancel).await {
        Ok(Some(stream)) => stream,
        Ok(None) => return Some(StreamEnd::Unsupported),
        Err(_) if cancelled() => return None,
        Err(error) => return Some(StreamEnd::Refused(error)),
    };
    let end = read_events(stream, job_id, listener).await;
    end.filter(|_| !cancelled())
}

/// The events of an open stream, told as they come.
async fn read_events(
    stream: EventsStream,
    job_id: &str,
    listener: &impl StreamListener,
) -> Option<StreamEnd> {
    let mut decoder = EventsDecoder::default();
    let mut with_events = false;
    let mut last_head: Option<Job> = None;
    let dropped = |with_events| Some(StreamEnd::Dropped { with_events });
    // A piece of the body fed to the decoder: `Ok(true)` at the body's end.
    let take = |piece: Result<Option<Vec<u8>>, ApiError>, decoder: &mut EventsDecoder| match piece {
        Ok(Some(piece)) => {
            listener.alive();
            decoder.feed(&piece);
            Ok(false)
        }
        Ok(None) => {
            decoder.finish();
            Ok(true)
        }
        Err(_) => Err(()),
    };
    let mut read = Box::pin(stream.next_piece());
    // An event decoded, not handled yet (a slice's budget was spent first).
    let mut pending = None;
    let mut ended = false;
    loop {
        if pending.is_none() {
            // The next piece, however long it takes (the watcher closes a
            // stream that falls silent).
            let piece = read.as_mut().await;
            read = Box::pin(stream.next_piece());
            let Ok(end) = take(piece, &mut decoder) else {
                return dropped(with_events);
            };
            ended = end;
        }
        // One slice: the events that have come, and more of the body while
        // more has come already, until the budget is spent.
        let deadline = SliceBudget::SHORT.deadline(js_sys::Date::now());
        let mut lines = Vec::new();
        'slice: loop {
            while let Some(event) = pending.take().or_else(|| decoder.next_event()) {
                with_events = true;
                match event {
                    Ok(StreamEvent::Logs(more)) => lines.extend(more),
                    Ok(StreamEvent::Job(head)) if head.job_id != job_id => {
                        return Some(StreamEnd::Refused(other_job(&head.job_id)));
                    }
                    Ok(StreamEvent::Job(head)) => {
                        if !hand_over(listener, &mut lines) {
                            return None;
                        }
                        if !head.status.is_final() {
                            listener.head((*head).clone(), false);
                        }
                        last_head = Some(*head);
                    }
                    Ok(StreamEvent::Done) => {
                        if !hand_over(listener, &mut lines) {
                            return None;
                        }
                        let Some(head) = last_head else {
                            return Some(StreamEnd::Refused(ApiError::Decode {
                                detail: "the stream said done before it sent the job".into(),
                            }));
                        };
                        listener.head(head, true);
                        return None;
                    }
                    Err(error) => return Some(StreamEnd::Refused(error)),
                }
                if deadline.passed(js_sys::Date::now()) {
                    pending = decoder.next_event();
                    break 'slice;
                }
            }
            if ended || deadline.passed(js_sys::Date::now()) {
                break;
            }
            let waited = future::select(read.as_mut(), TimeoutFuture::new(0)).await;
            let Either::Left((piece, _)) = waited else {
                break;
            };
            read = Box::pin(stream.next_piece());
            let Ok(end) = take(piece, &mut decoder) else {
                return dropped(with_events);
            };
            ended = end;
        }
        let handed = !lines.is_empty();
        if !hand_over(listener, &mut lines) {
            return None;
        }
        if ended && pending.is_none() {
            return dropped(with_events);
        }
        if handed || pending.is_some() {
            // The browser paints and handles input before the next slice.
            TimeoutFuture::new(0).await;
        }
    }
}

/// Hands `lines` over, if there are any; `false`: nobody wants them.
fn hand_over(listener: &impl StreamListener, lines: &mut Vec<LogLine>) -> bool {
    lines.is_empty() || listener.lines(std::mem::take(lines))
}
