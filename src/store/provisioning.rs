//! The provisioning store: per tenant, the request in flight, the job and its
//! log, and what went wrong. Every change is a pure [`Action`] applied by
//! [`ProvisioningState::apply`], tested natively; components read it through
//! yewdux selectors and change it by dispatching a [`TenantAction`].

use std::collections::HashMap;
use std::rc::Rc;

use yewdux::Store;

use super::attempts::MAX_ATTEMPTS;

use crate::api::{ApiError, Job, JobError, JobStatus, LogLine, Progress, TenantId};
use crate::log_pane::steps::{note_progress, StepMark};
use crate::log_pane::LogLines;

/// The state of the last request the user started (the seed's slice `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestStatus {
    #[default]
    Idle,
    Loading,
    Succeeded,
    Failed,
}

/// A job as the portal knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobState {
    pub job_id: Rc<str>,
    /// `None` until the service has answered about this job.
    pub status: Option<JobStatus>,
    pub progress: Option<Progress>,
    pub store_url: Option<String>,
    pub error: Option<JobError>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub logs: LogLines,
    /// Where each step reported by the service began in the log.
    pub steps: Vec<StepMark>,
    /// Lines held when the last response was merged: the lines after it
    /// arrived with the next one.
    page_start: usize,
}

impl JobState {
    /// A job known only by its id: nothing heard from the service yet.
    pub fn new(job_id: &str) -> Self {
        Self {
            job_id: job_id.into(),
            status: None,
            progress: None,
            store_url: None,
            error: None,
            created_at: None,
            updated_at: None,
            logs: LogLines::default(),
            steps: Vec::new(),
            page_start: 0,
        }
    }

    pub fn is_final(&self) -> bool {
        self.status.as_ref().is_some_and(JobStatus::is_final)
    }

    /// Merges a response about this job. Lines are appended (never
    /// replaced); nothing changes once the job is final.
    fn merge(&mut self, job: Job) {
        if self.is_final() {
            return;
        }
        self.status = Some(job.status);
        note_progress(&mut self.steps, self.page_start, job.progress.as_ref());
        self.progress = job.progress;
        self.store_url = job.store_url.filter(|url| !url.trim().is_empty());
        self.error = job.error;
        self.created_at = job.created_at.or(self.created_at.take());
        self.updated_at = job.updated_at.or(self.updated_at.take());
        self.logs = self.logs.appended(job.logs);
        self.page_start = self.logs.len();
    }
}

/// Polling ran into trouble.
#[derive(Debug, Clone, PartialEq)]
pub struct PollTrouble {
    pub error: ApiError,
    /// When the next attempt is due (ms since the epoch); `None`: polling
    /// stopped until the user acts.
    pub retry_at_ms: Option<f64>,
}

/// "Provision Store" failed in a way worth repeating and will try again.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionRetry {
    pub error: ApiError,
    /// When the next attempt is sent (ms since the epoch).
    pub retry_at_ms: f64,
}

/// One attempt this browser knows of, as the "Attempt" control lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptHead {
    pub job_id: Rc<str>,
    pub status: Option<JobStatus>,
    pub created_at: Option<String>,
    /// The service no longer knows it (404).
    pub expired: bool,
}

impl AttemptHead {
    fn new(job_id: &str) -> AttemptHead {
        AttemptHead {
            job_id: job_id.into(),
            status: None,
            created_at: None,
            expired: false,
        }
    }

    /// What the service said of the job (a start time, once known, stays).
    fn heard(&mut self, job: &Job) {
        self.status = Some(job.status.clone());
        self.created_at = job.created_at.clone().or(self.created_at.take());
    }
}

