//! The live log: a `role="log"` region that renders only the rows in view
//! (so a million lines stay smooth), shows every message as text (never as
//! HTML), and follows the newest line until the reader scrolls up. Its tools
//! — search over the whole log, level filter, step groups, permalinks,
//! wrapping, time, download, full screen — are decided by the pure core in
//! `log_pane`; this component keeps the browser's side: scrolling,
//! measuring, timers and the download.

use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::log_rows::{group_row, line_row, GroupRowProps, LineRowProps};
use super::log_toolbar::{log_controls, log_search, ControlsProps, SearchProps};
use super::use_now::use_now;
use crate::log_pane::export::write_lines;
use crate::log_pane::level::{level_class, Level};
use crate::log_pane::permalink::Permalink;
use crate::log_pane::row_text::row_text;
use crate::log_pane::search::{hit_number, step_hit, Query, SearchScan};
use crate::log_pane::stall::stalled_seconds;
use crate::log_pane::steps::{group_duration, group_lines, group_of, StepMark};
use crate::log_pane::tools::{
    grouped, lines_text, match_count_text, PaneTools, TimeMode, ToolAction,
};
use crate::log_pane::view::{Row, View, ViewOptions};
use crate::log_pane::window::{
    content_px, is_at_bottom, is_scaled, scroll_top_for_row, scrolled_by_rows, visible_window,
    ROW_HEIGHT_PX,
};
use crate::log_pane::LogLines;
use crate::time_format::{date_time, elapsed_stamp};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lines: LogLines,
    /// Where each step the service reported began.
    #[prop_or_default]
    pub steps: Vec<StepMark>,
    /// The job still runs (its last step stays open; silence is reported).
    #[prop_or_default]
    pub running: bool,
    /// The name the download is saved under.
    #[prop_or_else(|| AttrValue::from("provisioning.log"))]
    pub file_name: AttrValue,
}

/// Work done between yields to the browser while searching or saving.
const SLICE_MS: f64 = 12.0;
/// A search slice may run longer: fewer yields (each costs the browser's
/// minimum timer delay), still well under a long task (50 ms).
const SEARCH_SLICE_MS: f64 = 25.0;
/// Columns assumed until the pane has been measured.
const DEFAULT_COLUMNS: usize = 100;

#[derive(Default, PartialEq)]
struct Tools(PaneTools);

impl Reducible for Tools {
    type Action = ToolAction;
    fn reduce(self: Rc<Self>, action: ToolAction) -> Rc<Self> {
        let mut tools = self.0.clone();
        tools.apply(action);
        Rc::new(Tools(tools))
    }
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

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq)]
struct Viewport {
    scroll_top: f64,
    height: f64,
    /// Keep the newest line in view as lines arrive.
    follow: bool,
    /// Characters a wrapped row holds.
    columns: usize,
}

/// The view of the log, kept between renders and grown as lines arrive.
struct ViewCache {
    lines: LogLines,
    view: View,
}

