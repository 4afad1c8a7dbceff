//! The portal's routes, below the pages that render them and the app that
//! switches between them. Paths are relative to the base path the
//! deployment mounts the app at (see [`crate::deployment`]).

use yew_router::Routable;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/tenants")]
    Tenants,
    #[at("/tenants/:tenant_id")]
    Tenant { tenant_id: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}
