//! Provisioning many tenants at once: the batch as a pure state machine.
//! It decides which tenants' POSTs go out now (never more than "At once"
//! jobs unfinished; after a 429 the whole batch waits, then sends one at a
//! time, spaced: the gap narrows with each POST accepted and widens with
//! each refused), which jobs it follows (its running ones: the page's job
//! watcher asks about them), and how each answer changes a tenant's row.
//! The browser shell (`components::hooks::use_batch`) sends what it says
//! and feeds the answers back; the clock is passed in, so the scheduler is
//! tested natively, with property tests.

pub mod at_once;
pub mod command;
pub mod results;
pub mod table_page;
pub mod tenant_list;

use super::job_alerts::Ending;
use super::polling_policy::jittered_backoff_ms;
use super::provision_retry::MAX_SENDS;
use crate::api::{ApiError, Job, JobStatus, TenantId};

/// How often a running job is asked about (heads only; the job watcher
/// slows it while the tab is hidden).
pub const FOLLOW_EVERY_MS: u32 = 2_500;
/// The wait after a 429 that names none.
pub const RATE_LIMIT_WAIT_MS: f64 = 2_000.0;
/// After a 429, POSTs go one at a time and at least the 429's wait apart,
/// within these bounds...
pub const SPACING_MIN_MS: f64 = 250.0;
pub const SPACING_MAX_MS: f64 = 5_000.0;
/// ...each accepted POST narrowing the gap by this factor (under the
/// minimum the batch is back to its own pace), each refused one widening
/// it by this one.
pub const SPACING_EASES: f64 = 0.97;
pub const SPACING_WIDENS: f64 = 1.5;
/// "At once": the most jobs unfinished at the same time.
pub const MAX_AT_ONCE: u32 = 10;
pub const DEFAULT_AT_ONCE: u32 = 4;

/// Where one tenant of the batch stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Not sent yet.
    Waiting,
    /// Its POST is on its way.
    Sending,
    /// Its POST failed in a way worth repeating; sent again at `at_ms`.
    Resending {
        at_ms: f64,
    },
    /// Its job runs (or is queued).
    Running,
    /// Its job ended.
    Deployed,
    Failed,
    /// The service refused it (unknown, forbidden, invalid): not retried.
    Refused,
    /// The service no longer knows its job (404 `job_not_found`): how it
    /// ended is unknown. Kept as last heard of; "Retry failed" retries it.
    Expired,
}

impl Stage {
    /// A job is (or may be) unfinished: it holds one of the "At once" slots.
    pub fn holds_a_slot(&self) -> bool {
        self.part() == Part::Running
    }

    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Stage::Deployed | Stage::Failed | Stage::Refused | Stage::Expired
        )
    }

    /// The part of the summary the row counts in.
    pub fn part(&self) -> Part {
        match self {
            Stage::Deployed => Part::Deployed,
            Stage::Failed | Stage::Refused => Part::Failed,
            Stage::Expired => Part::Expired,
            Stage::Waiting => Part::Waiting,
            Stage::Sending | Stage::Resending { .. } | Stage::Running => Part::Running,
        }
    }
}

/// The parts the summary counts ("12 deployed · 1 failed · 4 running · 25
/// waiting"), and the table can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Deployed,
    Failed,
    Expired,
    Running,
    Waiting,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Deployed,
        Part::Failed,
        Part::Expired,
        Part::Running,
        Part::Waiting,
    ];

    /// The summary's word for it.
    pub fn word(self) -> &'static str {
        match self {
            Part::Deployed => "deployed",
            Part::Failed => "failed",
            Part::Expired => "expired",
            Part::Running => "running",
            Part::Waiting => "waiting",
        }
    }
}

/// One tenant's row.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchTenant {
    pub tenant: TenantId,
    /// The POST's key for the current attempt (a retry of the POST repeats
    /// it; "Retry failed" gives a new one).
    pub key: String,
    pub stage: Stage,
    /// POSTs sent for the current attempt.
    pub sends: u32,
    pub job_id: Option<String>,
    pub status: Option<JobStatus>,
    pub step: Option<(u32, u32)>,
    pub store_url: Option<String>,
    /// The error code and message: the job's, or the service's refusal.
    pub error: Option<(String, String)>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// Attempts made in this batch (1 once its first POST goes out).
    pub attempts: u32,
    /// When the service last answered about its job (ms since the epoch).
    pub heard_at_ms: Option<f64>,
}

