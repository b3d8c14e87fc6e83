//! Backfill round trip against the simulator endpoint: a backfill of the reference layout over
//! an hour around the drop, through the real SDK and the endpoint's `GetMetricData`, holds for
//! every metric series of the layout and every bucket of the window exactly the world's value
//! (`World::metric`), and no point where the world has none.

use crate::simserve_common;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use simserve_common::{clients, reference_layout, server};
use warroom_aws::backfill::{self, clients_of};
use warroom_core::clock::Clock;
use warroom_core::config::layout::SeriesSource;
use warroom_core::model::EventBody;
use warroom_sim::serve::Faults;
use warroom_sim::{Scenario, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_through_the_endpoint_gives_the_worlds_values_exactly() {
    let layout = reference_layout();
    let t0 = layout.event.start;
    // Served three hours after T0, so every bucket of the window is settled.
    let clock = Clock::starting_at(t0 + TimeDelta::hours(3));
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let (from, to) = (t0 - TimeDelta::minutes(30), t0 + TimeDelta::minutes(30));
    let out = backfill::backfill(&layout, &clients_of(&set), from, to, clock.now())
        .await
        .expect("backfill");
    h.shutdown().await;

    let mut got: BTreeMap<String, BTreeMap<DateTime<Utc>, f64>> = BTreeMap::new();
    for e in &out.events {
        if let EventBody::Metrics(b) = &e.body {
            for s in &b.series {
                for p in &s.points {
                    got.entry(s.id.clone()).or_default().insert(p.ts, p.v);
                }
            }
        }
    }
    let world = World::new(Scenario::ArmyDrop, 42, t0, layout.event.tz());
    let (mut compared, mut series) = (0usize, 0usize);
    let mut wrong = Vec::new();
    for s in &layout.series {
        let SeriesSource::Metric(q) = &s.source else {
            continue;
        };
        series += 1;
        let step = TimeDelta::seconds(i64::from(q.period));
        let mut b = from;
        while b < to {
            let want = world.metric(
                &s.region,
                &q.namespace,
                &q.metric,
                &q.dimensions,
                &q.stat,
                b,
            );
            let have = got.get(&s.id).and_then(|m| m.get(&b)).copied();
            if want != have {
                wrong.push(format!("{} {b}: world {want:?}, backfill {have:?}", s.id));
            }
            compared += usize::from(want.is_some());
            b += step;
        }
        let outside = got
            .get(&s.id)
            .map_or(0, |m| m.keys().filter(|t| **t < from || **t >= to).count());
        assert_eq!(outside, 0, "{}: points outside the window", s.id);
    }
    assert!(series >= 20, "{series} metric series");
    // Alarm history through the endpoint's DescribeAlarmHistory: the world's state changes of
    // the window (`alert` goes to ALARM minutes after the drop), no call failed.
    assert!(out.alarm_errors.is_empty(), "{:?}", out.alarm_errors);
    let mut want = 0;
    for region in &layout.alarms.regions {
        want += world
            .alarm_history(region, from, to)
            .iter()
            .filter(|c| {
                layout
                    .alarms
                    .prefixes
                    .iter()
                    .any(|p| c.name.starts_with(p.as_str()))
            })
            .count();
    }
    assert!(want > 0, "the window holds alarm changes");
    assert_eq!(out.alarm_transitions, want);
    assert!(compared >= series * 50, "{compared} values compared");
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// `warroom backfill` against `sim serve` on a game day: history and the period CloudWatch
/// keeps it at are judged on the game's clock (`WARROOM_SIM_CLOCK`), not the wall clock's
/// months later (which made every bucket an hour wide); the report's chart starts at the first
/// bucket the backfill holds and draws it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_game_day_backfill_through_the_cli_keeps_every_minute() {
    let layout = reference_layout();
    let t0 = layout.event.start;
    let h = server(
        &layout,
        Clock::starting_at(t0 + TimeDelta::hours(3)),
        Faults::default(),
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bf.jsonl");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args([
            "backfill",
            "layouts/hybrid-bts.toml",
            "--from",
            "19:30",
            "--to",
            "21:00",
        ])
        .arg("--out")
        .arg(&out)
        .envs(h.env())
        .env("WARROOM_LOG_FILE", dir.path().join("log"))
        .output()
        .expect("warroom backfill runs");
    h.shutdown().await;
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r = warroom_core::report::from_recording(&out).expect("report");
    let a = r.availability.as_ref().expect("availability");
    let known: Vec<(usize, usize)> = a.hours.iter().map(|h| (h.1.known, h.1.expected)).collect();
    // 19:30-20:00 and 20:00-21:00, both load balancers, every minute.
    assert_eq!(known[..2], [(60, 60), (120, 120)], "{known:?}");
    let chart = r
        .charts
        .iter()
        .find(|c| c.id == "seoul.requests")
        .expect("a chart");
    let first = chart.points.iter().find(|p| p.1.is_some()).map(|p| p.0);
    assert_eq!(first, Some(t0 - TimeDelta::minutes(30)));
}
