//! The provisioning store: per tenant, the "Provision Store" request
//! ([`start_request`]), its attempts newest first ([`attempt`]; the newest is
//! the job followed), each a [`JobState`] once read ([`job_state`]), and
//! trouble polling. Every change is a pure [`Action`] applied by
//! [`ProvisioningState::apply`], tested natively; components read it
//! through yewdux selectors and change it by dispatching a [`TenantAction`].

pub mod attempt;
pub mod job_state;
pub mod start_request;

use std::collections::HashMap;
use std::rc::Rc;

use yewdux::Store;

pub use attempt::{Attempt, AttemptHead, Attempts};
pub use job_state::JobState;
pub use start_request::{ProvisionRetry, RequestStatus, StartEvent, StartRequest};

use crate::api::{ApiError, Job, LogLine, TenantId};
use crate::store::saved_attempts::SavedAttempt;

/// Polling ran into trouble.
#[derive(Debug, Clone, PartialEq)]
pub struct PollTrouble {
    pub error: ApiError,
    /// When the next attempt is due (ms since the epoch); `None`: polling
    /// stopped until the user acts.
    pub retry_at_ms: Option<f64>,
}

/// Why what is shown of a job is as last heard of, not live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frozen {
    /// The service no longer knows the job (404 `job_not_found`).
    Expired,
    /// The user is signed out: the job's state is unknown until a token is back.
    SignedOut,
}

/// Everything the portal holds about one tenant's provisioning.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TenantProvisioning {
    /// The "Provision Store" request.
    pub start: StartRequest,
    /// Every attempt known, newest first.
    pub attempts: Attempts,
    /// Trouble polling the followed job.
    pub trouble: Option<PollTrouble>,
    /// The earlier attempt on screen, chosen in "Attempt"; `None`: the newest.
    pub viewing: Option<Rc<str>>,
}

impl TenantProvisioning {
    /// The job followed: the newest attempt, unless the service lost it.
    pub fn job(&self) -> Option<&JobState> {
        self.attempts.followed().and_then(|a| a.job.as_ref())
    }

    /// "Provision Store" is unavailable: a request is in flight, or a job
    /// runs (or may run: not heard of yet).
    pub fn is_busy(&self) -> bool {
        self.start.is_loading() || self.job().is_some_and(|job| !job.is_final())
    }

    /// The job's status should be polled: it may still change and nothing
    /// stopped polling for good.
    pub fn wants_polling(&self) -> bool {
        let running = self.job().is_some_and(|job| !job.is_final());
        let stopped = self
            .trouble
            .as_ref()
            .is_some_and(|t| t.retry_at_ms.is_none());
        running && !stopped
    }

    /// `logsAfter` for the next poll of `job_id`.
    pub fn logs_after(&self, job_id: &str) -> Option<u64> {
        self.job_with(job_id).and_then(|job| job.logs.last_seq())
    }

    /// An attempt's job, when read on this page (or followed).
    pub fn job_with(&self, job_id: &str) -> Option<&JobState> {
        self.attempts.get(job_id)?.job.as_ref()
    }

    /// The attempt on screen: the one chosen in "Attempt", else the newest
    /// (one the service forgot while shown stays, with what was shown).
    pub fn shown(&self) -> Option<&Attempt> {
        match &self.viewing {
            Some(id) => self.attempts.get(id),
            None => self.attempts.newest(),
        }
    }

    /// The job on screen.
    pub fn shown_job(&self) -> Option<&JobState> {
        self.shown().and_then(|a| a.job.as_ref())
    }

    /// The attempt on screen is one the service no longer keeps.
    pub fn shown_is_expired(&self) -> bool {
        self.shown().is_some_and(|a| a.head.expired)
    }

    /// What is shown of the job on screen is as last heard of, not live:
    /// the service forgot it, or the user is signed out while it ran.
    pub fn shown_frozen(&self) -> Option<Frozen> {
        if self.shown_is_expired() {
            return Some(Frozen::Expired);
        }
        let followed_shown = self.viewing.is_none() && self.job().is_some_and(|j| !j.is_final());
        let signed_out = self
            .trouble
            .as_ref()
            .is_some_and(|t| t.error == ApiError::NotSignedIn);
        (followed_shown && signed_out).then_some(Frozen::SignedOut)
    }

