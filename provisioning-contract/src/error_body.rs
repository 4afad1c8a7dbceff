//! The body every refusal carries: `{"error": {"code", "message", "jobId"?}}`.

use serde::{Deserialize, Serialize};

use crate::null_as_default;

/// The contract's error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: ErrorCode,
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
    /// The unfinished job, with `job_in_progress` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
                job_id: None,
            },
        }
    }

    /// The 409 answer naming the tenant's unfinished job.
    pub fn job_in_progress(message: impl Into<String>, job_id: impl Into<String>) -> Self {
        let mut body = Self::new(ErrorCode::JobInProgress, message);
        body.error.job_id = Some(job_id.into());
        body
    }
}

/// The codes the contract names, and any other kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ErrorCode {
    /// 400: the body's tenant id breaks the rule.
    InvalidTenantId,
    /// 400: the body is not the request.
    InvalidRequest,
    /// 401: no token, or an expired one.
    Unauthenticated,
    /// 403: this user may not provision.
    Forbidden,
    /// 404 from `POST`: no such tenant.
    TenantNotFound,
    /// 404 from `GET`: an unknown or expired job.
    JobNotFound,
    /// 409: the tenant has an unfinished job (named by `jobId`).
    JobInProgress,
    /// 429: slow down (`Retry-After`).
    RateLimited,
    /// A code the contract does not name ("" when none was sent).
    #[default]
    Unnamed,
    Other(String),
}

impl ErrorCode {
    const NAMED: [(Self, &'static str); 8] = [
        (Self::InvalidTenantId, "invalid_tenant_id"),
        (Self::InvalidRequest, "invalid_request"),
        (Self::Unauthenticated, "unauthenticated"),
        (Self::Forbidden, "forbidden"),
        (Self::TenantNotFound, "tenant_not_found"),
        (Self::JobNotFound, "job_not_found"),
        (Self::JobInProgress, "job_in_progress"),
        (Self::RateLimited, "rate_limited"),
    ];

    pub fn parse(text: &str) -> Self {
        match Self::NAMED.iter().find(|(_, name)| *name == text) {
            Some((code, _)) => code.clone(),
            None if text.is_empty() => Self::Unnamed,
            None => Self::Other(text.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Unnamed => "",
            Self::Other(text) => text,
            named => Self::NAMED
                .iter()
                .find(|(code, _)| code == named)
                .map_or("", |(_, name)| name),
        }
    }
}

crate::serde_as_text!(ErrorCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_example_decodes_and_encodes_as_it_was() {
        let text = r#"{"error":{"code":"job_in_progress","message":"Tenant acme-shoes already has a job running","jobId":"job_8f2c1a"}}"#;
        let body: ErrorBody = serde_json::from_str(text).unwrap();
        assert_eq!(
            body,
            ErrorBody::job_in_progress("Tenant acme-shoes already has a job running", "job_8f2c1a")
        );
        assert_eq!(serde_json::to_string(&body).unwrap(), text);
    }

    #[test]
    fn every_code_reads_back_as_written_and_others_are_kept() {
        for (code, name) in ErrorCode::NAMED {
            assert_eq!(ErrorCode::parse(name), code);
            assert_eq!(code.as_str(), name);
        }
        assert_eq!(
            ErrorCode::parse("quota_exceeded").as_str(),
            "quota_exceeded"
        );
        let body: ErrorBody = serde_json::from_str(r#"{"error":{"code":null}}"#).unwrap();
        assert_eq!(
            (body.error.code, body.error.message),
            (ErrorCode::Unnamed, String::new())
        );
        let without_id =
            serde_json::to_string(&ErrorBody::new(ErrorCode::Forbidden, "no")).unwrap();
        assert_eq!(
            without_id,
            r#"{"error":{"code":"forbidden","message":"no"}}"#
        );
    }
}
