//! The job watcher in the browser: one a page (the app hands it down as a
//! context), running the pure [`Schedule`]: it sends what is due, through
//! [`hearing`](super::hearing), tells each answer to the job's subscribers,
//! and sleeps until the next thing is due, an answer comes, a subscriber
//! comes or the tab is shown again. A [`Subscription`] ends when dropped;
//! [`JobWatcher::stop`] ends them all.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use futures::channel::mpsc;
use futures::future::{self, Either};
use futures::StreamExt;
use gloo_events::EventListener;
use gloo_timers::future::TimeoutFuture;

use super::hearing::{hear, listen, StreamListener};
use super::{Ask, Delivery, Interest, Outcome, Schedule, StreamMove, SubscriptionId};
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, Job, LogLine};
use crate::store::stream_policy::StreamEnd;

/// The page's tab is hidden (another tab, a minimised window).
pub fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// An answer, as a subscriber hears it.
pub struct Heard<'a> {
    /// The job (after its lines, when they were asked for), or the trouble.
    pub result: &'a Result<Job, ApiError>,
    /// The request asked for lines (else for the head only).
    pub with_lines: bool,
    /// When the job is asked about next (ms since the epoch), if it is.
    pub next_at_ms: Option<f64>,
}

/// What a subscriber is told.
pub trait JobListener {
    /// A subscriber of lines: the last line it holds (`None`: none yet).
    fn lines_after(&self) -> Option<u64> {
        None
    }
    /// New lines, a slice at a time (subscribers of lines).
    fn lines(&self, _lines: Vec<LogLine>) {}
    /// An answer.
    fn heard(&self, heard: &Heard);
}

struct Subscribed {
    id: SubscriptionId,
    job_id: String,
    interest: Interest,
    listener: Rc<dyn JobListener>,
}

struct Watcher {
    base: ApiBase,
    schedule: RefCell<Schedule>,
    /// (A few at a time: a list costs less code than a map.)
    subscribed: RefCell<Vec<Subscribed>>,
    wake: mpsc::UnboundedSender<()>,
    stopped: Cell<bool>,
    /// The requests on their way and the streams open: aborted when
    /// nobody watches the job any more, or the watcher stops.
    in_flight: RefCell<Vec<InFlight>>,
}

/// A request on its way, or a stream open.
struct InFlight {
    job_id: String,
    /// A stream's number.
    stream: Option<u64>,
    controller: web_sys::AbortController,
}

impl Watcher {
    /// Ends the requests on their way and the streams for `job_id` (all of
    /// them: `None`).
    fn abort(&self, job_id: Option<&str>) {
        self.abort_where(|request| job_id.is_none_or(|id| id == request.job_id));
    }

    /// Closes stream `number`.
    fn close(&self, number: u64) {
        self.abort_where(|request| request.stream == Some(number));
    }

    fn abort_where(&self, which: impl Fn(&InFlight) -> bool) {
        for request in self.in_flight.borrow().iter().filter(|r| which(r)) {
            request.controller.abort();
        }
    }

    /// A new request's abort signal, kept until [`Watcher::landed`].
    fn take_off(&self, job_id: &str, stream: Option<u64>) -> Option<web_sys::AbortController> {
        let controller = web_sys::AbortController::new().ok()?;
        self.in_flight.borrow_mut().push(InFlight {
            job_id: job_id.to_owned(),
            stream,
            controller: controller.clone(),
        });
        Some(controller)
    }

    fn landed(&self, controller: Option<web_sys::AbortController>) {
        if let Some(controller) = controller {
            self.in_flight
                .borrow_mut()
                .retain(|r| r.controller != controller);
        }
    }
}

/// The page's job watcher.
#[derive(Clone)]
pub struct JobWatcher(Rc<Watcher>);

