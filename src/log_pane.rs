//! The log pane's core: how a job's log is held (`lines`: compact,
//! append-only, shared), which rows it shows (`view`: level filter, step
//! groups, wrapping) and which of them are on screen (`window`), how a row's
//! text is laid out (`row_text`: styles and OSC 8 links from `ansi`,
//! links from `links`, search marks, columns from `display_width`), search over the whole log (`search`; regular expressions chunked for a Worker by `pattern_scan`), line links
//! (`permalink`), the download (`export`) and stalls (`stall`). Plain Rust,
//! tested natively; `components::ProvisioningLogs` is a thin shell over it.

pub mod ansi;
pub mod count_text;
pub mod display_width;
pub mod export;
pub mod failure;
pub mod follow;
pub mod level;
pub mod lines;
pub mod links;
pub mod novelty;
pub mod pattern_scan;
pub mod permalink;
pub mod row_text;
pub mod search;
pub mod stall;
pub mod steps;
pub mod tools;
pub mod view;
pub mod window;

pub use lines::{LineRef, LogLines};
