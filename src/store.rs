//! The provisioning store (yewdux) and the pure rules it follows: how the
//! state changes (`provisioning`), when to poll again (`polling_policy`),
//! when to send "Provision Store" again (`provision_retry`); a job's log is
//! held by `crate::log_pane::LogLines`. The browser-facing pieces — the poller,
//! the actions that call the API and what is kept in localStorage — are thin
//! layers over those.

pub mod activity;
pub mod batch;
pub mod job_alerts;
pub mod job_poller;
pub mod job_relay;
pub mod kept;
pub mod polling_policy;
pub mod preferences;
pub mod provision_retry;
pub mod provisioning;
pub mod provisioning_actions;
pub mod recent_tenants;
pub mod saved_attempts;
pub mod saved_batch;
pub mod tab_lock;

pub use crate::log_pane::LogLines;

/// Puts `item` first in `list` (moved there: an entry `same` as it goes),
/// at most `max` long: the shape of every "newest first" list here.
fn put_first<T>(list: &mut Vec<T>, item: T, max: usize, same: impl Fn(&T, &T) -> bool) {
    list.retain(|kept| !same(kept, &item));
    list.insert(0, item);
    list.truncate(max);
}

/// A value in a localStorage entry: a text, a flag, an attempt object
/// (`{"jobId": text, "expired"?: flag}`), or junk (left by hand or by
/// another program, dropped without losing the rest of the entry). Every
/// entry is read through this one type, without building a
/// `serde_json::Value`.
enum Stored {
    Text(String),
    Flag(bool),
    Attempt { job_id: String, expired: bool },
    Junk,
}

impl Stored {
    fn text(self) -> Option<String> {
        match self {
            Stored::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Stored {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Stored;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, text: &str) -> Result<Stored, E> {
                Ok(Stored::Text(text.to_owned()))
            }
            fn visit_bool<E>(self, flag: bool) -> Result<Stored, E> {
                Ok(Stored::Flag(flag))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Stored, E> {
                Ok(Stored::Junk)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Stored, E> {
                Ok(Stored::Junk)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Stored, E> {
                Ok(Stored::Junk)
            }
            fn visit_unit<E>(self) -> Result<Stored, E> {
                Ok(Stored::Junk)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Stored, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Stored::Junk)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Stored, A::Error> {
                let (mut job_id, mut expired) = (None, false);
                while let Some(key) = map.next_key::<String>()? {
                    match (key.as_str(), map.next_value::<Stored>()?) {
                        ("jobId", Stored::Text(text)) => job_id = Some(text),
                        ("expired", Stored::Flag(flag)) => expired = flag,
                        _ => {}
                    }
                }
                Ok(match job_id {
                    Some(job_id) => Stored::Attempt { job_id, expired },
                    None => Stored::Junk,
                })
            }
        }
        deserializer.deserialize_any(Any)
    }
}

pub use provisioning::{
    Action, Attempt, JobState, PollTrouble, ProvisionRetry, ProvisioningState, RequestStatus,
    StartEvent, StartRequest, TenantAction, TenantProvisioning,
};
