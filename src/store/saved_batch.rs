//! The batch of "Provision many tenants", kept in localStorage so a reload
//! or a reopened tab goes on where it was: a kept entry (`store::kept`),
//! `store-portal.batch.v2`, with "At once", whether it is paused, why it
//! stopped (signed out) and a row a tenant, each with named fields (short
//! ones: [`KeptRow`] says what each is), left out when empty. What a reload
//! learns again is not kept: requests on their way, when to ask next, a
//! 429's hold. An entry that does not read as a batch is junk and ignored.
//!
//! Builds before named fields kept the batch, and each row, as an array of
//! the same fields in the same order (`store-portal.batch.v1`): serde reads
//! a struct from such an array too, so that entry reads through the same
//! types, once, and is replaced.

use serde::{Deserialize, Serialize};

use super::batch::command::Sent;
use super::batch::{Batch, BatchTenant, Stage};
use super::kept;
use crate::api::{JobStatus, TenantId};

pub const KEY: &str = "store-portal.batch.v2";
/// The entry builds before named fields wrote.
const V1_KEY: &str = "store-portal.batch.v1";
/// Commands tabs left for the tab that drives the batch
/// (`store::batch::command`), a key each (`<prefix><id>`): the driver
/// applies each, oldest first, and removes it.
pub const COMMAND_PREFIX: &str = "store-portal.batch.command.v1.";
/// A command older than this when the driver finds it is dropped (left while
/// no tab drove, and no longer what anyone is waiting for).
const COMMAND_KEPT_MS: u64 = 30_000;

static ENTRY: kept::Entry<KeptBatch> = kept::Entry::replacing(KEY, &[V1_KEY], from_v1);

