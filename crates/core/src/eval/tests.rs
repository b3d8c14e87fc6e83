//! Health group, roll-up, trigger, return-to-normal and timeline tests over a scripted world.

use chrono::{DateTime, TimeDelta, Utc};

use super::test_support::*;
use super::{Evaluation, Evaluator, HealthKind, TriggerState};
use crate::model::{AlarmState, Event, GaHealth, Status, TargetState};
use crate::store::State;

fn eval_at(events: &[Event], now: DateTime<Utc>) -> Evaluation {
    let l = layout();
    let mut s = State::new(&l);
    for e in events {
        s.apply(e);
    }
    Evaluator::new(&l).evaluate(&s, now)
}

fn health_of(events: &[Event], now_s: i64, id: &str) -> (Status, String, bool) {
    let e = eval_at(events, ts(now_s));
    let h = e.health(id).expect("health group");
    (h.status, h.reason.clone(), h.fail_open)
}

#[test]
fn health_group_table() {
    use GaHealth::{Healthy as H, Initial as I, Unhealthy as U};
    use Status::{Green, Red, Unknown, Yellow};
    use TargetState as T;
    let tg = |s: &[T]| vec![targets(ts(0), s)];
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<Event>, i64, Status, &str)> = vec![
        ("seoul.tg", vec![], 0, Unknown, "seoul.tg no snapshot"),
        ("seoul.tg", tg(&[T::Healthy, T::Healthy]), 30, Green, "seoul.tg healthy 2/2"),
        ("seoul.tg", tg(&[T::Healthy, T::Unhealthy]), 30, Yellow, "seoul.tg healthy 1/2 unhealthy 1"),
        ("seoul.tg", tg(&[T::Healthy, T::Draining]), 30, Green, "seoul.tg healthy 1/2 draining 1"),
        ("seoul.tg", tg(&[T::Healthy, T::Initial]), 30, Green, "seoul.tg healthy 1/2 initial 1"),
        ("seoul.tg", tg(&[T::Healthy, T::UnhealthyDraining]), 30, Yellow, "seoul.tg healthy 1/2 unhealthy 1 draining 1"),
        ("seoul.tg", tg(&[T::Healthy, T::Healthy, T::Unused]), 30, Yellow, "seoul.tg healthy 2/3 unused 1"),
        ("seoul.tg", tg(&[T::Initial, T::Unhealthy]), 30, Red, "seoul.tg healthy 0/2 unhealthy 1 initial 1"),
        ("seoul.tg", tg(&[]), 30, Red, "seoul.tg healthy 0/0"),
        ("seoul.tg", tg(&[T::Healthy]), 181, Unknown, "seoul.tg snapshot stale (seoul.tg healthy 1/1)"),
        ("ga", vec![ga(ts(0), H, 100.0, H)], 30, Green, "ga ap-northeast-2 HEALTHY dial 100, us-east-1 HEALTHY dial 100"),
        ("ga", vec![ga(ts(0), U, 100.0, H)], 30, Red, "ga ap-northeast-2 UNHEALTHY"),
        ("ga", vec![ga(ts(0), H, 0.0, H)], 30, Yellow, "ga ap-northeast-2 dial 0 (expected 100): manual override"),
        ("ga", vec![ga(ts(0), I, 100.0, H)], 30, Yellow, "ga ap-northeast-2 INITIAL"),
        ("ga", vec![ga(ts(0), U, 100.0, U)], 30, Red, "GA FAIL-OPEN: no healthy endpoints"),
        ("ga", vec![ga(ts(0), H, 100.0, H)], 200, Unknown, "ga snapshot stale"),
        ("alarms", vec![], 0, Unknown, "alarms not polled"),
        ("alarms", vec![alarms(ts(0), &[("BTS-a", AlarmState::Ok), ("BTS-b", AlarmState::InsufficientData)])], 30, Green, "no alarm firing (1 with insufficient data)"),
        ("alarms", vec![alarms(ts(0), &[("BTS-a", AlarmState::Alarm), ("BTS-c", AlarmState::Alarm)])], 30, Red, "ALARM: BTS-a, BTS-c"),
        ("seoul.waf", vec![], 0, Green, "seoul.waf no series"),
        ("seoul.httpd", vec![], 0, Unknown, "seoul.httpd no data"),
    ];
    for (id, events, now, want, reason) in cases {
        let (got, why, fail_open) = health_of(&events, now, id);
        assert_eq!((got, why.as_str()), (want, reason), "{id} at {now}s");
        assert_eq!(fail_open, reason.contains("FAIL-OPEN"), "{id}: {reason}");
    }
}

