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
//! is no v2 entry they are read, once (a tenant's list with no job to
//! re-attach to had its newest expire), and replaced by it (`store::kept`).

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::kept::{self, Lenient};
use crate::api::TenantId;

/// The entry's key; `assets/boot.js` reads it before the app starts, to
/// fetch a tenant page's reading tools early (`crate::boot_facts`).
pub const KEY: &str = "store-portal.attempts.v2";
const OLD_ATTEMPTS_KEY: &str = "store-portal.attempts.v1";
const OLD_JOBS_KEY: &str = "store-portal.jobs.v1";

static ENTRY: kept::Entry<KeptAttempts> =
    kept::Entry::replacing(KEY, &[OLD_ATTEMPTS_KEY, OLD_JOBS_KEY], from_old_entries);

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

/// The entry as kept.
#[derive(Serialize, Deserialize)]
#[serde(from = "AsRead")]
struct KeptAttempts(SavedAttempts);

/// The entry as read: tenant id → a list of attempts, any of which may be
/// junk ([`attempt`] reads each).
type AsRead = BTreeMap<String, Vec<Box<RawValue>>>;

impl From<AsRead> for KeptAttempts {
    fn from(read: AsRead) -> KeptAttempts {
        KeptAttempts(decoded(read))
    }
}

impl Serialize for SavedAttempt {
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

/// An attempt as written: its job id, or an object with it and whether it
/// expired (a flag that is not one counts as live); anything else is junk.
fn attempt(written: &RawValue) -> Option<SavedAttempt> {
    #[derive(Deserialize)]
    struct Described {
        #[serde(rename = "jobId")]
        job_id: String,
        #[serde(default)]
        expired: Lenient<bool>,
    }
    if let Some(job_id) = kept::decode::<String>(written.get()) {
        return Some(SavedAttempt::live(&job_id));
    }
    let described = kept::decode::<Described>(written.get())?;
    Some(SavedAttempt {
        job_id: described.job_id,
        expired: described.expired.0.unwrap_or(false),
    })
}

/// The attempts of an entry as kept: tenants that are tenant ids, each
/// with its valid attempts (no repeats, at most [`ATTEMPTS_KEPT`]).
fn decoded(read: AsRead) -> SavedAttempts {
    let mut all = SavedAttempts::new();
    for (tenant, stored) in read {
        if TenantId::parse(&tenant).is_err() {
            continue;
        }
        let mut list: Vec<SavedAttempt> = Vec::new();
        for attempt in stored.iter().filter_map(|written| attempt(written)) {
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

/// What the two entries of earlier builds say (`attempts.v1`, then
/// `jobs.v1`), as one list a tenant: the job to re-attach to first; a list
/// without one had its newest expire.
fn from_old_entries(texts: &[Option<String>]) -> Option<KeptAttempts> {
    let text = |at: usize| texts.get(at)?.as_deref();
    let attempts: AsRead = text(0).and_then(kept::decode).unwrap_or_default();
    let jobs: BTreeMap<String, Lenient<String>> =
        text(1).and_then(kept::decode).unwrap_or_default();
    let mut all = decoded(attempts);
    for list in all.values_mut() {
        list[0].expired = true;
    }
    for (tenant, job) in jobs {
        let (Some(job_id), Ok(_)) = (job.0, TenantId::parse(&tenant)) else {
            continue;
        };
        let list = all.entry(tenant).or_default();
        *list = remembered(std::mem::take(list), &job_id);
    }
    Some(KeptAttempts(all))
}

/// Every tenant's attempts.
pub fn load_all() -> SavedAttempts {
    ENTRY.read().map(|entry| entry.0).unwrap_or_default()
}

/// `tenant`'s attempts, newest first.
pub fn load(tenant: &TenantId) -> Vec<SavedAttempt> {
    load_all().remove(tenant.as_str()).unwrap_or_default()
}

fn store(all: SavedAttempts) {
    ENTRY.write(&KeptAttempts(all));
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
    store(all);
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
    store(all);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::kept::tests::Map;

    /// What a page reads when the entry holds `text`.
    fn read(text: &str) -> SavedAttempts {
        let shelf = Map::with(&[(KEY, text)]);
        ENTRY.read_on(&shelf).map(|e| e.0).unwrap_or_default()
    }

    fn written(all: &SavedAttempts) -> String {
        let shelf = Map::default();
        ENTRY.write_on(&shelf, &KeptAttempts(all.clone()));
        shelf.text_at(KEY).unwrap()
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
        let text = written(&all);
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
        let shelf = Map::with(&[(OLD_ATTEMPTS_KEY, attempts), (OLD_JOBS_KEY, jobs)]);
        let all = ENTRY.read_on(&shelf).unwrap().0;
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
        // Read once: replaced by today's entry.
        assert_eq!(shelf.keys(), [KEY]);
        assert_eq!(
            shelf.text_at(KEY).unwrap(),
            r#"{"acme-shoes":["job_3","job_2","job_1"],"gone-shop":[{"jobId":"job_9","expired":true},"job_8"],"older-build":["job_5"]}"#
        );
        // Either entry alone.
        let shelf = Map::with(&[(OLD_JOBS_KEY, jobs)]);
        assert_eq!(ENTRY.read_on(&shelf).unwrap().0.len(), 2);
        let shelf = Map::with(&[(OLD_ATTEMPTS_KEY, attempts)]);
        assert_eq!(ENTRY.read_on(&shelf).unwrap().0.len(), 2);
    }

    /// The exact text the build before `store::kept` wrote: it reads, and
    /// is written again the same (`assets/boot.js` looks in it).
    #[test]
    fn the_entry_earlier_builds_wrote_still_reads() {
        let text = r#"{"acme-shoes":["job_00a1b2",{"jobId":"job_0009f1","expired":true},"job_000001"],"b":["sp-0123abcd4567ef89-18c2f3a4b5d"]}"#;
        let all = read(text);
        assert_eq!(
            ids(&all["acme-shoes"]),
            [
                ("job_00a1b2", false),
                ("job_0009f1", true),
                ("job_000001", false)
            ]
        );
        assert_eq!(ids(&all["b"]), [("sp-0123abcd4567ef89-18c2f3a4b5d", false)]);
        assert_eq!(written(&all), text);
    }
}