impl BatchTenant {
    /// A tenant not sent yet, with its key.
    pub fn new(tenant: TenantId, key: String) -> Self {
        Self {
            tenant,
            key,
            stage: Stage::Waiting,
            sends: 0,
            job_id: None,
            status: None,
            step: None,
            store_url: None,
            error: None,
            created_at: None,
            updated_at: None,
            attempts: 0,
            heard_at_ms: None,
        }
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Posted(Result<Job, ApiError>),
    Heard(Result<Job, ApiError>),
}

/// The batch (kept in localStorage by `store::saved_batch`).
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub tenants: Vec<BatchTenant>,
    pub at_once: u32,
    /// "Pause": no new job starts.
    pub paused: bool,
    /// After a 429: no POST before this time.
    pub hold_until_ms: Option<f64>,
    /// After a 429: one POST at a time, at least this far apart (ms).
    pub spacing_ms: Option<f64>,
    /// When the last POST went out (ms since the epoch).
    pub last_post_ms: f64,
    /// Why the batch stopped (signed out): it waits for the user.
    pub problem: Option<String>,
}

/// The batch kept in this browser, as the tab shows it (a yewdux store:
/// `components::hooks::use_batch` runs it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchState {
    pub batch: Option<Batch>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub deployed: usize,
    pub failed: usize,
    pub expired: usize,
    pub running: usize,
    pub waiting: usize,
}

impl Tally {
    /// The count of one part.
    pub fn of(&self, part: Part) -> usize {
        match part {
            Part::Deployed => self.deployed,
            Part::Failed => self.failed,
            Part::Expired => self.expired,
            Part::Running => self.running,
            Part::Waiting => self.waiting,
        }
    }

    fn of_mut(&mut self, part: Part) -> &mut usize {
        match part {
            Part::Deployed => &mut self.deployed,
            Part::Failed => &mut self.failed,
            Part::Expired => &mut self.expired,
            Part::Running => &mut self.running,
            Part::Waiting => &mut self.waiting,
        }
    }
}