#[test]
fn panels_regions_and_overall_take_the_worst() {
    let events = [
        minutes("s.req", 0, &[100.0, 100.0, 100.0]),
        minutes("s.t5xx", 0, &[5.0, 5.0, 5.0]),
        targets(tm(3), &[TargetState::Healthy, TargetState::Healthy]),
        ga(tm(3), GaHealth::Healthy, 100.0, GaHealth::Healthy),
    ];
    let e = eval_at(&events, tm(4));
    assert_eq!(
        e.series[RATE].status,
        Status::Red,
        "{}",
        e.series[RATE].reason
    );
    let seoul = e.panels.iter().find(|p| p.id == "seoul").expect("panel");
    assert_eq!(seoul.status, Status::Red);
    assert_eq!(seoul.reason, "s.rate 5 > crit 2 for 3m");
    let ga_panel = e.panels.iter().find(|p| p.id == "ga").expect("panel");
    assert_eq!(ga_panel.status, Status::Green);
    assert_eq!(e.overall, Status::Red);
    let region = |r: &str| e.regions.iter().find(|x| x.0 == r).map(|x| x.1);
    assert_eq!(region("ap-northeast-2"), Some(Status::Red));
    assert_eq!(
        region("us-east-1"),
        Some(Status::Unknown),
        "v.req has no data"
    );
    assert_eq!(e.health.last().map(|h| h.kind), Some(HealthKind::Alarms));
    assert_eq!(e.data_age, Some(TimeDelta::minutes(1)));
}

/// A scripted world: every minute, the buckets of two minutes ago for every series, a
/// target-health, GA and alarm snapshot. `unhealthy(m)` is the unhealthy-host count at minute
/// `m`; `ga_down(m)` whether Seoul's endpoint is unhealthy.
#[allow(clippy::many_single_char_names)]
pub(super) fn world(
    from: i64,
    to: i64,
    unhealthy: impl Fn(i64) -> f64,
    ga_down: impl Fn(i64) -> bool,
) -> Vec<(DateTime<Utc>, Vec<Event>)> {
    (from..=to)
        .map(|m| {
            let b = m - 2;
            let pt = |v: f64| vec![(tm(b), v, false)];
            let (u, h) = (pt(unhealthy(b)), pt(2.0 - unhealthy(b).min(2.0)));
            let (r, e, c, v) = (pt(1000.0), pt(1.0), pt(30.0), pt(400.0));
            let batch = metrics(
                tm(m),
                tm(b),
                tm(b + 1),
                &[
                    ("s.req", &r),
                    ("s.t5xx", &e),
                    ("s.unhealthy", &u),
                    ("s.healthy", &h),
                    ("s.cpu", &c),
                    ("v.req", &v),
                ],
            );
            let seoul = if ga_down(m) {
                GaHealth::Unhealthy
            } else {
                GaHealth::Healthy
            };
            let evs = vec![
                batch,
                targets(tm(m), &[TargetState::Healthy, TargetState::Healthy]),
                ga(tm(m), seoul, 100.0, GaHealth::Healthy),
                alarms(tm(m), &[("BTS-a", AlarmState::Ok)]),
                logs(tm(m)),
            ];
            (tm(m), evs)
        })
        .collect()
}

fn logs(at: DateTime<Utc>) -> Event {
    use crate::model::{EventBody, LogBatch, LogCount};
    Event {
        at,
        body: EventBody::Logs(LogBatch {
            group: "seoul.httpd".into(),
            lines: Vec::new(),
            counts: vec![LogCount { ts: at, count: 0 }],
        }),
    }
}

pub(super) fn timeline(
    steps: Vec<(DateTime<Utc>, Vec<Event>)>,
    streak_m: i64,
) -> (Vec<String>, Evaluation) {
    let mut l = layout();
    l.return_to_normal.streak = TimeDelta::minutes(streak_m);
    let mut s = State::new(&l);
    let mut ev = Evaluator::new(&l);
    let mut lines = Vec::new();
    let mut last = None;
    for (at, events) in steps {
        for e in &events {
            s.apply(e);
        }
        let e = ev.evaluate(&s, at);
        lines.extend(e.timeline.iter().map(|t| t.line(chrono_tz::Asia::Seoul)));
        last = Some(e);
    }
    (lines, last.expect("evaluated"))
}

