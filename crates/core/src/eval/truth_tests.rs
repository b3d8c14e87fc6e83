//! Table tests of expression truth: comparisons over bucket runs, and/or/not, `for`, Unknown,
//! `changes`, `baseline`, snapshots and alarms.

use chrono::{DateTime, Utc};

use super::test_support::*;
use super::truth::{Ctx, Tri, truth};
use crate::model::{AlarmState, Event, GaHealth, TargetState};
use crate::store::State;

fn run(events: &[Event], now: DateTime<Utc>, text: &str) -> super::Truth {
    let l = layout();
    let mut s = State::new(&l);
    for e in events {
        s.apply(e);
    }
    truth(&expr(&l, text), &Ctx::new(&l, &s, now))
}

fn armed(events: &[Event], now: DateTime<Utc>, text: &str) -> Tri {
    let l = layout();
    let mut s = State::new(&l);
    for e in events {
        s.apply(e);
    }
    truth(&expr(&l, text), &Ctx::new(&l, &s, now).armed()).value
}

#[test]
fn truth_table() {
    use Tri::{False as F, True as T, Unknown as U};
    let unh = |v: &[f64]| vec![minutes("s.unhealthy", 0, v)];
    let healthy_ga = |at| ga(at, GaHealth::Healthy, 100.0, GaHealth::Healthy);
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<Event>, i64, Tri)> = vec![
        ("s.unhealthy > 0", unh(&[0.0, 1.0]), 3, T),
        ("s.unhealthy > 0 for 3m", unh(&[0.0, 1.0, 1.0]), 4, F),
        ("s.unhealthy > 0 for 3m", unh(&[0.0, 1.0, 1.0, 1.0]), 5, T),
        ("s.unhealthy == 0 for 2m", unh(&[1.0, 0.0, 0.0]), 4, T),
        ("not s.unhealthy > 0", unh(&[1.0]), 2, F),
        ("s.unhealthy > 0", vec![], 2, U),
        ("not s.unhealthy > 0", vec![], 2, U),
        ("s.unhealthy > 0 for 1m", vec![], 2, U),
        ("s.unhealthy > 0", unh(&[1.0]), 10, U),
        ("s.unhealthy > 0 or s.cpu > 1", unh(&[1.0]), 2, T),
        ("s.unhealthy > 5 or s.cpu > 1", unh(&[1.0]), 2, U),
        ("s.unhealthy > 5 and s.cpu > 1", unh(&[1.0]), 2, F),
        ("s.unhealthy > 0 and s.cpu > 1", unh(&[1.0]), 2, U),
        ("s.req < 2 * baseline(s.req)", vec![minutes("s.req", 0, &[3000.0])], 2, T),
        ("s.req < 2 * baseline(s.req)", vec![minutes("s.req", 0, &[4000.0])], 2, F),
        ("s.req + v.req > 4000", vec![minutes("s.req", 0, &[3000.0, 3000.0, 3900.0]), minutes("v.req", 0, &[500.0, 500.0])], 4, F),
        ("s.rate > 2", vec![minutes("s.req", 0, &[100.0]), minutes("s.t5xx", 0, &[5.0])], 2, T),
        ("s.rate > 2", vec![minutes("s.req", 0, &[0.0]), minutes("s.t5xx", 0, &[0.0])], 2, U),
        ("ga.ap-northeast-2 == HEALTHY for 5m", vec![healthy_ga(tm(0)), healthy_ga(tm(6))], 6, T),
        ("ga.ap-northeast-2 == UNHEALTHY", vec![healthy_ga(tm(0))], 1, F),
        ("ga.ap-northeast-2 == HEALTHY", vec![healthy_ga(tm(0))], 4, U),
        ("ga.ap-northeast-2.dial == 100 and ga.us-east-1 == HEALTHY", vec![healthy_ga(tm(0))], 1, T),
        ("seoul.tg.unhealthy > 0", vec![targets(tm(0), &[TargetState::Healthy, TargetState::Unhealthy])], 1, T),
        ("seoul.tg.healthy == 0", vec![targets(tm(0), &[TargetState::Unhealthy])], 1, T),
        ("seoul.tg.unused == 1", vec![targets(tm(0), &[TargetState::Healthy, TargetState::Unused])], 1, T),
        ("seoul.tg.healthy < seoul.tg.total", vec![targets(tm(0), &[TargetState::Healthy, TargetState::Unused])], 1, T),
        ("alarms.firing == 0", vec![alarms(tm(0), &[("BTS-a", AlarmState::Ok)])], 1, T),
        ("alarms.firing == 0", vec![], 1, U),
        ("alarm.BTS-a == ALARM", vec![alarms(tm(0), &[("BTS-a", AlarmState::Alarm)])], 1, T),
        ("alarm.BTS-a == OK", vec![alarms(tm(0), &[("BTS-a", AlarmState::Alarm)])], 1, F),
        ("alarm.BTS-a == ALARM", vec![alarms(tm(0), &[("BTS-a", AlarmState::Alarm)])], 5, U),
        ("alarm.missing == ALARM", vec![alarms(tm(0), &[])], 1, U),
        ("s.healthy == 0 or ga.ap-northeast-2 == UNHEALTHY", vec![ga(tm(0), GaHealth::Unhealthy, 100.0, GaHealth::Healthy)], 1, T),
    ];
    for (text, events, now_m, want) in cases {
        let t = run(&events, tm(now_m), text);
        assert_eq!(t.value, want, "{text} at T+{now_m}m: {t:?}");
    }
}

