//! What the browser keeps across reloads, one typed localStorage entry at
//! a time. An [`Entry`] is a key, which names its version (`….v2`), and a
//! serde type with named fields, kept as JSON. Reading gives the value, or
//! none when the entry is missing or junk (the reader takes its default);
//! an entry that an earlier version wrote under other keys is read once,
//! through a function of the entry's own, and replaced by this one. A
//! write is quiet: a full or refused storage only loses what the entry is
//! for. A value that may be junk inside an entry is a [`Lenient`], so it
//! is dropped without the rest.
//!
//! The browser side is gloo-storage's `LocalStorage`, or nothing where the
//! browser refuses storage; the rules run over a `Shelf`, so they are
//! tested natively on a map.

use gloo_storage::{LocalStorage, Storage};
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// Reads the texts of an earlier version's keys (none where missing) as
/// today's value; none when they hold nothing worth keeping.
pub type FromEarlier<T> = fn(&[Option<String>]) -> Option<T>;

/// One localStorage entry holding a `T`.
pub struct Entry<T> {
    key: &'static str,
    earlier: &'static [&'static str],
    from_earlier: FromEarlier<T>,
}

impl<T> Entry<T> {
    /// The entry under `key`.
    pub const fn new(key: &'static str) -> Self {
        Entry {
            key,
            earlier: &[],
            from_earlier: nothing,
        }
    }

    /// The entry under `key`, replacing the entries an earlier version kept
    /// under `earlier`, which `from_earlier` reads.
    pub const fn replacing(
        key: &'static str,
        earlier: &'static [&'static str],
        from_earlier: FromEarlier<T>,
    ) -> Self {
        Entry {
            key,
            earlier,
            from_earlier,
        }
    }
}

fn nothing<T>(_: &[Option<String>]) -> Option<T> {
    None
}

impl<T: Serialize + DeserializeOwned> Entry<T> {
    /// The value kept, or none (missing, or junk).
    pub fn read(&self) -> Option<T> {
        self.read_from(&Browser)
    }

    /// The value kept, or the default.
    pub fn read_or_default(&self) -> T
    where
        T: Default,
    {
        self.read().unwrap_or_default()
    }

    /// Keeps `value`, quietly.
    pub fn write(&self, value: &T) {
        self.write_to(&Browser, value);
    }

    /// Forgets the entry (and an earlier version's).
    pub fn clear(&self) {
        Browser.delete(self.key);
        self.forget_earlier(&Browser);
    }

    fn read_from(&self, shelf: &impl Shelf) -> Option<T> {
        if let Some(value) = shelf.get(self.key) {
            return Some(value);
        }
        let texts: Vec<Option<String>> = self.earlier.iter().map(|key| shelf.text(key)).collect();
        if texts.iter().all(Option::is_none) {
            return None;
        }
        // Read once: the earlier entries give way to this one, or, junk,
        // are dropped (kept while storage refuses the new entry).
        let value = (self.from_earlier)(&texts);
        match &value {
            Some(value) => self.write_to(shelf, value),
            None => self.forget_earlier(shelf),
        }
        value
    }

    fn write_to(&self, shelf: &impl Shelf, value: &T) {
        if shelf.set(self.key, value) {
            self.forget_earlier(shelf);
        }
    }

    fn forget_earlier(&self, shelf: &impl Shelf) {
        for key in self.earlier {
            shelf.delete(key);
        }
    }
}

/// A value inside an entry that may be junk: `Some` when it reads as a
/// `T`, else none, and the rest of the entry still reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lenient<T>(pub Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The value's text first (any JSON), then the value from it: a
        // value that is not a `T` leaves the reader past it.
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Ok(Lenient(decode(raw.get())))
    }
}

/// `text` (JSON) as a `T`, or none.
pub fn decode<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

/// Keeps `value` under `key`, quietly: a value that is no entry of its
/// own (a batch command, a time a tab shows the batch).
pub fn put<T: Serialize + ?Sized>(key: &str, value: &T) {
    Browser.set(key, value);
}

