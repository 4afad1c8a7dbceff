//! "Download": the log saved as a file, built a slice at a time so the page
//! never freezes (0.7 s for a million lines).

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::work_slice::work_for;
use crate::log_pane::export::write_lines;
use crate::log_pane::LogLines;

/// Work done between yields to the browser.
const SLICE_MS: f64 = 12.0;

/// Saves the log as a file, building it a slice at a time.
async fn download(lines: LogLines, file_name: AttrValue) -> Option<()> {
    let parts = js_sys::Array::new();
    let mut at = 0;
    while at < lines.len() {
        let mut bytes = Vec::with_capacity(4 << 20);
        work_for(SLICE_MS, || {
            let end = (at + 2_000).min(lines.len());
            write_lines(&lines, at..end, &mut bytes);
            at = end;
            at == lines.len()
        });
        // A blob a slice: the file at the end only lists them, rather than
        // copying every byte in one long task.
        let slice = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
        parts.push(
            &web_sys::Blob::new_with_u8_array_sequence(&slice)
                .ok()?
                .into(),
        );
        TimeoutFuture::new(0).await;
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(&file_name);
    link.set_class_name("visually-hidden");
    let body = document.body()?;
    let _ = body.append_child(&link);
    link.click();
    link.remove();
    // The browser reads the file after the click returns.
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Some(())
}

/// Whether a download is being built, and the callback that starts one.
#[hook]
pub fn use_download(lines: &LogLines, file_name: &AttrValue) -> (bool, Callback<()>) {
    let downloading = use_state_eq(|| false);
    let start = {
        let (lines, file_name, downloading) =
            (lines.clone(), file_name.clone(), downloading.clone());
        Callback::from(move |()| {
            let (lines, file_name, downloading) =
                (lines.clone(), file_name.clone(), downloading.clone());
            downloading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = download(lines, file_name).await;
                downloading.set(false);
            });
        })
    };
    (*downloading, start)
}
