//! The timeline of a simulated job: a pure function of its plan and of the
//! time elapsed since it was created, so a job needs no background task and
//! tests can move time without sleeping.

use crate::scenario::Scenario;
use crate::terminal_captures;

/// The labels of the seven provisioning steps.
pub const STEP_LABELS: [&str; 7] = [
    "Reserving tenant resources",
    "Creating database schema",
    "Seeding catalog",
    "Importing product images",
    "Configuring payments",
    "Building storefront",
    "Publishing DNS and TLS",
];

/// Lines the `huge` scenario writes in all.
pub const HUGE_LINE_COUNT: u64 = 120_000;
/// Lines the `million` scenario writes in all.
pub const MILLION_LINE_COUNT: u64 = 1_000_000;

/// Lines each step of the steady scenarios (`live`, `nostream`,
/// `buffered`, `drops`) writes, evenly spaced: with their 2.25 s steps at
/// the default 1.5 s, one about every 190 ms.
pub const STEADY_LINES_PER_STEP: u64 = 12;

/// How a job will unfold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub scenario: Scenario,
    /// Time spent `queued` before the first step.
    pub queued_ms: u64,
    /// Time each step takes.
    pub step_ms: u64,
    /// Log lines each step writes (the last step may write fewer: `line_cap`).
    pub lines_per_step: u64,
    /// The steps write this many lines at most.
    pub line_cap: u64,
    /// `Some(n)`: the job fails during step `n` (1-based).
    pub fails_at_step: Option<u64>,
}

impl Plan {
    pub fn new(scenario: Scenario, step_ms: u64, fails_at_step: Option<u64>) -> Self {
        let steps = STEP_LABELS.len() as u64;
        let (lines_per_step, line_cap) = match scenario {
            Scenario::Huge => (HUGE_LINE_COUNT / steps + 1, u64::MAX),
            Scenario::Million => (MILLION_LINE_COUNT.div_ceil(steps), MILLION_LINE_COUNT),
            Scenario::Hostile => {
                let lines = HOSTILE_LINES + terminal_captures::lines().len() as u64;
                (lines.div_ceil(steps), lines)
            }
            _ if scenario.is_steady() => (STEADY_LINES_PER_STEP, u64::MAX),
            _ => (4, u64::MAX),
        };
        // A million lines come over about 20 s at the default 1.5 s steps.
        // The steady scenarios take about 17 s at 1.5 s steps.
        let step_ms = match scenario {
            Scenario::Million => step_ms * 2,
            Scenario::Long => step_ms * 4,
            _ if scenario.is_steady() => step_ms * 3 / 2,
            _ => step_ms,
        };
        Self {
            scenario,
            queued_ms: step_ms / 2,
            step_ms: step_ms.max(1),
            lines_per_step,
            line_cap,
            fails_at_step,
        }
    }

    fn steps(&self) -> u64 {
        STEP_LABELS.len() as u64
    }

    /// Steps that run: all of them, or up to the failing one.
    fn steps_run(&self) -> u64 {
        self.fails_at_step.unwrap_or(self.steps())
    }

    /// Lines the steps write (before any closing error line).
    fn step_lines(&self) -> u64 {
        (self.steps_run() * self.lines_per_step).min(self.line_cap)
    }

    /// When the job reaches its final status, in ms after creation.
    pub fn finishes_after_ms(&self) -> u64 {
        self.queued_ms + self.steps_run() * self.step_ms
    }

    /// Every line the job ever writes (the failing job writes one error line more).
    pub fn total_lines(&self) -> u64 {
        self.step_lines() + u64::from(self.fails_at_step.is_some())
    }

    /// When line `seq` (1-based) is written, in ms after creation.
    pub fn line_written_at_ms(&self, seq: u64) -> u64 {
        let index = seq - 1;
        if index >= self.step_lines() {
            return self.finishes_after_ms();
        }
        self.queued_ms + index * self.step_ms / self.lines_per_step
    }

    /// The job as it stands `elapsed_ms` after creation.
    pub fn at(&self, elapsed_ms: u64) -> Snapshot {
        if elapsed_ms < self.queued_ms {
            return Snapshot {
                phase: Phase::Queued,
                step: 0,
                lines: 0,
            };
        }
        if elapsed_ms >= self.finishes_after_ms() {
            let phase = if self.fails_at_step.is_some() {
                Phase::Failed
            } else {
                Phase::Deployed
            };
            return Snapshot {
                phase,
                step: self.steps_run(),
                lines: self.total_lines(),
            };
        }
        let running = elapsed_ms - self.queued_ms;
        let step = running / self.step_ms + 1;
        let lines = (running * self.lines_per_step / self.step_ms + 1).min(self.step_lines());
        Snapshot {
            phase: Phase::Processing,
            step,
            lines,
        }
    }

