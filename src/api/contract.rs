//! Types of `shared/provisioning-api.md`. Decoding is lenient where the
//! contract allows it: unknown fields are ignored, optional fields may be
//! missing or `null`, and an unknown status is kept as it was sent.

use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize};

/// A tenant id as the contract defines it: 1 to 63 characters of `a-z`,
/// `0-9` and `-`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantId(Rc<str>);

/// Why a text is not a tenant id, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTenantId {
    #[error("Enter a tenant id.")]
    Empty,
    #[error("A tenant id has at most 63 characters.")]
    TooLong,
    #[error("A tenant id uses only lowercase letters a–z, digits and “-”.")]
    BadCharacter,
    #[error("A tenant id cannot start or end with “-”.")]
    EdgeHyphen,
}

impl TenantId {
    pub fn parse(text: &str) -> Result<Self, InvalidTenantId> {
        if text.is_empty() {
            return Err(InvalidTenantId::Empty);
        }
        if text.len() > 63 {
            return Err(InvalidTenantId::TooLong);
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(InvalidTenantId::BadCharacter);
        }
        if text.starts_with('-') || text.ends_with('-') {
            return Err(InvalidTenantId::EdgeHyphen);
        }
        Ok(Self(text.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TenantId {
    type Error = InvalidTenantId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TenantId> for String {
    fn from(value: TenantId) -> Self {
        value.0.to_string()
    }
}

/// The body of `POST /provision/store`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionRequest<'a> {
    pub tenant_id: &'a str,
}

/// A job's lifecycle: `queued` → `processing` → `deployed` | `failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStatus {
    Queued,
    Processing,
    Deployed,
    Failed,
    /// A status this portal does not know, shown as the server sent it.
    Other(Rc<str>),
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

impl<'de> Deserialize<'de> for JobStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}

/// Step N of M, with a label; every part optional.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JobError {
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
}

/// One line of a job's log.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Deserialize)]
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

/// The contract's error body: `{"error": {"code", "message", "jobId"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
    #[serde(default)]
    pub job_id: Option<String>,
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_follow_the_contract() {
        for good in ["a", "acme-shoes", "a1-b2", &"x".repeat(63)] {
            assert!(TenantId::parse(good).is_ok(), "{good}");
        }
        assert_eq!(TenantId::parse(""), Err(InvalidTenantId::Empty));
        assert_eq!(
            TenantId::parse(&"x".repeat(64)),
            Err(InvalidTenantId::TooLong)
        );
        assert_eq!(TenantId::parse("Acme"), Err(InvalidTenantId::BadCharacter));
        assert_eq!(
            TenantId::parse("acme_shoes"),
            Err(InvalidTenantId::BadCharacter)
        );
        assert_eq!(
            TenantId::parse("ümlaut"),
            Err(InvalidTenantId::BadCharacter)
        );
        assert_eq!(TenantId::parse("-acme"), Err(InvalidTenantId::EdgeHyphen));
        assert_eq!(TenantId::parse("acme-"), Err(InvalidTenantId::EdgeHyphen));
    }

    #[test]
    fn the_contract_example_decodes() {
        let job: Job = serde_json::from_str(
            r#"{"jobId":"job_8f2c1a","tenantId":"acme-shoes","status":"processing",
            "createdAt":"2026-11-23T10:15:00Z","updatedAt":"2026-11-23T10:15:42Z",
            "progress":{"step":3,"totalSteps":7,"label":"Seeding catalog"},
            "storeUrl":null,"error":null,
            "logs":[{"seq":1,"ts":"2026-11-23T10:15:01.120Z","level":"info","message":"Creating database schema"}]}"#,
        )
        .unwrap();
        assert_eq!(job.status, JobStatus::Processing);
        assert_eq!(job.progress.unwrap().total_steps, Some(7));
        assert_eq!(job.logs[0].message, "Creating database schema");
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
}
