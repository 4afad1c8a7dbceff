//! The shell the element script (`assets/store-provisioning.js`) calls:
//! one Yew app per element, mounted in a `<div>` of the element's shadow
//! root.
//!
//! Yew's event delegation gives each root listeners it never removes, so a
//! destroyed app leaves them behind. An element removed from the page
//! therefore does not destroy its app: the app is told to show nothing
//! (every hook ends: timers, requests, subscriptions, listeners), and its
//! root goes back to a pool the next element takes it from. A hundred
//! mounts and unmounts use one app.
//!
//! The panic hook is this shell's while an element is on the page: a panic
//! is told to the script, which shows a message in every element and calls
//! nothing more; the host's page goes on.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use super::element_app::{element_app_code, MountedApp};

thread_local! {
    /// Apps no element shows, with their roots, for the next element.
    static POOL: RefCell<Vec<(web_sys::Element, Box<dyn MountedApp>)>> = const { RefCell::new(Vec::new()) };
    /// Elements on the page now.
    static ATTACHED: Cell<usize> = const { Cell::new(0) };
    /// The script's `onPanic(message)`.
    static ON_PANIC: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// What the element script gives the module once, after loading it.
#[wasm_bindgen(js_name = configureEmbedding)]
pub fn configure(settings: &JsValue) {
    let field = |name: &str| js_sys::Reflect::get(settings, &JsValue::from_str(name)).ok();
    let function = |name: &str| field(name).and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    ON_PANIC.with(|hook| *hook.borrow_mut() = function("onPanic"));
    crate::api::client::set_host_token(function("token"));
    let text = |value: Option<JsValue>, name: &str| {
        value
            .and_then(|v| js_sys::Reflect::get(&v, &JsValue::from_str(name)).ok())
            .and_then(|v| v.as_string())
    };
    let worker = field("worker");
    if let (Some(href), Some(integrity)) = (text(worker.clone(), "href"), text(worker, "integrity"))
    {
        crate::deployment::set_worker_asset(href, integrity);
    }
}

/// The host gave (or changed) a `getToken`: whatever waits for a token asks
/// again.
#[wasm_bindgen(js_name = tokenSourceChanged)]
pub fn token_source_changed() {
    crate::api::client::token_written();
}

/// A test's way to see a panic handled (the end-to-end tests call it).
#[wasm_bindgen(js_name = panicForTests)]
pub fn panic_for_tests() {
    panic!("a panic asked for by a test");
}

fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        let told = ON_PANIC.try_with(|hook| {
            hook.try_borrow().ok().and_then(|hook| {
                hook.as_ref()
                    .map(|f| f.call1(&JsValue::NULL, &JsValue::from_str(&message)))
            })
        });
        if !matches!(told, Ok(Some(Ok(_)))) {
            web_sys::console::error_1(&JsValue::from_str(&message));
        }
    }));
}

/// One element's app, while the element is on the page.
#[wasm_bindgen]
pub struct ElementHandle {
    host: web_sys::HtmlElement,
    root: web_sys::Element,
    app: Option<Box<dyn MountedApp>>,
}

/// Shows `host`'s view in `shadow` (its shadow root), once the elements'
/// code is here (a chunk of its own in a split build).
#[wasm_bindgen(js_name = attachElement)]
pub async fn attach(
    shadow: web_sys::Node,
    host: web_sys::HtmlElement,
) -> Result<ElementHandle, JsValue> {
    let mount = element_app_code()
        .await
        .map_err(|_| JsValue::from_str("the elements' code did not load"))?;
    if ATTACHED.get() == 0 {
        install_panic_hook();
    }
    let pooled = POOL.with(|pool| pool.borrow_mut().pop());
    let (root, app) = match pooled {
        Some((root, mut app)) => {
            app.show(Some(&host));
            (root, app)
        }
        None => {
            let document = host.owner_document().ok_or("no document")?;
            let root = document.create_element("div")?;
            root.set_class_name("store-portal-root");
            let app = mount(root.clone(), &host);
            (root, app)
        }
    };
    shadow.append_child(&root)?;
    ATTACHED.set(ATTACHED.get() + 1);
    Ok(ElementHandle {
        host,
        root,
        app: Some(app),
    })
}

#[wasm_bindgen]
impl ElementHandle {
    /// Its attributes changed: shows what they say now.
    pub fn refresh(&mut self) {
        if let Some(app) = &mut self.app {
            app.show(Some(&self.host));
        }
    }

    /// The element left the page: everything its app started ends, and the
    /// app waits in the pool.
    pub fn detach(mut self) {
        let Some(mut app) = self.app.take() else {
            return;
        };
        app.show(None);
        self.root.remove();
        POOL.with(|pool| pool.borrow_mut().push((self.root.clone(), app)));
        ATTACHED.set(ATTACHED.get().saturating_sub(1));
        if ATTACHED.get() == 0 {
            // The hook was the elements'; the host's page gets the default back.
            drop(std::panic::take_hook());
        }
    }
}
