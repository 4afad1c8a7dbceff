//! A provisioning job as both endpoints return it, and the request that
//! starts one.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::null_as_default;

/// The body of `POST /provision/store`. The id is kept as sent: a service
/// answers one that breaks the rule with `invalid_tenant_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionRequest {
    pub tenant_id: String,
}

/// A job's lifecycle: `queued` → `processing` → `deployed` | `failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStatus {
    Queued,
    Processing,
    Deployed,
    Failed,
    /// A status the contract does not name, kept as the server sent it.
    Other(Arc<str>),
}

impl JobStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "queued" => Self::Queued,
            "processing" => Self::Processing,
            "deployed" => Self::Deployed,
            "failed" => Self::Failed,
            other => Self::Other(other.into()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Queued => "queued",
            Self::Processing => "processing",
            Self::Deployed => "deployed",
            Self::Failed => "failed",
            Self::Other(text) => text,
        }
    }

    /// `deployed` and `failed` are final: nothing about the job changes after them.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Deployed | Self::Failed)
    }
}

crate::serde_as_text!(JobStatus);

/// Step N of M, with a label; every part optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    #[serde(default)]
    pub step: Option<u32>,
    #[serde(default)]
    pub total_steps: Option<u32>,
    #[serde(default)]
    pub label: Option<String>,
}

/// Why a job failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobError {
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
}

/// One line of a job's log: `seq` strictly increasing from 1; `level` one
/// of `debug`, `info`, `warn`, `error` or another; `message` any text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub seq: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub ts: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub level: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
}

/// A job as `POST /provision/store` and `GET /provision/status/{jobId}` return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub job_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tenant_id: String,
    pub status: JobStatus,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub progress: Option<Progress>,
    #[serde(default)]
    pub store_url: Option<String>,
    #[serde(default)]
    pub error: Option<JobError>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub logs: Vec<LogLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{"jobId":"job_8f2c1a","tenantId":"acme-shoes","status":"processing","createdAt":"2026-11-23T10:15:00Z","updatedAt":"2026-11-23T10:15:42Z","progress":{"step":3,"totalSteps":7,"label":"Seeding catalog"},"storeUrl":null,"error":null,"logs":[{"seq":1,"ts":"2026-11-23T10:15:01.120Z","level":"info","message":"Creating database schema"}]}"#;

    #[test]
    fn the_contract_example_decodes_and_encodes_as_it_was() {
        let job: Job = serde_json::from_str(EXAMPLE).unwrap();
        assert_eq!(job.status, JobStatus::Processing);
        assert_eq!(job.progress.as_ref().unwrap().total_steps, Some(7));
        assert_eq!(job.logs[0].message, "Creating database schema");
        assert_eq!(serde_json::to_string(&job).unwrap(), EXAMPLE);
    }

    #[test]
    fn missing_and_null_optional_fields_and_unknown_ones_are_fine() {
        let job: Job = serde_json::from_str(
            r#"{"jobId":"j","status":"warming_up","logs":null,"tenantId":null,"region":"eu","progress":null}"#,
        )
        .unwrap();
        assert_eq!(job.status, JobStatus::Other("warming_up".into()));
        assert_eq!(job.status.as_str(), "warming_up");
        assert!(!job.status.is_final());
        assert!(job.logs.is_empty() && job.progress.is_none());
    }

    #[test]
    fn a_log_line_needs_only_its_seq() {
        let line: LogLine = serde_json::from_str(r#"{"seq":4,"level":null}"#).unwrap();
        assert_eq!(
            (line.seq, line.level.as_str(), line.message.as_str()),
            (4, "", "")
        );
    }

    #[test]
    fn statuses_read_back_as_written() {
        for text in ["queued", "processing", "deployed", "failed", "warming_up"] {
            let status = JobStatus::parse(text);
            assert_eq!(status.as_str(), text);
            assert_eq!(status.is_final(), matches!(text, "deployed" | "failed"));
        }
    }
}