    /// Polling stopped because the user is signed out: a new token resumes it.
    pub fn waits_for_sign_in(&self) -> bool {
        self.trouble
            .as_ref()
            .is_some_and(|t| t.error == ApiError::NotSignedIn && t.retry_at_ms.is_none())
    }

    /// The earlier attempt on screen whose log is still to be read.
    pub fn attempt_to_read(&self) -> Option<Rc<str>> {
        let attempt = self.attempts.get(self.viewing.as_deref()?)?;
        let unread = attempt.job.as_ref().is_some_and(|job| !job.is_final());
        (unread && !attempt.head.expired).then(|| attempt.head.job_id.clone())
    }

    /// The attempt before the one on screen (for "New in this attempt"):
    /// its number (1 for the first) and its job, when read on this page.
    pub fn previous_of_shown(&self) -> Option<(usize, Option<&JobState>)> {
        let shown = self.shown_job()?;
        let (number, previous) = self.attempts.number_and_previous(&shown.job_id)?;
        Some((number - 1, previous?.job.as_ref()))
    }

    /// `job_id` is the job to follow: the newest attempt, on screen. An
    /// attempt it replaces keeps its log.
    fn follow(&mut self, job_id: &str) -> &mut Attempt {
        self.viewing = None;
        let attempt = self.attempts.follow(job_id);
        attempt.job.get_or_insert_with(|| JobState::new(job_id));
        attempt
    }

    fn is_followed(&self, job_id: &str) -> bool {
        self.attempts
            .followed()
            .is_some_and(|a| a.job.is_some() && a.job_id() == job_id)
    }

    fn job_mut(&mut self, job_id: &str) -> Option<&mut JobState> {
        self.attempts.get_mut(job_id)?.job.as_mut()
    }
}

/// All tenants' provisioning, keyed by tenant id.
#[derive(Debug, Clone, PartialEq, Default, Store)]
pub struct ProvisioningState {
    pub tenants: HashMap<TenantId, TenantProvisioning>,
}

/// What can happen to a tenant's provisioning.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A job id from an earlier visit to follow.
    Attach { job_id: String },
    /// The "Provision Store" request was pressed, retried or cancelled.
    Start(StartEvent),
    /// The POST started this job.
    ProvisionSucceeded(Job),
    /// The POST failed for good (a 409 names the job to follow instead).
    ProvisionFailed(ApiError),
    /// A slice of a poll's log lines for `job_id`; its job follows as
    /// `StatusReceived` once every slice is in.
    LinesReceived { job_id: String, lines: Vec<LogLine> },
    /// A poll answered about `job.job_id`.
    StatusReceived(Job),
    /// A poll that asked for no line (the tab is hidden) answered: its
    /// status and progress, unless it ended (the poll that fetches its last
    /// lines says so).
    HeadReceived(Job),
    /// A poll of `job_id` failed.
    PollFailed {
        job_id: String,
        error: ApiError,
        retry_at_ms: Option<f64>,
    },
    /// The user asked to try polling again after it stopped.
    ResumePolling,
    /// The attempts kept in this browser, newest first (on a visit).
    AttemptsKnown(Vec<SavedAttempt>),
    /// The head of an earlier attempt (its status, no line).
    AttemptHeard(Job),
    /// The service no longer knows this attempt (404 `job_not_found`).
    AttemptExpired(String),
    /// "Attempt": show this attempt (`None`: the newest).
    ViewAttempt(Option<String>),
}

impl ProvisioningState {
    pub fn tenant(&self, tenant: &TenantId) -> Option<&TenantProvisioning> {
        self.tenants.get(tenant)
    }

    /// The one place the state changes.
    pub fn apply(&mut self, tenant: &TenantId, action: Action) {
        self.tenants
            .entry(tenant.clone())
            .or_default()
            .apply(action);
    }
}

