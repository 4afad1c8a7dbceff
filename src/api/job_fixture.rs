//! Jobs for tests, one builder for every module's tests:
//! `job("j1").status(JobStatus::Deployed).lines(1..=3).build()`.

use super::{Job, JobError, JobStatus, LogLine, Progress};

/// A job as the service sends it. Unless told otherwise: tenant `acme`,
/// `processing`, created at 2026-11-23T10:15:00Z, at step 3 of 7 with no
/// label, no lines.
#[derive(Debug, Clone)]
pub struct JobFixture(Job);

/// The job `id`, with the defaults above.
pub fn job(id: &str) -> JobFixture {
    JobFixture(Job {
        job_id: id.into(),
        tenant_id: "acme".into(),
        status: JobStatus::Processing,
        created_at: Some("2026-11-23T10:15:00Z".into()),
        updated_at: None,
        progress: Some(Progress {
            step: Some(3),
            total_steps: Some(7),
            label: None,
        }),
        store_url: None,
        error: None,
        logs: Vec::new(),
    })
}

impl JobFixture {
    /// The status, with what the service sends beside it: a deployed job
    /// has a store URL (`https://t.shop/`), a failed one an error
    /// (`domain_verification_failed`).
    pub fn status(mut self, status: JobStatus) -> Self {
        self.0.store_url = (status == JobStatus::Deployed).then(|| "https://t.shop/".into());
        self.0.error = (status == JobStatus::Failed).then(|| JobError {
            code: "domain_verification_failed".into(),
            message: "no TXT record".into(),
        });
        self.0.status = status;
        self
    }

    pub fn store_url(mut self, url: &str) -> Self {
        self.0.store_url = Some(url.into());
        self
    }

    pub fn created_at(mut self, at: &str) -> Self {
        self.0.created_at = Some(at.into());
        self
    }

    /// Step `step` of 7.
    pub fn step(mut self, step: u32) -> Self {
        if let Some(progress) = &mut self.0.progress {
            progress.step = Some(step);
        }
        self
    }

    /// The log lines numbered `seqs`, `info`, each with its number as its message.
    pub fn lines(mut self, seqs: impl IntoIterator<Item = u64>) -> Self {
        self.0.logs = seqs
            .into_iter()
            .map(|seq| LogLine {
                seq,
                ts: String::new(),
                level: "info".into(),
                message: seq.to_string(),
            })
            .collect();
        self
    }

    pub fn build(self) -> Job {
        self.0
    }
}
