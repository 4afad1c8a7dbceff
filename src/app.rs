//! The application: the yewdux root, the API base every request uses, the
//! job watcher every part follows jobs through, the batch of "Provision
//! many tenants" (run whichever page is open), the router (mounted at the
//! deployment's base path) and what each route shows.

use yew::prelude::*;
use yew_router::prelude::*;
use yewdux::YewduxRoot;

use crate::api::endpoints::ApiBase;
use crate::components::hooks::BatchRunner;
use crate::components::ThemeChoice;
use crate::deployment::{api_base_from_document, basename_from_document};
use crate::pages::{NotFoundPage, TenantDetailPage, TenantsPage};
use crate::route::Route;
use crate::store::job_watcher::shell::JobWatcher;

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Redirect<Route> to={Route::Tenants} /> },
        Route::Tenants => html! { <TenantsPage /> },
        Route::Tenant { tenant_id } => {
            // Keyed by tenant: another tenant's page starts from a fresh component.
            let key = tenant_id.clone();
            html! { <TenantDetailPage {key} tenant_id={AttrValue::from(tenant_id)} /> }
        }
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The API base; `None` reads it from `index.html`.
    #[prop_or_default]
    pub api_base: Option<ApiBase>,
    /// The path the app is mounted under (`/admin/provisioning`); `None`
    /// reads it from `index.html`.
    #[prop_or_default]
    pub basename: Option<AttrValue>,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let api_base = use_memo(props.api_base.clone(), |base| {
        base.clone().unwrap_or_else(api_base_from_document)
    });
    let basename = use_memo(props.basename.clone(), |basename| {
        basename
            .clone()
            .or_else(|| basename_from_document().map(AttrValue::from))
    });
    // The job watcher every part of the app follows jobs through; it stops
    // with the app.
    let watcher = use_memo((*api_base).clone(), |base| JobWatcher::start(base.clone()));
    use_effect_with(watcher.clone(), |watcher| {
        let watcher = (**watcher).clone();
        move || watcher.stop()
    });
    let watcher = (*watcher).clone();
    // The static shell in index.html has been painted while the module
    // loaded; the app replaces it once it has rendered.
    use_effect_with((), |_| {
        if let Some(shell) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("app-shell"))
        {
            shell.remove();
        }
    });
    html! {
        <YewduxRoot>
            <ContextProvider<ApiBase> context={(*api_base).clone()}>
             <ContextProvider<JobWatcher> context={watcher}>
              <BatchRunner>
                <BrowserRouter basename={(*basename).clone()}>
                    <a class="skip-link" href="#main">{ "Skip to content" }</a>
                    <header class="topbar">
                        <span class="brand">{ "Management Portal" }</span>
                        <nav aria-label="Main">
                            <Link<Route> to={Route::Tenants}>{ "Tenants" }</Link<Route>>
                        </nav>
                        <ThemeChoice />
                    </header>
                    <Switch<Route> render={switch} />
                </BrowserRouter>
              </BatchRunner>
             </ContextProvider<JobWatcher>>
            </ContextProvider<ApiBase>>
        </YewduxRoot>
    }
}
