//! Each tenant's latest job id, kept in localStorage so a reload or a later
//! visit re-attaches to it: a JSON object of tenant id → job id
//! (`store-portal.jobs.v1`), read and written with gloo-storage.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};

use super::TextOrJunk;
use crate::api::TenantId;

const KEY: &str = "store-portal.jobs.v1";

/// The entries of a stored map that are job ids; anything else is junk left
/// by hand or by another program, and dropped.
fn job_ids(stored: BTreeMap<String, TextOrJunk>) -> BTreeMap<String, String> {
    stored
        .into_iter()
        .filter_map(|(tenant, job)| Some((tenant, job.0?)))
        .collect()
}

fn load_all() -> BTreeMap<String, String> {
    LocalStorage::get(KEY).map(job_ids).unwrap_or_default()
}

fn store_all(all: &BTreeMap<String, String>) {
    // Quietly: a full or refused storage only loses the convenience it serves.
    let _ = LocalStorage::set(KEY, all);
}

/// The job id saved for `tenant`.
pub fn load(tenant: &TenantId) -> Option<String> {
    load_all().remove(tenant.as_str())
}

/// Remembers `job_id` as `tenant`'s latest job, and as its newest attempt.
pub fn save(tenant: &TenantId, job_id: &str) {
    super::attempts::remember(tenant, job_id);
    let mut all = load_all();
    if all.get(tenant.as_str()).map(String::as_str) != Some(job_id) {
        all.insert(tenant.to_string(), job_id.to_owned());
        store_all(&all);
    }
}

/// Forgets `tenant`'s job if it is `job_id` (the service no longer knows
/// it); an earlier attempt's 404 leaves the latest job saved.
pub fn forget(tenant: &TenantId, job_id: &str) {
    let mut all = load_all();
    if all.get(tenant.as_str()).map(String::as_str) == Some(job_id) {
        all.remove(tenant.as_str());
        store_all(&all);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(text: &str) -> BTreeMap<String, String> {
        serde_json::from_str(text).map(job_ids).unwrap_or_default()
    }

    #[test]
    fn the_map_is_stored_as_json_and_read_back_without_junk() {
        let mut all = BTreeMap::new();
        all.insert("acme-shoes".to_owned(), "job_\"1\"".to_owned());
        all.insert("b".to_owned(), "j2".to_owned());
        let text = serde_json::to_string(&all).unwrap();
        // The format every earlier build wrote and read.
        assert_eq!(text, r#"{"acme-shoes":"job_\"1\"","b":"j2"}"#);
        assert_eq!(read(&text), all);
        for junk in ["", "[1]", "{\"a\":", "null"] {
            assert!(read(junk).is_empty(), "{junk}");
        }
        assert_eq!(
            read(r#"{"a":"j","b":7,"c":null,"d":[1,{"x":"y"}],"e":{"f":"g"},"h":true,"i":-1.5}"#)
                .len(),
            1
        );
    }
}
