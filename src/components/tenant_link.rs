//! A tenant's name that opens its page: a router link in the app; plain
//! text inside a host's page, whose URLs are the host's.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tenant: AttrValue,
}

#[function_component]
pub fn TenantLink(props: &Props) -> Html {
    let tenant = props.tenant.clone();
    if use_navigator().is_none() {
        return html! { <span class="tenant-name">{ tenant }</span> };
    }
    html! {
        <Link<Route> to={Route::Tenant { tenant_id: tenant.to_string() }}>{ tenant }</Link<Route>>
    }
}
