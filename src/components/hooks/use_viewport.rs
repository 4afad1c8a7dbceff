//! The log viewport's browser side: what the reader's scrolling, keys and
//! wheel mean (through the pure [`Scroll`] state machine), and, after each
//! render, the spacers' heights, the viewport's measures, the line to bring
//! into view and the scroll to the newest line while following.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::log_pane::follow::{FollowScroll, Scroll, ScrollAction};
use crate::log_pane::view::View;
use crate::log_pane::window::{
    is_scaled, scroll_top_for_row, scrolled_by_rows, Window, ROW_HEIGHT_PX,
};

/// The [`Scroll`] state as a Yew reducer.
impl Reducible for Scroll {
    type Action = ScrollAction;
    fn reduce(self: Rc<Self>, action: ScrollAction) -> Rc<Self> {
        let mut next = *self;
        next.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// What the viewport hook works with (cheap clones of the pane's handles).
pub struct ViewportInput {
    pub scroll: UseReducerHandle<Scroll>,
    pub viewport: NodeRef,
    pub top_spacer: NodeRef,
    pub bottom_spacer: NodeRef,
    /// Ten characters of the log's font, measured for the wrap width.
    pub probe: NodeRef,
    /// Where `/` and Ctrl+F send the focus.
    pub search_input: NodeRef,
    pub view: Rc<RefCell<View>>,
    /// A line to bring into view once the rows show it.
    pub scroll_to: Rc<RefCell<Option<usize>>>,
    pub window: Window,
    pub total_rows: usize,
    pub lines_held: usize,
    pub wrap: bool,
}

pub struct ViewportHandlers {
    pub onscroll: Callback<Event>,
    pub onkeydown: Callback<KeyboardEvent>,
    pub onwheel: Callback<WheelEvent>,
    pub jump_to_newest: Callback<MouseEvent>,
}

/// Sets an element's height through the CSSOM (a strict CSP blocks `style` attributes).
fn set_height(node: &NodeRef, px: f64) {
    if let Some(element) = node.cast::<web_sys::HtmlElement>() {
        // Whole pixels: no float formatting code in the build.
        let px = px.max(0.0).round() as u64;
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

/// Columns of message text a row has room for (for wrapping), less one
/// spare: a wide character starting in a row's last column takes it
/// (`display_width::byte_of_column`).
fn measure_columns(viewport: &web_sys::Element, probe: &NodeRef) -> Option<usize> {
    let probe = probe.cast::<web_sys::Element>()?;
    let char_px = probe.get_bounding_client_rect().width() / 10.0;
    let message = viewport.query_selector(".log-row .log-message").ok()??;
    let left =
        message.get_bounding_client_rect().left() - viewport.get_bounding_client_rect().left();
    let room = f64::from(viewport.client_width()) - left - 16.0;
    (char_px > 0.0 && room.is_finite())
        .then(|| ((room / char_px) as usize).saturating_sub(1).max(20))
}

#[hook]
pub fn use_viewport(input: ViewportInput) -> ViewportHandlers {
    let follow_scroll = use_mut_ref(FollowScroll::default);
    let rerender = use_force_update();
    // A new width (window resized, full screen) re-measures the rows.
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            gloo_events::EventListener::new(&window, "resize", move |_| rerender.force_update())
        });
        move || drop(listener)
    });
    let ViewportInput {
        scroll,
        viewport,
        top_spacer,
        bottom_spacer,
        probe,
        search_input,
        view,
        scroll_to,
        window,
        total_rows,
        lines_held,
        wrap,
    } = input;
    {
        let (scroll, viewport) = (scroll.clone(), viewport.clone());
        use_effect(move || {
            set_height(&top_spacer, window.top_px);
            set_height(&bottom_spacer, window.bottom_px);
            let Some(element) = viewport.cast::<web_sys::Element>() else {
                return;
            };
            let height = visible_height(&element);
            let columns = if wrap {
                measure_columns(&element, &probe).unwrap_or(scroll.columns)
            } else {
                scroll.columns
            };
            let wanted = scroll_to.borrow_mut().take();
            if let Some(index) = wanted {
                let row = view.borrow().row_of_line(index);
                match row {
                    Some(row) => {
                        // A third of the way down, where the eye looks first.
                        let above = (height / ROW_HEIGHT_PX / 3.0) as usize;
                        let top = scroll_top_for_row(total_rows, row.saturating_sub(above), height);
                        element.set_scroll_top(top.round() as i32);
                        follow_scroll.borrow_mut().forget();
                        scroll.dispatch(ScrollAction::ShownLine {
                            scroll_top: f64::from(element.scroll_top()),
                            lines: lines_held,
                        });
                        scroll.dispatch(ScrollAction::Measured { height, columns });
                        return;
                    }
                    // Not shown yet: the reveal has not been rendered.
                    None if index < lines_held => *scroll_to.borrow_mut() = Some(index),
                    None => {}
                }
            }
            if follow_scroll.borrow_mut().wanted(&scroll, total_rows) {
                element.set_scroll_top(element.scroll_height());
            }
            scroll.dispatch(ScrollAction::Measured { height, columns });
        });
    }

    let onscroll = {
        let scroll = scroll.dispatcher();
        Callback::from(move |event: Event| {
            let Some(element) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            scroll.dispatch(ScrollAction::Scrolled {
                scroll_top: f64::from(element.scroll_top()),
                height: visible_height(&element),
                scroll_height: f64::from(element.scroll_height()),
                lines: lines_held,
            });
        })
    };
    let height = scroll.height;
    let onkeydown = {
        let scroll = scroll.dispatcher();
        let viewport = viewport.clone();
        Callback::from(move |event: KeyboardEvent| {
            let key = event.key();
            // The browser's find sees only the rows on screen: Ctrl+F and
            // "/" search the whole log instead.
            if (key == "f" && (event.ctrl_key() || event.meta_key())) || key == "/" {
                if let Some(input) = search_input.cast::<web_sys::HtmlElement>() {
                    event.prevent_default();
                    let _ = input.focus();
                }
                return;
            }
            if matches!(key.as_str(), "Home" | "PageUp" | "ArrowUp") {
                scroll.dispatch(ScrollAction::MovingUp { lines: lines_held });
            }
            // (Yew delegates events: the log is not the current target.)
            let Some(element) = viewport.cast::<web_sys::Element>() else {
                return;
            };
            // Home and End jump at once: a smooth scroll across millions of
            // pixels would race the lines still arriving.
            if matches!(key.as_str(), "Home" | "End") {
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
            if !is_scaled(total_rows) {
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
            event.prevent_default();
            let from = f64::from(element.scroll_top());
            let to = scrolled_by_rows(total_rows, from, height, rows);
            // Round away from where we were, so a one-row move is never lost.
            let to = if rows > 0 { to.ceil() } else { to.floor() };
            element.set_scroll_top(to as i32);
        })
    };
    let onwheel = {
        let scroll = scroll.dispatcher();
        Callback::from(move |event: WheelEvent| {
            if event.delta_y() < 0.0 {
                scroll.dispatch(ScrollAction::MovingUp { lines: lines_held });
            }
        })
    };
    let jump_to_newest = {
        let scroll = scroll.dispatcher();
        Callback::from(move |_: MouseEvent| scroll.dispatch(ScrollAction::JumpToNewest))
    };
    ViewportHandlers {
        onscroll,
        onkeydown,
        onwheel,
        jump_to_newest,
    }
}