impl TenantProvisioning {
    /// How an action changes one tenant's state.
    pub(crate) fn apply(&mut self, action: Action) {
        match action {
            Action::Attach { job_id } => self.attach(&job_id),
            Action::Start(event) => self.start.apply(event),
            Action::ProvisionSucceeded(job) => {
                self.start.apply(StartEvent::Answered);
                self.trouble = None;
                let attempt = self.follow(&job.job_id);
                attempt.heard(&job);
                if let Some(state) = attempt.job.as_mut() {
                    state.merge(job);
                }
            }
            Action::ProvisionFailed(ApiError::JobInProgress { job_id }) => {
                self.start.apply(StartEvent::Answered);
                self.attach(&job_id);
            }
            Action::ProvisionFailed(error) => self.start.apply(StartEvent::Failed(error)),
            Action::LinesReceived { job_id, lines } => {
                if let Some(job) = self.job_mut(&job_id).filter(|job| !job.is_final()) {
                    job.logs = job.logs.appended(lines);
                }
            }
            Action::StatusReceived(job) => {
                if self.is_followed(&job.job_id) {
                    self.trouble = None;
                }
                if let Some(attempt) = self.attempts.get_mut(&job.job_id) {
                    attempt.heard(&job);
                    if let Some(state) = attempt.job.as_mut() {
                        state.merge(job);
                    }
                }
            }
            Action::HeadReceived(head) => self.head_received(head),
            Action::PollFailed {
                job_id,
                error,
                retry_at_ms,
            } => self.poll_failed(&job_id, error, retry_at_ms),
            Action::ResumePolling => self.trouble = None,
            Action::AttemptsKnown(saved) => self.attempts.known(&saved),
            Action::AttemptHeard(job) => {
                if let Some(attempt) = self.attempts.get_mut(&job.job_id) {
                    attempt.heard(&job);
                }
            }
            Action::AttemptExpired(job_id) => self.expired(&job_id),
            Action::ViewAttempt(choice) => self.view(choice),
        }
    }

    fn attach(&mut self, job_id: &str) {
        if self.is_followed(job_id) {
            return;
        }
        self.follow(job_id);
        self.trouble = None;
        self.start.error = None;
    }

    fn head_received(&mut self, head: Job) {
        let Some(job) = self
            .attempts
            .followed_mut()
            .and_then(|a| a.job.as_mut())
            .filter(|job| *job.job_id == head.job_id && !job.is_final())
        else {
            return;
        };
        if !head.status.is_final() {
            job.status = Some(head.status);
            job.progress = head.progress;
        }
        self.trouble = None;
    }

    /// The service forgot an attempt (404 `job_not_found`): it is no longer
    /// followed, and what was shown of it (its last state, its lines)
    /// stays on screen, marked expired.
    fn expired(&mut self, job_id: &str) {
        if self.is_followed(job_id) {
            self.trouble = None;
        }
        if let Some(attempt) = self.attempts.get_mut(job_id) {
            attempt.head.expired = true;
        }
    }

    fn poll_failed(&mut self, job_id: &str, error: ApiError, retry_at_ms: Option<f64>) {
        if error == ApiError::JobNotFound {
            return self.expired(job_id);
        }
        let followed = self.is_followed(job_id);
        if followed {
            self.trouble = Some(PollTrouble { error, retry_at_ms });
        }
        // An earlier attempt: other trouble reading one is retried by its
        // poller, and never stops the followed job's polling.
    }

    /// "Attempt": an earlier attempt is shown (read once chosen); the
    /// followed one, or one not listed, shows the newest.
    fn view(&mut self, choice: Option<String>) {
        let Some(id) = choice.filter(|id| !self.is_followed(id)) else {
            self.viewing = None;
            return;
        };
        let Some(attempt) = self.attempts.get_mut(&id) else {
            return;
        };
        attempt.job.get_or_insert_with(|| JobState::new(&id));
        self.viewing = Some(id.into());
    }
}

/// An [`Action`] for one tenant, as dispatched to the yewdux store.
pub struct TenantAction(pub TenantId, pub Action);