/// Everything the portal holds about one tenant's provisioning.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TenantProvisioning {
    pub request: RequestStatus,
    /// Why the last "Provision Store" request failed.
    pub error: Option<ApiError>,
    pub job: Option<JobState>,
    pub trouble: Option<PollTrouble>,
    /// Sent with the POST; kept while a failed attempt may have reached the
    /// service, so trying again cannot start a second job.
    pub idempotency_key: Option<Rc<str>>,
    /// Set while the POST waits to be sent again.
    pub retry: Option<ProvisionRetry>,
    /// Counts "Provision Store" requests, so a request loop the user has
    /// cancelled (or replaced) knows it is no longer the current one.
    pub request_id: u64,
    /// Every attempt known, newest first (the newest is `job`).
    pub attempts: Vec<AttemptHead>,
    /// Earlier attempts read on this page, each with its whole log: a new
    /// attempt never discards one.
    pub earlier: Vec<JobState>,
    /// The earlier attempt on screen, chosen in "Attempt"; `None`: the newest.
    pub viewing: Option<Rc<str>>,
}

impl TenantProvisioning {
    /// "Provision Store" is unavailable: a request is in flight, or a job
    /// runs (or may run: not heard of yet).
    pub fn is_busy(&self) -> bool {
        self.request == RequestStatus::Loading
            || self.job.as_ref().is_some_and(|job| !job.is_final())
    }

