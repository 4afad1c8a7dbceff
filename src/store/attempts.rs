//! Every attempt this browser knows of, per tenant, newest first: the job
//! ids it started or attached to (the contract has no endpoint that lists a
//! tenant's jobs). A JSON object of tenant id → array of job ids
//! (`store-portal.attempts.v1`), at most [`MAX_ATTEMPTS`] each, read and
//! written with gloo-storage; anything else in it is junk and dropped.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};

use super::TextOrJunk;
use crate::api::{JobStatus, TenantId};
use crate::time_format::{parse_rfc3339_wall_ms, time_of_day};

const KEY: &str = "store-portal.attempts.v1";
/// How many attempts are kept for a tenant.
pub const MAX_ATTEMPTS: usize = 10;

/// `list` with `job_id` first (moved or added), at most [`MAX_ATTEMPTS`].
pub fn remembered(mut list: Vec<String>, job_id: &str) -> Vec<String> {
    super::put_first(&mut list, job_id.to_owned(), MAX_ATTEMPTS, |a, b| a == b);
    list
}

/// The stored entries that are a tenant id with job ids (one map type for
/// reading and writing: each one costs the wasm its own code).
fn decoded(stored: BTreeMap<String, Vec<TextOrJunk>>) -> BTreeMap<String, Vec<String>> {
    stored
        .into_iter()
        .filter_map(|(tenant, jobs)| {
            TenantId::parse(&tenant).ok()?;
            let mut ids: Vec<String> = Vec::new();
            for id in jobs.into_iter().filter_map(|j| j.0) {
                if !id.is_empty() && !ids.contains(&id) && ids.len() < MAX_ATTEMPTS {
                    ids.push(id);
                }
            }
            (!ids.is_empty()).then_some((tenant, ids))
        })
        .collect()
}

/// Every tenant's attempts (tenant id → job ids, newest first).
pub fn load_all() -> BTreeMap<String, Vec<String>> {
    LocalStorage::get(KEY).map(decoded).unwrap_or_default()
}

/// `tenant`'s attempts, newest first.
pub fn load(tenant: &TenantId) -> Vec<String> {
    load_all().remove(tenant.as_str()).unwrap_or_default()
}

/// Remembers `job_id` as `tenant`'s newest attempt.
pub fn remember(tenant: &TenantId, job_id: &str) {
    let mut all = load_all();
    let list = all.remove(tenant.as_str()).unwrap_or_default();
    if list.first().map(String::as_str) == Some(job_id) {
        return;
    }
    all.insert(tenant.to_string(), remembered(list, job_id));
    // Quietly: a full or refused storage only loses the convenience it serves.
    let _ = LocalStorage::set(KEY, all);
}

/// How "Attempt" lists attempt `number` (1 for the first):
/// "Attempt 3 · running · started 10:42", "Attempt 1 · expired".
pub fn label(
    number: usize,
    status: Option<&JobStatus>,
    created_at: Option<&str>,
    expired: bool,
) -> String {
    let mut text = format!("Attempt {number}");
    let state = match status {
        _ if expired => Some("expired"),
        Some(JobStatus::Processing) => Some("running"),
        Some(status) => Some(status.as_str()),
        None => None,
    };
    if let Some(state) = state {
        text.push_str(" · ");
        text.push_str(state);
    }
    if let Some(wall_ms) = created_at
        .and_then(parse_rfc3339_wall_ms)
        .filter(|_| !expired)
    {
        text.push_str(" · started ");
        text.push_str(&time_of_day(wall_ms as i64)[..5]);
    }
    text
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(text: &str) -> BTreeMap<String, Vec<String>> {
        serde_json::from_str(text).map(decoded).unwrap_or_default()
    }

    #[test]
    fn the_newest_comes_first_without_repeats_and_ten_at_most() {
        let list = remembered(vec!["j2".into(), "j1".into()], "j1");
        assert_eq!(list, ["j1", "j2"]);
        let mut list = Vec::new();
        for i in 0..25 {
            list = remembered(list, &format!("j{i}"));
        }
        assert_eq!(list.len(), MAX_ATTEMPTS);
        assert_eq!(list[0], "j24");
        assert_eq!(list[9], "j15");
    }

    #[test]
    fn attempts_are_labelled_by_number_state_and_start() {
        let at = Some("2026-11-23T10:42:07Z");
        assert_eq!(
            label(3, Some(&JobStatus::Processing), at, false),
            "Attempt 3 · running · started 10:42"
        );
        assert_eq!(
            label(2, Some(&JobStatus::Failed), None, false),
            "Attempt 2 · failed"
        );
        assert_eq!(
            label(1, Some(&JobStatus::Deployed), Some("junk"), false),
            "Attempt 1 · deployed"
        );
        assert_eq!(label(1, None, at, true), "Attempt 1 · expired");
        assert_eq!(label(4, None, None, false), "Attempt 4");
        assert_eq!(
            label(2, Some(&JobStatus::parse("paused")), None, false),
            "Attempt 2 · paused"
        );
    }

    #[test]
    fn the_entry_is_json_and_junk_is_dropped() {
        let all = read(r#"{"acme-shoes":["j3","j2",7,null,"j2",""],"Not Valid":["x"],"b":[]}"#);
        assert_eq!(all.len(), 1);
        assert_eq!(all["acme-shoes"], ["j3", "j2"]);
        for junk in ["", "[]", "{\"a\":\"j\"}", "null", "{"] {
            assert!(read(junk).is_empty(), "{junk}");
        }
        let long: Vec<String> = (0..30).map(|i| format!("\"j{i}\"")).collect();
        let all = read(&format!("{{\"t\":[{}]}}", long.join(",")));
        assert_eq!(all.values().next().unwrap().len(), MAX_ATTEMPTS);
    }
}