    /// The level and message of line `seq`.
    pub fn line(&self, seq: u64) -> (&'static str, String) {
        if seq > self.step_lines() {
            let error = match self.fails_at_step {
                Some(4) => "Payment provider rejected the merchant account: card_processing_disabled",
                _ => "Domain verification failed: TXT record _shop-verify.acme.example not found after 3 lookups",
            };
            return ("error", error.into());
        }
        let step = (seq - 1) / self.lines_per_step + 1;
        let within = (seq - 1) % self.lines_per_step + 1;
        let label = STEP_LABELS[(step - 1) as usize];
        if self.scenario == Scenario::Hostile {
            let captured = seq
                .checked_sub(HOSTILE_LINES + 1)
                .and_then(|i| terminal_captures::lines().get(i as usize));
            return match captured {
                Some(line) => ("info", line.clone()),
                None => hostile_line(seq),
            };
        }
        if self.scenario == Scenario::Million {
            return million_line(seq, step, within, label);
        }
        if self.scenario.is_steady() && within > 1 {
            let level = if within.is_multiple_of(4) {
                "debug"
            } else {
                "info"
            };
            return (
                level,
                format!("{label}: part {within} of {} ready", self.lines_per_step),
            );
        }
        if self.scenario == Scenario::Huge {
            return (
                "debug",
                format!(
                    "{label}: processed record {within} of {}",
                    self.lines_per_step
                ),
            );
        }
        match within {
            1 => ("info", format!("Step {step}/{}: {label}", self.steps())),
            2 => ("debug", format!("{label}: {} items queued", step * 37)),
            3 if step == 4 => ("warn", format!("{label}: 2 images over 5 MB were resized")),
            3 => ("info", format!("{label}: checks passed")),
            _ => ("info", format!("{label}: done in {} ms", 180 + step * 23)),
        }
    }
}

/// A line of the `million` scenario: every 10th `debug`, every 1,000th
/// `warn`, every 100,000th `error`; each step opens with its heading; some
/// lines carry ANSI colours or a URL.
fn million_line(seq: u64, step: u64, within: u64, label: &str) -> (&'static str, String) {
    let level = if seq.is_multiple_of(100_000) {
        "error"
    } else if seq.is_multiple_of(1_000) {
        "warn"
    } else if seq.is_multiple_of(10) {
        "debug"
    } else {
        "info"
    };
    let message = match (within, seq % 500, seq % 250) {
        (1, _, _) => format!("Step {step}/7: {label}"),
        _ if level == "error" => {
            format!("{label}: record {seq} rejected: checksum mismatch (retrying)")
        }
        _ if level == "warn" => format!("{label}: batch {} slow: 1.8 s over budget", seq / 1_000),
        (_, 0, _) => {
            format!("{label}: record {seq} details at https://status.example.test/records/{seq}")
        }
        (_, _, 0) => format!(
            "\u{1b}[32m✔\u{1b}[0m {label}: batch {} committed",
            seq / 250
        ),
        _ => format!(
            "{label}: processed record {within} (sku-{:06})",
            seq * 7919 % 1_000_000
        ),
    };
    (level, message)
}

/// The `hostile` scenario's own lines (the ones below, in turn); the
/// output captured from real tools on a terminal follows them.
pub const HOSTILE_LINES: u64 = 84;

fn hostile_line(seq: u64) -> (&'static str, String) {
    match seq % 12 {
        0 => ("info", "<script>alert('xss')</script> rendered as text".into()),
        1 => ("warn", "<img src=x onerror=\"alert(1)\"> &amp; <b>not bold</b>".into()),
        2 => ("info", "\u{1b}[32mgreen\u{1b}[0m \u{1b}[1;31mbold red\u{1b}[0m \u{1b}[4munderlined\u{1b}[0m plain".into()),
        3 => ("debug", format!("very long line: {}", "0123456789abcdef".repeat(1_250))),
        4 => ("info", "RTL: مرحبا بالعالم — שלום עולם — end".into()),
        5 => ("notice", "emoji: 🛍️ 👩‍👩‍👧 🇯🇵 and a zero\u{200b}width space".into()),
        // Bait for a pattern that backtracks for ever: `(a+)+$`.
        7 => ("info", format!("backtracking bait: {}!", "a".repeat(40))),
        6 => ("error", "quotes \" ' ` and backslashes \\ \\n and a tab\there".into()),
        // A window title, an OSC 8 hyperlink (as npm, cargo and systemd
        // print them) and a CSI run far past 64 bytes.
        8 => ("info", format!(
            "\u{1b}]0;build 42\u{7}\u{1b}]8;;https://ci.example.test/run/42\u{1b}\\build 42 details\u{1b}]8;;\u{1b}\\ \u{1b}[{}32mpassed\u{1b}[0m",
            "1;".repeat(40)
        )),
        9 => ("info", format!("CJK: {}", "日本語のログ行、".repeat(50))),
        10 => ("info", "\r\u{1b}[2K[=====>    ] 50%\u{1b}[1A\u{1b}P1$r0m\u{1b}\\ progress".into()),
        _ => ("info", "{{ template }} ${injection} %s %n".into()),
    }
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Queued,
    Processing,
    Deployed,
    Failed,
}

