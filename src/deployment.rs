//! What a deployment configures at run time, read from `<meta>` elements in
//! `index.html` so the same build serves every environment: where the API
//! lives and the path the app is mounted under. (`base-uri 'none'` in the
//! portal's CSP makes browsers ignore `<base href>`, so the mount path cannot
//! come from there.) The parsing is pure and tested natively.

use crate::api::endpoints::ApiBase;

/// `<meta name="store-portal-api-base" content="https://api.example">`:
/// empty or missing means the page's own origin.
pub const API_BASE_META: &str = "store-portal-api-base";
/// `<meta name="store-portal-base-path" content="/admin/provisioning/">`:
/// written by the build from Trunk's `--public-url`; `/` or missing means the
/// app owns the whole origin.
pub const BASE_PATH_META: &str = "store-portal-base-path";

/// The router's basename for a configured mount path: `None` at the root,
/// else the path without its trailing slash (`/admin/provisioning`). A value
/// that is not a plain absolute path (a full URL, `..`, a query) is ignored,
/// so a typo cannot send navigation off the origin.
pub fn router_basename(configured: &str) -> Option<String> {
    let path = configured.trim().trim_end_matches('/');
    let plain = path.starts_with('/')
        && !path.starts_with("//")
        && path
            .split('/')
            .all(|segment| segment != ".." && segment != ".")
        && !path.contains(['?', '#', '\\', ':'])
        && !path.chars().any(char::is_whitespace);
    plain.then(|| path.to_owned())
}

/// `<meta name="store-portal-regex-worker" content="regex-worker-….js"
/// data-integrity="sha384-…">`, written by the build.
const WORKER_META: &str = "store-portal-regex-worker";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// `<meta name="{name}">`, if the page has one.
fn meta(name: &str) -> Option<web_sys::Element> {
    document()?
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
}

/// The `content` of `<meta name="{name}">`, or empty.
fn meta_content(name: &str) -> String {
    meta(name)
        .and_then(|element| element.get_attribute("content"))
        .unwrap_or_default()
}

thread_local! {
    /// The search Worker's address and SRI hash, when the element script
    /// (not index.html) says them.
    static WORKER_ASSET: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// The element script names the search Worker (its address and SRI hash).
pub fn set_worker_asset(href: String, integrity: String) {
    WORKER_ASSET.with(|asset| *asset.borrow_mut() = Some((href, integrity)));
}

/// The search Worker's address and SRI hash: as the element script named
/// them, else as `index.html`'s `<meta name="store-portal-regex-worker">`
/// does (its name beside the JS glue).
pub fn worker_asset() -> Option<(String, String)> {
    if let Some(asset) = WORKER_ASSET.with(|asset| asset.borrow().clone()) {
        return Some(asset);
    }
    let worker = meta(WORKER_META)?;
    let attribute = |name: &str| worker.get_attribute(name).unwrap_or_default();
    let glue = document()?
        .query_selector("link[rel=\"modulepreload\"]")
        .ok()
        .flatten()
        .and_then(|link| link.get_attribute("href"));
    let name = attribute("content");
    let href = match glue.as_deref().and_then(|href| href.rsplit_once('/')) {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name,
    };
    Some((href, attribute("data-integrity")))
}

/// The page is the standalone app's own (`index.html`, whose build writes
/// the base path), not a host page of the elements.
pub fn is_standalone_page() -> bool {
    meta(BASE_PATH_META).is_some()
}

/// The API base this page was deployed with.
pub fn api_base_from_document() -> ApiBase {
    ApiBase::new(&meta_content(API_BASE_META))
}

/// The router basename this page was deployed with.
pub fn basename_from_document() -> Option<String> {
    router_basename(&meta_content(BASE_PATH_META))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::router_basename;

    #[test]
    fn the_root_has_no_basename() {
        assert_eq!(router_basename(""), None);
        assert_eq!(router_basename("/"), None);
        assert_eq!(router_basename(" / "), None);
    }

    #[test]
    fn a_sub_path_loses_its_trailing_slash() {
        assert_eq!(
            router_basename("/admin/provisioning/").as_deref(),
            Some("/admin/provisioning")
        );
        assert_eq!(
            router_basename("/admin/provisioning").as_deref(),
            Some("/admin/provisioning")
        );
    }

    #[test]
    fn anything_but_a_plain_absolute_path_is_ignored() {
        for junk in [
            "admin/",
            "//evil.example/",
            "https://evil.example/",
            "/a/../b/",
            "/a/./b",
            "/a?x=1",
            "/a#b",
            "/a b/",
            "/a\\b",
        ] {
            assert_eq!(router_basename(junk), None, "{junk}");
        }
    }
}
