//! The batch of "Provision many tenants", kept in localStorage so a reload
//! or a reopened tab goes on where it was: `store-portal.batch.v1`, the
//! pace, whether it is paused and a row a tenant, each an array (tenant,
//! key, job id, stage, attempts, status, step and steps, store URL, error
//! code and message, created, updated, and when the portal last heard of
//! its job, which entries written before it lack). What a reload learns again is not
//! kept: requests on their way, when to ask next, a 429's hold. An entry
//! that does not read as a batch is junk and ignored.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use super::batch::command::Sent;
use super::batch::{Batch, BatchTenant, Stage};
use crate::api::{JobStatus, TenantId};

pub const KEY: &str = "store-portal.batch.v1";
/// Commands tabs left for the tab that drives the batch
/// (`store::batch::command`), a key each (`<prefix><id>`): the driver
/// applies each, oldest first, and removes it.
pub const COMMAND_PREFIX: &str = "store-portal.batch.command.v1.";
/// A command older than this when the driver finds it is dropped (left while
/// no tab drove, and no longer what anyone is waiting for).
const COMMAND_KEPT_MS: u64 = 30_000;

/// A row as kept.
#[derive(Serialize, Deserialize)]
struct SavedRow(
    TenantId,
    String,
    Option<String>,
    u8,
    u32,
    Option<JobStatus>,
    Option<(u32, u32)>,
    Option<String>,
    Option<(String, String)>,
    Option<String>,
    Option<String>,
    // Whole ms: no float parsing or printing in the main module for it.
    #[serde(default)] Option<u64>,
);