    /// The job's status should be polled: it may still change and nothing
    /// stopped polling for good.
    pub fn wants_polling(&self) -> bool {
        let running = self.job.as_ref().is_some_and(|job| !job.is_final());
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

    /// The newest attempt's job or an earlier one read on this page.
    pub fn job_with(&self, job_id: &str) -> Option<&JobState> {
        self.job
            .iter()
            .chain(&self.earlier)
            .find(|job| &*job.job_id == job_id)
    }

    /// The job on screen: the attempt chosen in "Attempt", else the newest.
    pub fn shown_job(&self) -> Option<&JobState> {
        match &self.viewing {
            Some(id) => self.earlier.iter().find(|job| job.job_id == *id),
            None => self.job.as_ref(),
        }
    }

    /// The service no longer keeps attempt `job_id`.
    fn is_expired(&self, job_id: &str) -> bool {
        self.attempts
            .iter()
            .any(|a| &*a.job_id == job_id && a.expired)
    }

    /// The attempt on screen is one the service no longer keeps.
    pub fn shown_is_expired(&self) -> bool {
        self.shown_job()
            .is_some_and(|job| self.is_expired(&job.job_id))
    }

    /// The earlier attempt on screen whose log is still to be read.
    pub fn attempt_to_read(&self) -> Option<Rc<str>> {
        let id = self.viewing.as_ref()?;
        let job = self.earlier.iter().find(|job| job.job_id == *id)?;
        (!self.is_expired(id) && !job.is_final()).then(|| id.clone())
    }

    /// The attempt before the one on screen (for "New in this attempt"):
    /// its number (1 for the first) and its job, when read on this page.
    pub fn previous_of_shown(&self) -> Option<(usize, Option<&JobState>)> {
        let shown = self.shown_job()?;
        let at = self
            .attempts
            .iter()
            .position(|a| a.job_id == shown.job_id)?;
        let before = self.attempts.get(at + 1)?;
        Some((self.attempts.len() - at - 1, self.job_with(&before.job_id)))
    }

    fn note_attempt(&mut self, job_id: &str) {
        super::put_first(
            &mut self.attempts,
            AttemptHead::new(job_id),
            MAX_ATTEMPTS,
            |a, b| a.job_id == b.job_id,
        );
    }

    fn head_mut(&mut self, job_id: &str) -> Option<&mut AttemptHead> {
        self.attempts.iter_mut().find(|a| &*a.job_id == job_id)
    }

    /// The newest job is replaced by another: it is kept as an earlier
    /// attempt (its log with it), and the new one is on screen.
    fn replace_job(&mut self, job: JobState) {
        if let Some(old) = self.job.take().filter(|old| old.job_id != job.job_id) {
            super::put_first(&mut self.earlier, old, MAX_ATTEMPTS, |a, b| {
                a.job_id == b.job_id
            });
        }
        self.note_attempt(&job.job_id);
        self.earlier.retain(|e| e.job_id != job.job_id);
        self.viewing = None;
        self.job = Some(job);
    }

    fn job_mut(&mut self, job_id: &str) -> Option<&mut JobState> {
        self.job
            .iter_mut()
            .chain(self.earlier.iter_mut())
            .find(|job| &*job.job_id == job_id)
    }
}

/// All tenants' provisioning, keyed by tenant id (the seed's `jobs`).
#[derive(Debug, Clone, PartialEq, Default, Store)]
pub struct ProvisioningState {
    pub tenants: HashMap<TenantId, TenantProvisioning>,
}

/// What can happen to a tenant's provisioning.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A job id from an earlier visit (or a 409) to follow.
    Attach {
        job_id: String,
    },
    /// "Provision Store" was pressed; the POST carries this key.
    ProvisionRequested {
        idempotency_key: Rc<str>,
    },
    ProvisionSucceeded(Job),
    ProvisionFailed(ApiError),
    /// The POST failed in a way worth repeating; it is sent again at `retry_at_ms`.
    ProvisionRetrying {
        error: ApiError,
        retry_at_ms: f64,
    },
    /// The user stopped the retries: the last failure stands.
    ProvisionCancelled,
    /// A slice of a poll's log lines for `job_id`; its job follows as
    /// `StatusReceived` once every slice is in.
    LinesReceived {
        job_id: String,
        lines: Vec<LogLine>,
    },
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
    AttemptsKnown(Vec<String>),
    /// The head of an earlier attempt (its status, no line).
    AttemptHeard(Job),
    /// The service no longer knows this earlier attempt.
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
        let entry = self.tenants.entry(tenant.clone()).or_default();
        match action {
            Action::Attach { job_id } => attach(entry, &job_id),
            Action::ProvisionRequested { idempotency_key } => {
                entry.request = RequestStatus::Loading;
                entry.error = None;
                entry.retry = None;
                entry.idempotency_key = Some(idempotency_key);
                entry.request_id += 1;
            }
            Action::ProvisionSucceeded(job) => {
                entry.request = RequestStatus::Succeeded;
                entry.idempotency_key = None;
                entry.trouble = None;
                entry.retry = None;
                entry.error = None;
                let mut state = JobState::new(&job.job_id);
                state.merge(job);
                entry.replace_job(state);
            }
            Action::ProvisionFailed(ApiError::JobInProgress { job_id }) => {
                entry.request = RequestStatus::Succeeded;
                entry.idempotency_key = None;
                entry.retry = None;
                attach(entry, &job_id);
            }
            Action::ProvisionFailed(error) => {
                entry.request = RequestStatus::Failed;
                entry.retry = None;
                if !error.is_transient() {
                    entry.idempotency_key = None;
                }
                entry.error = Some(error);
            }
            Action::ProvisionRetrying { error, retry_at_ms } => {
                if entry.request == RequestStatus::Loading {
                    entry.retry = Some(ProvisionRetry { error, retry_at_ms });
                }
            }
            Action::ProvisionCancelled => {
                if entry.request == RequestStatus::Loading {
                    entry.request = RequestStatus::Failed;
                    // The key stays: an attempt may have reached the service.
                    entry.error = entry.retry.take().map(|retry| retry.error);
                }
            }
            Action::LinesReceived { job_id, lines } => {
                if let Some(state) = entry.job_mut(&job_id).filter(|state| !state.is_final()) {
                    state.logs = state.logs.appended(lines);
                }
            }
            Action::StatusReceived(job) => {
                let newest = entry
                    .job
                    .as_ref()
                    .is_some_and(|j| j.job_id.as_ref() == job.job_id);
                if let Some(head) = entry.head_mut(&job.job_id) {
                    head.heard(&job);
                }
                if let Some(state) = entry.job_mut(&job.job_id) {
                    state.merge(job);
                    if newest {
                        entry.trouble = None;
                    }
                }
            }
            Action::AttemptsKnown(ids) => {
                let known = std::mem::take(&mut entry.attempts);
                entry.attempts = ids
                    .iter()
                    .map(|id| {
                        known
                            .iter()
                            .find(|a| &*a.job_id == id)
                            .cloned()
                            .unwrap_or_else(|| AttemptHead::new(id))
                    })
                    .collect();
                // The newest job comes first, whatever the entry says.
                if let Some(id) = entry.job.as_ref().map(|j| j.job_id.clone()) {
                    if entry.attempts.first().is_none_or(|a| a.job_id != id) {
                        entry.note_attempt(&id);
                    }
                }
            }
            Action::AttemptHeard(job) => {
                if let Some(head) = entry.head_mut(&job.job_id) {
                    head.heard(&job);
                }
            }
            Action::AttemptExpired(job_id) => {
                if let Some(head) = entry.head_mut(&job_id) {
                    head.expired = true;
                }
            }
            Action::ViewAttempt(choice) => {
                let newest = entry.job.as_ref().map(|j| j.job_id.clone());
                match choice {
                    Some(id) if newest.as_deref() != Some(id.as_str()) => {
                        if !entry.attempts.iter().any(|a| *a.job_id == *id) {
                            return;
                        }
                        if !entry.earlier.iter().any(|e| *e.job_id == *id) {
                            entry.earlier.insert(0, JobState::new(&id));
                            entry.earlier.truncate(MAX_ATTEMPTS);
                        }
                        entry.viewing = Some(id.into());
                    }
                    _ => entry.viewing = None,
                }
            }
            Action::HeadReceived(head) => {
                if let Some(state) = entry
                    .job
                    .as_mut()
                    .filter(|state| *state.job_id == head.job_id && !state.is_final())
                {
                    if !head.status.is_final() {
                        state.status = Some(head.status);
                        state.progress = head.progress;
                    }
                    entry.trouble = None;
                }
            }
            Action::PollFailed {
                job_id,
                error,
                retry_at_ms,
            } => {
                if error == ApiError::JobNotFound {
                    if let Some(head) = entry.head_mut(&job_id) {
                        head.expired = true;
                    }
                }
                if entry.job.as_ref().is_none_or(|job| *job.job_id != job_id) {
                    // An earlier attempt: other trouble reading one is
                    // retried by its poller, and never stops the newest
                    // job's polling.
                    return;
                }
                if error == ApiError::JobNotFound {
                    entry.job = None;
                    entry.trouble = None;
                    entry.error = Some(error);
                } else {
                    entry.trouble = Some(PollTrouble { error, retry_at_ms });
                }
            }
            Action::ResumePolling => entry.trouble = None,
        }
    }
}

