//! A tenant's attempts, newest first: what the service said of each (its
//! head) and, for those read on this page, the whole job with its log. The
//! newest is the job the tenant follows, unless the service no longer
//! knows it.

use std::rc::Rc;

use super::JobState;
use crate::api::{Job, JobStatus};
use crate::store::saved_attempts::{SavedAttempt, ATTEMPTS_KEPT};
use crate::time_format::{parse_rfc3339_wall_ms, time_of_day};

/// What is known of an attempt without reading its log.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptHead {
    pub job_id: Rc<str>,
    pub status: Option<JobStatus>,
    pub created_at: Option<String>,
    /// The service no longer knows it (404).
    pub expired: bool,
}

/// One attempt: its head, and its job once read on this page.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub head: AttemptHead,
    pub job: Option<JobState>,
}

impl Attempt {
    pub fn new(job_id: &str) -> Self {
        Self {
            head: AttemptHead {
                job_id: job_id.into(),
                status: None,
                created_at: None,
                expired: false,
            },
            job: None,
        }
    }

    fn saved(saved: &SavedAttempt) -> Self {
        let mut attempt = Self::new(&saved.job_id);
        attempt.head.expired = saved.expired;
        attempt
    }

    pub fn job_id(&self) -> &str {
        &self.head.job_id
    }

    /// What the service said of the job (a start time, once known, stays).
    pub fn heard(&mut self, job: &Job) {
        self.head.status = Some(job.status.clone());
        self.head.created_at = job.created_at.clone().or(self.head.created_at.take());
    }

    /// Its state and start: from its job when read, else from its head.
    pub fn status(&self) -> Option<&JobStatus> {
        self.job
            .as_ref()
            .and_then(|job| job.status.as_ref())
            .or(self.head.status.as_ref())
    }

    pub fn created_at(&self) -> Option<&str> {
        self.job
            .as_ref()
            .and_then(|job| job.created_at.as_deref())
            .or(self.head.created_at.as_deref())
    }

    /// How "Attempt" lists it as attempt `number` (1 for the first):
    /// "Attempt 3 · running · started 10:42", "Attempt 1 · expired".
    pub fn label(&self, number: usize) -> String {
        let mut text = format!("Attempt {number}");
        let state = match self.status() {
            _ if self.head.expired => Some("expired"),
            Some(JobStatus::Processing) => Some("running"),
            Some(status) => Some(status.as_str()),
            None => None,
        };
        if let Some(state) = state {
            text.push_str(" · ");
            text.push_str(state);
        }
        if let Some(wall_ms) = self
            .created_at()
            .and_then(parse_rfc3339_wall_ms)
            .filter(|_| !self.head.expired)
        {
            text.push_str(" · started ");
            text.push_str(&time_of_day(wall_ms as i64)[..5]);
        }
        text
    }
}

/// A tenant's attempts, newest first, at most [`ATTEMPTS_KEPT`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attempts(Vec<Attempt>);

impl Attempts {
    pub fn iter(&self) -> std::slice::Iter<'_, Attempt> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, job_id: &str) -> Option<&Attempt> {
        self.0.iter().find(|a| a.job_id() == job_id)
    }

    pub fn get_mut(&mut self, job_id: &str) -> Option<&mut Attempt> {
        self.0.iter_mut().find(|a| a.job_id() == job_id)
    }

    /// Its number as "Attempt" counts (1 for the oldest) and the attempt
    /// before it, if any.
    pub fn number_and_previous(&self, job_id: &str) -> Option<(usize, Option<&Attempt>)> {
        let at = self.0.iter().position(|a| a.job_id() == job_id)?;
        Some((self.0.len() - at, self.0.get(at + 1)))
    }

    /// The newest attempt, expired or not: the one on screen unless
    /// another is chosen.
    pub fn newest(&self) -> Option<&Attempt> {
        self.0.first()
    }

    /// The newest attempt, when the service still knows it: the job the
    /// tenant follows.
    pub fn followed(&self) -> Option<&Attempt> {
        self.0.first().filter(|a| !a.head.expired)
    }

    pub fn followed_mut(&mut self) -> Option<&mut Attempt> {
        self.0.first_mut().filter(|a| !a.head.expired)
    }

    /// `job_id` becomes the newest attempt, followed: moved to the front
    /// with what is known of it, or added. Earlier attempts keep theirs.
    pub fn follow(&mut self, job_id: &str) -> &mut Attempt {
        let mut attempt = match self.0.iter().position(|a| a.job_id() == job_id) {
            Some(at) => self.0.remove(at),
            None => Attempt::new(job_id),
        };
        attempt.head.expired = false;
        self.0.insert(0, attempt);
        self.0.truncate(ATTEMPTS_KEPT);
        &mut self.0[0]
    }

    /// The attempts this browser kept (on a visit), newest first: what this
    /// page knows of each stays, and a job it follows stays first.
    pub fn known(&mut self, saved: &[SavedAttempt]) {
        let mut held = std::mem::take(&mut self.0);
        let followed = held
            .first()
            .filter(|a| !a.head.expired && a.job.is_some())
            .map(|a| a.head.job_id.clone());
        let mut take = |job_id: &str| {
            let at = held.iter().position(|a| a.job_id() == job_id)?;
            Some(held.swap_remove(at))
        };
        self.0 = saved
            .iter()
            .map(|s| take(&s.job_id).unwrap_or_else(|| Attempt::saved(s)))
            .collect();
        if let Some(id) = followed {
            let attempt = match self.0.iter().position(|a| a.job_id() == &*id) {
                Some(at) => self.0.remove(at),
                None => take(&id).unwrap_or_else(|| Attempt::new(&id)),
            };
            self.0.insert(0, attempt);
        }
        self.0.truncate(ATTEMPTS_KEPT);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn labelled(
        number: usize,
        status: Option<JobStatus>,
        created: Option<&str>,
        expired: bool,
    ) -> String {
        let mut attempt = Attempt::new("j");
        attempt.head.status = status;
        attempt.head.created_at = created.map(str::to_owned);
        attempt.head.expired = expired;
        attempt.label(number)
    }

    #[test]
    fn attempts_are_labelled_by_number_state_and_start() {
        let at = Some("2026-11-23T10:42:07Z");
        assert_eq!(
            labelled(3, Some(JobStatus::Processing), at, false),
            "Attempt 3 · running · started 10:42"
        );
        assert_eq!(
            labelled(2, Some(JobStatus::Failed), None, false),
            "Attempt 2 · failed"
        );
        assert_eq!(
            labelled(1, Some(JobStatus::Deployed), Some("junk"), false),
            "Attempt 1 · deployed"
        );
        assert_eq!(labelled(1, None, at, true), "Attempt 1 · expired");
        assert_eq!(labelled(4, None, None, false), "Attempt 4");
        assert_eq!(
            labelled(2, Some(JobStatus::parse("paused")), None, false),
            "Attempt 2 · paused"
        );
    }

    #[test]
    fn a_job_read_on_this_page_says_its_own_state() {
        let mut attempt = Attempt::new("j");
        attempt.head.status = Some(JobStatus::Queued);
        let mut job = JobState::new("j");
        job.status = Some(JobStatus::Failed);
        attempt.job = Some(job);
        assert_eq!(attempt.label(2), "Attempt 2 · failed");
    }
}
