use super::*;
use crate::api::job_fixture::job;
use proptest::prelude::*;

fn tenants(n: usize) -> Vec<TenantId> {
    (0..n)
        .map(|i| TenantId::parse(&format!("t{i}")).unwrap())
        .collect()
}

fn keys() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("k{n}")
    }
}

/// The running tenants whose jobs the batch follows, by index.
fn followed(batch: &Batch) -> Vec<usize> {
    let jobs = batch.followed_jobs();
    (0..batch.tenants.len())
        .filter(|&i| {
            batch.tenants[i]
                .job_id
                .as_ref()
                .is_some_and(|id| jobs.contains(id))
        })
        .collect()
}

#[test]
fn at_most_at_once_jobs_run_and_a_new_one_starts_when_one_ends() {
    let mut batch = Batch::new(tenants(5), 2, keys());
    assert_eq!(batch.sends_due(0.0), [0, 1]);
    assert_eq!(batch.sends_due(1.0), [] as [usize; 0], "both slots held");
    batch.answered(
        0,
        Answer::Posted(Ok(job("j0").status(JobStatus::Queued).build())),
        2.0,
        0.5,
    );
    batch.answered(
        1,
        Answer::Posted(Ok(job("j1").status(JobStatus::Queued).build())),
        2.0,
        0.5,
    );
    assert!(
        batch.sends_due(3.0).is_empty(),
        "running jobs hold their slots"
    );
    assert_eq!(
        batch.followed_jobs(),
        ["j0", "j1"],
        "each running job followed"
    );
    batch.answered(
        0,
        Answer::Heard(Ok(job("j0").status(JobStatus::Deployed).build())),
        3_000.0,
        0.5,
    );
    assert_eq!(
        batch.sends_due(3_001.0),
        [2],
        "the freed slot starts the next"
    );
    assert_eq!(
        batch.summary(),
        "1 deployed · 0 failed · 2 running · 2 waiting"
    );
    assert_eq!(
        batch.tenants[0].store_url.as_deref(),
        Some("https://t.shop/")
    );
    assert_eq!(batch.tenants[1].step, Some((3, 7)));
}

#[test]
fn a_429_holds_every_post_then_they_go_one_at_a_time_spaced_until_the_spacing_eases() {
    let mut batch = Batch::new(tenants(6), 3, keys());
    assert_eq!(batch.sends_due(0.0), [0, 1, 2]);
    let limited = || {
        Answer::Posted(Err(ApiError::RateLimited {
            retry_after_ms: Some(1_000),
        }))
    };
    batch.answered(0, limited(), 10.0, 0.5);
    batch.answered(
        1,
        Answer::Posted(Ok(job("j1").status(JobStatus::Queued).build())),
        10.0,
        0.5,
    );
    batch.answered(2, limited(), 10.0, 0.5);
    assert!(batch.sends_due(500.0).is_empty(), "held until Retry-After");
    // Then one at a time: a slot is free, but one POST goes.
    assert_eq!(batch.sends_due(1_010.0), [0]);
    assert!(
        batch.sends_due(1_020.0).is_empty(),
        "nothing while it is on its way"
    );
    batch.answered(
        0,
        Answer::Posted(Ok(job("j0").status(JobStatus::Queued).build())),
        1_030.0,
        0.5,
    );
    assert!(
        batch.sends_due(1_040.0).is_empty(),
        "accepted: the next goes after the spacing, narrowed"
    );
    assert_eq!(batch.spacing_ms, Some(1_000.0 * SPACING_EASES));
    // The last POST went at 1,010.
    let next = 1_010.0 + 1_000.0 * SPACING_EASES;
    assert!(batch.sends_due(next - 1.0).is_empty());
    assert_eq!(batch.sends_due(next), [2], "the held one first");
    assert_eq!(batch.tenants[0].sends, 2, "the same key sent twice");
    assert_eq!(batch.tenants[0].attempts, 1);
    // Each accepted POST narrows the gap; under the minimum the batch is
    // back to its pace (here: both free slots at once).
    batch.spacing_ms = Some(SPACING_MIN_MS);
    batch.answered(
        2,
        Answer::Posted(Ok(job("j2").status(JobStatus::Deployed).build())),
        2_000.0,
        0.5,
    );
    batch.answered(
        1,
        Answer::Heard(Ok(job("j1").status(JobStatus::Deployed).build())),
        2_000.0,
        0.5,
    );
    assert_eq!(batch.spacing_ms, None);
    assert_eq!(batch.sends_due(2_010.0), [3, 4]);
    // A 429 with a far Retry-After spaces POSTs at most SPACING_MAX_MS apart.
    batch.answered(
        3,
        Answer::Posted(Err(ApiError::RateLimited {
            retry_after_ms: Some(60_000),
        })),
        2_020.0,
        0.5,
    );
    assert_eq!(batch.spacing_ms, Some(SPACING_MAX_MS));
    // Refused after the wait, while spaced: the gap widens beyond the wait
    // (the burst's two refusals above, during the wait, did not widen it).
    batch.spacing_ms = Some(1_000.0);
    batch.hold_until_ms = None;
    batch.tenants[3].stage = Stage::Sending;
    batch.answered(
        3,
        Answer::Posted(Err(ApiError::RateLimited {
            retry_after_ms: Some(1_000),
        })),
        3_000.0,
        0.5,
    );
    assert_eq!(batch.spacing_ms, Some(1_000.0 * SPACING_WIDENS));
}

