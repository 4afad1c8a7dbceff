//! The log pane's tools: the search box with its count and next/previous
//! buttons, and the controls (level filter with counts, jump to the first
//! error, wrapping, time, download, full screen).

use yew::prelude::*;

use crate::log_pane::count_text::{grouped, lines_text};
use crate::log_pane::level::{Level, PerLevel};
use crate::log_pane::tools::{PaneTools, TimeMode, ToolAction, CONTEXT_CHOICES};

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    /// The reader's choices: the query, "Regular expression", "Only
    /// matching lines" and its "Context".
    pub tools: PaneTools,
    /// Every change the reader makes to them.
    pub on_tool: Callback<ToolAction>,
    pub count: AttrValue,
    pub has_matches: bool,
    /// Why the pattern cannot run, or why its search stopped.
    pub problem: Option<AttrValue>,
    /// Next (true) or previous match.
    pub on_step: Callback<bool>,
    pub input_ref: NodeRef,
}

/// A `<select>`'s change as the tool action its chosen value means
/// (nothing when the event comes from anything but a select).
fn on_choice(
    on_tool: &Callback<ToolAction>,
    action: impl Fn(String) -> ToolAction + 'static,
) -> Callback<Event> {
    let on_tool = on_tool.clone();
    Callback::from(move |event: Event| {
        if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
            on_tool.emit(action(select.value()));
        }
    })
}

#[function_component]
pub fn LogSearch(props: &SearchProps) -> Html {
    let tools = &props.tools;
    let oninput = {
        let on_tool = props.on_tool.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                on_tool.emit(ToolAction::Search(input.value()));
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
    let regex = tools.regex;
    let on_regex = props
        .on_tool
        .reform(move |_: Event| ToolAction::Regex(!regex));
    let only = tools.only_matching;
    let on_only = props
        .on_tool
        .reform(move |_: Event| ToolAction::OnlyMatching(!only));
    let on_context = on_choice(&props.on_tool, |value| {
        ToolAction::Context(value.parse().unwrap_or(0))
    });
    let contexts = CONTEXT_CHOICES.map(|n| {
        html! { <option value={n.to_string()} selected={tools.context == n}>{ lines_text(n) }</option> }
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
                value={tools.query.clone()}
                aria-invalid={invalid}
                aria-describedby="log-search-problem"
                {oninput}
                {onkeydown}
            />
            if !tools.query.is_empty() {
                <span class="log-search-count" aria-live="polite">{ props.count.clone() }</span>
            }
            <button type="button" class="log-tool" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={!props.has_matches} onclick={step(false)}>{ "↑" }</button>
            <button type="button" class="log-tool" aria-label="Next match" title="Next match (Enter)" disabled={!props.has_matches} onclick={step(true)}>{ "↓" }</button>
            <span class="log-choice">
                <input type="checkbox" id="log-regex" checked={tools.regex} onchange={on_regex} />
                <label for="log-regex">{ "Regular expression" }</label>
            </span>
            <span class="log-choice">
                <input type="checkbox" id="log-only-matching" checked={tools.only_matching} onchange={on_only} />
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
    /// The reader's choices: levels shown, "Wrap lines", "Timestamps",
    /// "Full screen" and the linked lines ("Copy lines").
    pub tools: PaneTools,
    /// Every change the reader makes to them.
    pub on_tool: Callback<ToolAction>,
    /// Lines of each level.
    pub counts: PerLevel<usize>,
    /// The log's step groups: "Open all steps" while some is folded
    /// (`Some(true)`), else "Fold finished steps"; `None` without steps.
    pub any_folded: Option<bool>,
    pub groups: usize,
    pub has_error: bool,
    pub on_first_error: Callback<()>,
    pub downloading: bool,
    pub on_download: Callback<()>,
    pub on_copy_linked: Callback<()>,
    /// How the last copy went.
    pub copied: Option<AttrValue>,
}

#[function_component]
pub fn LogControls(props: &ControlsProps) -> Html {
    let tools = &props.tools;
    let levels = Level::ALL.into_iter().map(|level| {
        let id = format!("log-level-{}", level.index());
        let count_id = format!("{id}-count");
        let onchange = props.on_tool.reform(move |_: Event| ToolAction::ToggleLevel(level));
        let class = classes!("log-level-choice", format!("log-level-choice-{}", level.index()));
        html! {
            <span {class}>
                <input type="checkbox" id={id.clone()} checked={!tools.hidden[level]} aria-describedby={count_id.clone()} {onchange} />
                <label for={id}>{ level.label() }</label>
                <span class="log-level-count" id={count_id}>{ grouped(props.counts[level]) }</span>
            </span>
        }
    });
    let on_first_error = {
        let on_first_error = props.on_first_error.clone();
        Callback::from(move |_: MouseEvent| on_first_error.emit(()))
    };
    let wrap = tools.wrap;
    let on_wrap = props
        .on_tool
        .reform(move |_: Event| ToolAction::Wrap(!wrap));
    let on_time = on_choice(&props.on_tool, |value| {
        ToolAction::Time(if value == "since-start" {
            TimeMode::SinceStart
        } else {
            TimeMode::Clock
        })
    });
    let on_download = {
        let on_download = props.on_download.clone();
        Callback::from(move |_: MouseEvent| on_download.emit(()))
    };
    let full = tools.full_screen;
    let on_full_screen = props
        .on_tool
        .reform(move |_: MouseEvent| ToolAction::FullScreen(!full));
    let (open, groups) = (props.any_folded == Some(true), props.groups);
    let on_open_all = props.on_tool.reform(move |_: MouseEvent| {
        if open {
            ToolAction::OpenAll(groups)
        } else {
            ToolAction::FoldByOutcome
        }
    });
    let on_copy_linked = {
        let on_copy = props.on_copy_linked.clone();
        Callback::from(move |_: MouseEvent| on_copy.emit(()))
    };
    let pressed = if tools.full_screen { "true" } else { "false" };
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
                <input type="checkbox" id="log-wrap" checked={tools.wrap} onchange={on_wrap} />
                <label for="log-wrap">{ "Wrap lines" }</label>
            </span>
            <select class="log-time-mode" aria-label="Timestamps" onchange={on_time}>
                <option value="clock" selected={tools.time == TimeMode::Clock}>{ "Clock time" }</option>
                <option value="since-start" selected={tools.time == TimeMode::SinceStart}>{ "Since start" }</option>
            </select>
            <button type="button" class="log-tool" aria-busy={busy} disabled={props.downloading} onclick={on_download}>{ "Download" }</button>
            if let Some(any_folded) = props.any_folded {
                <button type="button" class="log-tool log-open-all" onclick={on_open_all}>
                    { if any_folded { "Open all steps" } else { "Fold finished steps" } }
                </button>
            }
            if let Some(linked) = tools.linked.map(|l| l.last - l.first + 1) {
                <button type="button" class="log-tool" title={format!("Copy the {} linked", lines_text(linked as usize))} onclick={on_copy_linked}>{ "Copy lines" }</button>
            }
            <button type="button" class="log-tool" aria-pressed={pressed} onclick={on_full_screen}>{ "Full screen" }</button>
            <span class="log-copied" role="status">{ props.copied.clone().unwrap_or_default() }</span>
        </div>
    }
}
