//! The schedule's streams, on a fake clock.

use super::super::*;
use super::*;
use crate::api::ApiError;

const PAGE: Interest = Interest::lines(Pace::Every(1_000));

/// A schedule with a page following `j1`, its first poll answered at 0.
fn followed() -> (Schedule, SubscriptionId) {
    let mut schedule = Schedule::streaming();
    let page = schedule.subscribe("j1", PAGE);
    let asks = schedule.due(0.0, false);
    assert!(
        asks[0].lines,
        "the first answer is a poll, its lines with it"
    );
    assert!(
        schedule.stream_moves(0.0, false).is_empty(),
        "no stream before the first answer"
    );
    schedule.answered(&asks[0], &Outcome::Heard { ended: false }, 0.0, false, 0.5);
    (schedule, page)
}

fn opened(schedule: &mut Schedule, now: f64) -> u64 {
    match schedule.stream_moves(now, false).as_slice() {
        [StreamMove::Open { job_id, number }] if job_id == "j1" => *number,
        moves => panic!("expected one stream to open at {now}, got {moves:?}"),
    }
}

#[test]
fn a_live_stream_carries_the_job_and_polls_stop() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    assert_eq!(schedule.next_due_ms(0.0, false), Some(1_000.0));
    // Not live yet: polled at its pace, so nothing waits on a held-back stream.
    assert_eq!(schedule.due(1_000.0, false).len(), 1);
    schedule.answered(
        &Ask {
            job_id: "j1".into(),
            lines: true,
        },
        &Outcome::Heard { ended: false },
        1_000.0,
        false,
        0.5,
    );
    schedule.stream_heard("j1", stream, 1_010.0);
    assert_eq!(
        schedule.next_due_ms(1_010.0, false),
        None,
        "no poll while live"
    );
    assert_eq!(
        schedule.next_stream_move_ms(1_010.0, false),
        Some(11_010.0),
        "woken when it would be silent"
    );
    assert!(schedule.due(5_000.0, false).is_empty());
    assert!(schedule.stream_moves(5_000.0, false).is_empty());
}

#[test]
fn a_silent_stream_is_closed_polled_at_once_and_tried_again_a_minute_later() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    schedule.stream_heard("j1", stream, 100.0);
    assert!(schedule.stream_moves(10_099.0, false).is_empty());
    assert_eq!(
        schedule.stream_moves(10_100.0, false),
        [StreamMove::Close {
            job_id: "j1".into(),
            number: stream
        }]
    );
    let asks = schedule.due(10_100.0, false);
    assert!(asks.len() == 1 && asks[0].lines, "polled at once");
    schedule.answered(
        &asks[0],
        &Outcome::Heard { ended: false },
        10_150.0,
        false,
        0.5,
    );
    assert!(schedule.stream_moves(70_099.0, false).is_empty());
    assert_eq!(
        schedule.next_stream_move_ms(20_000.0, false),
        Some(70_100.0)
    );
    opened(&mut schedule, 70_100.0);
    // Its end, reported after it was closed, changes nothing.
    let late = StreamEnd::Dropped { with_events: true };
    assert!(schedule
        .stream_ended("j1", stream, &late, 70_200.0, 0.5)
        .is_none());
}

#[test]
fn a_dropped_stream_reconnects_soon_and_is_polled_only_if_the_new_one_stays_quiet() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    schedule.stream_heard("j1", stream, 50.0);
    schedule.stream_event("j1", stream, false, 60.0);
    let dropped = StreamEnd::Dropped { with_events: true };
    assert!(schedule
        .stream_ended("j1", stream, &dropped, 2_000.0, 0.0)
        .is_none());
    assert!(schedule.stream_moves(2_249.0, false).is_empty());
    let again = opened(&mut schedule, 2_250.0);
    schedule.stream_heard("j1", again, 2_260.0);
    assert!(
        schedule.due(3_500.0, false).is_empty(),
        "the new stream is live before a poll is due"
    );
}

