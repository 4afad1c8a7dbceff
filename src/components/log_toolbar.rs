//! The log pane's tools: the search box with its count and next/previous
//! buttons, and the controls (level filter with counts, jump to the first
//! error, wrapping, time, download, full screen).

use yew::prelude::*;

use crate::log_pane::count_text::{grouped, lines_text};
use crate::log_pane::level::{Level, PerLevel};
use crate::log_pane::tools::{TimeMode, CONTEXT_CHOICES};

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    pub query: AttrValue,
    pub count: AttrValue,
    pub has_matches: bool,
    pub on_query: Callback<String>,
    /// The query is a regular expression ("Regular expression").
    pub regex: bool,
    pub on_regex: Callback<bool>,
    /// Why the pattern cannot run, or why its search stopped.
    pub problem: Option<AttrValue>,
    /// "Only matching lines", with "Context" lines either side.
    pub only_matching: bool,
    pub on_only_matching: Callback<bool>,
    pub context: usize,
    pub on_context: Callback<usize>,
    /// Next (true) or previous match.
    pub on_step: Callback<bool>,
    pub input_ref: NodeRef,
}

#[function_component]
pub fn LogSearch(props: &SearchProps) -> Html {
    let oninput = {
        let on_query = props.on_query.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                on_query.emit(input.value());
            }
        })
    };
    let onkeydown = {
        let on_step = props.on_step.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                on_step.emit(!event.shift_key());
            }
        })
    };
    let on_regex = {
        let (on_regex, regex) = (props.on_regex.clone(), props.regex);
        Callback::from(move |_: Event| on_regex.emit(!regex))
    };
    let on_only = {
        let (on_only, only) = (props.on_only_matching.clone(), props.only_matching);
        Callback::from(move |_: Event| on_only.emit(!only))
    };
    let on_context = {
        let on_context = props.on_context.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                on_context.emit(select.value().parse().unwrap_or(0));
            }
        })
    };
    let contexts = CONTEXT_CHOICES.map(|n| {
        html! { <option value={n.to_string()} selected={props.context == n}>{ lines_text(n) }</option> }
    });
    let invalid = if props.problem.is_some() {
        "true"
    } else {
        "false"
    };
    let step = |forward: bool| {
        let on_step = props.on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit(forward))
    };
    html! {
        <div class="log-search" role="search">
            <input
                ref={props.input_ref.clone()}
                type="search"
                class="log-search-input"
                aria-label="Search log"
                placeholder="Search log"
                value={props.query.clone()}
                aria-invalid={invalid}
                aria-describedby="log-search-problem"
                {oninput}
                {onkeydown}
            />
            if !props.query.is_empty() {
                <span class="log-search-count" aria-live="polite">{ props.count.clone() }</span>
            }
            <button type="button" class="log-tool" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={!props.has_matches} onclick={step(false)}>{ "↑" }</button>
            <button type="button" class="log-tool" aria-label="Next match" title="Next match (Enter)" disabled={!props.has_matches} onclick={step(true)}>{ "↓" }</button>
            <span class="log-choice">
                <input type="checkbox" id="log-regex" checked={props.regex} onchange={on_regex} />
                <label for="log-regex">{ "Regular expression" }</label>
            </span>
            <span class="log-choice">
                <input type="checkbox" id="log-only-matching" checked={props.only_matching} onchange={on_only} />
                <label for="log-only-matching">{ "Only matching lines" }</label>
            </span>
            <select class="log-time-mode log-context" aria-label="Context" title="Lines shown around each match" onchange={on_context}>
                { for contexts }
            </select>
            <p id="log-search-problem" class="log-search-problem" role="status">
                { props.problem.clone().unwrap_or_default() }
            </p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub counts: PerLevel<usize>,
    pub hidden: PerLevel<bool>,
    pub on_level: Callback<Level>,
    pub has_error: bool,
    pub on_first_error: Callback<()>,
    pub wrap: bool,
    pub on_wrap: Callback<bool>,
    pub time: TimeMode,
    pub on_time: Callback<TimeMode>,
    pub downloading: bool,
    pub on_download: Callback<()>,
    /// The log has steps: "Open all steps" while some is folded, else
    /// "Fold finished steps" (`Some(true)`: some step is folded).
    pub any_folded: Option<bool>,
    pub on_open_all: Callback<bool>,
    /// Lines named by the page's `#L…` link ("Copy lines"), if any.
    pub linked: Option<u64>,
    pub on_copy_linked: Callback<()>,
    /// How the last copy went.
    pub copied: Option<AttrValue>,
    pub full_screen: bool,
    pub on_full_screen: Callback<bool>,
}

