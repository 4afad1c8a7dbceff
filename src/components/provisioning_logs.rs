//! The live log: a `role="log"` region that renders only the rows in view
//! (so a million lines stay smooth), shows every message as text (never as
//! HTML), and follows the newest line until the reader scrolls up. Its tools
//! — search over the whole log, level filter, step groups, permalinks,
//! wrapping, time, download, full screen — are decided by the pure core in
//! `log_pane`; each browser-side behaviour is a named hook (`hooks`), and
//! this component wires them to the rows and the toolbar.

use yew::prelude::*;

use super::hooks::{
    extend_link, use_copy_lines, use_download, use_fold_by_outcome, use_pane_tools, use_permalink,
    use_reveal, use_search, use_stall, use_view, use_viewport, Reveal, ViewportInput,
};
use super::log_rows::RowsInView;
use super::log_toolbar::{LogControls, LogSearch};
use crate::log_pane::count_text::{lines_text, match_count_text};
use crate::log_pane::follow::jump_label;
use crate::log_pane::follow::{Scroll, ScrollAction};
use crate::log_pane::steps::StepMark;
use crate::log_pane::tools::ToolAction;
use crate::log_pane::window::visible_window;
use crate::log_pane::LogLines;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lines: LogLines,
    /// Where each step the service reported began.
    #[prop_or_default]
    pub steps: Vec<StepMark>,
    /// The job still runs (its last step stays open; silence is reported).
    #[prop_or_default]
    pub running: bool,
    /// The lines arriving now are not new to the reader: the job's status
    /// is not heard yet (its backlog is being read), or it has ended.
    #[prop_or_default]
    pub backlog: bool,
    /// The name the download is saved under.
    #[prop_or_else(|| AttrValue::from("provisioning.log"))]
    pub file_name: AttrValue,
}

