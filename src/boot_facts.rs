//! What `assets/boot.js` needs to know before the app starts, taken from
//! the app's own definitions: the theme's localStorage entry, the saved
//! attempts' entry, and which split part a route's first screen asks for.
//! The build writes them as JSON into `<meta name="store-portal-boot">` in
//! index.html (`src/bin/boot-facts.rs`, run by scripts/trunk-post-build.sh),
//! where boot.js reads them. boot.js itself holds no route shape and no
//! storage key.
//!
//! `tests/route-cases.json` holds paths with the route and the part each
//! one preloads. The tests below check them against `Route::recognize`,
//! and `tests/boot-js.mjs` checks them against boot.js on a build.

use std::collections::HashMap;

use serde::Serialize;
use yew_router::Routable;

use crate::components::{batch_panel, reading_tools};
use crate::embedding::{self, element_app};
use crate::route::Route;
use crate::store::preferences::{self, Theme};
use crate::store::saved_attempts;

/// The facts, as boot.js reads them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BootFacts {
    pub theme: ThemeEntry,
    /// The key of the saved attempts' entry: an object of tenant id → list.
    pub saved_attempts: &'static str,
    /// In order; the first whose path matches decides.
    pub preloads: Vec<Preload>,
    /// The split parts each custom element's first screen asks for, which
    /// the element script fetches beside the main module.
    pub elements: [ElementPreload; 2],
}

/// What the element script fetches early for one kind of element.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementPreload {
    pub tag: &'static str,
    /// At once.
    pub parts: Vec<&'static str>,
    /// Only when the tenant of its `tenant-id` has a saved attempt (its
    /// first screen then shows a job to read).
    pub with_saved_attempt: Vec<&'static str>,
}

/// Where the reader's theme is kept.
#[derive(Debug, Serialize)]
pub struct ThemeEntry {
    /// The key of the preferences entry (a JSON object).
    pub key: &'static str,
    /// The entry's field that holds the theme.
    pub field: &'static str,
    /// The stored values that set `<html data-theme>` (to the same value).
    pub values: Vec<&'static str>,
}

/// A split part that boot.js fetches beside the main module on a path of
/// a route's shape.
#[derive(Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preload {
    /// The route's pattern, as `Route::routes` lists it: `/tenants/:tenant_id`.
    pub path: &'static str,
    /// The split point, as in index.html's `<meta name="store-portal-chunk">`.
    pub part: &'static str,
    /// Only when the tenant that this parameter of `path` names has a saved
    /// attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_attempt_of: Option<String>,
}

/// A split part a route's first screen asks for at once.
#[derive(Debug, PartialEq)]
pub struct FirstScreenPart {
    pub part: &'static str,
    /// Only when this tenant has a saved attempt.
    pub saved_attempt_of: Option<String>,
}

/// The preferences entry's field that holds the theme (`Preferences::theme`
/// as serde names it; a test checks it).
const THEME_FIELD: &str = "theme";

/// What a route's first screen asks for: the Tenants page its batch panel
/// (Home leads there); a tenant page its reading tools once it has a job
/// to read, that is when the tenant has a saved attempt.
pub fn first_screen_part(route: &Route) -> Option<FirstScreenPart> {
    let (part, saved_attempt_of) = match route {
        Route::Home | Route::Tenants => (batch_panel::SPLIT_POINT, None),
        Route::Tenant { tenant_id } => (reading_tools::SPLIT_POINT, Some(tenant_id.clone())),
        Route::NotFound => return None,
    };
    Some(FirstScreenPart {
        part,
        saved_attempt_of,
    })
}

/// The preload of the route with this pattern, if its first screen asks
/// for a part. Each parameter is filled with its own name, so a part that
/// waits for a tenant's saved attempt names the parameter the tenant is in.
fn preload(pattern: &'static str) -> Option<Preload> {
    let params: HashMap<&str, &str> = pattern
        .split('/')
        .filter_map(|segment| segment.strip_prefix(':'))
        .map(|name| (name, name))
        .collect();
    let wanted = first_screen_part(&Route::from_path(pattern, &params)?)?;
    Some(Preload {
        path: pattern,
        part: wanted.part,
        saved_attempt_of: wanted.saved_attempt_of,
    })
}