/// A watcher that asks nothing: its subscribers hear nothing.
impl Default for JobWatcher {
    fn default() -> Self {
        let (wake, _) = mpsc::unbounded();
        JobWatcher(Rc::new(Watcher {
            base: ApiBase::default(),
            schedule: RefCell::default(),
            subscribed: RefCell::default(),
            wake,
            stopped: Cell::new(true),
            in_flight: RefCell::default(),
        }))
    }
}

impl PartialEq for JobWatcher {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A subscriber's place; dropped, it leaves.
pub struct Subscription {
    watcher: Weak<Watcher>,
    id: SubscriptionId,
    job_id: String,
}

impl Subscription {
    /// Another tab, on screen, shows what this subscriber shows: the job
    /// keeps a shown job's pace here.
    pub fn shown_elsewhere(&self) {
        if let Some(watcher) = self.watcher.upgrade() {
            let now = js_sys::Date::now();
            watcher.schedule.borrow_mut().shown_elsewhere(self.id, now);
            let _ = watcher.wake.unbounded_send(());
        }
    }

    /// Asks about the job again at `at_ms`, even if it stopped (a token is
    /// back).
    pub fn resume(&self, at_ms: f64) {
        if let Some(watcher) = self.watcher.upgrade() {
            watcher.schedule.borrow_mut().resume(&self.job_id, at_ms);
            let _ = watcher.wake.unbounded_send(());
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(watcher) = self.watcher.upgrade() {
            watcher.schedule.borrow_mut().unsubscribe(self.id);
            watcher.subscribed.borrow_mut().retain(|s| s.id != self.id);
            let watched = watcher
                .subscribed
                .borrow()
                .iter()
                .any(|s| s.job_id == self.job_id);
            if !watched {
                watcher.abort(Some(&self.job_id));
            }
            // Its stream may be nobody's on screen any more.
            let _ = watcher.wake.unbounded_send(());
        }
    }
}

thread_local! {
    /// The watchers a host page's elements share: one per API base, with
    /// how many hold it.
    static SHARED: RefCell<Vec<(ApiBase, JobWatcher, usize)>> = const { RefCell::new(Vec::new()) };
}

/// A hold on a shared watcher ([`JobWatcher::shared`]); the last one to
/// go stops it.
pub struct SharedWatcher(JobWatcher);

impl SharedWatcher {
    pub fn watcher(&self) -> &JobWatcher {
        &self.0
    }
}

impl Drop for SharedWatcher {
    fn drop(&mut self) {
        SHARED.with(|shared| {
            let mut shared = shared.borrow_mut();
            if let Some(at) = shared.iter().position(|(_, w, _)| *w == self.0) {
                shared[at].2 -= 1;
                if shared[at].2 == 0 {
                    shared.remove(at).1.stop();
                }
            }
        });
    }
}

/// One more hold on the shared watcher `found` picks, if there is one.
fn held_where(found: impl Fn(&ApiBase, &JobWatcher) -> bool) -> Option<SharedWatcher> {
    SHARED.with(|shared| {
        let mut shared = shared.borrow_mut();
        let (_, watcher, holds) = shared.iter_mut().find(|(b, w, _)| found(b, w))?;
        *holds += 1;
        Some(SharedWatcher(watcher.clone()))
    })
}

impl JobWatcher {
    /// The page's shared watcher for `base` (started by the first hold,
    /// stopped with the last): what the custom elements of a host page
    /// follow their jobs through.
    pub fn shared(base: ApiBase) -> SharedWatcher {
        held_where(|b, _| *b == base).unwrap_or_else(|| {
            let watcher = JobWatcher::start(base.clone());
            SHARED.with(|shared| shared.borrow_mut().push((base, watcher.clone(), 1)));
            SharedWatcher(watcher)
        })
    }

    /// Another hold on this watcher if it is a shared one (an app's own
    /// watcher runs as long as its app: `None`).
    pub fn hold(&self) -> Option<SharedWatcher> {
        held_where(|_, watcher| watcher == self)
    }

