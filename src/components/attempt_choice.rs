//! "Attempt": the tenant's attempts this browser knows, newest first; the
//! one chosen is shown (its status and whole log).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::store::TenantProvisioning;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Each attempt's label and job id, newest first.
    pub choices: Vec<(AttrValue, AttrValue)>,
    /// The job id on screen.
    pub shown: Option<AttrValue>,
    pub on_choose: Callback<String>,
}

/// The labels of `entry`'s attempts, newest first, with their job ids: a
/// job read on this page says its own state.
pub fn choices(entry: &TenantProvisioning) -> Vec<(AttrValue, AttrValue)> {
    let count = entry.attempts.len();
    entry
        .attempts
        .iter()
        .enumerate()
        .map(|(i, attempt)| {
            (
                AttrValue::from(attempt.label(count - i)),
                AttrValue::from(attempt.job_id().to_owned()),
            )
        })
        .collect()
}

#[function_component]
pub fn AttemptChoice(props: &Props) -> Html {
    if props.choices.len() < 2 {
        return html! {};
    }
    let onchange = props.on_choose.reform(|event: Event| {
        event
            .target_dyn_into::<HtmlSelectElement>()
            .map(|select| select.value())
            .unwrap_or_default()
    });
    html! {
        <div class="attempt-choice">
            <label for="attempt-choice">{ "Attempt" }</label>
            <select id="attempt-choice" {onchange}>
                { for props.choices.iter().map(|(text, id)| html! {
                    <option value={id.clone()} selected={props.shown.as_ref() == Some(id)}>{ text.clone() }</option>
                }) }
            </select>
        </div>
    }
}
