//! One follower a job, however many tabs show it. The tab that holds the
//! job's lock (`store::tab_lock`, `store-portal.job.<jobId>`) polls the
//! service and tells the other tabs what it heard, on a BroadcastChannel of
//! the same name; they apply it as if they had heard it themselves. A tab
//! that opens the job reads its backlog once itself, and applies what was
//! relayed meanwhile after it (lines at or below what it holds are dropped:
//! `LogLines::appended`). The messages are plain serde JSON of the
//! contract's types; this module is pure.

use serde::{Deserialize, Serialize};

use super::provisioning::Action;
use crate::api::{Job, LogLine};

/// The lock and channel of a job.
pub fn channel_name(job_id: &str) -> String {
    format!("store-portal.job.{job_id}")
}

/// What one tab tells the others about a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A message read back; anything else (junk, another version's) is none.
    pub fn decode(text: &str) -> Option<Relayed> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::JobStatus;

    fn job(id: &str) -> Job {
        Job {
            job_id: id.into(),
            tenant_id: "acme".into(),
            status: JobStatus::Processing,
            created_at: Some("2026-12-07T10:00:00Z".into()),
            updated_at: None,
            progress: None,
            store_url: None,
            error: None,
            logs: Vec::new(),
        }
    }

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
            Action::StatusReceived(job("j1")),
            Action::HeadReceived(job("j1")),
        ];
        for action in actions {
            let relayed = Relayed::of(&action).expect("relayed");
            let back = Relayed::decode(&relayed.encode()).expect("decoded");
            assert_eq!(back.into_action("j1"), Some(action));
        }
        assert_eq!(Relayed::of(&Action::ResumePolling), None, "each tab's own");
        assert_eq!(
            Relayed::Status(job("j2")).into_action("j1"),
            None,
            "another job's news"
        );
        assert_eq!(
            Relayed::decode(&Relayed::Shown.encode()),
            Some(Relayed::Shown)
        );
        for junk in ["", "null", r#"{"Status":{"jobId":7}}"#, r#""Explode""#] {
            assert_eq!(Relayed::decode(junk), None, "{junk}");
        }
    }
}
