//! The four levels the pane filters by, and the class each level name shows
//! with. Names the contract does not list are kept as sent and filtered with
//! "info".

/// A line's level, as the level filter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Debug, Level::Info, Level::Warn, Level::Error];

    /// The level a name is filtered with: `trace` with debug, `warning`
    /// with warn, `fatal`/`critical` with error, anything else with info.
    pub fn of(name: &str) -> Level {
        let name = name.trim();
        let is = |other: &str| name.eq_ignore_ascii_case(other);
        if is("debug") || is("trace") {
            Level::Debug
        } else if is("warn") || is("warning") {
            Level::Warn
        } else if is("error") || is("fatal") || is("critical") {
            Level::Error
        } else {
            Level::Info
        }
    }

    /// The checkbox's name.
    pub fn label(self) -> &'static str {
        match self {
            Level::Debug => "Debug",
            Level::Info => "Info",
            Level::Warn => "Warn",
            Level::Error => "Error",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One value for each level, indexed by [`Level`]: which levels the filter
/// hides (`PerLevel<bool>`), how many lines each has (`PerLevel<usize>`).
/// Stored as an array of four, debug first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct PerLevel<T>(pub [T; 4]);

impl<T> std::ops::Index<Level> for PerLevel<T> {
    type Output = T;

    fn index(&self, level: Level) -> &T {
        &self.0[level.index()]
    }
}

impl<T> std::ops::IndexMut<Level> for PerLevel<T> {
    fn index_mut(&mut self, level: Level) -> &mut T {
        &mut self.0[level.index()]
    }
}

/// The class of a level name: the four the contract names, and one for the rest.
pub fn level_class(name: &str) -> &'static str {
    let is = |other: &str| name.eq_ignore_ascii_case(other);
    if is("debug") {
        "level-debug"
    } else if is("info") {
        "level-info"
    } else if is("warn") || is("warning") {
        "level-warn"
    } else if is("error") {
        "level-error"
    } else {
        "level-other"
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn levels_map_to_classes_and_unknown_ones_to_other() {
        assert_eq!(level_class("info"), "level-info");
        assert_eq!(level_class("WARN"), "level-warn");
        assert_eq!(level_class("error"), "level-error");
        assert_eq!(level_class("notice"), "level-other");
        assert_eq!(level_class(""), "level-other");
    }

    #[test]
    fn names_outside_the_contract_filter_with_the_nearest_level() {
        assert_eq!(Level::of("DEBUG"), Level::Debug);
        assert_eq!(Level::of("trace"), Level::Debug);
        assert_eq!(Level::of("Warning"), Level::Warn);
        assert_eq!(Level::of("fatal"), Level::Error);
        assert_eq!(Level::of("notice"), Level::Info);
        assert_eq!(Level::of(""), Level::Info);
        assert_eq!(
            Level::ALL.map(Level::label),
            ["Debug", "Info", "Warn", "Error"]
        );
    }
}
