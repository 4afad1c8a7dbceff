//! What the reader chose and wants kept across reloads: the log pane's
//! wrapping, timestamps, level filter and "Only matching lines" (with its
//! context), and the page's theme. One
//! versioned localStorage entry (`store-portal.preferences.v1`, JSON through
//! gloo-storage); an entry that is not one (junk, another version's shape)
//! counts as no choice made, and missing fields take their defaults.

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use crate::log_pane::level::PerLevel;

/// The entry's key; `assets/boot.js` reads its `theme` before the app starts
/// (no flash of the other theme), as `crate::boot_facts` tells it.
pub const KEY: &str = "store-portal.preferences.v1";

/// The page's colours: the system's choice, or one the reader made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The value of `<html data-theme>`: none follows the system.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// The choice a `<select>` value names (anything else: the system's).
    pub fn from_value(value: &str) -> Theme {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    pub fn value(self) -> &'static str {
        self.attribute().unwrap_or("system")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Preferences {
    /// "Wrap lines".
    pub wrap: bool,
    /// "Timestamps": since the job's start instead of clock time.
    pub since_start: bool,
    /// Levels hidden by the filter (debug, info, warn, error).
    pub hidden: PerLevel<bool>,
    /// "Only matching lines", and its "Context" (lines either side).
    pub only_matching: bool,
    pub context: usize,
    pub theme: Theme,
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences {
            wrap: false,
            since_start: false,
            hidden: PerLevel::default(),
            only_matching: false,
            context: 2,
            theme: Theme::System,
        }
    }
}

/// The stored choices, or none made.
pub fn load() -> Preferences {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Changes the stored choices by `change`, writing only when it changed
/// something (quietly: a full or refused storage only loses the convenience).
pub fn update(change: impl FnOnce(&mut Preferences)) {
    let kept = load();
    let mut changed = kept;
    change(&mut changed);
    if changed != kept {
        let _ = LocalStorage::set(KEY, changed);
    }
}

/// Shows the page in `theme` (an attribute on `<html>`, which the
/// stylesheet reads).
pub fn apply_theme(theme: Theme) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme.attribute() {
        Some(value) => root.set_attribute("data-theme", value),
        None => root.remove_attribute("data-theme"),
    };
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn read(text: &str) -> Preferences {
        serde_json::from_str(text).unwrap_or_default()
    }

    #[test]
    fn choices_are_stored_as_json_and_read_back() {
        let chosen = Preferences {
            wrap: true,
            since_start: true,
            hidden: PerLevel([true, false, false, false]),
            only_matching: true,
            context: 5,
            theme: Theme::Dark,
        };
        let text = serde_json::to_string(&chosen).unwrap();
        assert_eq!(
            text,
            r#"{"wrap":true,"sinceStart":true,"hidden":[true,false,false,false],"onlyMatching":true,"context":5,"theme":"dark"}"#
        );
        assert_eq!(read(&text), chosen);
    }

    #[test]
    fn junk_and_missing_fields_are_no_choice() {
        for junk in [
            "",
            "null",
            "[1]",
            "{\"wrap\":",
            r#"{"theme":"purple"}"#,
            r#"{"hidden":[1]}"#,
        ] {
            assert_eq!(read(junk), Preferences::default(), "{junk}");
        }
        assert_eq!(
            read(r#"{"wrap":true,"unknown":{"x":1}}"#),
            Preferences {
                wrap: true,
                ..Preferences::default()
            }
        );
    }

    #[test]
    fn themes_name_their_values() {
        for theme in Theme::ALL {
            assert_eq!(Theme::from_value(theme.value()), theme);
        }
        assert_eq!(Theme::from_value("sepia"), Theme::System);
        assert_eq!(Theme::System.attribute(), None);
    }
}
