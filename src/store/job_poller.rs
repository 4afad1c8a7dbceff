//! Follows one job while its page is open: one request in flight at a time,
//! waits chosen by [`polling_policy`](super::polling_policy); while the tab
//! is hidden, its head only every 15 s (so its end is noticed), caught up
//! at once when the tab is shown. Dropping the
//! [`JobPoller`] stops it; an answer that arrives after that is discarded.

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::{self, Either};
use futures::StreamExt;
use gloo_events::EventListener;
use gloo_timers::future::TimeoutFuture;
use yewdux::Dispatch;

use super::polling_policy::{after_failure, after_head, after_success, wants_lines, NextPoll};
use super::provisioning::{Action, ProvisioningState, TenantAction};
use super::saved_attempts;
use crate::api::client::{get_provisioning_status_stream, StatusStream, HEAD_ONLY_LOGS_AFTER};
use crate::api::endpoints::ApiBase;
use crate::api::Job;
use crate::api::{ApiError, TenantId};
use crate::sliced_work::SliceBudget;

/// A page's lines are decoded this many at a time, until a slice of
/// [`SliceBudget::SHORT`] is spent; the slice is then stored and drawn and
/// the browser gets the main thread back. Together well inside the 50 ms
/// that make a task "long", on a fast machine or a slow one.
pub const LINES_PER_READ: usize = 500;

/// A running poll loop; drop it to stop.
pub struct JobPoller {
    stopped: Rc<Cell<bool>>,
    wake: mpsc::UnboundedSender<()>,
    _visibility: Option<EventListener>,
}

impl Drop for JobPoller {
    fn drop(&mut self) {
        self.stopped.set(true);
        let _ = self.wake.unbounded_send(());
    }
}

/// The page's tab is hidden (another tab, a minimised window).
pub fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

impl JobPoller {
    pub fn start(
        dispatch: Dispatch<ProvisioningState>,
        base: ApiBase,
        tenant: TenantId,
        job_id: String,
    ) -> Self {
        let stopped = Rc::new(Cell::new(false));
        let (wake, wakes) = mpsc::unbounded();
        let visibility = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let wake = wake.clone();
                EventListener::new(&document, "visibilitychange", move |_| {
                    let _ = wake.unbounded_send(());
                })
            });
        let run = PollLoop {
            dispatch,
            base,
            tenant,
            job_id,
            stopped: stopped.clone(),
            wakes,
        };
        wasm_bindgen_futures::spawn_local(run.run());
        Self {
            stopped,
            wake,
            _visibility: visibility,
        }
    }
}

struct PollLoop {
    dispatch: Dispatch<ProvisioningState>,
    base: ApiBase,
    tenant: TenantId,
    job_id: String,
    stopped: Rc<Cell<bool>>,
    wakes: mpsc::UnboundedReceiver<()>,
}

impl PollLoop {
    async fn run(mut self) {
        let mut failures = 0u32;
        let mut head_said_final = false;
        loop {
            if self.stopped.get() {
                return;
            }
            let hidden = tab_hidden();
            let lines = wants_lines(hidden, head_said_final);
            let logs_after = if lines {
                self.dispatch
                    .get()
                    .tenant(&self.tenant)
                    .and_then(|e| e.logs_after(&self.job_id))
            } else {
                Some(HEAD_ONLY_LOGS_AFTER)
            };
            let result = get_provisioning_status_stream(&self.base, &self.job_id, logs_after).await;
            if self.stopped.get() {
                return;
            }
            let result = match result {
                Ok(stream) => match self.read_lines(stream).await {
                    Some(read) => read,
                    None => return,
                },
                Err(error) => Err(error),
            };
            let next = match result {
                Ok(job) if lines => {
                    failures = 0;
                    let next = after_success(&job.status, hidden);
                    self.apply(Action::StatusReceived(job));
                    next
                }
                Ok(head) => {
                    failures = 0;
                    head_said_final = head.status.is_final();
                    let next = after_head(&head.status);
                    self.apply(Action::HeadReceived(head));
                    next
                }
                Err(error) => {
                    failures += 1;
                    self.failed(error, failures)
                }
            };
            let NextPoll::After(wait_ms) = next else {
                return;
            };
            // Sleep, unless the tab is shown again (catch up now) or we are stopped.
            let sleep = TimeoutFuture::new(wait_ms);
            let woken = self.wakes.next();
            if let Either::Right(_) = future::select(sleep, woken).await {
                // Several visibility changes may have queued up: one catch-up is enough.
                while self.wakes.try_recv().is_ok() {}
            }
        }
    }

    /// Applies the page's lines as they arrive, a slice at a time, letting
    /// the browser paint and handle input in between; then gives back its
    /// job. `None`: the poller was stopped meanwhile.
    async fn read_lines(&self, mut stream: StatusStream) -> Option<Result<Job, ApiError>> {
        let other_job = |id: &str| ApiError::Decode {
            detail: format!("it described job {id} instead"),
        };
        let mut body_ended = false;
        loop {
            if let Some(id) = stream.page.job_id().filter(|id| *id != self.job_id) {
                return Some(Err(other_job(id)));
            }
            // One slice: the lines that have come, and more of the body
            // while it comes at once, until the budget is spent.
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
                        if self.stopped.get() {
                            return None;
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
                self.apply(Action::LinesReceived {
                    job_id: self.job_id.clone(),
                    lines,
                });
                TimeoutFuture::new(0).await;
                if self.stopped.get() {
                    return None;
                }
            } else if body_ended {
                return Some(stream.page.into_job().and_then(|job| {
                    if job.job_id == self.job_id {
                        Ok(job)
                    } else {
                        Err(other_job(&job.job_id))
                    }
                }));
            }
        }
    }

    fn failed(&self, error: ApiError, failures: u32) -> NextPoll {
        let next = after_failure(&error, failures, js_sys::Math::random());
        if error == ApiError::JobNotFound {
            saved_attempts::expire(&self.tenant, &self.job_id);
        }
        let retry_at_ms = match next {
            NextPoll::After(ms) => Some(js_sys::Date::now() + f64::from(ms)),
            NextPoll::Stop => None,
        };
        self.apply(Action::PollFailed {
            job_id: self.job_id.clone(),
            error,
            retry_at_ms,
        });
        next
    }

    fn apply(&self, action: Action) {
        self.dispatch
            .apply(TenantAction(self.tenant.clone(), action));
    }
}
