//! The batch of "Provision many tenants", run: one batch per browser,
//! driven by one tab at a time, shown through a yewdux store
//! ([`BatchState`]). Every tab asks for the Web Locks API's lock
//! `store-portal.batch.driver`; the tab that holds it drives: the pure
//! scheduler (`store::batch`) asked four times a second what to send, its
//! POSTs sent, its running jobs followed through the page's job watcher,
//! the answers fed back, every change kept in localStorage (at most once a
//! second, and at once after a command), each job made its tenant's newest
//! attempt. The other tabs send no
//! request for it: they show the batch as it is kept (the `storage` event)
//! and hand their commands (Pause, Resume, At once, Retry failed, Clear, a
//! new batch) to the driver through localStorage (`store::batch::command`).
//! When the driver closes or reloads, the browser gives the lock to another
//! tab, which reads the batch kept and goes on. Where the browser has no
//! Web Locks, each tab drives (as one tab alone does).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yewdux::prelude::*;

use super::use_job_watcher;
use crate::api::client::{on_token_written, provision_store};
use crate::api::endpoints::ApiBase;
use crate::api::{ApiError, TenantId};
use crate::store::batch::command::{Applied, Command, Sent};
use crate::store::batch::{Answer, Batch, BatchState, FOLLOW_EVERY_MS};
use crate::store::job_watcher::shell::{
    tab_hidden, Heard, JobListener, JobWatcher, Subscription, Subscriptions,
};
use crate::store::job_watcher::{Interest, Pace};
use crate::store::polling_policy::SHOWN_EVERY_MS;
use crate::store::provisioning_actions::new_idempotency_key;
use crate::store::tab_lock::TabLock;
use crate::store::{saved_attempts, saved_batch, Action, ProvisioningState, TenantAction};

/// How often the scheduler is asked for work.
const TICK_MS: u32 = 250;
/// The batch is written to localStorage at most this often.
const SAVE_EVERY_MS: f64 = 1_000.0;
/// The lock whose holder drives the batch.
const DRIVER_LOCK: &str = "store-portal.batch.driver";

/// What the batch asks of the watcher about each running job.
const FOLLOWED: Interest = Interest::heads(Pace::Every(FOLLOW_EVERY_MS));

/// The tab's part in running the batch (what it shows is the store's).
struct Running {
    store: Dispatch<BatchState>,
    /// Counts batches: an answer to a batch since replaced or cleared is
    /// dropped (its row numbers mean other tenants now).
    generation: Cell<u64>,
    /// Changed since it was last written.
    dirty: Cell<bool>,
    saved_at_ms: Cell<f64>,
    /// Jobs started since the last tick, to remember as their tenants'
    /// newest attempts (one write of that entry a tick, not one a job).
    started: RefCell<Vec<(TenantId, String)>>,
    /// This tab drives the batch (it holds the lock).
    driving: Cell<bool>,
    /// The driver's clock.
    ticking: RefCell<Option<Interval>>,
    /// The driver's lock, asked for or held.
    lock: RefCell<Option<TabLock>>,
    /// The running jobs it follows (the driver only).
    followed: Subscriptions,
    /// Still mounted: a lock granted after it is given back at once.
    mounted: Cell<bool>,
    base: ApiBase,
    watcher: JobWatcher,
    dispatch: Dispatch<ProvisioningState>,
}

impl Running {
    fn save(&self) {
        match &self.store.get().batch {
            Some(batch) => saved_batch::save(batch),
            None => saved_batch::clear(),
        }
        self.dirty.set(false);
        self.saved_at_ms.set(js_sys::Date::now());
    }

    /// Changes the batch this tab shows (whoever shows it renders again).
    fn update<R>(&self, change: impl FnOnce(&mut Option<Batch>) -> R) -> R {
        self.store.reduce_mut(|state| change(&mut state.batch))
    }
}

/// The batch (none yet), and how to change it: handed down as a context
/// from the app, so the batch goes on whichever page is open.
#[derive(Clone)]
pub struct BatchHandle {
    running: Rc<Running>,
    /// The batch as shown.
    shown: Rc<BatchState>,
}

impl PartialEq for BatchHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.running, &other.running) && Rc::ptr_eq(&self.shown, &other.shown)
    }
}

impl BatchHandle {
    pub fn batch(&self) -> &Option<Batch> {
        &self.shown.batch
    }

    /// The batch as shown, to keep.
    pub fn shared(&self) -> Rc<BatchState> {
        self.shown.clone()
    }

