//! Evaluation over the reference layout (`layouts/hybrid-bts.toml` and its runbook): a calm
//! event returns to normal, Seoul failing fires RB-03 and RB-04 and turns the status red, GA
//! failing open is flagged, flapping fires RB-05, an RDS failover alarm fires RB-08.

use crate::eval_world;

use eval_world::World;
use warroom_core::eval::{Evaluation, Evaluator, TriggerState};
use warroom_core::model::{GaHealth, Status, TargetState};
use warroom_core::store::State;

struct Run {
    lines: Vec<String>,
    last: Evaluation,
    state: State,
}

/// Folds the world from `from_m` to `to_m` minutes after T0, evaluating every 30 s.
fn run(w: &World, from_m: i64, to_m: i64) -> Run {
    let mut state = State::new(&w.layout);
    let mut ev = Evaluator::new(&w.layout);
    let tz = w.layout.event.tz();
    let mut lines = Vec::new();
    let mut last = None;
    for secs in (from_m * 2..=to_m * 2).map(|h| h * 30) {
        for e in w.events_at(secs) {
            state.apply(&e);
        }
        let e = ev.evaluate(
            &state,
            w.layout.event.start + chrono::TimeDelta::seconds(secs),
        );
        lines.extend(e.timeline.iter().map(|t| t.line(tz)));
        last = Some(e);
    }
    Run {
        lines,
        last: last.expect("evaluated"),
        state,
    }
}

fn first<'a>(lines: &'a [String], needle: &str) -> Option<&'a String> {
    lines.iter().find(|l| l.contains(needle))
}

#[test]
fn a_calm_event_is_green_and_not_back_to_normal_before_anything_happened() {
    let r = run(&World::calm(), -10, 16);
    let not_green: Vec<_> = r
        .last
        .series
        .iter()
        .filter(|s| s.status != Status::Green)
        .map(|s| s.reason.clone())
        .collect();
    assert!(not_green.is_empty(), "{not_green:#?}");
    assert_eq!(r.last.overall, Status::Green, "{:#?}", r.last.panels);
    assert_eq!(
        r.lines,
        [
            "2026-06-13 19:50:00 KST  T-10:00  STATUS BLIND -> GREEN",
            // Every criterion holds from T0, but nothing has happened yet: no streak runs
            // before a breach or the scheduled end (it used to be declared at T+15m).
        ],
        "{:#?}",
        r.lines
    );
    assert!(r.last.steps.iter().all(|s| s.trigger == TriggerState::Idle));
    assert_eq!((r.last.rtn.met, r.last.rtn.declared), (11, None));
    assert_eq!(r.state.stats().unknown_ids, 0);
    assert_eq!(r.last.stale_series, 0);
}

#[test]
fn seoul_failing_fires_rb03_then_rb04_and_turns_red() {
    let mut w = World::calm();
    // Seoul targets go unhealthy from T+5m; at T+9m none is healthy and GA marks Seoul down.
    w.value = Box::new(|id, m| match id {
        "seoul.unhealthy_hosts" | "seoul.healthy_hosts" if (5..9).contains(&m) => Some(1.0),
        "seoul.unhealthy_hosts" if m >= 9 => Some(2.0),
        "seoul.healthy_hosts" if m >= 9 => Some(0.0),
        _ => None,
    });
    w.ga = Box::new(|region, s| {
        if region == "ap-northeast-2" && s >= 9 * 60 + 30 {
            GaHealth::Unhealthy
        } else {
            GaHealth::Healthy
        }
    });
    w.targets = Box::new(|tg, s| match (tg, s) {
        ("seoul.tg", s) if s >= 9 * 60 => vec![TargetState::Unhealthy, TargetState::Unhealthy],
        ("seoul.tg", s) if s >= 5 * 60 => vec![TargetState::Healthy, TargetState::Unhealthy],
        _ => vec![TargetState::Healthy, TargetState::Healthy],
    });
    let r = run(&w, -5, 14);
    let rb03 = first(&r.lines, "RB-03 FIRING").expect("RB-03 fires");
    // Buckets from T+5m on arrive two minutes late: the third unhealthy bucket at T+9m.
    assert!(rb03.contains("T+09:00"), "{rb03}");
    let rb04 = first(&r.lines, "RB-04 FIRING").expect("RB-04 fires");
    assert!(rb04.contains("T+09:30"), "{rb04}");
    assert!(rb04.ends_with("RB-04 FIRING  Seoul down, Global Accelerator failing over"));
    let red = r.lines.iter().any(|l| l.contains("STATUS BLIND -> GREEN"));
    assert!(red, "starts green: {:#?}", r.lines);
    let to_red = first(&r.lines, "-> RED").expect("turns red");
    assert!(
        to_red.contains("T+09:00"),
        "the target group has no healthy target: {to_red}"
    );
    assert!(first(&r.lines, "RETURN-TO-NORMAL streak broken").is_some());
    let ga = r.last.health("ga").expect("ga");
    assert_eq!(ga.status, Status::Red);
    assert!(!ga.fail_open, "Virginia is still healthy");
    let tg = r.last.health("seoul.tg").expect("tg");
    assert_eq!(
        (tg.status, tg.reason.as_str()),
        (Status::Red, "seoul.tg healthy 0/2 unhealthy 2")
    );
    let seoul = r
        .last
        .regions
        .iter()
        .find(|x| x.0 == "ap-northeast-2")
        .expect("region");
    assert_eq!(seoul.1, Status::Red);
    assert_eq!(r.last.overall, Status::Red);
}

