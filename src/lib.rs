//! store-portal: the Store Provisioning feature of the Management Portal.
//!
//! The functional core — the `provisioning-contract` crate, `api::response`,
//! `api::endpoints`, `store::provisioning`, `store::polling_policy`,
//! `store::provision_retry`, `sliced_work`, `deployment`, `time_format` and the log pane's
//! core `log_pane` (storage, windowing, ANSI) — is plain Rust, tested
//! natively with `cargo test`. The
//! rest (components, pages, the HTTP client, the poller, localStorage) is a
//! thin browser shell over it.

pub mod api;
pub mod app;
pub mod boot_facts;
pub mod components;
pub mod deployment;
pub mod embedding;
pub mod log_pane;
pub mod pages;
pub mod route;
pub mod sliced_work;
pub mod store;
pub mod time_format;

pub use app::App;
