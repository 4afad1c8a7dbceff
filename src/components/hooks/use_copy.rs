//! Copies text to the clipboard (the browser's asynchronous Clipboard API)
//! and says how it went, for a `role="status"` next to the button; "Copy
//! line" and "Copy lines" copy the download's text of log lines.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::log_pane::export;
use crate::log_pane::permalink::Permalink;
use crate::log_pane::LogLines;

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
            // No Clipboard API outside a secure context: said, not a crash.
            let clipboard = web_sys::window()
                .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"clipboard".into()).ok())
                .filter(|c| c.is_object())
                .map(|c| c.unchecked_into::<web_sys::Clipboard>());
            let Some(clipboard) = clipboard else {
                return copied.set(Some(Copied::Refused));
            };
            let written = clipboard.write_text(&text);
            wasm_bindgen_futures::spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(written).await.is_ok();
                copied.set(Some(if done { Copied::Done } else { Copied::Refused }));
            });
        })
    };
    (*copied, copy)
}

pub struct CopyLines {
    pub copied: Option<Copied>,
    /// "Copy line": the line's seq.
    pub on_line: Callback<u64>,
    /// "Copy lines": the lines the page's `#L…` link names.
    pub on_linked: Callback<()>,
}

#[hook]
pub fn use_copy_lines(lines: &LogLines, linked: Option<Permalink>) -> CopyLines {
    let (copied, copy) = use_copy();
    let on_line = {
        let (lines, copy) = (lines.clone(), copy.clone());
        use_callback(lines.len(), move |seq: u64, _| {
            copy.emit(export::text_of(&lines, seq, seq))
        })
    };
    let on_linked = {
        let lines = lines.clone();
        Callback::from(move |()| {
            if let Some(link) = linked {
                copy.emit(export::text_of(&lines, link.first, link.last));
            }
        })
    };
    CopyLines {
        copied,
        on_line,
        on_linked,
    }
}
