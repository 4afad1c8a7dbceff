//! "New in this attempt": the warn and error lines of the attempt on screen
//! whose text (numbers, hex ids, UUIDs, timestamps masked) is in none of the
//! previous attempt's lines, each a link to its line. Decided by
//! `log_pane::novelty`, a slice at a time (`use_novelty`).

use yew::prelude::*;

use super::failure_summary::line_link;
use super::hooks::use_novelty;
use crate::log_pane::failure::pointed;
use crate::log_pane::LogLines;

/// At most this many lines are listed (the count says how many there are).
const LISTED: usize = 100;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lines: LogLines,
    /// The previous attempt's log, when it is on this page.
    pub previous: Option<LogLines>,
    /// The previous attempt's number ("Attempt 1").
    pub previous_number: usize,
}

#[function_component]
pub fn NewInAttempt(props: &Props) -> Html {
    let on = use_state_eq(|| false);
    let found = use_novelty(*on, &props.lines, props.previous.as_ref(), LISTED);
    let ontoggle = {
        let on = on.clone();
        Callback::from(move |_: Event| on.set(!*on))
    };
    let number = props.previous_number;
    html! {
        <section class="new-in-attempt" aria-label="New in this attempt">
            <span class="log-choice">
                <input id="new-in-attempt" type="checkbox" checked={*on} onchange={ontoggle} />
                <label for="new-in-attempt">{ "New in this attempt" }</label>
            </span>
            if *on {
                if props.previous.is_some() {
                    <p class="new-in-attempt-count" role="status">
                        { match (found.comparing, found.total) {
                            (true, _) => format!("Comparing with attempt {number}…"),
                            (false, 0) => format!("No warning or error that attempt {number} did not have."),
                            (false, 1) => format!("1 warning or error that attempt {number} did not have:"),
                            (false, n) => format!("{n} warnings and errors that attempt {number} did not have:"),
                        } }
                    </p>
                    <ul class="failure-lines">
                        { for found.first.iter().filter_map(|&i| pointed(&props.lines, i as usize)).map(|line| line_link(&line)) }
                    </ul>
                    if found.total > LISTED {
                        <p class="muted">{ format!("and {} more", found.total - LISTED) }</p>
                    }
                } else {
                    <p class="new-in-attempt-count" role="status">
                        { format!("Choose attempt {number} in “Attempt” once to compare with it.") }
                    </p>
                }
            }
        </section>
    }
}
