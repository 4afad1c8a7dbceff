//! Permalinks: the page's `#L12` / `#L10-L20` fragment, read now and
//! whenever it changes; the linked line is shown once the log holds it
//! (also after a reload of a finished job).

use yew::prelude::*;

use crate::log_pane::permalink::Permalink;
use crate::log_pane::tools::ToolAction;
use crate::log_pane::LogLines;

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Keeps the tools' linked lines in step with the fragment (`on_link`),
/// and tells `on_found` the index of the linked line once it has arrived.
#[hook]
pub fn use_permalink(
    lines: &LogLines,
    running: bool,
    linked: Option<Permalink>,
    on_link: Callback<ToolAction>,
    on_found: Callback<usize>,
) {
    // The `#L…` link still waits for its line.
    let pending = use_mut_ref(|| false);
    {
        let pending = pending.clone();
        use_effect_with((), move |_| {
            let read = move || {
                let link = Permalink::parse(&location_hash());
                *pending.borrow_mut() = link.is_some();
                on_link.emit(ToolAction::Link(link));
            };
            read();
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "hashchange", move |_| read())
            });
            move || drop(listener)
        });
    }
    if !*pending.borrow() {
        return;
    }
    let Some(link) = linked else {
        return;
    };
    let index = lines.index_at_or_after(link.first);
    let mut found = false;
    lines.for_each_in(index..index + 1, |_, line| found = link.contains(line.seq));
    if found {
        *pending.borrow_mut() = false;
        on_found.emit(index);
    } else if !running && index < lines.len() {
        // Past that line already, and it never came.
        *pending.borrow_mut() = false;
    }
}

/// Sets the fragment when a line number is Shift+clicked: a range from the
/// linked line to this one (a plain click follows the number's own link).
pub fn extend_link(linked: Option<Permalink>, seq: u64) {
    let link = Permalink::extended(linked, seq);
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&link.fragment());
    }
}
