//! Output captured from real tools run on a terminal (under `script`, 100
//! columns), kept byte for byte in `tests/terminal-captures/`: progress
//! bars redrawn with CR and `ESC[K`, npm's spinner drawn with `ESC[1G`,
//! pip's bar with `ESC[2K`. The `hostile` scenario logs them a line each,
//! after the command that printed them.

/// (the command, what it printed).
const CAPTURES: [(&str, &str); 4] = [
    (
        "git clone --progress --no-local gsrc catalog",
        include_str!("../../tests/terminal-captures/git-clone.txt"),
    ),
    (
        "npm install --no-audit --no-fund --loglevel http express@4",
        include_str!("../../tests/terminal-captures/npm-install.txt"),
    ),
    (
        "pip download --no-deps --no-cache-dir -d dl scipy==1.14.1",
        include_str!("../../tests/terminal-captures/pip-download.txt"),
    ),
    (
        "apt-get install -d -y cowsay fortune-mod fortunes-min",
        include_str!("../../tests/terminal-captures/apt-get-install.txt"),
    ),
];

/// Every captured line, each command's first as `$ command`, in order.
pub fn lines() -> &'static [String] {
    static LINES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LINES.get_or_init(|| {
        let mut out = Vec::new();
        for (command, printed) in CAPTURES {
            out.push(format!("$ {command}"));
            let printed = printed.strip_suffix('\n').unwrap_or(printed);
            out.extend(printed.split('\n').map(str::to_owned));
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_captures_hold_the_codes_that_redraw_a_row() {
        let all = lines();
        assert!(all.len() > 200, "{} lines", all.len());
        assert!(all.iter().any(|l| l.matches('\r').count() > 100));
        assert!(all.iter().any(|l| l.contains("\u{1b}[1G\u{1b}[0K")));
        assert!(all.iter().any(|l| l.contains("\u{1b}[2K")));
        assert!(all
            .iter()
            .any(|l| l.starts_with("\rReading package lists... 0%")));
        assert_eq!(all.iter().filter(|l| l.starts_with("$ ")).count(), 4);
    }
}
