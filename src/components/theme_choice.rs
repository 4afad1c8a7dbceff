//! "Theme" in the top bar: System, Light or Dark, remembered with the
//! other preferences; the page follows the system's choice until one is made.

use yew::prelude::*;

use crate::store::preferences::{self, Theme};

#[function_component]
pub fn ThemeChoice() -> Html {
    let theme = use_state_eq(|| preferences::load().theme);
    {
        let theme = *theme;
        use_effect_with(theme, move |theme| preferences::apply_theme(*theme));
    }
    let onchange = {
        let theme = theme.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let chosen = Theme::from_value(&select.value());
                preferences::update(|kept| kept.theme = chosen);
                theme.set(chosen);
            }
        })
    };
    html! {
        <span class="theme-choice">
            <label for="theme-choice">{ "Theme" }</label>
            <select id="theme-choice" {onchange}>
                { for Theme::ALL.into_iter().map(|choice| html! {
                    <option value={choice.value()} selected={choice == *theme}>{ choice.label() }</option>
                }) }
            </select>
        </span>
    }
}
