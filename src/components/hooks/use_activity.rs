//! The Tenants page's activity: each tenant's newest job, asked about once
//! (heads only), then every few seconds while it runs; nothing is asked
//! once none runs, and nothing the batch follows. Decided by
//! `store::activity`.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use yew::prelude::*;

use crate::api::client::get_job_head;
use crate::api::endpoints::ApiBase;
use crate::api::ApiError;
use crate::store::activity::Activity;
use crate::store::job_poller::tab_hidden;
use crate::store::polling_policy::activity_wait_ms;
use crate::store::saved_attempts;

use super::BatchHandle;

#[hook]
pub fn use_activity(base: &ApiBase) -> Activity {
    let activity = use_mut_ref(|| Activity::from_attempts(saved_attempts::load_all()));
    let update = use_force_update();
    // The batch's jobs as it hears of them (this renders again with each).
    let batch = use_context::<BatchHandle>();
    match &batch {
        Some(handle) => activity
            .borrow_mut()
            .learn_from_batch(handle.batch().as_ref()),
        None => activity.borrow_mut().learn_from_batch(None),
    }
    let live = activity.borrow().is_live();
    {
        let (activity, base) = (activity.clone(), base.clone());
        // (Again once a job here is to be asked about after none was.)
        use_effect_with(live, move |_| {
            let stopped = Rc::new(Cell::new(false));
            let stop = stopped.clone();
            wasm_bindgen_futures::spawn_local(async move {
                loop {
                    let ask = activity.borrow().to_ask();
                    if ask.is_empty() || stopped.get() {
                        return;
                    }
                    // One at a time: a few light requests.
                    let mut heard = Vec::with_capacity(ask.len());
                    for id in &ask {
                        heard.push(get_job_head(&base, id).await);
                    }
                    if stopped.get() {
                        return;
                    }
                    {
                        let mut activity = activity.borrow_mut();
                        for (id, answer) in ask.iter().zip(heard) {
                            match answer {
                                Ok(head) => activity.heard(head),
                                Err(ApiError::JobNotFound) => activity.expired(id),
                                Err(_) => activity.unreadable(id),
                            }
                        }
                    }
                    update.force_update();
                    TimeoutFuture::new(activity_wait_ms(tab_hidden())).await;
                }
            });
            move || stop.set(true)
        });
    }
    let shown = activity.borrow().clone();
    shown
}
