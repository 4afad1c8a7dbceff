//! Windowed rendering: which rows of a long log are on screen. Only those
//! (and a margin) are in the DOM; two spacers stand for the rest. Pure
//! arithmetic over a fixed row height.
//!
//! Browsers cap an element's height (about 17.9 million px in Firefox,
//! 16.7 million in Chromium), and 1,000,000 rows of 20 px are 20 million.
//! Past [`MAX_CONTENT_PX`] the scrollable height stays at that cap and the
//! scroll position is mapped linearly onto the rows: the top of the scroll
//! range shows the first row exactly, the bottom the last row exactly, and
//! every row in between is reached as the position moves, with the rendered
//! rows laid out one after another (they never overlap).

/// The height of one log row; `.log-row` in `assets/style.css` uses the same.
pub const ROW_HEIGHT_PX: f64 = 20.0;
/// Rows rendered above and below the visible ones, so fast scrolling never shows a gap.
pub const OVERSCAN_ROWS: usize = 30;
/// Rows assumed visible before the viewport has been measured.
pub const DEFAULT_VISIBLE_ROWS: usize = 30;
/// The tallest the scrollable content gets, well under every browser's cap.
pub const MAX_CONTENT_PX: f64 = 8_000_000.0;

/// The rows to render and the space the others take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    /// Height of the spacer above the rendered rows.
    pub top_px: f64,
    /// Height of the spacer below them.
    pub bottom_px: f64,
}

/// The rows' full height, unscaled.
fn rows_px(total: usize) -> f64 {
    total as f64 * ROW_HEIGHT_PX
}

/// The scrollable height of `total` rows: their height, or the cap.
pub fn content_px(total: usize) -> f64 {
    rows_px(total).min(MAX_CONTENT_PX)
}

fn clean(px: f64) -> f64 {
    if px.is_finite() {
        px.max(0.0)
    } else {
        0.0
    }
}

/// How many rows' pixels one scrolled pixel stands for (1 below the cap).
fn scale(total: usize, viewport_px: f64) -> f64 {
    let (rows, content) = (rows_px(total), content_px(total));
    let viewport = clean(viewport_px).min(content);
    if rows <= content || content - viewport <= 0.0 {
        1.0
    } else {
        (rows - viewport) / (content - viewport)
    }
}

/// The position in the rows (px from the first row's top) that a scroll
/// position shows at the top of the viewport.
pub fn rows_offset(total: usize, scroll_top: f64, viewport_px: f64) -> f64 {
    let viewport = clean(viewport_px).min(content_px(total));
    let max_scroll = (content_px(total) - viewport).max(0.0);
    let scroll = clean(scroll_top).min(max_scroll);
    let max_offset = (rows_px(total) - viewport).max(0.0);
    (scroll * scale(total, viewport_px)).min(max_offset)
}

/// The scroll position that shows row `index` at the top of the viewport
/// (as near as the scroll range allows).
pub fn scroll_top_for_row(total: usize, index: usize, viewport_px: f64) -> f64 {
    let viewport = clean(viewport_px).min(content_px(total));
    let max_scroll = (content_px(total) - viewport).max(0.0);
    let wanted = index.min(total) as f64 * ROW_HEIGHT_PX / scale(total, viewport_px);
    wanted.min(max_scroll)
}

/// Whether the scroll range is compressed (the rows are taller than the cap).
pub fn is_scaled(total: usize) -> bool {
    rows_px(total) > MAX_CONTENT_PX
}

/// The scroll position `rows` rows further down (up when negative) from
/// `scroll_top`: what the arrow and page keys do, one row at a time even
/// where one scrolled pixel stands for more than one pixel of rows.
pub fn scrolled_by_rows(total: usize, scroll_top: f64, viewport_px: f64, rows: i64) -> f64 {
    let viewport = clean(viewport_px).min(content_px(total));
    let max_scroll = (content_px(total) - viewport).max(0.0);
    let offset = rows_offset(total, scroll_top, viewport_px) + rows as f64 * ROW_HEIGHT_PX;
    (clean(offset) / scale(total, viewport_px)).min(max_scroll)
}