/// The texts kept under the keys that start with `prefix`, each removed as
/// it is taken.
pub fn take_all(prefix: &str) -> Vec<String> {
    if storage().is_none() {
        return Vec::new();
    }
    let keys: Vec<String> = (0..LocalStorage::length())
        .filter_map(|at| LocalStorage::raw().key(at).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect();
    keys.iter()
        .filter_map(|key| {
            let text = Browser.text(key);
            Browser.delete(key);
            text
        })
        .collect()
}

/// Where entries are kept: text under a key.
trait Shelf {
    fn text(&self, key: &str) -> Option<String>;
    fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T>;
    /// Whether `value` was kept.
    fn set<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> bool;
    fn delete(&self, key: &str);
}

/// The browser's localStorage, through gloo-storage.
struct Browser;

/// Whether the browser lets the page keep anything (it may refuse, as
/// with cookies blocked; gloo-storage would throw).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Shelf for Browser {
    fn text(&self, key: &str) -> Option<String> {
        storage()?.get_item(key).ok()?
    }

    fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        storage()?;
        LocalStorage::get(key).ok()
    }

    fn set<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> bool {
        storage().is_some() && LocalStorage::set(key, value).is_ok()
    }

    fn delete(&self, key: &str) {
        if storage().is_some() {
            LocalStorage::delete(key);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;

    use super::*;

    /// localStorage as a map; `full` refuses every write, as a full
    /// storage does.
    #[derive(Default)]
    pub struct Map {
        pub texts: RefCell<BTreeMap<String, String>>,
        pub full: Cell<bool>,
    }

    impl Map {
        pub fn with(entries: &[(&str, &str)]) -> Map {
            let map = Map::default();
            for (key, text) in entries {
                map.texts
                    .borrow_mut()
                    .insert(key.to_string(), text.to_string());
            }
            map
        }

        /// The text kept under `key`.
        pub fn text_at(&self, key: &str) -> Option<String> {
            self.texts.borrow().get(key).cloned()
        }

        pub fn keys(&self) -> Vec<String> {
            self.texts.borrow().keys().cloned().collect()
        }
    }

    impl Shelf for Map {
        fn text(&self, key: &str) -> Option<String> {
            self.text_at(key)
        }

        fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
            decode(&self.text(key)?)
        }

        fn set<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> bool {
            if self.full.get() {
                return false;
            }
            let text = serde_json::to_string(value).unwrap();
            self.texts.borrow_mut().insert(key.to_owned(), text);
            true
        }

        fn delete(&self, key: &str) {
            self.texts.borrow_mut().remove(key);
        }
    }

    impl<T: Serialize + DeserializeOwned> Entry<T> {
        /// What a page reads on `shelf`.
        pub fn read_on(&self, shelf: &Map) -> Option<T> {
            self.read_from(shelf)
        }

        /// What a page writes on `shelf`.
        pub fn write_on(&self, shelf: &Map, value: &T) {
            self.write_to(shelf, value)
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Count {
        count: u32,
    }

    /// The earlier version kept a bare number.
    fn count_of(texts: &[Option<String>]) -> Option<Count> {
        let count = decode(texts[0].as_deref()?)?;
        Some(Count { count })
    }

    const COUNT: Entry<Count> = Entry::replacing("count.v2", &["count.v1"], count_of);

    #[test]
    fn an_entry_reads_as_written_and_junk_reads_as_none() {
        let shelf = Map::default();
        assert_eq!(COUNT.read_on(&shelf), None);
        COUNT.write_on(&shelf, &Count { count: 3 });
        assert_eq!(shelf.text_at("count.v2").unwrap(), r#"{"count":3}"#);
        assert_eq!(COUNT.read_on(&shelf), Some(Count { count: 3 }));
        for junk in ["", "{", "[]", "null", r#"{"count":"3"}"#, r#"{"c":3}"#] {
            let shelf = Map::with(&[("count.v2", junk)]);
            assert_eq!(COUNT.read_on(&shelf), None, "{junk}");
        }
    }

    #[test]
    fn an_earlier_version_is_read_once_and_replaced() {
        let shelf = Map::with(&[("count.v1", "7"), ("other", "x")]);
        assert_eq!(COUNT.read_on(&shelf), Some(Count { count: 7 }));
        assert_eq!(shelf.keys(), ["count.v2", "other"]);
        assert_eq!(shelf.text_at("count.v2").unwrap(), r#"{"count":7}"#);
        // Today's entry wins over an earlier one (an older tab's write).
        shelf
            .texts
            .borrow_mut()
            .insert("count.v1".into(), "9".into());
        assert_eq!(COUNT.read_on(&shelf), Some(Count { count: 7 }));
        // A write drops it.
        COUNT.write_on(&shelf, &Count { count: 8 });
        assert_eq!(shelf.keys(), ["count.v2", "other"]);
        // A junk earlier entry reads as none, and is dropped.
        let shelf = Map::with(&[("count.v1", "[junk")]);
        assert_eq!(COUNT.read_on(&shelf), None);
        assert!(shelf.keys().is_empty());
    }

    #[test]
    fn a_refused_write_changes_nothing() {
        let shelf = Map::with(&[("count.v1", "7")]);
        shelf.full.set(true);
        // The earlier entry stays until today's is written.
        assert_eq!(COUNT.read_on(&shelf), Some(Count { count: 7 }));
        assert_eq!(shelf.keys(), ["count.v1"]);
        COUNT.write_on(&shelf, &Count { count: 8 });
        assert_eq!(shelf.keys(), ["count.v1"]);
        shelf.full.set(false);
        COUNT.write_on(&shelf, &Count { count: 8 });
        assert_eq!(shelf.keys(), ["count.v2"]);
    }

    #[test]
    fn a_junk_value_is_dropped_without_the_rest() {
        let list: Vec<Lenient<String>> =
            serde_json::from_str(r#"[1,"a",{"x":["b",{}]},null,"c",[],true]"#).unwrap();
        let texts: Vec<String> = list.into_iter().filter_map(|item| item.0).collect();
        assert_eq!(texts, ["a", "c"]);
        #[derive(Deserialize)]
        struct Named {
            #[serde(default)]
            flag: Lenient<bool>,
            name: String,
        }
        let named: Named = serde_json::from_str(r#"{"flag":"yes","name":"n"}"#).unwrap();
        assert_eq!((named.flag.0, named.name.as_str()), (None, "n"));
    }
}
