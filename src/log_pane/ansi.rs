//! Escape sequences in log messages, read by a terminal's parser (`vte`):
//! SGR colours become CSS classes (never inline styles, which a strict CSP
//! blocks), OSC 8 hyperlinks to web addresses become links. A message that
//! moves its cursor or erases (CR, backspace, tab, CSI `G` `C` `D` `K` `X`
//! `P` `@`: progress bars and spinners) is applied to a one-row screen
//! ([`one_row_screen`]), so only what a terminal would show is left. Every
//! other sequence (titles, cursor moves up and down, DCS, SOS/PM/APC
//! strings) and control character is dropped whole, so nothing unreadable
//! reaches the page.
//!
//! - [`segments`], [`plain_text`], [`shown_text`]: a message as shown.
//! - [`stored_form`]: a message as the log keeps it (a cursor-moving one
//!   already applied, written back with SGR and OSC 8 codes only).
//! - [`Style`] and the 256-colour palette's CSS rules.

use std::borrow::Cow;
use std::rc::Rc;

use crate::log_pane::display_width;
use crate::log_pane::links::is_web_address;

pub mod one_row_screen;

use one_row_screen::OneRowScreen;

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
        for (on, name, _) in self.attributes() {
            if on {
                classes.push(name.to_owned());
            }
        }
        classes.join(" ")
    }

    /// Each attribute: whether it is on, its class and its SGR code.
    fn attributes(&self) -> [(bool, &'static str, &'static str); 4] {
        [
            (self.bold, "ansi-bold", "1"),
            (self.dim, "ansi-dim", "2"),
            (self.italic, "ansi-italic", "3"),
            (self.underline, "ansi-underline", "4"),
        ]
    }

    /// The SGR sequence that sets this style from any other (`ESC[0;1;31m`).
    fn sgr(&self) -> String {
        let mut codes = vec![String::from("0")];
        for (on, _, code) in self.attributes() {
            if on {
                codes.push(code.into());
            }
        }
        for (colour, base, bright) in [(self.foreground, 30, 90), (self.background, 40, 100)] {
            codes.push(match colour {
                None => continue,
                Some(n @ 0..=7) => (base + u16::from(n)).to_string(),
                Some(n @ 8..=15) => (bright + u16::from(n) - 8).to_string(),
                Some(n) => format!("{};5;{n}", base + 8),
            });
        }
        format!("\u{1b}[{}m", codes.join(";"))
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
    /// The target of the OSC 8 hyperlink around the text, when it has one
    /// and it is a web address ([`is_web_address`]).
    pub link: Option<Rc<str>>,
}

/// What the escape-sequence parser ([`vte`]) leaves of a message: the
/// printable text, cut where its style or hyperlink changes. Text is
/// appended as it comes until the message first moves its cursor; from
/// there on it is written to a one-row screen (with what came before).
#[derive(Default)]
struct Shown {
    out: Vec<Segment>,
    text: String,
    style: Style,
    link: Option<Rc<str>>,
    screen: Option<OneRowScreen>,
}

impl Shown {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.out.push(Segment {
                text: std::mem::take(&mut self.text),
                style: self.style,
                link: self.link.clone(),
            });
        }
    }

    /// The screen, made on the first cursor move from the text so far.
    fn screen(&mut self) -> &mut OneRowScreen {
        if self.screen.is_none() {
            self.flush();
            let mut screen = OneRowScreen::default();
            for segment in std::mem::take(&mut self.out) {
                for c in segment.text.chars() {
                    screen.print(c, segment.style, &segment.link);
                }
            }
            self.screen = Some(screen);
        }
        self.screen.get_or_insert_with(OneRowScreen::default)
    }

    fn finish(mut self) -> Vec<Segment> {
        match self.screen.take() {
            Some(screen) => screen.into_segments(),
            None => {
                self.flush();
                self.out
            }
        }
    }
}

