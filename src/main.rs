/// A small allocator for a single-threaded wasm module (smaller than the
/// default dlmalloc, and as fast for this app's allocations).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: the page runs this module on one thread only.
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

fn main() {
    // On a host's page the element script mounts the elements
    // (`store_portal::embedding`); the app is index.html's.
    if store_portal::deployment::is_standalone_page() {
        yew::Renderer::<store_portal::App>::new().render();
    }
}
