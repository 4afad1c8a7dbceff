//! Web addresses in log text, turned into links. Only `http://` and
//! `https://` addresses are found, so a link can never run script
//! (`javascript:`) or open anything but a web page.

use std::ops::Range;

/// Characters that end an address.
fn ends_address(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '<' | '>' | '"' | '\'' | '`' | '\\' | '{' | '}' | '|' | '^'
        )
}

/// Byte ranges of the `http(s)://` addresses in `text`, in order. Trailing
/// punctuation (`.`, `,`, `)`, …) that ends a sentence is left out, unless a
/// bracket opened inside the address closes it.
pub fn find_links(text: &str) -> Vec<Range<usize>> {
    let mut links = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("http") {
        let start = from + found;
        let scheme_len = if lower[start..].starts_with("https://") {
            8
        } else if lower[start..].starts_with("http://") {
            7
        } else {
            from = start + 4;
            continue;
        };
        // Not the tail of a word ("xhttp://"; ASCII: Unicode's letter
        // tables would cost kilobytes of wasm).
        if text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            from = start + scheme_len;
            continue;
        }
        let rest = &text[start + scheme_len..];
        let mut end = start + scheme_len + rest.find(ends_address).unwrap_or(rest.len());
        while let Some(last) = text[..end].chars().next_back() {
            let unbalanced = |open: char, close: char| {
                last == close
                    && text[start..end].matches(close).count()
                        > text[start..end].matches(open).count()
            };
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '*')
                || unbalanced('(', ')')
                || unbalanced('[', ']')
            {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        if end > start + scheme_len {
            links.push(start..end);
        }
        from = end.max(start + scheme_len);
    }
    links
}

/// Whether all of `text` is one web address, by the rules of [`find_links`]
/// (the targets of OSC 8 hyperlinks and a deployed job's store URL are held
/// to them).
pub fn is_web_address(text: &str) -> bool {
    find_links(text).first() == Some(&(0..text.len()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn links(text: &str) -> Vec<&str> {
        find_links(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn web_addresses_are_found_without_the_sentence_around_them() {
        assert_eq!(
            links("details at https://status.example.test/records/500."),
            ["https://status.example.test/records/500"]
        );
        assert_eq!(
            links("(see http://a.test/x_(y)) and HTTPS://B.test, done"),
            ["http://a.test/x_(y)", "HTTPS://B.test"]
        );
        assert_eq!(
            links("<https://a.test/q?x=1&y=2#top>"),
            ["https://a.test/q?x=1&y=2#top"]
        );
        assert_eq!(links("https://ünï.test/päth ok"), ["https://ünï.test/päth"]);
    }

    #[test]
    fn nothing_but_http_and_https_becomes_a_link() {
        assert!(links("javascript:alert(1) http:// https:/x.test ftp://a.test xhttps://a.test mailto:a@b.test").is_empty());
        for store_url in ["https://acme.shop/", "HTTP://acme.shop/x?y=1"] {
            assert!(is_web_address(store_url), "{store_url}");
        }
        for not_one in [
            "javascript:alert(1)",
            "//evil.example",
            " https://a.test",
            "https://a.test/ b",
        ] {
            assert!(!is_web_address(not_one), "{not_one}");
        }
        assert!(links("data:text/html,<script>alert(1)</script>").is_empty());
    }

    proptest! {
        #[test]
        fn every_link_is_a_web_address_inside_the_text(text in any::<String>()) {
            for range in find_links(&text) {
                let link = &text[range];
                let lower = link.to_ascii_lowercase();
                prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                prop_assert!(!link.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<'));
            }
        }

        #[test]
        fn links_hidden_in_any_text_are_found(before in "[ (]{0,1}[a-z ]{0,5}", path in "[a-z0-9/]{1,10}") {
            let text = format!("{before} https://h.test/{path} tail");
            let url = format!("https://h.test/{path}");
            prop_assert_eq!(links(&text), [url.as_str()]);
        }
    }
}
