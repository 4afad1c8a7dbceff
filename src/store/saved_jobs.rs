//! Each tenant's latest job id, kept in localStorage so a reload or a later
//! visit re-attaches to it.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};

use crate::api::TenantId;

const KEY: &str = "store-portal.jobs.v1";

fn load_all() -> BTreeMap<String, String> {
    LocalStorage::get(KEY).unwrap_or_default()
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
        let _ = LocalStorage::set(KEY, all);
    }
}

/// Forgets `tenant`'s job (the service no longer knows it).
pub fn forget(tenant: &TenantId) {
    let mut all = load_all();
    if all.remove(tenant.as_str()).is_some() {
        let _ = LocalStorage::set(KEY, all);
    }
}
