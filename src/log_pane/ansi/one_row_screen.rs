//! One row of a terminal screen (xterm/VT100 semantics): what a message
//! that moves its cursor leaves on screen. Printable characters write at the
//! cursor in the style they were written with (wide ones take two cells,
//! combining marks join the cell before); CR, backspace and tab move the
//! cursor; CSI `G` `C` `D` move it, `K` `X` erase, `P` deletes and `@`
//! inserts. The row is as wide as it needs to be; cursor moves stop at
//! [`MARGIN`] columns, as a terminal's do at its right edge.
//!
//! Where terminals differ on wide characters cut in half, this follows the
//! `vt100` crate (tmux's behaviour), which the tests use as the reference.

use std::rc::Rc;

use super::{Segment, Style};
use crate::log_pane::display_width::char_width;

/// The last column a cursor move reaches (0-based), as on a terminal
/// 4,096 columns wide; printed text may run past it.
pub const MARGIN: usize = 4095;

/// The most columns a row holds: what a message prints past them is not
/// shown, so a hostile megabyte-long progress line costs a few MB of cells
/// at most while it is applied.
pub const ROW_LIMIT: usize = 65_536;

#[derive(Debug, Clone, Default)]
struct Cell {
    /// The character written here; `None` for a blank (never written, or
    /// erased) cell.
    base: Option<char>,
    /// Combining marks written after the base character.
    marks: String,
    style: Style,
    link: Option<Rc<str>>,
    /// The base character takes this cell and the next one.
    wide: bool,
    /// The right half of the wide character in the cell before.
    continuation: bool,
}

impl Cell {
    fn written(base: char, style: Style, link: Option<Rc<str>>, wide: bool) -> Self {
        Self {
            base: Some(base),
            marks: String::new(),
            style,
            link,
            wide,
            continuation: false,
        }
    }

    /// Whether the cell shows more than the page's background.
    fn shows_anything(&self) -> bool {
        match self.base {
            None => false,
            Some(' ') if self.marks.is_empty() => {
                self.style.background.is_some() || self.style.underline
            }
            Some(_) => true,
        }
    }

    /// Blank, in `style` (a terminal erases with the current colours).
    fn clear(&mut self, style: Style) {
        *self = Self {
            style,
            ..Self::default()
        };
    }
}

/// A row of cells and a cursor.
#[derive(Debug, Default)]
pub struct OneRowScreen {
    cells: Vec<Cell>,
    cursor: usize,
    /// The look of the blank cells past the end of `cells` (an erase to
    /// the end of the row gives them the colours of the moment).
    beyond: Style,
}

impl OneRowScreen {
    fn reach(&mut self, len: usize) {
        if self.cells.len() < len {
            let blank = Cell {
                style: self.beyond,
                ..Cell::default()
            };
            self.cells.resize(len, blank);
        }
    }

    /// Writes a printable character at the cursor.
    pub fn print(&mut self, c: char, style: Style, link: &Option<Rc<str>>) {
        let width = char_width(c).min(2);
        if width == 0 {
            self.add_mark(c);
            return;
        }
        let at = self.cursor;
        if at + width > ROW_LIMIT {
            return;
        }
        self.reach(at + width);
        let was_wide = self.cells[at].wide;
        let is_wide = width == 2;
        self.cells[at] = Cell::written(c, style, link.clone(), is_wide);
        self.cursor += width;
        self.mend_wide_neighbours(at, was_wide, is_wide, style, link);
    }

    /// A combining mark joins the character before the cursor; with none
    /// before it (column 1) it is dropped.
    fn add_mark(&mut self, mark: char) {
        if self.cursor == 0 {
            return;
        }
        self.reach(self.cursor);
        let mut at = self.cursor - 1;
        if self.cells[at].continuation && at > 0 {
            at -= 1;
        }
        let cell = &mut self.cells[at];
        cell.base.get_or_insert(' ');
        cell.marks.push(mark);
    }

