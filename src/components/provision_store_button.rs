//! The "Provision Store" button. Its accessible name never changes (other
//! parts of the portal find it by that name); while busy it is disabled and
//! shows a spinner.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// A request is in flight or a job runs.
    pub busy: bool,
    pub onclick: Callback<()>,
}

#[function_component]
pub fn ProvisionStoreButton(props: &Props) -> Html {
    let onclick = props.onclick.reform(|_: MouseEvent| ());
    let busy = props.busy;
    html! {
        <button
            type="button"
            class={classes!("button", "button-primary", busy.then_some("is-busy"))}
            disabled={busy}
            aria-busy={busy.then_some("true")}
            {onclick}
        >
            if busy {
                <span class="spinner" aria-hidden="true"></span>
            }
            { "Provision Store" }
        </button>
    }
}
