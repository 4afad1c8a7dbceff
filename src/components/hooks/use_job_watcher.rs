//! The page's job watcher (`store::job_watcher`), as the app hands it down.

use yew::prelude::*;

use crate::store::job_watcher::shell::JobWatcher;

/// The job watcher the app hands down; a part mounted without the app gets
/// one that asks nothing (it follows no job).
#[hook]
pub fn use_job_watcher() -> JobWatcher {
    use_context::<JobWatcher>().unwrap_or_default()
}