#[test]
fn refusals_are_marked_not_retried_and_retry_failed_takes_only_failed_jobs() {
    let mut batch = Batch::new(tenants(3), 3, keys());
    batch.sends_due(0.0);
    batch.answered(0, Answer::Posted(Err(ApiError::TenantNotFound)), 1.0, 0.5);
    batch.answered(
        1,
        Answer::Posted(Ok(job("j1").status(JobStatus::Queued).build())),
        1.0,
        0.5,
    );
    batch.answered(
        2,
        Answer::Posted(Err(ApiError::JobInProgress {
            job_id: "j9".into(),
        })),
        1.0,
        0.5,
    );
    assert_eq!(batch.tenants[0].stage, Stage::Refused);
    assert_eq!(
        batch.tenants[2].job_id.as_deref(),
        Some("j9"),
        "a 409 attaches"
    );
    batch.answered(
        1,
        Answer::Heard(Ok(job("j1").status(JobStatus::Failed).build())),
        3_000.0,
        0.5,
    );
    batch.answered(
        2,
        Answer::Heard(Ok(job("j9").status(JobStatus::Deployed).build())),
        3_000.0,
        0.5,
    );
    assert!(batch.is_finished());
    assert_eq!(
        batch.tenants[1].error.as_ref().unwrap().0,
        "domain_verification_failed"
    );
    let old_key = batch.tenants[1].key.clone();
    assert_eq!(batch.retry_failed(keys()), 1);
    assert_ne!(batch.tenants[1].key, old_key, "a new attempt, a new key");
    assert_eq!(batch.sends_due(4_000.0), [1]);
    assert_eq!(batch.tenants[1].attempts, 2);
}

#[test]
fn the_tab_title_says_how_far_the_batch_is() {
    let mut batch = Batch::new(tenants(3), 3, keys());
    assert_eq!(batch.tab_title(), "0/3 · Provisioning tenants");
    batch.sends_due(0.0);
    for (i, status) in [JobStatus::Deployed, JobStatus::Deployed, JobStatus::Failed]
        .into_iter()
        .enumerate()
    {
        batch.answered(
            i,
            Answer::Posted(Ok(job(&format!("j{i}")).status(status).build())),
            1.0,
            0.5,
        );
    }
    assert_eq!(batch.tab_title(), "✗ 1 failed · Provisioning tenants");
    assert_eq!(batch.ending().title, "✗ Batch ended: 1 failed");
    assert_eq!(
        batch.ending().body,
        "2 deployed · 1 failed. Open the tab to see why, or retry them."
    );
    batch.tenants[2].stage = Stage::Deployed;
    assert_eq!(batch.tab_title(), "✓ 3 deployed · Provisioning tenants");
    assert_eq!(batch.ending().title, "✓ 3 tenants deployed");
}

