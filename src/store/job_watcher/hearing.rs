//! How a job is heard: today, a poll of the status endpoint (`GET
//! /provisioning-status/{jobId}`), its head only or with the log's new
//! lines. The lines are decoded as the body arrives, a slice at a time,
//! and handed over slice by slice, so the browser paints and handles input
//! in between. The one seam between the watcher and the service: a stream
//! can replace the poll here without touching any subscriber.

use gloo_timers::future::TimeoutFuture;

use crate::api::client::{get_provisioning_status_stream, StatusStream, HEAD_ONLY_LOGS_AFTER};
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, Job, LogLine};
use crate::sliced_work::SliceBudget;

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
