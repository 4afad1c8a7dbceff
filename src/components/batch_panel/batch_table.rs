//! The "Batch" table: a row per tenant, every tenant or those of one part,
//! a page at a time (`store::batch::table_page`).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::hooks::BatchHandle;
use crate::components::provisioning_status::{badge_class, elapsed_as_last_heard, elapsed_between};
use crate::components::TenantLink;
use crate::log_pane::count_text::grouped;
use crate::store::batch::results::stage_word;
use crate::store::batch::table_page::TableView;
use crate::store::batch::{Batch, BatchTenant, Part, Stage};

/// "10:42:07" in the reader's own time zone and format (the browser's `Intl`).
fn local_time(ms: f64) -> String {
    js_sys::Date::new(&ms.into())
        .to_locale_time_string("default")
        .into()
}

#[derive(Properties, PartialEq)]
struct RowProps {
    row: BatchTenant,
    /// The clock, for a running job's elapsed time.
    now: f64,
}

#[function_component]
fn BatchRow(props: &RowProps) -> Html {
    let row = &props.row;
    let word = stage_word(&row.stage, row.status.as_ref().map(|s| s.as_str()));
    let badge = match (&row.stage, &row.status) {
        (Stage::Refused, _) => "badge-failed",
        (Stage::Expired, _) => "badge-expired",
        (Stage::Running | Stage::Deployed | Stage::Failed, Some(status)) => badge_class(status),
        _ => "badge-other",
    };
    let step = row
        .step
        .filter(|_| row.stage == Stage::Running)
        .map(|(n, m)| format!("Step {n} of {m}"));
    // An expired job's clock stops where it was last heard of.
    let elapsed = match row.stage {
        Stage::Expired => elapsed_as_last_heard(
            row.created_at.as_deref(),
            row.updated_at.as_deref(),
            row.heard_at_ms,
        ),
        _ => elapsed_between(
            row.created_at.as_deref(),
            row.updated_at.as_deref(),
            row.stage.is_final(),
            props.now,
        ),
    };
    let last_heard = row
        .heard_at_ms
        .filter(|_| row.stage == Stage::Expired)
        .map(|ms| format!(" Last heard of at {}.", local_time(ms)));
    let outcome = match (&row.store_url, &row.error) {
        (Some(url), _) if row.stage == Stage::Deployed => html! {
            <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ url.clone() }</a>
        },
        (_, Some((code, message))) => html! {
            <span class="batch-error">{ message.clone() }{ " " }<code>{ code.clone() }</code>{ last_heard }</span>
        },
        _ => html! {},
    };
    html! {
        <tr role="row" class={classes!("batch-row", format!("batch-{word}"))}>
            <th role="rowheader" scope="row">
                <TenantLink tenant={AttrValue::from(row.tenant.to_string())} />
            </th>
            // data-label: the column's name, shown beside the cell where
            // a narrow screen stacks the row (assets/style.css).
            <td role="cell" data-label="Status"><span class={classes!("badge", badge)}>{ word }</span></td>
            <td role="cell" data-label="Step">{ step.unwrap_or_default() }</td>
            <td role="cell" data-label="Elapsed">{ elapsed.unwrap_or_default() }</td>
            <td role="cell" data-label="Attempts">{ row.attempts }</td>
            <td role="cell" data-label="Result">{ outcome }</td>
        </tr>
    }
}

/// "Deployed (12)".
fn part_label(part: Option<Part>, count: usize) -> String {
    let word = part.map_or("all", Part::word);
    let mut letters = word.chars();
    let first = letters.next().map(|c| c.to_ascii_uppercase());
    format!(
        "{}{} ({})",
        first.unwrap_or_default(),
        letters.as_str(),
        grouped(count)
    )
}

/// Which part to show, and the page: "Show [Failed (3)] ‹ Rows 1–50 of 80 ›".
fn table_tools(
    batch: &Batch,
    view: &UseStateHandle<TableView>,
    pages: usize,
    range: String,
) -> Html {
    let tally = batch.tally();
    let on_only = {
        let view = view.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                let only = Part::ALL.into_iter().find(|part| part.word() == value);
                view.set(TableView::showing(only));
            }
        })
    };
    let turn = |label: &'static str, to: Option<usize>| {
        let view = view.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(page) = to {
                view.set(view.at_page(page));
            }
        });
        html! {
            <button type="button" class="button button-small" disabled={to.is_none()} {onclick}>{ label }</button>
        }
    };
    let page = view.page.min(pages - 1);
    html! {
        <div class="batch-table-tools">
            <label for="batch-only">{ "Show" }</label>
            <select id="batch-only" onchange={on_only}>
                <option value="" selected={view.only.is_none()}>{ part_label(None, batch.tenants.len()) }</option>
                // "Expired" only when a job expired (as in the summary).
                { for Part::ALL.into_iter().filter(|&part| part != Part::Expired || tally.expired > 0 || view.only == Some(part)).map(|part| html! {
                    <option value={part.word()} selected={view.only == Some(part)}>{ part_label(Some(part), tally.of(part)) }</option>
                }) }
            </select>
            if pages > 1 {
                { turn("Previous", page.checked_sub(1)) }
            }
            <span class="batch-range">{ range }</span>
            if pages > 1 {
                { turn("Next", Some(page + 1).filter(|&next| next < pages)) }
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub handle: BatchHandle,
    /// The clock, for running jobs' elapsed time.
    pub now: f64,
}

/// The table of the batch's tenants, with its part and page controls.
#[function_component]
pub fn BatchTable(props: &Props) -> Html {
    let view = use_state_eq(TableView::default);
    let held = props.handle.batch();
    let Some(batch) = held.as_ref() else {
        return html! {};
    };
    let page = view.page_of(batch);
    let range = page.range_text(view.only);
    html! {
        <>
            { table_tools(batch, &view, page.pages, range) }
            // Roles said outright: the narrow layout's `display` would
            // otherwise take the table's semantics away in some browsers.
            <table role="table" class="batch-table">
                <caption>{ "Batch" }</caption>
                <thead>
                    <tr role="row">
                        <th role="columnheader" scope="col">{ "Tenant" }</th>
                        <th role="columnheader" scope="col">{ "Status" }</th>
                        <th role="columnheader" scope="col">{ "Step" }</th>
                        <th role="columnheader" scope="col">{ "Elapsed" }</th>
                        <th role="columnheader" scope="col">{ "Attempts" }</th>
                        <th role="columnheader" scope="col">{ "Result" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for page.rows.iter().filter_map(|&index| batch.tenants.get(index)).map(|row| {
                        // A finished row does not change with the clock.
                        let now = if row.stage.is_final() { 0.0 } else { props.now };
                        html! { <BatchRow key={row.tenant.to_string()} row={row.clone()} {now} /> }
                    }) }
                </tbody>
            </table>
        </>
    }
}
