//! Follows one job while its page is open: one request in flight at a time,
//! waits chosen by [`polling_policy`](super::polling_policy), paused while the
//! tab is hidden and resumed at once when it is shown. Dropping the
//! [`JobPoller`] stops it; an answer that arrives after that is discarded.

use std::cell::Cell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::{self, Either};
use futures::StreamExt;
use gloo_events::EventListener;
use gloo_timers::future::TimeoutFuture;
use yewdux::Dispatch;

use super::polling_policy::{after_failure, after_success, NextPoll};
use super::provisioning::{Action, ProvisioningState, TenantAction};
use super::saved_jobs;
use crate::api::client::get_provisioning_status;
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, TenantId};

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

fn tab_hidden() -> bool {
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
        loop {
            while tab_hidden() && !self.stopped.get() {
                self.wakes.next().await;
            }
            if self.stopped.get() {
                return;
            }
            let logs_after = self
                .dispatch
                .get()
                .tenant(&self.tenant)
                .and_then(|e| e.logs_after(&self.job_id));
            let result = get_provisioning_status(&self.base, &self.job_id, logs_after).await;
            if self.stopped.get() {
                return;
            }
            let next = match result {
                Ok(job) if job.job_id == self.job_id => {
                    failures = 0;
                    let next = after_success(&job.status);
                    self.apply(Action::StatusReceived(job));
                    next
                }
                Ok(other) => {
                    failures += 1;
                    let detail = format!("it described job {} instead", other.job_id);
                    self.failed(ApiError::Decode { detail }, failures)
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

    fn failed(&self, error: ApiError, failures: u32) -> NextPoll {
        let next = after_failure(&error, failures, js_sys::Math::random());
        if error == ApiError::JobNotFound {
            saved_jobs::forget(&self.tenant);
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
