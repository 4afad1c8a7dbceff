//! "Download": the log saved as a file, written a slice at a time so the
//! page never freezes (0.7 s for a million lines).

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_sliced_task::{use_sliced_task, Plan};
use crate::log_pane::export::FileWriting;
use crate::log_pane::LogLines;
use crate::sliced_work::{Resumable, SliceBudget};

/// One press of "Download": the file being written, and a blob a slice
/// (the file at the end only lists them, rather than copying every byte
/// in one long task).
struct Download {
    /// Which press this is.
    press: u32,
    file: FileWriting,
    parts: js_sys::Array,
    file_name: AttrValue,
}

impl Resumable for Download {
    fn step(&mut self) -> bool {
        self.file.step()
    }
}

impl Download {
    /// Keeps what the last slice wrote as a blob.
    fn keep_slice(&mut self) {
        let bytes = self.file.take_bytes();
        let slice = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
        if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&slice) {
            self.parts.push(&blob.into());
        }
    }

    /// Hands the file to the browser.
    fn save(&self) -> Option<()> {
        offer_file(&self.parts, &self.file_name, "text/plain;charset=utf-8")
    }
}

/// Offers the browser a file made of `parts` (blobs or strings) to save
/// as `file_name`.
pub fn offer_file(parts: &js_sys::Array, file_name: &str, media_type: &str) -> Option<()> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(file_name);
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

/// Whether a download is being written, and the callback that starts one
/// (of the lines there are when pressed).
#[hook]
pub fn use_download(lines: &LogLines, file_name: &AttrValue) -> (bool, Callback<()>) {
    let presses = use_state(|| 0u32);
    let slot = use_sliced_task(
        (*presses, lines.clone(), file_name.clone()),
        |(press, lines, file_name), held: Option<&mut Download>| {
            let pressed = *press > 0 && held.is_none_or(|d| d.press != *press);
            if !pressed {
                return Plan::Leave;
            }
            Plan::Start(Download {
                press: *press,
                file: FileWriting::new(lines),
                parts: js_sys::Array::new(),
                file_name: file_name.clone(),
            })
        },
        |handle| {
            let write = |download: &mut Download, done| {
                download.keep_slice();
                if done {
                    let _ = download.save();
                }
            };
            let slices = handle.run_slices(SliceBudget::SHORT, write, |()| false);
            wasm_bindgen_futures::spawn_local(slices);
        },
    );
    let start = Callback::from(move |()| presses.set(*presses + 1));
    (slot.running(), start)
}
