//! The batch of "Provision many tenants", run: one batch per browser,
//! driven by one tab at a time. Every tab asks for the Web Locks API's
//! lock `store-portal.batch.driver`; the tab that holds it drives: the pure
//! scheduler (`store::batch`) asked four times a second what to send, its
//! POSTs and head requests sent, their answers fed back, every change kept
//! in localStorage (at most once a second, and at once after a command),
//! each job made its tenant's newest attempt. The other tabs send no
//! request for it: they show the batch as it is kept (the `storage` event)
//! and hand their commands (Pause, Resume, At once, Retry failed, Clear, a
//! new batch) to the driver through localStorage (`store::batch::command`).
//! When the driver closes or reloads, the browser gives the lock to another
//! tab, which reads the batch kept and goes on. Where the browser has no
//! Web Locks, each tab drives (as one tab alone does).

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yewdux::prelude::*;

use crate::api::client::{get_job_head, on_token_written, provision_store};
use crate::api::endpoints::ApiBase;
use crate::api::TenantId;
use crate::store::batch::command::{Applied, Command, Sent};
use crate::store::batch::{Answer, Batch, Work};
use crate::store::job_poller::tab_hidden;
use crate::store::polling_policy::{follow_as_hidden, SHOWN_EVERY_MS};
use crate::store::provisioning_actions::new_idempotency_key;
use crate::store::tab_lock::TabLock;
use crate::store::{saved_attempts, saved_batch, Action, ProvisioningState, TenantAction};

/// How often the scheduler is asked for work.
const TICK_MS: u32 = 250;
/// The batch is written to localStorage at most this often.
const SAVE_EVERY_MS: f64 = 1_000.0;
/// The lock whose holder drives the batch.
const DRIVER_LOCK: &str = "store-portal.batch.driver";

struct Running {
    batch: RefCell<Option<Batch>>,
    /// Counts changes, so a handle taken after one differs from before.
    version: Cell<u64>,
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
    /// When another tab last said it shows the batch (its `storage` event).
    shown_elsewhere_at_ms: Cell<Option<f64>>,
    /// Still mounted: a lock granted after it is given back at once.
    mounted: Cell<bool>,
    base: ApiBase,
    dispatch: Dispatch<ProvisioningState>,
}

impl Running {
    fn save(&self) {
        match &*self.batch.borrow() {
            Some(batch) => saved_batch::save(batch),
            None => saved_batch::clear(),
        }
        self.dirty.set(false);
        self.saved_at_ms.set(js_sys::Date::now());
    }
}

/// The batch (none yet), and how to change it: handed down as a context
/// from the app, so the batch goes on whichever page is open.
#[derive(Clone)]
pub struct BatchHandle {
    running: Rc<Running>,
    rerender: UseForceUpdateHandle,
    /// The change it was taken after.
    version: u64,
}

impl PartialEq for BatchHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.running, &other.running) && self.version == other.version
    }
}

