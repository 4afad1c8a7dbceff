//! Follows one job while its tenant page is open: a subscriber of the
//! page's job watcher (`store::job_watcher`), for the job's lines, every
//! second (the watcher slows it while the tab is hidden). One tab of the
//! browser follows a job (`store::job_relay`): every tab reads the job's
//! backlog once, then only the tab holding the job's lock stays subscribed
//! and relays what it hears; the others apply that, and one of them takes
//! over when the follower goes. Dropping the [`JobFollower`] ends it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yewdux::Dispatch;

use super::job_relay::{channel_name, Relayed};
use super::job_watcher::shell::{tab_hidden, Heard, JobListener, JobWatcher, Subscription};
use super::job_watcher::{Interest, Pace};
use super::polling_policy::{POLL_INTERVAL_MS, SHOWN_EVERY_MS};
use super::provisioning::{Action, ProvisioningState, TenantAction};
use super::saved_attempts;
use super::tab_lock::TabLock;
use crate::api::{ApiError, LogLine, TenantId};

/// What the follower asks of the watcher: the job's lines, every second.
const FOLLOWING: Interest = Interest::lines(Pace::Every(POLL_INTERVAL_MS));

/// A job followed; drop it to stop.
pub struct JobFollower {
    follower: Rc<Follower>,
    _relay: Option<(EventListener, Interval)>,
}

impl Drop for JobFollower {
    fn drop(&mut self) {
        self.follower.lock.take();
        self.follower.subscription.take();
    }
}

impl JobFollower {
    pub fn start(
        dispatch: Dispatch<ProvisioningState>,
        watcher: JobWatcher,
        tenant: TenantId,
        job_id: String,
    ) -> Self {
        let name = channel_name(&job_id);
        let channel = web_sys::BroadcastChannel::new(&name).ok();
        let follower = Rc::new(Follower {
            dispatch,
            watcher,
            tenant,
            job_id,
            // Without a channel to the other tabs, each tab follows the job.
            follows: Cell::new(channel.is_none()),
            caught_up: Cell::default(),
            held: RefCell::default(),
            lock: RefCell::default(),
            subscription: RefCell::default(),
            channel: channel.clone(),
        });
        let relay = channel.map(|channel| {
            let heard = follower.clone();
            let listener = EventListener::new(&channel, "message", move |event| {
                let text = event
                    .dyn_ref::<web_sys::MessageEvent>()
                    .and_then(|m| m.data().as_string());
                if let Some(relayed) = text.as_deref().and_then(Relayed::decode) {
                    heard.relayed(relayed);
                }
            });
            let showing = follower.clone();
            let shown = Interval::new(SHOWN_EVERY_MS as u32, move || {
                if !showing.follows.get() && !tab_hidden() {
                    if let Some(channel) = &showing.channel {
                        let _ = channel.post_message(&Relayed::Shown.encode("").into());
                    }
                }
            });
            (listener, shown)
        });
        // The backlog first, whoever follows.
        follower.subscribe();
        if relay.is_some() {
            follower.ask_to_follow();
        }
        Self {
            follower,
            _relay: relay,
        }
    }
}

struct Follower {
    dispatch: Dispatch<ProvisioningState>,
    watcher: JobWatcher,
    tenant: TenantId,
    job_id: String,
    /// This tab holds the job's lock: it stays subscribed, and relays what
    /// it hears.
    follows: Cell<bool>,
    /// This tab has read the job's backlog: what is relayed applies now.
    caught_up: Cell<bool>,
    /// Relayed while the backlog was read: applied after it.
    held: RefCell<Vec<Relayed>>,
    /// The job's lock, asked for or held.
    lock: RefCell<Option<TabLock>>,
    subscription: RefCell<Option<Subscription>>,
    /// The job's channel to the other tabs showing it.
    channel: Option<web_sys::BroadcastChannel>,
}

impl Follower {
    /// Subscribes to the job: at once for its backlog, or, caught up
    /// already (the lock granted since), at its pace.
    fn subscribe(self: &Rc<Self>) {
        if self.subscription.borrow().is_some() {
            return;
        }
        let listener: Rc<dyn JobListener> = self.clone();
        let subscription = if self.caught_up.get() {
            self.watcher
                .subscribe_heard(&self.job_id, FOLLOWING, listener)
        } else {
            self.watcher.subscribe(&self.job_id, FOLLOWING, listener)
        };
        *self.subscription.borrow_mut() = Some(subscription);
    }

    /// Asks for the job's lock: once granted, this tab follows the job.
    fn ask_to_follow(self: &Rc<Self>) {
        let granted = self.clone();
        let lock = TabLock::request(&channel_name(&self.job_id), move || {
            granted.follows.set(true);
            granted.subscribe();
        });
        *self.lock.borrow_mut() = Some(lock);
    }

    /// Another tab's news about the job.
    fn relayed(self: &Rc<Self>, relayed: Relayed) {
        if relayed == Relayed::Shown {
            if let Some(subscription) = &*self.subscription.borrow() {
                subscription.shown_elsewhere();
            }
            // A tab on screen shows the job while this one, hidden, follows
            // it: a hidden tab's timers are slowed (to once a minute, in
            // time), so the following moves to that tab.
            if self.follows.get() && tab_hidden() {
                self.follows.set(false);
                self.lock.take();
                if self.caught_up.get() {
                    self.subscription.take();
                }
                self.ask_to_follow();
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
        if let Some(action) = relayed.into_action(&self.job_id) {
            self.dispatch
                .apply(TenantAction(self.tenant.clone(), action));
        }
    }

    /// The backlog is read: what other tabs relayed meanwhile applies now,
    /// and a tab that does not follow the job leaves it to the follower.
    fn caught_up(&self) {
        if self.caught_up.replace(true) {
            return;
        }
        for relayed in self.held.take() {
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
            .filter(|_| self.follows.get() && self.caught_up.get())
            .zip(Relayed::of(&action));
        if let Some((channel, relayed)) = relayed {
            let _ = channel.post_message(&relayed.encode(&self.job_id).into());
        }
        self.dispatch
            .apply(TenantAction(self.tenant.clone(), action));
    }
}

impl JobListener for Follower {
    fn lines_after(&self) -> Option<u64> {
        self.dispatch
            .get()
            .tenant(&self.tenant)
            .and_then(|e| e.logs_after(&self.job_id))
    }

    fn lines(&self, lines: Vec<LogLine>) {
        self.apply(Action::LinesReceived {
            job_id: self.job_id.clone(),
            lines,
        });
    }

    fn heard(&self, heard: &Heard) {
        let action = match heard.result {
            Ok(job) if heard.with_lines => Action::StatusReceived(job.clone()),
            Ok(head) => Action::HeadReceived(head.clone()),
            Err(ApiError::JobNotFound) => {
                saved_attempts::expire(&self.tenant, &self.job_id);
                Action::AttemptExpired(self.job_id.clone())
            }
            Err(error) => Action::PollFailed {
                job_id: self.job_id.clone(),
                error: error.clone(),
                retry_at_ms: heard.next_at_ms,
            },
        };
        self.apply(action);
        let first = !self.caught_up.get();
        self.caught_up();
        // Once its backlog is read, a tab that does not hold the lock
        // applies the follower's news instead of asking.
        if first && heard.result.is_ok() && !self.follows.get() {
            self.subscription.take();
        }
    }
}
