//! The provisioning store (yewdux) and the pure rules it follows: how the
//! state changes (`provisioning`), when to poll again (`polling_policy`),
//! when to send "Provision Store" again (`provision_retry`); a job's log is
//! held by `crate::log_pane::LogLines`. The browser-facing pieces — the poller,
//! the actions that call the API and what is kept in localStorage — are thin
//! layers over those.

pub mod activity;
pub mod attempts;
pub mod job_alerts;
pub mod job_poller;
pub mod polling_policy;
pub mod preferences;
pub mod provision_retry;
pub mod provisioning;
pub mod provisioning_actions;
pub mod recent_tenants;
pub mod saved_jobs;

pub use crate::log_pane::LogLines;

/// Puts `item` first in `list` (moved there: an entry `same` as it goes),
/// at most `max` long: the shape of every "newest first" list here.
fn put_first<T>(list: &mut Vec<T>, item: T, max: usize, same: impl Fn(&T, &T) -> bool) {
    list.retain(|kept| !same(kept, &item));
    list.insert(0, item);
    list.truncate(max);
}

/// A value in a localStorage entry: its text, or `None` for anything else
/// (junk left by hand or by another program, which is dropped without
/// losing the rest of the entry). Read without building a `serde_json::Value`.
struct TextOrJunk(Option<String>);

impl<'de> serde::Deserialize<'de> for TextOrJunk {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = TextOrJunk;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, text: &str) -> Result<TextOrJunk, E> {
                Ok(TextOrJunk(Some(text.to_owned())))
            }
            fn visit_bool<E>(self, _: bool) -> Result<TextOrJunk, E> {
                Ok(TextOrJunk(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<TextOrJunk, E> {
                Ok(TextOrJunk(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<TextOrJunk, E> {
                Ok(TextOrJunk(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<TextOrJunk, E> {
                Ok(TextOrJunk(None))
            }
            fn visit_unit<E>(self) -> Result<TextOrJunk, E> {
                Ok(TextOrJunk(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TextOrJunk, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TextOrJunk(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TextOrJunk, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TextOrJunk(None))
            }
        }
        deserializer.deserialize_any(Any)
    }
}

pub use provisioning::{
    Action, JobState, PollTrouble, ProvisionRetry, ProvisioningState, RequestStatus, TenantAction,
    TenantProvisioning,
};