    /// Starts a watcher that asks `base`; it runs until [`JobWatcher::stop`].
    pub fn start(base: ApiBase) -> Self {
        let (wake, wakes) = mpsc::unbounded();
        let watcher = JobWatcher(Rc::new(Watcher {
            base,
            schedule: RefCell::new(Schedule::streaming()),
            subscribed: RefCell::default(),
            wake,
            stopped: Cell::new(false),
            in_flight: RefCell::default(),
        }));
        wasm_bindgen_futures::spawn_local(watcher.clone().run(wakes));
        watcher
    }

    /// Stops it: nothing more is asked, and answers on their way are told
    /// to nobody.
    pub fn stop(&self) {
        self.0.stopped.set(true);
        self.0.subscribed.borrow_mut().clear();
        self.0.abort(None);
        let _ = self.0.wake.unbounded_send(());
    }

    /// `listener` hears `job_id` as `interest` says, until the
    /// subscription is dropped.
    pub fn subscribe(
        &self,
        job_id: &str,
        interest: Interest,
        listener: Rc<dyn JobListener>,
    ) -> Subscription {
        let id = self.0.schedule.borrow_mut().subscribe(job_id, interest);
        self.keep(id, job_id, interest, listener)
    }

    /// As [`JobWatcher::subscribe`], for a listener that has just heard of
    /// the job: asked about at the job's pace, not at once.
    pub fn subscribe_heard(
        &self,
        job_id: &str,
        interest: Interest,
        listener: Rc<dyn JobListener>,
    ) -> Subscription {
        let now = js_sys::Date::now();
        let id = self
            .0
            .schedule
            .borrow_mut()
            .subscribe_heard(job_id, interest, now);
        self.keep(id, job_id, interest, listener)
    }

    fn keep(
        &self,
        id: SubscriptionId,
        job_id: &str,
        interest: Interest,
        listener: Rc<dyn JobListener>,
    ) -> Subscription {
        self.0.subscribed.borrow_mut().push(Subscribed {
            id,
            job_id: job_id.to_owned(),
            interest,
            listener,
        });
        let _ = self.0.wake.unbounded_send(());
        Subscription {
            watcher: Rc::downgrade(&self.0),
            id,
            job_id: job_id.to_owned(),
        }
    }

    /// `listener` hears `job_id` once (its head, or its lines too), even if
    /// nothing keeps the subscription.
    pub fn ask_once(&self, job_id: &str, interest: Interest, listener: Rc<dyn JobListener>) {
        let subscription = self.subscribe(job_id, interest, listener);
        // It ends with its answer (`Delivery::done`).
        std::mem::forget(subscription);
    }

    async fn run(self, mut wakes: mpsc::UnboundedReceiver<()>) {
        let watcher = &self.0;
        let _visibility = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                let wake = watcher.wake.clone();
                EventListener::new(&document, "visibilitychange", move |_| {
                    let _ = wake.unbounded_send(());
                })
            });
        loop {
            if watcher.stopped.get() {
                return;
            }
            let (now, hidden) = (js_sys::Date::now(), tab_hidden());
            let asks = watcher.schedule.borrow_mut().due(now, hidden);
            for ask in asks {
                wasm_bindgen_futures::spawn_local(self.clone().ask(ask));
            }
            let moves = watcher.schedule.borrow_mut().stream_moves(now, hidden);
            for stream in moves {
                match stream {
                    StreamMove::Open { job_id, number } => {
                        wasm_bindgen_futures::spawn_local(self.clone().stream(job_id, number));
                    }
                    StreamMove::Close { number, .. } => watcher.close(number),
                }
            }
            let next = {
                let schedule = watcher.schedule.borrow();
                [
                    schedule.next_due_ms(now, hidden),
                    schedule.next_stream_move_ms(now, hidden),
                ]
                .into_iter()
                .flatten()
                .reduce(f64::min)
            };
            let woken = wakes.next();
            match next {
                Some(at) => {
                    let sleep = TimeoutFuture::new((at - now).clamp(0.0, 1e9) as u32);
                    if let Either::Right(_) = future::select(sleep, woken).await {
                        while wakes.try_recv().is_ok() {}
                    }
                }
                None => {
                    woken.await;
                    while wakes.try_recv().is_ok() {}
                }
            }
        }
    }

