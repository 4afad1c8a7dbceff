//! The batch of "Provision many tenants", run: the pure scheduler
//! (`store::batch`) asked four times a second what to send, its POSTs and
//! head requests sent, their answers fed back, every change kept in
//! localStorage (at most once a second, and when the page is left), and
//! each job remembered among its tenant's attempts (its page shows it).

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::api::client::{get_job_head, provision_store};
use crate::api::endpoints::ApiBase;
use crate::store::batch::{Answer, Batch, Work};
use crate::store::provisioning_actions::new_idempotency_key;
use crate::store::{saved_attempts, saved_batch};

/// How often the scheduler is asked for work.
const TICK_MS: u32 = 250;
/// The batch is written to localStorage at most this often.
const SAVE_EVERY_MS: f64 = 1_000.0;

struct Running {
    batch: RefCell<Option<Batch>>,
    /// Changed since it was last written.
    dirty: Cell<bool>,
    saved_at_ms: Cell<f64>,
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

/// The batch (none yet), and how to change it.
#[derive(Clone)]
pub struct BatchHandle {
    running: Rc<Running>,
    rerender: UseForceUpdateHandle,
}

impl PartialEq for BatchHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.running, &other.running)
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
        self.rerender.force_update();
    }

    /// A new batch for these tenants.
    pub fn start(&self, batch: Batch) {
        self.change(|held| *held = Some(batch));
    }

    pub fn retry_failed(&self) {
        self.change(|held| {
            if let Some(batch) = held {
                batch.retry_failed(|| new_idempotency_key().to_string());
            }
        });
    }
}

/// A new key for a tenant of a batch.
pub fn batch_key() -> String {
    new_idempotency_key().to_string()
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
            dirty: Cell::new(false),
            saved_at_ms: Cell::new(0.0),
        }
    });
    let handle = BatchHandle {
        running: running.clone(),
        rerender,
    };
    {
        let (handle, base) = (handle.clone(), base.clone());
        use_effect_with((), move |_| {
            let ticking = handle.clone();
            let interval = Interval::new(TICK_MS, move || tick(&ticking, &base));
            move || {
                drop(interval);
                if handle.running.dirty.get() {
                    handle.running.save();
                }
            }
        });
    }
    handle
}

/// One look at the batch: what is due is sent.
fn tick(handle: &BatchHandle, base: &ApiBase) {
    let now = js_sys::Date::now();
    let work = match handle.running.batch.borrow_mut().as_mut() {
        Some(batch) => batch.work(now),
        None => return,
    };
    if !work.is_empty() {
        handle.running.dirty.set(true);
        handle.rerender.force_update();
    }
    for item in work {
        let (handle, base) = (handle.clone(), base.clone());
        let Some(request) = request_for(&handle, &item) else {
            continue;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let (index, answer) = send(&base, request).await;
            let mut held = handle.running.batch.borrow_mut();
            if let Some(batch) = held.as_mut() {
                batch.answered(index, answer, js_sys::Date::now(), js_sys::Math::random());
            }
            drop(held);
            handle.running.dirty.set(true);
            handle.rerender.force_update();
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
        tenant: crate::api::TenantId,
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

async fn send(base: &ApiBase, request: Request) -> (usize, Answer) {
    match request {
        Request::Post { index, tenant, key } => {
            let result = provision_store(base, &tenant, &key).await;
            let started = match &result {
                Ok(job) => Some(job.job_id.as_str()),
                Err(crate::api::ApiError::JobInProgress { job_id }) => Some(job_id.as_str()),
                Err(_) => None,
            };
            if let Some(job_id) = started {
                saved_attempts::remember(&tenant, job_id);
            }
            (index, Answer::Posted(result))
        }
        Request::Ask { index, job_id } => (index, Answer::Heard(get_job_head(base, &job_id).await)),
    }
}
