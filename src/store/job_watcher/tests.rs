use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::store::polling_policy::POLL_INTERVAL_MS;

const PAGE: Interest = Interest::lines(Pace::Every(1_000));
const BATCH: Interest = Interest::heads(Pace::Every(2_500));
const LIST: Interest = Interest::heads(Pace::Every(3_000));

fn heard(ended: bool) -> Outcome {
    Outcome::Heard { ended }
}

/// Answers every ask due at `now` with `outcome`; the asks.
fn answer_all(schedule: &mut Schedule, now: f64, outcome: &Outcome) -> Vec<Ask> {
    let asks = schedule.due(now, false);
    for ask in &asks {
        schedule.answered(ask, outcome, now, false, 0.5);
    }
    asks
}

#[test]
fn a_new_subscriber_is_answered_at_once_then_at_its_pace() {
    let mut schedule = Schedule::default();
    schedule.subscribe("j1", BATCH);
    let asks = schedule.due(0.0, false);
    assert_eq!(
        asks,
        [Ask {
            job_id: "j1".into(),
            lines: false
        }]
    );
    assert!(schedule.due(0.0, false).is_empty(), "one in flight");
    let delivery = schedule.answered(&asks[0], &heard(false), 100.0, false, 0.5);
    assert_eq!(delivery.next_at_ms, Some(2_600.0));
    assert!(schedule.due(2_599.0, false).is_empty());
    assert_eq!(schedule.due(2_600.0, false).len(), 1);
}

#[test]
fn subscribers_of_one_job_share_its_requests_at_the_fastest_pace() {
    let mut schedule = Schedule::default();
    let page = schedule.subscribe("j1", PAGE);
    let batch = schedule.subscribe("j1", BATCH);
    let list = schedule.subscribe("j1", LIST);
    let asks = schedule.due(0.0, false);
    assert_eq!(asks.len(), 1, "one request for three subscribers");
    assert!(asks[0].lines, "the page wants lines");
    let delivery = schedule.answered(&asks[0], &heard(false), 0.0, false, 0.5);
    assert_eq!(delivery.to, [page, batch, list]);
    assert_eq!(delivery.next_at_ms, Some(1_000.0));
    schedule.unsubscribe(page);
    assert_eq!(schedule.next_due_ms(0.0, false), Some(2_500.0));
    let asks = schedule.due(2_500.0, false);
    assert!(!asks[0].lines, "heads only once the page left");
}

#[test]
fn a_subscriber_that_has_just_heard_of_its_job_waits_for_the_pace() {
    let mut schedule = Schedule::default();
    schedule.subscribe_heard("j1", BATCH, 1_000.0);
    assert!(schedule.due(1_000.0, false).is_empty());
    assert_eq!(schedule.next_due_ms(1_000.0, false), Some(3_500.0));
    assert_eq!(schedule.due(3_500.0, false).len(), 1);
    // Joining a job already watched changes nothing of its pace.
    let mut schedule = Schedule::default();
    schedule.subscribe("j1", LIST);
    answer_all(&mut schedule, 0.0, &heard(false));
    schedule.subscribe_heard("j1", PAGE, 500.0);
    assert_eq!(schedule.next_due_ms(500.0, false), Some(1_000.0));
}

#[test]
fn a_job_nobody_watches_is_not_asked_about() {
    let mut schedule = Schedule::default();
    let list = schedule.subscribe("j1", LIST);
    let asks = schedule.due(0.0, false);
    schedule.unsubscribe(list);
    let delivery = schedule.answered(&asks[0], &heard(false), 10.0, false, 0.5);
    assert!(delivery.to.is_empty(), "told to nobody");
    assert!(schedule.due(1e9, false).is_empty());
    assert_eq!(schedule.next_due_ms(0.0, false), None);
    assert_eq!(schedule.watched().count(), 0);
}

#[test]
fn once_is_answered_once() {
    let mut schedule = Schedule::default();
    let earlier = schedule.subscribe("j0", Interest::heads(Pace::Once));
    let asks = answer_all(&mut schedule, 0.0, &heard(false));
    assert_eq!(asks.len(), 1);
    assert!(schedule.due(1e9, false).is_empty());
    assert_eq!(schedule.watched().count(), 0);
    schedule.unsubscribe(earlier);
}

