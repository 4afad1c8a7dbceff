//! Tells the user that following the job ran into trouble, and what happens
//! next: "Connection lost — retrying in 8 s", or what to do when only they
//! can put it right.

use yew::prelude::*;

use super::hooks::use_now;
use crate::store::PollTrouble;
use crate::time_format::seconds_until;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub trouble: Option<PollTrouble>,
    /// Try again now (after polling stopped).
    pub on_retry: Callback<()>,
}

#[function_component]
pub fn PollTroubleNotice(props: &Props) -> Html {
    let retrying = props
        .trouble
        .as_ref()
        .is_some_and(|t| t.retry_at_ms.is_some());
    let now = use_now(retrying);
    let Some(trouble) = &props.trouble else {
        return html! { <div class="notice-slot" aria-live="polite"></div> };
    };
    let content = match trouble.retry_at_ms {
        Some(at) => {
            let seconds = seconds_until(at, now);
            let when = if seconds == 0 {
                "retrying now…".to_owned()
            } else {
                format!("retrying in {seconds} s")
            };
            html! {
                <p class="notice notice-warning">
                    <strong>{ trouble.error.headline() }</strong>{ " — " }
                    // Counted down for the eyes; announced once.
                    <span aria-hidden="true">{ when }</span>
                    <span class="visually-hidden">{ "retrying shortly." }</span>
                    <span class="notice-detail">{ trouble.error.to_string() }</span>
                </p>
            }
        }
        None => {
            let on_retry = props.on_retry.reform(|_: MouseEvent| ());
            html! {
                <p class="notice notice-error" role="alert">
                    <strong>{ trouble.error.headline() }</strong>{ " — " }{ trouble.error.to_string() }
                    { " " }
                    <button type="button" class="button button-small" onclick={on_retry}>{ "Check again" }</button>
                </p>
            }
        }
    };
    html! { <div class="notice-slot" aria-live="polite">{ content }</div> }
}