#[test]
fn streams_that_fail_in_a_row_give_way_to_polling_for_a_minute() {
    let (mut schedule, _) = followed();
    let failed = StreamEnd::Dropped { with_events: false };
    let mut now = 0.0;
    let mut waits = Vec::new();
    for _ in 1..=3 {
        let stream = opened(&mut schedule, now);
        schedule.stream_ended("j1", stream, &failed, now + 10.0, 1.0);
        let next = schedule.next_stream_move_ms(now + 10.0, false).unwrap();
        waits.push(next - (now + 10.0));
        now = next;
    }
    assert_eq!(
        waits,
        [500.0, 1_000.0, 60_000.0],
        "backing off, then a minute"
    );
    let third_end = now - 60_000.0;
    let asks = schedule.due(third_end, false);
    assert!(
        asks.len() == 1 && asks[0].lines,
        "polled at once after the third"
    );
    // A stream that brings events starts a new count.
    schedule.answered(
        &asks[0],
        &Outcome::Heard { ended: false },
        third_end,
        false,
        0.5,
    );
    let stream = opened(&mut schedule, now);
    schedule.stream_event("j1", stream, false, now + 5.0);
    schedule.stream_ended("j1", stream, &failed, now + 10.0, 1.0);
    assert_eq!(
        schedule.next_stream_move_ms(now + 10.0, false),
        Some(now + 510.0)
    );
}

#[test]
fn a_service_without_streams_is_polled_as_before_for_every_job() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    schedule.stream_ended("j1", stream, &StreamEnd::Unsupported, 20.0, 0.5);
    assert_eq!(
        schedule.due(20.0, false).len(),
        1,
        "polled at once, no word"
    );
    schedule.subscribe("j2", PAGE);
    assert!(schedule.stream_moves(5_000.0, false).is_empty());
    assert_eq!(schedule.next_stream_move_ms(5_000.0, false), None);
}

#[test]
fn refused_streams_tell_the_subscribers_and_stop_until_resumed() {
    let (mut schedule, page) = followed();
    let stream = opened(&mut schedule, 0.0);
    let refused = StreamEnd::Refused(ApiError::NotSignedIn);
    let delivery = schedule
        .stream_ended("j1", stream, &refused, 20.0, 0.5)
        .expect("told");
    assert_eq!(delivery.to, [page]);
    assert_eq!(schedule.next_due_ms(20.0, false), None);
    assert!(schedule.stream_moves(30_000.0, false).is_empty());
    schedule.resume("j1", 40_000.0);
    opened(&mut schedule, 40_000.0);
}

#[test]
fn a_hidden_tab_closes_its_stream_and_opens_one_when_shown() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    schedule.stream_heard("j1", stream, 10.0);
    assert_eq!(
        schedule.stream_moves(500.0, true),
        [StreamMove::Close {
            job_id: "j1".into(),
            number: stream
        }]
    );
    let asks = schedule.due(15_500.0, true);
    assert!(
        asks.len() == 1 && !asks[0].lines,
        "heads at the hidden pace"
    );
    schedule.answered(
        &asks[0],
        &Outcome::Heard { ended: false },
        15_500.0,
        true,
        0.5,
    );
    opened(&mut schedule, 16_000.0);
}

#[test]
fn heads_only_jobs_are_polled_and_a_page_opens_at_most_three_streams() {
    let mut schedule = Schedule::streaming();
    schedule.subscribe_heard("heads", Interest::heads(Pace::Every(1_000)), 0.0);
    for job in ["a", "b", "c", "d"] {
        schedule.subscribe_heard(job, PAGE, 0.0);
    }
    let opened: Vec<String> = schedule
        .stream_moves(0.0, false)
        .into_iter()
        .map(|m| match m {
            StreamMove::Open { job_id, .. } => job_id,
            StreamMove::Close { .. } => panic!("nothing to close"),
        })
        .collect();
    assert_eq!(opened, ["a", "b", "c"]);
}

#[test]
fn a_streams_head_answers_waiting_subscribers_and_done_ends_the_job() {
    let (mut schedule, page) = followed();
    let stream = opened(&mut schedule, 0.0);
    schedule.stream_heard("j1", stream, 10.0);
    let once = schedule.subscribe("j1", Interest::heads(Pace::Once));
    let asks = schedule.due(20.0, false);
    assert!(
        asks.len() == 1 && !asks[0].lines,
        "a new subscriber of a streamed job: its head only"
    );
    let delivery = schedule.stream_event("j1", stream, false, 30.0).unwrap();
    assert_eq!((delivery.to, delivery.done), (vec![page, once], vec![once]));
    let delivery = schedule.stream_event("j1", stream, true, 40.0).unwrap();
    assert_eq!(delivery.to, [page]);
    schedule.answered(&asks[0], &Outcome::Heard { ended: false }, 50.0, false, 0.5);
    assert_eq!(schedule.next_due_ms(50.0, false), None);
    assert!(schedule.stream_moves(50.0, false).is_empty());
    assert_eq!(schedule.next_stream_move_ms(50.0, false), None);
}

