//! Every attempt this browser knows of, per tenant, newest first, kept in
//! localStorage so a reload or a later visit re-attaches to the newest and
//! lists the others (the contract has no endpoint that lists a tenant's
//! jobs). One entry, `store-portal.attempts.v2`: a JSON object of tenant id
//! → array of attempts, at most [`ATTEMPTS_KEPT`] each, an attempt being
//! its job id, or `{"jobId": …, "expired": true}` for one the service no
//! longer knows. Anything else in it is junk and dropped.
//!
//! Earlier builds kept the same facts in two entries: `store-portal.jobs.v1`
//! (tenant id → the job to re-attach to) and `store-portal.attempts.v1`
//! (tenant id → job ids, the v2 shape without expired ones). While there
//! is no v2 entry they are read (a tenant's list with no job to re-attach
//! to had its newest expire), and the first write replaces them.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};
use serde::ser::SerializeMap;

use super::Stored;
use crate::api::TenantId;

/// The entry's key; `assets/boot.js` reads it before the app starts, to
/// fetch a tenant page's reading tools early (`crate::boot_facts`).
pub const KEY: &str = "store-portal.attempts.v2";
const OLD_JOBS_KEY: &str = "store-portal.jobs.v1";
const OLD_ATTEMPTS_KEY: &str = "store-portal.attempts.v1";

/// How many attempts are kept for a tenant.
pub const ATTEMPTS_KEPT: usize = 10;

/// One attempt as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedAttempt {
    pub job_id: String,
    /// The service answered 404 for it: nothing to re-attach to or read.
    pub expired: bool,
}

impl SavedAttempt {
    pub fn live(job_id: &str) -> Self {
        Self {
            job_id: job_id.to_owned(),
            expired: false,
        }
    }
}

/// Tenant id → its attempts, newest first.
pub type SavedAttempts = BTreeMap<String, Vec<SavedAttempt>>;

/// The entry as read: tenant id → attempts or junk.
type Entry = BTreeMap<String, Vec<Stored>>;

impl serde::Serialize for SavedAttempt {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !self.expired {
            return serializer.serialize_str(&self.job_id);
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("jobId", &self.job_id)?;
        map.serialize_entry("expired", &true)?;
        map.end()
    }
}

/// The attempts of an entry as kept: tenants that are tenant ids, each
/// with its valid attempts (no repeats, at most [`ATTEMPTS_KEPT`]).
fn decoded(entry: Entry) -> SavedAttempts {
    let mut all = SavedAttempts::new();
    for (tenant, stored) in entry {
        if TenantId::parse(&tenant).is_err() {
            continue;
        }
        let mut list: Vec<SavedAttempt> = Vec::new();
        for item in stored {
            let attempt = match item {
                Stored::Text(job_id) => SavedAttempt::live(&job_id),
                Stored::Attempt { job_id, expired } => SavedAttempt { job_id, expired },
                _ => continue,
            };
            let new = !attempt.job_id.is_empty() && list.iter().all(|a| a.job_id != attempt.job_id);
            if new && list.len() < ATTEMPTS_KEPT {
                list.push(attempt);
            }
        }
        if !list.is_empty() {
            all.insert(tenant, list);
        }
    }
    all
}

/// What the two entries of earlier builds say, as one list a tenant: the
/// job to re-attach to first; a list without one had its newest expire.
fn from_old_entries(attempts: Entry, jobs: BTreeMap<String, Stored>) -> SavedAttempts {
    let mut all = decoded(attempts);
    for list in all.values_mut() {
        list[0].expired = true;
    }
    for (tenant, job) in jobs {
        let (Some(job_id), Ok(_)) = (job.text(), TenantId::parse(&tenant)) else {
            continue;
        };
        let list = all.entry(tenant).or_default();
        *list = remembered(std::mem::take(list), &job_id);
    }
    all
}

/// Every tenant's attempts.
pub fn load_all() -> SavedAttempts {
    if let Ok(entry) = LocalStorage::get::<Entry>(KEY) {
        return decoded(entry);
    }
    from_old_entries(
        LocalStorage::get(OLD_ATTEMPTS_KEY).unwrap_or_default(),
        LocalStorage::get(OLD_JOBS_KEY).unwrap_or_default(),
    )
}

/// `tenant`'s attempts, newest first.
pub fn load(tenant: &TenantId) -> Vec<SavedAttempt> {
    load_all().remove(tenant.as_str()).unwrap_or_default()
}

fn store(all: &SavedAttempts) {
    // Quietly: a full or refused storage only loses the convenience it serves.
    if LocalStorage::set(KEY, all).is_ok() {
        LocalStorage::delete(OLD_JOBS_KEY);
        LocalStorage::delete(OLD_ATTEMPTS_KEY);
    }
}