/// The window of `total` rows for a viewport `viewport_px` high scrolled to `scroll_top`.
pub fn visible_window(total: usize, scroll_top: f64, viewport_px: f64) -> Window {
    let visible = if viewport_px.is_finite() && viewport_px > 0.0 {
        (viewport_px / ROW_HEIGHT_PX).ceil() as usize + 1
    } else {
        DEFAULT_VISIBLE_ROWS
    };
    let offset = rows_offset(total, scroll_top, viewport_px);
    let first_visible = ((offset / ROW_HEIGHT_PX) as usize).min(total);
    // Where the first visible row's top sits in the scrollable content: the
    // viewport's top, less the part of the row scrolled past. (Only in the
    // first 20 px of a compressed range can that be above the content's
    // top; the row then starts at the top.)
    let scroll = offset / scale(total, viewport_px);
    let into_row = offset - first_visible as f64 * ROW_HEIGHT_PX;
    let row_top = (scroll - into_row).max(0.0);
    // Rows above and below, as many as the margin asks and the content
    // has room for: in a compressed range fewer rows fit near its ends.
    let above = ((row_top / ROW_HEIGHT_PX + 1e-6) as usize)
        .min(first_visible)
        .min(OVERSCAN_ROWS);
    let fit_below = ((content_px(total) - row_top) / ROW_HEIGHT_PX + 1e-6) as usize;
    let start = first_visible - above;
    let end = first_visible
        .saturating_add(visible)
        .saturating_add(OVERSCAN_ROWS)
        .min(total)
        .min(first_visible.saturating_add(fit_below));
    let top_px = row_top - above as f64 * ROW_HEIGHT_PX;
    let rendered = (end - start) as f64 * ROW_HEIGHT_PX;
    Window {
        start,
        end,
        top_px,
        bottom_px: (content_px(total) - top_px - rendered).max(0.0),
    }
}

