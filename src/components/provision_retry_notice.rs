//! While "Provision Store" tries again on its own: what went wrong, when the
//! next send goes out, and a way to stop ("The service is busy — trying
//! again in 2 s", Cancel). The countdown is for the eyes only; assistive
//! technology hears the notice once, not every second.

use yew::prelude::*;

use super::hooks::use_now;
use crate::api::ApiError;
use crate::store::ProvisionRetry;
use crate::time_format::seconds_until;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub retry: Option<ProvisionRetry>,
    pub on_cancel: Callback<()>,
}

/// What the user is told held the request up.
pub fn retry_reason(error: &ApiError) -> &'static str {
    match error {
        ApiError::RateLimited { .. } => "The service is busy",
        ApiError::Timeout => "The service is slow to answer",
        ApiError::Network => "Can't reach the service",
        _ => "The service is having trouble",
    }
}

/// "trying again in 2 s", or "trying again now…" once the wait is over.
pub fn countdown(seconds: u64) -> String {
    match seconds {
        0 => "trying again now…".to_owned(),
        n => format!("trying again in {n} s"),
    }
}

#[function_component]
pub fn ProvisionRetryNotice(props: &Props) -> Html {
    let now = use_now(props.retry.is_some());
    let content = props.retry.as_ref().map(|retry| {
        let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
        html! {
            <p class="notice notice-warning">
                <strong>{ retry_reason(&retry.error) }</strong>{ " — " }
                <span aria-hidden="true">{ countdown(seconds_until(retry.retry_at_ms, now)) }</span>
                <span class="visually-hidden">{ "trying again shortly." }</span>
                { " " }
                <button type="button" class="button button-small" onclick={on_cancel}>{ "Cancel" }</button>
            </p>
        }
    });
    html! { <div class="notice-slot" aria-live="polite">{ for content }</div> }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_notice_names_the_trouble_and_the_wait() {
        let busy = ApiError::RateLimited {
            retry_after_ms: Some(2_000),
        };
        assert_eq!(
            format!("{} — {}", retry_reason(&busy), countdown(2)),
            "The service is busy — trying again in 2 s"
        );
        assert_eq!(retry_reason(&ApiError::Network), "Can't reach the service");
        let down = ApiError::ServiceUnavailable {
            status: 503,
            retry_after_ms: None,
        };
        assert_eq!(retry_reason(&down), "The service is having trouble");
        assert_eq!(countdown(0), "trying again now…");
    }
}
