//! How counts read on the page: `1,204`, `1 line` / `1,204 lines`, and
//! what the search box says of its matches (`3 of 120`, `No matches`).

/// `1,204`: a count with thousands separators.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 line`, `1,204 lines`.
pub fn lines_text(n: usize) -> String {
    match n {
        1 => "1 line".to_owned(),
        n => format!("{} lines", grouped(n)),
    }
}

/// What the search box says of its matches.
pub fn match_count_text(current: Option<usize>, total: usize, searching: bool) -> String {
    match (current, total, searching) {
        (_, 0, true) => "Searching…".to_owned(),
        (_, 0, false) => "No matches".to_owned(),
        (Some(n), total, false) => format!("{} of {}", grouped(n), grouped(total)),
        (Some(n), total, true) => format!("{} of {}+", grouped(n), grouped(total)),
        (None, 1, false) => "1 match".to_owned(),
        (None, total, false) => format!("{} matches", grouped(total)),
        (None, total, true) => format!("{}+ matches", grouped(total)),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn counts_read_like_people_write_them() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_204), "1,204");
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(lines_text(1), "1 line");
        assert_eq!(lines_text(50_000), "50,000 lines");
        assert_eq!(match_count_text(Some(3), 120, false), "3 of 120");
        assert_eq!(match_count_text(None, 120, false), "120 matches");
        assert_eq!(match_count_text(None, 1, false), "1 match");
        assert_eq!(match_count_text(None, 0, false), "No matches");
        assert_eq!(match_count_text(None, 0, true), "Searching…");
        assert_eq!(match_count_text(None, 5, true), "5+ matches");
    }
}
