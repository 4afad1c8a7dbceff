//! The batch of "Provision many tenants", kept in localStorage so a reload
//! or a reopened tab goes on where it was: `store-portal.batch.v1`, the
//! whole [`Batch`] as JSON (ids, keys, job ids, states, pace, paused or
//! not). An entry that does not read as a batch is junk and ignored.

use gloo_storage::{LocalStorage, Storage};

use super::batch::Batch;

const KEY: &str = "store-portal.batch.v1";

pub fn load() -> Option<Batch> {
    LocalStorage::get(KEY).ok()
}

pub fn save(batch: &Batch) {
    // Quietly: a full or refused storage loses only the going on after a reload.
    let _ = LocalStorage::set(KEY, batch);
}

pub fn clear() {
    LocalStorage::delete(KEY);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::TenantId;

    #[test]
    fn a_batch_reads_back_as_it_was_written_and_junk_does_not_read() {
        let tenants = ["acme", "beta"]
            .map(|t| TenantId::parse(t).unwrap())
            .to_vec();
        let mut batch = Batch::new(tenants, 3, || "key-1".to_owned());
        batch.work(0.0, false);
        batch.paused = true;
        let text = serde_json::to_string(&batch).unwrap();
        assert_eq!(serde_json::from_str::<Batch>(&text).unwrap(), batch);
        for junk in [
            "",
            "[]",
            "{\"tenants\":7}",
            "{\"tenants\":[{\"tenant\":\"Bad Id\"}]}",
        ] {
            assert!(serde_json::from_str::<Batch>(junk).is_err(), "{junk}");
        }
    }
}