#[test]
fn a_subscriber_that_comes_while_a_request_is_on_its_way_is_answered_by_it_when_it_asked_enough() {
    let mut schedule = Schedule::default();
    schedule.subscribe("j1", PAGE);
    let asks = schedule.due(0.0, false);
    let heads = schedule.subscribe("j1", Interest::heads(Pace::Once));
    schedule.answered(&asks[0], &heard(false), 10.0, false, 0.5);
    assert!(
        schedule.due(10.0, false).is_empty(),
        "answered by the lines request"
    );
    assert_eq!(schedule.watched().count(), 1);
    let _ = heads;

    let mut schedule = Schedule::default();
    schedule.subscribe("j1", LIST);
    let asks = schedule.due(0.0, false);
    schedule.subscribe("j1", Interest::lines(Pace::Once));
    schedule.answered(&asks[0], &heard(false), 10.0, false, 0.5);
    let again = schedule.due(10.0, false);
    assert_eq!(again.len(), 1, "the head did not answer a reader of lines");
    assert!(again[0].lines);
}

#[test]
fn a_hidden_tab_asks_heads_every_15_s_and_the_last_lines_at_once() {
    let mut schedule = Schedule::default();
    schedule.subscribe("j1", PAGE);
    let asks = schedule.due(0.0, true);
    assert!(!asks[0].lines, "hidden: heads only");
    let delivery = schedule.answered(&asks[0], &heard(false), 0.0, true, 0.5);
    assert_eq!(delivery.next_at_ms, Some(15_000.0));
    assert!(schedule.due(14_999.0, true).is_empty());
    assert_eq!(
        schedule.next_due_ms(0.0, false),
        Some(1_000.0),
        "shown again: the shown pace at once"
    );
    let asks = schedule.due(15_000.0, true);
    let delivery = schedule.answered(&asks[0], &heard(true), 15_100.0, true, 0.5);
    assert_eq!(delivery.next_at_ms, Some(15_100.0), "its last lines now");
    let asks = schedule.due(15_100.0, true);
    assert!(asks[0].lines);
    let delivery = schedule.answered(&asks[0], &heard(true), 15_200.0, true, 0.5);
    assert_eq!(delivery.next_at_ms, None, "ended");
    assert!(schedule.due(1e9, true).is_empty());
}

#[test]
fn a_job_shown_in_another_tab_keeps_the_shown_pace_in_a_hidden_one() {
    let mut schedule = Schedule::default();
    let page = schedule.subscribe("j1", PAGE);
    schedule.shown_elsewhere(page, 0.0);
    let asks = schedule.due(0.0, true);
    assert!(asks[0].lines);
    let delivery = schedule.answered(&asks[0], &heard(false), 0.0, true, 0.5);
    assert_eq!(delivery.next_at_ms, Some(1_000.0));
}

#[test]
fn trouble_backs_off_and_only_a_person_restarts_a_refused_job() {
    let mut schedule = Schedule::default();
    schedule.subscribe("j1", BATCH);
    let mut now = 0.0;
    let mut waits = Vec::new();
    for _ in 0..6 {
        let asks = schedule.due(now, false);
        let delivery = schedule.answered(
            &asks[0],
            &Outcome::Failed(ApiError::Network),
            now,
            false,
            0.999,
        );
        let next = delivery.next_at_ms.unwrap();
        waits.push((next - now) as u32);
        now = next;
    }
    assert_eq!(waits, [2_500, 2_500, 3_998, 7_996, 15_992, 29_985]);
    let asks = schedule.due(now, false);
    schedule.answered(&asks[0], &heard(false), now, false, 0.5);
    let asks = schedule.due(now + 2_500.0, false);
    let delivery = schedule.answered(
        &asks[0],
        &Outcome::Failed(ApiError::NotSignedIn),
        now,
        false,
        0.5,
    );
    assert_eq!(delivery.next_at_ms, None);
    assert!(schedule.due(1e12, false).is_empty());
    schedule.resume("j1", 5e11);
    assert_eq!(schedule.due(5e11, false).len(), 1);
}

#[test]
fn a_retry_after_is_honoured() {
    let mut schedule = Schedule::default();
    schedule.subscribe("j1", PAGE);
    let asks = schedule.due(0.0, false);
    let limited = Outcome::Failed(ApiError::RateLimited {
        retry_after_ms: Some(45_000),
    });
    let delivery = schedule.answered(&asks[0], &limited, 0.0, false, 0.5);
    assert_eq!(delivery.next_at_ms, Some(45_000.0));
    assert_eq!(POLL_INTERVAL_MS, 1_000);
}

/// One step of a random run.
#[derive(Debug, Clone)]
enum Step {
    Subscribe { job: u8, interest: Interest },
    Unsubscribe { nth: usize },
    Answer { nth: usize, outcome: u8 },
    Tick { ms: u32, hidden: bool },
}