    /// A reader's command: applied here when this tab drives, else handed
    /// to the tab that does (this one shows the result when it is kept).
    pub fn command(&self, command: Command) {
        if self.running.driving.get() {
            self.apply(command);
        } else {
            saved_batch::send_command(&Sent {
                id: batch_key(),
                at_ms: js_sys::Date::now() as u64,
                command,
            });
        }
    }

    /// Applies a command to the batch this tab drives, then renders and
    /// keeps it.
    fn apply(&self, command: Command) {
        let applied = self.running.update(|batch| command.apply(batch, batch_key));
        if applied == Applied::Replaced {
            let generation = &self.running.generation;
            generation.set(generation.get() + 1);
        }
        if applied != Applied::Nothing {
            self.running.save();
            self.follow(false);
        }
    }

    /// The driver follows each running job through the page's job watcher
    /// (and none once it no longer drives): a job its POST's answer just
    /// described at the pace, the others (`fresh`: all of them) at once.
    fn follow(&self, fresh: bool) {
        let running = &self.running;
        let shown = running.store.get();
        let jobs = match (&shown.batch, running.driving.get()) {
            (Some(batch), true) => batch.followed_jobs(),
            _ => Vec::new(),
        };
        let heard = |job_id: &str| {
            shown
                .batch
                .iter()
                .flat_map(|b| &b.tenants)
                .any(|row| row.job_id.as_deref() == Some(job_id) && row.heard_at_ms.is_some())
        };
        running.followed.keep(&jobs, |job_id| {
            let listener = Rc::new(FollowedJob {
                handle: self.clone(),
                job_id: job_id.to_owned(),
                generation: running.generation.get(),
            });
            if !fresh && heard(job_id) {
                running.watcher.subscribe_heard(job_id, FOLLOWED, listener)
            } else {
                running.watcher.subscribe(job_id, FOLLOWED, listener)
            }
        });
    }

    /// This tab got the lock: it reads the batch as kept (requests another
    /// driver had on their way are unknown: `Batch::resumed`), applies a
    /// command left for the driver, and runs it.
    fn take_over(&self) {
        let running = &self.running;
        running.driving.set(true);
        running.generation.set(running.generation.get() + 1);
        let kept = saved_batch::load().map(|mut batch| {
            batch.resumed(js_sys::Date::now());
            batch
        });
        running.update(|batch| *batch = kept);
        self.apply_commands();
        self.follow(true);
        let ticking = self.clone();
        let interval = Interval::new(TICK_MS, move || tick(&ticking));
        *running.ticking.borrow_mut() = Some(interval);
    }

    /// This tab stops driving (and waiting to): it keeps what it has, and
    /// gives the lock back for another tab to take. At unmount, and when
    /// the page is left (a page kept in the back-forward cache would hold
    /// the lock otherwise).
    fn step_down(&self) {
        let running = &self.running;
        running.lock.take();
        running.ticking.take();
        running.followed.clear();
        if running.driving.replace(false) {
            saved_attempts::remember_all(&running.started.take());
            if running.dirty.get() {
                running.save();
            }
        }
    }

    /// The commands other tabs left for the driver, oldest first.
    fn apply_commands(&self) {
        for sent in saved_batch::take_commands(js_sys::Date::now() as u64) {
            self.apply(sent.command);
        }
    }

    /// Shows the batch as kept (a tab that does not drive it); the jobs it
    /// started since become their tenants' newest attempts here too.
    fn show_as_kept(&self) {
        let kept = saved_batch::load();
        let started: Vec<(TenantId, String)> = {
            let shown = self.running.store.get();
            let before = |index: usize| {
                shown
                    .batch
                    .as_ref()
                    .and_then(|b| b.tenants.get(index))
                    .and_then(|row| row.job_id.as_deref())
            };
            kept.iter()
                .flat_map(|b| b.tenants.iter().enumerate())
                .filter_map(|(index, row)| {
                    let job_id = row.job_id.as_deref()?;
                    (before(index) != Some(job_id)).then(|| (row.tenant.clone(), job_id.to_owned()))
                })
                .collect()
        };
        for (tenant, job_id) in started {
            self.running
                .dispatch
                .apply(TenantAction(tenant, Action::Attach { job_id }));
        }
        self.running.update(|batch| *batch = kept);
    }