/// The facts, from the app's own definitions.
pub fn facts() -> BootFacts {
    BootFacts {
        theme: ThemeEntry {
            key: preferences::KEY,
            field: THEME_FIELD,
            values: Theme::ALL
                .into_iter()
                .filter_map(Theme::attribute)
                .collect(),
        },
        saved_attempts: saved_attempts::KEY,
        preloads: Route::routes().into_iter().filter_map(preload).collect(),
        elements: [
            ElementPreload {
                tag: embedding::TENANT_TAG,
                parts: vec![element_app::SPLIT_POINT],
                with_saved_attempt: vec![reading_tools::SPLIT_POINT],
            },
            ElementPreload {
                tag: embedding::BATCH_TAG,
                parts: vec![element_app::SPLIT_POINT, batch_panel::SPLIT_POINT],
                with_saved_attempt: vec![],
            },
        ],
    }
}

/// The facts as the JSON boot.js parses.
pub fn json() -> String {
    serde_json::to_string(&facts()).expect("plain strings serialize")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::store::preferences::Preferences;

    /// A row of tests/route-cases.json.
    #[derive(Debug, Deserialize)]
    struct Case {
        path: String,
        route: String,
        tenant: Option<String>,
        preloads: Option<String>,
    }

    fn cases() -> Vec<Case> {
        #[derive(Deserialize)]
        struct Table {
            cases: Vec<Case>,
        }
        let table: Table = serde_json::from_str(include_str!("../tests/route-cases.json"))
            .expect("tests/route-cases.json reads");
        table.cases
    }

    #[test]
    fn each_case_is_the_route_that_route_rs_recognizes() {
        for case in cases() {
            let expected = match (case.route.as_str(), &case.tenant) {
                ("Home", None) => Route::Home,
                ("Tenants", None) => Route::Tenants,
                ("Tenant", Some(tenant)) => Route::Tenant {
                    tenant_id: tenant.clone(),
                },
                ("NotFound", None) => Route::NotFound,
                _ => panic!("not a route of route-cases.json: {case:?}"),
            };
            assert_eq!(Route::recognize(&case.path), Some(expected), "{case:?}");
        }
    }

    #[test]
    fn each_case_preloads_its_part() {
        for case in cases() {
            let route = Route::recognize(&case.path).expect("every path is a route");
            let wanted = first_screen_part(&route);
            assert_eq!(
                wanted.as_ref().map(|w| w.part),
                case.preloads.as_deref(),
                "{case:?}"
            );
            // A tenant page's part waits for that tenant's saved attempt.
            let waits_for = wanted.and_then(|w| w.saved_attempt_of);
            assert_eq!(waits_for, case.tenant, "{case:?}");
        }
    }

    #[test]
    fn the_facts_name_the_route_patterns_and_split_points() {
        let preloads = facts().preloads;
        let tenant = Some("tenant_id".to_owned());
        assert_eq!(
            preloads,
            [
                Preload {
                    path: "/",
                    part: "batch_panel",
                    saved_attempt_of: None,
                },
                Preload {
                    path: "/tenants",
                    part: "batch_panel",
                    saved_attempt_of: None,
                },
                Preload {
                    path: "/tenants/:tenant_id",
                    part: "reading_tools",
                    saved_attempt_of: tenant,
                },
            ]
        );
    }

    #[test]
    fn the_theme_is_read_where_the_preferences_keep_it() {
        let entry = facts().theme;
        assert_eq!(entry.values, ["light", "dark"]);
        for theme in [Theme::Light, Theme::Dark] {
            let stored = serde_json::to_value(Preferences {
                theme,
                ..Preferences::default()
            })
            .unwrap();
            // What boot.js reads is what `<html data-theme>` takes.
            assert_eq!(stored[entry.field].as_str(), theme.attribute(), "{theme:?}");
        }
    }

    #[test]
    fn the_json_is_what_boot_js_reads() {
        let expected = format!(
            r#"{{"theme":{{"key":"{}","field":"theme","values":["light","dark"]}},"savedAttempts":"{}","preloads":[{{"path":"/","part":"batch_panel"}},{{"path":"/tenants","part":"batch_panel"}},{{"path":"/tenants/:tenant_id","part":"reading_tools","savedAttemptOf":"tenant_id"}}],"elements":[{{"tag":"store-provisioning","parts":["embedding"],"withSavedAttempt":["reading_tools"]}},{{"tag":"store-provisioning-batch","parts":["embedding","batch_panel"],"withSavedAttempt":[]}}]}}"#,
            preferences::KEY,
            saved_attempts::KEY
        );
        assert_eq!(json(), expected);
    }
}