/// The batch as kept. The fields' order is batch.v1's.
#[derive(Serialize, Deserialize)]
struct KeptBatch {
    #[serde(rename = "atOnce")]
    at_once: u32,
    #[serde(default, skip_serializing_if = "is_false")]
    paused: bool,
    rows: Vec<KeptRow>,
    /// Why the batch stopped (signed out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

/// A row as kept. A batch has a row a tenant (a thousand or more), so each
/// field's name is a letter or two, and a field that is empty (none, zero)
/// is left out. The fields' order is batch.v1's.
#[derive(Serialize, Deserialize)]
struct KeptRow {
    #[serde(rename = "t")]
    tenant: TenantId,
    /// The POST's key, kept while the POST may go (again): not once the
    /// row has a job, or ended.
    #[serde(rename = "k", default, skip_serializing_if = "String::is_empty")]
    key: String,
    #[serde(rename = "j", default, skip_serializing_if = "Option::is_none")]
    job_id: Option<String>,
    /// [`stage_code`].
    #[serde(rename = "s", default, skip_serializing_if = "is_zero")]
    stage: u8,
    #[serde(rename = "a", default, skip_serializing_if = "is_zero")]
    attempts: u32,
    #[serde(rename = "st", default, skip_serializing_if = "Option::is_none")]
    status: Option<JobStatus>,
    /// Step and steps.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    step: Option<(u32, u32)>,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    store_url: Option<String>,
    /// Code and message.
    #[serde(rename = "e", default, skip_serializing_if = "Option::is_none")]
    error: Option<(String, String)>,
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(rename = "up", default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
    /// When the portal last heard of the job: whole ms (no float parsing or
    /// printing in the main module for it). Rows batch.v1 wrote before it
    /// was kept lack it.
    #[serde(rename = "h", default, skip_serializing_if = "Option::is_none")]
    heard_at_ms: Option<u64>,
}

fn is_false(flag: &bool) -> bool {
    !flag
}

fn is_zero<N: Default + PartialEq>(number: &N) -> bool {
    *number == N::default()
}

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

fn kept_row(row: &BatchTenant) -> KeptRow {
    let stage = stage_code(&row.stage);
    // Only a row not sent, or on its way, sends its POST (again).
    let key = if stage <= 1 {
        row.key.clone()
    } else {
        String::new()
    };
    KeptRow {
        tenant: row.tenant.clone(),
        key,
        stage,
        attempts: row.attempts,
        job_id: row.job_id.clone(),
        status: row.status.clone(),
        step: row.step,
        store_url: row.store_url.clone(),
        error: row.error.clone(),
        created_at: row.created_at.clone(),
        updated_at: row.updated_at.clone(),
        heard_at_ms: row.heard_at_ms.map(|ms| ms as u64),
    }
}

fn kept_batch(batch: &Batch) -> KeptBatch {
    KeptBatch {
        at_once: batch.at_once,
        paused: batch.paused,
        problem: batch.problem.clone(),
        rows: batch.tenants.iter().map(kept_row).collect(),
    }
}

/// The batch an entry holds; none when a row's stage is not one.
fn restored(kept: KeptBatch) -> Option<Batch> {
    let mut tenants = Vec::with_capacity(kept.rows.len());
    for kept in kept.rows {
        let mut row = BatchTenant::new(kept.tenant, kept.key);
        row.stage = stage_of(kept.stage)?;
        row.job_id = kept.job_id;
        row.attempts = kept.attempts;
        row.status = kept.status;
        row.step = kept.step;
        row.store_url = kept.store_url;
        row.error = kept.error;
        row.created_at = kept.created_at;
        row.updated_at = kept.updated_at;
        row.heard_at_ms = kept.heard_at_ms.map(|ms| ms as f64);
        tenants.push(row);
    }
    let mut batch = Batch::new(Vec::new(), kept.at_once, String::new);
    batch.tenants = tenants;
    batch.paused = kept.paused;
    batch.problem = kept.problem;
    Some(batch)
}

/// The batch.v1 entry's text (arrays) as today's entry, through the batch
/// it holds.
fn from_v1(texts: &[Option<String>]) -> Option<KeptBatch> {
    let v1 = kept::decode(texts.first()?.as_deref()?)?;
    Some(kept_batch(&restored(v1)?))
}

pub fn load() -> Option<Batch> {
    ENTRY.read().and_then(restored)
}

pub fn save(batch: &Batch) {
    ENTRY.write(&kept_batch(batch));
}

pub fn clear() {
    ENTRY.clear();
}

/// When a tab that shows the batch without driving it last said so.
pub const SHOWN_KEY: &str = "store-portal.batch.shown.v1";

/// A tab that shows the batch, not driving it, says so: the write (a new
/// time each, so a `storage` event each) is what the driver hears.
pub fn say_shown(now_ms: f64) {
    kept::put(SHOWN_KEY, &(now_ms as u64));
}

/// Leaves a command for the driver (a `storage` event in its tab).
pub fn send_command(sent: &Sent) {
    kept::put(&format!("{COMMAND_PREFIX}{}", sent.id), sent);
}

/// The commands left for the driver, oldest first, each removed as it is
/// taken; those older than [`COMMAND_KEPT_MS`] at `now_ms`, and junk, are
/// dropped.
pub fn take_commands(now_ms: u64) -> Vec<Sent> {
    let mut taken: Vec<Sent> = kept::take_all(COMMAND_PREFIX)
        .iter()
        .filter_map(|text| Sent::decode(text))
        .filter(|sent| now_ms.saturating_sub(sent.at_ms) <= COMMAND_KEPT_MS)
        .collect();
    taken.sort_by_key(|sent| sent.at_ms);
    taken
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::batch::Answer;
    use crate::store::kept::tests::Map;

    /// What a page reads when `key` holds `text`.
    fn read(key: &str, text: &str) -> Option<Batch> {
        ENTRY.read_on(&Map::with(&[(key, text)])).and_then(restored)
    }

    fn written(batch: &Batch) -> String {
        let shelf = Map::default();
        ENTRY.write_on(&shelf, &kept_batch(batch));
        shelf.text_at(KEY).unwrap()
    }

    fn round_trip(batch: &Batch) -> Option<Batch> {
        read(KEY, &written(batch))
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
        let older = read(V1_KEY, older).unwrap();
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
            assert!(read(V1_KEY, junk).is_none(), "{junk}");
        }
        let junks = [
            "",
            "{}",
            r#"{"atOnce":3,"rows":7}"#,
            r#"{"atOnce":3,"rows":[{"t":"Bad Id"}]}"#,
            r#"{"atOnce":3,"rows":[{"t":"a","s":9}]}"#,
            r#"{"atOnce":3,"rows":[{"t":"a","a":"one"}]}"#,
        ];
        for junk in junks {
            assert!(read(KEY, junk).is_none(), "{junk}");
        }
    }

