//! Windowed rendering: which rows of a long log are on screen. Only those
//! (and a margin) are in the DOM; two spacers stand for the rest. Pure
//! arithmetic over a fixed row height.

/// The height of one log row; `.log-row` in `assets/style.css` uses the same.
pub const ROW_HEIGHT_PX: f64 = 20.0;
/// Rows rendered above and below the visible ones, so fast scrolling never shows a gap.
pub const OVERSCAN_ROWS: usize = 30;
/// Rows assumed visible before the viewport has been measured.
pub const DEFAULT_VISIBLE_ROWS: usize = 30;

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

/// The window of `total` rows for a viewport `viewport_px` high scrolled to `scroll_top`.
pub fn visible_window(total: usize, scroll_top: f64, viewport_px: f64) -> Window {
    let scroll_top = if scroll_top.is_finite() {
        scroll_top.max(0.0)
    } else {
        0.0
    };
    let visible = if viewport_px.is_finite() && viewport_px > 0.0 {
        (viewport_px / ROW_HEIGHT_PX).ceil() as usize + 1
    } else {
        DEFAULT_VISIBLE_ROWS
    };
    let first_visible = ((scroll_top / ROW_HEIGHT_PX) as usize).min(total);
    let start = first_visible.saturating_sub(OVERSCAN_ROWS);
    let end = first_visible
        .saturating_add(visible)
        .saturating_add(OVERSCAN_ROWS)
        .min(total);
    Window {
        start,
        end,
        top_px: start as f64 * ROW_HEIGHT_PX,
        bottom_px: (total - end) as f64 * ROW_HEIGHT_PX,
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

    proptest! {
        #[test]
        fn windows_cover_the_view_and_account_for_every_row(
            total in 0usize..2_000_000, scroll in -100.0f64..5.0e7, viewport in 0.0f64..3_000.0
        ) {
            let w = visible_window(total, scroll, viewport);
            prop_assert!(w.start <= w.end && w.end <= total);
            prop_assert!(w.end - w.start <= DEFAULT_VISIBLE_ROWS.max((viewport / ROW_HEIGHT_PX).ceil() as usize + 1) + 2 * OVERSCAN_ROWS);
            let rendered = (w.end - w.start) as f64 * ROW_HEIGHT_PX;
            prop_assert!((w.top_px + rendered + w.bottom_px - total as f64 * ROW_HEIGHT_PX).abs() < 1e-6);
            let first_visible = ((scroll.max(0.0) / ROW_HEIGHT_PX) as usize).min(total);
            prop_assert!(w.start <= first_visible);
            let last_visible = (((scroll.max(0.0) + viewport) / ROW_HEIGHT_PX) as usize).min(total);
            prop_assert!(w.end >= last_visible.min(total));
        }
    }
}
