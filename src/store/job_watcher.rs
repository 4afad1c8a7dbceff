//! One place that follows jobs, whoever wants them. A part of the page
//! *subscribes* to a job (its lines or its head only, once or at a pace);
//! the [`Schedule`] decides, for every job any part watches, when the
//! service is asked next: at most one request in flight a job, at the
//! fastest pace any of its subscribers asks for, slower while the tab is
//! hidden, backing off after trouble; a job nobody watches is not asked
//! about. The schedule is pure (the clock is passed in) and tested natively;
//! `job_watcher::shell` runs it in the browser, and `job_watcher::hearing`
//! is how a job is heard (today a poll of the status endpoint).

pub mod hearing;
pub mod shell;
mod streaming;

pub use streaming::StreamMove;

use super::polling_policy::{after_failure, follow_as_hidden, NextPoll, HIDDEN_POLL_INTERVAL_MS};
use crate::api::ApiError;

/// How often a subscriber wants to hear of its job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// One answer, then the subscription ends.
    Once,
    /// An answer this often (ms) until the job ends.
    Every(u32),
}

/// What one subscriber wants of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interest {
    /// Its new log lines too, not only its head (status, progress, error).
    pub lines: bool,
    pub pace: Pace,
}

impl Interest {
    pub const fn heads(pace: Pace) -> Self {
        Self { lines: false, pace }
    }
    pub const fn lines(pace: Pace) -> Self {
        Self { lines: true, pace }
    }
}

/// A subscription's number; the shell keeps what to tell it under this.
pub type SubscriptionId = u64;

/// A request to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub job_id: String,
    /// With the log's new lines (else the head only).
    pub lines: bool,
}

/// What a request came back with, as far as the schedule cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The job, ended (`deployed`, `failed`) or not.
    Heard {
        ended: bool,
    },
    Failed(ApiError),
}

/// Who hears an answer, and when the job is asked about next.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Delivery {
    /// Every subscription of the job.
    pub to: Vec<SubscriptionId>,
    /// Those it ended: a `Once` it answered.
    pub done: Vec<SubscriptionId>,
    /// When the job is asked about next (ms since the epoch), if it is.
    pub next_at_ms: Option<f64>,
}

#[derive(Debug, Clone)]
struct Subscriber {
    id: SubscriptionId,
    interest: Interest,
    /// Not answered yet: the first request that answers it (a request
    /// already on its way when it came answers it only if it asked for what
    /// it wants).
    waiting_for: Option<u64>,
    /// When another tab, on screen, last said it shows what this
    /// subscriber shows: the job keeps a shown job's pace.
    shown_elsewhere_at_ms: Option<f64>,
}

/// When a job is asked about next, once its request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
enum Next {
    /// At its pace after the last answer (and no sooner than the wait
    /// after trouble).
    #[default]
    Paced,
    /// At once, for its last lines: a head-only answer said it ended.
    LinesNow,
    /// Ended, gone or refused: asked again only for a new subscriber, or
    /// after [`Schedule::resume`].
    Stopped,
    /// At this time (ms since the epoch): [`Schedule::resume`].
    At(f64),
}

#[derive(Debug, Clone, Default)]
struct Watched {
    job_id: String,
    subscribers: Vec<Subscriber>,
    /// The request on its way: its number, and whether it asked for lines.
    asking: Option<(u64, bool)>,
    next: Next,
    /// When the last answer came (ms since the epoch).
    heard_at_ms: f64,
    /// The least wait after it (trouble's backoff; 0 after a good answer).
    least_wait_ms: u32,
    /// Failures in a row.
    failures: u32,
    /// Its stream, where the service streams.
    stream: streaming::JobStream,
}

impl Watched {
    /// The fastest pace its subscribers ask for (`None`: only `Once`).
    fn fastest_ms(&self) -> Option<u32> {
        self.subscribers
            .iter()
            .filter_map(|s| match s.interest.pace {
                Pace::Every(ms) => Some(ms),
                Pace::Once => None,
            })
            .min()
    }

    fn wants_lines(&self) -> bool {
        self.subscribers.iter().any(|s| s.interest.lines)
    }

    /// A subscriber no request answered yet.
    fn unanswered(&self) -> bool {
        self.subscribers.iter().any(|s| s.waiting_for.is_some())
    }

