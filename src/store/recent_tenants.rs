//! The tenants opened lately, newest first, for the tenants page.

use gloo_storage::{LocalStorage, Storage};

use crate::api::TenantId;

const KEY: &str = "store-portal.recent-tenants.v1";
/// How many tenants the list keeps.
pub const MAX_RECENT: usize = 8;

/// `list` with `tenant` moved (or added) to the front, at most [`MAX_RECENT`] long.
pub fn remembered(mut list: Vec<TenantId>, tenant: &TenantId) -> Vec<TenantId> {
    list.retain(|t| t != tenant);
    list.insert(0, tenant.clone());
    list.truncate(MAX_RECENT);
    list
}

/// The saved list; entries that are not valid tenant ids are dropped.
pub fn load() -> Vec<TenantId> {
    let raw: Vec<String> = LocalStorage::get(KEY).unwrap_or_default();
    raw.iter()
        .filter_map(|t| TenantId::parse(t).ok())
        .take(MAX_RECENT)
        .collect()
}

pub fn remember(tenant: &TenantId) {
    let list = remembered(load(), tenant);
    let _ = LocalStorage::set(KEY, list);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

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