#[test]
fn pause_stops_new_posts_but_running_jobs_are_still_followed() {
    let mut batch = Batch::new(tenants(3), 1, keys());
    batch.sends_due(0.0);
    batch.answered(
        0,
        Answer::Posted(Ok(job("j0").status(JobStatus::Queued).build())),
        1.0,
        0.5,
    );
    batch.paused = true;
    assert_eq!(
        batch.summary(),
        "0 deployed · 0 failed · 1 running · 2 waiting · paused"
    );
    batch.answered(
        0,
        Answer::Heard(Ok(job("j0").status(JobStatus::Deployed).build())),
        2.0,
        0.5,
    );
    assert!(batch.sends_due(10_000.0).is_empty(), "paused: nothing new");
    batch.paused = false;
    assert_eq!(batch.sends_due(10_001.0), [1]);
}

#[test]
fn after_a_reload_posts_on_their_way_are_sent_again_with_their_keys() {
    let mut batch = Batch::new(tenants(2), 2, keys());
    batch.sends_due(0.0);
    batch.answered(
        1,
        Answer::Posted(Ok(job("j1").status(JobStatus::Queued).build())),
        1.0,
        0.5,
    );
    let key = batch.tenants[0].key.clone();
    batch.resumed(50_000.0);
    assert_eq!(batch.sends_due(50_000.0), [0]);
    assert_eq!(batch.tenants[0].key, key);
    assert_eq!(followed(&batch), [1], "its job followed again");
}

/// A request the property test has out: a tenant's POST, or a question
/// about its job (what the job watcher would send).
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Send,
    Ask(String),
}

/// A random answer to one request of tenant `index`.
fn answer_for(index: usize, out: &Out, kind: u8) -> Answer {
    let id = format!("j{index}");
    match (out, kind % 8) {
        (Out::Send, 0..=2) => Answer::Posted(Ok(job(&id).status(JobStatus::Queued).build())),
        (Out::Send, 3) => Answer::Posted(Err(ApiError::RateLimited {
            retry_after_ms: None,
        })),
        (Out::Send, 4) => Answer::Posted(Err(ApiError::Network)),
        (Out::Send, 5) => Answer::Posted(Err(ApiError::ServiceUnavailable {
            status: 503,
            retry_after_ms: None,
        })),
        (Out::Send, 6) => Answer::Posted(Err(ApiError::Forbidden)),
        (Out::Send, _) => Answer::Posted(Err(ApiError::JobInProgress { job_id: id })),
        (Out::Ask(job_id), 0..=3) => {
            Answer::Heard(Ok(job(job_id).status(JobStatus::Processing).build()))
        }
        (Out::Ask(job_id), 4..=5) => {
            Answer::Heard(Ok(job(job_id).status(JobStatus::Deployed).build()))
        }
        (Out::Ask(job_id), 6) => Answer::Heard(Ok(job(job_id).status(JobStatus::Failed).build())),
        (Out::Ask(_), _) => Answer::Heard(Err(ApiError::Network)),
    }
}

/// What goes out at `now`: the sends due, and a question about each
/// followed job with none out (the job watcher's one request a job).
fn going_out(batch: &mut Batch, out: &[(usize, Out)], now: f64) -> Vec<(usize, Out)> {
    let mut new: Vec<(usize, Out)> = batch
        .sends_due(now)
        .into_iter()
        .map(|index| (index, Out::Send))
        .collect();
    for index in followed(batch) {
        let job_id = batch.tenants[index].job_id.clone().unwrap_or_default();
        if !out.iter().any(|(_, o)| *o == Out::Ask(job_id.clone())) {
            new.push((index, Out::Ask(job_id)));
        }
    }
    new
}