fn attach(entry: &mut TenantProvisioning, job_id: &str) {
    if entry.job.as_ref().is_some_and(|job| &*job.job_id == job_id) {
        return;
    }
    entry.replace_job(JobState::new(job_id));
    entry.trouble = None;
    entry.error = None;
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
    use crate::api::LogLine;

    fn tenant(id: &str) -> TenantId {
        TenantId::parse(id).unwrap()
    }

    fn job(id: &str, status: JobStatus, seqs: impl Iterator<Item = u64>) -> Job {
        Job {
            job_id: id.into(),
            tenant_id: "acme".into(),
            status,
            created_at: Some("2026-11-23T10:15:00Z".into()),
            updated_at: None,
            progress: Some(Progress {
                step: Some(1),
                total_steps: Some(7),
                label: Some("Reserving".into()),
            }),
            store_url: None,
            error: None,
            logs: seqs
                .map(|seq| LogLine {
                    seq,
                    ts: String::new(),
                    level: "info".into(),
                    message: format!("{seq}"),
                })
                .collect(),
        }
    }

    fn acme(state: &ProvisioningState) -> &TenantProvisioning {
        state.tenant(&tenant("acme")).unwrap()
    }

    fn started() -> ProvisioningState {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::ProvisionRequested {
                idempotency_key: "k1".into(),
            },
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionSucceeded(job("j1", JobStatus::Queued, std::iter::empty())),
        );
        state
    }

    #[test]
    fn requesting_marks_loading_and_busy() {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::ProvisionRequested {
                idempotency_key: "k1".into(),
            },
        );
        assert_eq!(acme(&state).request, RequestStatus::Loading);
        assert!(acme(&state).is_busy());
        assert!(!acme(&state).wants_polling());
    }

    #[test]
    fn a_started_job_is_polled_and_keeps_the_button_busy() {
        let state = started();
        let entry = acme(&state);
        assert_eq!(entry.request, RequestStatus::Succeeded);
        assert_eq!(entry.job.as_ref().unwrap().status, Some(JobStatus::Queued));
        assert!(entry.is_busy() && entry.wants_polling());
        assert_eq!(entry.idempotency_key, None);
    }

    #[test]
    fn status_pages_append_logs_and_the_final_status_stops_everything() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Processing, 1..=3)),
        );
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Processing, 1..=5)),
        );
        assert_eq!(acme(&state).logs_after("j1"), Some(5));
        let mut done = job("j1", JobStatus::Deployed, 6..=6);
        done.store_url = Some("https://acme.shop/".into());
        state.apply(&tenant("acme"), Action::StatusReceived(done));
        let entry = acme(&state);
        assert!(!entry.is_busy() && !entry.wants_polling());
        assert_eq!(
            entry.job.as_ref().unwrap().store_url.as_deref(),
            Some("https://acme.shop/")
        );
        // Final means final: a late, stale answer changes nothing.
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Processing, 7..=9)),
        );
        assert_eq!(
            acme(&state).job.as_ref().unwrap().status,
            Some(JobStatus::Deployed)
        );
        assert_eq!(acme(&state).logs_after("j1"), Some(6));
    }

    #[test]
    fn a_head_only_answer_moves_the_status_but_never_ends_the_job_without_its_lines() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Processing, 1..=3)),
        );
        let steps = acme(&state).job.as_ref().unwrap().steps.clone();
        let mut head = job("j1", JobStatus::Processing, 0..0);
        head.progress.as_mut().unwrap().step = Some(3);
        state.apply(&tenant("acme"), Action::HeadReceived(head));
        let held = acme(&state).job.as_ref().unwrap();
        assert_eq!(held.progress.as_ref().unwrap().step, Some(3));
        assert_eq!(held.steps, steps, "no step begins where no line is");
        // It ended: not final until the poll with its last lines.
        state.apply(
            &tenant("acme"),
            Action::HeadReceived(job("j1", JobStatus::Failed, 0..0)),
        );
        assert!(acme(&state).wants_polling());
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Failed, 4..=6)),
        );
        assert_eq!(acme(&state).logs_after("j1"), Some(6));
        assert!(!acme(&state).wants_polling());
        // Another job's head changes nothing.
        state.apply(
            &tenant("acme"),
            Action::HeadReceived(job("j2", JobStatus::Processing, 0..0)),
        );
        assert_eq!(
            acme(&state).job.as_ref().unwrap().status,
            Some(JobStatus::Failed)
        );
    }

    #[test]
    fn a_new_attempt_keeps_the_earlier_one_and_its_log() {
        let mut state = started();
        let acme_ = tenant("acme");
        state.apply(
            &acme_,
            Action::StatusReceived(job("j1", JobStatus::Failed, 1..=4)),
        );
        state.apply(
            &acme_,
            Action::ProvisionRequested {
                idempotency_key: "k2".into(),
            },
        );
        state.apply(
            &acme_,
            Action::ProvisionSucceeded(job("j2", JobStatus::Queued, 0..0)),
        );
        let entry = acme(&state);
        let ids: Vec<&str> = entry.attempts.iter().map(|a| &*a.job_id).collect();
        assert_eq!(ids, ["j2", "j1"]);
        assert_eq!(entry.attempts[1].status, Some(JobStatus::Failed));
        assert_eq!(
            entry.earlier[0].logs.len(),
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
            Action::StatusReceived(job("j2", JobStatus::Processing, 1..=2)),
        );
        assert_eq!(acme(&state).job.as_ref().unwrap().logs.len(), 2);
        assert_eq!(acme(&state).earlier[0].logs.len(), 4);
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
            Action::AttemptsKnown(vec!["j3".into(), "j2".into(), "j1".into()]),
        );
        let mut head = job("j2", JobStatus::Failed, 0..0);
        head.created_at = Some("2026-11-23T10:42:00Z".into());
        state.apply(&acme_, Action::AttemptHeard(head));
        state.apply(&acme_, Action::AttemptExpired("j1".into()));
        let entry = acme(&state);
        assert_eq!(entry.attempts.len(), 3);
        assert_eq!(entry.attempts[1].status, Some(JobStatus::Failed));
        assert!(entry.attempts[2].expired);
        state.apply(&acme_, Action::ViewAttempt(Some("j2".into())));
        assert_eq!(acme(&state).attempt_to_read().as_deref(), Some("j2"));
        state.apply(
            &acme_,
            Action::StatusReceived(job("j2", JobStatus::Failed, 1..=3)),
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
        assert!(entry.job.is_some() && entry.error.is_none());
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
            lines: job("j1", JobStatus::Processing, range).logs,
        };
        state.apply(&tenant("acme"), slice(1..=3));
        state.apply(&tenant("acme"), slice(4..=5));
        assert_eq!(acme(&state).logs_after("j1"), Some(5));
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Deployed, std::iter::empty())),
        );
        // Nothing changes once the job is final, and other jobs' lines never land.
        state.apply(&tenant("acme"), slice(6..=9));
        let other = Action::LinesReceived {
            job_id: "j0".into(),
            lines: job("j0", JobStatus::Processing, 10..=12).logs,
        };
        state.apply(&tenant("acme"), other);
        assert_eq!(acme(&state).job.as_ref().unwrap().logs.len(), 5);
    }

    #[test]
    fn answers_about_another_job_or_tenant_are_ignored() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j-old", JobStatus::Failed, 1..=9)),
        );
        assert_eq!(
            acme(&state).job.as_ref().unwrap().status,
            Some(JobStatus::Queued)
        );
        state.apply(
            &tenant("other"),
            Action::StatusReceived(job("j1", JobStatus::Failed, 1..=9)),
        );
        assert!(state.tenant(&tenant("other")).unwrap().job.is_none());
        assert_eq!(
            acme(&state).job.as_ref().unwrap().status,
            Some(JobStatus::Queued)
        );
    }

    #[test]
    fn a_409_attaches_to_the_running_job() {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::ProvisionRequested {
                idempotency_key: "k".into(),
            },
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionFailed(ApiError::JobInProgress {
                job_id: "j9".into(),
            }),
        );
        let entry = acme(&state);
        assert_eq!(&*entry.job.as_ref().unwrap().job_id, "j9");
        assert_eq!(entry.error, None);
        assert!(entry.wants_polling());
    }

    #[test]
    fn a_transient_failure_keeps_the_idempotency_key_for_the_retry() {
        let mut state = ProvisioningState::default();
        state.apply(
            &tenant("acme"),
            Action::ProvisionRequested {
                idempotency_key: "k".into(),
            },
        );
        state.apply(&tenant("acme"), Action::ProvisionFailed(ApiError::Timeout));
        assert_eq!(acme(&state).idempotency_key.as_deref(), Some("k"));
        assert_eq!(acme(&state).request, RequestStatus::Failed);
        assert!(!acme(&state).is_busy());
        state.apply(
            &tenant("acme"),
            Action::ProvisionRequested {
                idempotency_key: "k2".into(),
            },
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionFailed(ApiError::Forbidden),
        );
        assert_eq!(acme(&state).idempotency_key, None);
        assert_eq!(acme(&state).error, Some(ApiError::Forbidden));
    }

    fn requested(state: &mut ProvisioningState, key: &str) -> u64 {
        state.apply(
            &tenant("acme"),
            Action::ProvisionRequested {
                idempotency_key: key.into(),
            },
        );
        acme(state).request_id
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
            Action::ProvisionRetrying {
                error: busy.clone(),
                retry_at_ms: 12_000.0,
            },
        );
        let entry = acme(&state);
        assert_eq!(entry.request, RequestStatus::Loading);
        assert!(entry.is_busy());
        assert_eq!(entry.error, None, "no alert while trying again");
        assert_eq!(
            entry.retry,
            Some(ProvisionRetry {
                error: busy,
                retry_at_ms: 12_000.0
            })
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionSucceeded(job("j1", JobStatus::Queued, std::iter::empty())),
        );
        assert_eq!(acme(&state).retry, None);
        assert!(acme(&state).wants_polling());
    }

    #[test]
    fn cancelling_a_retry_shows_the_last_failure_and_keeps_the_key() {
        let mut state = ProvisioningState::default();
        let first = requested(&mut state, "k");
        state.apply(
            &tenant("acme"),
            Action::ProvisionRetrying {
                error: ApiError::Network,
                retry_at_ms: 1.0,
            },
        );
        state.apply(&tenant("acme"), Action::ProvisionCancelled);
        let entry = acme(&state);
        assert_eq!(entry.request, RequestStatus::Failed);
        assert_eq!(entry.error, Some(ApiError::Network));
        assert_eq!(entry.retry, None);
        assert_eq!(entry.idempotency_key.as_deref(), Some("k"));
        assert!(!entry.is_busy());
        // Pressing again is a new request with a new id: the old loop stops.
        assert_eq!(requested(&mut state, "k"), first + 1);
        // A late retry notice from nothing in flight is ignored.
        state.apply(&tenant("acme"), Action::ProvisionCancelled);
        state.apply(
            &tenant("acme"),
            Action::ProvisionFailed(ApiError::Forbidden),
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionRetrying {
                error: ApiError::Network,
                retry_at_ms: 1.0,
            },
        );
        assert_eq!(acme(&state).retry, None);
    }

    #[test]
    fn a_failed_provision_request_keeps_the_job_already_shown() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Failed, 1..=4)),
        );
        state.apply(
            &tenant("acme"),
            Action::ProvisionRequested {
                idempotency_key: "k".into(),
            },
        );
        state.apply(&tenant("acme"), Action::ProvisionFailed(ApiError::Network));
        let entry = acme(&state);
        assert_eq!(entry.job.as_ref().unwrap().logs.len(), 4);
        assert_eq!(entry.error, Some(ApiError::Network));
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
            Action::StatusReceived(job("j1", JobStatus::Processing, 1..=1)),
        );
        assert_eq!(acme(&state).trouble, None);
    }

    #[test]
    fn signed_out_stops_polling_until_resumed_and_keeps_the_log() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Processing, 1..=3)),
        );
        let stop = Action::PollFailed {
            job_id: "j1".into(),
            error: ApiError::NotSignedIn,
            retry_at_ms: None,
        };
        state.apply(&tenant("acme"), stop);
        assert!(!acme(&state).wants_polling());
        assert_eq!(acme(&state).job.as_ref().unwrap().logs.len(), 3);
        state.apply(&tenant("acme"), Action::ResumePolling);
        assert!(acme(&state).wants_polling());
    }

    #[test]
    fn an_expired_job_is_forgotten_with_a_message() {
        let mut state = started();
        let gone = Action::PollFailed {
            job_id: "j1".into(),
            error: ApiError::JobNotFound,
            retry_at_ms: None,
        };
        state.apply(&tenant("acme"), gone);
        assert!(acme(&state).job.is_none());
        assert_eq!(acme(&state).error, Some(ApiError::JobNotFound));
        assert!(!acme(&state).is_busy());
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
        assert!(acme(&state).job.is_some());
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
        assert_eq!(&*acme(&state).job.as_ref().unwrap().job_id, "j1");
        assert_eq!(
            &*state
                .tenant(&tenant("beta"))
                .unwrap()
                .job
                .as_ref()
                .unwrap()
                .job_id,
            "j2"
        );
    }

    #[test]
    fn a_cloned_state_shares_its_log_lines() {
        let mut state = started();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Processing, 1..=1000)),
        );
        let snapshot = state.clone();
        state.apply(
            &tenant("acme"),
            Action::StatusReceived(job("j1", JobStatus::Processing, 1001..=1001)),
        );
        let (before, after) = (
            &acme(&snapshot).job.as_ref().unwrap().logs,
            &acme(&state).job.as_ref().unwrap().logs,
        );
        assert_eq!((before.len(), after.len()), (1000, 1001));
        // One buffer for both: the clone copied no line.
        assert!(after.shares_lines_with(before));
    }
}
