//! The batch of "Provision many tenants", run: the pure scheduler
//! (`store::batch`) asked four times a second what to send, its POSTs and
//! head requests sent, their answers fed back, every change kept in
//! localStorage (at most once a second, and when the page is left), and
//! each job made its tenant's newest attempt (kept in this browser, and
//! followed by its page when that is open).

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;
use yewdux::prelude::*;

use crate::api::client::{get_job_head, provision_store};
use crate::api::endpoints::ApiBase;
use crate::api::TenantId;
use crate::store::batch::{Answer, Batch, Work};
use crate::store::job_poller::tab_hidden;
use crate::store::provisioning_actions::new_idempotency_key;
use crate::store::{saved_attempts, saved_batch, Action, ProvisioningState, TenantAction};

/// How often the scheduler is asked for work.
const TICK_MS: u32 = 250;
/// The batch is written to localStorage at most this often.
const SAVE_EVERY_MS: f64 = 1_000.0;

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

    /// Changes the batch (or replaces it), then renders and keeps it.
    pub fn change(&self, change: impl FnOnce(&mut Option<Batch>)) {
        change(&mut self.running.batch.borrow_mut());
        self.running.save();
        self.changed();
    }

    /// Something changed: whoever shows the batch renders again.
    fn changed(&self) {
        self.running.version.set(self.running.version.get() + 1);
        self.rerender.force_update();
    }

    /// A new batch for these tenants, or none (`None`: cleared).
    pub fn replace(&self, batch: Option<Batch>) {
        let generation = &self.running.generation;
        generation.set(generation.get() + 1);
        self.change(|held| *held = batch);
    }

    pub fn retry_failed(&self) {
        self.change(|held| {
            if let Some(batch) = held {
                batch.retry_failed(batch_key);
            }
        });
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

/// Runs the batch kept in this browser while the component is mounted.
#[hook]
pub fn use_batch(base: &ApiBase) -> BatchHandle {
    let rerender = use_force_update();
    let running = use_memo((), |_| {
        let batch = saved_batch::load().map(|mut batch| {
            batch.resumed(js_sys::Date::now());
            batch
        });
        Running {
            batch: RefCell::new(batch),
            version: Cell::new(0),
            generation: Cell::new(0),
            dirty: Cell::new(false),
            saved_at_ms: Cell::new(0.0),
            started: RefCell::default(),
        }
    });
    let handle = BatchHandle {
        version: running.version.get(),
        running: running.clone(),
        rerender,
    };
    {
        let (handle, base) = (handle.clone(), base.clone());
        let dispatch = use_dispatch::<ProvisioningState>();
        use_effect_with((), move |_| {
            let ticking = handle.clone();
            let interval = Interval::new(TICK_MS, move || tick(&ticking, &base, &dispatch));
            move || {
                drop(interval);
                saved_attempts::remember_all(&handle.running.started.take());
                if handle.running.dirty.get() {
                    handle.running.save();
                }
            }
        });
    }
    handle
}

/// One look at the batch: what is due is sent.
fn tick(handle: &BatchHandle, base: &ApiBase, dispatch: &Dispatch<ProvisioningState>) {
    saved_attempts::remember_all(&handle.running.started.take());
    let now = js_sys::Date::now();
    let work = match handle.running.batch.borrow_mut().as_mut() {
        Some(batch) => batch.work(now, tab_hidden()),
        None => return,
    };
    if !work.is_empty() {
        handle.running.dirty.set(true);
        handle.changed();
    }
    let generation = handle.running.generation.get();
    for item in work {
        let (handle, base, dispatch) = (handle.clone(), base.clone(), dispatch.clone());
        let Some(request) = request_for(&handle, &item) else {
            continue;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let (index, answer) = send(&handle, &base, &dispatch, request).await;
            if handle.running.generation.get() != generation {
                return;
            }
            let mut held = handle.running.batch.borrow_mut();
            if let Some(batch) = held.as_mut() {
                batch.answered(index, answer, js_sys::Date::now(), js_sys::Math::random());
            }
            drop(held);
            handle.running.dirty.set(true);
            handle.changed();
            // An ended job frees its slot now, not at the next tick.
            tick(&handle, &base, &dispatch);
        });
    }
    if handle.running.dirty.get() && now - handle.running.saved_at_ms.get() >= SAVE_EVERY_MS {
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

async fn send(
    handle: &BatchHandle,
    base: &ApiBase,
    dispatch: &Dispatch<ProvisioningState>,
    request: Request,
) -> (usize, Answer) {
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
