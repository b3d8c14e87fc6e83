//! The reference scenario's beats appear in the observed events, in their windows, for several
//! seeds.

use crate::sim_common;

use sim_common::{final_value, observed, rel, run, t};
use warroom_core::model::{EventBody, GaHealth, TargetState};
use warroom_sim::Scenario;

const SEEDS: [u64; 3] = [42, 7, 20_260_613];

#[test]
fn seoul_unhealthy_targets_first_seen_at_the_t6m_or_t7m_poll() {
    for seed in SEEDS {
        let (layout, events) = run(Scenario::ArmyDrop, seed);
        let first = observed(&events, "seoul.unhealthy_hosts")
            .into_iter()
            .find(|(_, p)| p.v > 0.0)
            .map(|(at, _)| rel(&layout, at))
            .expect("unhealthy seen");
        assert!(
            (6 * 60..=7 * 60 + 10).contains(&first),
            "seed {seed}: first seen at {first}s"
        );
    }
}

#[test]
fn seoul_healthy_zero_visible_by_t11m() {
    for seed in SEEDS {
        let (layout, events) = run(Scenario::ArmyDrop, seed);
        let first = observed(&events, "seoul.healthy_hosts")
            .into_iter()
            .find(|(_, p)| p.v == 0.0)
            .map(|(at, _)| rel(&layout, at))
            .expect("healthy 0 seen");
        assert!(
            (9 * 60..=11 * 60 + 10).contains(&first),
            "seed {seed}: at {first}s"
        );
    }
}

fn ga_seoul(
    events: &[warroom_core::model::Event],
) -> Vec<(chrono::DateTime<chrono::Utc>, GaHealth, f64)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::GaEndpoints(g) => {
                let grp = g.groups.iter().find(|x| x.region == "ap-northeast-2")?;
                Some((e.at, grp.endpoints[0].health, grp.dial))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn ga_marks_seoul_unhealthy_at_t9m40s_flaps_and_dial_follows_the_operator() {
    for seed in SEEDS {
        let (layout, events) = run(Scenario::ArmyDrop, seed);
        let snaps = ga_seoul(&events);
        let first = snaps
            .iter()
            .find(|s| s.1 == GaHealth::Unhealthy)
            .map(|s| rel(&layout, s.0))
            .expect("unhealthy");
        assert!(
            (9 * 60 + 10..=10 * 60 + 10).contains(&first),
            "seed {seed}: {first}s"
        );
        let changes: Vec<i64> = snaps
            .windows(2)
            .filter(|w| w[0].1 != w[1].1)
            .map(|w| rel(&layout, w[1].0))
            .collect();
        assert!(changes.len() >= 4, "{changes:?}");
        assert!(
            changes[2] - changes[0] <= 600,
            "three transitions within 10 min: {changes:?}"
        );
        for (at, health, dial) in &snaps {
            let r = rel(&layout, *at);
            let want = match r {
                900..1500 => 0.0,
                1500..1800 => 25.0,
                1800..2100 => 50.0,
                _ => 100.0,
            };
            assert!(
                (dial - want).abs() < 1e-9,
                "seed {seed} at {r}s dial {dial}"
            );
            if (20 * 60..3 * 3600).contains(&r) {
                assert_eq!(*health, GaHealth::Healthy, "at {r}s");
            }
        }
    }
}

#[test]
fn target_health_tells_the_story_with_reasons_and_zones() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    let seoul: Vec<(i64, &Vec<warroom_core::model::TargetInfo>)> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::TargetHealth(s) if s.target_group == "seoul.tg" => {
                Some((rel(&layout, e.at), &s.targets))
            }
            _ => None,
        })
        .collect();
    let at = |lo: i64, hi: i64| {
        seoul
            .iter()
            .filter(move |(r, _)| (lo..hi).contains(r))
            .map(|(_, t)| *t)
    };
    assert!(
        at(-29 * 60, -24 * 60)
            .flatten()
            .any(|x| x.reason.as_deref() == Some("Elb.InitialHealthChecking"))
    );
    assert!(
        at(-20 * 60, -1)
            .all(|ts| ts.len() == 8 && ts.iter().all(|x| x.state == TargetState::Healthy))
    );
    let c_unhealthy = at(7 * 60 + 40, 8 * 60 + 30).next().expect("snapshot");
    let bad: Vec<_> = c_unhealthy
        .iter()
        .filter(|x| x.state == TargetState::Unhealthy)
        .collect();
    assert_eq!(bad.len(), 3, "{c_unhealthy:?}");
    assert!(
        bad.iter()
            .all(|x| x.az.as_deref() == Some("ap-northeast-2c")
                && x.reason.as_deref() == Some("Target.Timeout"))
    );
    let collapsed = at(9 * 60 + 30, 10 * 60 + 20).next().expect("snapshot");
    assert!(
        collapsed.iter().all(|x| x.state == TargetState::Unhealthy),
        "{collapsed:?}"
    );
    assert!(
        at(12 * 60, 13 * 60)
            .flatten()
            .any(|x| x.reason.as_deref() == Some("Target.DeregistrationInProgress"))
    );
    let recovered = at(20 * 60, 21 * 60).next().expect("snapshot");
    assert_eq!(
        recovered
            .iter()
            .filter(|x| x.state == TargetState::Healthy)
            .count(),
        10
    );
    assert!(at(125 * 60, 130 * 60).all(|ts| ts.len() == 2));
}

#[test]
fn virginia_overloads_after_the_failover_and_ecs_scales_to_six() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    for m in 12..15 {
        let cpu = final_value(&layout, &events, "virginia.ecs_cpu", m).expect("cpu");
        let p99 = final_value(&layout, &events, "virginia.p99", m).expect("p99");
        let req = final_value(&layout, &events, "virginia.requests", m).expect("requests");
        let e5 = final_value(&layout, &events, "virginia.target_5xx", m).unwrap_or(0.0);
        let conn = final_value(&layout, &events, "db.connections", m).expect("conn");
        assert!(
            cpu > 85.0 && p99 > 3.5 && conn > 59.0,
            "minute {m}: cpu {cpu} p99 {p99} conn {conn}"
        );
        assert!(e5 / req > 0.04, "minute {m}: 5xx {e5}/{req}");
    }
    let later = events.iter().rev().find_map(|e| match &e.body {
        EventBody::TargetHealth(s) if s.target_group == "virginia.tg" => Some(s.targets.len()),
        _ => None,
    });
    assert_eq!(later, Some(6));
    let ops: Vec<i64> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Operator(o) if o.who == "sim-operator" => Some(rel(&layout, e.at)),
            _ => None,
        })
        .collect();
    assert_eq!(ops, vec![900, 905, 1500, 1800, 2100]);
    let _ = t(&layout, 0);
}

#[test]
fn bot_wave_and_sqli_show_in_waf_metrics() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    assert!(
        final_value(&layout, &events, "seoul.waf.rate_blocked", 0).is_none(),
        "no rate blocks before the wave"
    );
    for m in 3..9 {
        let rate = final_value(&layout, &events, "seoul.waf.rate_blocked", m).expect("rate");
        let sqli = final_value(&layout, &events, "seoul.waf.sqli_blocked", m).expect("sqli");
        assert!((9_000.0..13_000.0).contains(&rate), "minute {m}: {rate}");
        assert!((15.0..50.0).contains(&sqli), "minute {m}: {sqli}");
    }
    let after = final_value(&layout, &events, "seoul.waf.blocked", 32).expect("blocked");
    assert!((300.0..1200.0).contains(&after), "bots give up: {after}");
}
