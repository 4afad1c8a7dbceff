//! Bringing a line into view: its step unfolded and its level shown (pure
//! actions on the pane's tools), then scrolled to after the next render
//! (the viewport hook reads `scroll_to`). The current match is revealed each
//! time the reader (or the search's first match) moves to it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::log_pane::level::Level;
use crate::log_pane::steps::{group_of, StepMark};
use crate::log_pane::tools::PaneTools;
use crate::log_pane::tools::ToolAction;
use crate::log_pane::LogLines;

pub struct Reveal {
    /// Makes the line at an index shown and brings it into view.
    pub reveal: Callback<usize>,
    /// The line to scroll to after the next render.
    pub scroll_to: Rc<RefCell<Option<usize>>>,
}

#[hook]
pub fn use_reveal(
    tools: &UseReducerHandle<PaneTools>,
    lines: &LogLines,
    steps: &[StepMark],
) -> Reveal {
    let scroll_to = use_mut_ref(|| None::<usize>);
    let reveal = {
        let (tools, scroll_to, steps, lines) = (
            tools.dispatcher(),
            scroll_to.clone(),
            steps.to_vec(),
            lines.clone(),
        );
        Callback::from(move |index: usize| {
            let mut level = Level::Info;
            lines.levels_in(index..index + 1, |_, l, _| level = l);
            tools.dispatch(ToolAction::Reveal {
                group: group_of(&steps, index),
                level,
            });
            *scroll_to.borrow_mut() = Some(index);
        })
    };
    {
        let reveal = reveal.clone();
        use_effect_with((tools.current, tools.moves), move |(current, _)| {
            if let Some(index) = *current {
                reveal.emit(index);
            }
        });
    }
    Reveal { reveal, scroll_to }
}
