//! Each tenant's latest job id, kept in localStorage so a reload or a later
//! visit re-attaches to it.

use std::collections::BTreeMap;

use crate::api::json::{parse, push_string, Json};
use crate::api::TenantId;

const KEY: &str = "store-portal.jobs.v1";

/// The saved map as stored: a JSON object of tenant id → job id.
fn encode(all: &BTreeMap<String, String>) -> String {
    let mut out = String::from("{");
    for (i, (tenant, job)) in all.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, tenant);
        out.push(':');
        push_string(&mut out, job);
    }
    out.push('}');
    out
}

/// The stored map; anything unreadable counts as nothing saved.
fn decode(text: &str) -> BTreeMap<String, String> {
    match parse(text) {
        Ok(Json::Object(fields)) => fields
            .into_iter()
            .filter_map(|(tenant, job)| match job {
                Json::String(job) => Some((tenant, job)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn load_all() -> BTreeMap<String, String> {
    super::stored_text(KEY)
        .map(|text| decode(&text))
        .unwrap_or_default()
}

fn store_all(all: &BTreeMap<String, String>) {
    super::store_text(KEY, &encode(all));
}

/// The job id saved for `tenant`.
pub fn load(tenant: &TenantId) -> Option<String> {
    load_all().remove(tenant.as_str())
}

/// Remembers `job_id` as `tenant`'s latest job.
pub fn save(tenant: &TenantId, job_id: &str) {
    let mut all = load_all();
    if all.get(tenant.as_str()).map(String::as_str) != Some(job_id) {
        all.insert(tenant.to_string(), job_id.to_owned());
        store_all(&all);
    }
}

/// Forgets `tenant`'s job (the service no longer knows it).
pub fn forget(tenant: &TenantId) {
    let mut all = load_all();
    if all.remove(tenant.as_str()).is_some() {
        store_all(&all);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_map_is_stored_as_json_and_read_back() {
        let mut all = BTreeMap::new();
        all.insert("acme-shoes".to_owned(), "job_\"1\"".to_owned());
        all.insert("b".to_owned(), "j2".to_owned());
        let text = encode(&all);
        assert_eq!(text, r#"{"acme-shoes":"job_\"1\"","b":"j2"}"#);
        assert_eq!(decode(&text), all);
        // What the earlier builds wrote (serde_json) reads the same.
        assert_eq!(decode(&serde_json::to_string(&all).unwrap()), all);
        for junk in ["", "[1]", "{\"a\":", "null"] {
            assert!(decode(junk).is_empty(), "{junk}");
        }
        assert_eq!(decode(r#"{"a":"j","b":7}"#).len(), 1);
    }
}
