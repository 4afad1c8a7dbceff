//! Where requests go: the configured base URL joined with the contract's
//! paths. Pure string work, tested natively.

use std::rc::Rc;

use provisioning_contract::paths;

/// The service's base URL. Empty means the portal's own origin.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiBase(Rc<str>);

impl ApiBase {
    /// Trims white space and trailing slashes: `https://api.example/` and
    /// `https://api.example` are the same base.
    pub fn new(base: &str) -> Self {
        Self(base.trim().trim_end_matches('/').into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `POST` here starts a job.
    pub fn provision_store(&self) -> String {
        format!("{}{}", self.0, paths::PROVISION_STORE)
    }

    /// `GET` here reads a job; `logs_after` asks only for newer lines.
    /// `None` for a job id that cannot be a path segment: empty, `.` or
    /// `..` (a browser resolves those against the path, so the request,
    /// token and all, would go to another address).
    pub fn provision_status(&self, job_id: &str, logs_after: Option<u64>) -> Option<String> {
        self.job_url(
            paths::PROVISION_STATUS_PREFIX,
            job_id,
            paths::LOGS_AFTER,
            logs_after,
        )
    }

    /// `GET` here streams a job's events; `after` asks only for newer
    /// lines. `None` as for [`ApiBase::provision_status`].
    pub fn provision_events(&self, job_id: &str, after: Option<u64>) -> Option<String> {
        self.job_url(
            paths::PROVISION_EVENTS_PREFIX,
            job_id,
            paths::EVENTS_AFTER,
            after,
        )
    }

    fn job_url(&self, prefix: &str, job_id: &str, query: &str, seq: Option<u64>) -> Option<String> {
        if matches!(job_id, "" | "." | "..") {
            return None;
        }
        let mut url = format!("{}{prefix}{}", self.0, encode_path_segment(job_id));
        if let Some(seq) = seq {
            url.push_str(&format!("?{query}={seq}"));
        }
        Some(url)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters
/// (`urlencoding`), so a job id from the server can never change the path
/// or add a query.
pub fn encode_path_segment(segment: &str) -> String {
    urlencoding::encode(segment).into_owned()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn an_empty_base_means_same_origin() {
        let base = ApiBase::new("");
        assert_eq!(base.provision_store(), "/provision/store");
        assert_eq!(
            base.provision_status("job_1", None).as_deref(),
            Some("/provision/status/job_1")
        );
    }

    #[test]
    fn trailing_slashes_and_spaces_are_trimmed() {
        let base = ApiBase::new(" https://api.example.test/v1/ ");
        assert_eq!(
            base.provision_store(),
            "https://api.example.test/v1/provision/store"
        );
    }

    #[test]
    fn logs_after_becomes_a_query() {
        let url = ApiBase::new("").provision_status("job_1", Some(42));
        assert_eq!(url.as_deref(), Some("/provision/status/job_1?logsAfter=42"));
    }

    #[test]
    fn a_stream_resumes_after_a_seq_and_its_job_id_stays_one_segment() {
        let base = ApiBase::new("https://api.example.test/v1/");
        assert_eq!(
            base.provision_events("job 1/..", Some(7)).as_deref(),
            Some("https://api.example.test/v1/provision/events/job%201%2F..?after=7")
        );
        assert_eq!(
            ApiBase::new("").provision_events("j", None).as_deref(),
            Some("/provision/events/j")
        );
        assert_eq!(base.provision_events("..", None), None);
    }

    #[test]
    fn job_ids_cannot_escape_their_path_segment() {
        assert_eq!(encode_path_segment("../x?y=1#z"), "..%2Fx%3Fy%3D1%23z");
        assert_eq!(encode_path_segment("job ü"), "job%20%C3%BC");
        let base = ApiBase::new("https://api.example.test/v1");
        // Dot segments would be resolved away by the browser: refused.
        for id in ["", ".", ".."] {
            assert_eq!(base.provision_status(id, None), None, "{id:?}");
        }
        // Encoded dots are no dot segments once their `%` is encoded.
        assert_eq!(
            base.provision_status("%2e%2e", Some(3)).as_deref(),
            Some("https://api.example.test/v1/provision/status/%252e%252e?logsAfter=3")
        );
        assert_eq!(
            base.provision_status("...", None).as_deref(),
            Some("https://api.example.test/v1/provision/status/...")
        );
    }
}
