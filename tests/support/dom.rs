//! Helpers shared by the browser tests: mount a component in a fresh
//! element, let Yew render, query the DOM, wait for a condition.

#![allow(dead_code)]

use std::time::Duration;

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::{AppHandle, BaseComponent};

pub struct Mounted<C: BaseComponent> {
    pub root: Element,
    handle: Option<AppHandle<C>>,
}

impl<C: BaseComponent> Drop for Mounted<C> {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

impl<C: BaseComponent> Mounted<C> {
    pub fn find(&self, css: &str) -> Option<Element> {
        self.root.query_selector(css).unwrap()
    }

    pub fn expect(&self, css: &str) -> Element {
        self.find(css)
            .unwrap_or_else(|| panic!("nothing matches {css} in {}", self.root.inner_html()))
    }

    pub fn count(&self, css: &str) -> u32 {
        self.root.query_selector_all(css).unwrap().length()
    }

    pub fn text(&self, css: &str) -> String {
        self.expect(css).text_content().unwrap_or_default()
    }

    pub fn click(&self, css: &str) {
        self.expect(css).dyn_into::<HtmlElement>().unwrap().click();
    }

    /// Waits (checking after each task turn and every 20 ms) until `condition` holds.
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        condition: impl Fn(&Self) -> bool,
    ) {
        let deadline = js_sys::Date::now() + timeout.as_millis() as f64;
        while !condition(self) {
            assert!(
                js_sys::Date::now() < deadline,
                "timed out waiting until {what}: {}",
                self.root.inner_html()
            );
            TimeoutFuture::new(20).await;
        }
    }
}

/// Mounts `C` with `props` in a new element of the document's body and lets it render.
pub async fn mount<C: BaseComponent>(props: C::Properties) -> Mounted<C> {
    let document = gloo_utils_document();
    if document.get_element_by_id("portal-style").is_none() {
        // The real stylesheet, so layout (the log viewport's height) is as in the app.
        let style = document.create_element("style").unwrap();
        style.set_id("portal-style");
        style.set_text_content(Some(include_str!("../../assets/style.css")));
        document.head().unwrap().append_child(&style).unwrap();
    }
    // Each test starts with no remembered choices (wrap, levels, theme).
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(store_portal::store::preferences::KEY);
    }
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    let mounted = Mounted {
        root,
        handle: Some(handle),
    };
    rendered().await;
    mounted
}

/// Lets Yew's scheduler run the renders and effects queued so far.
pub async fn rendered() {
    TimeoutFuture::new(0).await;
    TimeoutFuture::new(0).await;
}

fn gloo_utils_document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn set_token(token: Option<&str>) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    if let Some(token) = token {
        storage.set_item("token", token).unwrap();
    }
}
