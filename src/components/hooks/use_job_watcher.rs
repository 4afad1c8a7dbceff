//! The page's job watcher (`store::job_watcher`): the one the app hands
//! down (`JobWatcherRoot`), or, for a part mounted on its own, one of its
//! own that stops with it.

use yew::prelude::*;

use crate::api::endpoints::ApiBase;
use crate::store::job_watcher::shell::JobWatcher;

/// Hands one job watcher, asking the API base of the context, down to its
/// children; it stops when the component goes.
#[function_component]
pub fn JobWatcherRoot(props: &yew::html::ChildrenProps) -> Html {
    let watcher = use_job_watcher();
    html! {
        <ContextProvider<JobWatcher> context={watcher}>
            { props.children.clone() }
        </ContextProvider<JobWatcher>>
    }
}

/// The job watcher handed down, else one of the component's own.
#[hook]
pub fn use_job_watcher() -> JobWatcher {
    let given = use_context::<JobWatcher>();
    let base = use_context::<ApiBase>().unwrap_or_default();
    let own = use_memo((given.clone(), base), |(given, base)| match given {
        Some(_) => None,
        None => Some(JobWatcher::start(base.clone())),
    });
    use_effect_with(own.clone(), |own| {
        let own = (**own).clone();
        move || own.iter().for_each(JobWatcher::stop)
    });
    match (given, (*own).clone()) {
        (Some(watcher), _) | (None, Some(watcher)) => watcher,
        // (The memo starts one whenever none is given.)
        (None, None) => JobWatcher::start(ApiBase::default()),
    }
}
