//! The portal's routes, below the pages that render them and the app that
//! switches between them. Paths are relative to the base path the
//! deployment mounts the app at (see [`crate::deployment`]).
//!
//! `Routable` is written by hand: three routes are matched by splitting the
//! path, which costs a few hundred bytes where the derive's general route
//! recognizer costs about 7 KB of wasm.

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
            Route::Tenant { tenant_id } => format!("/tenants/{tenant_id}"),
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
    /// percent-decoded); anything else is not found.
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

/// `%xx` escapes decoded (a malformed one is kept as it is).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
