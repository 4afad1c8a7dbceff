//! The rows of the log pane: a line (or one wrapped part of it) and a step
//! group's header. Text is always text: styles become classes, links are
//! `http(s)` only and open in a new tab without an opener. Components with
//! keys: a render of the pane re-renders only the rows whose props changed.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::log_pane::ansi::{palette_rule, Style};
use crate::log_pane::count_text::lines_text;
use crate::log_pane::level::level_class;
use crate::log_pane::row_text::{row_text, Mark, Piece, RowText};
use crate::log_pane::steps::{group_duration, group_lines, problems_text, StepMark, StepTally};
use crate::log_pane::tools::{PaneTools, TimeMode};
use crate::log_pane::view::{Row, View};
use crate::log_pane::LogLines;
use crate::time_format::{date_time, elapsed_stamp};

/// A line's row, prepared by the pane.
#[derive(Properties, PartialEq, Clone)]
pub struct LineRowProps {
    pub seq: u64,
    pub level: AttrValue,
    pub level_class: &'static str,
    /// The time shown (clock or since start).
    pub time: AttrValue,
    /// The exact time, shown on hover and focus.
    pub exact: AttrValue,
    pub text: RowText,
    /// A wrapped line's later parts show only text.
    pub continued: bool,
    /// Named by the page's `#L…` link.
    pub linked: bool,
    /// The current search match's line.
    pub current: bool,
    pub on_line_link: Callback<(u64, bool)>,
    /// "Copy line": the line's seq.
    pub on_copy: Callback<u64>,
}

thread_local! {
    /// Palette classes (16–255, foreground then background) whose rule is
    /// in the page's stylesheet.
    static PALETTE_ADDED: RefCell<[u64; 8]> = const { RefCell::new([0; 8]) };
}

/// Adds the rule of a 256-colour class to the page's stylesheet the first
/// time a line uses it (through the CSSOM: no `style` attribute, no
/// inline stylesheet, so a strict CSP is kept).
fn ensure_palette_class(n: u8, background: bool) {
    if n < 16 {
        return;
    }
    let bit = usize::from(n) + if background { 256 } else { 0 };
    let added = PALETTE_ADDED.with(|set| {
        let mut set = set.borrow_mut();
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        let was = set[word] & mask != 0;
        set[word] |= mask;
        was
    });
    if added {
        return;
    }
    let Some(sheets) = web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.style_sheets())
    else {
        return;
    };
    let rule = palette_rule(n, background);
    for i in 0..sheets.length() {
        let Some(sheet) = sheets
            .item(i)
            .and_then(|s| s.dyn_into::<web_sys::CssStyleSheet>().ok())
        else {
            continue;
        };
        let end = sheet.css_rules().map(|r| r.length()).unwrap_or(0);
        if sheet.insert_rule_with_index(&rule, end).is_ok() {
            return;
        }
    }
}

fn classes_of(style: &Style) -> String {
    for (colour, background) in [(style.foreground, false), (style.background, true)] {
        if let Some(n) = colour {
            ensure_palette_class(n, background);
        }
    }
    style.classes()
}

fn piece(piece: &Piece) -> Html {
    let classes = classes_of(&piece.style);
    let text = if classes.is_empty() {
        html! { { piece.text.clone() } }
    } else {
        html! { <span class={classes}>{ piece.text.clone() }</span> }
    };
    match piece.mark {
        Mark::None => text,
        Mark::Match => html! { <mark class="log-match">{ text }</mark> },
        Mark::Current => html! { <mark class="log-match log-match-current">{ text }</mark> },
    }
}

/// The pieces, those of one link gathered in one `<a>`.
fn message(text: &RowText) -> Html {
    let mut out = Vec::new();
    let mut pieces = text.pieces.iter().peekable();
    while let Some(first) = pieces.next() {
        match first
            .link
            .and_then(|l| text.links.get(l).map(|url| (l, url)))
        {
            None => out.push(piece(first)),
            Some((link, url)) => {
                let mut inner = vec![piece(first)];
                while let Some(next) = pieces.next_if(|p| p.link == Some(link)) {
                    inner.push(piece(next));
                }
                out.push(html! {
                    <a class="log-link" href={url.clone()} target="_blank" rel="noopener noreferrer">{ for inner }</a>
                });
            }
        }
    }
    out.into_iter().collect()
}