#[function_component]
pub fn LogControls(props: &ControlsProps) -> Html {
    let levels = Level::ALL.into_iter().map(|level| {
        let id = format!("log-level-{}", level.index());
        let count_id = format!("{id}-count");
        let on_level = props.on_level.clone();
        let onchange = Callback::from(move |_: Event| on_level.emit(level));
        let class = classes!("log-level-choice", format!("log-level-choice-{}", level.index()));
        html! {
            <span {class}>
                <input type="checkbox" id={id.clone()} checked={!props.hidden[level]} aria-describedby={count_id.clone()} {onchange} />
                <label for={id}>{ level.label() }</label>
                <span class="log-level-count" id={count_id}>{ grouped(props.counts[level]) }</span>
            </span>
        }
    });
    let on_first_error = {
        let on_first_error = props.on_first_error.clone();
        Callback::from(move |_: MouseEvent| on_first_error.emit(()))
    };
    let on_wrap = {
        let (on_wrap, wrap) = (props.on_wrap.clone(), props.wrap);
        Callback::from(move |_: Event| on_wrap.emit(!wrap))
    };
    let on_time = {
        let on_time = props.on_time.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                on_time.emit(if select.value() == "since-start" {
                    TimeMode::SinceStart
                } else {
                    TimeMode::Clock
                });
            }
        })
    };
    let on_download = {
        let on_download = props.on_download.clone();
        Callback::from(move |_: MouseEvent| on_download.emit(()))
    };
    let on_full_screen = {
        let (on_full_screen, full) = (props.on_full_screen.clone(), props.full_screen);
        Callback::from(move |_: MouseEvent| on_full_screen.emit(!full))
    };
    let on_open_all = {
        let (on_open_all, open) = (props.on_open_all.clone(), props.any_folded == Some(true));
        Callback::from(move |_: MouseEvent| on_open_all.emit(open))
    };
    let on_copy_linked = {
        let on_copy = props.on_copy_linked.clone();
        Callback::from(move |_: MouseEvent| on_copy.emit(()))
    };
    let pressed = if props.full_screen { "true" } else { "false" };
    let busy = if props.downloading { "true" } else { "false" };
    html! {
        <div class="log-controls">
            <fieldset class="log-levels">
                <legend class="visually-hidden">{ "Levels shown" }</legend>
                { for levels }
            </fieldset>
            if props.has_error {
                <button type="button" class="log-tool log-tool-error" onclick={on_first_error}>{ "Jump to first error" }</button>
            }
            <span class="log-choice">
                <input type="checkbox" id="log-wrap" checked={props.wrap} onchange={on_wrap} />
                <label for="log-wrap">{ "Wrap lines" }</label>
            </span>
            <select class="log-time-mode" aria-label="Timestamps" onchange={on_time}>
                <option value="clock" selected={props.time == TimeMode::Clock}>{ "Clock time" }</option>
                <option value="since-start" selected={props.time == TimeMode::SinceStart}>{ "Since start" }</option>
            </select>
            <button type="button" class="log-tool" aria-busy={busy} disabled={props.downloading} onclick={on_download}>{ "Download" }</button>
            if let Some(any_folded) = props.any_folded {
                <button type="button" class="log-tool log-open-all" onclick={on_open_all}>
                    { if any_folded { "Open all steps" } else { "Fold finished steps" } }
                </button>
            }
            if let Some(linked) = props.linked {
                <button type="button" class="log-tool" title={format!("Copy the {} linked", lines_text(linked as usize))} onclick={on_copy_linked}>{ "Copy lines" }</button>
            }
            <button type="button" class="log-tool" aria-pressed={pressed} onclick={on_full_screen}>{ "Full screen" }</button>
            <span class="log-copied" role="status">{ props.copied.clone().unwrap_or_default() }</span>
        </div>
    }
}
