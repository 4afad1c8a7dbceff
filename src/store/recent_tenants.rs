//! The tenants opened lately, newest first, for the tenants page.

use crate::api::json::{parse, push_string, Json};
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

/// The list as stored: a JSON array of tenant ids.
fn encode(list: &[TenantId]) -> String {
    let mut out = String::from("[");
    for (i, tenant) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, tenant.as_str());
    }
    out.push(']');
    out
}

/// The stored list; entries that are not valid tenant ids are dropped.
fn decode(text: &str) -> Vec<TenantId> {
    match parse(text) {
        Ok(Json::Array(items)) => items
            .iter()
            .filter_map(|item| match item {
                Json::String(t) => TenantId::parse(t).ok(),
                _ => None,
            })
            .take(MAX_RECENT)
            .collect(),
        _ => Vec::new(),
    }
}

/// The saved list.
pub fn load() -> Vec<TenantId> {
    super::stored_text(KEY)
        .map(|text| decode(&text))
        .unwrap_or_default()
}

pub fn remember(tenant: &TenantId) {
    let list = remembered(load(), tenant);
    super::store_text(KEY, &encode(&list));
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn the_list_is_stored_as_json_and_read_back_without_junk() {
        let list: Vec<TenantId> = ["acme", "b-2"]
            .iter()
            .map(|t| TenantId::parse(t).unwrap())
            .collect();
        let text = encode(&list);
        assert_eq!(text, r#"["acme","b-2"]"#);
        assert_eq!(decode(&text), list);
        assert_eq!(decode(r#"["acme","Not Valid",7,"b-2"]"#), list);
        assert!(decode("{").is_empty());
    }

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