/// The batch as kept: "At once", paused, the rows, and why it stopped
/// (signed out), which entries written before it lack.
#[derive(Serialize, Deserialize)]
struct SavedBatch(u32, bool, Vec<SavedRow>, #[serde(default)] Option<String>);

/// A stage as kept: a request on its way is sent again after a reload
/// (with its key: the service answers with the job it started, if any).
fn stage_code(stage: &Stage) -> u8 {
    match stage {
        Stage::Waiting => 0,
        Stage::Sending | Stage::Resending { .. } => 1,
        Stage::Running => 2,
        Stage::Deployed => 3,
        Stage::Failed => 4,
        Stage::Refused => 5,
        Stage::Expired => 6,
    }
}

fn stage_of(code: u8) -> Option<Stage> {
    Some(match code {
        0 => Stage::Waiting,
        1 => Stage::Resending { at_ms: 0.0 },
        2 => Stage::Running,
        3 => Stage::Deployed,
        4 => Stage::Failed,
        5 => Stage::Refused,
        6 => Stage::Expired,
        _ => return None,
    })
}

fn saved(batch: &Batch) -> SavedBatch {
    let rows = batch
        .tenants
        .iter()
        .map(|row| {
            SavedRow(
                row.tenant.clone(),
                row.key.clone(),
                row.job_id.clone(),
                stage_code(&row.stage),
                row.attempts,
                row.status.clone(),
                row.step,
                row.store_url.clone(),
                row.error.clone(),
                row.created_at.clone(),
                row.updated_at.clone(),
                row.heard_at_ms.map(|ms| ms as u64),
            )
        })
        .collect();
    SavedBatch(batch.at_once, batch.paused, rows, batch.problem.clone())
}

fn restored(saved: SavedBatch) -> Option<Batch> {
    let SavedBatch(at_once, paused, rows, problem) = saved;
    let mut tenants = Vec::with_capacity(rows.len());
    for SavedRow(
        tenant,
        key,
        job_id,
        stage,
        attempts,
        status,
        step,
        store_url,
        error,
        created_at,
        updated_at,
        heard_at_ms,
    ) in rows
    {
        let mut row = BatchTenant::new(tenant, key);
        row.stage = stage_of(stage)?;
        row.job_id = job_id;
        row.attempts = attempts;
        row.status = status;
        row.step = step;
        row.store_url = store_url;
        row.error = error;
        row.created_at = created_at;
        row.updated_at = updated_at;
        row.heard_at_ms = heard_at_ms.map(|ms| ms as f64);
        tenants.push(row);
    }
    let mut batch = Batch::new(Vec::new(), at_once, String::new);
    batch.tenants = tenants;
    batch.paused = paused;
    batch.problem = problem;
    Some(batch)
}

pub fn load() -> Option<Batch> {
    LocalStorage::get::<SavedBatch>(KEY).ok().and_then(restored)
}

pub fn save(batch: &Batch) {
    // Quietly: a full or refused storage loses only the going on after a reload.
    let _ = LocalStorage::set(KEY, saved(batch));
}

pub fn clear() {
    LocalStorage::delete(KEY);
}

/// When a tab that shows the batch without driving it last said so.
pub const SHOWN_KEY: &str = "store-portal.batch.shown.v1";

/// A tab that shows the batch, not driving it, says so: the write (a new
/// time each, so a `storage` event each) is what the driver hears.
pub fn say_shown(now_ms: f64) {
    let _ = LocalStorage::raw().set_item(SHOWN_KEY, &(now_ms as u64).to_string());
}

/// Leaves a command for the driver (a `storage` event in its tab).
pub fn send_command(sent: &Sent) {
    let key = format!("{COMMAND_PREFIX}{}", sent.id);
    let _ = LocalStorage::raw().set_item(&key, &sent.encode());
}

/// The commands left for the driver, oldest first, each removed as it is
/// taken; those older than [`COMMAND_KEPT_MS`] at `now_ms`, and junk, are
/// dropped.
pub fn take_commands(now_ms: u64) -> Vec<Sent> {
    let storage = LocalStorage::raw();
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|at| storage.key(at).ok().flatten())
        .filter(|key| key.starts_with(COMMAND_PREFIX))
        .collect();
    let mut taken: Vec<Sent> = keys
        .iter()
        .filter_map(|key| {
            let text = storage.get_item(key).ok().flatten();
            let _ = storage.remove_item(key);
            text.as_deref().and_then(Sent::decode)
        })
        .filter(|sent| now_ms.saturating_sub(sent.at_ms) <= COMMAND_KEPT_MS)
        .collect();
    taken.sort_by_key(|sent| sent.at_ms);
    taken
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::batch::Answer;

    fn round_trip(batch: &Batch) -> Option<Batch> {
        let text = serde_json::to_string(&saved(batch)).unwrap();
        restored(serde_json::from_str(&text).unwrap())
    }

    #[test]
    fn a_batch_reads_back_as_it_was_written_and_junk_does_not_read() {
        let tenants = ["acme", "beta", "gamma"]
            .map(|t| TenantId::parse(t).unwrap())
            .to_vec();
        let mut batch = Batch::new(tenants, 3, || "key-1".to_owned());
        batch.sends_due(0.0);
        batch.answered(
            1,
            Answer::Posted(Err(crate::api::ApiError::Forbidden)),
            1.0,
            0.5,
        );
        batch.paused = true;
        batch.tenants[2].stage = Stage::Expired;
        batch.tenants[2].heard_at_ms = Some(1_234.0);
        let mut back = round_trip(&batch).unwrap();
        assert_eq!(back.tenants[2].stage, Stage::Expired);
        assert_eq!(back.tenants[2].heard_at_ms, Some(1_234.0));
        assert_eq!(back.at_once, 3);
        assert!(back.paused);
        assert_eq!(back.tenants[1].stage, Stage::Refused);
        assert_eq!(back.tenants[1].error, batch.tenants[1].error);
        // A POST that was on its way goes again, with its key.
        assert_eq!(back.tenants[0].stage, Stage::Resending { at_ms: 0.0 });
        back.resumed(5.0);
        back.paused = false;
        // (gamma is expired: final, not sent again.)
        assert_eq!(back.sends_due(5.0).len(), 1);
        assert_eq!(back.tenants[0].key, "key-1");
        // An entry written before the last-heard time was kept still reads.
        let older = r#"[2,false,[["a","k","j",2,1,"processing",null,null,null,null,null]]]"#;
        let older = restored(serde_json::from_str(older).unwrap()).unwrap();
        assert_eq!(older.tenants[0].stage, Stage::Running);
        assert_eq!(older.tenants[0].heard_at_ms, None);
        let junks = [
            "",
            "[]",
            "[3,true,7]",
            r#"[3,true,[["Bad Id","k",null,0,0,null,null,null,null,null,null]]]"#,
            r#"[3,true,[["a","k",null,9,0,null,null,null,null,null,null]]]"#,
        ];
        for junk in junks {
            let read = serde_json::from_str::<SavedBatch>(junk)
                .ok()
                .and_then(restored);
            assert!(read.is_none(), "{junk}");
        }
    }
}