    /// The listeners of `job_id` (those that want lines, with `lines`).
    fn listeners_of(&self, job_id: &str, lines: bool) -> Vec<Rc<dyn JobListener>> {
        self.0
            .subscribed
            .borrow()
            .iter()
            .filter(|s| s.job_id == job_id && (!lines || s.interest.lines))
            .map(|s| s.listener.clone())
            .collect()
    }

    /// Hands `lines` to the job's subscribers of lines; `false`: there are none.
    fn tell_lines(&self, job_id: &str, lines: Vec<LogLine>) -> bool {
        let listeners = self.listeners_of(job_id, true);
        for listener in &listeners[..listeners.len().saturating_sub(1)] {
            listener.lines(lines.clone());
        }
        match listeners.last() {
            Some(last) => {
                last.lines(lines);
                true
            }
            None => false,
        }
    }

    /// Where the job's lines go on from (the first subscriber of lines').
    fn lines_after(&self, job_id: &str) -> Option<u64> {
        self.listeners_of(job_id, true)
            .first()
            .and_then(|l| l.lines_after())
    }

    /// Tells `heard` to the subscribers `delivery` names; those it ended leave.
    fn deliver(&self, delivery: &Delivery, heard: &Heard) {
        if self.0.stopped.get() {
            return;
        }
        let listeners: Vec<Rc<dyn JobListener>> = {
            let mut subscribed = self.0.subscribed.borrow_mut();
            let listeners = subscribed
                .iter()
                .filter(|s| delivery.to.contains(&s.id))
                .map(|s| s.listener.clone())
                .collect();
            subscribed.retain(|s| !delivery.done.contains(&s.id));
            listeners
        };
        for listener in listeners {
            listener.heard(heard);
        }
    }

    /// Sends one request and tells its answer.
    async fn ask(self, ask: Ask) {
        let watcher = &self.0;
        if watcher.stopped.get() {
            return;
        }
        let lines_after = ask.lines.then(|| self.lines_after(&ask.job_id));
        let told = |lines: Vec<LogLine>| self.tell_lines(&ask.job_id, lines);
        let request = watcher.take_off(&ask.job_id, None);
        let signal = request.as_ref().map(web_sys::AbortController::signal);
        let result = hear(
            &watcher.base,
            &ask.job_id,
            lines_after,
            told,
            signal.as_ref(),
        )
        .await;
        watcher.landed(request);
        let outcome = match &result {
            Some(Ok(job)) => Outcome::Heard {
                ended: job.status.is_final(),
            },
            Some(Err(error)) => Outcome::Failed(error.clone()),
            // Nobody wanted its lines any more: asked again at the pace of
            // whoever is left.
            None => Outcome::Heard { ended: false },
        };
        let delivery = watcher.schedule.borrow_mut().answered(
            &ask,
            &outcome,
            js_sys::Date::now(),
            tab_hidden(),
            js_sys::Math::random(),
        );
        let _ = watcher.wake.unbounded_send(());
        if let Some(result) = &result {
            let heard = Heard {
                result,
                with_lines: ask.lines,
                next_at_ms: delivery.next_at_ms,
            };
            self.deliver(&delivery, &heard);
        }
    }