proptest! {
    /// Whatever the service answers and whenever: never more than "At once"
    /// jobs unfinished; a tenant has at most one request on its way; while
    /// spaced after a 429 a POST goes only when none is on its way, and not
    /// before the gap since the last; a tenant's POSTs
    /// in one attempt carry one key; and the batch ends.
    #[test]
    fn the_pace_holds_whatever_the_service_answers(
        n in 1usize..30,
        at_once in 1u32..=10,
        answers in prop::collection::vec((any::<u8>(), any::<bool>(), 0u32..4_000), 1..400),
    ) {
        let mut batch = Batch::new(tenants(n), at_once, keys());
        let mut out: Vec<(usize, Out)> = Vec::new();
        let mut keys_sent: Vec<Vec<String>> = vec![Vec::new(); n];
        let mut now = 0.0;
        for (kind, pause, step_ms) in answers {
            now += f64::from(step_ms);
            batch.paused = pause && kind % 5 == 0;
            let spacing = batch.spacing_ms;
            let last_post = batch.last_post_ms;
            let sending = batch.tenants.iter().filter(|r| r.stage == Stage::Sending).count();
            let work = going_out(&mut batch, &out, now);
            if let Some(gap) = spacing {
                let new_posts = work.iter().filter(|(_, o)| *o == Out::Send).count();
                prop_assert!(new_posts <= 1 && (sending == 0 || new_posts == 0),
                    "{} new POSTs while spaced with {} on their way", new_posts, sending);
                prop_assert!(new_posts == 0 || now >= last_post + gap,
                    "a POST {} ms after the last, spaced {}", now - last_post, gap);
            }
            for (index, work) in work {
                prop_assert!(out.iter().all(|(i, _)| *i != index), "two requests for tenant {}", index);
                if work == Out::Send {
                    keys_sent[index].push(batch.tenants[index].key.clone());
                }
                out.push((index, work));
            }
            let held = batch.tenants.iter().filter(|r| r.stage.holds_a_slot()).count();
            prop_assert!(held <= at_once as usize, "{} unfinished at once of {}", held, at_once);
            if !out.is_empty() {
                let (index, work) = out.remove(kind as usize % out.len());
                batch.answered(index, answer_for(index, &work, kind), now, 0.5);
            }
        }
        for sent in &keys_sent {
            prop_assert!(sent.windows(2).all(|w| w[0] == w[1]), "one key a tenant: {:?}", sent);
        }
        // Then a service that answers everything well: the batch ends.
        batch.paused = false;
        for _ in 0..10_000 {
            if batch.is_finished() { break; }
            now += 5_000.0;
            let new = going_out(&mut batch, &out, now);
            for (index, work) in out.drain(..).chain(new) {
                let done = match &work {
                    Out::Send => answer_for(index, &work, 0),
                    Out::Ask(_) => answer_for(index, &work, 4),
                };
                batch.answered(index, done, now, 0.5);
            }
        }
        prop_assert!(batch.is_finished(), "{}", batch.summary());
    }
}

