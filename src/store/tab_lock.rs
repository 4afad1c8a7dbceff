//! One tab of the browser at a time: the Web Locks API's exclusive lock by
//! name. The batch's driver (`components::hooks::use_batch`) and a job's
//! follower (`store::job_follower`) each hold one, so two tabs never send the
//! same requests; when the holder goes (closed, reloaded, left: the page
//! gives it back on `pagehide`), the browser grants it to the next tab that
//! asked. Where the browser has no Web Locks, every tab holds it at once.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks.request(name, options, granted)` (web-sys has it
    /// only behind an unstable cfg). Throws where it is missing.
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn request_lock(
        name: &str,
        options: &js_sys::Object,
        granted: &js_sys::Function,
    ) -> Result<js_sys::Promise, JsValue>;
}

#[derive(Default)]
struct State {
    /// Aborts the request while it waits.
    asking: Option<web_sys::AbortController>,
    /// Resolving it gives the lock back.
    release: Option<js_sys::Function>,
    /// Given back (or dropped): a grant after that is returned at once.
    done: bool,
}

/// A request for a lock, and the lock once granted: dropping it (or
/// [`TabLock::give_back`]) aborts the request or gives the lock back.
pub struct TabLock {
    state: Rc<RefCell<State>>,
}

impl TabLock {
    /// Asks for the lock `name`; `granted` runs once this tab holds it (at
    /// once without Web Locks).
    pub fn request(name: &str, granted: impl FnOnce() + 'static) -> Self {
        let state = Rc::new(RefCell::new(State::default()));
        let on_grant = {
            let state = state.clone();
            Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
                let mut held = state.borrow_mut();
                held.asking = None;
                if held.done {
                    return js_sys::Promise::resolve(&JsValue::UNDEFINED);
                }
                let kept =
                    js_sys::Promise::new(&mut |resolve, _reject| held.release = Some(resolve));
                drop(held);
                granted();
                kept
            })
        };
        let options = js_sys::Object::new();
        if let Ok(asking) = web_sys::AbortController::new() {
            let _ = js_sys::Reflect::set(&options, &"signal".into(), &asking.signal());
            state.borrow_mut().asking = Some(asking);
        }
        match request_lock(name, &options, on_grant.unchecked_ref()) {
            // Settles when the lock is given back, or the request aborted:
            // nothing to do then, and no unhandled rejection.
            Ok(settled) => wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
            }),
            Err(_) => {
                state.borrow_mut().asking = None;
                if let Ok(granted_now) = on_grant.dyn_into::<js_sys::Function>() {
                    let _ = granted_now.call1(&JsValue::NULL, &JsValue::NULL);
                }
            }
        }
        Self { state }
    }

    /// Still asking, or holding: not given back.
    pub fn is_live(&self) -> bool {
        !self.state.borrow().done
    }

    /// Gives the lock back (or stops asking for it).
    pub fn give_back(&self) {
        let mut state = self.state.borrow_mut();
        state.done = true;
        if let Some(asking) = state.asking.take() {
            asking.abort();
        }
        if let Some(release) = state.release.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

impl Drop for TabLock {
    fn drop(&mut self) {
        self.give_back();
    }
}