    /// Another tab wrote the batch, a command, or said it shows the batch.
    fn on_storage(&self, key: Option<String>) {
        let running = &self.running;
        let driving = running.driving.get();
        if key.as_deref() == Some(saved_batch::SHOWN_KEY) {
            // The driver, hidden, keeps the pace of a batch on screen.
            running.followed.each(Subscription::shown_elsewhere);
        }
        match key.as_deref() {
            // Every key cleared: the driver keeps the batch again at once;
            // the others show what is kept.
            None if driving => running.save(),
            None => self.show_as_kept(),
            Some(saved_batch::KEY) if !driving => self.show_as_kept(),
            Some(key) if driving && key.starts_with(saved_batch::COMMAND_PREFIX) => {
                self.apply_commands()
            }
            // A tab on screen shows the batch while this one, hidden,
            // drives it: a hidden tab's timers are slowed (to once a
            // minute, in time), so the driving moves to that tab, unless a
            // POST is on its way (it would be sent again).
            Some(saved_batch::SHOWN_KEY) if driving && tab_hidden() => {
                let sending = running
                    .store
                    .get()
                    .batch
                    .as_ref()
                    .is_some_and(Batch::is_sending);
                if !sending {
                    self.step_down();
                    ask_to_drive(self);
                }
            }
            _ => {}
        }
    }
}

/// A new key for a tenant of a batch.
pub fn batch_key() -> String {
    new_idempotency_key().to_string()
}

/// Hands the batch down to every page, and runs it while the app is open.
#[function_component]
pub fn BatchRunner(props: &yew::html::ChildrenProps) -> Html {
    let base = use_context::<ApiBase>().unwrap_or_default();
    let handle = use_batch(&base);
    html! {
        <ContextProvider<BatchHandle> context={handle}>
            { props.children.clone() }
        </ContextProvider<BatchHandle>>
    }
}

/// Shows the batch kept in this browser while the component is mounted,
/// and drives it while this tab holds the lock.
#[hook]
pub fn use_batch(base: &ApiBase) -> BatchHandle {
    let (shown, store) = use_store::<BatchState>();
    let dispatch = use_dispatch::<ProvisioningState>();
    let watcher = use_job_watcher();
    let running = use_memo((), |_| Running {
        store,
        generation: Cell::new(0),
        dirty: Cell::new(false),
        saved_at_ms: Cell::new(0.0),
        started: RefCell::default(),
        driving: Cell::new(false),
        ticking: RefCell::default(),
        lock: RefCell::default(),
        followed: Subscriptions::default(),
        mounted: Cell::new(true),
        base: base.clone(),
        watcher,
        dispatch,
    });
    let handle = BatchHandle {
        running: running.clone(),
        shown,
    };
    {
        let handle = handle.clone();
        use_effect_with((), move |_| {
            let listening = handle.clone();
            let storage = web_sys::window().map(|window| {
                EventListener::new(&window, "storage", move |event| {
                    let key = event
                        .dyn_ref::<web_sys::StorageEvent>()
                        .and_then(web_sys::StorageEvent::key);
                    listening.on_storage(key);
                })
            });
            // Signed out, the batch waits; a token written by the portal
            // (in another tab) lets the driver go on.
            let signed_in = handle.clone();
            let token = on_token_written(move || signed_in.signed_in_again());
            // Shown here, driven in a hidden tab: say so, so the driver
            // keeps the pace of a batch on screen.
            let showing = handle.clone();
            let shown = Interval::new(SHOWN_EVERY_MS as u32, move || {
                let running = &showing.running;
                let unfinished = running
                    .store
                    .get()
                    .batch
                    .as_ref()
                    .is_some_and(|b| !b.is_finished());
                if !running.driving.get() && !tab_hidden() && unfinished {
                    saved_batch::say_shown(js_sys::Date::now());
                }
            });
            // Leaving the page gives the lock back; coming back to it (from
            // the back-forward cache) shows the batch as kept now and asks
            // again.
            let (leaving, back) = (handle.clone(), handle.clone());
            let page = web_sys::window().map(|window| {
                (
                    EventListener::new(&window, "pagehide", move |_| leaving.step_down()),
                    EventListener::new(&window, "pageshow", move |_| {
                        let running = &back.running;
                        if running.lock.borrow().is_none() && !running.driving.get() {
                            back.show_as_kept();
                            ask_to_drive(&back);
                        }
                    }),
                )
            });
            ask_to_drive(&handle);
            move || {
                drop((storage, token, shown, page));
                handle.running.mounted.set(false);
                handle.step_down();
            }
        });
    }
    handle
}

/// Asks for the driver's lock: once granted (at once, or when the tab that
/// held it closes or is left), this tab drives until it steps down.
fn ask_to_drive(handle: &BatchHandle) {
    let granted_to = handle.clone();
    let lock = TabLock::request(DRIVER_LOCK, move || {
        if granted_to.running.mounted.get() {
            granted_to.take_over();
        }
    });
    *handle.running.lock.borrow_mut() = Some(lock);
}

