//! The log pane's toolbar choices ([`PaneTools`]) as a Yew reducer, starting
//! from the reader's remembered wrap, timestamps, levels and "Only matching
//! lines" and keeping
//! them as they change (`store::preferences`).

use std::rc::Rc;

use yew::prelude::*;

use crate::log_pane::tools::{PaneTools, TimeMode, ToolAction};
use crate::store::preferences;

impl Reducible for PaneTools {
    type Action = ToolAction;
    fn reduce(self: Rc<Self>, action: ToolAction) -> Rc<Self> {
        let mut tools = (*self).clone();
        tools.apply(action);
        Rc::new(tools)
    }
}

#[hook]
pub fn use_pane_tools() -> UseReducerHandle<PaneTools> {
    let tools = use_reducer_eq(|| {
        let kept = preferences::load();
        PaneTools::with_preferences(
            kept.wrap,
            kept.since_start,
            kept.hidden,
            (kept.only_matching, kept.context),
        )
    });
    use_effect_with(
        (
            tools.wrap,
            tools.time,
            tools.hidden,
            tools.only_matching,
            tools.context,
        ),
        |&(wrap, time, hidden, only_matching, context)| {
            preferences::update(|kept| {
                kept.wrap = wrap;
                kept.since_start = time == TimeMode::SinceStart;
                kept.hidden = hidden;
                kept.only_matching = only_matching;
                kept.context = context;
            })
        },
    );
    tools
}
