//! The Tenants page's activity (a yewdux store, `store::activity`): each
//! tenant's newest job, read from the attempts kept in this browser when the
//! page opens, learnt from the batch, and asked about (heads only) through
//! the page's job watcher while it runs; nothing is asked once none runs.

use std::rc::Rc;

use yew::prelude::*;
use yewdux::prelude::*;

use super::{use_job_watcher, BatchHandle};
use crate::api::ApiError;
use crate::store::activity::Activity;
use crate::store::job_watcher::shell::{Heard, JobListener, Subscriptions};
use crate::store::job_watcher::{Interest, Pace};
use crate::store::polling_policy::ACTIVITY_POLL_INTERVAL_MS;
use crate::store::saved_attempts;

/// What the list asks of the watcher: heads, every few seconds.
const LISTED: Interest = Interest::heads(Pace::Every(ACTIVITY_POLL_INTERVAL_MS));

/// A listed job, as the watcher tells of it.
struct Listed {
    dispatch: Dispatch<Activity>,
    job_id: String,
}

impl JobListener for Listed {
    fn heard(&self, heard: &Heard) {
        let job_id = &self.job_id;
        self.dispatch.reduce_mut(|activity| match heard.result {
            Ok(head) => activity.heard(head.clone()),
            Err(ApiError::JobNotFound) => activity.expired(job_id),
            Err(_) => activity.unreadable(job_id),
        });
    }
}

#[hook]
pub fn use_activity() -> Rc<Activity> {
    let (activity, dispatch) = use_store::<Activity>();
    let watcher = use_job_watcher();
    // A subscription a job to ask about, kept while it is one.
    let subscriptions = use_memo((), |_| Subscriptions::default());
    {
        let (dispatch, subscriptions) = (dispatch.clone(), subscriptions.clone());
        use_effect_with((), move |_| {
            dispatch.set(Activity::from_attempts(saved_attempts::load_all()));
            move || subscriptions.clear()
        });
    }
    // The batch's jobs as it hears of them (the list does not ask about
    // those).
    let batch = use_context::<BatchHandle>().map(|handle| handle.shared());
    let to_ask = activity.to_ask(batch.as_ref().and_then(|b| b.batch.as_ref()));
    use_effect_with((batch, to_ask), move |(batch, to_ask)| {
        let batch = batch.as_ref().and_then(|b| b.batch.as_ref());
        dispatch.reduce_mut(|activity| activity.learn_from_batch(batch));
        subscriptions.keep(to_ask, |job_id| {
            let listener = Rc::new(Listed {
                dispatch: dispatch.clone(),
                job_id: job_id.to_owned(),
            });
            watcher.subscribe(job_id, LISTED, listener)
        });
    });
    activity
}