#[function_component]
pub fn LineRow(props: &LineRowProps) -> Html {
    let classes = classes!(
        "log-row",
        props.level_class,
        props.continued.then_some("log-row-continued"),
        props.linked.then_some("log-row-linked"),
        props.current.then_some("log-row-current"),
    );
    let onclick = {
        let (seq, on_line_link) = (props.seq, props.on_line_link.clone());
        Callback::from(move |event: MouseEvent| {
            // Shift+click extends the link to a range.
            if event.shift_key() {
                event.prevent_default();
            }
            on_line_link.emit((seq, event.shift_key()));
        })
    };
    let on_copy = {
        let (seq, on_copy) = (props.seq, props.on_copy.clone());
        Callback::from(move |_: MouseEvent| on_copy.emit(seq))
    };
    if props.continued {
        return html! {
            <div class={classes} data-seq={props.seq.to_string()} data-part="more">
                <span class="log-seq" aria-hidden="true"></span>
                <span class="log-time"></span>
                <span class="log-level"></span>
                <span class="log-message">{ message(&props.text) }</span>
            </div>
        };
    }
    html! {
        <div class={classes} data-seq={props.seq.to_string()}>
            <a class="log-seq" href={format!("#L{}", props.seq)} {onclick} aria-label={format!("Line {}", props.seq)}>{ props.seq }</a>
            <span class="log-time">{ props.time.clone() }</span>
            <span class="log-time-exact" role="tooltip">{ props.exact.clone() }</span>
            <span class="log-level">{ props.level.clone() }</span>
            <span class="log-message">{ message(&props.text) }</span>
            <button type="button" class="log-copy" aria-label={format!("Copy line {}", props.seq)} title="Copy line" onclick={on_copy}>{ "Copy line" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct GroupRowProps {
    pub group: usize,
    pub title: AttrValue,
    pub lines: AttrValue,
    pub duration: Option<AttrValue>,
    /// "2 warnings · 1 error", when there are any.
    pub problems: Option<AttrValue>,
    pub folded: bool,
    /// The running step stays open.
    pub foldable: bool,
    /// The group, and whether the reader folds it (`true`) or opens it.
    pub on_toggle: Callback<(usize, bool)>,
}

#[function_component]
pub fn GroupRow(props: &GroupRowProps) -> Html {
    let onclick = {
        let (group, on_toggle, folded) = (props.group, props.on_toggle.clone(), props.folded);
        Callback::from(move |_: MouseEvent| on_toggle.emit((group, !folded)))
    };
    let expanded = if props.folded { "false" } else { "true" };
    html! {
        <div class="log-group">
            <button type="button" class="log-group-toggle" aria-expanded={expanded} disabled={!props.foldable} {onclick}>
                <span class="log-group-arrow" aria-hidden="true">{ if props.folded { "▸" } else { "▾" } }</span>
                <span class="log-group-title">{ props.title.clone() }</span>
                <span class="log-group-meta">{ props.lines.clone() }</span>
                if let Some(duration) = &props.duration {
                    <span class="log-group-meta">{ duration.clone() }</span>
                }
                if let Some(problems) = &props.problems {
                    <span class="log-group-meta log-group-problems">{ problems.clone() }</span>
                }
            </button>
        </div>
    }
}

/// What the rows in view are made from.
pub struct RowsInView<'a> {
    pub view: &'a View,
    pub rows: std::ops::Range<usize>,
    pub lines: &'a LogLines,
    pub steps: &'a [StepMark],
    pub tally: &'a StepTally,
    pub tools: &'a PaneTools,
    /// The ranges to mark in a line's text as shown, by the line's index.
    pub marks: &'a dyn Fn(usize, &str) -> Vec<std::ops::Range<usize>>,
    /// The job still runs: its last step stays open.
    pub running: bool,
    pub columns: usize,
    pub on_toggle: &'a Callback<(usize, bool)>,
    pub on_line_link: &'a Callback<(u64, bool)>,
    pub on_copy: &'a Callback<u64>,
}

impl RowsInView<'_> {
    /// The rows, each keyed by what it shows (a step, a line's part).
    pub fn render(&self) -> Html {
        let mut start_ms = None;
        self.lines
            .for_each_in(0..1, |_, line| start_ms = line.wall_ms);
        self.rows
            .clone()
            .filter_map(|r| Some((r, self.view.row(r, self.steps)?)))
            .map(|(r, row)| match row {
                Row::Header { group } => self.header(group),
                Row::Line { index, part, .. } => self.line(index, part, start_ms),
                Row::Gap { skipped } => html! {
                    <div key={format!("gap{r}")} class="log-gap">{ format!("⋯ {} not shown", lines_text(skipped)) }</div>
                },
            })
            .collect()
    }

    fn header(&self, group: usize) -> Html {
        let (steps, lines) = (self.steps, self.lines);
        let range = group_lines(steps, group, lines.len());
        html! {
            <GroupRow
                key={format!("g{group}")}
                {group}
                title={AttrValue::from(steps.get(group).map(StepMark::title).unwrap_or_default())}
                lines={AttrValue::from(lines_text(range.len()))}
                duration={group_duration(steps, group, lines).map(AttrValue::from)}
                problems={problems_text(self.tally.counts(group)).map(AttrValue::from)}
                folded={self.view.options().is_folded(group)}
                foldable={!(self.running && group + 1 == steps.len())}
                on_toggle={self.on_toggle.clone()}
            />
        }
    }

    fn line(&self, index: usize, part: usize, start_ms: Option<i64>) -> Html {
        let tools = self.tools;
        let mut props = None;
        self.lines.for_each_in(index..index + 1, |_, line| {
            let since = line
                .wall_ms
                .zip(start_ms)
                .map(|(at, start)| elapsed_stamp(at - start));
            let time = match (tools.time, &since) {
                (TimeMode::SinceStart, Some(since)) => since.clone(),
                _ => line.time_text(),
            };
            let exact = match (line.wall_ms, since) {
                (Some(at), Some(since)) => format!("{} ({since} since start)", date_time(at)),
                _ => line.time_text(),
            };
            let current = tools.current == Some(index);
            let columns = self.columns;
            let wrap_columns = tools.wrap.then(|| part * columns..(part + 1) * columns);
            props = Some(LineRowProps {
                seq: line.seq,
                level: line.level.chars().take(8).collect::<String>().into(),
                level_class: level_class(line.level),
                time: time.into(),
                exact: exact.into(),
                text: row_text(
                    line.message,
                    Some(&|plain: &str| (self.marks)(index, plain)),
                    current,
                    wrap_columns,
                ),
                continued: part > 0,
                linked: tools.linked.is_some_and(|l| l.contains(line.seq)),
                current,
                on_line_link: self.on_line_link.clone(),
                on_copy: self.on_copy.clone(),
            });
        });
        match props {
            Some(props) => html! { <LineRow key={format!("{index}.{part}")} ..props /> },
            None => html! {},
        }
    }
}