#[test]
fn no_healthy_endpoint_anywhere_is_fail_open() {
    let mut w = World::calm();
    w.ga = Box::new(|_, s| {
        if s >= 60 {
            GaHealth::Unhealthy
        } else {
            GaHealth::Healthy
        }
    });
    let r = run(&w, -2, 3);
    let ga = r.last.health("ga").expect("ga");
    assert!(ga.fail_open && r.last.fail_open());
    assert_eq!(
        (ga.status, ga.reason.as_str()),
        (Status::Red, "GA FAIL-OPEN: no healthy endpoints")
    );
    assert!(ga.regions.iter().all(|(_, s)| *s == Status::Red));
}

#[test]
fn a_dial_off_its_expected_value_is_a_manual_override() {
    let mut w = World::calm();
    w.dial = Box::new(|r, _| if r == "ap-northeast-2" { 0.0 } else { 100.0 });
    let r = run(&w, -2, 2);
    let ga = r.last.health("ga").expect("ga");
    assert_eq!(ga.status, Status::Yellow);
    assert!(ga.reason.contains("manual override"), "{}", ga.reason);
    let crit = &r.last.rtn.criteria[3];
    assert_eq!(crit.name, "GA healthy, dials 100/100");
    assert!(!crit.truth.is_true());
}

#[test]
fn flapping_fires_rb05() {
    let mut w = World::calm();
    w.ga = Box::new(|r, s| {
        if r == "ap-northeast-2" && s >= 0 && (s / 120) % 2 == 1 {
            GaHealth::Unhealthy
        } else {
            GaHealth::Healthy
        }
    });
    let r = run(&w, -2, 8);
    let rb05 = first(&r.lines, "RB-05 FIRING").expect("RB-05 fires");
    // Transitions at T+2m, T+4m, T+6m: the third one fires.
    assert!(rb05.contains("T+06:00"), "{rb05}");
}

#[test]
fn an_rds_failover_alarm_fires_rb08_and_blocks_return_to_normal() {
    let mut w = World::calm();
    w.alarms = Box::new(|m| {
        if (3..6).contains(&m) {
            vec!["BTS-RDS-Failover"]
        } else {
            Vec::new()
        }
    });
    let r = run(&w, -2, 8);
    assert!(
        first(&r.lines, "RB-08 FIRING").is_some_and(|l| l.contains("T+03:00")),
        "{:#?}",
        r.lines
    );
    assert!(
        first(&r.lines, "RB-08 CLEARED").is_some_and(|l| l.contains("T+06:00")),
        "{:#?}",
        r.lines
    );
    // The failover is the event: no streak before it, and none while the alarm fires.
    assert!(
        first(&r.lines, "RETURN-TO-NORMAL streak started").is_some_and(|l| l.contains("T+06:00")),
        "{:#?}",
        r.lines
    );
    let alarms = r.state.alarms();
    assert_eq!(alarms.firing().count(), 0);
    assert_eq!(alarms.iter().count(), 4);
}

#[test]
fn waf_samples_and_logs_are_kept_and_aggregated() {
    let r = run(&World::calm(), -2, 3);
    let waf = r.state.waf(0).expect("seoul.waf sample");
    let top = waf.top(warroom_core::store::WafKey::ClientIp, 2, Some("BLOCK"));
    assert_eq!(top.len(), 2);
    assert_eq!(
        waf.top(warroom_core::store::WafKey::Rule, 3, None),
        [("BTS-RateLimit-PerIP".to_string(), 5)]
    );
    let logs = r.state.log_group(0).expect("log group");
    assert_eq!(
        logs.lines().count(),
        6,
        "one line a minute from T-2m to T+3m"
    );
    assert_eq!(
        r.last.health("seoul.httpd").map(|h| h.reason.as_str()),
        Some("seoul.httpd 3 errors/min")
    );
}
