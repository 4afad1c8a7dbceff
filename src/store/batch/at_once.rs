//! "At once", as typed: a whole number from 1 to `MAX_AT_ONCE`, or why not
//! (said at the field; nothing out of range is changed into something else).

use super::MAX_AT_ONCE;

/// The least "At once".
pub const MIN_AT_ONCE: u32 = 1;

/// What the field says of its value, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtOnceError {
    Empty,
    NotWhole(String),
    TooFew(String),
    TooMany(String),
}

impl std::fmt::Display for AtOnceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (min, max) = (MIN_AT_ONCE, MAX_AT_ONCE);
        match self {
            AtOnceError::Empty => write!(f, "Enter a whole number from {min} to {max}."),
            AtOnceError::NotWhole(text) => {
                write!(f, "“{text}” is not a whole number: enter {min} to {max}.")
            }
            AtOnceError::TooFew(text) => {
                write!(f, "{text} is too few: at least {min} job runs at a time.")
            }
            AtOnceError::TooMany(text) => {
                write!(f, "{text} is too many: at most {max} jobs run at once.")
            }
        }
    }
}

/// "At once" as typed: `Ok` for a whole number from 1 to `MAX_AT_ONCE`
/// (spaces around it, a leading `+` and leading zeros allowed).
pub fn parse_at_once(text: &str) -> Result<u32, AtOnceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AtOnceError::Empty);
    }
    let shown = || text.chars().take(20).collect::<String>();
    let (negative, digits) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AtOnceError::NotWhole(shown()));
    }
    // Leading zeros do not make a number larger.
    let digits = digits.trim_start_matches('0');
    let value = if digits.len() > 9 {
        u32::MAX
    } else {
        digits.parse::<u32>().unwrap_or(0)
    };
    match (negative && value > 0, value) {
        (true, _) => Err(AtOnceError::TooFew(shown())),
        (false, v) if v < MIN_AT_ONCE => Err(AtOnceError::TooFew(shown())),
        (false, v) if v > MAX_AT_ONCE => Err(AtOnceError::TooMany(shown())),
        (false, v) => Ok(v),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn what_is_in_range_is_taken_as_typed_and_the_rest_refused_with_why() {
        assert_eq!(parse_at_once("3"), Ok(3));
        assert_eq!(parse_at_once(" 10 "), Ok(10));
        assert_eq!(parse_at_once("+1"), Ok(1));
        assert_eq!(parse_at_once("007"), Ok(7));
        assert_eq!(parse_at_once("0"), Err(AtOnceError::TooFew("0".into())));
        assert_eq!(parse_at_once("-0"), Err(AtOnceError::TooFew("-0".into())));
        assert_eq!(parse_at_once("-3"), Err(AtOnceError::TooFew("-3".into())));
        assert_eq!(parse_at_once("25"), Err(AtOnceError::TooMany("25".into())));
        assert_eq!(
            parse_at_once("99999999999999999999"),
            Err(AtOnceError::TooMany("99999999999999999999".into()))
        );
        assert_eq!(
            parse_at_once("2.5"),
            Err(AtOnceError::NotWhole("2.5".into()))
        );
        assert_eq!(
            parse_at_once("1e1"),
            Err(AtOnceError::NotWhole("1e1".into()))
        );
        assert_eq!(parse_at_once("+"), Err(AtOnceError::NotWhole("+".into())));
        assert_eq!(parse_at_once("  "), Err(AtOnceError::Empty));
        assert_eq!(
            parse_at_once("0").unwrap_err().to_string(),
            "0 is too few: at least 1 job runs at a time."
        );
        assert_eq!(
            parse_at_once("25").unwrap_err().to_string(),
            "25 is too many: at most 10 jobs run at once."
        );
        assert_eq!(
            parse_at_once("2.5").unwrap_err().to_string(),
            "“2.5” is not a whole number: enter 1 to 10."
        );
        assert_eq!(
            parse_at_once("").unwrap_err().to_string(),
            "Enter a whole number from 1 to 10."
        );
    }

    proptest! {
        /// Any text: no panic; what is taken is in range and is the
        /// number typed (never another one).
        #[test]
        fn any_text_is_taken_as_its_number_in_range_or_refused(text in "\\PC{0,24}|[ +-]?[0-9]{1,30}") {
            match parse_at_once(&text) {
                Ok(n) => {
                    prop_assert!((MIN_AT_ONCE..=MAX_AT_ONCE).contains(&n));
                    let typed: u128 = text.trim().trim_start_matches('+').parse().unwrap();
                    prop_assert_eq!(u128::from(n), typed);
                }
                Err(_) => {
                    let number: Option<i128> = text.trim().parse().ok();
                    prop_assert!(number.is_none_or(|n| !(1..=10).contains(&n)), "{:?} refused", text);
                }
            }
        }
    }
}