/// Issue 31: a job the service forgot read "queued" with its clock running
/// and counted as failed; it is expired everywhere, once, as last heard of.
#[test]
fn an_expired_job_is_counted_expired_and_kept_as_last_heard_of() {
    let mut batch = Batch::new(tenants(2), 2, keys());
    batch.sends_due(0.0);
    batch.answered(
        0,
        Answer::Posted(Ok(job("j0").status(JobStatus::Queued).build())),
        10.0,
        0.5,
    );
    batch.answered(
        1,
        Answer::Posted(Ok(job("j1").status(JobStatus::Deployed).build())),
        11.0,
        0.5,
    );
    assert_eq!(batch.followed_jobs(), ["j0"]);
    batch.answered(
        0,
        Answer::Heard(Ok(job("j0").status(JobStatus::Processing).build())),
        2_600.0,
        0.5,
    );
    batch.answered(0, Answer::Heard(Err(ApiError::JobNotFound)), 6_100.0, 0.5);
    let row = &batch.tenants[0];
    assert_eq!(row.stage, Stage::Expired);
    assert!(row.stage.is_final() && !row.stage.holds_a_slot());
    assert_eq!(row.heard_at_ms, Some(2_600.0), "as last heard of");
    assert_eq!(row.status, Some(JobStatus::Processing));
    assert_eq!(
        results::stage_word(&row.stage, row.status.as_ref().map(|s| s.as_str())),
        "expired"
    );
    let tally = batch.tally();
    assert_eq!((tally.expired, tally.failed, tally.deployed), (1, 0, 1));
    assert_eq!(
        batch.summary(),
        "1 deployed · 0 failed · 1 expired · 0 running · 0 waiting"
    );
    assert!(batch.is_finished());
    assert_eq!(batch.tab_title(), "✗ 1 expired · Provisioning tenants");
    assert!(batch.ending().body.contains("1 expired"));
    let csv = results::results_csv(&batch);
    let line = csv.split("\r\n").nth(1).unwrap();
    assert!(
        line.starts_with("t0,j0,expired,") && line.ends_with(",1970-01-01T00:00:02.600Z"),
        "{line}"
    );
    // Nothing more is asked of it; "Retry failed" gives it a new attempt.
    assert!(batch.followed_jobs().is_empty());
    assert!(batch.sends_due(60_000.0).is_empty());
    assert_eq!(batch.retry_failed(keys()), 1);
    assert_eq!(batch.tenants[0].stage, Stage::Waiting);
}

/// Two tenants: the first's job runs, the second's POST found the user
/// signed out, and the batch stopped for it.
fn signed_out_at_its_second_post() -> Batch {
    let mut batch = Batch::new(tenants(2), 2, keys());
    batch.sends_due(0.0);
    batch.answered(
        0,
        Answer::Posted(Ok(job("j0").status(JobStatus::Queued).build())),
        10.0,
        0.5,
    );
    batch.answered(1, Answer::Posted(Err(ApiError::NotSignedIn)), 10.0, 0.5);
    assert!(batch.problem.is_some());
    batch
}

/// Issue 31: signed out, the batch waited for good; a token back lets it go on.
#[test]
fn a_batch_stopped_for_want_of_a_token_goes_on_when_one_is_back() {
    let mut batch = signed_out_at_its_second_post();
    assert_eq!(batch.sends_due(100.0), [] as [usize; 0]);
    assert!(batch.signed_in_again());
    assert!(!batch.signed_in_again(), "once");
    assert_eq!(batch.sends_due(200.0), [1], "the refused POST goes again");
    assert_eq!(
        batch.followed_jobs(),
        ["j0"],
        "the running job still followed"
    );
    assert_eq!(batch.tenants[1].key, "k2", "with its key");
}

/// Issue 31 (read-through): the token written again in the tab that drives
/// the batch sends no `storage` event there; an answer proves it works.
#[test]
fn an_answer_after_signing_in_again_lets_the_batch_go_on() {
    let mut batch = signed_out_at_its_second_post();
    assert_eq!(
        batch.followed_jobs(),
        ["j0"],
        "running jobs are still followed"
    );
    batch.answered(
        0,
        Answer::Heard(Ok(job("j0").status(JobStatus::Processing).build())),
        2_520.0,
        0.5,
    );
    assert_eq!(batch.problem, None);
    assert_eq!(batch.sends_due(2_530.0), [1]);
}

#[test]
fn the_tab_title_names_failed_and_expired_jobs() {
    let mut batch = Batch::new(tenants(3), 3, keys());
    batch.tenants[0].stage = Stage::Failed;
    batch.tenants[1].stage = Stage::Expired;
    batch.tenants[2].stage = Stage::Deployed;
    assert_eq!(
        batch.tab_title(),
        "✗ 1 failed · 1 expired · Provisioning tenants"
    );
}
