//! The live log: a `role="log"` region that renders only the rows in view
//! (so 100,000+ lines stay smooth), shows every message as text (never as
//! HTML), colours ANSI codes with classes, and follows the newest line until
//! the reader scrolls up.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::log_pane::ansi;
use crate::log_pane::window::{
    content_px, is_at_bottom, is_scaled, scrolled_by_rows, visible_window, ROW_HEIGHT_PX,
};
use crate::log_pane::{LogLines, ShownLine};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lines: LogLines,
}

/// The class of a level: the four the contract names, and one for the rest.
pub fn level_class(level: &str) -> &'static str {
    match level.to_ascii_lowercase().as_str() {
        "debug" => "level-debug",
        "info" => "level-info",
        "warn" | "warning" => "level-warn",
        "error" => "level-error",
        _ => "level-other",
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    line: ShownLine,
}

#[function_component]
fn LogRow(RowProps { line }: &RowProps) -> Html {
    let message: Html = ansi::segments(&line.message)
        .into_iter()
        .map(|segment| {
            let classes = segment.style.classes();
            if classes.is_empty() {
                html! { { segment.text } }
            } else {
                html! { <span class={classes}>{ segment.text }</span> }
            }
        })
        .collect();
    let level: String = line.level.chars().take(8).collect();
    html! {
        <div class={classes!("log-row", level_class(&line.level))} data-seq={line.seq.to_string()}>
            <span class="log-seq">{ line.seq }</span>
            <span class="log-time">{ &line.time }</span>
            <span class="log-level">{ level }</span>
            <span class="log-message">{ message }</span>
        </div>
    }
}

/// Sets an element's height through the CSSOM (a strict CSP blocks `style` attributes).
fn set_height(node: &NodeRef, px: f64) {
    if let Some(element) = node.cast::<web_sys::HtmlElement>() {
        let _ = element.style().set_property("height", &format!("{px}px"));
    }
}

/// The log viewport's height, at most the window's: should the stylesheet
/// not fix it, the window still bounds the rows rendered.
fn visible_height(element: &web_sys::Element) -> f64 {
    let window_height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::INFINITY);
    f64::from(element.client_height()).min(window_height)
}

#[derive(Clone, Copy, PartialEq)]
struct Viewport {
    scroll_top: f64,
    height: f64,
    /// Keep the newest line in view as lines arrive.
    follow: bool,
}

