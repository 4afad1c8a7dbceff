//! ANSI SGR colour codes in log messages, turned into styled segments.
//! Colours become CSS classes (never inline styles, which a strict CSP
//! blocks); every other escape sequence and control character is dropped so
//! nothing unreadable reaches the page.

/// The look of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// A colour of the 256-colour palette (0–7 basic, 8–15 bright).
    pub foreground: Option<u8>,
    pub background: Option<u8>,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
}

impl Style {
    /// CSS classes for this style (`ansi-fg-1 ansi-bold`), empty for plain text.
    pub fn classes(&self) -> String {
        let mut classes = Vec::new();
        if let Some(fg) = self.foreground {
            classes.push(format!("ansi-fg-{fg}"));
        }
        if let Some(bg) = self.background {
            classes.push(format!("ansi-bg-{bg}"));
        }
        for (on, name) in [
            (self.bold, "ansi-bold"),
            (self.dim, "ansi-dim"),
            (self.italic, "ansi-italic"),
            (self.underline, "ansi-underline"),
        ] {
            if on {
                classes.push(name.to_owned());
            }
        }
        classes.join(" ")
    }

    fn apply_sgr(&mut self, params: &[u16]) {
        let mut i = 0;
        if params.is_empty() {
            *self = Self::default();
        }
        while i < params.len() {
            match params[i] {
                0 => *self = Self::default(),
                1 => self.bold = true,
                2 => self.dim = true,
                3 => self.italic = true,
                4 => self.underline = true,
                22 => (self.bold, self.dim) = (false, false),
                23 => self.italic = false,
                24 => self.underline = false,
                code @ 30..=37 => self.foreground = Some((code - 30) as u8),
                39 => self.foreground = None,
                code @ 40..=47 => self.background = Some((code - 40) as u8),
                49 => self.background = None,
                code @ 90..=97 => self.foreground = Some((code - 90 + 8) as u8),
                code @ 100..=107 => self.background = Some((code - 100 + 8) as u8),
                code @ (38 | 48) => {
                    // 38;5;n (the 256-colour palette) or 38;2;r;g;b (24-bit,
                    // shown as the nearest palette colour: a strict CSP
                    // allows classes, not computed inline colours).
                    let byte = |k: usize| params.get(i + k).map(|v| (*v).min(255) as u8);
                    let colour = match params.get(i + 1) {
                        Some(5) => {
                            let n = params.get(i + 2).filter(|n| **n < 256).map(|n| *n as u8);
                            i += 2;
                            n
                        }
                        Some(2) => {
                            let rgb = byte(2).zip(byte(3)).zip(byte(4));
                            i += 4;
                            rgb.map(|((r, g), b)| nearest_palette([r, g, b]))
                        }
                        _ => None,
                    };
                    if code == 38 {
                        self.foreground = colour;
                    } else {
                        self.background = colour;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// The six levels of each channel in the palette's 6×6×6 colour cube.
const CUBE_LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The colour of palette entry `n` (16–255: the cube, then 24 greys) as
/// xterm draws it; entries 0–15 come from the stylesheet's theme.
pub fn palette_rgb(n: u8) -> [u8; 3] {
    match n {
        16..=231 => {
            let k = n - 16;
            [k / 36, k / 6 % 6, k % 6].map(|c| CUBE_LEVELS[usize::from(c)])
        }
        232..=255 => [8 + (n - 232) * 10; 3],
        _ => [0; 3],
    }
}

/// The palette entry (16–255) nearest to a 24-bit colour.
pub fn nearest_palette(rgb: [u8; 3]) -> u8 {
    let distance = |other: [u8; 3]| -> u32 {
        rgb.iter()
            .zip(other)
            .map(|(a, b)| (i32::from(*a) - i32::from(b)).unsigned_abs().pow(2))
            .sum()
    };
    (16..=255u8)
        .min_by_key(|n| distance(palette_rgb(*n)))
        .unwrap_or(16)
}

/// The CSS rule behind a palette class `ansi-fg-N`/`ansi-bg-N` (N ≥ 16),
/// added to the page's stylesheet when first used.
pub fn palette_rule(n: u8, background: bool) -> String {
    let [r, g, b] = palette_rgb(n);
    let (prefix, property) = if background {
        ("bg", "background")
    } else {
        ("fg", "color")
    };
    format!(".ansi-{prefix}-{n}{{{property}:#{r:02x}{g:02x}{b:02x}}}")
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub style: Style,
}

/// Splits `message` into styled segments, without escape sequences or
/// control characters (tabs are kept).
pub fn segments(message: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut style = Style::default();
    let mut text = String::new();
    let mut chars = message.chars().peekable();
    let flush = |text: &mut String, style: Style, out: &mut Vec<Segment>| {
        if !text.is_empty() {
            out.push(Segment {
                text: std::mem::take(text),
                style,
            });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                if chars.peek() != Some(&'[') {
                    chars.next(); // a two-character escape: drop both
                    continue;
                }
                chars.next();
                let mut body = String::new();
                let mut final_byte = None;
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        final_byte = Some(c);
                        break;
                    }
                    body.push(c);
                    if body.len() > 64 {
                        break;
                    }
                }
                if final_byte == Some('m') {
                    let params: Vec<u16> = if body.is_empty() {
                        Vec::new()
                    } else {
                        body.split([';', ':'])
                            .map(|p| p.parse().unwrap_or(0))
                            .collect()
                    };
                    let mut next = style;
                    next.apply_sgr(&params);
                    if next != style {
                        flush(&mut text, style, &mut out);
                        style = next;
                    }
                }
            }
            '\t' => text.push(c),
            c if c.is_control() => {}
            c => text.push(c),
        }
    }
    flush(&mut text, style, &mut out);
    out
}

/// The message as plain text, escape sequences removed (for search and copy).
pub fn plain_text(message: &str) -> String {
    segments(message).into_iter().map(|s| s.text).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn classes(message: &str) -> Vec<(String, String)> {
        segments(message)
            .into_iter()
            .map(|s| (s.text, s.style.classes()))
            .collect()
    }

    #[test]
    fn plain_text_is_one_plain_segment() {
        assert_eq!(
            classes("hello <b>"),
            [("hello <b>".to_owned(), String::new())]
        );
    }

    #[test]
    fn colours_bold_and_reset() {
        let got = classes("\u{1b}[32mgreen\u{1b}[0m \u{1b}[1;31mbold red\u{1b}[0m plain");
        assert_eq!(
            got,
            [
                ("green".to_owned(), "ansi-fg-2".to_owned()),
                (" ".to_owned(), String::new()),
                ("bold red".to_owned(), "ansi-fg-1 ansi-bold".to_owned()),
                (" plain".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn bright_background_and_256_colours() {
        assert_eq!(classes("\u{1b}[91;44mx")[0].1, "ansi-fg-9 ansi-bg-4");
        assert_eq!(classes("\u{1b}[38;5;11mx")[0].1, "ansi-fg-11");
        assert_eq!(classes("\u{1b}[38;5;200mx")[0].1, "ansi-fg-200");
        assert_eq!(classes("\u{1b}[48;5;256mx")[0].1, "");
        assert_eq!(
            classes("\u{1b}[38;2;1;2;3;4mx")[0].1,
            "ansi-fg-16 ansi-underline"
        );
        assert_eq!(classes("\u{1b}[48:2:255:0:0mx")[0].1, "ansi-bg-196");
    }

    #[test]
    fn the_palette_is_xterm_s_and_24_bit_colours_take_the_nearest_entry() {
        assert_eq!(palette_rgb(16), [0, 0, 0]);
        assert_eq!(palette_rgb(196), [255, 0, 0]);
        assert_eq!(palette_rgb(231), [255, 255, 255]);
        assert_eq!(palette_rgb(232), [8, 8, 8]);
        assert_eq!(palette_rgb(255), [238, 238, 238]);
        assert_eq!(nearest_palette([255, 0, 0]), 196);
        assert_eq!(nearest_palette([250, 10, 5]), 196);
        assert_eq!(nearest_palette([128, 128, 128]), 244);
        for n in 16..=255u8 {
            assert_eq!(nearest_palette(palette_rgb(n)), n);
        }
        assert_eq!(palette_rule(196, false), ".ansi-fg-196{color:#ff0000}");
        assert_eq!(palette_rule(232, true), ".ansi-bg-232{background:#080808}");
    }

    #[test]
    fn other_escapes_and_control_characters_are_dropped() {
        assert_eq!(plain_text("a\u{1b}[2Kb\u{1b}(c\u{7}d\te\r"), "abcd\te");
        assert_eq!(plain_text("cut off \u{1b}["), "cut off ");
    }

    proptest! {
        #[test]
        fn no_escape_or_control_character_survives(message in "(\u{1b}|\\[|[0-9;m]|[a-z ]|\u{7}|\t){0,60}") {
            for segment in segments(&message) {
                prop_assert!(!segment.text.is_empty());
                prop_assert!(segment.text.chars().all(|c| c == '\t' || !c.is_control()));
            }
        }

        #[test]
        fn any_text_at_all_is_parsed_without_panicking_or_leaking_escapes(message in any::<String>()) {
            for segment in segments(&message) {
                prop_assert!(!segment.text.contains('\x1b'));
                prop_assert!(segment.text.chars().all(|c| c == '\t' || !c.is_control()));
            }
            prop_assert!(!plain_text(&message).contains('\x1b'));
        }

        #[test]
        fn sgr_sequences_with_any_parameters_never_panic(
            params in proptest::collection::vec(any::<u32>(), 0..12),
            tail in "[0-9;:]{0,12}[a-zA-Z@~]?",
        ) {
            let joined: Vec<String> = params.iter().map(u32::to_string).collect();
            let message = format!("a\u{1b}[{}m b\u{1b}[{tail}c", joined.join(";"));
            let text: String = segments(&message).into_iter().map(|s| s.text).collect();
            prop_assert!(!text.contains('\x1b'));
            prop_assert!(text.starts_with('a'));
        }

        #[test]
        fn text_without_escapes_passes_through(message in "[^\u{0}-\u{1f}\u{7f}-\u{9f}]{0,80}") {
            prop_assert_eq!(plain_text(&message), message);
        }
    }
}
