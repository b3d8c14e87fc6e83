//! Fold robustness: out-of-order and revised batches, absent buckets, math series, unknown ids,
//! bounds.

use chrono::TimeDelta;

use super::*;
use crate::eval::test_support::*;
use crate::model::{
    GaHealth, IncidentFields, LogBatch, LogLine, OperatorAction, OperatorEvent, Severity,
    TargetState,
};

fn vals(s: &State, i: usize, from_m: i64, to_m: i64) -> Vec<Bucket> {
    s.series(i)
        .iter_window(tm(from_m), tm(to_m))
        .map(|x| x.bucket)
        .collect()
}

#[test]
fn out_of_order_and_revisions() {
    let l = layout();
    let mut s = State::new(&l);
    s.apply(&metrics(
        tm(7),
        tm(5),
        tm(6),
        &[("s.unhealthy", &[(tm(5), 1.0, true)])],
    ));
    s.apply(&minutes("s.unhealthy", 3, &[3.0]));
    assert_eq!(
        s.now(),
        Some(tm(7)),
        "now is the newest event time, not the last applied"
    );
    s.apply(&metrics(
        tm(8),
        tm(5),
        tm(6),
        &[("s.unhealthy", &[(tm(5), 2.0, false)])],
    ));
    s.apply(&metrics(
        tm(8),
        tm(5),
        tm(6),
        &[("s.unhealthy", &[(tm(5), 2.0, false)])],
    ));
    assert_eq!(
        vals(&s, UNHEALTHY, 3, 6),
        vec![Bucket::Value(3.0), Bucket::Missing, Bucket::Value(2.0)]
    );
    let latest = s.series(UNHEALTHY).latest().expect("has data");
    assert_eq!((latest.ts, latest.value()), (tm(5), Some(2.0)));
}

#[test]
fn absent_counter_is_zero_absent_gauge_is_unknown() {
    let l = layout();
    let mut s = State::new(&l);
    let one: &[(_, f64, bool)] = &[(tm(2), 7.0, false)];
    s.apply(&metrics(
        tm(6),
        tm(0),
        tm(4),
        &[("s.req", one), ("s.unhealthy", one)],
    ));
    let z = Bucket::Value(0.0);
    // Bucket 3 is past the region's reporting frontier (no series has a point there yet):
    // CloudWatch has not published it, so it stays unknown instead of reading as zero. Bucket 0
    // is before the series' first datapoint and before what a live poll at T+6m covers.
    assert_eq!(vals(&s, REQ, 0, 4), vec![z, Bucket::Value(7.0)]);
    let req = s.series(REQ);
    assert_eq!(req.get(req.index_of(tm(3))), Bucket::Missing);
    assert_eq!(req.get(req.index_of(tm(0))), Bucket::Missing);
    assert_eq!(
        s.series(UNHEALTHY).get(s.series(UNHEALTHY).index_of(tm(1))),
        Bucket::Missing
    );
    // An incomplete answer leaves counters unknown too.
    let mut e = metrics(tm(9), tm(4), tm(6), &[("s.req", &[])]);
    if let crate::model::EventBody::Metrics(b) = &mut e.body {
        b.series[0].complete = false;
    }
    s.apply(&e);
    assert_eq!(s.series(REQ).value_at(tm(5)), None);
    // A later complete batch that lists nothing for a bucket the region has reported (another
    // series has a point there) revises it to zero.
    let reported: &[(_, f64, bool)] = &[(tm(2), 0.0, false)];
    s.apply(&metrics(
        tm(10),
        tm(2),
        tm(3),
        &[("s.req", &[]), ("s.unhealthy", reported)],
    ));
    assert_eq!(s.series(REQ).value_at(tm(2)), Some(0.0));
}

#[test]
fn math_series_bucket_by_bucket() {
    let l = layout();
    let mut s = State::new(&l);
    let req: &[(_, f64, bool)] = &[
        (tm(0), 1000.0, false),
        (tm(1), 0.0, false),
        (tm(2), 500.0, true),
    ];
    let err: &[(_, f64, bool)] = &[(tm(0), 10.0, false), (tm(2), 5.0, false)];
    s.apply(&metrics(
        tm(4),
        tm(0),
        tm(3),
        &[("s.req", req), ("s.t5xx", err)],
    ));
    assert_eq!(
        vals(&s, RATE, 0, 3),
        vec![
            Bucket::Value(1.0),
            Bucket::Missing,
            Bucket::Provisional(1.0)
        ],
        "division by zero is missing; a provisional input makes the result provisional"
    );
    // An input revised later recomputes the result.
    s.apply(&metrics(
        tm(5),
        tm(2),
        tm(3),
        &[("s.t5xx", &[(tm(2), 50.0, false)])],
    ));
    assert_eq!(s.series(RATE).value_at(tm(2)), Some(10.0));
}

