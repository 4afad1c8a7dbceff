use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;

#[function_component]
pub fn NotFoundPage() -> Html {
    html! {
        <main class="page" id="main">
            <h1>{ "Page not found" }</h1>
            <p>{ "There is nothing at this address." }</p>
            <p><Link<Route> to={Route::Tenants}>{ "Go to tenants" }</Link<Route>></p>
        </main>
    }
}
