//! "Provision many tenants" on the Tenants page: a list of tenant ids
//! (typed, pasted or from a CSV file) checked with the contract's rule,
//! provisioned "At once" at a time (`store::batch`, run by `use_batch`),
//! followed in the "Batch" table, paused, resumed, retried and downloaded.

mod batch_table;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::hooks::{batch_key, offer_file, use_notice, use_now, use_tab, BatchHandle};
use super::lazy_part::{split_point, unavailable, use_lazy_part, LazyPart};
use crate::store::batch::results::results_csv;
use crate::store::batch::tenant_list::{check_csv, check_text, CheckedList};
use crate::store::batch::{Batch, Stage, DEFAULT_AT_ONCE, MAX_AT_ONCE};
use crate::store::job_alerts::{NotifyChoice, TabIcon, PLAIN_TITLE};
use batch_table::BatchTable;

/// What the batch's buttons do.
#[derive(Clone, Copy)]
enum Control {
    Pause(bool),
    RetryFailed,
    Download,
    Clear,
}

fn control(handle: &BatchHandle, what: Control) {
    match what {
        Control::Pause(paused) => handle.change(|held| {
            if let Some(batch) = held {
                batch.paused = paused;
            }
        }),
        Control::RetryFailed => handle.retry_failed(),
        Control::Download => {
            if let Some(batch) = &*handle.batch() {
                let parts = js_sys::Array::of1(&results_csv(batch).into());
                let _ = offer_file(&parts, "batch-results.csv", "text/csv;charset=utf-8");
            }
        }
        Control::Clear => handle.replace(None),
    }
}

#[derive(Properties, PartialEq)]
struct RunProps {
    handle: BatchHandle,
    now: f64,
}

/// The batch: its summary, controls and table; a notification when it
/// ends, if the reader asked for one.
#[function_component]
fn BatchRun(props: &RunProps) -> Html {
    let handle = &props.handle;
    let held = handle.batch();
    let finished = held.as_ref().map(Batch::is_finished);
    // Whether it was unfinished when last shown: its end is news once.
    let seen_running = use_mut_ref(|| false);
    let news = {
        let was_running = seen_running.replace(finished == Some(false));
        held.as_ref()
            .filter(|batch| was_running && batch.is_finished())
            .map(|batch| (Rc::<str>::from("store-portal-batch"), batch.ending()))
    };
    let notice = use_notice(news);
    let Some(batch) = held.as_ref() else {
        return html! {};
    };
    let button = |text: &'static str, what: Control| {
        let handle = handle.clone();
        let onclick = Callback::from(move |_: MouseEvent| control(&handle, what));
        html! { <button type="button" class="button" {onclick}>{ text }</button> }
    };
    let on = notice.choice == NotifyChoice::On;
    let notify = notice.toggle.reform(|_: MouseEvent| ());
    let retryable = batch.tenants.iter().any(|r| r.stage == Stage::Failed);
    html! {
        <div class="batch-run">
            <p role="status" class="batch-summary">{ batch.summary() }</p>
            <p class="muted">{ format!("{} tenants, {} at once", batch.tenants.len(), batch.at_once) }</p>
            if let Some(problem) = &batch.problem {
                <p class="alert alert-error" role="alert">{ problem.clone() }</p>
            }
            <div class="batch-controls">
                if !batch.is_finished() {
                    { if batch.paused { button("Resume", Control::Pause(false)) } else { button("Pause", Control::Pause(true)) } }
                    <button type="button" class="button" aria-pressed={if on { "true" } else { "false" }}
                        aria-describedby="batch-notify-state" onclick={notify}>{ "Notify me when it ends" }</button>
                }
                if retryable {
                    { button("Retry failed", Control::RetryFailed) }
                }
                { button("Download results", Control::Download) }
                if batch.is_finished() {
                    { button("Clear batch", Control::Clear) }
                }
            </div>
            if !batch.is_finished() {
                <p id="batch-notify-state" class="notify-state" role="status">
                    { notice.choice.message().unwrap_or_default() }
                </p>
            }
            <BatchTable handle={handle.clone()} now={props.now} />
            if batch.tally().running > 0 {
                <p class="muted">{ "Running jobs are asked about every few seconds, heads only." }</p>
            }
        </div>
    }
}

split_point!(
    batch_panel,
    /// The panel's render function: in a chunk of its own in a split build.
    fn batch_panel_render() -> fn(BatchHandle) -> Html {
        |handle| html! { <ListAndBatch {handle} /> }
    }
);