#[function_component]
pub fn ProvisioningLogs(props: &Props) -> Html {
    let viewport_ref = use_node_ref();
    let top_spacer = use_node_ref();
    let bottom_spacer = use_node_ref();
    // Set only when it changes (compared with the latest value, not a
    // handler's copy).
    let viewport = use_state_eq(|| Viewport {
        scroll_top: 0.0,
        height: 0.0,
        follow: true,
    });
    let total = props.lines.len();
    let scroll_top = if viewport.follow {
        content_px(total) - viewport.height
    } else {
        viewport.scroll_top
    };
    let window = visible_window(total, scroll_top, viewport.height);
    // What the last follow-scroll was for: the view is moved to the newest
    // line only when lines arrive or following starts, never in the middle
    // of the reader's own scrolling.
    let followed = use_mut_ref(|| None::<(usize, f64)>);

    {
        let (viewport_ref, top_spacer, bottom_spacer, viewport) = (
            viewport_ref.clone(),
            top_spacer.clone(),
            bottom_spacer.clone(),
            viewport.clone(),
        );
        use_effect(move || {
            set_height(&top_spacer, window.top_px);
            set_height(&bottom_spacer, window.bottom_px);
            if let Some(element) = viewport_ref.cast::<web_sys::Element>() {
                let wanted = viewport.follow.then_some((total, viewport.height));
                if wanted.is_some() && *followed.borrow() != wanted {
                    element.set_scroll_top(element.scroll_height());
                }
                *followed.borrow_mut() = wanted;
                let height = visible_height(&element);
                if height != viewport.height {
                    viewport.set(Viewport {
                        height,
                        ..*viewport
                    });
                }
            }
        });
    }

    // What the reader asked for, shared by every handler at once (a
    // handler's copy of `viewport` may be a render old): whether to follow
    // the newest line, and the scroll position last seen.
    let follow = use_mut_ref(|| true);
    let last_top = use_mut_ref(|| 0.0f64);
    let show = {
        let viewport = viewport.clone();
        move |next: Viewport| viewport.set(next)
    };
    let onscroll = {
        let (follow, last_top, show) = (follow.clone(), last_top.clone(), show.clone());
        Callback::from(move |event: Event| {
            let Some(element) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let scroll_top = f64::from(element.scroll_top());
            let height = visible_height(&element);
            let previous = std::mem::replace(&mut *last_top.borrow_mut(), scroll_top);
            // Any move up (keys, wheel, scrollbar) stops following; reaching
            // the bottom again resumes it.
            let mut follow = follow.borrow_mut();
            if scroll_top < previous - 0.5 {
                *follow = false;
            } else if is_at_bottom(scroll_top, height, f64::from(element.scroll_height())) {
                *follow = true;
            }
            show(Viewport {
                scroll_top,
                height,
                follow: *follow,
            });
        })
    };
    // Moving up by key or wheel stops following at once, before the first
    // scroll event (a smooth scroll may still be near the bottom).
    let stop_following = {
        let (follow, last_top, show) = (follow.clone(), last_top.clone(), show.clone());
        let height = viewport.height;
        move || {
            *follow.borrow_mut() = false;
            show(Viewport {
                scroll_top: *last_top.borrow(),
                height,
                follow: false,
            });
        }
    };
    let onkeydown = {
        let stop_following = stop_following.clone();
        let viewport_ref = viewport_ref.clone();
        let height = viewport.height;
        Callback::from(move |event: KeyboardEvent| {
            let key = event.key();
            if matches!(key.as_str(), "Home" | "PageUp" | "ArrowUp") {
                stop_following();
            }
            // Home and End jump at once: a smooth scroll across millions of
            // pixels would race the lines still arriving.
            if let ("Home" | "End", Some(element)) =
                (key.as_str(), viewport_ref.cast::<web_sys::Element>())
            {
                event.prevent_default();
                let top = if key == "Home" {
                    0
                } else {
                    element.scroll_height()
                };
                element.set_scroll_top(top);
                return;
            }
            // Where one scrolled pixel stands for several pixels of rows,
            // the arrow and page keys still move by rows, not by pixels.
            if !is_scaled(total) {
                return;
            }
            let page = ((height / ROW_HEIGHT_PX) as i64 - 1).max(1);
            let rows = match key.as_str() {
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                "PageDown" => page,
                "PageUp" => -page,
                _ => return,
            };
            // (Yew delegates events: the log is not the current target.)
            let Some(element) = viewport_ref.cast::<web_sys::Element>() else {
                return;
            };
            event.prevent_default();
            let from = f64::from(element.scroll_top());
            let to = scrolled_by_rows(total, from, height, rows);
            // Round away from where we were, so a one-row move is never lost.
            let to = if rows > 0 { to.ceil() } else { to.floor() };
            element.set_scroll_top(to as i32);
        })
    };
    let onwheel = Callback::from(move |event: WheelEvent| {
        if event.delta_y() < 0.0 {
            stop_following();
        }
    });
    let jump_to_newest = {
        let (follow, last_top) = (follow.clone(), last_top.clone());
        let height = viewport.height;
        Callback::from(move |_: MouseEvent| {
            *follow.borrow_mut() = true;
            show(Viewport {
                scroll_top: *last_top.borrow(),
                height,
                follow: true,
            });
        })
    };

    let rows: Html = (window.start..window.end)
        .filter_map(|index| props.lines.get(index))
        .map(|line| {
            let key = line.seq;
            html! { <LogRow {key} {line} /> }
        })
        .collect();
    let count = match total {
        1 => "1 line".to_owned(),
        n => format!("{n} lines"),
    };
    html! {
        <section class="log-panel" aria-labelledby="log-heading">
            <header class="log-toolbar">
                <h2 id="log-heading" class="log-heading">{ "Log" }</h2>
                <span class="log-count">{ count }</span>
                if !viewport.follow {
                    <button type="button" class="button button-small" onclick={jump_to_newest}>{ "Jump to newest" }</button>
                }
            </header>
            <div
                ref={viewport_ref}
                class="log-viewport"
                role="log"
                aria-label="Provisioning log"
                tabindex="0"
                {onscroll}
                {onkeydown}
                {onwheel}
            >
                if total == 0 {
                    <p class="log-empty">{ "No log lines yet." }</p>
                }
                <div ref={top_spacer} class="log-spacer" aria-hidden="true"></div>
                { rows }
                <div ref={bottom_spacer} class="log-spacer" aria-hidden="true"></div>
            </div>
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::level_class;

    #[test]
    fn levels_map_to_classes_and_unknown_ones_to_other() {
        assert_eq!(level_class("info"), "level-info");
        assert_eq!(level_class("WARN"), "level-warn");
        assert_eq!(level_class("error"), "level-error");
        assert_eq!(level_class("notice"), "level-other");
        assert_eq!(level_class(""), "level-other");
    }
}