#[test]
fn triggers_and_return_to_normal_make_a_stable_timeline() {
    let bad = |m: i64| if (3..=7).contains(&m) { 1.0 } else { 0.0 };
    let (lines, last) = timeline(world(-3, 30, bad, |m| (9..=10).contains(&m)), 10);
    let want = [
        "2026-06-13 19:57:00 KST  T-03:00  STATUS BLIND -> GREEN",
        "2026-06-13 20:05:00 KST  T+05:00  STATUS GREEN -> YELLOW",
        "2026-06-13 20:05:00 KST  T+05:00  RB-03 ARMED  Seoul targets unhealthy",
        "2026-06-13 20:07:00 KST  T+07:00  RB-03 FIRING  Seoul targets unhealthy",
        "2026-06-13 20:09:00 KST  T+09:00  STATUS YELLOW -> RED",
        "2026-06-13 20:09:00 KST  T+09:00  RB-04 FIRING  Seoul down, Global Accelerator failing over",
        "2026-06-13 20:10:00 KST  T+10:00  RB-03 CLEARED  Seoul targets unhealthy",
        "2026-06-13 20:10:00 KST  T+10:00  RETURN-TO-NORMAL streak started (2/2 criteria)",
        "2026-06-13 20:11:00 KST  T+11:00  STATUS RED -> GREEN",
        "2026-06-13 20:11:00 KST  T+11:00  RB-04 CLEARED  Seoul down, Global Accelerator failing over",
        "2026-06-13 20:20:00 KST  T+20:00  RETURN-TO-NORMAL DECLARED (streak 10m)",
    ];
    assert_eq!(lines, want, "\n{}", lines.join("\n"));
    assert_eq!(last.rtn.declared, Some(tm(20)));
    assert_eq!(last.rtn.expected, None);
    assert!(last.steps.iter().all(|s| s.trigger == TriggerState::Idle));
}

#[test]
fn no_streak_before_the_event_has_happened_in_the_data() {
    // Normal from T-20m: nothing has happened yet, so no streak runs, however long it holds.
    let (lines, last) = timeline(world(-20, 30, |_| 0.0, |_| false), 15);
    assert_eq!(
        lines,
        ["2026-06-13 19:40:00 KST  T-20:00  STATUS BLIND -> GREEN"]
    );
    assert_eq!((last.rtn.streak_start, last.rtn.declared), (None, None));
    assert_eq!((last.rtn.met, last.rtn.total), (2, 2));
    assert_eq!(last.rtn.event_seen, None);
    // A breach (YELLOW at T+5m) is the event: the streak starts once it is over, and reports
    // when it will complete.
    let bad = |m: i64| if (3..=4).contains(&m) { 1.0 } else { 0.0 };
    let (lines, last) = timeline(world(-20, 10, bad, |_| false), 15);
    assert_eq!(
        lines[1..],
        [
            "2026-06-13 20:05:00 KST  T+05:00  STATUS GREEN -> YELLOW",
            "2026-06-13 20:05:00 KST  T+05:00  RB-03 ARMED  Seoul targets unhealthy",
            "2026-06-13 20:07:00 KST  T+07:00  STATUS YELLOW -> GREEN",
            "2026-06-13 20:07:00 KST  T+07:00  RB-03 IDLE  Seoul targets unhealthy",
            "2026-06-13 20:07:00 KST  T+07:00  RETURN-TO-NORMAL streak started (2/2 criteria)",
        ],
        "\n{}",
        lines.join("\n")
    );
    assert_eq!(last.rtn.event_seen, Some(tm(5)));
    assert_eq!(last.rtn.streak_start, Some(tm(7)));
    assert_eq!(last.rtn.expected, Some(tm(22)));
}

#[test]
fn with_nothing_breached_the_scheduled_end_is_the_event() {
    // judged.toml's event ends at T+3h.
    let (lines, last) = timeline(world(170, 200, |_| 0.0, |_| false), 15);
    assert_eq!(
        lines[1..],
        [
            "2026-06-13 23:00:00 KST  T+3:00:00  RETURN-TO-NORMAL streak started (2/2 criteria)",
            "2026-06-13 23:15:00 KST  T+3:15:00  RETURN-TO-NORMAL DECLARED (streak 15m)",
        ]
    );
    assert_eq!(last.rtn.declared, Some(tm(195)));
}

