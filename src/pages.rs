//! One component per route.

pub mod not_found;
pub mod tenant_detail;
pub mod tenants;

pub use not_found::NotFoundPage;
pub use tenant_detail::TenantDetailPage;
pub use tenants::TenantsPage;