    /// An answer: the subscribers waiting for it (for request `number` or
    /// an earlier one; `None`: all that wait) are answered, and a `Once`
    /// one leaves. Who hears it (everyone, or with `only_answered` those
    /// alone), and who left.
    fn answer(
        &mut self,
        number: Option<u64>,
        only_answered: bool,
    ) -> (Vec<SubscriptionId>, Vec<SubscriptionId>) {
        let answers = |s: &Subscriber| {
            s.waiting_for
                .is_some_and(|first| number.is_none_or(|n| first <= n))
        };
        let to = self
            .subscribers
            .iter()
            .filter(|s| !only_answered || answers(s))
            .map(|s| s.id)
            .collect();
        let mut done = Vec::new();
        self.subscribers.retain_mut(|s| {
            if answers(s) {
                s.waiting_for = None;
                if s.interest.pace == Pace::Once {
                    done.push(s.id);
                    return false;
                }
            }
            true
        });
        (to, done)
    }

    /// Followed as a hidden tab's: no other tab on screen said it shows it.
    fn hidden(&self, tab_hidden: bool, now_ms: f64) -> bool {
        let shown_at = self
            .subscribers
            .iter()
            .filter_map(|s| s.shown_elsewhere_at_ms)
            .reduce(f64::max);
        follow_as_hidden(tab_hidden, shown_at, now_ms)
    }

    /// Its pace now: the fastest subscriber's, no faster than the hidden
    /// pace while hidden.
    fn pace_ms(&self, hidden: bool) -> Option<u32> {
        let fastest = self.fastest_ms()?;
        Some(if hidden {
            fastest.max(HIDDEN_POLL_INTERVAL_MS)
        } else {
            fastest
        })
    }

    /// When it is next due by its pace (a subscriber not answered yet makes
    /// it due at once). Never while a live stream carries it.
    fn due_at_ms(&self, hidden: bool) -> Option<f64> {
        if self.stream.carries() {
            return None;
        }
        match self.next {
            Next::Paced => {
                let wait = self.pace_ms(hidden)?.max(self.least_wait_ms);
                Some(self.heard_at_ms + f64::from(wait))
            }
            Next::LinesNow => Some(self.heard_at_ms),
            Next::Stopped => None,
            Next::At(at_ms) => Some(at_ms),
        }
    }
}

/// Every watched job and its subscribers; what to ask, and when.
#[derive(Debug, Default)]
pub struct Schedule {
    /// (A few jobs at a time: a list costs less code than a map.)
    jobs: Vec<Watched>,
    next_subscription: SubscriptionId,
    /// The number the next request gets.
    next_request: u64,
    /// Jobs are streamed where the service streams ([`Schedule::streaming`]).
    streams: bool,
}

impl Schedule {
    fn job_mut(&mut self, job_id: &str) -> Option<&mut Watched> {
        self.jobs.iter_mut().find(|w| w.job_id == job_id)
    }

    /// A new subscriber of `job_id`: the job is asked about at once (unless
    /// a request on its way answers it).
    pub fn subscribe(&mut self, job_id: &str, interest: Interest) -> SubscriptionId {
        self.next_subscription += 1;
        let id = self.next_subscription;
        if self.job_mut(job_id).is_none() {
            self.jobs.push(Watched {
                job_id: job_id.to_owned(),
                ..Watched::default()
            });
        }
        let next_request = self.next_request;
        let Some(watched) = self.job_mut(job_id) else {
            return id;
        };
        let answered_by_asking = watched
            .asking
            .filter(|&(_, lines)| lines || !interest.lines)
            .map(|(number, _)| number);
        watched.subscribers.push(Subscriber {
            id,
            interest,
            waiting_for: Some(answered_by_asking.unwrap_or(next_request)),
            shown_elsewhere_at_ms: None,
        });
        id
    }

    /// A new subscriber of `job_id` that has just heard of it (from the
    /// answer to its POST, or before it left off): asked about at the
    /// job's pace, not at once.
    pub fn subscribe_heard(
        &mut self,
        job_id: &str,
        interest: Interest,
        now_ms: f64,
    ) -> SubscriptionId {
        let new = self.job_mut(job_id).is_none();
        let id = self.subscribe(job_id, interest);
        if let Some(watched) = self.job_mut(job_id) {
            if new {
                watched.heard_at_ms = now_ms;
            }
            for subscriber in &mut watched.subscribers {
                if subscriber.id == id && watched.asking.is_none() {
                    subscriber.waiting_for = None;
                }
            }
        }
        id
    }

