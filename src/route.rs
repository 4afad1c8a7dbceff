//! The portal's routes, below the pages that render them and the app that
//! switches between them. Paths are relative to the base path the
//! deployment mounts the app at (see [`crate::deployment`]).
//!
//! `Routable` is written by hand: three routes are matched by splitting the
//! path, which costs a few hundred bytes where the derive's general route
//! recognizer costs about 7 KB of wasm.
//!
//! `assets/boot.js` matches the patterns of `routes` itself before the app
//! starts (`crate::boot_facts`); `tests/route-cases.json` holds the paths
//! both are checked against.

use std::collections::HashMap;

use yew_router::Routable;

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Home,
    Tenants,
    Tenant { tenant_id: String },
    NotFound,
}

impl Routable for Route {
    fn from_path(path: &str, params: &HashMap<&str, &str>) -> Option<Self> {
        match path {
            "/" => Some(Route::Home),
            "/tenants" => Some(Route::Tenants),
            "/tenants/:tenant_id" => params.get("tenant_id").map(|id| Route::Tenant {
                tenant_id: (*id).to_owned(),
            }),
            "/404" => Some(Route::NotFound),
            _ => None,
        }
    }

    fn to_path(&self) -> String {
        match self {
            Route::Home => "/".to_owned(),
            Route::Tenants => "/tenants".to_owned(),
            Route::Tenant { tenant_id } => {
                format!("/tenants/{}", urlencoding::encode(tenant_id))
            }
            Route::NotFound => "/404".to_owned(),
        }
    }

    fn routes() -> Vec<&'static str> {
        vec!["/", "/tenants", "/tenants/:tenant_id", "/404"]
    }

    fn not_found_route() -> Option<Self> {
        Some(Route::NotFound)
    }

    /// `/`, `/tenants`, `/tenants/<id>` (a trailing slash allowed, the id
    /// percent-decoded, as `to_path` encodes it); anything else is not found.
    fn recognize(pathname: &str) -> Option<Self> {
        let path = pathname.strip_suffix('/').unwrap_or(pathname);
        let mut parts = path.split('/').skip(1);
        let route = match (parts.next(), parts.next(), parts.next()) {
            (None, _, _) => Route::Home,
            (Some("tenants"), None, _) => Route::Tenants,
            (Some("tenants"), Some(id), None) if !id.is_empty() => Route::Tenant {
                tenant_id: percent_decoded(id),
            },
            _ => Route::NotFound,
        };
        Some(route)
    }
}

/// A path segment with its `%xx` escapes decoded (`urlencoding`, the crate
/// yew-router itself uses; a malformed escape is kept as it is, bytes that
/// are not UTF-8 become U+FFFD).
fn percent_decoded(text: &str) -> String {
    String::from_utf8_lossy(&urlencoding::decode_binary(text.as_bytes())).into_owned()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn paths_are_recognized_with_or_without_a_trailing_slash() {
        let tenant = |id: &str| {
            Some(Route::Tenant {
                tenant_id: id.to_owned(),
            })
        };
        assert_eq!(Route::recognize("/"), Some(Route::Home));
        assert_eq!(Route::recognize(""), Some(Route::Home));
        assert_eq!(Route::recognize("/tenants"), Some(Route::Tenants));
        assert_eq!(Route::recognize("/tenants/"), Some(Route::Tenants));
        assert_eq!(
            Route::recognize("/tenants/acme-shoes"),
            tenant("acme-shoes")
        );
        assert_eq!(
            Route::recognize("/tenants/acme-shoes/"),
            tenant("acme-shoes")
        );
        assert_eq!(Route::recognize("/tenants/Bad%20Id"), tenant("Bad Id"));
        assert_eq!(Route::recognize("/tenants/%zz"), tenant("%zz"));
        for other in [
            "/404",
            "/tenant",
            "/tenants/a/b",
            "/tenants//",
            "/x/tenants",
        ] {
            assert_eq!(Route::recognize(other), Some(Route::NotFound), "{other}");
        }
    }

    #[test]
    fn a_tenant_path_is_percent_encoded_and_reads_back() {
        for id in ["a/b", "Bad Id", "50%", "naïve", "日本", "?#&"] {
            let route = Route::Tenant {
                tenant_id: id.into(),
            };
            let path = route.to_path();
            assert!(
                path["/tenants/".len()..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
                "{path}"
            );
            assert_eq!(Route::recognize(&path), Some(route));
        }
        assert_eq!(
            Route::Tenant {
                tenant_id: "a b/c".into()
            }
            .to_path(),
            "/tenants/a%20b%2Fc"
        );
    }

    #[test]
    fn every_route_reads_back_from_its_path() {
        let routes = [
            Route::Home,
            Route::Tenants,
            Route::Tenant {
                tenant_id: "acme-shoes".into(),
            },
            Route::NotFound,
        ];
        for route in routes {
            assert_eq!(Route::recognize(&route.to_path()), Some(route.clone()));
        }
    }
}
