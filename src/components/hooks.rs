//! The hooks of the components: each one a behaviour of the browser shell
//! by its name, over the pure core in `crate::log_pane`.

mod regex_worker;
mod use_activity;
mod use_batch;
mod use_copy;
mod use_download;
mod use_job_alerts;
mod use_job_watcher;
mod use_novelty;
mod use_now;
mod use_pane_tools;
mod use_permalink;
mod use_reveal;
mod use_search;
mod use_sliced_task;
mod use_stall;
mod use_view;
mod use_viewport;

pub use use_activity::use_activity;
pub use use_batch::{batch_key, use_batch, BatchHandle, BatchRunner};
pub use use_copy::{use_copy, use_copy_lines, Copied, CopyLines};
pub use use_download::{offer_file, use_download};
pub use use_job_alerts::{use_end_notice, use_notice, use_tab, use_tab_state, EndNotice};
pub use use_job_watcher::use_job_watcher;
pub use use_novelty::use_novelty;
pub use use_now::use_now;
pub use use_pane_tools::use_pane_tools;
pub use use_permalink::{extend_link, use_permalink};
pub use use_reveal::{use_reveal, Reveal};
pub use use_search::{use_search, SearchState};
pub use use_stall::use_stall;
pub use use_view::{use_fold_by_outcome, use_view};
pub use use_viewport::{use_viewport, ViewportHandlers, ViewportInput};
