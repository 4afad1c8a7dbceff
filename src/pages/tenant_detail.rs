//! `/tenants/:tenantId`: the tenant detail page, home of store provisioning.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::TenantId;
use crate::components::ProvisioningPanel;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tenant_id: AttrValue,
}

#[function_component]
pub fn TenantDetailPage(props: &Props) -> Html {
    let breadcrumb = html! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <Link<Route> to={Route::Tenants}>{ "Tenants" }</Link<Route>>
            <span aria-hidden="true">{ " / " }</span>
            <span aria-current="page">{ props.tenant_id.to_string() }</span>
        </nav>
    };
    let body = match TenantId::parse(&props.tenant_id) {
        Ok(tenant) => html! {
            <>
                <header class="page-header">
                    <h1>{ tenant.to_string() }</h1>
                    <p class="page-subtitle">{ "Online store provisioning" }</p>
                </header>
                <ProvisioningPanel tenant={tenant} />
            </>
        },
        Err(reason) => html! {
            <>
                <h1>{ "Invalid tenant id" }</h1>
                <div class="alert alert-error" role="alert">
                    { format!("“{}” is not a tenant id. {reason}", props.tenant_id) }
                </div>
                <p><Link<Route> to={Route::Tenants}>{ "Open another tenant" }</Link<Route>></p>
            </>
        },
    };
    html! {
        <main class="page" id="main">
            { breadcrumb }
            { body }
        </main>
    }
}