impl Batch {
    /// A batch of `tenants` (checked, each once), each with its key.
    pub fn new(tenants: Vec<TenantId>, at_once: u32, mut key: impl FnMut() -> String) -> Self {
        Self {
            tenants: tenants
                .into_iter()
                .map(|tenant| BatchTenant::new(tenant, key()))
                .collect(),
            at_once: at_once.clamp(1, MAX_AT_ONCE),
            paused: false,
            hold_until_ms: None,
            spacing_ms: None,
            last_post_ms: 0.0,
            problem: None,
        }
    }

    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        for row in &self.tenants {
            *tally.of_mut(row.stage.part()) += 1;
        }
        tally
    }

    /// "12 deployed · 1 failed · 4 running · 25 waiting", "· paused"; "1
    /// expired" after "failed" when there is one.
    pub fn summary(&self) -> String {
        let t = self.tally();
        let parts: Vec<String> = Part::ALL
            .iter()
            .filter(|&&part| part != Part::Expired || t.expired > 0)
            .map(|&part| format!("{} {}", t.of(part), part.word()))
            .collect();
        let mut text = parts.join(" · ");
        if self.paused {
            text.push_str(" · paused");
        }
        text
    }

    /// The tab's title while the batch is on screen: "12/42 · Provisioning
    /// tenants" (ended jobs of all), "✓ 42 deployed · …", "✗ 3 failed · …".
    pub fn tab_title(&self) -> String {
        let t = self.tally();
        let ended = t.deployed + t.failed + t.expired;
        let head = match (self.is_finished(), t.failed, t.expired) {
            (true, 0, 0) => format!("✓ {} deployed", t.deployed),
            (true, 0, expired) => format!("✗ {expired} expired"),
            (true, failed, 0) => format!("✗ {failed} failed"),
            (true, failed, expired) => format!("✗ {failed} failed · {expired} expired"),
            (false, ..) => format!("{ended}/{}", self.tenants.len()),
        };
        format!("{head} · Provisioning tenants")
    }

    /// The notification when the batch ends: how it ended.
    pub fn ending(&self) -> Ending {
        let t = self.tally();
        if t.failed == 0 && t.expired == 0 {
            return Ending {
                title: format!("✓ {} tenants deployed", t.deployed),
                body: "The batch has ended; every store is live.".to_owned(),
            };
        }
        let expired = match t.expired {
            0 => String::new(),
            n => format!(" · {n} expired"),
        };
        let title = if t.failed > 0 {
            format!("✗ Batch ended: {} failed", t.failed)
        } else {
            format!("✗ Batch ended: {} expired", t.expired)
        };
        Ending {
            title,
            body: format!(
                "{} deployed · {} failed{expired}. Open the tab to see why, or retry them.",
                t.deployed, t.failed
            ),
        }
    }

    /// A POST is on its way (a tab taking over would send it again).
    pub fn is_sending(&self) -> bool {
        self.tenants.iter().any(|row| row.stage == Stage::Sending)
    }

    /// Every tenant's job has ended.
    pub fn is_finished(&self) -> bool {
        self.tenants.iter().all(|row| row.stage.is_final())
    }

    /// The jobs it follows: those of its running tenants.
    pub fn followed_jobs(&self) -> Vec<String> {
        self.tenants
            .iter()
            .filter(|row| row.stage == Stage::Running)
            .filter_map(|row| row.job_id.clone())
            .collect()
    }

    /// The tenants it is still to start, or whose POST is on its way: a
    /// running job this browser kept for one of them is, or is about to
    /// be, the batch's.
    pub fn starting_tenants(&self) -> impl Iterator<Item = &TenantId> {
        self.tenants
            .iter()
            .filter(|row| {
                matches!(
                    row.stage,
                    Stage::Waiting | Stage::Sending | Stage::Resending { .. }
                )
            })
            .map(|row| &row.tenant)
    }

    /// The tenants whose POST is to be sent at `now_ms`, each marked as on
    /// its way.
    pub fn sends_due(&mut self, now_ms: f64) -> Vec<usize> {
        let mut sends = Vec::new();
        if self.paused || self.problem.is_some() {
            return sends;
        }
        if self.hold_until_ms.is_some_and(|until| now_ms < until) {
            return sends;
        }
        self.hold_until_ms = None;
        let spaced = self.spacing_ms.is_some();
        if self
            .spacing_ms
            .is_some_and(|gap| now_ms < self.last_post_ms + gap)
        {
            return sends;
        }
        let mut free = (self.at_once as usize).saturating_sub(self.slots_held());
        // While spaced, one POST at a time: none while one is on its way.
        let mut one_sent = self.tenants.iter().any(|row| row.stage == Stage::Sending);
        // Repeats first (their slots are held already), then new tenants.
        for (index, row) in self.tenants.iter_mut().enumerate() {
            if let Stage::Resending { at_ms } = row.stage {
                if at_ms <= now_ms && !(spaced && one_sent) {
                    row.stage = Stage::Sending;
                    row.sends += 1;
                    one_sent = true;
                    sends.push(index);
                }
            }
        }
        for (index, row) in self.tenants.iter_mut().enumerate() {
            if free == 0 || (spaced && one_sent) {
                break;
            }
            if row.stage == Stage::Waiting {
                one_sent = true;
                row.stage = Stage::Sending;
                row.sends += 1;
                row.attempts += 1;
                free -= 1;
                sends.push(index);
            }
        }
        if !sends.is_empty() {
            self.last_post_ms = now_ms;
        }
        sends
    }

    fn slots_held(&self) -> usize {
        self.tenants
            .iter()
            .filter(|row| row.stage.holds_a_slot())
            .count()
    }

    /// The answer to work done for tenant `index`, at `now_ms`; `jitter` in
    /// `[0, 1)` spreads the waits.
    pub fn answered(&mut self, index: usize, answer: Answer, now_ms: f64, jitter: f64) {
        let Some(row) = self.tenants.get_mut(index) else {
            return;
        };
        match answer {
            Answer::Posted(result) => {
                if row.stage != Stage::Sending {
                    return;
                }
                match result {
                    Ok(job) => {
                        // An answer proves the token works again.
                        self.problem = None;
                        self.spacing_ms = eased(self.spacing_ms);
                        row.job_id = Some(job.job_id.clone());
                        heard(row, &job, now_ms);
                    }
                    Err(ApiError::JobInProgress { job_id }) => {
                        self.spacing_ms = eased(self.spacing_ms);
                        row.job_id = Some(job_id);
                        row.stage = Stage::Running;
                    }
                    Err(ApiError::RateLimited { retry_after_ms }) => {
                        // The whole batch waits; this tenant goes first
                        // after, then one at a time, spaced. A POST refused
                        // after the wait: the gap was too narrow. (Others
                        // of the burst refused during the wait are not.)
                        let wait = retry_after_ms.map_or(RATE_LIMIT_WAIT_MS, f64::from);
                        let waiting = self.hold_until_ms.is_some_and(|until| now_ms < until);
                        let widen = if waiting { 1.0 } else { SPACING_WIDENS };
                        let wider = self.spacing_ms.map_or(0.0, |gap| gap * widen);
                        let gap = wait.max(wider).clamp(SPACING_MIN_MS, SPACING_MAX_MS);
                        self.spacing_ms = Some(gap);
                        self.hold_until_ms = Some(now_ms + wait);
                        row.stage = Stage::Resending {
                            at_ms: now_ms + wait,
                        };
                    }
                    Err(ApiError::NotSignedIn) => {
                        row.stage = Stage::Resending { at_ms: now_ms };
                        self.problem = Some(ApiError::NotSignedIn.to_string());
                    }
                    Err(error) if error.worth_sending_again() && row.sends < MAX_SENDS => {
                        let wait = error
                            .retry_after_ms()
                            .unwrap_or_else(|| jittered_backoff_ms(row.sends, jitter));
                        row.stage = Stage::Resending {
                            at_ms: now_ms + f64::from(wait),
                        };
                    }
                    Err(error) => {
                        let refused = matches!(
                            error,
                            ApiError::TenantNotFound
                                | ApiError::Forbidden
                                | ApiError::InvalidRequest { .. }
                        );
                        row.stage = if refused {
                            Stage::Refused
                        } else {
                            Stage::Failed
                        };
                        row.error = Some(error_of(&error));
                    }
                }
            }
            // (The job watcher decides when a job is asked about again.)
            Answer::Heard(result) => {
                if row.stage != Stage::Running {
                    return;
                }
                match result {
                    Ok(job) if Some(&job.job_id) == row.job_id.as_ref() => {
                        self.problem = None;
                        heard(row, &job, now_ms);
                    }
                    Ok(_) => {}
                    Err(ApiError::JobNotFound) => {
                        row.stage = Stage::Expired;
                        row.error = Some(error_of(&ApiError::JobNotFound));
                    }
                    Err(ApiError::NotSignedIn) => {
                        self.problem = Some(ApiError::NotSignedIn.to_string());
                    }
                    Err(_) => {}
                }
            }
        }
    }

    /// "Retry failed": a new attempt, with a new key, for each tenant whose
    /// job failed or expired (not those the service refused), at the same
    /// pace.
    pub fn retry_failed(&mut self, mut key: impl FnMut() -> String) -> usize {
        let mut count = 0;
        for row in &mut self.tenants {
            if matches!(row.stage, Stage::Failed | Stage::Expired) {
                row.stage = Stage::Waiting;
                row.key = key();
                row.sends = 0;
                row.error = None;
                row.store_url = None;
                row.status = None;
                row.step = None;
                row.heard_at_ms = None;
                count += 1;
            }
        }
        count
    }

    /// A token is back after the batch stopped for want of one: it goes on
    /// (POSTs that were refused go again with their keys; the shell asks
    /// about its running jobs now).
    pub fn signed_in_again(&mut self) -> bool {
        self.problem.take().is_some()
    }

    /// After a reload: a POST that was on its way is unknown; it is sent
    /// again with its key (the service returns the job it started, if any).
    pub fn resumed(&mut self, now_ms: f64) {
        for row in &mut self.tenants {
            if row.stage == Stage::Sending {
                row.stage = Stage::Resending { at_ms: now_ms };
            }
        }
    }
}