#[test]
fn streams_cut_soon_after_the_head_give_way_to_polling_too() {
    let (mut schedule, _) = followed();
    let cut = StreamEnd::Dropped { with_events: true };
    let mut now = 0.0;
    for _ in 1..=3 {
        let stream = opened(&mut schedule, now);
        schedule.stream_heard("j1", stream, now + 5.0);
        schedule.stream_event("j1", stream, false, now + 5.0);
        schedule.stream_ended("j1", stream, &cut, now + 300.0, 1.0);
        now = schedule.next_stream_move_ms(now + 300.0, false).unwrap();
    }
    assert!(
        now >= 60_000.0,
        "a minute of polling after three short streams: {now}"
    );
    // One that served ten seconds starts a new count.
    let stream = opened(&mut schedule, now);
    schedule.stream_heard("j1", stream, now + 5.0);
    schedule.stream_ended("j1", stream, &cut, now + 10_000.0, 1.0);
    assert_eq!(
        schedule.next_stream_move_ms(now + 10_000.0, false),
        Some(now + 10_500.0)
    );
}

#[test]
fn a_new_subscriber_of_a_streamed_job_leaves_its_stream_open() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    schedule.stream_heard("j1", stream, 10.0);
    schedule.subscribe("j1", Interest::heads(Pace::Every(5_000)));
    let asks = schedule.due(20.0, false);
    assert!(asks.len() == 1 && !asks[0].lines, "its head, polled");
    assert!(
        schedule.stream_moves(20.0, false).is_empty(),
        "the stream stays open"
    );
}

#[test]
fn after_a_service_says_it_has_no_streams_the_open_ones_still_close() {
    let mut schedule = Schedule::streaming();
    schedule.subscribe_heard("a", PAGE, 0.0);
    schedule.subscribe_heard("b", PAGE, 0.0);
    let moves = schedule.stream_moves(0.0, false);
    let number = |job: &str| {
        moves
            .iter()
            .find_map(|m| match m {
                StreamMove::Open { job_id, number } if job_id == job => Some(*number),
                _ => None,
            })
            .unwrap()
    };
    let (a, b) = (number("a"), number("b"));
    schedule.stream_heard("a", a, 10.0);
    schedule.stream_ended("b", b, &StreamEnd::Unsupported, 20.0, 0.5);
    assert_eq!(
        schedule.stream_moves(30.0, true),
        [StreamMove::Close {
            job_id: "a".into(),
            number: a
        }],
        "hidden, a's stream closes"
    );
    assert!(
        schedule.stream_moves(40.0, false).is_empty(),
        "and none opens"
    );
}

#[test]
fn a_poll_that_fails_after_done_changes_nothing() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    let asks = schedule.due(1_000.0, false);
    assert_eq!(asks.len(), 1, "polled while the stream is not live");
    schedule.stream_heard("j1", stream, 1_010.0);
    schedule.stream_event("j1", stream, true, 1_020.0);
    let delivery = schedule.answered(
        &asks[0],
        &Outcome::Failed(ApiError::Network),
        1_030.0,
        false,
        0.5,
    );
    assert!(delivery.to.is_empty(), "told to nobody: {delivery:?}");
    assert_eq!(schedule.next_due_ms(2_000.0, false), None);
    assert!(schedule.stream_moves(5_000.0, false).is_empty());
}

#[test]
fn a_refused_streams_retry_after_holds_for_polls_too() {
    let (mut schedule, _) = followed();
    let stream = opened(&mut schedule, 0.0);
    let busy = StreamEnd::Refused(ApiError::RateLimited {
        retry_after_ms: Some(5_000),
    });
    schedule.stream_ended("j1", stream, &busy, 100.0, 0.5);
    assert_eq!(schedule.next_due_ms(100.0, false), Some(5_100.0));
    assert_eq!(schedule.next_stream_move_ms(100.0, false), Some(5_100.0));
}