#[test]
fn since_and_until_of_series_runs() {
    let ev = [minutes("s.unhealthy", 0, &[0.0, 1.0, 1.0, 1.0])];
    // A bare comparison follows its run only one bucket back (no `for` needs more).
    let t = run(&ev, tm(5), "s.unhealthy > 0");
    assert_eq!(
        (t.since, t.until),
        (tm(2), tm(4)),
        "short run start, newest bucket end"
    );
    // Under a `for`, the run is followed back as far as the duration needs: exact since.
    let t = run(&ev, tm(5), "s.unhealthy > 0 for 2m");
    assert_eq!((t.value, t.since, t.until), (Tri::True, tm(3), tm(4)));
    let t = run(&ev, tm(5), "s.unhealthy > 0 for 3m");
    assert_eq!((t.value, t.since, t.until), (Tri::True, tm(4), tm(4)));
}

#[test]
fn for_treated_as_zero_arms() {
    let ev = [minutes("s.unhealthy", 0, &[0.0, 1.0])];
    assert_eq!(run(&ev, tm(3), "s.unhealthy > 0 for 3m").value, Tri::False);
    assert_eq!(armed(&ev, tm(3), "s.unhealthy > 0 for 3m"), Tri::True);
}

#[test]
fn changes_counts_transitions_in_the_window() {
    let mut ev = Vec::new();
    let states = [
        GaHealth::Healthy,
        GaHealth::Unhealthy,
        GaHealth::Healthy,
        GaHealth::Unhealthy,
    ];
    for (i, h) in states.iter().enumerate() {
        ev.push(ga(tm(2 * i as i64), *h, 100.0, GaHealth::Healthy));
    }
    ev.push(ga(tm(7), GaHealth::Unhealthy, 100.0, GaHealth::Healthy));
    assert_eq!(
        run(&ev, tm(7), "changes(ga.ap-northeast-2, 10m) >= 3").value,
        Tri::True
    );
    assert_eq!(
        run(&ev, tm(7), "changes(ga.ap-northeast-2, 3m) >= 2").value,
        Tri::False
    );
    ev.push(ga(tm(20), GaHealth::Unhealthy, 100.0, GaHealth::Healthy));
    let t = run(&ev, tm(20), "changes(ga.ap-northeast-2, 10m) == 0");
    assert_eq!(
        (t.value, t.since),
        (Tri::True, tm(16)),
        "zero since the last transition left"
    );
}

/// `for` measures how long the comparison's truth has held, not how long its operand has kept
/// one value: a count changing while the condition holds does not restart it, for every kind
/// of snapshot operand.
#[test]
fn for_holds_while_a_snapshot_value_changes_but_the_truth_does_not() {
    use AlarmState::{Alarm, InsufficientData, Ok};
    use TargetState::{Healthy, Unhealthy};
    let firing = |at, n: usize| {
        let names = ["BTS-a", "BTS-b", "BTS-c", "BTS-d"];
        let list: Vec<(&str, AlarmState)> = (names.iter().enumerate())
            .map(|(i, a)| (*a, if i < n { Alarm } else { Ok }))
            .collect();
        alarms(at, &list)
    };
    let cases: Vec<(&str, Vec<Event>)> = vec![
        (
            "alarms.firing > 0 for 1m",
            vec![
                firing(ts(0), 3),
                firing(ts(60), 3),
                firing(ts(90), 4),
                firing(ts(120), 1),
            ],
        ),
        (
            "seoul.tg.unhealthy > 0 for 1m",
            vec![
                targets(ts(0), &[Healthy, Unhealthy, Healthy]),
                targets(ts(90), &[Unhealthy, Unhealthy, Healthy]),
                targets(ts(120), &[Unhealthy, Healthy, Healthy]),
            ],
        ),
        (
            "ga.ap-northeast-2.dial > 0 for 1m",
            vec![
                ga(ts(0), GaHealth::Healthy, 100.0, GaHealth::Healthy),
                ga(ts(90), GaHealth::Healthy, 50.0, GaHealth::Healthy),
                ga(ts(120), GaHealth::Healthy, 20.0, GaHealth::Healthy),
            ],
        ),
        (
            "ga.ap-northeast-2 != HEALTHY for 1m",
            vec![
                ga(ts(0), GaHealth::Unhealthy, 100.0, GaHealth::Healthy),
                ga(ts(90), GaHealth::Initial, 100.0, GaHealth::Healthy),
                ga(ts(120), GaHealth::Unhealthy, 100.0, GaHealth::Healthy),
            ],
        ),
        (
            "alarm.BTS-a != OK for 1m",
            vec![
                alarms(ts(0), &[("BTS-a", Alarm)]),
                alarms(ts(90), &[("BTS-a", InsufficientData)]),
                alarms(ts(120), &[("BTS-a", Alarm)]),
            ],
        ),
    ];
    for (text, events) in cases {
        for now in [ts(90), ts(120), ts(150)] {
            let held: Vec<Event> = events.iter().filter(|e| e.at <= now).cloned().collect();
            let t = run(&held, now, text);
            assert_eq!((t.value, t.since), (Tri::True, ts(60)), "{text} at {now}");
        }
    }
    // The truth changing does restart it.
    let ev = [firing(ts(0), 2), firing(ts(60), 0), firing(ts(90), 1)];
    assert_eq!(
        run(&ev, ts(120), "alarms.firing > 0 for 1m").value,
        Tri::False
    );
    assert_eq!(
        run(&ev, ts(150), "alarms.firing > 0 for 1m").value,
        Tri::True
    );
}
