//! The tenants opened lately, newest first, for the tenants page: a JSON
//! array of tenant ids (`store-portal.recent-tenants.v1`), read and written
//! with gloo-storage.

use gloo_storage::{LocalStorage, Storage};

use super::Stored;
use crate::api::TenantId;

const KEY: &str = "store-portal.recent-tenants.v1";
/// How many tenants the list keeps.
pub const MAX_RECENT: usize = 8;

/// `list` with `tenant` moved (or added) to the front, at most [`MAX_RECENT`] long.
pub fn remembered(mut list: Vec<TenantId>, tenant: &TenantId) -> Vec<TenantId> {
    super::put_first(&mut list, tenant.clone(), MAX_RECENT, |a, b| a == b);
    list
}

/// The stored entries that are tenant ids; anything else is dropped.
fn tenant_ids(stored: Vec<Stored>) -> Vec<TenantId> {
    stored
        .into_iter()
        .filter_map(|item| TenantId::parse(&item.text()?).ok())
        .take(MAX_RECENT)
        .collect()
}

/// The saved list.
pub fn load() -> Vec<TenantId> {
    LocalStorage::get(KEY).map(tenant_ids).unwrap_or_default()
}

pub fn remember(tenant: &TenantId) {
    let list = remembered(load(), tenant);
    // Quietly: a full or refused storage only loses the convenience it serves.
    let _ = LocalStorage::set(KEY, list);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<TenantId> {
        serde_json::from_str(text)
            .map(tenant_ids)
            .unwrap_or_default()
    }

    #[test]
    fn the_list_is_stored_as_json_and_read_back_without_junk() {
        let list = ids(&["acme", "b-2"]);
        let text = serde_json::to_string(&list).unwrap();
        // The format every earlier build wrote and read.
        assert_eq!(text, r#"["acme","b-2"]"#);
        assert_eq!(read(&text), list);
        assert_eq!(read(r#"["acme","Not Valid",7,"b-2"]"#), list);
        assert!(read("{").is_empty());
    }

    fn ids(names: &[&str]) -> Vec<TenantId> {
        names.iter().map(|n| TenantId::parse(n).unwrap()).collect()
    }

    #[test]
    fn the_newest_comes_first_without_repeats() {
        let list = remembered(ids(&["a", "b", "c"]), &TenantId::parse("b").unwrap());
        assert_eq!(list, ids(&["b", "a", "c"]));
    }

    #[test]
    fn the_list_is_bounded() {
        let mut list = Vec::new();
        for i in 0..20 {
            list = remembered(list, &TenantId::parse(&format!("t{i}")).unwrap());
        }
        assert_eq!(list.len(), MAX_RECENT);
        assert_eq!(list[0].as_str(), "t19");
    }
}