#[function_component]
pub fn ProvisioningLogs(props: &Props) -> Html {
    let tools = use_pane_tools();
    let scroll = use_reducer_eq(Scroll::default);
    let (viewport_ref, top_spacer, bottom_spacer) =
        (use_node_ref(), use_node_ref(), use_node_ref());
    let (probe, search_input) = (use_node_ref(), use_node_ref());
    let (lines, steps, running) = (&props.lines, &props.steps, props.running);
    // Lines that arrived while the job was not heard to run are not new;
    // those that arrived while it ran stay new when it then ends.
    {
        let scroll = scroll.clone();
        let was_backlog = use_mut_ref(|| props.backlog);
        use_effect_with((lines.len(), props.backlog), move |&(lines, backlog)| {
            if backlog && was_backlog.replace(backlog) {
                scroll.dispatch(ScrollAction::Backlog { lines });
            }
            *was_backlog.borrow_mut() = backlog;
        });
    }

    let dispatch_tool = {
        let tools = tools.dispatcher();
        Callback::from(move |action: ToolAction| tools.dispatch(action))
    };

    // Search: every line, in slices (a pattern in a Worker); the current
    // match is brought into view each time the reader (or the first match
    // found) moves to it.
    let on_first_match = dispatch_tool.reform(|first| ToolAction::GoTo(Some(first)));
    let search = use_search(
        lines,
        &tools.query,
        tools.regex,
        tools.hidden,
        tools.current,
        on_first_match,
    );

    let (tally, by_outcome) = use_fold_by_outcome(lines, steps, running, scroll.follow);
    // The rows: grown with the log (or the matches), rebuilt when a choice changes.
    let view = {
        let (search_id, hits) = search.matches();
        use_view(
            lines,
            steps,
            tools.view_options(scroll.columns, &by_outcome),
            (search_id, &hits),
        )
    };
    let total = view.borrow().rows();
    let window = visible_window(total, scroll.top_for(total), scroll.height);
    let stalled = use_stall(lines.len(), running);

    let Reveal { reveal, scroll_to } = use_reveal(&tools, lines, steps);
    let on_step = search.on_step(dispatch_tool.clone());

    use_permalink(
        lines,
        running,
        tools.linked,
        dispatch_tool.clone(),
        reveal.clone(),
    );
    let on_line_link = use_callback(tools.linked, |(seq, extend): (u64, bool), linked| {
        if extend {
            extend_link(*linked, seq);
        }
    });
    let copying = use_copy_lines(lines, tools.linked);
    let on_toggle = use_callback(tools.dispatcher(), |(group, fold): (usize, bool), tools| {
        tools.dispatch(ToolAction::Fold(group, fold))
    });

    let handlers = use_viewport(ViewportInput {
        scroll: scroll.clone(),
        viewport: viewport_ref.clone(),
        top_spacer: top_spacer.clone(),
        bottom_spacer: bottom_spacer.clone(),
        probe: probe.clone(),
        search_input: search_input.clone(),
        view: view.clone(),
        scroll_to,
        window,
        total_rows: total,
        lines_held: lines.len(),
        wrap: tools.wrap,
    });
    let (downloading, on_download) = use_download(lines, &props.file_name);
    let first_error = view.borrow().first_error();
    let on_first_error = {
        let reveal = reveal.clone();
        Callback::from(move |()| {
            if let Some(index) = first_error {
                reveal.emit(index);
            }
        })
    };
    let on_panel_key = {
        let (tools, full) = (tools.dispatcher(), tools.full_screen);
        Callback::from(move |event: KeyboardEvent| {
            if full && event.key() == "Escape" {
                tools.dispatch(ToolAction::FullScreen(false));
            }
        })
    };

    let marks = |index: usize, plain: &str| search.marks_in(index, plain);
    let rows = RowsInView {
        view: &view.borrow(),
        rows: window.start..window.end,
        lines,
        steps,
        tally: &tally.borrow(),
        tools: &tools,
        marks: &marks,
        running,
        columns: scroll.columns,
        on_toggle: &on_toggle,
        on_line_link: &on_line_link,
        on_copy: &copying.on_line,
    }
    .render();
    let counts = view.borrow().counts();
    let panel_class = classes!(
        "log-panel",
        tools.full_screen.then_some("log-panel-full"),
        tools.wrap.then_some("log-wrapped")
    );
    html! {
        <section class={panel_class} aria-labelledby="log-heading" onkeydown={on_panel_key}>
            <header class="log-toolbar">
                <h2 id="log-heading" class="log-heading">{ "Log" }</h2>
                <span class="log-count">{ lines_text(lines.len()) }</span>
                if let Some(seconds) = stalled {
                    <span class="log-stall">{ format!("No new lines for {seconds} s") }</span>
                }
                if !scroll.follow {
                    <button type="button" class="button button-small log-jump" onclick={handlers.jump_to_newest}>
                        { jump_label(scroll.unseen(lines.len())) }
                    </button>
                }
                <LogSearch
                    tools={(*tools).clone()}
                    on_tool={dispatch_tool.clone()}
                    count={AttrValue::from(match_count_text(search.current_number, search.hits_total, search.searching))}
                    has_matches={search.hits_total > 0}
                    problem={search.problem.clone().map(AttrValue::from)}
                    {on_step}
                    input_ref={search_input}
                />
            </header>
            <LogControls
                tools={(*tools).clone()}
                on_tool={dispatch_tool.clone()}
                {counts}
                any_folded={(!steps.is_empty() && view.borrow().options().context.is_none()).then(|| !view.borrow().options().folded.is_empty())}
                groups={steps.len()}
                has_error={first_error.is_some()}
                {on_first_error}
                {downloading}
                {on_download}
                on_copy_linked={copying.on_linked}
                copied={copying.copied.map(|c| AttrValue::from(c.message()))}
            />
            <div
                ref={viewport_ref}
                class="log-viewport"
                role="log"
                aria-label="Provisioning log"
                tabindex="0"
                onscroll={handlers.onscroll}
                onkeydown={handlers.onkeydown}
                onwheel={handlers.onwheel}
            >
                <span ref={probe} class="log-measure" aria-hidden="true">{ "0000000000" }</span>
                if lines.is_empty() {
                    <p class="log-empty">{ "No log lines yet." }</p>
                }
                <div ref={top_spacer} class="log-spacer" aria-hidden="true"></div>
                { rows }
                <div ref={bottom_spacer} class="log-spacer" aria-hidden="true"></div>
            </div>
        </section>
    }
}
