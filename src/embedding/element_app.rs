//! The app of one element: what the tenant page shows below its heading,
//! or "Provision many tenants", with no router (the host owns the URL), no
//! top bar, and its host told of each change.
//!
//! Elements share what the page holds once: the yewdux stores (the
//! tenants' attempts, the batch), so two elements for one tenant show one
//! job and make one POST; and a job watcher per API base, started by the
//! first element that uses it and stopped with the last
//! (`JobWatcher::shared`).

use wasm_bindgen::JsValue;
use yew::prelude::*;
use yew::AppHandle;
use yewdux::prelude::*;

use super::{api_base, batch_counts, Announcer, Shows, TenantChange, CHANGE_EVENT};
use crate::api::endpoints::ApiBase;
use crate::api::TenantId;
use crate::components::hooks::BatchRunner;
use crate::components::lazy_part::split_point;
use crate::components::{BatchPanel, ProvisioningPanel};
use crate::store::batch::{BatchState, Tally};
use crate::store::job_watcher::shell::JobWatcher;
use crate::store::{preferences, ProvisioningState};

/// The custom element an app is mounted in: parts that would act on the
/// page (its title and icon, its theme) act on this instead, or not at all.
#[derive(Clone, PartialEq)]
pub struct HostElement(pub web_sys::HtmlElement);

impl HostElement {
    /// Dispatches `provisioning-change` on the element (bubbling out of the
    /// shadow root) with `detail`.
    fn announce(&self, detail: &js_sys::Object) {
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(CHANGE_EVENT, &init) {
            let _ = self.0.dispatch_event(&event);
        }
    }
}

/// What an element shows, where it asks, and the element itself.
#[derive(Clone, PartialEq)]
pub struct ElementView {
    pub shows: Shows,
    pub api_base: ApiBase,
    pub host: HostElement,
}

#[derive(Properties, PartialEq)]
pub struct ElementProps {
    /// `None`: the element is off the page, and its app shows nothing.
    pub view: Option<ElementView>,
}

impl ElementView {
    /// What `host` asks for: its tag and attributes, read now.
    fn read(host: &web_sys::HtmlElement) -> ElementView {
        let tag = host.tag_name().to_ascii_lowercase();
        ElementView {
            shows: Shows::read(&tag, host.get_attribute("tenant-id").as_deref()),
            api_base: api_base(host.get_attribute("api-base").as_deref()),
            host: HostElement(host.clone()),
        }
    }
}

/// An element's mounted app, as the shell holds it.
pub trait MountedApp {
    /// Shows what `host` asks for now; `None`: nothing (everything the app
    /// started ends).
    fn show(&mut self, host: Option<&web_sys::HtmlElement>);
}

impl MountedApp for AppHandle<ElementApp> {
    fn show(&mut self, host: Option<&web_sys::HtmlElement>) {
        self.update(ElementProps {
            view: host.map(ElementView::read),
        });
    }
}

/// Mounts `host`'s app in `root`.
pub type Mount = fn(web_sys::Element, &web_sys::HtmlElement) -> Box<dyn MountedApp>;

split_point!(
    embedding,
    /// The elements' app, in a chunk of its own in a split build: the
    /// standalone app never fetches it.
    pub fn element_app_code() -> Mount {
        |root, host| {
            let props = ElementProps {
                view: Some(ElementView::read(host)),
            };
            Box::new(yew::Renderer::<ElementApp>::with_root_and_props(root, props).render())
        }
    }
);

#[function_component]
pub fn ElementApp(props: &ElementProps) -> Html {
    match &props.view {
        Some(view) => html! { <ElementScope view={view.clone()} /> },
        None => Html::default(),
    }
}

#[derive(Properties, PartialEq)]
struct ScopeProps {
    view: ElementView,
}

#[function_component]
fn ElementScope(props: &ScopeProps) -> Html {
    let view = &props.view;
    let shared = use_memo(view.api_base.clone(), |base| {
        JobWatcher::shared(base.clone())
    });
    // The reader's theme, on the element (the stylesheet's `:host([data-theme])`).
    use_effect_with(view.host.clone(), |host| {
        preferences::apply_theme_on(&host.0, preferences::load().theme);
    });
    let body = match &view.shows {
        Shows::Tenant(tenant) => html! {
            <>
                <ProvisioningPanel key={tenant.to_string()} tenant={tenant.clone()} />
                <TenantAnnouncer tenant={tenant.clone()} />
            </>
        },
        Shows::Batch => html! {
            <BatchRunner>
                <BatchPanel />
                <BatchAnnouncer />
            </BatchRunner>
        },
        Shows::Problem(problem) => html! {
            <div class="alert alert-error" role="alert">{ problem.clone() }</div>
        },
    };
    html! {
        <ContextProvider<ApiBase> context={view.api_base.clone()}>
            <ContextProvider<JobWatcher> context={shared.watcher().clone()}>
                <ContextProvider<HostElement> context={view.host.clone()}>
                    <div class="embedded">{ body }</div>
                </ContextProvider<HostElement>>
            </ContextProvider<JobWatcher>>
        </ContextProvider<ApiBase>>
    }
}

fn set(detail: &js_sys::Object, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(detail, &JsValue::from_str(name), value);
}

#[derive(Properties, PartialEq)]
struct TenantAnnouncerProps {
    tenant: TenantId,
}

/// `provisioning-change` with `{ tenantId, jobId, status }` whenever the
/// tenant's newest job changes status (and once for the job it shows first).
#[function_component]
fn TenantAnnouncer(props: &TenantAnnouncerProps) -> Html {
    let host = use_context::<HostElement>();
    let change = use_selector_with_deps(
        |state: &ProvisioningState, tenant: &TenantId| {
            state
                .tenant(tenant)
                .and_then(|entry| TenantChange::of(tenant, entry))
        },
        props.tenant.clone(),
    );
    let announcer = use_mut_ref(Announcer::<TenantChange>::default);
    use_effect_with(change, move |change| {
        let told = announcer.borrow_mut().next((**change).clone());
        if let (Some(change), Some(host)) = (told, host) {
            let detail = js_sys::Object::new();
            set(&detail, "tenantId", &change.tenant_id.as_str().into());
            set(&detail, "jobId", &change.job_id.as_str().into());
            let status = change
                .status
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str);
            set(&detail, "status", &status);
            host.announce(&detail);
        }
    });
    Html::default()
}

/// `provisioning-change` with the batch summary's counts
/// (`{ deployed, failed, expired, running, waiting }`) whenever they change.
#[function_component]
fn BatchAnnouncer() -> Html {
    let host = use_context::<HostElement>();
    let tally = use_selector(|state: &BatchState| state.batch.as_ref().map(|b| b.tally()));
    let announcer = use_mut_ref(Announcer::<Tally>::default);
    use_effect_with(tally, move |tally| {
        if let (Some(tally), Some(host)) = (announcer.borrow_mut().next(**tally), host) {
            let detail = js_sys::Object::new();
            for (name, count) in batch_counts(&tally) {
                set(&detail, name, &JsValue::from_f64(count as f64));
            }
            host.announce(&detail);
        }
    });
    Html::default()
}