impl Phase {
    pub fn is_final(self) -> bool {
        matches!(self, Self::Deployed | Self::Failed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub phase: Phase,
    /// The step under way (1-based); 0 while queued.
    pub step: u64,
    /// Lines written so far.
    pub lines: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_successful_job_goes_queued_processing_deployed() {
        let plan = Plan::new(Scenario::Success, 1_000, None);
        assert_eq!(plan.at(0).phase, Phase::Queued);
        assert_eq!(plan.at(0).lines, 0);
        let first = plan.at(plan.queued_ms);
        assert_eq!(
            (first.phase, first.step, first.lines),
            (Phase::Processing, 1, 1)
        );
        let later = plan.at(plan.queued_ms + 3_500);
        assert_eq!((later.phase, later.step), (Phase::Processing, 4));
        let done = plan.at(plan.finishes_after_ms());
        assert_eq!(
            (done.phase, done.step, done.lines),
            (Phase::Deployed, 7, 28)
        );
    }

    #[test]
    fn a_failing_job_stops_at_step_four_with_an_error_line() {
        let plan = Plan::new(Scenario::Fail, 1_000, Some(4));
        let done = plan.at(10_000);
        assert_eq!((done.phase, done.step, done.lines), (Phase::Failed, 4, 17));
        assert_eq!(plan.line(17).0, "error");
    }

    #[test]
    fn lines_never_decrease_and_are_written_when_the_snapshot_says() {
        let plan = Plan::new(Scenario::Success, 700, None);
        let mut previous = 0;
        for t in 0..plan.finishes_after_ms() + 10 {
            let lines = plan.at(t).lines;
            assert!(lines >= previous);
            for seq in 1..=lines {
                assert!(
                    plan.line_written_at_ms(seq) <= t,
                    "line {seq} shown at {t} ms before it was written"
                );
            }
            previous = lines;
        }
    }

    #[test]
    fn the_huge_scenario_writes_more_than_100000_lines() {
        let plan = Plan::new(Scenario::Huge, 1_000, None);
        assert!(plan.total_lines() > 100_000);
    }

    #[test]
    fn the_million_scenario_writes_a_million_mixed_lines_in_about_20_s() {
        let plan = Plan::new(Scenario::Million, 1_500, None);
        assert_eq!(plan.total_lines(), 1_000_000);
        let done = plan.at(plan.finishes_after_ms());
        assert_eq!((done.phase, done.lines), (Phase::Deployed, 1_000_000));
        assert!((19_000..=23_000).contains(&plan.finishes_after_ms()));
        assert!(plan.line_written_at_ms(1_000_000) <= plan.finishes_after_ms());
        assert_eq!(plan.line(10).0, "debug");
        assert_eq!(plan.line(3_000).0, "warn");
        assert_eq!(plan.line(200_000).0, "error");
        assert_eq!(plan.line(7).0, "info");
        assert!(plan.line(1).1.starts_with("Step 1/7"));
        assert!(plan.line(plan.lines_per_step + 1).1.starts_with("Step 2/7"));
        assert!(plan.line(750).1.contains('\u{1b}'));
        assert!(plan.line(500).1.contains("https://"));
        let levels = (1..=1_000_000)
            .filter(|&s| plan.line(s).0 == "error")
            .count();
        assert_eq!(levels, 10);
        let mean = (1..=20_000).map(|s| plan.line(s).1.len()).sum::<usize>() / 20_000;
        assert!((40..=90).contains(&mean), "{mean} bytes a line");
    }

    #[test]
    fn the_steady_scenarios_write_a_line_every_190_ms_or_so_for_about_17_s() {
        for scenario in [
            Scenario::Live,
            Scenario::NoStream,
            Scenario::Buffered,
            Scenario::Drops,
        ] {
            let plan = Plan::new(scenario, 1_500, None);
            assert!((15_000..=20_000).contains(&plan.finishes_after_ms()));
            assert_eq!(plan.total_lines(), 84);
            let gaps: Vec<u64> = (2..=84)
                .map(|seq| plan.line_written_at_ms(seq) - plan.line_written_at_ms(seq - 1))
                .collect();
            assert!(gaps.iter().all(|gap| (180..=200).contains(gap)), "{gaps:?}");
            assert!(plan.line(1).1.starts_with("Step 1/7"));
            assert!(plan.line(13).1.starts_with("Step 2/7"));
            assert_eq!(
                plan.line(14).1,
                "Creating database schema: part 2 of 12 ready"
            );
        }
    }

    #[test]
    fn hostile_lines_include_html_ansi_rtl_emoji_and_long_text() {
        let plan = Plan::new(Scenario::Hostile, 1_000, None);
        let all: Vec<String> = (1..=16).map(|seq| plan.line(seq).1).collect();
        assert!(all.iter().any(|l| l.contains("<script>")));
        assert!(all.iter().any(|l| l.contains('\u{1b}')));
        assert!(all.iter().any(|l| l.contains("مرحبا")));
        assert!(all.iter().any(|l| l.contains("🛍️")));
        assert!(all.iter().any(|l| l.len() > 10_000));
        assert!(all.iter().any(|l| l.contains("\u{1b}]8;;https://")));
        assert!(all
            .iter()
            .any(|l| l.chars().filter(|c| *c == '日').count() == 50));
        assert!(all
            .iter()
            .any(|l| l.ends_with(&format!("{}!", "a".repeat(40)))));
    }
}
