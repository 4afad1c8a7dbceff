//! A part of the page whose code comes later: in a split build
//! (`--features split`, then `scripts/split-wasm.sh`) a `split_point!`
//! function lives in a chunk of its own, fetched (with its SRI hash) the
//! first time it is called; elsewhere it is a plain async function of the one
//! module. `use_lazy_part` calls it after the first render in which the part
//! is wanted (at once for a part of the first screen, so right after the
//! page is interactive; when first used for one that is not), and says
//! whether the code is on its way, here, or could not be fetched (with a
//! retry: a failed load is not remembered, so trying again fetches again).

use std::future::Future;

use yew::prelude::*;

/// The chunk holding a part's code could not be fetched or compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartUnavailable;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for PartUnavailable {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        PartUnavailable
    }
}

/// `split_point!(chunk, fn name() -> T { value })`: an async `name()` that
/// gives `Ok(value)` once the chunk `chunk` is loaded (at once without the
/// `split` feature), or `Err(PartUnavailable)`. Everything only `value`
/// reaches goes into the chunk. It also names the split point in the
/// module's `SPLIT_POINT` (one split point a module), the part named in
/// index.html's chunk list and in what boot.js preloads (`boot_facts`).
macro_rules! split_point {
    ($chunk:ident, $(#[$doc:meta])* $vis:vis fn $name:ident() -> $ty:ty $body:block) => {
        /// This module's split point, as the split build names its chunk.
        pub const SPLIT_POINT: &str = stringify!($chunk);

        $(#[$doc])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($chunk, fallible)]
        $vis fn $name() -> Result<$ty, $crate::components::lazy_part::PartUnavailable> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name() -> Result<$ty, $crate::components::lazy_part::PartUnavailable> {
            Ok($body)
        }
    };
}
pub(crate) use split_point;

/// Where a part's code is.
#[derive(Clone)]
pub enum LazyPart<T> {
    Loading,
    Ready(T),
    /// Not loaded; the callback tries again.
    Failed(Callback<MouseEvent>),
}

/// Loads a part's code (a `split_point!` function) after the first render
/// in which `wanted` is true, once.
#[hook]
pub fn use_lazy_part<T, F>(load: fn() -> F, wanted: bool) -> LazyPart<T>
where
    T: Clone + 'static,
    F: Future<Output = Result<T, PartUnavailable>> + 'static,
{
    // `None`: not asked for yet, or on its way.
    let code = use_state(|| None::<Result<T, PartUnavailable>>);
    let asked = use_mut_ref(|| false);
    let start = {
        let code = code.clone();
        use_callback((), move |(), _| {
            code.set(None);
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move { code.set(Some(load().await)) });
        })
    };
    {
        let start = start.clone();
        use_effect_with(wanted, move |wanted| {
            if *wanted && !asked.replace(true) {
                start.emit(());
            }
        });
    }
    match &*code {
        None => LazyPart::Loading,
        Some(Ok(value)) => LazyPart::Ready(value.clone()),
        Some(Err(PartUnavailable)) => LazyPart::Failed(start.reform(|_| ())),
    }
}

/// What a part shows in its place when its code could not be fetched.
pub fn unavailable(retry: Callback<MouseEvent>) -> Html {
    html! {
        <p class="alert alert-error" role="alert">
            { "This part of the page could not be loaded. Check the connection, then try again. " }
            <button type="button" class="button button-small" onclick={retry}>{ "Try again" }</button>
        </p>
    }
}
