//! Types of `shared/provisioning-api.md`. Decoding is lenient where the
//! contract allows it: unknown fields are ignored, optional fields may be
//! missing or `null`, and an unknown status is kept as it was sent. Types
//! are read from [`Json`] values by hand (`from_json`); the serde derives
//! kept for the native tests are the reference they are checked against.

use std::fmt;
use std::rc::Rc;

#[cfg(all(test, not(target_arch = "wasm32")))]
use serde::{Deserialize, Deserializer};

use super::json::{fields, Json, JsonError, Mismatch, Reader};

/// A tenant id as the contract defines it: 1 to 63 characters of `a-z`,
/// `0-9` and `-`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// The body of `POST /provision/store`: `{"tenantId":"…"}`.
pub fn provision_request(tenant: &TenantId) -> String {
    let mut body = String::from("{\"tenantId\":");
    super::json::push_string(&mut body, tenant.as_str());
    body.push('}');
    body
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

#[cfg(all(test, not(target_arch = "wasm32")))]
impl<'de> Deserialize<'de> for JobStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}

/// Step N of M, with a label; every part optional.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    all(test, not(target_arch = "wasm32")),
    derive(Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Progress {
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub step: Option<u32>,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub total_steps: Option<u32>,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub label: Option<String>,
}

/// Why a job failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(all(test, not(target_arch = "wasm32")), derive(Deserialize))]
pub struct JobError {
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub code: String,
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub message: String,
}

/// One line of a job's log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(all(test, not(target_arch = "wasm32")), derive(Deserialize))]
pub struct LogLine {
    pub seq: u64,
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub ts: String,
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub level: String,
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub message: String,
}

/// A job as `POST /provision/store` and `GET /provision/status/{jobId}` return it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    all(test, not(target_arch = "wasm32")),
    derive(Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Job {
    pub job_id: String,
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub tenant_id: String,
    pub status: JobStatus,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub created_at: Option<String>,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub updated_at: Option<String>,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub progress: Option<Progress>,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub store_url: Option<String>,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub error: Option<JobError>,
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub logs: Vec<LogLine>,
}

/// The contract's error body: `{"error": {"code", "message", "jobId"?}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(all(test, not(target_arch = "wasm32")), derive(Deserialize))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    all(test, not(target_arch = "wasm32")),
    derive(Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct ErrorDetail {
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub code: String,
    #[cfg_attr(
        all(test, not(target_arch = "wasm32")),
        serde(default, deserialize_with = "null_as_default")
    )]
    pub message: String,
    #[cfg_attr(all(test, not(target_arch = "wasm32")), serde(default))]
    pub job_id: Option<String>,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

impl Progress {
    pub fn from_json(value: &Json) -> Result<Self, Mismatch> {
        let mut progress = Progress {
            step: None,
            total_steps: None,
            label: None,
        };
        for (key, value) in fields(value, &["step", "totalSteps", "label"])? {
            match key.as_str() {
                "step" => progress.step = value.optional_u32()?,
                "totalSteps" => progress.total_steps = value.optional_u32()?,
                "label" => progress.label = value.optional_text()?,
                _ => {}
            }
        }
        Ok(progress)
    }
}

impl JobError {
    pub fn from_json(value: &Json) -> Result<Self, Mismatch> {
        let mut error = JobError {
            code: String::new(),
            message: String::new(),
        };
        for (key, value) in fields(value, &["code", "message"])? {
            match key.as_str() {
                "code" => error.code = value.text_or_empty()?,
                "message" => error.message = value.text_or_empty()?,
                _ => {}
            }
        }
        Ok(error)
    }
}

impl LogLine {
    pub fn from_json(value: &Json) -> Result<Self, Mismatch> {
        let mut seq = None;
        let (mut ts, mut level, mut message) = (String::new(), String::new(), String::new());
        for (key, value) in fields(value, &["seq", "ts", "level", "message"])? {
            match key.as_str() {
                "seq" => seq = Some(value.unsigned()?),
                "ts" => ts = value.text_or_empty()?,
                "level" => level = value.text_or_empty()?,
                "message" => message = value.text_or_empty()?,
                _ => {}
            }
        }
        Ok(LogLine {
            seq: seq.ok_or(Mismatch)?,
            ts,
            level,
            message,
        })
    }
}

impl LogLine {
    /// Reads a line straight from the text at the reader's cursor (the
    /// log's millions of lines take this path: no value tree, no copies of
    /// keys). Exactly what [`LogLine::from_json`] reads of the same value.
    pub fn read(reader: &mut Reader<'_>) -> Result<Self, LineError> {
        reader.skip_space();
        if reader.peek() != Some(b'{') {
            let value = reader.value()?;
            return Ok(LogLine::from_json(&value)?);
        }
        reader.expect(b'{')?;
        let mut seq = None;
        let mut seen = [false; 4];
        let (mut ts, mut level, mut message) = (String::new(), String::new(), String::new());
        if !reader.eat(b'}') {
            loop {
                reader.skip_space();
                if reader.peek() != Some(b'"') {
                    return Err(if reader.at_end() {
                        JsonError::CutOff
                    } else {
                        JsonError::NotJson
                    }
                    .into());
                }
                let key = reader.string_ref()?;
                reader.expect(b':')?;
                let field = ["seq", "ts", "level", "message"]
                    .iter()
                    .position(|k| *k == key);
                if let Some(i) = field {
                    if std::mem::replace(&mut seen[i], true) {
                        // Read on, so a cut-off or broken text is still told as such.
                        reader.value()?;
                        return Err(LineError::Mismatch);
                    }
                }
                reader.skip_space();
                let text_field = match field {
                    Some(1) => Some(&mut ts),
                    Some(2) => Some(&mut level),
                    Some(3) => Some(&mut message),
                    _ => None,
                };
                match (field, text_field) {
                    (_, Some(slot)) if reader.peek() == Some(b'"') => {
                        *slot = reader.string_ref()?.into_owned()
                    }
                    (_, Some(slot)) => *slot = reader.value()?.text_or_empty()?,
                    (Some(0), None) => seq = Some(reader.value()?.unsigned()?),
                    _ => {
                        reader.value()?;
                    }
                }
                if reader.eat(b'}') {
                    break;
                }
                reader.expect(b',')?;
            }
        }
        Ok(LogLine {
            seq: seq.ok_or(LineError::Mismatch)?,
            ts,
            level,
            message,
        })
    }
}

/// Why a line could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineError {
    Json(JsonError),
    Mismatch,
}

impl From<JsonError> for LineError {
    fn from(error: JsonError) -> Self {
        LineError::Json(error)
    }
}

impl From<Mismatch> for LineError {
    fn from(_: Mismatch) -> Self {
        LineError::Mismatch
    }
}

/// `null` as `None`, anything else read by `read`.
fn optional<T>(
    value: &Json,
    read: impl FnOnce(&Json) -> Result<T, Mismatch>,
) -> Result<Option<T>, Mismatch> {
    match value {
        Json::Null => Ok(None),
        other => read(other).map(Some),
    }
}

impl Job {
    pub fn from_json(value: &Json) -> Result<Self, Mismatch> {
        Self::from_fields(fields(value, &[])?)
    }

    /// A job from its object's fields (each key at most once).
    pub fn from_fields(fields: &[(String, Json)]) -> Result<Self, Mismatch> {
        let (mut job_id, mut status) = (None, None);
        let mut job = Job {
            job_id: String::new(),
            tenant_id: String::new(),
            status: JobStatus::Queued,
            created_at: None,
            updated_at: None,
            progress: None,
            store_url: None,
            error: None,
            logs: Vec::new(),
        };
        const KNOWN: [&str; 9] = [
            "jobId",
            "tenantId",
            "status",
            "createdAt",
            "updatedAt",
            "progress",
            "storeUrl",
            "error",
            "logs",
        ];
        for name in KNOWN {
            if fields.iter().filter(|(key, _)| key == name).count() > 1 {
                return Err(Mismatch);
            }
        }
        for (key, value) in fields {
            match key.as_str() {
                "jobId" => job_id = Some(value.text()?),
                "tenantId" => job.tenant_id = value.text_or_empty()?,
                "status" => status = Some(JobStatus::parse(&value.text()?)),
                "createdAt" => job.created_at = value.optional_text()?,
                "updatedAt" => job.updated_at = value.optional_text()?,
                "progress" => job.progress = optional(value, Progress::from_json)?,
                "storeUrl" => job.store_url = value.optional_text()?,
                "error" => job.error = optional(value, JobError::from_json)?,
                "logs" => {
                    job.logs = match value {
                        Json::Null => Vec::new(),
                        Json::Array(lines) => lines
                            .iter()
                            .map(LogLine::from_json)
                            .collect::<Result<_, _>>()?,
                        _ => return Err(Mismatch),
                    }
                }
                _ => {}
            }
        }
        job.job_id = job_id.ok_or(Mismatch)?;
        job.status = status.ok_or(Mismatch)?;
        Ok(job)
    }
}

impl ErrorBody {
    pub fn from_json(value: &Json) -> Result<Self, Mismatch> {
        let mut detail = None;
        for (key, value) in fields(value, &["error"])? {
            if key == "error" {
                let mut error = ErrorDetail {
                    code: String::new(),
                    message: String::new(),
                    job_id: None,
                };
                for (key, value) in fields(value, &["code", "message", "jobId"])? {
                    match key.as_str() {
                        "code" => error.code = value.text_or_empty()?,
                        "message" => error.message = value.text_or_empty()?,
                        "jobId" => error.job_id = value.optional_text()?,
                        _ => {}
                    }
                }
                detail = Some(error);
            }
        }
        Ok(ErrorBody {
            error: detail.ok_or(Mismatch)?,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    /// Values a field of a job may hold, good and bad. (Not a struct as an
    /// array of its fields in order, which serde's derive also takes and
    /// this reader refuses: the contract sends objects.)
    fn any_field_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::{json, Value};
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u32>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(json!(1.5)),
            Just(json!(4294967296u64)),
            "[a-z]{0,6}".prop_map(Value::String),
            Just(json!("queued")),
        ];
        let object = |inner: BoxedStrategy<Value>| {
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "seq",
                        "ts",
                        "level",
                        "message",
                        "step",
                        "totalSteps",
                        "label",
                        "code",
                        "x",
                    ]),
                    inner,
                ),
                0..5,
            )
            .prop_map(|fields| {
                Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            })
        };
        let flat = prop_oneof![leaf.clone(), object(leaf.clone().boxed())].boxed();
        prop_oneof![
            leaf,
            object(flat.clone()),
            prop::collection::vec(
                prop_oneof![
                    object(flat.clone()),
                    Just(Value::Null),
                    any::<u32>().prop_map(Value::from)
                ],
                0..4
            )
            .prop_map(Value::Array),
        ]
    }

    fn job_text(fields: &[(&str, serde_json::Value)]) -> String {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{}", serde_json::Value::from(*k), v))
            .collect();
        format!("{{{}}}", body.join(","))
    }

    proptest! {
        #[test]
        fn jobs_are_read_as_the_serde_derive_reads_them(
            fields in prop::collection::vec(
                (prop::sample::select(vec!["jobId", "tenantId", "status", "createdAt", "updatedAt", "progress", "storeUrl", "error", "logs", "extra"]), any_field_value()),
                0..8,
            ),
            with_id in any::<bool>(),
        ) {
            // A struct given as an array of its fields: see any_field_value.
            prop_assume!(!fields.iter().any(|(k, v)| matches!(*k, "progress" | "error") && v.is_array()));
            let mut fields = fields;
            if with_id {
                fields.push(("jobId", serde_json::json!("j1")));
                fields.push(("status", serde_json::json!("processing")));
            }
            let text = job_text(&fields);
            let expected = serde_json::from_str::<Job>(&text).ok();
            let ours = super::super::json::parse(&text).ok().and_then(|v| Job::from_json(&v).ok());
            prop_assert_eq!(ours, expected, "{}", text);
        }

        #[test]
        fn a_line_read_straight_is_the_line_read_as_a_value(
            value in any_field_value(),
            text in "[{}\\[\\]\":,0-9a-z ]{0,30}",
        ) {
            for text in [value.to_string(), text] {
                let mut reader = Reader::new(&text);
                let straight = LogLine::read(&mut reader);
                let whole = super::super::json::parse(&text);
                match (&straight, &whole) {
                    (Ok(line), Ok(v)) => {
                        prop_assert_eq!(Some(line.clone()), LogLine::from_json(v).ok(), "{}", text);
                    }
                    (Err(LineError::Mismatch), Ok(v)) => prop_assert!(LogLine::from_json(v).is_err(), "{}", text),
                    (Err(LineError::Json(_)), Ok(_)) => prop_assert!(false, "{} read as JSON, but not straight", text),
                    // Trailing text after a value: not a whole JSON text.
                    (Ok(_), Err(_)) => prop_assert!(!reader.at_end(), "{}", text),
                    (Err(_), Err(_)) => {}
                }
            }
        }

        #[test]
        fn error_bodies_are_read_as_the_serde_derive_reads_them(
            detail in prop::collection::vec((prop::sample::select(vec!["code", "message", "jobId", "x"]), any_field_value()), 0..5),
        ) {
            let text = format!("{{\"error\":{}}}", job_text(&detail));
            let expected = serde_json::from_str::<ErrorBody>(&text).ok();
            let ours = super::super::json::parse(&text).ok().and_then(|v| ErrorBody::from_json(&v).ok());
            prop_assert_eq!(ours, expected, "{}", text);
        }
    }

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
