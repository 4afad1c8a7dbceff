//! The Store Provisioning Service's HTTP contract (`docs/provisioning-api.md`,
//! `docs/openapi.yaml`) as Rust types, shared by the portal, which reads what
//! a service sends, and the dev service, which sends it:
//!
//! - [`paths`]: the endpoints, the `logsAfter` and `after` queries and the
//!   `Idempotency-Key` header;
//! - [`events`]: the names of the events the events endpoint streams;
//! - [`tenant_id`]: [`TenantId`] and the contract's rule for it;
//! - [`job`]: a [`Job`], its [`JobStatus`], [`Progress`], [`JobError`] and
//!   [`LogLine`]s, and the [`ProvisionRequest`] that starts one;
//! - [`error_body`]: the error body and its [`ErrorCode`]s.
//!
//! Decoding is lenient where the contract allows it: unknown fields are
//! ignored, optional fields may be missing or `null`, an unknown status or
//! error code is kept as it was sent.

pub use error_body::{ErrorBody, ErrorCode, ErrorDetail};
pub use job::{Job, JobError, JobStatus, LogLine, Progress, ProvisionRequest};
pub use tenant_id::{InvalidTenantId, TenantId};

use serde::{Deserialize, Deserializer};

/// Serde for an enum read from and written as its text (`parse`, `as_str`):
/// any text reads, as a named value or one kept as sent.
macro_rules! serde_as_text {
    ($type:ty) => {
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::parse(&text))
            }
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use serde_as_text;

pub mod error_body;
pub mod events;
pub mod job;
pub mod paths;
pub mod tenant_id;

/// A field the contract allows to be missing or `null`, read as its default.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