/// Saves the log as a file, building it a slice at a time.
async fn download(lines: LogLines, file_name: AttrValue) -> Option<()> {
    let parts = js_sys::Array::new();
    let mut at = 0;
    while at < lines.len() {
        let started = js_sys::Date::now();
        let mut bytes = Vec::with_capacity(4 << 20);
        while at < lines.len() && js_sys::Date::now() - started < SLICE_MS {
            let end = (at + 2_000).min(lines.len());
            write_lines(&lines, at..end, &mut bytes);
            at = end;
        }
        // A blob a slice: the file at the end only lists them, rather than
        // copying every byte in one long task.
        let slice = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
        parts.push(
            &web_sys::Blob::new_with_u8_array_sequence(&slice)
                .ok()?
                .into(),
        );
        TimeoutFuture::new(0).await;
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(&file_name);
    link.set_class_name("visually-hidden");
    let body = document.body()?;
    let _ = body.append_child(&link);
    link.click();
    link.remove();
    // The browser reads the file after the click returns.
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Some(())
}

#[function_component]
pub fn ProvisioningLogs(props: &Props) -> Html {
    let tools = use_reducer(Tools::default);
    let viewport_ref = use_node_ref();
    let top_spacer = use_node_ref();
    let bottom_spacer = use_node_ref();
    let probe = use_node_ref();
    let search_input = use_node_ref();
    // Set only when it changes (compared with the latest value, not a
    // handler's copy).
    let viewport = use_state_eq(|| Viewport {
        scroll_top: 0.0,
        height: 0.0,
        follow: true,
        columns: DEFAULT_COLUMNS,
    });
    let lines = &props.lines;
    let steps = &props.steps;

    // The rows: grown with the log, rebuilt when a choice changes.
    let options = tools.0.view_options(viewport.columns);
    let cache = use_mut_ref(|| ViewCache {
        lines: LogLines::default(),
        view: View::new(ViewOptions::default()),
    });
    {
        let mut cache = cache.borrow_mut();
        if !cache.lines.same_log(lines) || cache.view.options() != &options {
            cache.view = View::new(options.clone());
        }
        cache.view.update(lines, steps);
        cache.lines = lines.clone();
    }
    let total = cache.borrow().view.rows();

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
    // What the reader asked for, shared by every handler at once (a
    // handler's copy of `viewport` may be a render old): whether to follow
    // the newest line, and the scroll position last seen.
    let follow = use_mut_ref(|| true);
    let last_top = use_mut_ref(|| 0.0f64);
    // A line to bring into view once the rows show it.
    let scroll_to = use_mut_ref(|| None::<usize>);
    // The `#L…` link still waits for its line.
    let link_pending = use_mut_ref(|| false);

    // Lines that arrived since the reader stopped following.
    let unseen_from = use_mut_ref(|| None::<usize>);
    if viewport.follow {
        *unseen_from.borrow_mut() = None;
    } else if unseen_from.borrow().is_none() {
        *unseen_from.borrow_mut() = Some(lines.len());
    }
    let unseen = unseen_from
        .borrow()
        .map_or(0, |from| lines.len().saturating_sub(from));

    // Silence while the job runs.
    let now = use_now(props.running);
    let arrival = use_mut_ref(|| (0usize, js_sys::Date::now()));
    if arrival.borrow().0 != lines.len() {
        *arrival.borrow_mut() = (lines.len(), js_sys::Date::now());
    }
    let stalled = stalled_seconds(now, arrival.borrow().1, props.running);

    // Makes the line at `index` shown (its step unfolded, its level on)
    // and brings it into view after the next render.
    let reveal = {
        let (tools, scroll_to, steps) = (tools.dispatcher(), scroll_to.clone(), steps.clone());
        Callback::from(move |(lines, index): (LogLines, usize)| {
            let mut level = Level::Info;
            lines.levels_in(index..index + 1, |_, l, _| level = l);
            tools.dispatch(ToolAction::Reveal {
                group: group_of(&steps, index),
                level,
            });
            *scroll_to.borrow_mut() = Some(index);
        })
    };

    // Search: the whole log is scanned in slices, and again as lines arrive.
    let scan = use_mut_ref(|| None::<(LogLines, SearchScan)>);
    let scan_generation = use_mut_ref(|| 0u64);
    let rerender = use_force_update();
    {
        let (scan, scan_generation, rerender, tools_dispatch, reveal) = (
            scan.clone(),
            scan_generation.clone(),
            rerender.clone(),
            tools.dispatcher(),
            reveal.clone(),
        );
        let current = tools.0.current;
        use_effect_with(
            (tools.0.query.clone(), tools.0.hidden, lines.clone()),
            move |(query, hidden, lines)| {
                {
                    let mut held = scan.borrow_mut();
                    let keep = matches!((&*held, Query::new(query)), (Some((log, s)), Some(q))
                        if log.same_log(lines) && s.query == q && s.hidden() == *hidden);
                    if !keep {
                        *held =
                            Query::new(query).map(|q| (lines.clone(), SearchScan::new(q, *hidden)));
                    }
                }
                let generation = {
                    let mut g = scan_generation.borrow_mut();
                    *g += 1;
                    *g
                };
                let lines = lines.clone();
                let mut jumped = current.is_some();
                wasm_bindgen_futures::spawn_local(async move {
                    loop {
                        if *scan_generation.borrow() != generation {
                            return;
                        }
                        let started = js_sys::Date::now();
                        let (done, first, found) = {
                            let mut held = scan.borrow_mut();
                            let Some((_, scan)) = held.as_mut() else {
                                return;
                            };
                            if scan.is_done(&lines) {
                                return;
                            }
                            let before = scan.hits().len();
                            let done = loop {
                                let done = scan.advance(&lines, 8_192);
                                if done || js_sys::Date::now() - started > SEARCH_SLICE_MS {
                                    break done;
                                }
                            };
                            (
                                done,
                                scan.hits().first().copied(),
                                scan.hits().len() > before,
                            )
                        };
                        // Typing a query shows its first match.
                        if let (false, Some(first)) = (jumped, first) {
                            jumped = true;
                            tools_dispatch.dispatch(ToolAction::GoTo(Some(first as usize)));
                            reveal.emit((lines.clone(), first as usize));
                        }
                        // The count shows what is found so far; nothing new, no render.
                        if found || done {
                            rerender.force_update();
                        }
                        if done {
                            return;
                        }
                        TimeoutFuture::new(0).await;
                    }
                });
            },
        );
    }
    let (hits_total, current_number, searching) = match &*scan.borrow() {
        Some((_, s)) => (
            s.hits().len(),
            tools.0.current.and_then(|c| hit_number(s.hits(), c)),
            !s.is_done(lines),
        ),
        None => (0, None, false),
    };
    // The current match as the handlers last set it (several presses may
    // come before the next render).
    let current_hit = use_mut_ref(|| None::<usize>);
    *current_hit.borrow_mut() = tools.0.current;
    let on_step = {
        let (scan, tools_dispatch, reveal, lines, current_hit) = (
            scan.clone(),
            tools.dispatcher(),
            reveal.clone(),
            lines.clone(),
            current_hit.clone(),
        );
        Callback::from(move |forward: bool| {
            let current = *current_hit.borrow();
            let next = match &*scan.borrow() {
                Some((_, s)) => step_hit(s.hits(), current, forward),
                None => None,
            };
            if let Some(next) = next {
                *current_hit.borrow_mut() = Some(next);
                tools_dispatch.dispatch(ToolAction::GoTo(Some(next)));
                reveal.emit((lines.clone(), next));
            }
        })
    };
    let on_query = {
        let tools = tools.dispatcher();
        Callback::from(move |query: String| tools.dispatch(ToolAction::Search(query)))
    };

    // Permalinks: the page's `#L…` fragment, now and whenever it changes.
    {
        let (tools, link_pending) = (tools.dispatcher(), link_pending.clone());
        use_effect_with((), move |_| {
            let read = move || {
                let link = Permalink::parse(&location_hash());
                *link_pending.borrow_mut() = link.is_some();
                tools.dispatch(ToolAction::Link(link));
            };
            read();
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "hashchange", move |_| read())
            });
            move || drop(listener)
        });
    }
    if *link_pending.borrow() {
        if let Some(link) = tools.0.linked {
            let index = lines.index_at_or_after(link.first);
            let mut found = false;
            lines.for_each_in(index..index + 1, |_, line| found = link.contains(line.seq));
            if found {
                *link_pending.borrow_mut() = false;
                *follow.borrow_mut() = false;
                reveal.emit((lines.clone(), index));
            } else if !props.running && index < lines.len() {
                // Past that line already, and it never came.
                *link_pending.borrow_mut() = false;
            }
        }
    }
    let on_line_link = {
        let linked = tools.0.linked;
        Callback::from(move |(seq, extend): (u64, bool)| {
            if !extend {
                return;
            }
            let link = match linked {
                Some(from) => Permalink {
                    first: from.first.min(seq),
                    last: from.first.max(seq),
                },
                None => Permalink {
                    first: seq,
                    last: seq,
                },
            };
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash(&link.fragment());
            }
        })
    };

    {
        let (viewport_ref, top_spacer, bottom_spacer, viewport, probe) = (
            viewport_ref.clone(),
            top_spacer.clone(),
            bottom_spacer.clone(),
            viewport.clone(),
            probe.clone(),
        );
        let (cache, scroll_to, follow, last_top, wrap) = (
            cache.clone(),
            scroll_to.clone(),
            follow.clone(),
            last_top.clone(),
            tools.0.wrap,
        );
        let lines_held = lines.len();
        use_effect(move || {
            set_height(&top_spacer, window.top_px);
            set_height(&bottom_spacer, window.bottom_px);
            let Some(element) = viewport_ref.cast::<web_sys::Element>() else {
                return;
            };
            let height = visible_height(&element);
            let columns = if wrap {
                measure_columns(&element, &probe).unwrap_or(viewport.columns)
            } else {
                viewport.columns
            };
            let wanted = scroll_to.borrow_mut().take();
            if let Some(index) = wanted {
                let row = cache.borrow().view.row_of_line(index);
                match row {
                    Some(row) => {
                        // A third of the way down, where the eye looks first.
                        let above = (height / ROW_HEIGHT_PX / 3.0) as usize;
                        let top = scroll_top_for_row(total, row.saturating_sub(above), height);
                        element.set_scroll_top(top.round() as i32);
                        let top = f64::from(element.scroll_top());
                        *follow.borrow_mut() = false;
                        *last_top.borrow_mut() = top;
                        *followed.borrow_mut() = None;
                        viewport.set(Viewport {
                            scroll_top: top,
                            height,
                            follow: false,
                            columns,
                        });
                        return;
                    }
                    // Not shown yet: the reveal has not been rendered.
                    None if index < lines_held => *scroll_to.borrow_mut() = Some(index),
                    None => {}
                }
            }
            let wanted = viewport.follow.then_some((total, viewport.height));
            if wanted.is_some() && *followed.borrow() != wanted {
                element.set_scroll_top(element.scroll_height());
            }
            *followed.borrow_mut() = wanted;
            if height != viewport.height || columns != viewport.columns {
                viewport.set(Viewport {
                    height,
                    columns,
                    ..*viewport
                });
            }
        });
    }
    // A new width (window resized, full screen) re-measures the rows.
    {
        let rerender = rerender.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "resize", move |_| rerender.force_update())
            });
            move || drop(listener)
        });
    }

    let show = {
        let viewport = viewport.clone();
        move |next: Viewport| viewport.set(next)
    };
    let columns = viewport.columns;
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
                columns,
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
                columns,
            });
        }
    };
    let onkeydown = {
        let stop_following = stop_following.clone();
        let (viewport_ref, search_input) = (viewport_ref.clone(), search_input.clone());
        let height = viewport.height;
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
                columns,
            });
        })
    };
    let on_first_error = {
        let (reveal, lines, first_error) = (
            reveal.clone(),
            lines.clone(),
            cache.borrow().view.first_error(),
        );
        Callback::from(move |()| {
            if let Some(index) = first_error {
                reveal.emit((lines.clone(), index));
            }
        })
    };
    let downloading = use_state_eq(|| false);
    let on_download = {
        let (lines, file_name, downloading) =
            (lines.clone(), props.file_name.clone(), downloading.clone());
        Callback::from(move |()| {
            let (lines, file_name, downloading) =
                (lines.clone(), file_name.clone(), downloading.clone());
            downloading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = download(lines, file_name).await;
                downloading.set(false);
            });
        })
    };
    let dispatch = |make: fn(bool) -> ToolAction| {
        let tools = tools.dispatcher();
        Callback::from(move |value: bool| tools.dispatch(make(value)))
    };
    let on_wrap = dispatch(ToolAction::Wrap);
    let on_full_screen = dispatch(ToolAction::FullScreen);
    let on_level = {
        let tools = tools.dispatcher();
        Callback::from(move |level: Level| tools.dispatch(ToolAction::ToggleLevel(level)))
    };
    let on_time = {
        let tools = tools.dispatcher();
        Callback::from(move |time: TimeMode| tools.dispatch(ToolAction::Time(time)))
    };
    let on_toggle = {
        let tools = tools.dispatcher();
        Callback::from(move |group: usize| tools.dispatch(ToolAction::ToggleFold(group)))
    };
    let on_panel_key = {
        let (tools, full) = (tools.dispatcher(), tools.0.full_screen);
        Callback::from(move |event: KeyboardEvent| {
            if full && event.key() == "Escape" {
                tools.dispatch(ToolAction::FullScreen(false));
            }
        })
    };

    // The rows in view.
    let query = Query::new(&tools.0.query);
    let mut start_ms = None;
    lines.for_each_in(0..1, |_, line| start_ms = line.wall_ms);
    let rows: Html = {
        let cache = cache.borrow();
        (window.start..window.end)
            .filter_map(|r| cache.view.row(r, steps))
            .map(|row| match row {
                Row::Header { group } => {
                    let range = group_lines(steps, group, lines.len());
                    let props = GroupRowProps {
                        group,
                        title: steps
                            .get(group)
                            .map(StepMark::title)
                            .unwrap_or_default()
                            .into(),
                        lines: lines_text(range.len()).into(),
                        duration: group_duration(steps, group, lines).map(AttrValue::from),
                        folded: tools.0.folded.contains(&group),
                        foldable: !(props.running && group + 1 == steps.len()),
                        on_toggle: on_toggle.clone(),
                    };
                    group_row(props, format!("g{group}"))
                }
                Row::Line {
                    index,
                    part,
                    parts: _,
                } => {
                    let mut row = None;
                    lines.for_each_in(index..index + 1, |_, line| {
                        let since = line
                            .wall_ms
                            .zip(start_ms)
                            .map(|(at, start)| elapsed_stamp(at - start));
                        let time = match (tools.0.time, &since) {
                            (TimeMode::SinceStart, Some(since)) => since.clone(),
                            _ => line.time_text(),
                        };
                        let exact = match (line.wall_ms, since) {
                            (Some(at), Some(since)) => {
                                format!("{} ({since} since start)", date_time(at))
                            }
                            _ => line.time_text(),
                        };
                        let current = tools.0.current == Some(index);
                        let wrap_columns =
                            tools.0.wrap.then(|| part * columns..(part + 1) * columns);
                        row = Some(LineRowProps {
                            seq: line.seq,
                            level: line.level.chars().take(8).collect::<String>().into(),
                            level_class: level_class(line.level),
                            time: time.into(),
                            exact: exact.into(),
                            text: row_text(line.message, query.as_ref(), current, wrap_columns),
                            continued: part > 0,
                            linked: tools.0.linked.is_some_and(|l| l.contains(line.seq)),
                            current,
                            on_line_link: on_line_link.clone(),
                        });
                    });
                    match row {
                        Some(props) => line_row(props, format!("{index}.{part}")),
                        None => html! {},
                    }
                }
            })
            .collect()
    };
    let counts = cache.borrow().view.counts();
    let has_error = cache.borrow().view.first_error().is_some();
    let new_lines = match unseen {
        0 => "Jump to newest".to_owned(),
        1 => "Jump to newest (1 new line)".to_owned(),
        n => format!("Jump to newest ({} new lines)", grouped(n)),
    };
    let panel_class = classes!(
        "log-panel",
        tools.0.full_screen.then_some("log-panel-full"),
        tools.0.wrap.then_some("log-wrapped")
    );
    html! {
        <section class={panel_class} aria-labelledby="log-heading" onkeydown={on_panel_key}>
            <header class="log-toolbar">
                <h2 id="log-heading" class="log-heading">{ "Log" }</h2>
                <span class="log-count">{ lines_text(lines.len()) }</span>
                if let Some(seconds) = stalled {
                    <span class="log-stall">{ format!("No new lines for {seconds} s") }</span>
                }
                if !viewport.follow {
                    <button type="button" class="button button-small log-jump" onclick={jump_to_newest}>{ new_lines }</button>
                }
                { log_search(SearchProps {
                    query: AttrValue::from(tools.0.query.clone()),
                    count: AttrValue::from(match_count_text(current_number, hits_total, searching)),
                    has_matches: hits_total > 0,
                    on_query,
                    on_step,
                    input_ref: search_input,
                }) }
            </header>
            { log_controls(ControlsProps {
                counts,
                hidden: tools.0.hidden,
                on_level,
                has_error,
                on_first_error,
                wrap: tools.0.wrap,
                on_wrap,
                time: tools.0.time,
                on_time,
                downloading: *downloading,
                on_download,
                full_screen: tools.0.full_screen,
                on_full_screen,
            }) }
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
