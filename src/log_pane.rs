//! The log pane's core: how a job's log is held (`lines`: compact,
//! append-only, shared), which rows are on screen (`window`) and how ANSI
//! colour codes become styles (`ansi`). Plain Rust, tested natively; the
//! component `components::ProvisioningLogs` is a thin shell over it.

pub mod ansi;
pub mod lines;
pub mod window;

pub use lines::{LineRef, LogLines, ShownLine};
