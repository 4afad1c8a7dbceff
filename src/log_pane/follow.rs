//! Where the log pane is scrolled and whether it follows the newest line:
//! one state, changed only by [`ScrollAction`]s (a reducer applies them in
//! the order they happen, so no handler works from a stale copy).
//!
//! The rules: the pane follows the newest line until the reader moves up
//! (a scroll up, or Home / PageUp / ArrowUp / the wheel before the first
//! scroll event); reaching the bottom again, or "Jump to newest", resumes
//! it. While not following, the lines that arrive are counted as new.

use crate::log_pane::window::{content_px, is_at_bottom};

/// A scroll up of less than this is the browser rounding, not the reader.
const ROUNDING_PX: f64 = 0.5;

/// Columns assumed until the pane has been measured.
pub const DEFAULT_COLUMNS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scroll {
    /// The scroll position last seen (or set by the pane).
    pub scroll_top: f64,
    /// The viewport's height.
    pub height: f64,
    /// The content's height when last scrolled.
    content_height: f64,
    /// Keep the newest line in view as lines arrive.
    pub follow: bool,
    /// Columns a wrapped row holds.
    pub columns: usize,
    /// How many lines the log held when following stopped.
    unseen_from: Option<usize>,
}

impl Default for Scroll {
    fn default() -> Self {
        Scroll {
            scroll_top: 0.0,
            height: 0.0,
            content_height: 0.0,
            follow: true,
            columns: DEFAULT_COLUMNS,
            unseen_from: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScrollAction {
    /// The viewport scrolled (the reader, or the pane itself): its new
    /// position, its height, its content's height; `lines` held now.
    Scrolled {
        scroll_top: f64,
        height: f64,
        scroll_height: f64,
        lines: usize,
    },
    /// A key or the wheel moves up: stop following now, before the first
    /// scroll event (a smooth scroll may still be near the bottom).
    MovingUp { lines: usize },
    /// "Jump to newest".
    JumpToNewest,
    /// The pane brought a line into view at `scroll_top`.
    ShownLine { scroll_top: f64, lines: usize },
    /// The viewport was measured after a render.
    Measured { height: f64, columns: usize },
    /// The log holds `lines`, none of them new: a job's backlog read while
    /// its status is not heard yet, or a finished job's.
    Backlog { lines: usize },
}

impl Scroll {
    pub fn apply(&mut self, action: ScrollAction) {
        match action {
            ScrollAction::Scrolled {
                scroll_top,
                height,
                scroll_height,
                lines,
            } => {
                let previous = std::mem::replace(&mut self.scroll_top, scroll_top);
                let content_before = std::mem::replace(&mut self.content_height, scroll_height);
                self.height = height;
                // Content that shrank (a step folded) pulls the position up
                // with it: the browser's doing, not the reader's.
                let shrank = scroll_height < content_before - ROUNDING_PX;
                if scroll_top < previous - ROUNDING_PX && !shrank {
                    self.stop_following(lines);
                } else if is_at_bottom(scroll_top, height, scroll_height) {
                    self.follow = true;
                }
            }
            ScrollAction::MovingUp { lines } => self.stop_following(lines),
            ScrollAction::JumpToNewest => self.follow = true,
            ScrollAction::ShownLine { scroll_top, lines } => {
                self.scroll_top = scroll_top;
                self.stop_following(lines);
            }
            ScrollAction::Measured { height, columns } => {
                self.height = height;
                self.columns = columns;
            }
            ScrollAction::Backlog { lines } => {
                if let Some(from) = &mut self.unseen_from {
                    *from = (*from).max(lines);
                }
            }
        }
        if self.follow {
            self.unseen_from = None;
        }
    }

    fn stop_following(&mut self, lines: usize) {
        if self.follow {
            self.follow = false;
            self.unseen_from = Some(lines);
        }
    }

    /// The scroll position the rows are laid out for: the bottom while
    /// following, else where the reader is.
    pub fn top_for(&self, total_rows: usize) -> f64 {
        if self.follow {
            (content_px(total_rows) - self.height).max(0.0)
        } else {
            self.scroll_top
        }
    }

    /// Lines that arrived since following stopped (`lines` held now).
    pub fn unseen(&self, lines: usize) -> usize {
        self.unseen_from
            .map_or(0, |from| lines.saturating_sub(from))
    }
}

/// Whether the pane should scroll to the bottom after a render: only when
/// following and the rows or the height changed since it last did, never
/// in the middle of the reader's own scrolling.
#[derive(Debug, Default)]
pub struct FollowScroll {
    done_for: Option<(usize, f64)>,
}

impl FollowScroll {
    pub fn wanted(&mut self, scroll: &Scroll, total_rows: usize) -> bool {
        let wanted = scroll.follow.then_some((total_rows, scroll.height));
        let scroll_now = wanted.is_some() && self.done_for != wanted;
        self.done_for = wanted;
        scroll_now
    }

    /// The pane scrolled somewhere else itself: follow afresh next time.
    pub fn forget(&mut self) {
        self.done_for = None;
    }
}

/// "Jump to newest (1,204 new lines)".
pub fn jump_label(unseen: usize) -> String {
    match unseen {
        0 => "Jump to newest".to_owned(),
        1 => "Jump to newest (1 new line)".to_owned(),
        n => format!(
            "Jump to newest ({} new lines)",
            crate::log_pane::count_text::grouped(n)
        ),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scrolled(scroll_top: f64, lines: usize) -> ScrollAction {
        ScrollAction::Scrolled {
            scroll_top,
            height: 400.0,
            scroll_height: 10_000.0,
            lines,
        }
    }

    #[test]
    fn lines_of_a_backlog_are_not_new() {
        // Issue 31: a finished million-line job reopened, scrolled up while
        // it loads, said "Jump to newest (885,219 new lines)".
        let mut scroll = Scroll::default();
        scroll.apply(ScrollAction::MovingUp { lines: 100_000 });
        scroll.apply(ScrollAction::Backlog { lines: 985_219 });
        assert_eq!(scroll.unseen(985_219), 0);
        assert_eq!(jump_label(scroll.unseen(985_219)), "Jump to newest");
        // Once the job is heard to run, what arrives is new.
        assert_eq!(scroll.unseen(985_229), 10);
        // Following, there is nothing to mark.
        let mut following = Scroll::default();
        following.apply(ScrollAction::Backlog { lines: 50 });
        assert!(following.follow);
        assert_eq!(following.unseen(60), 0);
    }

    #[test]
    fn scrolling_up_stops_following_and_counts_new_lines() {
        let mut scroll = Scroll::default();
        scroll.apply(scrolled(9_600.0, 500));
        assert!(scroll.follow);
        scroll.apply(scrolled(9_000.0, 500));
        assert!(!scroll.follow);
        assert_eq!(scroll.unseen(500), 0);
        assert_eq!(scroll.unseen(1_704), 1_204);
        assert_eq!(
            jump_label(scroll.unseen(1_704)),
            "Jump to newest (1,204 new lines)"
        );
        // Rows laid out where the reader is, not at the bottom.
        assert_eq!(scroll.top_for(500), 9_000.0);
    }

    #[test]
    fn reaching_the_bottom_or_jumping_resumes_following() {
        let mut scroll = Scroll::default();
        scroll.apply(ScrollAction::MovingUp { lines: 10 });
        assert!(!scroll.follow);
        scroll.apply(scrolled(9_590.0, 20));
        assert!(scroll.follow);
        assert_eq!(scroll.unseen(30), 0);
        scroll.apply(ScrollAction::MovingUp { lines: 30 });
        scroll.apply(ScrollAction::JumpToNewest);
        assert!(scroll.follow);
        assert_eq!(jump_label(scroll.unseen(99)), "Jump to newest");
    }

    #[test]
    fn content_that_shrinks_under_a_follower_keeps_it_following() {
        let mut scroll = Scroll::default();
        scroll.apply(scrolled(9_600.0, 500));
        // A step folds: 10,000 px of content become 6,000, the browser
        // moves the position up to the new bottom.
        scroll.apply(ScrollAction::Scrolled {
            scroll_top: 5_600.0,
            height: 400.0,
            scroll_height: 6_000.0,
            lines: 500,
        });
        assert!(scroll.follow);
        // The reader scrolling up over unchanged content still stops it.
        scroll.apply(ScrollAction::Scrolled {
            scroll_top: 5_000.0,
            height: 400.0,
            scroll_height: 6_000.0,
            lines: 500,
        });
        assert!(!scroll.follow);
    }

    #[test]
    fn a_sub_pixel_move_up_is_rounding_not_the_reader() {
        let mut scroll = Scroll::default();
        scroll.apply(scrolled(5_000.0, 1));
        scroll.apply(scrolled(4_999.7, 1));
        assert!(scroll.follow);
    }

    #[test]
    fn a_line_shown_by_the_pane_stops_following_there() {
        let mut scroll = Scroll::default();
        scroll.apply(ScrollAction::ShownLine {
            scroll_top: 120.0,
            lines: 40,
        });
        assert_eq!((scroll.follow, scroll.scroll_top), (false, 120.0));
        // The next scroll event from there is not a move up.
        scroll.apply(scrolled(120.0, 40));
        assert!(!scroll.follow);
    }

    #[test]
    fn the_pane_follows_once_per_change_of_rows_or_height() {
        let mut scroll = Scroll::default();
        let mut follow = FollowScroll::default();
        assert!(follow.wanted(&scroll, 10));
        assert!(!follow.wanted(&scroll, 10));
        assert!(follow.wanted(&scroll, 11));
        scroll.apply(ScrollAction::Measured {
            height: 300.0,
            columns: 80,
        });
        assert!(follow.wanted(&scroll, 11));
        scroll.apply(ScrollAction::MovingUp { lines: 11 });
        assert!(!follow.wanted(&scroll, 12));
        scroll.apply(ScrollAction::JumpToNewest);
        assert!(follow.wanted(&scroll, 12));
    }

    fn any_action() -> impl Strategy<Value = ScrollAction> {
        prop_oneof![
            (0.0..20_000.0f64, 0usize..100).prop_map(|(top, lines)| scrolled(top, lines)),
            (0usize..100).prop_map(|lines| ScrollAction::MovingUp { lines }),
            Just(ScrollAction::JumpToNewest),
            (0.0..20_000.0f64, 0usize..100)
                .prop_map(|(scroll_top, lines)| ScrollAction::ShownLine { scroll_top, lines }),
        ]
    }

    proptest! {
        #[test]
        fn following_means_no_new_lines_and_the_bottom(actions in prop::collection::vec(any_action(), 0..30)) {
            let mut scroll = Scroll::default();
            for action in actions {
                scroll.apply(action);
                if scroll.follow {
                    prop_assert_eq!(scroll.unseen(1_000), 0);
                    prop_assert_eq!(scroll.top_for(1_000), content_px(1_000) - scroll.height);
                }
                // A move up never leaves the pane following.
                if matches!(action, ScrollAction::MovingUp { .. } | ScrollAction::ShownLine { .. }) {
                    prop_assert!(!scroll.follow);
                }
            }
        }
    }
}