#[test]
fn unknown_ids_are_ignored_and_counted() {
    let l = layout();
    let mut s = State::new(&l);
    s.apply(&metrics(
        tm(1),
        tm(0),
        tm(1),
        &[("nope", &[(tm(0), 1.0, false)])],
    ));
    s.apply(&metrics(
        tm(1),
        tm(0),
        tm(1),
        &[("s.rate", &[(tm(0), 1.0, false)])],
    ));
    let mut t = targets(tm(1), &[TargetState::Healthy]);
    if let crate::model::EventBody::TargetHealth(x) = &mut t.body {
        x.target_group = "other.tg".into();
    }
    s.apply(&t);
    s.apply(&crate::model::Event {
        at: tm(1),
        body: crate::model::EventBody::Operator(OperatorEvent {
            who: "noc".into(),
            user: None,
            post_mortem: false,
            action: OperatorAction::RunbookAck {
                step: "RB-99".into(),
            },
        }),
    });
    assert_eq!(s.stats().unknown_ids, 4);
    assert_eq!(s.stats().events, 4);
    assert!(
        s.series(RATE).latest().is_none(),
        "math series are never written by batches"
    );
}

#[test]
fn counters_are_not_zero_filled_where_nothing_has_been_reported() {
    let l = layout();
    let mut s = State::new(&l);
    // A poll where no series has any point (CloudWatch late or silent): nothing is known.
    s.apply(&metrics(
        tm(6),
        tm(3),
        tm(6),
        &[("s.req", &[]), ("s.unhealthy", &[])],
    ));
    assert!(vals(&s, REQ, 3, 6).is_empty());
    assert!(s.series(REQ).latest().is_none(), "no zero was invented");
}

#[test]
fn buffers_are_bounded_and_hostile_values_dropped() {
    let l = layout();
    let mut s = State::with_history(&l, TimeDelta::minutes(10));
    let v: Vec<f64> = (0..30).map(f64::from).collect();
    s.apply(&minutes("s.cpu", 0, &v));
    assert_eq!(s.series(CPU).len(), 10);
    assert_eq!(s.series(CPU).value_at(tm(20)), Some(20.0));
    assert_eq!(s.series(CPU).value_at(tm(19)), None, "dropped");
    s.apply(&minutes("s.cpu", 2, &[1.0]));
    assert_eq!(s.series(CPU).value_at(tm(2)), None, "too old for the ring");
    s.apply(&minutes("s.cpu", 30, &[f64::NAN, f64::INFINITY]));
    assert_eq!(s.series(CPU).latest().map(|x| x.ts), Some(tm(29)));
    // A window of years with a zero-filled counter (reporting since then) stays within capacity.
    s.apply(&minutes("s.req", -10_000_000, &[1.0]));
    let frontier: &[(_, f64, bool)] = &[(tm(39), 1.0, false)];
    s.apply(&metrics(
        tm(40),
        tm(-10_000_000),
        tm(40),
        &[("s.req", &[]), ("s.cpu", frontier)],
    ));
    assert_eq!(s.series(REQ).len(), 10);
    // A point far in the future moves the window, and the ring stays bounded.
    s.apply(&minutes("s.cpu", 1_000_000, &[5.0]));
    assert!(s.series(CPU).len() <= 10);
}

#[test]
fn ga_transitions_are_recorded_and_bounded() {
    let l = layout();
    let mut s = State::new(&l);
    for i in 0..300 {
        let h = if i % 2 == 0 {
            GaHealth::Healthy
        } else {
            GaHealth::Unhealthy
        };
        s.apply(&ga(ts(30 * i), h, 100.0, GaHealth::Healthy));
    }
    let g = s
        .accelerator(0)
        .and_then(|a| a.group("ap-northeast-2"))
        .expect("group");
    assert_eq!(g.transitions().count(), GA_TRANSITIONS_KEPT);
    assert_eq!(g.health, GaHealth::Unhealthy);
    assert_eq!(g.healths.times().next(), Some(ts(30 * 299)));
    // An older snapshot does not rewind.
    s.apply(&ga(ts(0), GaHealth::Healthy, 100.0, GaHealth::Healthy));
    assert_eq!(s.stats().out_of_order, 1);
}

#[test]
fn target_counts_and_their_since() {
    use TargetState::{Healthy, Unhealthy};
    let l = layout();
    let mut s = State::new(&l);
    s.apply(&targets(tm(0), &[Healthy, Healthy]));
    s.apply(&targets(tm(1), &[Healthy, Unhealthy]));
    s.apply(&targets(tm(2), &[Healthy, Unhealthy]));
    let tg = s.target_group(0).expect("snapshot");
    assert_eq!(
        (tg.counts.healthy, tg.counts.unhealthy, tg.counts.total),
        (1, 1, 2)
    );
    assert_eq!(tg.history.held_since(|c| c.unhealthy == 1), Some(tm(1)));
    assert_eq!(tg.history.held_since(|c| c.total == 2), Some(tm(0)));
    assert_eq!(tg.not_healthy().count(), 1);
}

