//! The job on screen, told outside the page: the tab's title and icon
//! follow its state (`store::job_alerts`), and a desktop notification says
//! how it ended when the reader asked for one and the tab is hidden.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::use_job_watcher;
use crate::api::{JobStatus, Progress, TenantId};
use crate::embedding::element_app::HostElement;
use crate::store::job_alerts::{ending, title, Ending, NotifyChoice, TabIcon, PLAIN_TITLE};
use crate::store::job_watcher::shell::{
    tab_hidden, Heard, JobListener, JobWatcher, SharedWatcher, Subscription,
};
use crate::store::job_watcher::{Interest, Pace};

/// `<meta name="store-portal-favicons" data-running="favicon-running-….svg" …>`,
/// written by the build.
const FAVICONS_META: &str = "store-portal-favicons";

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Shows `icon` in the tab: the build's file for its state, beside the
/// page's own icon (whose address is kept to come back to).
fn show_icon(icon: TabIcon) {
    let Some(document) = document() else { return };
    let Ok(Some(link)) = document.query_selector("link[rel=\"icon\"]") else {
        return;
    };
    if link.get_attribute("data-plain").is_none() {
        let _ = link.set_attribute(
            "data-plain",
            &link.get_attribute("href").unwrap_or_default(),
        );
    }
    let plain = link.get_attribute("data-plain").unwrap_or_default();
    let file = icon.attribute().and_then(|attribute| {
        document
            .query_selector(&format!("meta[name=\"{FAVICONS_META}\"]"))
            .ok()
            .flatten()?
            .get_attribute(attribute)
            .filter(|name| !name.is_empty())
    });
    let href = match (file, plain.rsplit_once('/')) {
        (Some(file), Some((dir, _))) => format!("{dir}/{file}"),
        (Some(file), None) => file,
        (None, _) => plain,
    };
    if link.get_attribute("href").as_deref() != Some(href.as_str()) {
        let _ = link.set_attribute("href", &href);
    }
}

/// The tab's title and icon say the state of `tenant`'s job; the page's own
/// come back when the tenant's page is left.
#[hook]
pub fn use_tab_state(tenant: &TenantId, status: Option<&JobStatus>, progress: Option<&Progress>) {
    use_tab(title(tenant, status, progress), TabIcon::of(status));
}

/// The tab shows `text` and `icon` while the component is mounted; the
/// page's own come back after.
#[hook]
pub fn use_tab(text: String, icon: TabIcon) {
    // In a host's page the tab is the host's.
    let own_tab = use_context::<HostElement>().is_none();
    use_effect_with((text, icon, own_tab), |(text, icon, own_tab)| {
        if let (Some(document), true) = (document(), *own_tab) {
            document.set_title(text);
            show_icon(*icon);
        }
    });
    use_effect_with(own_tab, |&own_tab| {
        move || {
            if let (Some(document), true) = (document(), own_tab) {
                document.set_title(PLAIN_TITLE);
                show_icon(TabIcon::Plain);
            }
        }
    });
}

/// The browser's `Notification.permission`, or `None` where there are no
/// notifications (an old browser, an insecure context).
fn permission() -> Option<String> {
    let global = js_sys::global();
    let constructor = js_sys::Reflect::get(&global, &JsValue::from_str("Notification")).ok()?;
    if constructor.is_undefined() {
        return None;
    }
    js_sys::Reflect::get(&constructor, &JsValue::from_str("permission"))
        .ok()?
        .as_string()
}

/// Raises the notification; a click on it brings the tab forward.
fn notify(text: &str, body: &str, tag: &str) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    let Ok(shown) = web_sys::Notification::new_with_options(text, &options) else {
        return;
    };
    let target = shown.clone();
    EventListener::once(&shown, "click", move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
        }
        target.close();
    })
    .forget();
}

/// "Notify me when it ends": the reader's choice and how to change it.
pub struct EndNotice {
    pub choice: NotifyChoice,
    pub toggle: Callback<()>,
}

/// A job still followed after its view went, for the notification the
/// reader asked for ([`NotifyChoice::follows_after_leaving`]).
struct EndWatch {
    job_id: Rc<str>,
    _subscription: Subscription,
    /// A host page's shared watcher runs until this is told.
    _hold: Option<SharedWatcher>,
}

thread_local! {
    static END_WATCHES: RefCell<Vec<EndWatch>> = const { RefCell::new(Vec::new()) };
}

/// Hears the job's heads until it ends, then raises its notification.
struct EndListener {
    tenant: TenantId,
    job_id: Rc<str>,
    last: RefCell<Option<JobStatus>>,
}

impl JobListener for EndListener {
    fn heard(&self, heard: &Heard) {
        let done = match heard.result {
            Ok(job) => {
                let before = self.last.replace(Some(job.status.clone()));
                let message = job.error.as_ref().map(|e| e.message.as_str());
                if let Some(told) =
                    ending(&self.tenant, before.as_ref(), Some(&job.status), message)
                {
                    notify(&told.title, &told.body, &self.job_id);
                }
                job.status.is_final()
            }
            // Forgotten, refused or signed out: nothing more to wait for.
            Err(error) => !error.worth_trying_again(),
        };
        if done {
            // After the watcher is done telling.
            let job_id = self.job_id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                drop(take_end_watch(&job_id));
            });
        }
    }
}

