//! The smallest tenant page the design card's packages make: `/tenants/<id>`
//! with a "Provision Store" button that POSTs to the service, decodes the
//! job and shows its status in a `role="status"` region. Nothing else: no
//! polling, no log, no error decoding beyond a message. Its size is the
//! floor under store-portal's first screen (scripts/yew-floor.sh).
use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;
use yewdux::prelude::*;

#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

#[derive(Clone, Routable, PartialEq)]
enum Route {
    #[at("/tenants/:id")]
    Tenant { id: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

#[derive(Deserialize, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Job {
    job_id: String,
    status: String,
    progress: Option<u8>,
}

#[derive(Default, Clone, PartialEq, Store)]
struct Page {
    job: Option<Job>,
    error: Option<String>,
}

#[derive(Properties, PartialEq)]
struct TenantProps {
    id: String,
}

async fn provision(tenant: &str) -> Result<Job, String> {
    use gloo_storage::Storage;
    // A plain string, as the portal's sign-in page stores it.
    let token = gloo_storage::LocalStorage::raw()
        .get_item("token")
        .ok()
        .flatten()
        .ok_or("Sign in first: no token")?;
    let body = serde_json::json!({ "tenantId": tenant }).to_string();
    let response = gloo_net::http::Request::post("/provision/store")
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let text = response.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

#[function_component]
fn TenantPage(props: &TenantProps) -> Html {
    let (page, dispatch) = use_store::<Page>();
    let onclick = {
        let tenant = props.id.clone();
        Callback::from(move |_| {
            let (tenant, dispatch) = (tenant.clone(), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = provision(&tenant).await;
                dispatch.reduce_mut(|page| match outcome {
                    Ok(job) => page.job = Some(job),
                    Err(error) => page.error = Some(error),
                });
            });
        })
    };
    let status = match &page.job {
        Some(job) => format!(
            "{} ({}) {}%",
            job.status,
            job.job_id,
            job.progress.unwrap_or(0)
        ),
        None => "No job yet".to_string(),
    };
    html! {
        <main class="page">
            <h1>{ format!("Tenant {}", props.id) }</h1>
            <button class="button primary" {onclick}>{ "Provision Store" }</button>
            <div role="status">{ status }</div>
            if let Some(error) = &page.error { <p role="alert">{ error }</p> }
        </main>
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Tenant { id } => html! { <TenantPage {id} /> },
        Route::NotFound => html! { <p>{ "Not found" }</p> },
    }
}

#[function_component]
fn App() -> Html {
    // As store-portal does: the static shell of index.html goes once the
    // app has rendered.
    use_effect_with((), |_| {
        let shell = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("app-shell"));
        if let Some(shell) = shell {
            shell.remove();
        }
    });
    html! {
        <BrowserRouter>
            <header class="topbar"><span class="brand">{ "Management Portal" }</span></header>
            <Switch<Route> render={switch} />
        </BrowserRouter>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
