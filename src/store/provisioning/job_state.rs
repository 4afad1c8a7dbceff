//! A job as the portal knows it: what the service last said of it, and its
//! whole log as read so far.

use std::rc::Rc;

use crate::api::{Job, JobError, JobStatus, Progress};
use crate::log_pane::steps::{note_progress, StepMark};
use crate::log_pane::LogLines;

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
    pub(super) fn merge(&mut self, job: Job) {
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
