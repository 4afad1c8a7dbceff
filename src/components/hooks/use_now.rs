//! A clock for components: the current time, re-rendering every second while
//! `ticking` (for elapsed times and countdowns).

use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Milliseconds since the epoch; the component re-renders each second while `ticking`.
#[hook]
pub fn use_now(ticking: bool) -> f64 {
    let update = use_force_update();
    use_effect_with(ticking, move |ticking| {
        let interval = ticking.then(|| Interval::new(1_000, move || update.force_update()));
        move || drop(interval)
    });
    js_sys::Date::now()
}