/// The spacing after a POST is accepted: narrower, none under the minimum.
fn eased(spacing_ms: Option<f64>) -> Option<f64> {
    spacing_ms
        .map(|gap| gap * SPACING_EASES)
        .filter(|&gap| gap >= SPACING_MIN_MS)
}

/// A row's error code and message for an error: the contract's code where
/// there is one.
fn error_of(error: &ApiError) -> (String, String) {
    let code = error
        .code()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default();
    (code, error.to_string())
}

/// What the service said of a tenant's job, at `now_ms`.
fn heard(row: &mut BatchTenant, job: &Job, now_ms: f64) {
    row.heard_at_ms = Some(now_ms);
    row.status = Some(job.status.clone());
    row.stage = match job.status {
        JobStatus::Deployed => Stage::Deployed,
        JobStatus::Failed => Stage::Failed,
        _ => Stage::Running,
    };
    if let Some(progress) = &job.progress {
        if let (Some(step), Some(total)) = (progress.step, progress.total_steps) {
            row.step = Some((step, total));
        }
    }
    row.store_url = job.store_url.clone().filter(|url| !url.trim().is_empty());
    row.error = job
        .error
        .as_ref()
        .map(|e| (e.code.clone(), e.message.clone()));
    row.created_at = job.created_at.clone().or(row.created_at.take());
    row.updated_at = job.updated_at.clone().or(row.updated_at.take());
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