impl yewdux::Reducer<ProvisioningState> for TenantAction {
    fn apply(self, mut state: Rc<ProvisioningState>) -> Rc<ProvisioningState> {
        Rc::make_mut(&mut state).apply(&self.0, self.1);
        state
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::job_fixture::job;
    use crate::api::JobStatus;
    use crate::store::saved_attempts::SavedAttempt;

    fn nth(entry: &TenantProvisioning, at: usize) -> &Attempt {
        entry.attempts.iter().nth(at).unwrap()
    }

    fn tenant(id: &str) -> TenantId {
        TenantId::parse(id).unwrap()
    }

    fn acme(state: &ProvisioningState) -> &TenantProvisioning {
        state.tenant(&tenant("acme")).unwrap()
    }

    fn started() -> ProvisioningState {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Requested {
                idempotency_key: "k1".into(),
            }),
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionSucceeded(job("j1").status(JobStatus::Queued).build()),
        );
        state
    }

    #[test]
    fn requesting_marks_loading_and_busy() {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Requested {
                idempotency_key: "k1".into(),
            }),
        );
        assert_eq!(acme(&state).start.status, RequestStatus::Loading);
        assert!(acme(&state).is_busy());
        assert!(!acme(&state).wants_polling());
    }

    #[test]
    fn a_started_job_is_polled_and_keeps_the_button_busy() {
        let state = started();
        let entry = acme(&state);
        assert_eq!(entry.start.status, RequestStatus::Succeeded);
        assert_eq!(entry.job().unwrap().status, Some(JobStatus::Queued));
        assert!(entry.is_busy() && entry.wants_polling());
        assert_eq!(entry.start.idempotency_key, None);
    }

    #[test]
    fn status_pages_append_logs_and_the_final_status_stops_everything() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(1..=3).build()),
        );
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(1..=5).build()),
        );
        assert_eq!(acme(&state).logs_after("j1"), Some(5));
        let done = job("j1")
            .status(JobStatus::Deployed)
            .lines(6..=6)
            .store_url("https://acme.shop/")
            .build();
        state.apply(&tenant("acme"), Action::StatusReceived(done));
        let entry = acme(&state);
        assert!(!entry.is_busy() && !entry.wants_polling());
        assert_eq!(
            entry.job().unwrap().store_url.as_deref(),
            Some("https://acme.shop/")
        );
        // Final means final: a late, stale answer changes nothing.
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(7..=9).build()),
        );
        assert_eq!(
            acme(&state).job().unwrap().status,
            Some(JobStatus::Deployed)
        );
        assert_eq!(acme(&state).logs_after("j1"), Some(6));
    }

    #[test]
    fn a_head_only_answer_moves_the_status_but_never_ends_the_job_without_its_lines() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(1..=3).build()),
        );
        let steps = acme(&state).job().unwrap().steps.clone();
        let head = job("j1").status(JobStatus::Processing).step(5).build();
        state.apply(&tenant("acme"), Action::HeadReceived(head));
        let held = acme(&state).job().unwrap();
        assert_eq!(held.progress.as_ref().unwrap().step, Some(5));
        assert_eq!(held.steps, steps, "no step begins where no line is");
        // It ended: not final until the poll with its last lines.
        state.apply(
            &tenant("acme"),
            Action::HeadReceived(job("j1").status(JobStatus::Failed).build()),
        );
        assert!(acme(&state).wants_polling());
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Failed).lines(4..=6).build()),
        );
        assert_eq!(acme(&state).logs_after("j1"), Some(6));
        assert!(!acme(&state).wants_polling());
        // Another job's head changes nothing.
        state.apply(
            &tenant("acme"),
            Action::HeadReceived(job("j2").status(JobStatus::Processing).build()),
        );
        assert_eq!(acme(&state).job().unwrap().status, Some(JobStatus::Failed));
    }

    #[test]
    fn a_new_attempt_keeps_the_earlier_one_and_its_log() {
        let mut state = started();
        let acme_ = tenant("acme");
        state.apply(
            &acme_,
            Action::StatusReceived(job("j1").status(JobStatus::Failed).lines(1..=4).build()),
        );
        state.apply(
            &acme_,
            Action::Start(StartEvent::Requested {
                idempotency_key: "k2".into(),
            }),
        );
        state.apply(
            &acme_,
            Action::ProvisionSucceeded(job("j2").status(JobStatus::Queued).build()),
        );
        let entry = acme(&state);
        let ids: Vec<&str> = entry.attempts.iter().map(Attempt::job_id).collect();
        assert_eq!(ids, ["j2", "j1"]);
        assert_eq!(nth(entry, 1).head.status, Some(JobStatus::Failed));
        assert_eq!(
            entry.job_with("j1").unwrap().logs.len(),
            4,
            "the failed attempt's log is kept"
        );
        assert_eq!(entry.shown_job().unwrap().job_id.as_ref(), "j2");
        let (number, previous) = entry.previous_of_shown().unwrap();
        assert_eq!((number, previous.unwrap().job_id.as_ref()), (1, "j1"));
        // Choosing it shows it, whole, with no request; the newest still polls.
        state.apply(&acme_, Action::ViewAttempt(Some("j1".into())));
        let entry = acme(&state);
        assert_eq!(entry.shown_job().unwrap().logs.len(), 4);
        assert_eq!(entry.attempt_to_read(), None);
        assert!(entry.wants_polling());
        assert_eq!(entry.previous_of_shown(), None, "nothing before the first");
        // Lines of the newest go to the newest.
        state.apply(
            &acme_,
            Action::StatusReceived(job("j2").status(JobStatus::Processing).lines(1..=2).build()),
        );
        assert_eq!(acme(&state).job().unwrap().logs.len(), 2);
        assert_eq!(acme(&state).job_with("j1").unwrap().logs.len(), 4);
        state.apply(&acme_, Action::ViewAttempt(None));
        assert_eq!(acme(&state).shown_job().unwrap().job_id.as_ref(), "j2");
    }

    #[test]
    fn an_attempt_known_from_an_earlier_visit_is_read_once_chosen_or_shown_expired() {
        let mut state = ProvisioningState::default();
        let acme_ = tenant("acme");
        state.apply(
            &acme_,
            Action::Attach {
                job_id: "j3".into(),
            },
        );
        state.apply(
            &acme_,
            Action::AttemptsKnown(["j3", "j2", "j1"].map(SavedAttempt::live).to_vec()),
        );
        let head = job("j2")
            .status(JobStatus::Failed)
            .created_at("2026-11-23T10:42:00Z")
            .build();
        state.apply(&acme_, Action::AttemptHeard(head));
        state.apply(&acme_, Action::AttemptExpired("j1".into()));
        let entry = acme(&state);
        assert_eq!(entry.attempts.len(), 3);
        assert_eq!(nth(entry, 1).head.status, Some(JobStatus::Failed));
        assert!(nth(entry, 2).head.expired);
        state.apply(&acme_, Action::ViewAttempt(Some("j2".into())));
        assert_eq!(acme(&state).attempt_to_read().as_deref(), Some("j2"));
        state.apply(
            &acme_,
            Action::StatusReceived(job("j2").status(JobStatus::Failed).lines(1..=3).build()),
        );
        assert_eq!(acme(&state).attempt_to_read(), None, "read once");
        assert_eq!(acme(&state).shown_job().unwrap().logs.len(), 3);
        // A 404 for an earlier attempt marks it, and leaves the newest alone.
        state.apply(&acme_, Action::ViewAttempt(Some("j1".into())));
        state.apply(
            &acme_,
            Action::PollFailed {
                job_id: "j1".into(),
                error: ApiError::JobNotFound,
                retry_at_ms: None,
            },
        );
        let entry = acme(&state);
        assert!(entry.job().is_some() && entry.start.error.is_none());
        assert_eq!(entry.attempt_to_read(), None, "expired: not read again");
        assert!(entry.shown_is_expired());
        // An attempt nobody knows cannot be chosen.
        state.apply(&acme_, Action::ViewAttempt(Some("zz".into())));
        assert_eq!(acme(&state).viewing.as_deref(), Some("j1"));
    }

    #[test]
    fn lines_arrive_in_slices_before_their_job() {
        let mut state = started();
        let slice = |range: std::ops::RangeInclusive<u64>| Action::LinesReceived {
            job_id: "j1".into(),
            lines: job("j1")
                .status(JobStatus::Processing)
                .lines(range)
                .build()
                .logs,
        };
        state.apply(&tenant("acme"), slice(1..=3));
        state.apply(&tenant("acme"), slice(4..=5));
        assert_eq!(acme(&state).logs_after("j1"), Some(5));
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Deployed).build()),
        );
        // Nothing changes once the job is final, and other jobs' lines never land.
        state.apply(&tenant("acme"), slice(6..=9));
        let other = Action::LinesReceived {
            job_id: "j0".into(),
            lines: job("j0")
                .status(JobStatus::Processing)
                .lines(10..=12)
                .build()
                .logs,
        };
        state.apply(&tenant("acme"), other);
        assert_eq!(acme(&state).job().unwrap().logs.len(), 5);
    }

    #[test]
    fn answers_about_another_job_or_tenant_are_ignored() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j-old").status(JobStatus::Failed).lines(1..=9).build()),
        );
        assert_eq!(acme(&state).job().unwrap().status, Some(JobStatus::Queued));
        state.apply(
            &tenant("other"),
            Action::StatusReceived(job("j1").status(JobStatus::Failed).lines(1..=9).build()),
        );
        assert!(state.tenant(&tenant("other")).unwrap().job().is_none());
        assert_eq!(acme(&state).job().unwrap().status, Some(JobStatus::Queued));
    }

    #[test]
    fn a_409_attaches_to_the_running_job() {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Requested {
                idempotency_key: "k".into(),
            }),
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionFailed(ApiError::JobInProgress {
                job_id: "j9".into(),
            }),
        );
        let entry = acme(&state);
        assert_eq!(&*entry.job().unwrap().job_id, "j9");
        assert_eq!(entry.start.error, None);
        assert!(entry.wants_polling());
    }

    #[test]
    fn a_transient_failure_keeps_the_idempotency_key_for_the_retry() {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Requested {
                idempotency_key: "k".into(),
            }),
        );
        state.apply(&tenant("acme"), Action::ProvisionFailed(ApiError::Timeout));
        assert_eq!(acme(&state).start.idempotency_key.as_deref(), Some("k"));
        assert_eq!(acme(&state).start.status, RequestStatus::Failed);
        assert!(!acme(&state).is_busy());
        // An answer that arrived but could not be read: the POST may have
        // started a job, so pressing again sends the same key (though it is
        // not sent again on its own).
        let unreadable = ApiError::Decode { detail: "x".into() };
        assert!(unreadable.worth_trying_again() && !unreadable.worth_sending_again());
        state.apply(&tenant("acme"), Action::ProvisionFailed(unreadable));
        assert_eq!(acme(&state).start.idempotency_key.as_deref(), Some("k"));
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Requested {
                idempotency_key: "k2".into(),
            }),
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionFailed(ApiError::Forbidden),
        );
        assert_eq!(acme(&state).start.idempotency_key, None);
        assert_eq!(acme(&state).start.error, Some(ApiError::Forbidden));
    }

    fn requested(state: &mut ProvisioningState, key: &str) -> u64 {
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Requested {
                idempotency_key: key.into(),
            }),
        );
        acme(state).start.id
    }

    #[test]
    fn a_retry_keeps_the_request_loading_and_says_when() {
        let mut state = ProvisioningState::default();
        requested(&mut state, "k");
        let busy = ApiError::RateLimited {
            retry_after_ms: Some(2_000),
        };
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Retrying {
                error: busy.clone(),
                retry_at_ms: 12_000.0,
            }),
        );
        let entry = acme(&state);
        assert_eq!(entry.start.status, RequestStatus::Loading);
        assert!(entry.is_busy());
        assert_eq!(entry.start.error, None, "no alert while trying again");
        assert_eq!(
            entry.start.retry,
            Some(ProvisionRetry {
                error: busy,
                retry_at_ms: 12_000.0
            })
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionSucceeded(job("j1").status(JobStatus::Queued).build()),
        );
        assert_eq!(acme(&state).start.retry, None);
        assert!(acme(&state).wants_polling());
    }

    #[test]
    fn cancelling_a_retry_shows_the_last_failure_and_keeps_the_key() {
        let mut state = ProvisioningState::default();
        let first = requested(&mut state, "k");
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Retrying {
                error: ApiError::Network,
                retry_at_ms: 1.0,
            }),
        );
        state.apply(&tenant("acme"), Action::Start(StartEvent::Cancelled));
        let entry = acme(&state);
        assert_eq!(entry.start.status, RequestStatus::Failed);
        assert_eq!(entry.start.error, Some(ApiError::Network));
        assert_eq!(entry.start.retry, None);
        assert_eq!(entry.start.idempotency_key.as_deref(), Some("k"));
        assert!(!entry.is_busy());
        // Pressing again is a new request with a new id: the old loop stops.
        assert_eq!(requested(&mut state, "k"), first + 1);
        // A late retry notice from nothing in flight is ignored.
        state.apply(&tenant("acme"), Action::Start(StartEvent::Cancelled));
        state.apply(
            &tenant("acme"),
            Action::ProvisionFailed(ApiError::Forbidden),
        );
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Retrying {
                error: ApiError::Network,
                retry_at_ms: 1.0,
            }),
        );
        assert_eq!(acme(&state).start.retry, None);
    }

    #[test]
    fn a_failed_provision_request_keeps_the_job_already_shown() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Failed).lines(1..=4).build()),
        );
        state.apply(
            &tenant("acme"),
            Action::Start(StartEvent::Requested {
                idempotency_key: "k".into(),
            }),
        );
        state.apply(&tenant("acme"), Action::ProvisionFailed(ApiError::Network));
        let entry = acme(&state);
        assert_eq!(entry.job().unwrap().logs.len(), 4);
        assert_eq!(entry.start.error, Some(ApiError::Network));
    }

    #[test]
    fn poll_trouble_is_shown_then_cleared_by_the_next_answer() {
        let mut state = started();
        let failed = |error| Action::PollFailed {
            job_id: "j1".into(),
            error,
            retry_at_ms: Some(5.0),
        };
        state.apply(&tenant("acme"), failed(ApiError::Network));
        assert!(acme(&state).trouble.is_some() && acme(&state).wants_polling());
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(1..=1).build()),
        );
        assert_eq!(acme(&state).trouble, None);
    }

    #[test]
    fn signed_out_stops_polling_until_resumed_and_keeps_the_log() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(1..=3).build()),
        );
        let stop = Action::PollFailed {
            job_id: "j1".into(),
            error: ApiError::NotSignedIn,
            retry_at_ms: None,
        };
        state.apply(&tenant("acme"), stop);
        assert!(!acme(&state).wants_polling());
        assert_eq!(acme(&state).job().unwrap().logs.len(), 3);
        state.apply(&tenant("acme"), Action::ResumePolling);
        assert!(acme(&state).wants_polling());
    }

    #[test]
    fn a_job_that_expires_while_shown_keeps_what_was_shown() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(1..=3).build()),
        );
        let gone = Action::PollFailed {
            job_id: "j1".into(),
            error: ApiError::JobNotFound,
            retry_at_ms: None,
        };
        state.apply(&tenant("acme"), gone);
        let entry = acme(&state);
        assert!(entry.job().is_none(), "no longer followed");
        assert!(!entry.is_busy() && !entry.wants_polling());
        assert!(entry.shown_is_expired());
        let shown = entry.shown_job().expect("still on screen");
        assert_eq!(shown.status, Some(JobStatus::Processing));
        assert_eq!(shown.logs.len(), 3, "its lines stay");
        assert_eq!(entry.start.error, None, "the status says it, once");
        // A new attempt is followed; the expired one stays listed.
        state.apply(
            &tenant("acme"),
            Action::ProvisionSucceeded(job("j2").status(JobStatus::Queued).build()),
        );
        let entry = acme(&state);
        assert_eq!(&*entry.shown_job().unwrap().job_id, "j2");
        assert_eq!(entry.job_with("j1").unwrap().logs.len(), 3);
        assert!(entry.attempts.get("j1").unwrap().head.expired);
    }

    #[test]
    fn signed_out_mid_job_its_state_is_unknown_until_a_token_is_back() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1").status(JobStatus::Processing).lines(1..=3).build()),
        );
        assert_eq!(acme(&state).shown_frozen(), None);
        let signed_out = Action::PollFailed {
            job_id: "j1".into(),
            error: ApiError::NotSignedIn,
            retry_at_ms: None,
        };
        state.apply(&tenant("acme"), signed_out);
        let entry = acme(&state);
        assert_eq!(entry.shown_frozen(), Some(Frozen::SignedOut));
        assert!(entry.waits_for_sign_in() && !entry.wants_polling());
        assert_eq!(entry.job().unwrap().logs.len(), 3, "what was shown stays");
        // A token appears: polling resumes by itself.
        state.apply(&tenant("acme"), Action::ResumePolling);
        let entry = acme(&state);
        assert_eq!(entry.shown_frozen(), None);
        assert!(entry.wants_polling());
    }

    #[test]
    fn failures_of_a_job_no_longer_shown_are_ignored() {
        let mut state = started();
        let stale = Action::PollFailed {
            job_id: "j0".into(),
            error: ApiError::JobNotFound,
            retry_at_ms: None,
        };
        state.apply(&tenant("acme"), stale);
        assert!(acme(&state).job().is_some());
    }

    #[test]
    fn several_tenants_keep_their_own_jobs() {
        let mut state = started();
        state.apply(
            &tenant("beta"),
            Action::Attach {
                job_id: "j2".into(),
            },
        );
        assert_eq!(&*acme(&state).job().unwrap().job_id, "j1");
        assert_eq!(
            &*state.tenant(&tenant("beta")).unwrap().job().unwrap().job_id,
            "j2"
        );
    }

    #[test]
    fn a_cloned_state_shares_its_log_lines() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(
                job("j1")
                    .status(JobStatus::Processing)
                    .lines(1..=1000)
                    .build(),
            ),
        );
        let snapshot = state.clone();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(
                job("j1")
                    .status(JobStatus::Processing)
                    .lines(1001..=1001)
                    .build(),
            ),
        );
        let (before, after) = (
            &acme(&snapshot).job().unwrap().logs,
            &acme(&state).job().unwrap().logs,
        );
        assert_eq!((before.len(), after.len()), (1000, 1001));
        // One buffer for both: the clone copied no line.
        assert!(after.shares_lines_with(before));
    }

    #[test]
    fn a_newest_attempt_kept_as_expired_is_listed_not_followed() {
        let mut state = ProvisioningState::default();
        let acme_ = tenant("acme");
        let gone = SavedAttempt {
            job_id: "j2".into(),
            expired: true,
        };
        state.apply(
            &acme_,
            Action::AttemptsKnown(vec![gone, SavedAttempt::live("j1")]),
        );
        let entry = acme(&state);
        assert!(entry.job().is_none() && !entry.is_busy() && !entry.wants_polling());
        assert_eq!(entry.attempts.len(), 2);
        state.apply(&acme_, Action::ViewAttempt(Some("j2".into())));
        assert!(acme(&state).shown_is_expired());
        assert_eq!(acme(&state).attempt_to_read(), None, "nothing to read");
        state.apply(
            &acme_,
            Action::ProvisionSucceeded(job("j3").status(JobStatus::Queued).build()),
        );
        let entry = acme(&state);
        let ids: Vec<&str> = entry.attempts.iter().map(Attempt::job_id).collect();
        assert_eq!(ids, ["j3", "j2", "j1"]);
        assert_eq!(&*entry.shown_job().unwrap().job_id, "j3");
        assert!(entry.wants_polling());
    }
}