#[test]
fn after_a_relapse_a_fresh_streak_declares_again() {
    let bad = |m: i64| {
        if (3..=4).contains(&m) || (25..=30).contains(&m) {
            1.0
        } else {
            0.0
        }
    };
    let (lines, last) = timeline(world(0, 55, bad, |_| false), 10);
    let rtn: Vec<String> = (lines.iter())
        .filter(|l| l.contains("RETURN-TO-NORMAL"))
        .map(|l| l[25..].to_string())
        .collect();
    assert_eq!(
        rtn,
        [
            "T+07:00  RETURN-TO-NORMAL streak started (2/2 criteria)",
            "T+17:00  RETURN-TO-NORMAL DECLARED (streak 10m)",
            "T+27:00  RETURN-TO-NORMAL RELAPSE after the declaration (no unhealthy targets)",
            "T+33:00  RETURN-TO-NORMAL streak started (2/2 criteria)",
            "T+43:00  RETURN-TO-NORMAL DECLARED (streak 10m)",
        ],
        "\n{}",
        lines.join("\n")
    );
    assert_eq!((last.rtn.declared, last.rtn.relapsed), (Some(tm(43)), None));
    assert_eq!(last.rtn.expected, None);
    // While the fresh streak runs, the relapse stands and the streak is expected to complete.
    let (_, mid) = timeline(world(0, 38, bad, |_| false), 10);
    assert_eq!(
        (
            mid.rtn.declared,
            mid.rtn.relapsed,
            mid.rtn.streak_start,
            mid.rtn.expected
        ),
        (Some(tm(17)), Some(tm(27)), Some(tm(33)), Some(tm(43)))
    );
}

#[test]
fn stale_data_makes_triggers_unknown_not_cleared() {
    let mut steps = world(0, 8, |m| if m >= 2 { 1.0 } else { 0.0 }, |_| false);
    // The metrics stop; snapshots go on.
    steps.extend((9..=15).map(|m| (tm(m), vec![targets(tm(m), &[TargetState::Healthy])])));
    let (lines, last) = timeline(steps, 15);
    let rb03: Vec<&String> = lines.iter().filter(|l| l.contains("RB-03")).collect();
    assert_eq!(rb03.len(), 3, "{lines:#?}");
    assert!(
        rb03[0].contains("ARMED") && rb03[1].contains("FIRING"),
        "{rb03:?}"
    );
    assert!(
        rb03[2].ends_with("RB-03 UNKNOWN  Seoul targets unhealthy"),
        "{rb03:?}"
    );
    assert_eq!(
        last.step("RB-03").map(|s| s.trigger),
        Some(TriggerState::Unknown)
    );
    assert_eq!(last.series[UNHEALTHY].status, Status::Unknown);
}

#[test]
fn operator_progress_is_reported_with_the_step() {
    use crate::model::{EventBody, OperatorAction, OperatorEvent};
    let mut steps = world(0, 3, |_| 0.0, |_| false);
    steps[3].1.push(Event {
        at: tm(3),
        body: EventBody::Operator(OperatorEvent {
            who: "noc1".into(),
            user: None,
            post_mortem: false,
            action: OperatorAction::RunbookAck {
                step: "RB-04".into(),
            },
        }),
    });
    let (_, last) = timeline(steps, 15);
    let s = last.step("RB-04").expect("step");
    assert_eq!(
        s.acked.as_ref().map(|m| (m.who.as_str(), m.at)),
        Some(("noc1", tm(3)))
    );
    assert_eq!(s.verify.map(|v| v.value), Some(super::Tri::True));
}