    /// A batch with a row in each stage and every field, as the fixtures
    /// below were written from.
    fn every_stage() -> Batch {
        let tenants = [
            "a-waiting",
            "b-sending",
            "c-resending",
            "d-running",
            "e-deployed",
            "f-failed",
            "g-refused",
            "h-expired",
        ]
        .map(|t| TenantId::parse(t).unwrap())
        .to_vec();
        let mut n = 0;
        let mut batch = Batch::new(tenants, 3, || {
            n += 1;
            format!("key-{n}")
        });
        let stages = [
            Stage::Waiting,
            Stage::Sending,
            Stage::Resending { at_ms: 99.0 },
            Stage::Running,
            Stage::Deployed,
            Stage::Failed,
            Stage::Refused,
            Stage::Expired,
        ];
        for (row, stage) in batch.tenants.iter_mut().zip(stages) {
            row.stage = stage;
        }
        let text = |t: &str| Some(t.to_owned());
        let error = |code: &str, message: &str| Some((code.to_owned(), message.to_owned()));
        let row = &mut batch.tenants[3];
        row.job_id = text("job_000003");
        row.attempts = 1;
        row.status = Some(JobStatus::Processing);
        row.step = Some((3, 7));
        row.created_at = text("2026-12-02T10:00:00.000Z");
        row.updated_at = text("2026-12-02T10:00:05.250Z");
        row.heard_at_ms = Some(1_796_205_605_250.0);
        let row = &mut batch.tenants[4];
        row.job_id = text("job_000004");
        row.attempts = 2;
        row.status = Some(JobStatus::Deployed);
        row.step = Some((7, 7));
        row.store_url = text("https://e-deployed.shop.example.test/");
        row.created_at = text("2026-12-02T10:00:00.000Z");
        row.updated_at = text("2026-12-02T10:01:00.000Z");
        row.heard_at_ms = Some(1_796_205_660_000.0);
        let row = &mut batch.tenants[5];
        row.job_id = text("job_000005");
        row.attempts = 1;
        row.status = Some(JobStatus::Failed);
        row.step = Some((4, 7));
        row.error = error(
            "payment_setup_failed",
            "The payment provider rejected the \"merchant\" account.",
        );
        row.created_at = text("2026-12-02T10:00:00Z");
        row.updated_at = text("2026-12-02T10:00:40Z");
        let row = &mut batch.tenants[6];
        row.attempts = 1;
        row.error = error("forbidden", "You may not provision this tenant.");
        let row = &mut batch.tenants[7];
        row.job_id = text("job_000007");
        row.attempts = 3;
        row.status = Some(JobStatus::Other("paused".into()));
        row.error = error("job_not_found", "The service no longer knows this job.");
        row.heard_at_ms = Some(1_796_205_600_000.0);
        batch.paused = true;
        batch
    }

    /// What a reload makes of `batch`: a request on its way goes again,
    /// and a row that will send no POST has no key.
    fn as_reloaded(mut batch: Batch) -> Batch {
        for row in &mut batch.tenants {
            match row.stage {
                Stage::Waiting => {}
                Stage::Sending | Stage::Resending { .. } => {
                    row.stage = Stage::Resending { at_ms: 0.0 }
                }
                _ => row.key = String::new(),
            }
        }
        batch
    }

