//! Scenarios: how a simulated job behaves, chosen by the tenant id's first
//! segment (`fail-acme` runs the `fail` scenario). Any other tenant succeeds.
//!
//! Every scenario's job can be streamed (`GET /provision/events/{jobId}`)
//! except those whose point is a sequence of status polls, and `nostream`:
//! see [`Scenario::streams`].

/// Every reproducible behaviour the dev service can simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Queued, seven steps, deployed with a store URL.
    Success,
    /// The tenant's first job fails at step 4; the next one succeeds.
    Fail,
    /// Every job fails: the first at step 4 (payment), the later ones at
    /// step 6 (domain verification), so attempts differ.
    Refail,
    /// Succeeds, with steps four times as long (several run at once).
    Long,
    /// Every response is delayed by [`SLOW_RESPONSE_MS`].
    Slow,
    /// Status polls 3–5 answer 502 with an HTML page, poll 6 a 503 with
    /// `Retry-After: 2`. Not streamed.
    Html5xx,
    /// Status poll 2 answers truncated JSON, poll 4 answers text that is
    /// not JSON. Not streamed.
    Malformed,
    /// The tenant's first POST answers 429 `Retry-After: 2`; status poll 2
    /// answers 429 `Retry-After: 1`. Not streamed.
    RateLimit,
    /// The tenant's first POST answers 429 with `Retry-After` as an HTTP-date
    /// 3 s ahead (the form proxies and CDNs send).
    RateDate,
    /// POST answers 404 `tenant_not_found`.
    Missing,
    /// POST answers 403 `forbidden`.
    Forbidden,
    /// From request 3 on (status polls and stream opens counted together),
    /// the job has expired: 404 `job_not_found`. Its streams end, without
    /// `done`, [`SHORT_STREAM_MS`] after they open, so a client reconnects.
    Expire,
    /// More than 100,000 log lines.
    Huge,
    /// 1,000,000 log lines over about 20 s: levels mixed, steps, ANSI colours, URLs.
    Million,
    /// Log text that looks like HTML, ANSI colour codes, very long lines, RTL
    /// text and emoji; then output captured from real tools on a terminal.
    Hostile,
    /// The server ignores `logsAfter` and always returns every line. Not
    /// streamed.
    Dupes,
    /// Status values the portal does not know, unknown fields, no
    /// `progress`. Not streamed.
    Weird,
    /// The first POST starts a job and answers 409 `job_in_progress` with its id,
    /// as if someone else had started it.
    Busy,
    /// From request 3 on (status polls and stream opens counted together),
    /// the token is refused with 401. Its streams end, without `done`,
    /// [`SHORT_STREAM_MS`] after they open, so a client reconnects.
    Signout,
    /// The tenant's first POST starts a job, but the connection drops before
    /// the answer arrives; a retry with the same idempotency key gets the job.
    Dropped,
    /// Succeeds over about 17 s with a line every 190 ms or so, streamed as
    /// they come: for measuring how late a line is shown.
    Live,
    /// As `live`, but the events endpoint answers 404 `not_found`, as a
    /// service without streams does.
    NoStream,
    /// As `live`, but a stream's body (its first comment included) is held
    /// back until the job ends and then sent at once, as a buffering proxy
    /// does; the headers come at once.
    Buffered,
    /// As `live`, but every stream is cut [`DROPPED_STREAM_MS`] after it
    /// opens, without `done` (every other one mid-event, with an error); a
    /// stream resumed with `after` goes on exactly where the last one stopped.
    Drops,
}

/// How long every response of the `slow` scenario waits.
pub const SLOW_RESPONSE_MS: u64 = 2_500;

/// How long a stream of the `expire` and `signout` scenarios lasts (by the
/// service's clock).
pub const SHORT_STREAM_MS: u64 = 2_000;

/// How long a stream of the `drops` scenario lasts (by the service's clock).
pub const DROPPED_STREAM_MS: u64 = 2_500;

impl Scenario {
    /// The scenario a tenant id selects.
    pub fn for_tenant(tenant_id: &str) -> Self {
        let prefix = tenant_id.split('-').next().unwrap_or_default();
        match prefix {
            "fail" => Self::Fail,
            "refail" => Self::Refail,
            "long" => Self::Long,
            "slow" => Self::Slow,
            "html5xx" => Self::Html5xx,
            "malformed" => Self::Malformed,
            "ratelimit" => Self::RateLimit,
            "ratedate" => Self::RateDate,
            "missing" => Self::Missing,
            "forbidden" => Self::Forbidden,
            "expire" => Self::Expire,
            "huge" => Self::Huge,
            "million" => Self::Million,
            "hostile" => Self::Hostile,
            "dupes" => Self::Dupes,
            "weird" => Self::Weird,
            "busy" => Self::Busy,
            "signout" => Self::Signout,
            "dropped" => Self::Dropped,
            "live" => Self::Live,
            "nostream" => Self::NoStream,
            "buffered" => Self::Buffered,
            "drops" => Self::Drops,
            _ => Self::Success,
        }
    }

