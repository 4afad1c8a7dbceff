//! The rows of the log pane: a line (or one wrapped part of it) and a step
//! group's header. Text is always text: styles become classes, links are
//! `http(s)` only and open in a new tab without an opener. Plain functions
//! of their props, keyed on their root element (components would each add
//! a copy of Yew's lifecycle code to the wasm).

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::log_pane::ansi::{palette_rule, Style};
use crate::log_pane::row_text::{Mark, Piece, RowText};

/// A line's row, prepared by the pane.
#[derive(PartialEq, Clone)]
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

pub fn line_row(props: LineRowProps, key: String) -> Html {
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
    if props.continued {
        return html! {
            <div {key} class={classes} data-seq={props.seq.to_string()} data-part="more">
                <span class="log-seq" aria-hidden="true"></span>
                <span class="log-time"></span>
                <span class="log-level"></span>
                <span class="log-message">{ message(&props.text) }</span>
            </div>
        };
    }
    html! {
        <div {key} class={classes} data-seq={props.seq.to_string()}>
            <a class="log-seq" href={format!("#L{}", props.seq)} {onclick} aria-label={format!("Line {}", props.seq)}>{ props.seq }</a>
            <span class="log-time">{ props.time.clone() }</span>
            <span class="log-time-exact" role="tooltip">{ props.exact.clone() }</span>
            <span class="log-level">{ props.level.clone() }</span>
            <span class="log-message">{ message(&props.text) }</span>
        </div>
    }
}

#[derive(PartialEq, Clone)]
pub struct GroupRowProps {
    pub group: usize,
    pub title: AttrValue,
    pub lines: AttrValue,
    pub duration: Option<AttrValue>,
    pub folded: bool,
    /// The running step stays open.
    pub foldable: bool,
    pub on_toggle: Callback<usize>,
}

pub fn group_row(props: GroupRowProps, key: String) -> Html {
    let onclick = {
        let (group, on_toggle) = (props.group, props.on_toggle.clone());
        Callback::from(move |_: MouseEvent| on_toggle.emit(group))
    };
    let expanded = if props.folded { "false" } else { "true" };
    html! {
        <div {key} class="log-group">
            <button type="button" class="log-group-toggle" aria-expanded={expanded} disabled={!props.foldable} {onclick}>
                <span class="log-group-arrow" aria-hidden="true">{ if props.folded { "▸" } else { "▾" } }</span>
                <span class="log-group-title">{ props.title.clone() }</span>
                <span class="log-group-meta">{ props.lines.clone() }</span>
                if let Some(duration) = &props.duration {
                    <span class="log-group-meta">{ duration.clone() }</span>
                }
            </button>
        </div>
    }
}