#[test]
fn detail_entries_report_alarms_health_and_notes_between_evaluations() {
    use crate::model::{EventBody, OperatorAction, OperatorEvent};
    let l = layout();
    let mut s = State::new(&l);
    let mut ev = Evaluator::new(&l);
    s.apply(&targets(tm(0), &[TargetState::Healthy]));
    s.apply(&alarms(tm(0), &[("BTS-a", AlarmState::Ok)]));
    let first = ev.evaluate(&s, tm(0));
    let mut turned = super::Turned::default();
    let at_start = super::detail_entries(&l, &s, None, &first, super::Seen::default(), &mut turned);
    let seen = super::Seen::all(&s);
    assert_eq!(at_start.len(), 1, "the alarm's state at the first poll");
    s.apply(&targets(tm(1), &[TargetState::Unhealthy]));
    s.apply(&alarms(tm(1), &[("BTS-a\u{1b}[31m", AlarmState::Alarm)]));
    s.apply(&Event {
        at: tm(1),
        body: EventBody::Operator(OperatorEvent {
            who: "noc1".into(),
            user: None,
            post_mortem: false,
            action: OperatorAction::Annotation {
                text: "WAF rule\n\u{202e}deployed\u{2066}".into(),
            },
        }),
    });
    let second = ev.evaluate(&s, tm(1));
    let lines: Vec<String> =
        super::detail_entries(&l, &s, Some(&first), &second, seen, &mut turned)
            .iter()
            .map(|e| e.line(chrono_tz::UTC))
            .collect();
    assert_eq!(
        lines,
        [
            "2026-06-13 11:01:00 UTC  T+01:00  ALARM BTS-a ALARM",
            "2026-06-13 11:01:00 UTC  T+01:00  NOTE noc1: WAF rule deployed",
            "2026-06-13 11:01:00 UTC  T+01:00  HEALTH seoul.tg GREEN -> RED: seoul.tg healthy 0/1 unhealthy 1",
            "2026-06-13 11:01:00 UTC  T+01:00  HEALTH alarms GREEN -> RED: ALARM: BTS-a",
        ]
    );
    assert!(second.timeline.iter().all(|e| e.kind.is_headline()));
    // The alarm clears and the Seoul dial is turned to 0: both named on the timeline.
    let seen = super::Seen::all(&s);
    s.apply(&ga(tm(1), GaHealth::Healthy, 100.0, GaHealth::Healthy));
    let third = ev.evaluate(&s, tm(1));
    s.apply(&alarms(tm(2), &[("BTS-a", AlarmState::Ok)]));
    s.apply(&ga(tm(2), GaHealth::Healthy, 0.0, GaHealth::Healthy));
    let fourth = ev.evaluate(&s, tm(2));
    let lines: Vec<String> =
        super::detail_entries(&l, &s, Some(&third), &fourth, seen, &mut turned)
            .iter()
            .map(|e| e.line(chrono_tz::UTC))
            .filter(|l| !l.contains("ALARM BTS-a OK"))
            .collect();
    assert_eq!(
        lines,
        [
            "2026-06-13 11:02:00 UTC  T+02:00  HEALTH ga GREEN -> YELLOW: ga ap-northeast-2 dial 0 (expected 100): manual override",
            "2026-06-13 11:02:00 UTC  T+02:00  HEALTH alarms RED -> GREEN: cleared ALARM: BTS-a",
            "2026-06-13 11:02:00 UTC  T+02:00  GA ga ap-northeast-2 traffic dial 100 -> 0",
        ]
    );
    assert_eq!(
        second.timeline[0].to_string(),
        "2026-06-13 11:01:00 UTC  T+01:00  STATUS BLIND -> RED"
    );
}

/// A step whose condition holds stays firing while the value behind it changes: RB-04 as
/// `alarms.firing > 0 for 1m` with 3 alarms, then 4, then 1 is never cleared.
#[test]
fn a_step_stays_firing_while_its_count_changes() {
    let mut l = layout();
    let when = expr(&l, "alarms.firing > 0 for 1m");
    if let Some(step) =
        (l.runbook.as_mut()).and_then(|r| r.steps.iter_mut().find(|s| s.id == "RB-04"))
    {
        step.when = when;
    }
    let names = ["BTS-a", "BTS-b", "BTS-c", "BTS-d"];
    let poll = |m: i64, n: usize| {
        let list: Vec<(&str, AlarmState)> = (names.iter().enumerate())
            .map(|(i, a)| {
                (
                    *a,
                    if i < n {
                        AlarmState::Alarm
                    } else {
                        AlarmState::Ok
                    },
                )
            })
            .collect();
        alarms(tm(m), &list)
    };
    let mut s = State::new(&l);
    let mut ev = Evaluator::new(&l);
    let mut states = Vec::new();
    for (m, n) in [(0, 3), (1, 3), (2, 4), (3, 4), (4, 1), (5, 1), (6, 0)] {
        s.apply(&poll(m, n));
        let e = ev.evaluate(&s, tm(m));
        states.push(e.step("RB-04").map(|s| s.trigger));
    }
    let f = Some(TriggerState::Firing);
    assert_eq!(&states[1..6], [f, f, f, f, f], "{states:?}");
    assert_ne!(states[6], f);
}

