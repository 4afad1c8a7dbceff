//! Copies text to the clipboard (the browser's asynchronous Clipboard API)
//! and says how it went, for a `role="status"` next to the button.

use yew::prelude::*;

/// How the last copy went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    Done,
    /// The browser refused (no permission, no secure context).
    Refused,
}

impl Copied {
    pub fn message(self) -> &'static str {
        match self {
            Copied::Done => "Copied",
            Copied::Refused => "The browser did not allow copying: select the text and copy it.",
        }
    }
}

#[hook]
pub fn use_copy() -> (Option<Copied>, Callback<String>) {
    let copied = use_state_eq(|| None);
    let copy = {
        let copied = copied.clone();
        Callback::from(move |text: String| {
            let copied = copied.clone();
            let Some(window) = web_sys::window() else {
                return copied.set(Some(Copied::Refused));
            };
            let written = window.navigator().clipboard().write_text(&text);
            wasm_bindgen_futures::spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(written).await.is_ok();
                copied.set(Some(if done { Copied::Done } else { Copied::Refused }));
            });
        })
    };
    (*copied, copy)
}