/// One look at the batch: the POSTs due are sent.
fn tick(handle: &BatchHandle) {
    let running = &handle.running;
    saved_attempts::remember_all(&running.started.take());
    if !running.driving.get() {
        return;
    }
    let now = js_sys::Date::now();
    let sends: Vec<(usize, TenantId, String)> = running.update(|batch| {
        let Some(batch) = batch.as_mut() else {
            return Vec::new();
        };
        let due = batch.sends_due(now);
        due.into_iter()
            .filter_map(|index| {
                let row = batch.tenants.get(index)?;
                Some((index, row.tenant.clone(), row.key.clone()))
            })
            .collect()
    });
    // A POST's going out and its answer are kept at once: a tab that takes
    // over knows which tenants were sent, and which have their job.
    if !sends.is_empty() {
        running.save();
    }
    let generation = running.generation.get();
    for (index, tenant, key) in sends {
        let handle = handle.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = send(&handle, tenant, key).await;
            handle.answered(generation, index, Answer::Posted(answer));
        });
    }
    if running.dirty.get() && now - running.saved_at_ms.get() >= SAVE_EVERY_MS {
        running.save();
    }
}

impl BatchHandle {
    /// An answer about tenant `index` of the batch of `generation`.
    fn answered(&self, generation: u64, index: usize, answer: Answer) {
        let running = &self.running;
        // Another batch since, or this tab no longer drives (the next
        // driver sends a POST again, with its key).
        if running.generation.get() != generation || !running.driving.get() {
            return;
        }
        let posted = matches!(answer, Answer::Posted(_));
        running.update(|batch| {
            if let Some(batch) = batch.as_mut() {
                batch.answered(index, answer, js_sys::Date::now(), js_sys::Math::random());
            }
        });
        running.dirty.set(true);
        // A POST's answer is kept at once, before its job is remembered as
        // the tenant's newest attempt (next tick): a tab that reads both
        // finds the job in the batch.
        if posted {
            running.save();
        }
        self.follow(false);
        // An ended job frees its slot now, not at the next tick.
        tick(self);
    }

    /// A token is back: the driver goes on, and asks about its running
    /// jobs now.
    fn signed_in_again(&self) {
        let running = &self.running;
        if !running.driving.get()
            || !running.update(|b| b.as_mut().is_some_and(Batch::signed_in_again))
        {
            return;
        }
        running.save();
        let now = js_sys::Date::now();
        running
            .followed
            .each(|subscription| subscription.resume(now));
    }
}

/// A running job of the batch, as the watcher tells of it.
struct FollowedJob {
    handle: BatchHandle,
    job_id: String,
    generation: u64,
}

impl JobListener for FollowedJob {
    fn heard(&self, heard: &Heard) {
        let running = &self.handle.running;
        let index = running.store.get().batch.as_ref().and_then(|batch| {
            batch
                .tenants
                .iter()
                .position(|row| row.job_id.as_deref() == Some(self.job_id.as_str()))
        });
        let Some(index) = index else { return };
        // Signed out or refused, the watcher stops asking; the batch looks
        // again at its pace (an answer proves a token works again).
        let refused = matches!(heard.result, Err(e) if *e != ApiError::JobNotFound);
        if refused && heard.next_at_ms.is_none() {
            let again = js_sys::Date::now() + f64::from(FOLLOW_EVERY_MS);
            running
                .followed
                .with(&self.job_id, |subscription| subscription.resume(again));
        }
        let answer = Answer::Heard(heard.result.clone());
        self.handle.answered(self.generation, index, answer);
    }
}

/// Sends tenant's POST with its key; the job it started (or found running)
/// becomes the tenant's newest attempt.
async fn send(
    handle: &BatchHandle,
    tenant: TenantId,
    key: String,
) -> Result<crate::api::Job, ApiError> {
    let (base, dispatch) = (&handle.running.base, &handle.running.dispatch);
    let result = provision_store(base, &tenant, &key).await;
    let started = match &result {
        Ok(job) => Some(job.job_id.as_str()),
        Err(ApiError::JobInProgress { job_id }) => Some(job_id.as_str()),
        Err(_) => None,
    };
    // Its page (open now or later) follows it.
    if let Some(job_id) = started {
        let job_id = job_id.to_owned();
        handle
            .running
            .started
            .borrow_mut()
            .push((tenant.clone(), job_id.clone()));
        dispatch.apply(TenantAction(tenant, Action::Attach { job_id }));
    }
    result
}

impl Store for BatchState {
    /// The batch kept in this browser, shown from the first render.
    fn new(_: &yewdux::Context) -> Self {
        BatchState {
            batch: saved_batch::load(),
        }
    }

    fn should_notify(&self, old: &Self) -> bool {
        self != old
    }
}