/// Targets draining without a break for over 15 minutes are a stuck scaling activity even when
/// the number draining changes on the way (3 becoming 2 is the same activity).
#[test]
fn scaling_is_stuck_after_15m_of_draining_whatever_the_count() {
    use TargetState::{Draining as D, Healthy as H};
    let events = [
        targets(tm(0), &[H, D, D, D]),
        targets(tm(10), &[H, H, D, D]),
        targets(tm(16), &[H, H, D, D]),
    ];
    let e = eval_at(&events, tm(16));
    let h = e.health("seoul.tg").expect("target group");
    assert_eq!(h.status, Status::Yellow, "{}", h.reason);
    assert!(h.reason.ends_with(": scaling for over 15m"), "{}", h.reason);
}

/// An operator action on RB-03 at minute `m` of `steps` (which start at minute 0).
fn act(steps: &mut [(DateTime<Utc>, Vec<Event>)], m: usize, who: &str, skip: bool) {
    use crate::model::{EventBody, OperatorAction, OperatorEvent};
    let step = "RB-03".to_string();
    let action = if skip {
        OperatorAction::RunbookSkip {
            step,
            reason: Some("known".into()),
        }
    } else {
        OperatorAction::RunbookAck { step }
    };
    steps[m].1.push(Event {
        at: steps[m].0,
        body: EventBody::Operator(OperatorEvent {
            who: who.into(),
            user: None,
            post_mortem: false,
            action,
        }),
    });
}

#[test]
fn each_firing_is_an_episode_answered_only_by_what_was_done_in_it() {
    // RB-03 (`s.unhealthy > 0 for 3m`) is armed at minute 5, fires at 7, clears at 9; armed
    // again at 14, fires again at 16.
    let bad = |b: i64| (3..=6).contains(&b) || (12..=16).contains(&b);
    let run = |acts: &[(usize, &str, bool)], to: i64| {
        let mut steps = world(0, to, |b| if bad(b) { 1.0 } else { 0.0 }, |_| false);
        for &(m, who, skip) in acts {
            act(&mut steps, m, who, skip);
        }
        let (_, last) = timeline(steps, 15);
        last.step("RB-03").cloned().expect("RB-03")
    };
    // Acknowledged while armed: the firing that follows is unanswered, the ack is history.
    let s = run(&[(6, "kim", false)], 8);
    assert_eq!(s.trigger, TriggerState::Firing);
    assert_eq!(s.episode, Some(tm(7)));
    assert!(!s.answered(), "{s:?}");
    assert_eq!(
        s.earlier.as_ref().map(|a| (a.kind, a.mark.at)),
        Some((crate::store::AnswerKind::Ack, tm(6)))
    );
    // Acknowledged while it fires: answered.
    let s = run(&[(6, "kim", false), (8, "noc1", false)], 8);
    assert_eq!(s.acked.as_ref().map(|m| m.who.as_str()), Some("noc1"));
    assert!(s.earlier.is_none());
    // Skipped after it cleared: the skip belongs to that firing's episode, and stands while
    // the step is idle...
    let s = run(&[(8, "noc1", false), (11, "park", true)], 12);
    assert_eq!(s.trigger, TriggerState::Idle);
    assert_eq!(s.skipped.as_ref().map(|m| m.at), Some(tm(11)));
    // ...but does not answer the next firing, which is unanswered again.
    let s = run(&[(8, "noc1", false), (11, "park", true)], 17);
    assert_eq!((s.trigger, s.episode), (TriggerState::Firing, Some(tm(16))));
    assert!(!s.answered() && s.skip_reason.is_none(), "{s:?}");
    assert_eq!(
        s.earlier.as_ref().map(|a| (a.kind, a.mark.who.as_str())),
        Some((crate::store::AnswerKind::Skip, "park"))
    );
}

/// A log group whose batch brought lines but no count: the count is unknown, not zero.
#[test]
fn a_log_group_without_a_count_says_unknown_not_zero() {
    use crate::model::{EventBody, LogBatch, LogLine};
    let batch = Event {
        at: ts(0),
        body: EventBody::Logs(LogBatch {
            group: "seoul.httpd".into(),
            lines: vec![LogLine {
                ts: ts(0),
                stream: Some("web-1".into()),
                message: "AH01071: Got error".into(),
            }],
            counts: Vec::new(),
        }),
    };
    let (_, reason, _) = health_of(&[batch], 30, "seoul.httpd");
    assert_eq!(reason, "seoul.httpd error count unknown");
}