/// The reader is at the newest line (within one row of the bottom), so new
/// lines should keep the view there.
pub fn is_at_bottom(scroll_top: f64, viewport_px: f64, content_px: f64) -> bool {
    content_px - (scroll_top + viewport_px) <= ROW_HEIGHT_PX
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VIEW: f64 = 416.0;

    #[test]
    fn the_top_of_a_long_log_renders_only_the_first_rows() {
        let window = visible_window(1_000_000, 0.0, 400.0);
        assert_eq!((window.start, window.end), (0, 21 + OVERSCAN_ROWS));
        assert_eq!(window.top_px, 0.0);
    }

    #[test]
    fn the_bottom_of_a_long_log_renders_only_the_last_rows() {
        let total = 100_000;
        let window = visible_window(total, total as f64 * ROW_HEIGHT_PX - 400.0, 400.0);
        assert_eq!(window.end, total);
        assert!(window.end - window.start <= 21 + 2 * OVERSCAN_ROWS);
        assert_eq!(window.bottom_px, 0.0);
    }

    #[test]
    fn below_the_cap_one_pixel_is_one_pixel() {
        let total = 10_000;
        assert_eq!(content_px(total), 200_000.0);
        assert_eq!(rows_offset(total, 1_234.0, VIEW), 1_234.0);
        let w = visible_window(total, 1_234.0, VIEW);
        assert_eq!(w.start, 61 - OVERSCAN_ROWS);
        assert_eq!(w.top_px, w.start as f64 * ROW_HEIGHT_PX);
        assert_eq!(scroll_top_for_row(total, 500, VIEW), 10_000.0);
    }

    #[test]
    fn a_million_rows_fit_under_the_cap_with_first_and_last_rows_exact() {
        let total = 1_000_000;
        assert_eq!(content_px(total), MAX_CONTENT_PX);
        let top = visible_window(total, 0.0, VIEW);
        assert_eq!((top.start, top.top_px), (0, 0.0));
        let bottom_scroll = MAX_CONTENT_PX - VIEW;
        let bottom = visible_window(total, bottom_scroll, VIEW);
        assert_eq!(bottom.end, total);
        // The last row's bottom is the viewport's bottom.
        let last_row_bottom = bottom.top_px + (bottom.end - bottom.start) as f64 * ROW_HEIGHT_PX;
        assert!((last_row_bottom - (bottom_scroll + VIEW)).abs() < 1e-6);
        assert_eq!(bottom.bottom_px, 0.0);
        let middle = visible_window(total, scroll_top_for_row(total, 500_000, VIEW), VIEW);
        assert!(middle.start <= 500_000 && 500_000 < middle.end);
    }

    #[test]
    fn near_the_top_of_a_compressed_range_the_rows_stay_under_the_view() {
        let total = 1_000_000;
        let scroll = scroll_top_for_row(total, 19, VIEW);
        let w = visible_window(total, scroll, VIEW);
        let (shown, into) = row_at_top(total, scroll);
        assert_eq!((shown, into.round()), (19, 0.0), "{w:?}");
        assert!(w.top_px >= 0.0 && w.start <= 19);
    }

    #[test]
    fn an_unmeasured_viewport_still_shows_rows() {
        let window = visible_window(100, 0.0, 0.0);
        assert_eq!(window.end, DEFAULT_VISIBLE_ROWS + OVERSCAN_ROWS);
    }

    #[test]
    fn at_bottom_allows_one_row_of_slack() {
        assert!(is_at_bottom(600.0, 400.0, 1_000.0));
        assert!(is_at_bottom(585.0, 400.0, 1_000.0));
        assert!(!is_at_bottom(500.0, 400.0, 1_000.0));
    }

    /// The row shown at the viewport's top edge, and how far into it.
    fn row_at_top(total: usize, scroll: f64) -> (usize, f64) {
        let w = visible_window(total, scroll, VIEW);
        let into = scroll - w.top_px;
        (
            w.start + (into / ROW_HEIGHT_PX) as usize,
            into % ROW_HEIGHT_PX,
        )
    }

    proptest! {
        #[test]
        fn windows_cover_the_view_and_fill_the_content_exactly(
            total in 0usize..2_000_000, scroll in -100.0f64..5.0e7, viewport in 0.0f64..3_000.0
        ) {
            let w = visible_window(total, scroll, viewport);
            prop_assert!(w.start <= w.end && w.end <= total);
            prop_assert!(w.end - w.start <= DEFAULT_VISIBLE_ROWS.max((viewport / ROW_HEIGHT_PX).ceil() as usize + 1) + 2 * OVERSCAN_ROWS);
            let rendered = (w.end - w.start) as f64 * ROW_HEIGHT_PX;
            prop_assert!(w.top_px >= 0.0 && w.bottom_px >= 0.0);
            prop_assert!((w.top_px + rendered + w.bottom_px - content_px(total)).abs() < 1e-3 || rendered > content_px(total));
            prop_assert!(content_px(total) <= MAX_CONTENT_PX);
        }

        #[test]
        fn the_rows_in_view_are_rendered_at_any_scale(
            total in 1usize..2_000_000, fraction in 0.0f64..=1.0
        ) {
            let max_scroll = (content_px(total) - VIEW).max(0.0);
            let scroll = (fraction * max_scroll).floor();
            let w = visible_window(total, scroll, VIEW);
            // The rendered rows span the whole viewport (or the whole log).
            let rendered_bottom = w.top_px + (w.end - w.start) as f64 * ROW_HEIGHT_PX;
            prop_assert!(w.top_px <= scroll + 1e-6, "{w:?} at {scroll}");
            prop_assert!(rendered_bottom + 1e-6 >= (scroll + VIEW).min(content_px(total)), "{w:?} at {scroll}");
        }

        #[test]
        fn every_row_can_be_brought_to_the_top(total in 1usize..2_000_000, pick in 0.0f64..1.0) {
            // The last row that can reach the top: a part-row of view below it.
            let max_top_row = total.saturating_sub((VIEW / ROW_HEIGHT_PX).ceil() as usize);
            let row = ((pick * total as f64) as usize).min(max_top_row);
            let scroll = scroll_top_for_row(total, row, VIEW);
            let (shown, into) = row_at_top(total, scroll);
            prop_assert!(shown == row || (shown + 1 == row && into > ROW_HEIGHT_PX - 1e-3), "row {row}: {shown} + {into}");
        }

        #[test]
        fn a_page_down_moves_a_page_of_rows_at_any_scale(total in 1_000usize..2_000_000, pick in 0.0f64..0.9) {
            let max_scroll = (content_px(total) - VIEW).max(0.0);
            let scroll = (pick * max_scroll).floor();
            let page = (VIEW / ROW_HEIGHT_PX) as i64 - 1;
            let next = scrolled_by_rows(total, scroll, VIEW, page);
            let moved = rows_offset(total, next, VIEW) - rows_offset(total, scroll, VIEW);
            if next < max_scroll {
                prop_assert!((moved - page as f64 * ROW_HEIGHT_PX).abs() < 1e-3, "moved {moved} px of rows");
            }
            let back = scrolled_by_rows(total, next, VIEW, -page);
            prop_assert!((back - scroll).abs() < 1e-3 || next >= max_scroll);
        }

        #[test]
        fn scrolling_down_never_moves_back_up(total in 1usize..2_000_000, start in 0.0f64..1.0, step in 1.0f64..2_000.0) {
            let max_scroll = (content_px(total) - VIEW).max(0.0);
            let a = (start * max_scroll).floor();
            let b = (a + step).min(max_scroll);
            prop_assert!(rows_offset(total, a, VIEW) <= rows_offset(total, b, VIEW));
        }
    }
}