#[test]
fn logs_are_bounded_and_deduplicated() {
    let l = layout();
    let mut s = State::new(&l);
    for round in 0..5 {
        let lines = (0..100)
            .rev()
            .map(|i| LogLine {
                ts: ts(round * 60 + i),
                stream: None,
                message: format!("error {i}"),
            })
            .collect();
        let b = LogBatch {
            group: "seoul.httpd".into(),
            lines,
            counts: Vec::new(),
        };
        let ev = crate::model::Event {
            at: ts(round * 60 + 100),
            body: crate::model::EventBody::Logs(b),
        };
        s.apply(&ev);
        s.apply(&ev);
    }
    let g = s.log_group(0).expect("group");
    assert_eq!(g.lines().count(), LINES_KEPT);
    let times: Vec<_> = g.lines().map(|x| x.ts).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert_eq!(g.lines().last().map(|x| x.ts), Some(ts(4 * 60 + 99)));
}

#[test]
fn incidents_merge_and_post_mortem_stays_apart() {
    let l = layout();
    let mut s = State::new(&l);
    let op = |at, pm, action| crate::model::Event {
        at,
        body: crate::model::EventBody::Operator(OperatorEvent {
            who: "ic".into(),
            user: None,
            post_mortem: pm,
            action,
        }),
    };
    let open = IncidentFields {
        title: Some("Seoul 5xx".into()),
        severity: Some(Severity::Major),
        ..Default::default()
    };
    s.apply(&op(
        tm(1),
        false,
        OperatorAction::IncidentOpen {
            id: "INC-1".into(),
            fields: open,
        },
    ));
    let upd = IncidentFields {
        owner: Some("web".into()),
        ..Default::default()
    };
    s.apply(&op(
        tm(2),
        false,
        OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: None,
            fields: upd,
        },
    ));
    s.apply(&op(
        tm(3),
        true,
        OperatorAction::RunbookAck {
            step: "RB-03".into(),
        },
    ));
    s.apply(&op(
        tm(4),
        false,
        OperatorAction::RunbookAck {
            step: "RB-03".into(),
        },
    ));
    s.apply(&op(
        tm(5),
        true,
        OperatorAction::Annotation {
            text: "in hindsight".into(),
        },
    ));
    let inc = s.operator().incidents().next().expect("incident");
    assert_eq!(inc.fields.title.as_deref(), Some("Seoul 5xx"));
    assert_eq!(inc.fields.owner.as_deref(), Some("web"));
    assert_eq!(inc.updated, tm(2));
    let ack = s
        .operator()
        .step("RB-03")
        .and_then(|p| p.acked.clone())
        .expect("acked");
    assert_eq!(ack.at, tm(4), "the post-mortem ack did not count");
    assert_eq!(s.operator().post_mortem().count(), 2);
    assert_eq!(s.operator().annotations().count(), 0);
}

#[test]
fn a_failing_source_marks_down_only_the_series_it_feeds() {
    let l = crate::testing::quota_layout();
    let mut s = State::new(&l);
    let status = |source: &str, state| Event {
        at: tm(1),
        body: EventBody::SourceStatus(crate::model::SourceStatus {
            source: source.into(),
            state,
            detail: None,
        }),
    };
    let down = |s: &State| {
        ["seoul.cpu", "quota.ec2_vcpu"].map(|id| s.series_by_id(id).expect(id).source_down())
    };
    s.apply(&status("quotas:ap-northeast-2", SourceState::Error));
    assert_eq!(down(&s), [false, true]);
    s.apply(&status("cloudwatch:ap-northeast-2", SourceState::Throttled));
    assert_eq!(down(&s), [true, true]);
    s.apply(&status("quotas:ap-northeast-2", SourceState::Ok));
    assert_eq!(down(&s), [true, false]);
}

/// A first poll reaches hours back: a counter's absent buckets before its first datapoint are
/// not zeros (the metric may not have existed), but those a live poll covers are.
#[test]
fn zero_filling_never_starts_before_a_series_first_reported() {
    let l = layout();
    let mut s = State::new(&l);
    let cpu: Vec<(DateTime<Utc>, f64, bool)> = (0..180).map(|m| (tm(m), 30.0, false)).collect();
    let req: Vec<(DateTime<Utc>, f64, bool)> = (120..180)
        .filter(|m| m % 10 != 0)
        .map(|m| (tm(m), 5.0, false))
        .collect();
    s.apply(&metrics(
        tm(182),
        tm(0),
        tm(180),
        &[("s.cpu", &cpu), ("s.req", &req)],
    ));
    let r = s.series(REQ);
    assert_eq!(
        r.get(r.index_of(tm(60))),
        Bucket::Missing,
        "before the first datapoint"
    );
    assert_eq!(r.get(r.index_of(tm(119))), Bucket::Missing);
    assert_eq!(
        r.get(r.index_of(tm(130))),
        Bucket::Value(0.0),
        "after it, absent is zero"
    );
    // A counter first polled with nothing to count reads zero over what a live poll covers.
    let mut s = State::new(&l);
    s.apply(&metrics(
        tm(182),
        tm(0),
        tm(180),
        &[("s.cpu", &cpu), ("s.req", &[])],
    ));
    let r = s.series(REQ);
    assert_eq!(r.get(r.index_of(tm(178))), Bucket::Value(0.0));
    assert_eq!(r.get(r.index_of(tm(100))), Bucket::Missing);
}