impl vte::Perform for Shown {
    fn print(&mut self, c: char) {
        // C1 controls arrive as characters (UTF-8 text): dropped too.
        if c.is_control() {
            return;
        }
        match &mut self.screen {
            Some(screen) => screen.print(c, self.style, &self.link),
            // A combining mark with no character before it is dropped, as
            // a terminal drops it in column 1.
            None if self.text.is_empty()
                && self.out.is_empty()
                && display_width::char_width(c) == 0 => {}
            None => self.text.push(c),
        }
    }

    fn execute(&mut self, byte: u8) {
        // CR, backspace and tab move the cursor; BEL, LF and the other C0
        // controls are dropped.
        match byte {
            b'\r' => self.screen().carriage_return(),
            0x08 => self.screen().backspace(),
            b'\t' => self.screen().tab(),
            _ => {}
        }
    }

    fn csi_dispatch(
        &mut self,
        params: &vte::Params,
        intermediates: &[u8],
        ignore: bool,
        action: char,
    ) {
        // SGR, and the moves and erases within one row; moves up and down,
        // modes (`?`) and the rest are dropped.
        if ignore || !intermediates.is_empty() {
            return;
        }
        if matches!(action, 'G' | 'C' | 'D' | 'K' | 'X' | 'P' | '@') {
            let n = params.iter().next().and_then(|p| p.first()).copied();
            let style = self.style;
            self.screen().csi(action, n.unwrap_or(0), style);
            return;
        }
        if action != 'm' {
            return;
        }
        // `;` and `:` (sub-parameters) alike, as terminals read SGR.
        let params: Vec<u16> = params.iter().flatten().copied().collect();
        let mut next = self.style;
        next.apply_sgr(&params);
        if next != self.style {
            self.flush();
            self.style = next;
        }
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], _bell_terminated: bool) {
        // OSC 8 ; params ; URI — an empty URI ends the link. Titles (0, 2),
        // colours, clipboard and the rest are dropped.
        if params.first() != Some(&&b"8"[..]) || params.len() < 3 {
            return;
        }
        // The URI may itself hold `;`, which the parser splits on.
        let uri = String::from_utf8_lossy(&params[2..].join(&b';')).into_owned();
        let link = (!uri.is_empty() && is_web_address(&uri)).then(|| Rc::from(uri));
        if link != self.link {
            self.flush();
            self.link = link;
        }
    }
}

fn parse(message: &str) -> Shown {
    let mut shown = Shown::default();
    vte::Parser::new().advance(&mut shown, message.as_bytes());
    shown
}

/// Splits `message` into styled segments as a terminal shows it, without
/// escape sequences or control characters. Every CSI, OSC, DCS and
/// SOS/PM/APC sequence is consumed whole by a terminal's parser (`vte`,
/// Alacritty's); SGR styles and OSC 8 web links are kept, as styles and
/// links; CR, backspace, tab and the CSI moves and erases within a row are
/// applied to a one-row screen.
pub fn segments(message: &str) -> Vec<Segment> {
    parse(message).finish()
}

/// The message as plain text, escape sequences removed (for search and copy).
pub fn plain_text(message: &str) -> String {
    segments(message).into_iter().map(|s| s.text).collect()
}

/// A line's text as shown: a `simple` message (plain printable ASCII, as
/// the log store marks it) as it is, any other through `plain_text`.
pub fn shown_text(message: &str, simple: bool) -> Cow<'_, str> {
    if simple {
        message.into()
    } else {
        plain_text(message).into()
    }
}

/// A message as the log keeps it, and the columns it takes once shown. A
/// message that moves its cursor is kept as the row a terminal shows,
/// written back with SGR and OSC 8 codes only (so a progress line of 400
/// states is kept, searched and drawn as its last state); any other as it
/// came. Reading the kept form gives the same [`segments`].
pub fn stored_form(message: &str) -> (Cow<'_, str>, usize) {
    let shown = parse(message);
    let moved = shown.screen.is_some();
    let segments = shown.finish();
    let columns = segments.iter().map(|s| display_width::width(&s.text)).sum();
    if moved {
        (written_back(&segments).into(), columns)
    } else {
        (message.into(), columns)
    }
}

