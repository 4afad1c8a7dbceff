//! One follower a job, however many tabs show it. The tab that holds the
//! job's lock (`store::tab_lock`, `store-portal.job.<jobId>`) polls the
//! service and tells the other tabs what it heard, on a BroadcastChannel of
//! the same name; they apply it as if they had heard it themselves. A tab
//! that opens the job reads its backlog once itself, and applies what was
//! relayed meanwhile after it (lines at or below what it holds are dropped:
//! `LogLines::appended`). A message is its kind on a line, then the job as
//! a status body (the contract's JSON), read back by the one decoder of
//! status bodies (`api::job_page`); this module is pure.

use super::provisioning::Action;
use crate::api::job_page::JobPage;
use crate::api::{Job, JobStatus, LogLine};

/// The lock and channel of a job.
pub fn channel_name(job_id: &str) -> String {
    format!("store-portal.job.{job_id}")
}

/// What one tab tells the others about a job.
#[derive(Debug, Clone, PartialEq)]
pub enum Relayed {
    /// Lines the follower applied.
    Lines(Vec<LogLine>),
    /// A whole answer, after its lines.
    Status(Job),
    /// A head-only answer (the follower's tab is hidden).
    Head(Job),
    /// A tab that shows the job without following it is on screen: the
    /// follower keeps a shown job's pace.
    Shown,
}

impl Relayed {
    /// What the follower applied, as relayed to the others (`None`: an
    /// action that is each tab's own).
    pub fn of(action: &Action) -> Option<Relayed> {
        match action {
            Action::LinesReceived { lines, .. } => Some(Relayed::Lines(lines.clone())),
            Action::StatusReceived(job) => Some(Relayed::Status(job.clone())),
            Action::HeadReceived(job) => Some(Relayed::Head(job.clone())),
            _ => None,
        }
    }

    /// What a tab showing `job_id` applies; `None` for another job's news.
    pub fn into_action(self, job_id: &str) -> Option<Action> {
        match self {
            Relayed::Lines(lines) => Some(Action::LinesReceived {
                job_id: job_id.to_owned(),
                lines,
            }),
            Relayed::Status(job) if job.job_id == job_id => Some(Action::StatusReceived(job)),
            Relayed::Head(job) if job.job_id == job_id => Some(Action::HeadReceived(job)),
            _ => None,
        }
    }

    /// `lines`, `status` or `head`, a line break, and the job as a status
    /// body (lines: in its `logs`); `shown`.
    pub fn encode(&self, job_id: &str) -> String {
        let (kind, job) = match self {
            Relayed::Lines(lines) => (
                "lines",
                Job {
                    job_id: job_id.to_owned(),
                    tenant_id: String::new(),
                    status: JobStatus::Processing,
                    created_at: None,
                    updated_at: None,
                    progress: None,
                    store_url: None,
                    error: None,
                    logs: lines.clone(),
                },
            ),
            Relayed::Status(job) => ("status", job.clone()),
            Relayed::Head(job) => ("head", job.clone()),
            Relayed::Shown => return "shown".to_owned(),
        };
        format!(
            "{kind}\n{}",
            serde_json::to_string(&job).unwrap_or_default()
        )
    }

    /// A message read back; anything else (junk, another version's) is none.
    pub fn decode(text: &str) -> Option<Relayed> {
        if text == "shown" {
            return Some(Relayed::Shown);
        }
        let (kind, body) = text.split_once('\n')?;
        let job = JobPage::parse(body.to_owned())
            .and_then(JobPage::into_job)
            .ok()?;
        match kind {
            "lines" => Some(Relayed::Lines(job.logs)),
            "status" => Some(Relayed::Status(job)),
            "head" => Some(Relayed::Head(job)),
            _ => None,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::job_fixture::job;

    fn line(seq: u64) -> LogLine {
        LogLine {
            seq,
            ts: "2026-12-07T10:00:01Z".into(),
            level: "info".into(),
            message: "Seeding \"catalog\" ✓".into(),
        }
    }

    #[test]
    fn what_the_follower_applied_reads_back_as_the_same_action() {
        let actions = [
            Action::LinesReceived {
                job_id: "j1".into(),
                lines: vec![line(1), line(2)],
            },
            Action::StatusReceived(job("j1").build()),
            Action::HeadReceived(job("j1").build()),
        ];
        for action in actions {
            let relayed = Relayed::of(&action).expect("relayed");
            let back = Relayed::decode(&relayed.encode("j1")).expect("decoded");
            assert_eq!(back.into_action("j1"), Some(action));
        }
        assert_eq!(Relayed::of(&Action::ResumePolling), None, "each tab's own");
        assert_eq!(
            Relayed::Status(job("j2").build()).into_action("j1"),
            None,
            "another job's news"
        );
        assert_eq!(
            Relayed::decode(&Relayed::Shown.encode("j1")),
            Some(Relayed::Shown)
        );
        for junk in [
            "",
            "null",
            "status\n{\"jobId\":7}",
            "status\n{\"jobId\":\"j1\",\"status\":\"processing\"",
            "explode\n{\"jobId\":\"j1\",\"status\":\"processing\"}",
        ] {
            assert_eq!(Relayed::decode(junk), None, "{junk}");
        }
    }
}