    /// The subscription ends; a job left with none is forgotten once no
    /// request for it is on its way (its answer is told to nobody).
    pub fn unsubscribe(&mut self, id: SubscriptionId) {
        self.jobs.retain_mut(|watched| {
            watched.subscribers.retain(|s| s.id != id);
            !watched.subscribers.is_empty() || watched.asking.is_some()
        });
    }

    /// Another tab, on screen, shows what subscription `id` shows.
    pub fn shown_elsewhere(&mut self, id: SubscriptionId, now_ms: f64) {
        let subscriber = self
            .jobs
            .iter_mut()
            .flat_map(|w| w.subscribers.iter_mut())
            .find(|s| s.id == id);
        if let Some(subscriber) = subscriber {
            subscriber.shown_elsewhere_at_ms = Some(now_ms);
        }
    }

    /// `job_id` is asked about at `at_ms` (stopped or not: a token is back),
    /// then at its pace.
    pub fn resume(&mut self, job_id: &str, at_ms: f64) {
        if let Some(watched) = self.job_mut(job_id) {
            watched.next = Next::At(at_ms);
            watched.failures = 0;
        }
    }

    /// The jobs watched now.
    pub fn watched(&self) -> impl Iterator<Item = &str> {
        self.jobs
            .iter()
            .filter(|w| !w.subscribers.is_empty())
            .map(|w| w.job_id.as_str())
    }

    /// What to send at `now_ms`, each marked as on its way.
    pub fn due(&mut self, now_ms: f64, tab_hidden: bool) -> Vec<Ask> {
        let mut asks = Vec::new();
        for watched in &mut self.jobs {
            if watched.asking.is_some() {
                continue;
            }
            let hidden = watched.hidden(tab_hidden, now_ms);
            let paced = watched.due_at_ms(hidden).is_some_and(|at| at <= now_ms);
            if !(paced || watched.unanswered()) {
                continue;
            }
            // A live stream brings the lines: a new subscriber's answer is
            // the head.
            let lines = watched.wants_lines()
                && (!hidden || watched.next == Next::LinesNow)
                && !watched.stream.carries();
            watched.asking = Some((self.next_request, lines));
            self.next_request += 1;
            asks.push(Ask {
                job_id: watched.job_id.clone(),
                lines,
            });
        }
        asks
    }

    /// When [`Schedule::due`] has something next (`None`: nothing until a
    /// subscription, an answer or a resume).
    pub fn next_due_ms(&self, now_ms: f64, tab_hidden: bool) -> Option<f64> {
        self.jobs
            .iter()
            .filter(|w| w.asking.is_none())
            .filter_map(|w| {
                if w.unanswered() {
                    return Some(now_ms);
                }
                w.due_at_ms(w.hidden(tab_hidden, now_ms))
            })
            .reduce(f64::min)
    }

    /// The answer to `ask`, at `now_ms`; `jitter` in `[0, 1)` spreads the
    /// waits after trouble.
    pub fn answered(
        &mut self,
        ask: &Ask,
        outcome: &Outcome,
        now_ms: f64,
        tab_hidden: bool,
        jitter: f64,
    ) -> Delivery {
        let Some(watched) = self.job_mut(&ask.job_id) else {
            return Delivery::default();
        };
        let Some((number, _)) = watched.asking.take() else {
            return Delivery::default();
        };
        // While a live stream carries the job (or after its `done`), a poll's
        // answer may be older than what the stream told: it goes only to the
        // subscribers it is the first answer for.
        let stale = watched.stream.carries() || watched.stream.done;
        let (to, done) = watched.answer(Some(number), stale);
        watched.heard_at_ms = now_ms;
        (watched.next, watched.least_wait_ms) = match outcome {
            // A stream said `done`: a poll sent before is no news.
            _ if watched.stream.done => (Next::Stopped, 0),
            Outcome::Heard { ended } => {
                watched.failures = 0;
                if *ended && !ask.lines && watched.wants_lines() {
                    (Next::LinesNow, 0)
                } else if *ended {
                    (Next::Stopped, 0)
                } else {
                    (Next::Paced, 0)
                }
            }
            Outcome::Failed(error) => {
                watched.failures += 1;
                match after_failure(error, watched.failures, jitter) {
                    NextPoll::After(wait) => (Next::Paced, wait),
                    NextPoll::Stop => (Next::Stopped, 0),
                }
            }
        };
        let next_at_ms = watched.due_at_ms(watched.hidden(tab_hidden, now_ms));
        if watched.subscribers.is_empty() {
            self.jobs.retain(|w| w.job_id != ask.job_id);
        }
        Delivery {
            to,
            done,
            next_at_ms,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