/// Follows `job_id` (heads every 5 s) until it ends, to notify; `hold`
/// keeps a host page's shared watcher running meanwhile.
fn follow_to_the_end(
    watcher: &JobWatcher,
    hold: Option<SharedWatcher>,
    tenant: TenantId,
    job_id: Rc<str>,
    status: JobStatus,
) {
    let listener = Rc::new(EndListener {
        tenant,
        job_id: job_id.clone(),
        last: RefCell::new(Some(status)),
    });
    let interest = Interest {
        lines: false,
        pace: Pace::Every(END_WATCH_EVERY_MS),
    };
    let watch = EndWatch {
        _subscription: watcher.subscribe_heard(&job_id, interest, listener),
        _hold: hold,
        job_id,
    };
    END_WATCHES.with(|watches| watches.borrow_mut().push(watch));
}

/// The end watch of `job_id`, taken out, if there is one.
fn take_end_watch(job_id: &str) -> Option<EndWatch> {
    END_WATCHES.with(|watches| {
        let mut watches = watches.borrow_mut();
        let at = watches.iter().position(|w| &*w.job_id == job_id)?;
        Some(watches.remove(at))
    })
}

/// How often a job whose view went is asked about.
const END_WATCH_EVERY_MS: u32 = 5_000;

/// When the job `job_id` of `tenant` ends (seen going from running to
/// final on this page) while the tab is hidden, and the reader asked, one
/// notification says how. If the view goes first, the job is followed to
/// its end and the notification comes however the tab stands; the view
/// back, it takes over again (the choice kept).
#[hook]
pub fn use_end_notice(
    tenant: &TenantId,
    job_id: Option<&str>,
    status: Option<&JobStatus>,
    error_message: Option<&str>,
) -> EndNotice {
    let notice = use_news_notice(tenant, job_id, status, error_message);
    let watcher = use_job_watcher();
    // What the view shows last, for its unmount.
    let latest = use_mut_ref(|| None::<(Rc<str>, Option<JobStatus>, NotifyChoice)>);
    *latest.borrow_mut() = job_id.map(|id| (Rc::from(id), status.cloned(), notice.choice));
    // While the reader waits for the end, a hold on a host page's shared
    // watcher: the element's own may go before this view's unmount runs.
    let hold = use_mut_ref(|| None::<SharedWatcher>);
    {
        let mut hold = hold.borrow_mut();
        match (notice.choice.follows_after_leaving(status), hold.is_some()) {
            (true, false) => *hold = watcher.hold(),
            (false, true) => *hold = None,
            _ => {}
        }
    }
    {
        let (tenant, latest) = (tenant.clone(), latest.clone());
        use_effect_with((), move |_| {
            move || {
                let Some((job_id, status, choice)) = latest.borrow_mut().take() else {
                    return;
                };
                let hold = hold.borrow_mut().take();
                if let (true, Some(status)) =
                    (choice.follows_after_leaving(status.as_ref()), status)
                {
                    follow_to_the_end(&watcher, hold, tenant, job_id, status);
                }
            }
        });
    }
    // Back on the job's view: it takes over, "Notify me" still on.
    {
        let toggle = notice.toggle.clone();
        use_effect_with(job_id.map(Rc::<str>::from), move |job_id| {
            if job_id.as_deref().and_then(take_end_watch).is_some() {
                toggle.emit(());
            }
        });
    }
    notice
}

/// [`use_end_notice`] while its view is there.
#[hook]
fn use_news_notice(
    tenant: &TenantId,
    job_id: Option<&str>,
    status: Option<&JobStatus>,
    error_message: Option<&str>,
) -> EndNotice {
    // The status last seen, and of which job.
    let seen = use_mut_ref(|| None::<(Rc<str>, Option<JobStatus>)>);
    let news = {
        let mut seen = seen.borrow_mut();
        let before = seen
            .as_ref()
            .filter(|(id, _)| Some(&**id) == job_id)
            .and_then(|(_, status)| status.clone());
        let news = job_id.and_then(|id| {
            ending(tenant, before.as_ref(), status, error_message).map(|e| (Rc::<str>::from(id), e))
        });
        *seen = job_id.map(|id| (id.into(), status.cloned()));
        news
    };
    use_notice(news)
}

/// "Notify me when it ends" for anything that ends: `news` is what ended
/// since the last render, and the notification's tag. When there is news
/// while the tab is hidden and the reader asked, one notification says it.
/// Permission is asked for only when the reader presses the control.
#[hook]
pub fn use_notice(news: Option<(Rc<str>, Ending)>) -> EndNotice {
    let choice = use_state_eq(|| NotifyChoice::Off);
    {
        let choice = *choice;
        use_effect_with(news.as_ref().map(|(id, _)| id.clone()), move |_| {
            if let (Some((id, told)), NotifyChoice::On, true) = (news, choice, tab_hidden()) {
                notify(&told.title, &told.body, &id);
            }
        });
    }
    let toggle = {
        let choice = choice.clone();
        let asking: Rc<RefCell<bool>> = use_mut_ref(|| false);
        Callback::from(move |()| {
            let now = match (*choice, permission().as_deref()) {
                (NotifyChoice::On, _) => NotifyChoice::Off,
                (_, None) => NotifyChoice::Unsupported,
                (_, Some("granted")) => NotifyChoice::On,
                (_, Some("denied")) => NotifyChoice::Denied,
                (_, Some(_)) => {
                    if asking.replace(true) {
                        return;
                    }
                    let (choice, asking) = (choice.clone(), asking.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let answer = match web_sys::Notification::request_permission() {
                            Ok(asked) => wasm_bindgen_futures::JsFuture::from(asked).await.ok(),
                            Err(_) => None,
                        };
                        *asking.borrow_mut() = false;
                        let answer = answer.and_then(|a| a.as_string()).unwrap_or_default();
                        choice.set(NotifyChoice::after_asking(&answer));
                    });
                    NotifyChoice::Asking
                }
            };
            choice.set(now);
        })
    };
    EndNotice {
        choice: *choice,
        toggle,
    }
}
