//! The tenants opened lately, newest first, for the tenants page: a kept
//! entry (`store::kept`), a JSON array of tenant ids
//! (`store-portal.recent-tenants.v1`); an item that is not a tenant id is
//! dropped.

use serde::{Deserialize, Serialize};

use super::kept::{self, Lenient};
use crate::api::TenantId;

pub const KEY: &str = "store-portal.recent-tenants.v1";
/// How many tenants the list keeps.
pub const MAX_RECENT: usize = 8;

static ENTRY: kept::Entry<Recent> = kept::Entry::new(KEY);

/// The list as kept.
#[derive(Default, Serialize, Deserialize)]
#[serde(from = "Vec<Lenient<TenantId>>")]
struct Recent(Vec<TenantId>);

impl From<Vec<Lenient<TenantId>>> for Recent {
    fn from(items: Vec<Lenient<TenantId>>) -> Recent {
        Recent(
            items
                .into_iter()
                .filter_map(|item| item.0)
                .take(MAX_RECENT)
                .collect(),
        )
    }
}

/// `list` with `tenant` moved (or added) to the front, at most [`MAX_RECENT`] long.
pub fn remembered(mut list: Vec<TenantId>, tenant: &TenantId) -> Vec<TenantId> {
    super::put_first(&mut list, tenant.clone(), MAX_RECENT, |a, b| a == b);
    list
}

/// The saved list.
pub fn load() -> Vec<TenantId> {
    ENTRY.read_or_default().0
}

pub fn remember(tenant: &TenantId) {
    ENTRY.write(&Recent(remembered(load(), tenant)));
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::kept::tests::Map;

    /// What a page reads when the entry holds `text`.
    fn read(text: &str) -> Vec<TenantId> {
        ENTRY
            .read_on(&Map::with(&[(KEY, text)]))
            .unwrap_or_default()
            .0
    }

    fn written(list: Vec<TenantId>) -> String {
        let shelf = Map::default();
        ENTRY.write_on(&shelf, &Recent(list));
        shelf.text_at(KEY).unwrap()
    }

    #[test]
    fn the_list_is_stored_as_json_and_read_back_without_junk() {
        let list = ids(&["acme", "b-2"]);
        let text = written(list.clone());
        // The format every earlier build wrote and read.
        assert_eq!(text, r#"["acme","b-2"]"#);
        assert_eq!(read(&text), list);
        assert_eq!(read(r#"["acme","Not Valid",7,"b-2"]"#), list);
        assert!(read("{").is_empty());
        // The exact text an earlier build wrote.
        let earlier = r#"["acme-shoes","b","tenant-0042"]"#;
        assert_eq!(read(earlier), ids(&["acme-shoes", "b", "tenant-0042"]));
        let many: Vec<String> = (0..12).map(|i| format!("\"t{i}\"")).collect();
        assert_eq!(read(&format!("[{}]", many.join(","))).len(), MAX_RECENT);
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
