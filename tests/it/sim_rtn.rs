//! Return to normal in the reference world: every criterion of the reference layout holds for
//! every minute from T+80m (21:20 KST) to T+3h, and not all of them hold at T+79m.

use crate::sim_common;

use chrono::TimeDelta;
use sim_common::{reference_layout, t};
use warroom_core::config::Layout;
use warroom_core::config::layout::SeriesSource;
use warroom_core::model::{AlarmState, GaHealth};
use warroom_sim::{Scenario, World};

fn value(w: &World, layout: &Layout, id: &str, minute: i64) -> Option<f64> {
    let s = layout.series_by_id(id).expect("series");
    let SeriesSource::Metric(q) = &s.source else {
        panic!("{id} is math")
    };
    w.metric(
        &s.region,
        &q.namespace,
        &q.metric,
        &q.dimensions,
        &q.stat,
        t(layout, minute * 60),
    )
}

/// The reference layout's criteria, by name, false ones listed.
#[allow(clippy::many_single_char_names)]
fn failing(w: &World, layout: &Layout, m: i64) -> Vec<&'static str> {
    let v = |id: &str| value(w, layout, id, m).unwrap_or(0.0);
    let gauge = |id: &str| value(w, layout, id, m).expect("gauges are always reported");
    let mut out = Vec::new();
    if v("seoul.requests") + v("virginia.requests") >= 4000.0 {
        out.push("traffic");
    }
    if gauge("seoul.unhealthy_hosts") != 0.0 || gauge("virginia.unhealthy_hosts") != 0.0 {
        out.push("unhealthy");
    }
    if gauge("seoul.healthy_hosts") < gauge("seoul.asg_desired") {
        out.push("healthy=desired");
    }
    let at = t(layout, m * 60 + 30);
    if w.ga_groups(at)
        .iter()
        .any(|g| g.health != GaHealth::Healthy || (g.dial - 100.0).abs() > 1e-9)
    {
        out.push("ga");
    }
    let rate = |site: &str| {
        100.0 * (v(&format!("{site}.target_5xx")) + v(&format!("{site}.elb_5xx")))
            / v(&format!("{site}.requests"))
    };
    if rate("seoul") >= 0.5 || rate("virginia") >= 0.5 {
        out.push("5xx");
    }
    if gauge("seoul.p99") > 1.2 * 0.3 {
        out.push("p99");
    }
    if gauge("seoul.cpu") >= 60.0 {
        out.push("cpu");
    }
    let (b, a) = (v("seoul.waf.blocked"), v("seoul.waf.allowed"));
    if !(100.0 * b / (a + b) < 5.0 || b <= 64.0) {
        out.push("waf");
    }
    if gauge("db.cpu") >= 60.0 || gauge("db.connections") >= 46.0 || gauge("db.replica_lag") >= 30.0
    {
        out.push("rds");
    }
    if v("redis.evictions") != 0.0 {
        out.push("redis");
    }
    let firing = ["ap-northeast-2", "us-east-1"]
        .iter()
        .flat_map(|r| w.alarms(r, at))
        .filter(|a| a.state == AlarmState::Alarm)
        .count();
    if firing > 0 {
        out.push("alarms");
    }
    out
}

#[test]
fn every_criterion_holds_from_t80m_and_not_all_before() {
    let layout = reference_layout();
    for seed in [42, 7, 99, 20_260_613] {
        let w = World::new(
            Scenario::ArmyDrop,
            seed,
            layout.event.start,
            chrono_tz::Asia::Seoul,
        );
        for m in 80..180 {
            let f = failing(&w, &layout, m);
            assert!(f.is_empty(), "seed {seed} minute {m}: {f:?}");
        }
        let f = failing(&w, &layout, 79);
        assert_eq!(
            f,
            vec!["p99"],
            "seed {seed}: the last criterion to turn true is p99"
        );
        for m in 0..79 {
            assert!(
                !failing(&w, &layout, m).is_empty(),
                "seed {seed}: all true at minute {m}"
            );
        }
    }
}

#[test]
fn a_day_long_run_settles_to_the_post_event_baseline() {
    let layout = reference_layout();
    let w = World::new(
        Scenario::ArmyDrop,
        42,
        layout.event.start,
        chrono_tz::Asia::Seoul,
    );
    for m in (240..24 * 60).step_by(7) {
        let f = failing(&w, &layout, m);
        assert!(f.is_empty(), "minute {m}: {f:?}");
        let r = value(&w, &layout, "seoul.requests", m).expect("requests");
        assert!((1400.0..1800.0).contains(&r), "minute {m}: {r}");
    }
    let mut sim =
        warroom_sim::Simulator::new(&layout, Scenario::ArmyDrop, 42, t(&layout, 20 * 3600));
    let events = sim.advance_to(t(&layout, 20 * 3600) + TimeDelta::hours(2));
    assert!(events.len() > 1000, "{}", events.len());
}