    /// Follows stream `number` of `job_id` until it ends or is closed, and
    /// tells the schedule how it ended.
    async fn stream(self, job_id: String, number: u64) {
        let watcher = &self.0;
        if watcher.stopped.get() {
            return;
        }
        let request = watcher.take_off(&job_id, Some(number));
        let signal = request.as_ref().map(web_sys::AbortController::signal);
        let told = StreamTold {
            watcher: &self,
            job_id: &job_id,
            number,
        };
        let after = self.lines_after(&job_id);
        let end = listen(&watcher.base, &job_id, after, &told, signal.as_ref()).await;
        watcher.landed(request);
        // Ended by `done` or closed: the schedule knows, and ignores this.
        // Left by the last subscriber of lines: another may come.
        let end = end.unwrap_or(StreamEnd::Dropped { with_events: true });
        let now = js_sys::Date::now();
        let delivery = watcher.schedule.borrow_mut().stream_ended(
            &job_id,
            number,
            &end,
            now,
            js_sys::Math::random(),
        );
        let _ = watcher.wake.unbounded_send(());
        if let (Some(delivery), StreamEnd::Refused(error)) = (delivery, end) {
            let result = Err(error);
            let heard = Heard {
                result: &result,
                with_lines: true,
                next_at_ms: None,
            };
            self.deliver(&delivery, &heard);
        }
    }
}

/// A stream's news, told to the schedule and the job's subscribers.
struct StreamTold<'a> {
    watcher: &'a JobWatcher,
    job_id: &'a str,
    number: u64,
}

impl StreamListener for StreamTold<'_> {
    fn alive(&self) {
        let now = js_sys::Date::now();
        let schedule = &self.watcher.0.schedule;
        schedule
            .borrow_mut()
            .stream_heard(self.job_id, self.number, now);
    }

    fn lines(&self, lines: Vec<LogLine>) -> bool {
        self.watcher.tell_lines(self.job_id, lines)
    }

    fn head(&self, job: Job, ended: bool) {
        let now = js_sys::Date::now();
        let delivery =
            self.watcher
                .0
                .schedule
                .borrow_mut()
                .stream_event(self.job_id, self.number, ended, now);
        if ended {
            let _ = self.watcher.0.wake.unbounded_send(());
        }
        if let Some(delivery) = delivery {
            let result = Ok(job);
            let heard = Heard {
                result: &result,
                with_lines: true,
                next_at_ms: None,
            };
            self.watcher.deliver(&delivery, &heard);
        }
    }
}

/// Subscriptions kept by job id: a subscriber of several jobs keeps one
/// for each it wants now, and none other (one that stays wanted is kept,
/// so its job is not asked about again because another one left).
#[derive(Default)]
pub struct Subscriptions(RefCell<Vec<Subscription>>);

impl Subscriptions {
    /// Keeps a subscription for each of `wanted` (new ones from
    /// `subscribe`), and drops the others.
    pub fn keep(&self, wanted: &[String], mut subscribe: impl FnMut(&str) -> Subscription) {
        let held = std::mem::take(&mut *self.0.borrow_mut());
        let (kept, dropped): (Vec<_>, Vec<_>) =
            held.into_iter().partition(|s| wanted.contains(&s.job_id));
        drop(dropped);
        *self.0.borrow_mut() = kept;
        for job_id in wanted {
            let held = self.0.borrow().iter().any(|s| s.job_id == *job_id);
            if !held {
                let subscription = subscribe(job_id);
                self.0.borrow_mut().push(subscription);
            }
        }
    }

    /// Each subscription kept.
    pub fn each(&self, act: impl FnMut(&Subscription)) {
        self.0.borrow().iter().for_each(act);
    }

    /// The subscription to `job_id`, if kept.
    pub fn with(&self, job_id: &str, act: impl FnOnce(&Subscription)) {
        if let Some(subscription) = self.0.borrow().iter().find(|s| s.job_id == job_id) {
            act(subscription);
        }
    }

    pub fn clear(&self) {
        let dropped = std::mem::take(&mut *self.0.borrow_mut());
        drop(dropped);
    }
}
