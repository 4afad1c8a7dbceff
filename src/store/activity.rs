//! The Tenants page's activity list: every tenant this browser has a job
//! for, with its newest attempt as the service last described it. Which
//! jobs to ask about next (heads only) is decided here, tested natively.

use std::collections::HashMap;

use crate::api::{Job, JobStatus, Progress, TenantId};
use crate::store::batch::{Batch, Stage};
use crate::store::saved_attempts::SavedAttempts;
use crate::store::JobState;

/// Rows the list shows until the reader asks for all.
pub const ROWS_AT_FIRST: usize = 20;

/// One tenant's newest attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub tenant: TenantId,
    /// Status, progress and times as last heard (no log).
    pub job: JobState,
    /// The service no longer knows the job.
    pub expired: bool,
    /// Asking about it failed (signed out, refused, unreachable): not asked
    /// again on this visit.
    pub unreadable: bool,
}

/// The list, newest job first once their times are known (a yewdux store:
/// the Tenants page shows it).
#[derive(Debug, Clone, PartialEq, Default, yewdux::Store)]
pub struct Activity {
    pub rows: Vec<ActivityRow>,
}

impl Activity {
    /// From the attempts kept in this browser (tenant → attempts, newest
    /// first): each tenant's newest.
    pub fn from_attempts(attempts: SavedAttempts) -> Activity {
        let rows = attempts
            .into_iter()
            .filter_map(|(tenant, list)| {
                let tenant = TenantId::parse(&tenant).ok()?;
                let newest = list.into_iter().next()?;
                Some(ActivityRow {
                    tenant,
                    job: JobState::new(&newest.job_id),
                    expired: newest.expired,
                    unreadable: false,
                })
            })
            .collect();
        Activity { rows }
    }

    /// The jobs to ask about: not heard of yet, or still running, and not
    /// followed by the `batch` (the list learns those from it: the tab
    /// that drives the batch asks, the others read what it keeps).
    pub fn to_ask(&self, batch: Option<&Batch>) -> Vec<String> {
        let batch_follows = batch.map(Batch::followed_jobs).unwrap_or_default();
        // A running job kept for a tenant the batch is still to start, or
        // has its POST on the way, is the batch's: kept as an attempt before
        // the batch kept its id (the tab that drives the batch keeps
        // attempts at once, the batch a moment later), or one the batch's
        // POST will attach to.
        let starting =
            |tenant: &TenantId| batch.is_some_and(|b| b.starting_tenants().any(|t| t == tenant));
        self.rows
            .iter()
            .filter(|row| !row.expired && !row.unreadable && !row.job.is_final())
            .filter(|row| !starting(&row.tenant))
            .map(|row| row.job.job_id.to_string())
            .filter(|job_id| !batch_follows.contains(job_id))
            .collect()
    }

    /// A head-only answer about one of the jobs.
    pub fn heard(&mut self, head: Job) {
        let Some(at) = self.rows.iter().position(|r| *r.job.job_id == head.job_id) else {
            return;
        };
        let mut row = self.rows.remove(at);
        row.job.status = Some(head.status);
        row.job.progress = head.progress;
        row.job.created_at = head.created_at.or(row.job.created_at.take());
        row.job.updated_at = head.updated_at.or(row.job.updated_at.take());
        // Back in its place, newest first (RFC 3339 times of one service
        // compare as text; a job not heard of yet goes last, and rows
        // heard of at the same time keep their order).
        let to = self
            .rows
            .iter()
            .position(|other| other.job.created_at < row.job.created_at)
            .unwrap_or(self.rows.len());
        self.rows.insert(to, row);
    }

    /// What the batch (if any) knows of its tenants' jobs: each is its
    /// tenant's newest attempt (a row is added for a tenant new here), shown
    /// as the batch last heard of it.
    pub fn learn_from_batch(&mut self, batch: Option<&Batch>) {
        let Some(batch) = batch else { return };
        let mut at: HashMap<TenantId, usize> = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| (row.tenant.clone(), index))
            .collect();
        let mut moved = false;
        for tenant in &batch.tenants {
            let Some(job_id) = tenant.job_id.as_deref() else {
                continue;
            };
            let index = *at.entry(tenant.tenant.clone()).or_insert_with(|| {
                self.rows.push(ActivityRow {
                    tenant: tenant.tenant.clone(),
                    job: JobState::new(job_id),
                    expired: false,
                    unreadable: false,
                });
                self.rows.len() - 1
            });
            let row = &mut self.rows[index];
            if *row.job.job_id != *job_id {
                row.job = JobState::new(job_id);
            }
            moved |= row.job.created_at != tenant.created_at;
            row.job.created_at = tenant.created_at.clone();
            row.job.updated_at = tenant.updated_at.clone();
            row.job.status = tenant.status.clone();
            row.job.progress = tenant.step.map(|(step, total)| Progress {
                step: Some(step),
                total_steps: Some(total),
                label: None,
            });
            row.expired = tenant.stage == Stage::Expired;
        }
        if moved {
            // Newest first; a job not heard of yet last (stable: rows
            // started at the same time keep their order).
            self.rows
                .sort_by(|a, b| b.job.created_at.cmp(&a.job.created_at));
        }
    }

    /// The service no longer knows `job_id` (404).
    pub fn expired(&mut self, job_id: &str) {
        if let Some(row) = self.rows.iter_mut().find(|r| &*r.job.job_id == job_id) {
            row.expired = true;
        }
    }

    /// Asking about `job_id` failed otherwise.
    pub fn unreadable(&mut self, job_id: &str) {
        if let Some(row) = self.rows.iter_mut().find(|r| &*r.job.job_id == job_id) {
            row.unreadable = true;
        }
    }

    /// How many rows are running now.
    pub fn running(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| !r.expired && r.job.status.as_ref().is_some_and(|s| !s.is_final()))
            .count()
    }
}