    /// After a character is written at `at`: a wide character it cut in
    /// half is blanked, and its own right half claims the next cell.
    fn mend_wide_neighbours(
        &mut self,
        at: usize,
        was_wide: bool,
        is_wide: bool,
        style: Style,
        link: &Option<Rc<str>>,
    ) {
        if at > 0 && self.cells[at - 1].wide {
            let keep = self.cells[at - 1].style;
            self.cells[at - 1].clear(keep);
        }
        if was_wide && !is_wide {
            self.reach(at + 2);
            self.cells[at + 1] = Cell::written(' ', style, link.clone(), false);
        }
        if !was_wide && is_wide {
            let next_was_wide = self.cells[at + 1].wide;
            self.cells[at + 1].clear(Style::default());
            self.cells[at + 1].continuation = true;
            if next_was_wide {
                self.reach(at + 3);
                self.cells[at + 2].clear(style);
            }
        }
    }

    /// CR: back to column 1.
    pub fn carriage_return(&mut self) {
        self.cursor = 0;
    }

    /// Backspace: one column left, never past column 1.
    pub fn backspace(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    /// Tab: to the next multiple of 8.
    pub fn tab(&mut self) {
        self.move_to((self.cursor / 8 + 1) * 8);
    }

    fn move_to(&mut self, column: usize) {
        self.cursor = column.min(MARGIN);
    }

    /// A CSI sequence that works on one row, with its first parameter
    /// (`n`, 0 when absent); any other `action` is ignored. `style` is the
    /// current one, which erased cells take.
    pub fn csi(&mut self, action: char, n: u16, style: Style) {
        // Counts and columns: 0 means 1, as terminals read them.
        let count = usize::from(n.max(1));
        match action {
            'G' => self.move_to(count - 1),
            'C' => self.move_to(self.cursor + count),
            'D' => self.cursor = self.cursor.saturating_sub(count),
            'K' => self.erase_in_row(n, style),
            'X' => self.erase(self.cursor..self.cursor + count, style),
            'P' => self.delete(count),
            '@' => self.insert_blanks(count),
            _ => {}
        }
    }

    fn erase_in_row(&mut self, mode: u16, style: Style) {
        match mode {
            0 => {
                self.reach(self.cursor);
                self.erase(self.cursor..self.cells.len(), style);
                self.beyond = style;
            }
            1 => self.erase(0..self.cursor + 1, style),
            2 => {
                self.cells.iter_mut().for_each(|cell| cell.clear(style));
                self.beyond = style;
            }
            _ => {}
        }
    }

    /// Blanks the cells of `columns` (up to the margin).
    fn erase(&mut self, columns: std::ops::Range<usize>, style: Style) {
        let end = columns.end.min(MARGIN + 1);
        if style != self.beyond {
            self.reach(end);
        }
        for at in columns.start..end.min(self.cells.len()) {
            self.blank_other_half(at);
            self.cells[at].clear(style);
        }
    }

    /// A wide character losing one of its cells loses the other too.
    fn blank_other_half(&mut self, at: usize) {
        let other = if self.cells[at].wide {
            at + 1
        } else if self.cells[at].continuation && at > 0 {
            at - 1
        } else {
            return;
        };
        if let Some(cell) = self.cells.get_mut(other) {
            let keep = cell.style;
            cell.clear(keep);
        }
    }

    /// CSI P: removes `count` cells at the cursor; the rest moves left.
    fn delete(&mut self, count: usize) {
        let start = self.cursor;
        if start >= self.cells.len() {
            return;
        }
        let last = (start + count).min(MARGIN + 1) - 1;
        self.blank_other_half(start);
        if last != start && last < self.cells.len() {
            self.blank_other_half(last);
        }
        self.cells.drain(start..(last + 1).min(self.cells.len()));
    }

    /// CSI @: `count` blanks at the cursor; the rest moves right, and what
    /// moves past the margin is lost.
    fn insert_blanks(&mut self, count: usize) {
        let at = self.cursor;
        if at >= self.cells.len() {
            if self.beyond == Style::default() {
                return;
            }
            self.reach(at + 1);
        }
        let count = count.min(MARGIN + 1 - at);
        let continuation = std::mem::take(&mut self.cells[at].continuation);
        self.cells
            .splice(at..at, std::iter::repeat_with(Cell::default).take(count));
        self.cells[at].continuation = continuation;
        if self.cells.len() > MARGIN + 1 {
            self.cells.truncate(MARGIN + 1);
            if let Some(last) = self.cells.last_mut().filter(|cell| cell.wide) {
                let keep = last.style;
                last.clear(keep);
            }
        }
    }

    /// What the row shows, as runs of one style and link: blanks between
    /// written cells are spaces; after the last cell that shows anything
    /// (spaces written to wipe a longer state do not), nothing.
    pub fn into_segments(self) -> Vec<Segment> {
        let end = self
            .cells
            .iter()
            .rposition(Cell::shows_anything)
            .map_or(0, |last| last + 1);
        let mut out: Vec<Segment> = Vec::new();
        let mut after_wide = false;
        for cell in self.cells.into_iter().take(end) {
            if std::mem::replace(&mut after_wide, cell.wide) {
                continue;
            }
            let same_run = matches!(out.last(), Some(last) if last.style == cell.style && last.link == cell.link);
            if !same_run {
                out.push(Segment {
                    text: String::new(),
                    style: cell.style,
                    link: cell.link,
                });
            }
            if let Some(run) = out.last_mut() {
                run.text.push(cell.base.unwrap_or(' '));
                run.text.push_str(&cell.marks);
            }
        }
        out
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::{plain_text, segments, stored_form, Style};
    use proptest::prelude::*;

    /// A cell as compared: its text (a blank is a space) and, for a written
    /// cell, the look it was written in.
    type Shown = (String, Option<Style>);

    fn size(n: u16) -> std::num::NonZeroU16 {
        std::num::NonZeroU16::new(n).expect("a terminal has rows and columns")
    }

    /// The first row of the `vt100` crate's emulator after `message`, as
    /// cells, trailing blanks trimmed.
    fn reference_row(message: &str) -> Vec<Shown> {
        let mut parser = vt100::Parser::new(size(1), size(1000), 0);
        parser.process(message.as_bytes());
        let screen = parser.screen();
        let mut row = Vec::new();
        let mut after_wide = false;
        for col in 0..1000 {
            let Some(cell) = screen.cell(0, col) else {
                break;
            };
            if std::mem::replace(&mut after_wide, cell.is_wide()) {
                continue;
            }
            if !cell.has_contents() {
                row.push((" ".to_owned(), None));
                continue;
            }
            let colour = |c: vt100::Color| match c {
                vt100::Color::Idx(n) => Some(n),
                _ => None,
            };
            let style = Style {
                foreground: colour(cell.fgcolor()),
                background: colour(cell.bgcolor()),
                bold: cell.bold(),
                dim: cell.dim(),
                italic: cell.italic(),
                underline: cell.underline(),
            };
            row.push((cell.contents().to_owned(), Some(style)));
        }
        trimmed(row)
    }

    /// Our row for `message`, as cells: a character that takes columns
    /// starts a cell, a combining mark joins the cell before.
    fn our_row(message: &str) -> Vec<Shown> {
        let mut row: Vec<Shown> = Vec::new();
        for segment in segments(message) {
            for c in segment.text.chars() {
                match row.last_mut() {
                    Some((text, _)) if crate::log_pane::display_width::char_width(c) == 0 => {
                        text.push(c)
                    }
                    _ => row.push((c.to_string(), Some(segment.style))),
                }
            }
        }
        trimmed(row)
    }

    /// Trailing blanks trimmed; a space written where the reference has a
    /// blank, and a blank's look, are not told apart (only the text counts).
    fn trimmed(mut row: Vec<Shown>) -> Vec<Shown> {
        while row.last().is_some_and(|(text, _)| text == " ") {
            row.pop();
        }
        row.into_iter()
            .map(|(text, style)| {
                let style = if text == " " { None } else { style };
                (text, style)
            })
            .collect()
    }

    fn row_text(row: &[Shown]) -> String {
        row.iter().map(|(text, _)| text.as_str()).collect()
    }

    /// One piece of a generated message: text (ASCII, CJK, emoji, combining
    /// marks, a zero-width space), a cursor move, an erase or a style.
    fn piece() -> impl Strategy<Value = String> {
        let text = prop_oneof![
            "[a-z ]{1,6}",
            Just("日本".to_owned()),
            Just("🚀".to_owned()),
            Just("é".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("\u{301}".to_owned()),
            Just("\u{200b}".to_owned()),
            Just("ｆｕ".to_owned()),
        ];
        let control = prop_oneof![Just("\r"), Just("\u{8}"), Just("\t")].prop_map(str::to_owned);
        let csi = (
            0u16..12,
            prop::sample::select(vec!['G', 'C', 'D', 'X', 'P', '@']),
        )
            .prop_map(|(n, action)| format!("\u{1b}[{n}{action}"));
        let erase = (0u16..3).prop_map(|n| format!("\u{1b}[{n}K"));
        let bare = prop::sample::select(vec!["G", "C", "D", "K", "X", "P", "@"])
            .prop_map(|action| format!("\u{1b}[{action}"));
        // Not 2 (dim): `vt100` keeps one intensity, bold or dim, where
        // xterm and Alacritty keep both, as we do.
        let sgr = prop::sample::select(vec![
            "0", "1", "3", "4", "22", "23", "24", "31", "32", "39", "42", "49", "91", "38;5;200",
            "",
        ])
        .prop_map(|params| format!("\u{1b}[{params}m"));
        prop_oneof![4 => text, 2 => control, 2 => csi, 1 => erase, 1 => bare, 1 => sgr]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn the_row_is_the_reference_terminal_s_first_row(pieces in prop::collection::vec(piece(), 0..40)) {
            let message: String = pieces.concat();
            let ours = our_row(&message);
            let reference = reference_row(&message);
            prop_assert_eq!(row_text(&ours), row_text(&reference), "{:?}", message);
            prop_assert_eq!(ours, reference, "{:?}", message);
        }

        #[test]
        fn the_stored_form_shows_the_same_row(pieces in prop::collection::vec(piece(), 0..40)) {
            let message: String = pieces.concat();
            let (kept, columns) = stored_form(&message);
            prop_assert_eq!(segments(&kept), segments(&message));
            prop_assert_eq!(columns, crate::log_pane::display_width::width(&plain_text(&message)));
            let moves = ['\r', '\u{8}', '\t'];
            prop_assert!(!kept.contains(moves), "{:?}", kept);
        }
    }

    #[test]
    fn carriage_returns_overwrite_and_erase() {
        assert_eq!(plain_text("50%\r100%"), "100%");
        assert_eq!(plain_text("downloading\rok"), "okwnloading");
        assert_eq!(plain_text("downloading\r\u{1b}[Kok"), "ok");
        assert_eq!(plain_text("abc\u{8}\u{8}X"), "aXc");
        assert_eq!(plain_text("\u{8}\u{8}a"), "a");
        assert_eq!(plain_text("a\tb"), "a       b");
        assert_eq!(plain_text("abcdef\u{1b}[3G\u{1b}[2P"), "abef");
        assert_eq!(plain_text("abcdef\u{1b}[3G\u{1b}[2@"), "ab  cdef");
        assert_eq!(plain_text("abcdef\u{1b}[3G\u{1b}[2X"), "ab  ef");
        assert_eq!(plain_text("abcdef\u{1b}[3G\u{1b}[1K"), "   def");
        assert_eq!(plain_text("abc\u{1b}[2D\u{1b}[CX"), "abX");
        // A line that ends in CR (CRLF output) shows its text.
        assert_eq!(plain_text("done.\r"), "done.");
    }

    #[test]
    fn wide_characters_cut_in_half_are_blanked() {
        // 日 takes columns 1–2: writing over either half blanks it.
        assert_eq!(plain_text("日本\rX"), "X 本");
        assert_eq!(plain_text("日本\u{1b}[2GX"), " X本");
        // The accent stays on its e when the cursor comes back after it.
        assert_eq!(plain_text("e\u{301}x\u{8}y"), "e\u{301}y");
    }

    #[test]
    fn styles_stay_with_the_cells_they_were_written_in() {
        let parts: Vec<_> = segments("\u{1b}[31mred\u{1b}[0m\r\u{1b}[1mB")
            .into_iter()
            .map(|s| (s.text, s.style.classes()))
            .collect();
        assert_eq!(
            parts,
            [
                ("B".to_owned(), "ansi-bold".to_owned()),
                ("ed".to_owned(), "ansi-fg-1".to_owned())
            ]
        );
    }

    #[test]
    fn cursor_moves_stop_at_the_margin() {
        let far = plain_text("\u{1b}[65535C\u{1b}[65535@x");
        assert_eq!(far.len(), super::MARGIN + 1);
        assert!(far.ends_with(" x"));
        assert_eq!(plain_text("\u{1b}[65535Gx").len(), super::MARGIN + 1);
    }

    #[test]
    fn a_row_holds_at_most_its_limit() {
        let long = format!("\r{}", "x".repeat(super::ROW_LIMIT + 10_000));
        assert_eq!(plain_text(&long).len(), super::ROW_LIMIT);
        // Without cursor codes a line is not applied to the screen: whole.
        let plain = "é".repeat(super::ROW_LIMIT + 10);
        assert_eq!(plain_text(&plain), plain);
    }

    #[test]
    fn a_progress_line_of_400_states_is_kept_as_its_last_state() {
        let states: Vec<String> = (0..=400)
            .map(|i| {
                format!(
                    "Receiving objects: {:3}% ({i}/400), 1.2 MiB | 3.4 MiB/s",
                    i / 4
                )
            })
            .collect();
        let message = states.join("\r");
        let (kept, columns) = stored_form(&message);
        assert_eq!(kept, states[400]);
        assert_eq!(columns, states[400].len());
    }

    /// Each capture under `tests/terminal-captures` (real tools run under
    /// `script` on a 100-column terminal), given to the reference emulator
    /// whole and to us a line at a time: each line shows what the
    /// terminal's row shows.
    fn compare_capture(name: &str, capture: &str) -> Vec<String> {
        let lines: Vec<&str> = capture.split('\n').collect();
        let mut parser = vt100::Parser::new(size(lines.len() as u16 + 1), size(1000), 0);
        parser.process(capture.replace('\n', "\r\n").as_bytes());
        let terminal: Vec<String> = parser.screen().rows(0, 1000).collect();
        let ours: Vec<String> = lines
            .iter()
            .map(|line| plain_text(&stored_form(line).0))
            .collect();
        for (i, (ours, terminal)) in ours.iter().zip(&terminal).enumerate() {
            assert_eq!(
                ours.trim_end(),
                terminal.trim_end(),
                "{name}, line {}",
                i + 1
            );
        }
        ours
    }

    fn capture(name: &'static str) -> (&'static str, &'static str) {
        let text = match name {
            "git-clone" => include_str!("../../../tests/terminal-captures/git-clone.txt"),
            "npm-install" => include_str!("../../../tests/terminal-captures/npm-install.txt"),
            "pip-download" => include_str!("../../../tests/terminal-captures/pip-download.txt"),
            _ => include_str!("../../../tests/terminal-captures/apt-get-install.txt"),
        };
        (name, text)
    }

    #[test]
    fn git_clone_progress_shows_its_last_states() {
        let (name, text) = capture("git-clone");
        let shown = compare_capture(name, text);
        assert!(shown.contains(&"remote: Counting objects: 100% (2520/2520), done.".to_owned()));
        assert!(shown
            .iter()
            .any(|l| l.starts_with("Receiving objects: 100% (2520/2520), 186.55 KiB")));
        assert!(!shown.iter().any(|l| l.contains("  1% ")));
    }

    #[test]
    fn npm_install_rows_lose_the_spinner() {
        let (name, text) = capture("npm-install");
        let shown = compare_capture(name, text);
        assert!(shown.contains(
            &"npm http fetch GET 200 https://registry.npmjs.org/express 283ms (cache miss)"
                .to_owned()
        ));
        assert!(!shown
            .iter()
            .any(|l| l.contains(['⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏', '⠋'])));
    }

    #[test]
    fn pip_and_apt_get_show_one_state_a_row() {
        let (name, text) = capture("pip-download");
        let shown = compare_capture(name, text);
        let bars: Vec<_> = shown.iter().filter(|l| l.contains(" MB ")).collect();
        assert_eq!(bars.len(), 1, "{bars:?}");
        assert_eq!(
            bars[0].trim(),
            format!("{} 41.2/41.2 MB 188.8 MB/s eta 0:00:00", "━".repeat(40))
        );
        let (name, text) = capture("apt-get-install");
        let shown = compare_capture(name, text);
        assert!(shown.contains(&"Reading package lists... Done".to_owned()));
        assert!(shown.contains(&"Building dependency tree... Done".to_owned()));
        assert!(
            shown.contains(&"Fetched 650 kB in 0s (2554 kB/s)".to_owned()),
            "{shown:?}"
        );
        assert!(!shown.iter().any(|l| l.contains('%')), "{shown:?}");
    }
}
