//! Follows one job while its page is open: one request in flight at a time,
//! waits chosen by [`polling_policy`](super::polling_policy); while the tab
//! is hidden, its head only every 15 s (so its end is noticed), caught up
//! at once when the tab is shown. One tab of the browser follows a job
//! (`store::job_relay`): every tab reads the job's backlog once, then the
//! tab holding the job's lock polls and relays what it hears; the others
//! apply that, and one of them takes over when the follower goes. Dropping
//! the [`JobPoller`] stops it; an answer that arrives after that is
//! discarded.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::{self, Either};
use futures::StreamExt;
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use yewdux::Dispatch;

use super::job_relay::{channel_name, Relayed};
use super::polling_policy::{
    after_failure, after_head, after_success, follow_as_hidden, wants_lines, NextPoll,
    SHOWN_EVERY_MS,
};
use super::provisioning::{Action, ProvisioningState, TenantAction};
use super::saved_attempts;
use super::tab_lock::TabLock;
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
    _relay: Option<(web_sys::BroadcastChannel, EventListener, Interval)>,
    shared: Rc<Shared>,
}

impl Drop for JobPoller {
    fn drop(&mut self) {
        self.shared.lock.take();
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
        let name = channel_name(&job_id);
        let shared = Rc::new(Shared::default());
        let channel = web_sys::BroadcastChannel::new(&name).ok();
        let relay = channel.map(|channel| {
            let (heard, wake) = (shared.clone(), wake.clone());
            let (dispatch, tenant, job_id) = (dispatch.clone(), tenant.clone(), job_id.clone());
            let listener = EventListener::new(&channel, "message", move |event| {
                let text = event
                    .dyn_ref::<web_sys::MessageEvent>()
                    .and_then(|m| m.data().as_string());
                let Some(relayed) = text.as_deref().and_then(Relayed::decode) else {
                    return;
                };
                heard.relayed(relayed, &job_id, &dispatch, &tenant, &wake);
            });
            let (showing, saying) = (shared.clone(), channel.clone());
            let shown = Interval::new(SHOWN_EVERY_MS as u32, move || {
                if !showing.follows.get() && !tab_hidden() {
                    let _ = saying.post_message(&Relayed::Shown.encode("").into());
                }
            });
            (channel, listener, shown)
        });
        // Without a channel to the other tabs, each tab follows the job.
        shared.follows.set(relay.is_none());
        if relay.is_some() {
            shared.ask_to_follow(&job_id, &wake);
        }
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
            channel: relay.as_ref().map(|(channel, ..)| channel.clone()),
            shared: shared.clone(),
        };
        wasm_bindgen_futures::spawn_local(run.run());
        Self {
            stopped,
            wake,
            _visibility: visibility,
            _relay: relay,
            shared,
        }
    }
}

/// What the poll loop and the relay's listener share.
#[derive(Default)]
struct Shared {
    /// This tab holds the job's lock: it polls, and relays what it hears.
    follows: Cell<bool>,
    /// This tab has read the job's backlog: what is relayed applies now.
    caught_up: Cell<bool>,
    /// Relayed while the backlog was read: applied after it.
    held: RefCell<Vec<Relayed>>,
    /// When a tab that shows the job without following it last said so.
    shown_at_ms: Cell<Option<f64>>,
    /// The job's lock, asked for or held.
    lock: RefCell<Option<TabLock>>,
}

impl Shared {
    /// Asks for the job's lock: once granted, this tab follows the job.
    fn ask_to_follow(self: &Rc<Self>, job_id: &str, wake: &mpsc::UnboundedSender<()>) {
        let (granted, wake) = (self.clone(), wake.clone());
        let lock = TabLock::request(&channel_name(job_id), move || {
            granted.follows.set(true);
            let _ = wake.unbounded_send(());
        });
        *self.lock.borrow_mut() = Some(lock);
    }

    /// Another tab's news about the job.
    fn relayed(
        self: &Rc<Self>,
        relayed: Relayed,
        job_id: &str,
        dispatch: &Dispatch<ProvisioningState>,
        tenant: &TenantId,
        wake: &mpsc::UnboundedSender<()>,
    ) {
        if relayed == Relayed::Shown {
            self.shown_at_ms.set(Some(js_sys::Date::now()));
            // A tab on screen shows the job while this one, hidden, follows
            // it: a hidden tab's timers are slowed (to once a minute, in
            // time), so the following moves to that tab.
            if self.follows.get() && tab_hidden() {
                self.follows.set(false);
                self.lock.take();
                self.ask_to_follow(job_id, wake);
            }
            return;
        }
        if self.follows.get() {
            return;
        }
        if !self.caught_up.get() {
            self.held.borrow_mut().push(relayed);
            return;
        }
        if let Some(action) = relayed.into_action(job_id) {
            dispatch.apply(TenantAction(tenant.clone(), action));
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
    /// The job's channel to the other tabs showing it.
    channel: Option<web_sys::BroadcastChannel>,
    shared: Rc<Shared>,
}

impl PollLoop {
    async fn run(mut self) {
        let mut failures = 0u32;
        let mut head_said_final = false;
        loop {
            // Once its backlog is read, a tab polls only while it follows
            // the job; meanwhile it applies the follower's news (the
            // relay's listener) and waits to be granted the lock.
            while self.shared.caught_up.get() && !self.shared.follows.get() {
                self.wakes.next().await;
                if self.stopped.get() {
                    return;
                }
            }
            if self.stopped.get() {
                return;
            }
            let hidden = follow_as_hidden(
                tab_hidden(),
                self.shared.shown_at_ms.get(),
                js_sys::Date::now(),
            );
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
            self.caught_up();
            let NextPoll::After(wait_ms) = next else {
                return;
            };
            // Wakes that came while this poll was on its way (the lock
            // granted, the tab shown) are answered by it.
            while self.wakes.try_recv().is_ok() {}
            // Another tab follows the job: wait (its news applied by the
            // relay's listener) until this one holds the lock; then the
            // usual wait, so polls keep their pace.
            while !self.shared.follows.get() {
                self.wakes.next().await;
                if self.stopped.get() {
                    return;
                }
            }
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

    /// The backlog is read: what other tabs relayed meanwhile applies now.
    fn caught_up(&self) {
        if self.shared.caught_up.replace(true) {
            return;
        }
        for relayed in self.shared.held.take() {
            if let Some(action) = relayed.into_action(&self.job_id) {
                self.apply(action);
            }
        }
    }

    fn apply(&self, action: Action) {
        // What the follower hears, the other tabs showing the job hear too
        // (not its backlog: each reads that itself).
        let relayed = self
            .channel
            .as_ref()
            .filter(|_| self.shared.follows.get() && self.shared.caught_up.get())
            .zip(Relayed::of(&action));
        if let Some((channel, relayed)) = relayed {
            let _ = channel.post_message(&relayed.encode(&self.job_id).into());
        }
        self.dispatch
            .apply(TenantAction(self.tenant.clone(), action));
    }
}