/// The panel, where the app hands the batch down (it always does).
#[function_component]
pub fn BatchPanel() -> Html {
    match (
        use_context::<BatchHandle>(),
        use_lazy_part(batch_panel_render, true),
    ) {
        (Some(handle), LazyPart::Ready(render)) => render(handle),
        (_, LazyPart::Failed(retry)) => html! {
            <section aria-labelledby="batch-heading" class="batch">
                <h2 id="batch-heading">{ "Provision many tenants" }</h2>
                { unavailable(retry) }
            </section>
        },
        _ => html! { <p class="muted">{ "Loading…" }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct ListAndBatchProps {
    handle: BatchHandle,
}

/// The list to check and start, and the batch running.
#[function_component]
fn ListAndBatch(props: &ListAndBatchProps) -> Html {
    let handle = props.handle.clone();
    let ids = use_node_ref();
    let at_once = use_state(|| DEFAULT_AT_ONCE.to_string());
    let checked = use_state(|| None::<CheckedList>);
    let running = handle
        .batch()
        .as_ref()
        .is_some_and(|batch| !batch.is_finished());
    let now = use_now(running);
    // The tab says how far the batch is while this page shows it.
    let (tab_text, tab_icon) = match &*handle.batch() {
        Some(batch) => {
            let tally = batch.tally();
            let icon = match (batch.is_finished(), tally.failed) {
                (false, _) => TabIcon::Running,
                (true, 0) => TabIcon::Deployed,
                (true, _) => TabIcon::Failed,
            };
            (batch.tab_title(), icon)
        }
        None => (PLAIN_TITLE.to_owned(), TabIcon::Plain),
    };
    use_tab(tab_text, tab_icon);

    let on_check = {
        let (ids, checked) = (ids.clone(), checked.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(field) = ids.cast::<HtmlTextAreaElement>() {
                checked.set(Some(check_text(&field.value())));
            }
        })
    };
    let on_file = {
        let (ids, checked) = (ids.clone(), checked.clone());
        Callback::from(move |event: Event| {
            let file = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            let Some(file) = file else { return };
            let (ids, checked) = (ids.clone(), checked.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                    return;
                };
                let list = check_csv(&text);
                if let Some(field) = ids.cast::<HtmlTextAreaElement>() {
                    let names: Vec<&str> = list.tenants.iter().map(|t| t.as_str()).collect();
                    field.set_value(&names.join("\n"));
                }
                checked.set(Some(list));
            });
        })
    };
    let on_start = {
        let (handle, checked, at_once) = (handle.clone(), checked.clone(), at_once.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(list) = (*checked).clone().filter(|l| !l.tenants.is_empty()) else {
                return;
            };
            let unfinished = handle.batch().as_ref().is_some_and(|b| !b.is_finished());
            let replace = !unfinished
                || web_sys::window()
                    .and_then(|w| {
                        w.confirm_with_message(
                            "A batch is still running. Stop following it and start this one?",
                        )
                        .ok()
                    })
                    .unwrap_or(false);
            if !replace {
                return;
            }
            let pace = at_once.trim().parse::<u32>().unwrap_or(DEFAULT_AT_ONCE);
            handle.replace(Some(Batch::new(list.tenants, pace, batch_key)));
            checked.set(None);
        })
    };
    let on_at_once = {
        let at_once = at_once.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                at_once.set(input.value());
            }
        })
    };
    let count = checked.as_ref().map_or(0, |list| list.tenants.len());
    let start_label = match count {
        1 => "Provision 1 tenant".to_owned(),
        n => format!("Provision {n} tenants"),
    };
    html! {
        <section aria-labelledby="batch-heading" class="batch">
            <h2 id="batch-heading">{ "Provision many tenants" }</h2>
            <form class="batch-form" onsubmit={on_check} novalidate=true>
                <label for="batch-ids">{ "Tenant ids" }</label>
                <textarea ref={ids} id="batch-ids" rows="6" spellcheck="false" autocomplete="off"
                    aria-describedby="batch-ids-help" placeholder="acme-shoes\nbeta-books" />
                <p id="batch-ids-help" class="field-help">{ "One per line, or separated by commas or spaces." }</p>
                <div class="batch-options">
                    <label for="batch-file">{ "CSV file" }</label>
                    <input id="batch-file" type="file" accept=".csv,text/csv" onchange={on_file} />
                    <label for="batch-at-once">{ "At once" }</label>
                    <input id="batch-at-once" type="number" min="1" max={MAX_AT_ONCE.to_string()}
                        value={(*at_once).clone()} oninput={on_at_once} />
                    <button type="submit" class="button">{ "Check list" }</button>
                </div>
            </form>
            <div aria-live="polite" class="batch-check">
                if let Some(list) = &*checked {
                    <p class="batch-check-summary">{ list.summary() }</p>
                    if !list.invalid.is_empty() {
                        <ul class="batch-invalid">
                            { for list.invalid.iter().map(|bad| html! {
                                <li>{ format!("Line {}: {} — {}", bad.line, bad.text, bad.why) }</li>
                            }) }
                        </ul>
                    }
                }
            </div>
            if count > 0 {
                <button type="button" class="button button-primary" onclick={on_start}>{ start_label }</button>
            }
            <BatchRun handle={handle.clone()} {now} />
        </section>
    }
}