/// `list` with `job_id` first and live (moved or added), at most
/// [`ATTEMPTS_KEPT`].
pub fn remembered(mut list: Vec<SavedAttempt>, job_id: &str) -> Vec<SavedAttempt> {
    super::put_first(
        &mut list,
        SavedAttempt::live(job_id),
        ATTEMPTS_KEPT,
        |a, b| a.job_id == b.job_id,
    );
    list
}

/// Remembers `job_id` as `tenant`'s newest attempt, the one to re-attach to.
pub fn remember(tenant: &TenantId, job_id: &str) {
    remember_all(&[(tenant.clone(), job_id.to_owned())]);
}

/// Remembers each job as its tenant's newest attempt, in order: one read
/// and one write of the entry for all of them.
pub fn remember_all(started: &[(TenantId, String)]) {
    if started.is_empty() {
        return;
    }
    let mut all = load_all();
    for (tenant, job_id) in started {
        let list = all.remove(tenant.as_str()).unwrap_or_default();
        all.insert(tenant.to_string(), remembered(list, job_id));
    }
    store(&all);
}

/// Notes that the service no longer knows `tenant`'s attempt `job_id`.
pub fn expire(tenant: &TenantId, job_id: &str) {
    let mut all = load_all();
    let Some(attempt) = all
        .get_mut(tenant.as_str())
        .and_then(|list| list.iter_mut().find(|a| a.job_id == job_id && !a.expired))
    else {
        return;
    };
    attempt.expired = true;
    store(&all);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(text: &str) -> SavedAttempts {
        serde_json::from_str::<Entry>(text)
            .map(decoded)
            .unwrap_or_default()
    }

    fn ids(list: &[SavedAttempt]) -> Vec<(&str, bool)> {
        list.iter()
            .map(|a| (a.job_id.as_str(), a.expired))
            .collect()
    }

    #[test]
    fn the_newest_comes_first_live_without_repeats_and_ten_at_most() {
        let expired = SavedAttempt {
            job_id: "j1".into(),
            expired: true,
        };
        let list = remembered(vec![SavedAttempt::live("j2"), expired], "j1");
        assert_eq!(ids(&list), [("j1", false), ("j2", false)]);
        let mut list = Vec::new();
        for i in 0..25 {
            list = remembered(list, &format!("j{i}"));
        }
        assert_eq!(list.len(), ATTEMPTS_KEPT);
        assert_eq!(
            (list[0].job_id.as_str(), list[9].job_id.as_str()),
            ("j24", "j15")
        );
    }

    #[test]
    fn the_entry_is_json_and_junk_is_dropped() {
        let mut all = SavedAttempts::new();
        let expired = SavedAttempt {
            job_id: "j\"2".into(),
            expired: true,
        };
        all.insert("acme-shoes".into(), vec![SavedAttempt::live("j3"), expired]);
        let text = serde_json::to_string(&all).unwrap();
        assert_eq!(
            text,
            r#"{"acme-shoes":["j3",{"jobId":"j\"2","expired":true}]}"#
        );
        assert_eq!(read(&text), all);
        let junky = read(
            r#"{"acme-shoes":[{"jobId":"j3","x":[1,{"y":2}]},"j2",7,null,true,[],{"jobId":5},{"expired":true},{"jobId":"j2"},{"jobId":""},{"jobId":"j1","expired":"yes"}],"Not Valid":["x"],"b":[]}"#,
        );
        assert_eq!(junky.len(), 1);
        assert_eq!(
            ids(&junky["acme-shoes"]),
            [("j3", false), ("j2", false), ("j1", false)]
        );
        for junk in ["", "[]", "{\"a\":\"j\"}", "null", "{"] {
            assert!(read(junk).is_empty(), "{junk}");
        }
        let long: Vec<String> = (0..30).map(|i| format!("\"j{i}\"")).collect();
        let all = read(&format!("{{\"t\":[{}]}}", long.join(",")));
        assert_eq!(all.values().next().unwrap().len(), ATTEMPTS_KEPT);
    }

    /// The exact text the previous build wrote in its two entries.
    #[test]
    fn the_two_entries_of_earlier_builds_read_as_one_list() {
        let attempts = r#"{"acme-shoes":["job_3","job_2","job_1"],"gone-shop":["job_9","job_8"],"Not Valid":["x"]}"#;
        let jobs = r#"{"acme-shoes":"job_3","older-build":"job_5","b":7}"#;
        let all = from_old_entries(
            serde_json::from_str(attempts).unwrap(),
            serde_json::from_str(jobs).unwrap(),
        );
        assert_eq!(
            ids(&all["acme-shoes"]),
            [("job_3", false), ("job_2", false), ("job_1", false)],
            "its saved job is re-attached to"
        );
        assert_eq!(
            ids(&all["gone-shop"]),
            [("job_9", true), ("job_8", false)],
            "no saved job: the newest was forgotten after a 404"
        );
        assert_eq!(
            ids(&all["older-build"]),
            [("job_5", false)],
            "a build before attempts kept only the job"
        );
        assert_eq!(all.len(), 3);
    }
}