fn interest() -> impl Strategy<Value = Interest> {
    (
        any::<bool>(),
        prop_oneof![
            Just(Pace::Once),
            (1u32..5).prop_map(|s| Pace::Every(s * 500))
        ],
    )
        .prop_map(|(lines, pace)| Interest { lines, pace })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..4, interest()).prop_map(|(job, interest)| Step::Subscribe { job, interest }),
        (0usize..8).prop_map(|nth| Step::Unsubscribe { nth }),
        (0usize..8, 0u8..4).prop_map(|(nth, outcome)| Step::Answer { nth, outcome }),
        (0u32..4_000, any::<bool>()).prop_map(|(ms, hidden)| Step::Tick { ms, hidden }),
    ]
}

proptest! {
    /// Never two requests in flight for one job; never a request for a job
    /// nobody watches; a job whose every subscriber is paced, shown and
    /// answered well is asked at its fastest subscriber's pace.
    #[test]
    fn the_schedule_keeps_its_promises(steps in proptest::collection::vec(step(), 1..80)) {
        let mut schedule = Schedule::default();
        let mut now = 0.0;
        let mut subscriptions: Vec<(SubscriptionId, String, Interest)> = Vec::new();
        let mut in_flight: Vec<Ask> = Vec::new();
        // When each job was last answered well, with no subscriber come
        // since its request went out (the pace holds from then on).
        let mut last_good: HashMap<String, f64> = HashMap::new();
        let mut joined_since_ask: HashSet<String> = HashSet::new();
        for step in steps {
            match step {
                Step::Subscribe { job, interest } => {
                    let job_id = format!("j{job}");
                    let id = schedule.subscribe(&job_id, interest);
                    last_good.remove(&job_id);
                    joined_since_ask.insert(job_id.clone());
                    subscriptions.push((id, job_id, interest));
                }
                Step::Unsubscribe { nth } if !subscriptions.is_empty() => {
                    let (id, ..) = subscriptions.remove(nth % subscriptions.len());
                    schedule.unsubscribe(id);
                }
                Step::Answer { nth, outcome } if !in_flight.is_empty() => {
                    let ask = in_flight.remove(nth % in_flight.len());
                    let outcome = match outcome {
                        0 => Outcome::Heard { ended: true },
                        1 => Outcome::Failed(ApiError::Network),
                        _ => Outcome::Heard { ended: false },
                    };
                    let delivery = schedule.answered(&ask, &outcome, now, false, 0.5);
                    for id in &delivery.to {
                        prop_assert!(subscriptions.iter().any(|(s, job, _)| s == id && *job == ask.job_id));
                    }
                    subscriptions.retain(|(id, ..)| !delivery.done.contains(id));
                    let good = outcome == (Outcome::Heard { ended: false });
                    if good && !joined_since_ask.contains(&ask.job_id) {
                        last_good.insert(ask.job_id.clone(), now);
                    } else {
                        last_good.remove(&ask.job_id);
                    }
                }
                Step::Tick { ms, hidden } => {
                    now += f64::from(ms);
                    for ask in schedule.due(now, hidden) {
                        prop_assert!(
                            !in_flight.iter().any(|a| a.job_id == ask.job_id),
                            "two requests in flight for {}", ask.job_id
                        );
                        prop_assert!(
                            subscriptions.iter().any(|(_, job, _)| *job == ask.job_id),
                            "asked about {} with no subscriber", ask.job_id
                        );
                        let fastest = subscriptions
                            .iter()
                            .filter(|(_, job, _)| *job == ask.job_id)
                            .filter_map(|(_, _, i)| match i.pace {
                                Pace::Every(ms) => Some(ms),
                                Pace::Once => None,
                            })
                            .min();
                        if let (Some(at), Some(fastest)) = (last_good.get(&ask.job_id), fastest) {
                            prop_assert!(
                                now - at >= f64::from(fastest),
                                "{} asked {} ms after a good answer, pace {}", ask.job_id, now - at, fastest
                            );
                        }
                        joined_since_ask.remove(&ask.job_id);
                        in_flight.push(ask);
                    }
                }
                _ => {}
            }
        }
    }

    /// A job watched only by paced subscribers, always answered "running",
    /// is asked exactly at its fastest subscriber's pace.
    #[test]
    fn each_job_is_asked_at_its_fastest_subscribers_pace(
        paces in proptest::collection::vec(1u32..20, 1..5),
    ) {
        let mut schedule = Schedule::default();
        for pace in &paces {
            schedule.subscribe("j1", Interest::heads(Pace::Every(pace * 250)));
        }
        let fastest = f64::from(paces.iter().min().unwrap() * 250);
        let mut asked_at = Vec::new();
        let mut now = 0.0;
        while now < 20_000.0 {
            for ask in schedule.due(now, false) {
                asked_at.push(now);
                schedule.answered(&ask, &heard(false), now, false, 0.5);
            }
            now += 50.0;
        }
        for pair in asked_at.windows(2) {
            prop_assert!((pair[1] - pair[0] - fastest).abs() < 50.0, "{asked_at:?}");
        }
    }
}
