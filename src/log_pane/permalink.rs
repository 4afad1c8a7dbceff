//! Links to lines: `#L12` for one line, `#L10-L20` for a range.

/// The lines a permalink names, by `seq` (first ≤ last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permalink {
    pub first: u64,
    pub last: u64,
}

impl Permalink {
    /// The link a Shift+click on line `seq` makes: from the linked line
    /// (if any) to `seq`, in either direction.
    pub fn extended(linked: Option<Permalink>, seq: u64) -> Permalink {
        match linked {
            Some(from) => Permalink {
                first: from.first.min(seq),
                last: from.first.max(seq),
            },
            None => Permalink {
                first: seq,
                last: seq,
            },
        }
    }

    /// Reads a URL fragment (`#L12`, `L12`, `#L10-L20`, `#L20-L10`); `None`
    /// for anything else.
    pub fn parse(fragment: &str) -> Option<Permalink> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let seq = |part: &str| -> Option<u64> {
            let digits = part.strip_prefix('L')?;
            if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            digits.parse().ok()
        };
        let (first, last) = match fragment.split_once('-') {
            Some((a, b)) => (seq(a)?, seq(b)?),
            None => {
                let one = seq(fragment)?;
                (one, one)
            }
        };
        Some(Permalink {
            first: first.min(last),
            last: first.max(last),
        })
    }

    pub fn contains(&self, seq: u64) -> bool {
        (self.first..=self.last).contains(&seq)
    }

    /// The fragment that names these lines.
    pub fn fragment(&self) -> String {
        if self.first == self.last {
            format!("#L{}", self.first)
        } else {
            format!("#L{}-L{}", self.first, self.last)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_shift_click_extends_the_link_either_way() {
        let at = |first, last| Permalink { first, last };
        assert_eq!(Permalink::extended(None, 7), at(7, 7));
        assert_eq!(Permalink::extended(Some(at(10, 10)), 20), at(10, 20));
        assert_eq!(Permalink::extended(Some(at(10, 15)), 3), at(3, 10));
    }
    use proptest::prelude::*;

    #[test]
    fn one_line_and_ranges_are_read_in_either_order() {
        assert_eq!(
            Permalink::parse("#L12"),
            Some(Permalink {
                first: 12,
                last: 12
            })
        );
        assert_eq!(
            Permalink::parse("L7"),
            Some(Permalink { first: 7, last: 7 })
        );
        assert_eq!(
            Permalink::parse("#L10-L20"),
            Some(Permalink {
                first: 10,
                last: 20
            })
        );
        assert_eq!(
            Permalink::parse("#L20-L10"),
            Some(Permalink {
                first: 10,
                last: 20
            })
        );
        assert!(Permalink::parse("#L10-L20").unwrap().contains(15));
        assert!(!Permalink::parse("#L10-L20").unwrap().contains(21));
    }

    #[test]
    fn junk_is_no_permalink() {
        for junk in [
            "",
            "#",
            "#L",
            "#l12",
            "#L-3",
            "#L1e3",
            "#L12-",
            "#L1-L2-L3",
            "#main",
            "#L+1",
            "#L 1",
            "#L99999999999999999999",
        ] {
            assert_eq!(Permalink::parse(junk), None, "{junk}");
        }
    }

    proptest! {
        #[test]
        fn a_fragment_reads_back_as_itself(a in any::<u64>(), b in any::<u64>()) {
            let link = Permalink { first: a.min(b), last: a.max(b) };
            prop_assert_eq!(Permalink::parse(&link.fragment()), Some(link));
        }

        #[test]
        fn any_text_parses_without_panicking(text in any::<String>()) {
            if let Some(link) = Permalink::parse(&text) {
                prop_assert!(link.first <= link.last);
            }
        }
    }
}
