//! "Download results": the batch as a CSV file (RFC 4180: a header row,
//! CRLF line ends, fields with commas, quotes or line breaks quoted). After
//! the attempts, `lastHeard`: when the portal last heard of the job (UTC),
//! which says how far an expired job is known.

use super::{Batch, Stage};
use crate::time_format::date_time;

const HEADER: [&str; 9] = [
    "tenantId",
    "jobId",
    "status",
    "step",
    "storeUrl",
    "errorCode",
    "errorMessage",
    "started",
    "ended",
];

/// A field as RFC 4180 writes it.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The word for a row's state in the file and the table.
pub fn stage_word(stage: &Stage, status: Option<&str>) -> String {
    match stage {
        Stage::Waiting => "waiting".to_owned(),
        Stage::Sending | Stage::Resending { .. } => "starting".to_owned(),
        Stage::Refused => "refused".to_owned(),
        Stage::Expired => "expired".to_owned(),
        Stage::Running | Stage::Deployed | Stage::Failed => status.unwrap_or("queued").to_owned(),
    }
}

/// `2026-11-25T10:15:01.120Z`: a time in ms since the epoch.
fn utc_time(ms: f64) -> String {
    format!("{}Z", date_time(ms as i64).replacen(' ', "T", 1))
}

/// The whole file.
pub fn results_csv(batch: &Batch) -> String {
    let mut out = HEADER.join(",");
    out.push_str(",attempts,lastHeard\r\n");
    for row in &batch.tenants {
        let (code, message) = row.error.clone().unwrap_or_default();
        // An expired job did not end as far as anyone knows: `lastHeard`
        // says how far it is known.
        let ended = (row.stage.is_final() && row.stage != Stage::Expired)
            .then(|| row.updated_at.clone())
            .flatten()
            .unwrap_or_default();
        let fields = [
            row.tenant.to_string(),
            row.job_id.clone().unwrap_or_default(),
            stage_word(&row.stage, row.status.as_ref().map(|s| s.as_str())),
            row.step
                .map(|(n, m)| format!("{n}/{m}"))
                .unwrap_or_default(),
            row.store_url.clone().unwrap_or_default(),
            code,
            message,
            row.created_at.clone().unwrap_or_default(),
            ended,
            row.attempts.to_string(),
            row.heard_at_ms.map(utc_time).unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::{ApiError, TenantId};
    use crate::store::batch::Answer;

    #[test]
    fn the_file_has_a_header_and_a_quoted_row_a_tenant() {
        let tenants = ["acme", "beta"]
            .map(|t| TenantId::parse(t).unwrap())
            .to_vec();
        let mut batch = Batch::new(tenants, 2, || "k".to_owned());
        batch.sends_due(0.0);
        batch.answered(
            0,
            Answer::Posted(Err(ApiError::InvalidRequest {
                message: "bad \"id\", really".into(),
            })),
            1.0,
            0.5,
        );
        let csv = results_csv(&batch);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "tenantId,jobId,status,step,storeUrl,errorCode,errorMessage,started,ended,attempts,lastHeard"
        );
        assert_eq!(
            lines[1],
            "acme,,refused,,,invalid_request,\"The provisioning service refused the request: bad \"\"id\"\", really\",,,1,"
        );
        assert_eq!(lines[2], "beta,,starting,,,,,,,1,");
        assert_eq!(lines[3], "");
    }
}
