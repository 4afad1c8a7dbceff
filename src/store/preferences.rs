//! What the reader chose and wants kept across reloads: the log pane's
//! wrapping, timestamps, level filter and "Only matching lines" (with its
//! context), and the page's theme. One kept entry
//! (`store-portal.preferences.v1`, `store::kept`); an entry that is not
//! one (junk, another version's shape) counts as no choice made, and
//! missing fields take their defaults.

use serde::{Deserialize, Serialize};

use super::kept;
use crate::log_pane::level::PerLevel;

/// The entry's key; `assets/boot.js` reads its `theme` before the app starts
/// (no flash of the other theme), as `crate::boot_facts` tells it.
pub const KEY: &str = "store-portal.preferences.v1";

static ENTRY: kept::Entry<Preferences> = kept::Entry::new(KEY);

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
    ENTRY.read_or_default()
}

/// Changes the stored choices by `change`, writing only when it changed
/// something.
pub fn update(change: impl FnOnce(&mut Preferences)) {
    let kept = load();
    let mut changed = kept;
    change(&mut changed);
    if changed != kept {
        ENTRY.write(&changed);
    }
}

/// Shows the page in `theme` (an attribute on `<html>`, which the
/// stylesheet reads).
pub fn apply_theme(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        apply_theme_on(&root, theme);
    }
}

/// Shows `root` (the page, or an element in a host's page) in `theme`.
pub fn apply_theme_on(root: &web_sys::Element, theme: Theme) {
    let _ = match theme.attribute() {
        Some(value) => root.set_attribute("data-theme", value),
        None => root.remove_attribute("data-theme"),
    };
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::store::kept::tests::Map;

    /// What a page reads when the entry holds `text`.
    fn read(text: &str) -> Preferences {
        ENTRY
            .read_on(&Map::with(&[(KEY, text)]))
            .unwrap_or_default()
    }

    /// The exact text earlier builds wrote: it reads, and is written again
    /// the same (`assets/boot.js` reads its `theme`).
    #[test]
    fn the_entries_earlier_builds_wrote_still_read() {
        let written = [
            (
                r#"{"wrap":false,"sinceStart":false,"hidden":[false,false,false,false],"onlyMatching":false,"context":2,"theme":"system"}"#,
                Preferences::default(),
            ),
            (
                r#"{"wrap":true,"sinceStart":false,"hidden":[true,false,false,true],"onlyMatching":true,"context":0,"theme":"light"}"#,
                Preferences {
                    wrap: true,
                    since_start: false,
                    hidden: PerLevel([true, false, false, true]),
                    only_matching: true,
                    context: 0,
                    theme: Theme::Light,
                },
            ),
        ];
        for (text, chosen) in written {
            assert_eq!(read(text), chosen);
            let shelf = Map::default();
            ENTRY.write_on(&shelf, &chosen);
            assert_eq!(shelf.text_at(KEY).unwrap(), text);
        }
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
