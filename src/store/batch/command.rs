//! What a reader asks of the batch, from whichever tab: the batch is one
//! thing per browser, driven by one tab at a time (`use_batch`); the others
//! show it and hand their commands to the driver through localStorage
//! (`store::saved_batch`). A command is applied here, the same way in every
//! tab, so Pause in one tab is Pause in all of them.

use serde::{Deserialize, Serialize};

use super::{Batch, MAX_AT_ONCE};
use crate::api::TenantId;

/// One reader's command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// No new job starts; those running are still followed.
    Pause,
    Resume,
    /// "At once" changed: applies from the batch's next start.
    AtOnce(u32),
    /// A new attempt, with a new key, for each failed or expired tenant.
    RetryFailed,
    /// The batch is forgotten.
    Clear,
    /// A new batch of these tenants (checked, each once), replacing any.
    Start {
        tenants: Vec<TenantId>,
        at_once: u32,
    },
}

/// What applying a command did to the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Nothing (no batch to pause, say).
    Nothing,
    /// The same batch, changed.
    Changed,
    /// Another batch or none: answers about the one before are dropped.
    Replaced,
}

impl Command {
    /// Applies the command; `key` gives each new attempt its key.
    pub fn apply(self, held: &mut Option<Batch>, key: impl FnMut() -> String) -> Applied {
        match (self, held.as_mut()) {
            (Command::Start { tenants, at_once }, _) => {
                *held = Some(Batch::new(tenants, at_once, key));
                Applied::Replaced
            }
            (Command::Clear, _) => {
                *held = None;
                Applied::Replaced
            }
            (_, None) => Applied::Nothing,
            (Command::Pause, Some(batch)) => {
                batch.paused = true;
                Applied::Changed
            }
            (Command::Resume, Some(batch)) => {
                batch.paused = false;
                Applied::Changed
            }
            (Command::AtOnce(n), Some(batch)) => {
                batch.at_once = n.clamp(1, MAX_AT_ONCE);
                Applied::Changed
            }
            (Command::RetryFailed, Some(batch)) => match batch.retry_failed(key) {
                0 => Applied::Nothing,
                _ => Applied::Changed,
            },
        }
    }
}

/// A command as one tab hands it to the driver: with an id of its own, so
/// the same command twice is two commands (and a storage event each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    pub id: String,
    /// When it was sent (ms since the epoch, whole: no float in the format).
    pub at_ms: u64,
    pub command: Command,
}

impl Sent {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A command read back; anything else (junk, another version's) is none.
    pub fn decode(text: &str) -> Option<Sent> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::batch::Stage;

    fn tenants(names: &[&str]) -> Vec<TenantId> {
        names.iter().map(|t| TenantId::parse(t).unwrap()).collect()
    }

    fn keys() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("k{n}")
        }
    }

    #[test]
    fn commands_change_the_batch_as_the_buttons_say() {
        let mut held = None;
        assert_eq!(Command::Pause.apply(&mut held, keys()), Applied::Nothing);
        let start = Command::Start {
            tenants: tenants(&["a", "b"]),
            at_once: 25,
        };
        assert_eq!(start.apply(&mut held, keys()), Applied::Replaced);
        let batch = held.as_ref().unwrap();
        assert_eq!(batch.tenants.len(), 2);
        assert_eq!(batch.tenants[1].key, "k2");
        assert_eq!(Command::Pause.apply(&mut held, keys()), Applied::Changed);
        assert!(held.as_ref().unwrap().paused);
        Command::Resume.apply(&mut held, keys());
        assert!(!held.as_ref().unwrap().paused);
        Command::AtOnce(3).apply(&mut held, keys());
        assert_eq!(held.as_ref().unwrap().at_once, 3);
        assert_eq!(
            Command::RetryFailed.apply(&mut held, keys()),
            Applied::Nothing,
            "nothing failed"
        );
        held.as_mut().unwrap().tenants[0].stage = Stage::Failed;
        assert_eq!(
            Command::RetryFailed.apply(&mut held, || "new".to_owned()),
            Applied::Changed
        );
        assert_eq!(held.as_ref().unwrap().tenants[0].key, "new");
        assert_eq!(Command::Clear.apply(&mut held, keys()), Applied::Replaced);
        assert!(held.is_none());
    }

    #[test]
    fn a_command_reads_back_as_sent_and_junk_reads_as_none() {
        let sent = Sent {
            id: "x1".into(),
            at_ms: 1_765_000_000_000,
            command: Command::Start {
                tenants: tenants(&["acme"]),
                at_once: 2,
            },
        };
        assert_eq!(Sent::decode(&sent.encode()), Some(sent));
        for junk in [
            "",
            "null",
            r#"{"id":"x","at_ms":1,"command":"Explode"}"#,
            r#"{"id":"x","at_ms":1,"command":{"Start":{"tenants":["Bad Id"],"at_once":2}}}"#,
            r#"{"id":"x","command":"Pause"}"#,
        ] {
            assert_eq!(Sent::decode(junk), None, "{junk}");
        }
    }
}
