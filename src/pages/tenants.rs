//! `/tenants`: open a tenant by id; provision many tenants at once; the
//! tenants with jobs from this browser
//! and how their newest job stands; the tenants opened lately.

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::TenantId;
use crate::components::{ActivityList, BatchPanel};
use crate::route::Route;
use crate::store::recent_tenants;

#[function_component]
pub fn TenantsPage() -> Html {
    let navigator = use_navigator();
    let input = use_node_ref();
    let problem = use_state(|| None::<String>);
    let recent = use_memo((), |_| recent_tenants::load());

    let onsubmit = {
        let (input, problem) = (input.clone(), problem.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            match TenantId::parse(field.value().trim()) {
                Ok(tenant) => {
                    problem.set(None);
                    if let Some(navigator) = &navigator {
                        navigator.push(&Route::Tenant {
                            tenant_id: tenant.to_string(),
                        });
                    }
                }
                Err(reason) => {
                    problem.set(Some(reason.to_string()));
                    let _ = field.focus();
                }
            }
        })
    };
    html! {
        <main class="page" id="main">
            <h1>{ "Tenants" }</h1>
            <form class="tenant-form" {onsubmit} novalidate=true>
                <label for="tenant-id">{ "Tenant ID" }</label>
                <div class="field-row">
                    <input
                        ref={input}
                        id="tenant-id"
                        name="tenant-id"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="acme-shoes"
                        aria-invalid={problem.is_some().then_some("true")}
                        aria-describedby="tenant-id-help"
                    />
                    <button type="submit" class="button button-primary">{ "Open tenant" }</button>
                </div>
                <p id="tenant-id-help" class={classes!("field-help", problem.is_some().then_some("field-error"))}>
                    { problem.as_deref().unwrap_or("Lowercase letters, digits and “-”, up to 63 characters.") }
                </p>
            </form>
            <BatchPanel />
            <ActivityList />
            <section aria-labelledby="recent-heading">
                <h2 id="recent-heading">{ "Recently opened" }</h2>
                if recent.is_empty() {
                    <p class="muted">{ "No tenants opened yet." }</p>
                } else {
                    <ul class="recent-tenants">
                        { for recent.iter().map(|tenant| html! {
                            <li key={tenant.to_string()}>
                                <Link<Route> to={Route::Tenant { tenant_id: tenant.to_string() }}>{ tenant.to_string() }</Link<Route>>
                            </li>
                        }) }
                    </ul>
                }
            </section>
        </main>
    }
}