/// What a row's status says: the service's status, or "expired".
pub fn status_word(row: &ActivityRow) -> Option<&str> {
    if row.expired {
        return Some("expired");
    }
    if row.unreadable && row.job.status.is_none() {
        return Some("unknown");
    }
    row.job.status.as_ref().map(JobStatus::as_str)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::job_fixture::job;
    use crate::store::batch::Stage;
    use crate::store::saved_attempts::SavedAttempt;

    #[test]
    fn each_tenant_shows_its_newest_job_and_only_running_ones_are_asked_about() {
        let live = SavedAttempt::live;
        let mut kept = SavedAttempts::new();
        kept.insert("a".to_owned(), vec![live("a2"), live("a1")]);
        kept.insert("b".to_owned(), vec![live("b1")]);
        kept.insert("c".to_owned(), vec![live("c1")]);
        let gone = SavedAttempt {
            job_id: "d1".into(),
            expired: true,
        };
        kept.insert("d".to_owned(), vec![gone]);
        let mut activity = Activity::from_attempts(kept);
        assert_eq!(
            activity.to_ask(None),
            ["a2", "b1", "c1"],
            "each heard of once at first"
        );
        activity.heard(
            job("a2")
                .status(JobStatus::Processing)
                .created_at("2026-11-23T10:00:00Z")
                .build(),
        );
        activity.heard(
            job("b1")
                .status(JobStatus::Deployed)
                .created_at("2026-11-23T11:00:00Z")
                .build(),
        );
        activity.expired("c1");
        assert_eq!(activity.to_ask(None), ["a2"]);
        let mut refused = activity.clone();
        refused.unreadable("a2");
        assert!(
            refused.to_ask(None).is_empty(),
            "a refused job is not asked about again"
        );
        assert_eq!(activity.running(), 1);
        let order: Vec<&str> = activity.rows.iter().map(|r| r.tenant.as_str()).collect();
        assert_eq!(order, ["b", "a", "c", "d"], "newest first, unknown last");
        assert_eq!(status_word(&activity.rows[2]), Some("expired"));
        assert_eq!(
            status_word(&activity.rows[3]),
            Some("expired"),
            "kept as expired: never asked about"
        );
        activity.heard(
            job("a2")
                .status(JobStatus::Failed)
                .created_at("2026-11-23T10:00:00Z")
                .build(),
        );
        assert!(
            activity.to_ask(None).is_empty(),
            "nothing runs: no more requests"
        );
        // An answer about a job not listed changes nothing.
        activity.heard(
            job("zz")
                .status(JobStatus::Processing)
                .created_at("2026-11-23T12:00:00Z")
                .build(),
        );
        assert_eq!(activity.rows.len(), 4);
    }

    #[test]
    fn the_batch_s_jobs_show_as_it_hears_them_and_are_not_asked_about_twice() {
        let mut kept = SavedAttempts::new();
        kept.insert("a".to_owned(), vec![SavedAttempt::live("a1")]);
        kept.insert("b".to_owned(), vec![SavedAttempt::live("b1")]);
        let mut activity = Activity::from_attempts(kept);
        activity.heard(
            job("b1")
                .status(JobStatus::Deployed)
                .created_at("2026-11-23T09:00:00Z")
                .build(),
        );
        let tenants = ["a", "c", "d"]
            .iter()
            .map(|t| TenantId::parse(t).unwrap())
            .collect();
        let mut batch = Batch::new(tenants, 2, || "k".to_owned());
        // a: a new attempt in the batch; c: running; d: not started yet.
        for (row, job) in batch.tenants.iter_mut().zip(["a2", "c1"]) {
            row.job_id = Some(job.to_owned());
            row.stage = Stage::Running;
            row.status = Some(JobStatus::Processing);
            row.step = Some((2, 7));
            row.created_at = Some(format!("2026-11-23T10:00:0{}Z", job.len()));
        }
        batch.tenants[1].created_at = Some("2026-11-23T11:00:00Z".into());
        activity.learn_from_batch(Some(&batch));
        let shown: Vec<(&str, &str)> = activity
            .rows
            .iter()
            .map(|r| (r.tenant.as_str(), &*r.job.job_id))
            .collect();
        assert_eq!(
            shown,
            [("c", "c1"), ("a", "a2"), ("b", "b1")],
            "the batch's newest attempts, newest first; d has no job yet"
        );
        assert_eq!(
            activity.rows[0].job.progress.as_ref().unwrap().step,
            Some(2)
        );
        assert_eq!(activity.running(), 2);
        assert!(
            activity.to_ask(Some(&batch)).is_empty(),
            "the batch follows a2 and c1; b1 has ended"
        );
        // Once the batch is gone (replaced while c1 ran), the list asks itself.
        assert_eq!(activity.to_ask(None), ["c1", "a2"]);
        // d's POST on its way, its job already kept as an attempt: the
        // batch's, not asked about by the list.
        let mut kept = SavedAttempts::new();
        kept.insert("d".to_owned(), vec![SavedAttempt::live("d1")]);
        let starting = Activity::from_attempts(kept);
        assert_eq!(starting.to_ask(None), ["d1"]);
        for stage in [Stage::Waiting, Stage::Sending] {
            batch.tenants[2].stage = stage;
            assert!(starting.to_ask(Some(&batch)).is_empty());
        }
    }
}