    /// Whether the events endpoint streams this scenario's jobs. The
    /// scenarios whose point is a sequence of status polls answer it as a
    /// service without streams does (404 `not_found`), so a client polls.
    pub fn streams(self) -> bool {
        !matches!(
            self,
            Self::Html5xx
                | Self::Malformed
                | Self::RateLimit
                | Self::Dupes
                | Self::Weird
                | Self::NoStream
        )
    }

    /// How long one of its streams lasts before it is cut without `done`
    /// (by the service's clock), if it is.
    pub fn stream_cut_after_ms(self) -> Option<u64> {
        match self {
            Self::Expire | Self::Signout => Some(SHORT_STREAM_MS),
            Self::Drops => Some(DROPPED_STREAM_MS),
            _ => None,
        }
    }

    /// The `live`, `nostream`, `buffered` and `drops` scenarios: a job of
    /// about 17 s with steady lines.
    pub fn is_steady(self) -> bool {
        matches!(
            self,
            Self::Live | Self::NoStream | Self::Buffered | Self::Drops
        )
    }
}

/// One line of docs/dev-service.md's scenario table per scenario: (example tenant, behaviour).
pub const CATALOGUE: &[(&str, &str)] = &[
    (
        "acme-shoes",
        "succeeds: queued, 7 labelled steps, deployed with a store URL",
    ),
    (
        "fail-acme",
        "the first job fails at step 4 with an error; the next one succeeds",
    ),
    (
        "refail-acme",
        "every job fails: the first at step 4 (payment), the next ones at step 6 (domain)",
    ),
    ("long-acme", "succeeds, with steps four times as long"),
    ("slow-acme", "every response takes 2.5 s"),
    (
        "html5xx-acme",
        "status polls 3-5 answer 502 with an HTML page, poll 6 a 503 with Retry-After: 2; not streamed",
    ),
    (
        "malformed-acme",
        "status poll 2 answers truncated JSON, poll 4 text that is not JSON; not streamed",
    ),
    (
        "ratelimit-acme",
        "the first POST answers 429 Retry-After: 2; status poll 2 answers 429 Retry-After: 1; not streamed",
    ),
    (
        "ratedate-acme",
        "the first POST answers 429 with Retry-After as an HTTP-date 3 s ahead",
    ),
    ("missing-acme", "POST answers 404 tenant_not_found"),
    ("forbidden-acme", "POST answers 403 forbidden"),
    (
        "expire-acme",
        "from request 3 on (status polls and stream opens) the job is gone: 404 job_not_found; its streams end after 2 s without done",
    ),
    ("huge-acme", "120,000 log lines"),
    (
        "million-acme",
        "1,000,000 lines over about 20 s: every 10th debug, every 1,000th warn, every 100,000th error; steps, ANSI colours, URLs",
    ),
    (
        "hostile-acme",
        "log text with HTML, ANSI colours, 20,000-character lines, RTL and emoji; then git, npm, pip and apt-get output captured on a terminal (progress bars, spinners)",
    ),
    (
        "dupes-acme",
        "the server ignores logsAfter and repeats every line; not streamed",
    ),
    (
        "weird-acme",
        "unknown statuses and fields, no progress; not streamed",
    ),
    (
        "busy-acme",
        "the first POST answers 409 job_in_progress with the id of a running job",
    ),
    (
        "signout-acme",
        "from request 3 on (status polls and stream opens) the token is refused: 401; its streams end after 2 s without done",
    ),
    (
        "dropped-acme",
        "the first POST starts a job but the connection drops before the answer",
    ),
    (
        "live-acme",
        "succeeds over about 17 s, a line every 190 ms or so, streamed as they come",
    ),
    (
        "nostream-acme",
        "as live-, but the events endpoint answers 404 not_found (a service without streams)",
    ),
    (
        "buffered-acme",
        "as live-, but a stream's body is held back until the job ends, then sent at once (a buffering proxy)",
    ),
    (
        "drops-acme",
        "as live-, but every stream is cut after 2.5 s without done; a stream resumed with after goes on exactly",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_segment_of_the_tenant_id_selects_the_scenario() {
        assert_eq!(Scenario::for_tenant("acme-shoes"), Scenario::Success);
        assert_eq!(Scenario::for_tenant("fail-acme"), Scenario::Fail);
        assert_eq!(Scenario::for_tenant("refail-acme"), Scenario::Refail);
        assert_eq!(Scenario::for_tenant("huge"), Scenario::Huge);
        assert_eq!(Scenario::for_tenant("hugely-popular"), Scenario::Success);
    }

    #[test]
    fn every_catalogued_example_selects_a_distinct_scenario() {
        let mut seen = Vec::new();
        for (tenant, _) in CATALOGUE {
            let scenario = Scenario::for_tenant(tenant);
            assert!(!seen.contains(&scenario), "{tenant} repeats {scenario:?}");
            seen.push(scenario);
        }
        assert_eq!(seen.len(), 24);
    }
}
