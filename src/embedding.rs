//! The feature inside a host's page: the `<store-provisioning>` and
//! `<store-provisioning-batch>` custom elements (`assets/store-provisioning.js`
//! defines them and calls into [`element`]; `docs/embedding.md` is the
//! host's guide).
//!
//! What an element decides is here, plain Rust tested natively: what it
//! shows from its attributes, and which status change it tells its host
//! (`provisioning-change`). The shell ([`element`]) mounts one Yew app per
//! element ([`element_app`]) and keeps it across removals.

pub mod element;
pub mod element_app;

use crate::api::endpoints::ApiBase;
use crate::api::TenantId;
use crate::store::batch::Tally;
use crate::store::TenantProvisioning;

/// The element's tag names.
pub const TENANT_TAG: &str = "store-provisioning";
pub const BATCH_TAG: &str = "store-provisioning-batch";
/// The event an element dispatches on itself (bubbling, composed).
pub const CHANGE_EVENT: &str = "provisioning-change";

/// What an element shows, read from its tag and attributes.
#[derive(Debug, Clone, PartialEq)]
pub enum Shows {
    /// A tenant's provisioning (`tenant-id`): Provision Store, the status,
    /// the log pane, attempts, alerts.
    Tenant(TenantId),
    /// "Provision many tenants".
    Batch,
    /// Nothing it can show, and why (said in the element).
    Problem(String),
}

impl Shows {
    pub fn read(tag: &str, tenant_id: Option<&str>) -> Shows {
        match tag {
            BATCH_TAG => Shows::Batch,
            TENANT_TAG => match tenant_id.map(str::trim).filter(|id| !id.is_empty()) {
                None => Shows::Problem(
                    "Store provisioning needs a tenant: this element has no tenant-id attribute."
                        .to_owned(),
                ),
                Some(id) => match TenantId::parse(id) {
                    Ok(tenant) => Shows::Tenant(tenant),
                    Err(reason) => Shows::Problem(format!("“{id}” is not a tenant id. {reason}")),
                },
            },
            other => Shows::Problem(format!("<{other}> is not a store-provisioning element.")),
        }
    }
}

/// The `api-base` attribute: missing or empty, the page's own origin.
pub fn api_base(attribute: Option<&str>) -> ApiBase {
    ApiBase::new(attribute.unwrap_or_default())
}

/// What `provisioning-change` tells the host of a tenant: its newest
/// attempt's job and status (`queued`, `processing`, `deployed`, `failed`,
/// or `expired` once the service no longer knows it).
#[derive(Debug, Clone, PartialEq)]
pub struct TenantChange {
    pub tenant_id: String,
    pub job_id: String,
    pub status: Option<String>,
}

impl TenantChange {
    /// The tenant's state as the host is told it; `None` before any job.
    pub fn of(tenant: &TenantId, entry: &TenantProvisioning) -> Option<TenantChange> {
        let newest = entry.attempts.newest()?;
        let status = if newest.head.expired {
            Some("expired".to_owned())
        } else {
            newest.status().map(|status| status.as_str().to_owned())
        };
        Some(TenantChange {
            tenant_id: tenant.to_string(),
            job_id: newest.head.job_id.to_string(),
            status,
        })
    }
}

/// Tells each state once: `next` gives what to announce, `None` when the
/// host already heard it (the same state rendered again).
#[derive(Debug)]
pub struct Announcer<T> {
    last: Option<T>,
}

impl<T> Default for Announcer<T> {
    fn default() -> Self {
        Self { last: None }
    }
}

impl<T: PartialEq + Clone> Announcer<T> {
    pub fn next(&mut self, now: Option<T>) -> Option<T> {
        let now = now?;
        if self.last.as_ref() == Some(&now) {
            return None;
        }
        self.last = Some(now.clone());
        Some(now)
    }
}

/// What the batch element announces: its summary's counts.
pub fn batch_counts(tally: &Tally) -> [(&'static str, usize); 5] {
    [
        ("deployed", tally.deployed),
        ("failed", tally.failed),
        ("expired", tally.expired),
        ("running", tally.running),
        ("waiting", tally.waiting),
    ]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