/// Segments as a message: each change of style as one SGR sequence that
/// starts from a reset, each change of link as an OSC 8 sequence.
fn written_back(segments: &[Segment]) -> String {
    let mut out = String::new();
    let (mut style, mut link) = (Style::default(), None::<&Rc<str>>);
    for segment in segments {
        if segment.style != style {
            style = segment.style;
            out.push_str(&style.sgr());
        }
        if segment.link.as_ref() != link {
            link = segment.link.as_ref();
            out.push_str("\u{1b}]8;;");
            out.push_str(link.map_or("", |uri| uri));
            out.push_str("\u{1b}\\");
        }
        out.push_str(&segment.text);
    }
    out
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
        // ESC ( B designates a character set: three bytes, all dropped;
        // so are BEL and LF.
        assert_eq!(plain_text("a\u{1b}(Bc\u{7}d\ne"), "acde");
        assert_eq!(plain_text("cut off \u{1b}["), "cut off ");
    }

    #[test]
    fn osc_dcs_and_long_csi_sequences_are_consumed_whole() {
        // Window titles, by BEL and by ST.
        assert_eq!(plain_text("\u{1b}]0;build 42\u{7}Compiling"), "Compiling");
        assert_eq!(plain_text("\u{1b}]2;title\u{1b}\\ok"), "ok");
        // A CSI run far longer than 64 bytes, and a private mode.
        let long = format!("a\u{1b}[{}mb\u{1b}[?25lc", "1;".repeat(100));
        assert_eq!(plain_text(&long), "abc");
        // DCS, SOS, PM and APC strings.
        assert_eq!(plain_text("x\u{1b}P1$r0m\u{1b}\\y"), "xy");
        for intro in ['X', '^', '_'] {
            assert_eq!(plain_text(&format!("x\x1b{intro}secret\x1b\\y")), "xy");
        }
        // Moves off the row are dropped; a progress bar drawn with CR and
        // erases shows its last state.
        assert_eq!(plain_text("\u{1b}[2K\r\u{1b}[1A 50%\u{1b}[0K"), " 50%");
    }

    #[test]
    fn osc_8_hyperlinks_to_web_addresses_become_links() {
        let parts = segments(
            "see \u{1b}]8;id=1;https://docs.test/a;b?x=1\u{1b}\\\u{1b}[1mthe docs\u{1b}[0m\u{1b}]8;;\u{1b}\\ now",
        );
        let shown: Vec<_> = parts
            .iter()
            .map(|s| (s.text.as_str(), s.style.bold, s.link.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("see ", false, None),
                ("the docs", true, Some("https://docs.test/a;b?x=1")),
                (" now", false, None),
            ]
        );
        // Anything but http(s) is text only.
        for target in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://a.test/x y",
        ] {
            let message = format!("\x1b]8;;{target}\x07click\x1b]8;;\x07");
            let parts = segments(&message);
            assert_eq!(parts.len(), 1, "{target}");
            assert_eq!((parts[0].text.as_str(), &parts[0].link), ("click", &None));
        }
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
            // Any final byte but the moves and erases within a row.
            tail in "[0-9;:]{0,12}[a-zABEFHIJLMNOQRSTUVWYZ~]?",
        ) {
            let joined: Vec<String> = params.iter().map(u32::to_string).collect();
            let message = format!("a\u{1b}[{}m b\u{1b}[{tail}c", joined.join(";"));
            let text: String = segments(&message).into_iter().map(|s| s.text).collect();
            prop_assert!(!text.contains('\x1b'));
            prop_assert!(text.starts_with('a'));
        }

        #[test]
        fn text_without_escapes_passes_through(message in "[^\u{0}-\u{1f}\u{7f}-\u{9f}]{0,80}") {
            // A combining mark in column 1 has nothing to join: dropped.
            prop_assume!(message.chars().next().is_none_or(|c| display_width::char_width(c) > 0));
            prop_assert_eq!(plain_text(&message), message);
        }
    }
}