    /// The exact text the build before named fields wrote (batch.v1): it
    /// reads as the batch it was written from, once, and is replaced by
    /// today's entry.
    #[test]
    fn the_entry_earlier_builds_wrote_still_reads() {
        let v1 = r#"[3,true,[["a-waiting","key-1",null,0,0,null,null,null,null,null,null,null],["b-sending","key-2",null,1,0,null,null,null,null,null,null,null],["c-resending","key-3",null,1,0,null,null,null,null,null,null,null],["d-running","key-4","job_000003",2,1,"processing",[3,7],null,null,"2026-12-02T10:00:00.000Z","2026-12-02T10:00:05.250Z",1796205605250],["e-deployed","key-5","job_000004",3,2,"deployed",[7,7],"https://e-deployed.shop.example.test/",null,"2026-12-02T10:00:00.000Z","2026-12-02T10:01:00.000Z",1796205660000],["f-failed","key-6","job_000005",4,1,"failed",[4,7],null,["payment_setup_failed","The payment provider rejected the \"merchant\" account."],"2026-12-02T10:00:00Z","2026-12-02T10:00:40Z",null],["g-refused","key-7",null,5,1,null,null,null,["forbidden","You may not provision this tenant."],null,null,null],["h-expired","key-8","job_000007",6,3,"paused",null,null,["job_not_found","The service no longer knows this job."],null,null,1796205600000]],null]"#;
        let shelf = Map::with(&[(V1_KEY, v1)]);
        let read = ENTRY.read_on(&shelf).and_then(restored).unwrap();
        assert_eq!(read, as_reloaded(every_stage()));
        assert_eq!(shelf.keys(), [KEY]);
        let v2 = shelf.text_at(KEY).unwrap();
        assert_eq!(
            v2,
            r#"{"atOnce":3,"paused":true,"rows":[{"t":"a-waiting","k":"key-1"},{"t":"b-sending","k":"key-2","s":1},{"t":"c-resending","k":"key-3","s":1},{"t":"d-running","j":"job_000003","s":2,"a":1,"st":"processing","p":[3,7],"c":"2026-12-02T10:00:00.000Z","up":"2026-12-02T10:00:05.250Z","h":1796205605250},{"t":"e-deployed","j":"job_000004","s":3,"a":2,"st":"deployed","p":[7,7],"u":"https://e-deployed.shop.example.test/","c":"2026-12-02T10:00:00.000Z","up":"2026-12-02T10:01:00.000Z","h":1796205660000},{"t":"f-failed","j":"job_000005","s":4,"a":1,"st":"failed","p":[4,7],"e":["payment_setup_failed","The payment provider rejected the \"merchant\" account."],"c":"2026-12-02T10:00:00Z","up":"2026-12-02T10:00:40Z"},{"t":"g-refused","s":5,"a":1,"e":["forbidden","You may not provision this tenant."]},{"t":"h-expired","j":"job_000007","s":6,"a":3,"st":"paused","e":["job_not_found","The service no longer knows this job."],"h":1796205600000}]}"#
        );
        assert_eq!(written(&read), v2);
        // Signed out: why it stopped.
        let v1 = r#"[3,false,[["a-waiting","key-1",null,0,0,null,null,null,null,null,null,null],["b-sending","key-2",null,1,0,null,null,null,null,null,null,null],["c-resending","key-3",null,1,0,null,null,null,null,null,null,null],["d-running","key-4","job_000003",2,1,"processing",[3,7],null,null,"2026-12-02T10:00:00.000Z","2026-12-02T10:00:05.250Z",1796205605250],["e-deployed","key-5","job_000004",3,2,"deployed",[7,7],"https://e-deployed.shop.example.test/",null,"2026-12-02T10:00:00.000Z","2026-12-02T10:01:00.000Z",1796205660000],["f-failed","key-6","job_000005",4,1,"failed",[4,7],null,["payment_setup_failed","The payment provider rejected the \"merchant\" account."],"2026-12-02T10:00:00Z","2026-12-02T10:00:40Z",null],["g-refused","key-7",null,5,1,null,null,null,["forbidden","You may not provision this tenant."],null,null,null],["h-expired","key-8","job_000007",6,3,"paused",null,null,["job_not_found","The service no longer knows this job."],null,null,1796205600000]],"Sign in again."]"#;
        let read = self::read(V1_KEY, v1).unwrap();
        let mut expected = as_reloaded(every_stage());
        expected.paused = false;
        expected.problem = Some("Sign in again.".into());
        assert_eq!(read, expected);
        assert_eq!(read.problem.as_deref(), Some("Sign in again."));
        assert!(!read.paused);
        assert!(written(&read).ends_with(r#"}],"problem":"Sign in again."}"#));
    }

    /// The exact text of the commands tabs leave for the driver (unchanged
    /// since they were first written).
    #[test]
    fn commands_read_as_earlier_builds_wrote_them() {
        use crate::store::batch::command::Command;
        let texts = [
            r#"{"id":"c-1","at_ms":1796205600000,"command":{"Start":{"tenants":["a"],"at_once":4}}}"#,
            r#"{"id":"c-2","at_ms":5,"command":"Pause"}"#,
            r#"{"id":"c-2","at_ms":5,"command":{"AtOnce":7}}"#,
            r#"{"id":"c-2","at_ms":5,"command":"RetryFailed"}"#,
        ];
        let commands: Vec<Command> = texts
            .iter()
            .map(|text| Sent::decode(text).unwrap().command)
            .collect();
        assert_eq!(
            commands,
            [
                Command::Start {
                    tenants: vec![TenantId::parse("a").unwrap()],
                    at_once: 4
                },
                Command::Pause,
                Command::AtOnce(7),
                Command::RetryFailed
            ]
        );
        for text in texts {
            assert_eq!(
                serde_json::to_string(&Sent::decode(text).unwrap()).unwrap(),
                text
            );
        }
    }

    /// A batch of 1,000 tenants at a stage: `started` (4 running, the rest
    /// waiting), `half` (500 deployed), `done` (all deployed), `failures`
    /// (done, one in ten failed), with the fields the dev service gives.
    fn thousand(stage: &str) -> Batch {
        let tenants: Vec<TenantId> = (0..1000)
            .map(|i| TenantId::parse(&format!("tenant-{i:04}")).unwrap())
            .collect();
        let mut n = 0u32;
        let mut batch = Batch::new(tenants, 4, || {
            n += 1;
            format!("{n:08x}-7d3c-4e21-9b4a-5f6e7d8c9b0a")
        });
        let done = match stage {
            "started" => 0,
            "half" => 500,
            _ => 1000,
        };
        for (i, row) in batch.tenants.iter_mut().enumerate() {
            let running = (done..done + 4).contains(&i) && done < 1000;
            if i >= done && !running {
                continue;
            }
            let at = format!("2026-12-02T10:{:02}:{:02}.000Z", i / 60 % 60, i % 60);
            row.job_id = Some(format!("job_{:06x}", i * 7919 % 0xFF_FFFF));
            row.attempts = 1;
            row.created_at = Some(at.clone());
            row.updated_at = Some(at);
            row.heard_at_ms = Some(1_796_205_600_000.0 + i as f64 * 1000.0);
            if running {
                row.stage = Stage::Running;
                row.status = Some(JobStatus::Processing);
                row.step = Some((3, 7));
            } else if stage == "failures" && i % 10 == 0 {
                row.stage = Stage::Failed;
                row.status = Some(JobStatus::Failed);
                row.step = Some((4, 7));
                row.error = Some((
                    "payment_setup_failed".into(),
                    "The payment provider rejected the merchant account.".into(),
                ));
            } else {
                row.stage = Stage::Deployed;
                row.status = Some(JobStatus::Deployed);
                row.step = Some((7, 7));
                row.store_url = Some(format!("https://{}.shop.example.test/", row.tenant));
            }
        }
        batch
    }

    /// A row as batch.v1 kept it, to write one here.
    #[derive(Serialize)]
    struct V1Row(
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
        Option<u64>,
    );

    #[derive(Serialize)]
    struct V1Batch(u32, bool, Vec<V1Row>, Option<String>);

    /// `batch` as the build before named fields wrote it.
    fn v1_text(batch: &Batch) -> String {
        let rows = batch
            .tenants
            .iter()
            .map(|row| {
                V1Row(
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
        let v1 = V1Batch(batch.at_once, batch.paused, rows, batch.problem.clone());
        serde_json::to_string(&v1).unwrap()
    }

    /// The bytes a 1,000-tenant batch takes (`cargo test -p store-portal
    /// --lib thousand -- --nocapture` prints them): named fields take no
    /// more than the arrays did, and every stage reads back.
    #[test]
    fn a_thousand_tenants_take_no_more_than_before() {
        for stage in ["started", "half", "done", "failures"] {
            let batch = thousand(stage);
            let (v1, v2) = (v1_text(&batch), written(&batch));
            println!(
                "1,000 tenants, {stage}: batch.v1 {} bytes, batch.v2 {} bytes",
                v1.len(),
                v2.len()
            );
            assert!(v2.len() <= v1.len(), "{stage}");
            assert_eq!(read(KEY, &v2), Some(as_reloaded(batch.clone())));
            assert_eq!(read(V1_KEY, &v1), Some(as_reloaded(batch)));
        }
    }
}