impl BatchHandle {
    pub fn batch(&self) -> Ref<'_, Option<Batch>> {
        self.running.batch.borrow()
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
        let applied = command.apply(&mut self.running.batch.borrow_mut(), batch_key);
        if applied == Applied::Replaced {
            let generation = &self.running.generation;
            generation.set(generation.get() + 1);
        }
        if applied != Applied::Nothing {
            self.running.save();
            self.changed();
        }
    }

    /// Something changed: whoever shows the batch renders again.
    fn changed(&self) {
        self.running.version.set(self.running.version.get() + 1);
        self.rerender.force_update();
    }

    /// This tab got the lock: it reads the batch as kept (requests another
    /// driver had on their way are unknown: `Batch::resumed`), applies a
    /// command left for the driver, and runs it.
    fn take_over(&self) {
        let running = &self.running;
        running.driving.set(true);
        running.generation.set(running.generation.get() + 1);
        *running.batch.borrow_mut() = saved_batch::load().map(|mut batch| {
            batch.resumed(js_sys::Date::now());
            batch
        });
        self.apply_commands();
        let ticking = self.clone();
        let interval = Interval::new(TICK_MS, move || tick(&ticking));
        *running.ticking.borrow_mut() = Some(interval);
        self.changed();
    }

    /// This tab stops driving (and waiting to): it keeps what it has, and
    /// gives the lock back for another tab to take. At unmount, and when
    /// the page is left (a page kept in the back-forward cache would hold
    /// the lock otherwise).
    fn step_down(&self) {
        let running = &self.running;
        running.lock.take();
        running.ticking.take();
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
            let shown = self.running.batch.borrow();
            let before = |index: usize| {
                shown
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
        *self.running.batch.borrow_mut() = kept;
        self.changed();
    }

    /// Another tab wrote the batch, a command, or said it shows the batch.
    fn on_storage(&self, key: Option<String>) {
        let running = &self.running;
        let driving = running.driving.get();
        if key.as_deref() == Some(saved_batch::SHOWN_KEY) {
            running.shown_elsewhere_at_ms.set(Some(js_sys::Date::now()));
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
                    .batch
                    .borrow()
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
    let rerender = use_force_update();
    let dispatch = use_dispatch::<ProvisioningState>();
    let running = use_memo((), |_| Running {
        batch: RefCell::new(saved_batch::load()),
        version: Cell::new(0),
        generation: Cell::new(0),
        dirty: Cell::new(false),
        saved_at_ms: Cell::new(0.0),
        started: RefCell::default(),
        driving: Cell::new(false),
        ticking: RefCell::default(),
        lock: RefCell::default(),
        shown_elsewhere_at_ms: Cell::default(),
        mounted: Cell::new(true),
        base: base.clone(),
        dispatch,
    });
    let handle = BatchHandle {
        version: running.version.get(),
        running: running.clone(),
        rerender,
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
            let token = on_token_written(move || {
                let running = &signed_in.running;
                let again = running.driving.get()
                    && running
                        .batch
                        .borrow_mut()
                        .as_mut()
                        .is_some_and(|b| b.signed_in_again(js_sys::Date::now()));
                if again {
                    running.save();
                    signed_in.changed();
                }
            });
            // Shown here, driven in a hidden tab: say so, so the driver
            // keeps the pace of a batch on screen.
            let showing = handle.clone();
            let shown = Interval::new(SHOWN_EVERY_MS as u32, move || {
                let running = &showing.running;
                let unfinished = running
                    .batch
                    .borrow()
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

/// One look at the batch: what is due is sent.
fn tick(handle: &BatchHandle) {
    saved_attempts::remember_all(&handle.running.started.take());
    if !handle.running.driving.get() {
        return;
    }
    let now = js_sys::Date::now();
    let work = match handle.running.batch.borrow_mut().as_mut() {
        Some(batch) => batch.work(
            now,
            follow_as_hidden(
                tab_hidden(),
                handle.running.shown_elsewhere_at_ms.get(),
                now,
            ),
        ),
        None => return,
    };
    if !work.is_empty() {
        handle.running.dirty.set(true);
        handle.changed();
    }
    // A POST's going out and its answer are kept at once: a tab that takes
    // over knows which tenants were sent, and which have their job.
    let mut save_now = work.iter().any(|w| matches!(w, Work::Post { .. }));
    let generation = handle.running.generation.get();
    for item in work {
        let handle = handle.clone();
        let Some(request) = request_for(&handle, &item) else {
            continue;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let (index, answer) = send(&handle, request).await;
            // Another batch since, or this tab no longer drives (the next
            // driver sends it again, with its key).
            if handle.running.generation.get() != generation || !handle.running.driving.get() {
                return;
            }
            let posted = matches!(answer, Answer::Posted(_));
            let mut held = handle.running.batch.borrow_mut();
            if let Some(batch) = held.as_mut() {
                batch.answered(index, answer, js_sys::Date::now(), js_sys::Math::random());
            }
            drop(held);
            handle.running.dirty.set(true);
            if posted {
                handle.running.save();
            }
            handle.changed();
            // An ended job frees its slot now, not at the next tick.
            tick(&handle);
        });
    }
    save_now |= now - handle.running.saved_at_ms.get() >= SAVE_EVERY_MS;
    if handle.running.dirty.get() && save_now {
        handle.running.save();
    }
}

/// A request to send, with what it needs from the batch.
enum Request {
    Post {
        index: usize,
        tenant: TenantId,
        key: String,
    },
    Ask {
        index: usize,
        job_id: String,
    },
}

fn request_for(handle: &BatchHandle, work: &Work) -> Option<Request> {
    let held = handle.running.batch.borrow();
    let batch = held.as_ref()?;
    Some(match work {
        Work::Post { index } => {
            let row = batch.tenants.get(*index)?;
            Request::Post {
                index: *index,
                tenant: row.tenant.clone(),
                key: row.key.clone(),
            }
        }
        Work::Ask { index, job_id } => Request::Ask {
            index: *index,
            job_id: job_id.clone(),
        },
    })
}

async fn send(handle: &BatchHandle, request: Request) -> (usize, Answer) {
    let (base, dispatch) = (&handle.running.base, &handle.running.dispatch);
    match request {
        Request::Post { index, tenant, key } => {
            let result = provision_store(base, &tenant, &key).await;
            let started = match &result {
                Ok(job) => Some(job.job_id.as_str()),
                Err(crate::api::ApiError::JobInProgress { job_id }) => Some(job_id.as_str()),
                Err(_) => None,
            };
            // The job is the tenant's newest attempt: its page (open now
            // or later) follows it.
            if let Some(job_id) = started {
                let job_id = job_id.to_owned();
                handle
                    .running
                    .started
                    .borrow_mut()
                    .push((tenant.clone(), job_id.clone()));
                dispatch.apply(TenantAction(tenant.clone(), Action::Attach { job_id }));
            }
            (index, Answer::Posted(result))
        }
        Request::Ask { index, job_id } => (index, Answer::Heard(get_job_head(base, &job_id).await)),
    }
}
