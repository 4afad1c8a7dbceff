//! Scenarios: how a simulated job behaves, chosen by the tenant id's first
//! segment (`fail-acme` runs the `fail` scenario). Any other tenant succeeds.

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
    /// Status polls 3–5 answer 502 with an HTML page, poll 6 a 503 with `Retry-After: 2`.
    Html5xx,
    /// Status poll 2 answers truncated JSON, poll 4 answers text that is not JSON.
    Malformed,
    /// The tenant's first POST answers 429 `Retry-After: 2`; status poll 2 answers 429 `Retry-After: 1`.
    RateLimit,
    /// The tenant's first POST answers 429 with `Retry-After` as an HTTP-date
    /// 3 s ahead (the form proxies and CDNs send).
    RateDate,
    /// POST answers 404 `tenant_not_found`.
    Missing,
    /// POST answers 403 `forbidden`.
    Forbidden,
    /// From status poll 3 on, the job has expired: 404 `job_not_found`.
    Expire,
    /// More than 100,000 log lines.
    Huge,
    /// 1,000,000 log lines over about 20 s: levels mixed, steps, ANSI colours, URLs.
    Million,
    /// Log text that looks like HTML, ANSI colour codes, very long lines, RTL
    /// text and emoji; then output captured from real tools on a terminal.
    Hostile,
    /// The server ignores `logsAfter` and always returns every line.
    Dupes,
    /// Status values the portal does not know, unknown fields, no `progress`.
    Weird,
    /// The first POST starts a job and answers 409 `job_in_progress` with its id,
    /// as if someone else had started it.
    Busy,
    /// From status poll 3 on, the token is refused with 401.
    Signout,
    /// The tenant's first POST starts a job, but the connection drops before
    /// the answer arrives; a retry with the same idempotency key gets the job.
    Dropped,
}

/// How long every response of the `slow` scenario waits.
pub const SLOW_RESPONSE_MS: u64 = 2_500;

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
            _ => Self::Success,
        }
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
        "status polls 3-5 answer 502 with an HTML page, poll 6 a 503 with Retry-After: 2",
    ),
    (
        "malformed-acme",
        "status poll 2 answers truncated JSON, poll 4 text that is not JSON",
    ),
    (
        "ratelimit-acme",
        "the first POST answers 429 Retry-After: 2; status poll 2 answers 429 Retry-After: 1",
    ),
    (
        "ratedate-acme",
        "the first POST answers 429 with Retry-After as an HTTP-date 3 s ahead",
    ),
    ("missing-acme", "POST answers 404 tenant_not_found"),
    ("forbidden-acme", "POST answers 403 forbidden"),
    (
        "expire-acme",
        "from status poll 3 on the job is gone: 404 job_not_found",
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
        "the server ignores logsAfter and repeats every line",
    ),
    ("weird-acme", "unknown statuses and fields, no progress"),
    (
        "busy-acme",
        "the first POST answers 409 job_in_progress with the id of a running job",
    ),
    (
        "signout-acme",
        "from status poll 3 on the token is refused: 401",
    ),
    (
        "dropped-acme",
        "the first POST starts a job but the connection drops before the answer",
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
        assert_eq!(seen.len(), 20);
    }
}
