//! What the reader has chosen in the pane's toolbar (search, level filter,
//! folded steps, wrapping, time, full screen, the current match and the
//! linked lines), changed by pure actions.

use std::rc::Rc;

use crate::log_pane::level::{Level, PerLevel};
use crate::log_pane::permalink::Permalink;
use crate::log_pane::search::step_hit;
use crate::log_pane::view::ViewOptions;

/// The context choices "Only matching lines" offers.
pub const CONTEXT_CHOICES: [usize; 3] = [0, 2, 5];
const MAX_CONTEXT: usize = 5;

/// How timestamps are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeMode {
    /// The time of day the line was written.
    #[default]
    Clock,
    /// Time since the job's first line.
    SinceStart,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaneTools {
    pub query: String,
    /// The query is a regular expression.
    pub regex: bool,
    /// "Only matching lines", with `context` lines either side.
    pub only_matching: bool,
    pub context: usize,
    pub hidden: PerLevel<bool>,
    /// Step groups the reader folded (`true`) or opened (`false`); the
    /// others fold by their outcome.
    pub fold_choices: Vec<(usize, bool)>,
    pub wrap: bool,
    pub time: TimeMode,
    pub full_screen: bool,
    /// The line of the current match.
    pub current: Option<usize>,
    /// How many times the reader (or the search's first match) went to a
    /// match: each one brings it into view, also when it stays the same.
    pub moves: u32,
    /// The lines named by the page's `#L…` fragment.
    pub linked: Option<Permalink>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolAction {
    Search(String),
    Regex(bool),
    OnlyMatching(bool),
    /// Lines of context around each match (0, 2 or 5).
    Context(usize),
    ToggleLevel(Level),
    /// The reader folds (`true`) or opens a step group.
    Fold(usize, bool),
    /// "Open all steps": the first `n` groups opened.
    OpenAll(usize),
    /// "Fold finished steps": the reader's choices forgotten, steps fold by
    /// their outcome again.
    FoldByOutcome,
    /// Makes a line shown: unfolds its step and shows its level.
    Reveal {
        group: Option<usize>,
        level: Level,
    },
    Wrap(bool),
    Time(TimeMode),
    FullScreen(bool),
    GoTo(Option<usize>),
    /// Next (forward) or previous match among `hits` (line indices, in
    /// order), from the current one, wrapping around.
    StepMatch {
        forward: bool,
        hits: Rc<[u32]>,
    },
    Link(Option<Permalink>),
}

impl PaneTools {
    /// The tools as the reader left them: wrapping, timestamps, levels,
    /// "Only matching lines" and its context.
    pub fn with_preferences(
        wrap: bool,
        since_start: bool,
        hidden: PerLevel<bool>,
        (only_matching, context): (bool, usize),
    ) -> PaneTools {
        PaneTools {
            only_matching,
            context: context.min(MAX_CONTEXT),
            wrap,
            time: if since_start {
                TimeMode::SinceStart
            } else {
                TimeMode::Clock
            },
            hidden,
            ..PaneTools::default()
        }
    }

    pub fn apply(&mut self, action: ToolAction) {
        match action {
            ToolAction::Search(query) => {
                if query != self.query {
                    self.query = query;
                    self.current = None;
                }
            }
            ToolAction::Regex(regex) => {
                if regex != self.regex {
                    self.regex = regex;
                    self.current = None;
                }
            }
            ToolAction::OnlyMatching(only) => self.only_matching = only,
            ToolAction::Context(lines) => self.context = lines.min(MAX_CONTEXT),
            ToolAction::ToggleLevel(level) => {
                self.hidden[level] = !self.hidden[level];
                // The matches are counted again over what is shown.
                self.current = None;
            }
            ToolAction::Fold(group, folded) => self.choose_fold(group, folded),
            ToolAction::OpenAll(groups) => {
                self.fold_choices = (0..groups).map(|g| (g, false)).collect();
            }
            ToolAction::FoldByOutcome => self.fold_choices.clear(),
            ToolAction::Reveal { group, level } => {
                if let Some(group) = group {
                    self.choose_fold(group, false);
                }
                self.hidden[level] = false;
            }
            ToolAction::Wrap(wrap) => self.wrap = wrap,
            ToolAction::Time(time) => self.time = time,
            ToolAction::FullScreen(full) => self.full_screen = full,
            ToolAction::GoTo(current) => {
                self.current = current;
                self.moves = self.moves.wrapping_add(1);
            }
            ToolAction::StepMatch { forward, hits } => {
                if let Some(next) = step_hit(&hits, self.current, forward) {
                    self.current = Some(next);
                    self.moves = self.moves.wrapping_add(1);
                }
            }
            ToolAction::Link(linked) => self.linked = linked,
        }
    }

    fn choose_fold(&mut self, group: usize, folded: bool) {
        self.fold_choices.retain(|(g, _)| *g != group);
        self.fold_choices.push((group, folded));
    }

    /// The groups folded: the reader's choices, and where the reader chose
    /// nothing, the groups that fold by their outcome (`by_outcome`).
    pub fn folded(&self, by_outcome: &[usize]) -> Vec<usize> {
        let chosen = |group: usize| self.fold_choices.iter().find(|(g, _)| *g == group);
        let mut folded: Vec<usize> = by_outcome
            .iter()
            .copied()
            .filter(|g| chosen(*g).is_none())
            .chain(
                self.fold_choices
                    .iter()
                    .filter(|(_, f)| *f)
                    .map(|(g, _)| *g),
            )
            .collect();
        folded.sort_unstable();
        folded
    }

    /// The view these choices ask for, lines wrapping at `columns`, the
    /// groups of `by_outcome` folded unless the reader chose otherwise.
    pub fn view_options(&self, columns: usize, by_outcome: &[usize]) -> ViewOptions {
        ViewOptions {
            hidden: self.hidden,
            folded: self.folded(by_outcome),
            columns: self.wrap.then_some(columns.max(1)),
            context: (self.only_matching && !self.query.is_empty()).then_some(self.context),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_new_query_or_filter_forgets_the_current_match() {
        let mut tools = PaneTools::default();
        tools.apply(ToolAction::Search("x".into()));
        tools.apply(ToolAction::GoTo(Some(4)));
        tools.apply(ToolAction::Search("x".into()));
        assert_eq!(tools.current, Some(4));
        tools.apply(ToolAction::Search("xy".into()));
        assert_eq!(tools.current, None);
        tools.apply(ToolAction::GoTo(Some(4)));
        tools.apply(ToolAction::ToggleLevel(Level::Debug));
        assert_eq!(
            (tools.current, tools.hidden),
            (None, PerLevel([true, false, false, false]))
        );
    }

    #[test]
    fn stepping_through_matches_wraps_and_counts_every_move() {
        let mut tools = PaneTools::default();
        let hits: Rc<[u32]> = Rc::from(vec![3, 8]);
        let step = |forward| ToolAction::StepMatch {
            forward,
            hits: hits.clone(),
        };
        tools.apply(step(true));
        assert_eq!((tools.current, tools.moves), (Some(3), 1));
        tools.apply(step(true));
        tools.apply(step(true));
        assert_eq!((tools.current, tools.moves), (Some(3), 3));
        tools.apply(step(false));
        assert_eq!(tools.current, Some(8));
        // No match: nothing moves.
        tools.apply(ToolAction::StepMatch {
            forward: true,
            hits: Rc::from(Vec::new()),
        });
        assert_eq!((tools.current, tools.moves), (Some(8), 4));
    }

    #[test]
    fn steps_fold_by_outcome_unless_the_reader_chose() {
        let mut tools = PaneTools::default();
        assert_eq!(tools.folded(&[0, 1]), [0, 1]);
        tools.apply(ToolAction::Fold(1, false));
        tools.apply(ToolAction::Fold(3, true));
        assert_eq!(tools.folded(&[0, 1]), [0, 3]);
        tools.apply(ToolAction::Fold(3, false));
        assert_eq!(tools.folded(&[0, 1]), [0]);
        tools.apply(ToolAction::Fold(2, true));
        tools.apply(ToolAction::OpenAll(4));
        assert_eq!(tools.folded(&[0, 1]), Vec::<usize>::new());
        tools.apply(ToolAction::FoldByOutcome);
        assert_eq!(tools.folded(&[0, 1]), [0, 1]);
        tools.apply(ToolAction::Fold(0, true));
        tools.apply(ToolAction::ToggleLevel(Level::Warn));
        tools.apply(ToolAction::Reveal {
            group: Some(0),
            level: Level::Warn,
        });
        // Revealing a line opens its step; the other still folds by outcome.
        assert_eq!(
            (tools.folded(&[0, 1]), tools.hidden),
            (vec![1], PerLevel::default())
        );
        assert!(tools.fold_choices.iter().all(|(_, folded)| !folded));
        assert_eq!(tools.view_options(80, &[]).columns, None);
        tools.apply(ToolAction::Wrap(true));
        assert_eq!(tools.view_options(0, &[]).columns, Some(1));
    }

    #[test]
    fn only_matching_lines_needs_a_query() {
        let mut tools = PaneTools::default();
        tools.apply(ToolAction::OnlyMatching(true));
        tools.apply(ToolAction::Context(9));
        assert_eq!(tools.view_options(80, &[]).context, None);
        tools.apply(ToolAction::Search("x".into()));
        assert_eq!(tools.view_options(80, &[]).context, Some(5));
    }
}
