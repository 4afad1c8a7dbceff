//! "Provision many tenants" on the Tenants page: a list of tenant ids
//! (typed, pasted or from a CSV file) checked with the contract's rule,
//! provisioned "At once" at a time (`store::batch`, run by `use_batch`),
//! followed in the "Batch" table, paused, resumed, retried and downloaded.

mod batch_table;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::hooks::{offer_file, use_notice, use_now, use_tab, BatchHandle};
use super::lazy_part::{split_point, unavailable, use_lazy_part, LazyPart};
use crate::store::batch::at_once::{parse_at_once, MIN_AT_ONCE};
use crate::store::batch::command::Command;
use crate::store::batch::results::results_csv;
use crate::store::batch::tenant_list::{check, read_csv, CheckedList, CsvIds};
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
        Control::Pause(true) => handle.command(Command::Pause),
        Control::Pause(false) => handle.command(Command::Resume),
        Control::RetryFailed => handle.command(Command::RetryFailed),
        Control::Download => {
            if let Some(batch) = handle.batch() {
                let parts = js_sys::Array::of1(&results_csv(batch).into());
                let _ = offer_file(&parts, "batch-results.csv", "text/csv;charset=utf-8");
            }
        }
        Control::Clear => handle.command(Command::Clear),
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
    let retryable = batch
        .tenants
        .iter()
        .any(|r| matches!(r.stage, Stage::Failed | Stage::Expired));
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
    let file_input = use_node_ref();
    let at_once_field = use_node_ref();
    // "At once" as typed: a running batch's pace, else the default.
    let at_once = use_state(|| {
        let held = handle.batch();
        let running = held.as_ref().filter(|batch| !batch.is_finished());
        running
            .map_or(DEFAULT_AT_ONCE, |batch| batch.at_once)
            .to_string()
    });
    // The CSV file chosen: a source of its own beside the box.
    let file = use_state(|| None::<Rc<CsvIds>>);
    let checked = use_state(|| None::<CheckedList>);
    let running = handle
        .batch()
        .as_ref()
        .is_some_and(|batch| !batch.is_finished());
    let now = use_now(running);
    // The tab says how far the batch is while this page shows it.
    let (tab_text, tab_icon) = match handle.batch() {
        Some(batch) => {
            let tally = batch.tally();
            let icon = match (batch.is_finished(), tally.failed + tally.expired) {
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
        let (ids, file, checked) = (ids.clone(), file.clone(), checked.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            checked.set(Some(check(&typed(&ids), file.as_deref())));
        })
    };
    let on_file = {
        let (ids, file, checked) = (ids.clone(), file.clone(), checked.clone());
        Callback::from(move |event: Event| {
            let chosen = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            let Some(chosen) = chosen else { return };
            let (ids, file, checked) = (ids.clone(), file.clone(), checked.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(chosen.text()).await;
                let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                    return;
                };
                // The box keeps what was typed; the file is a source of
                // its own, checked with it (now and at each "Check list").
                let rows = Rc::new(read_csv(&chosen.name(), &text));
                checked.set(Some(check(&typed(&ids), Some(&rows))));
                file.set(Some(rows));
            });
        })
    };
    let on_remove_file = {
        let (ids, file, file_input, checked) = (
            ids.clone(),
            file.clone(),
            file_input.clone(),
            checked.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            file.set(None);
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.set_value("");
                let _ = input.focus();
            }
            let text = typed(&ids);
            checked.set((!text.trim().is_empty()).then(|| check(&text, None)));
        })
    };
    let pace = parse_at_once(&at_once);
    let on_start = {
        let (handle, checked, at_once_field) =
            (handle.clone(), checked.clone(), at_once_field.clone());
        let pace = pace.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(list) = (*checked).clone().filter(|l| !l.tenants.is_empty()) else {
                return;
            };
            // Out of range is refused (said at the field), not changed.
            let Ok(pace) = pace else {
                if let Some(field) = at_once_field.cast::<HtmlInputElement>() {
                    let _ = field.focus();
                }
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
            handle.command(Command::Start {
                tenants: list.tenants,
                at_once: pace,
            });
            checked.set(None);
        })
    };
    let on_at_once = {
        let (handle, at_once) = (handle.clone(), at_once.clone());
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let text = input.value();
            // A running batch takes the new pace from its next start.
            if let Ok(pace) = parse_at_once(&text) {
                let unfinished = handle.batch().as_ref().is_some_and(|b| !b.is_finished());
                if unfinished {
                    handle.command(Command::AtOnce(pace));
                }
            }
            at_once.set(text);
        })
    };
    let count = checked.as_ref().map_or(0, |list| list.tenants.len());
    let start_label = match count {
        1 => "Provision 1 tenant".to_owned(),
        n => format!("Provision {n} tenants"),
    };
    let at_once_problem = pace.as_ref().err().map(ToString::to_string);
    let at_once_help = at_once_problem.clone().unwrap_or_else(|| {
        format!("{MIN_AT_ONCE}–{MAX_AT_ONCE} jobs at the same time; a change applies to a running batch from its next start.")
    });
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
                    <input ref={file_input} id="batch-file" type="file" accept=".csv,text/csv"
                        aria-describedby="batch-file-help" onchange={on_file} />
                    <label for="batch-at-once">{ format!("At once ({MIN_AT_ONCE}–{MAX_AT_ONCE})") }</label>
                    <input ref={at_once_field} id="batch-at-once" type="number" min={MIN_AT_ONCE.to_string()}
                        max={MAX_AT_ONCE.to_string()} step="1" value={(*at_once).clone()} oninput={on_at_once}
                        aria-invalid={at_once_problem.is_some().then_some("true")}
                        aria-describedby="batch-at-once-help" />
                    <button type="submit" class="button">{ "Check list" }</button>
                </div>
                <p id="batch-at-once-help" class={classes!("field-help", at_once_problem.is_some().then_some("field-error"))}>
                    { at_once_help }
                </p>
                <p id="batch-file-help" class="field-help batch-file">
                    if let Some(rows) = &*file {
                        { format!("Checked with the list: {} ({})", rows.name, rows_word(rows.rows.len())) }
                        { " " }
                        <button type="button" class="button" onclick={on_remove_file}>{ "Remove file" }</button>
                    } else {
                        { "Its tenantId column (or its first), checked with the ids above." }
                    }
                </p>
            </form>
            <div aria-live="polite" class="batch-check">
                if let Some(list) = &*checked {
                    <p class="batch-check-summary">{ list.summary() }</p>
                    if !list.invalid.is_empty() {
                        <ul class="batch-invalid">
                            { for list.invalid_lines().into_iter().map(|line| html! { <li>{ line }</li> }) }
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

/// What is typed in the box.
fn typed(ids: &NodeRef) -> String {
    ids.cast::<HtmlTextAreaElement>()
        .map(|field| field.value())
        .unwrap_or_default()
}

/// "1 row", "12 rows".
fn rows_word(rows: usize) -> String {
    match rows {
        1 => "1 row".to_owned(),
        n => format!("{n} rows"),
    }
}
