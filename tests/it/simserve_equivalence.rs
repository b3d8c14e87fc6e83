//! The real pollers (`sources::pollers::spawn_layout`) against the simulator endpoint at 60x
//! record the same observations the in-process simulator makes: metric values (every point is
//! a value the simulator also observed for that bucket, and settled buckets are its final
//! values), target states, GA health and dial, WAF samples, alarms and log lines, each compared
//! with the world at the virtual time the endpoint served the call (from its journal).

// Short names (h endpoint, w world, a/b window ends, g group) as in the AWS docs' examples.
#![allow(clippy::many_single_char_names)]

use crate::simserve_common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use simserve_common::{clients, reference_layout, server, t};
use warroom_aws::sources::pollers::spawn_layout;
use warroom_core::clock::Clock;
use warroom_core::model::{Event, EventBody, SourceState};
use warroom_sim::serve::{Call, Faults};
use warroom_sim::{Scenario, Simulator};

const SPEED: f64 = 60.0;

/// The latest call of `op` about `resource` served at or before `at`.
fn served<'a>(calls: &'a [Call], op: &str, resource: &str, at: DateTime<Utc>) -> &'a Call {
    calls
        .iter()
        .rev()
        .find(|c| c.op == op && c.resource == resource && c.at <= at)
        .unwrap_or_else(|| panic!("no {op} call for {resource} before {at}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::match_wildcard_for_single_variants)] // other event kinds may be added
async fn pollers_against_the_endpoint_see_what_the_simulator_sees() {
    let layout = reference_layout();
    let (from, to) = (t(&layout, 8 * 60), t(&layout, 14 * 60));
    let clock = Clock::starting_at(from).with_speed(SPEED);
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Event>>(1024);
    let tasks = spawn_layout(&layout, &set, clock, &tx);
    drop(tx);
    let mut events: Vec<Event> = vec![];
    let deadline = tokio::time::Instant::now()
        + Duration::from_secs_f64((to - from).num_seconds() as f64 / SPEED);
    while let Ok(Some(batch)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        events.extend(batch);
    }
    for task in tasks {
        task.abort();
    }
    let calls = h.calls();
    h.shutdown().await;

    // The in-process simulator over a wider window (from the history the first metrics poll
    // asks for), and its world.
    let history = from - warroom_core::metric_window::FIRST_POLL_HISTORY;
    let mut sim = Simulator::new(&layout, Scenario::ArmyDrop, 42, history);
    let sim_events = sim.run_until(t(&layout, 20 * 60));
    let world = sim.world();

    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &events {
        let kind = match &e.body {
            EventBody::SourceStatus(s) => {
                assert_eq!(s.state, SourceState::Ok, "{}: {:?}", s.source, s.detail);
                "status"
            }
            EventBody::Metrics(_) => "metrics",
            EventBody::TargetHealth(_) => "targets",
            EventBody::GaEndpoints(_) => "ga",
            EventBody::WafSample(_) => "waf",
            EventBody::Alarms(_) => "alarms",
            EventBody::Logs(_) => "logs",
            // Operator events, and any kind added later.
            _ => "other",
        };
        *kinds.entry(kind).or_default() += 1;
    }
    for k in ["metrics", "targets", "ga", "waf", "alarms", "logs"] {
        assert!(kinds.get(k).copied().unwrap_or(0) >= 3, "{k}: {kinds:?}");
    }

    check_metrics(&events, &sim_events, &calls, to);
    check_snapshots(&layout, &events, &calls, world);
}

fn check_snapshots(
    layout: &warroom_core::config::Layout,
    events: &[Event],
    calls: &[Call],
    world: &warroom_sim::World,
) {
    // Snapshots: equal to the world at the time the endpoint served the call.
    let tgs = world.target_groups();
    let accelerator = &world.accelerators()[0];
    for e in events {
        match &e.body {
            EventBody::TargetHealth(s) => {
                let tg = layout
                    .target_groups
                    .iter()
                    .find(|g| g.id == s.target_group)
                    .expect("tg");
                let arn = &tgs
                    .iter()
                    .find(|r| r.name == tg.name)
                    .expect("world tg")
                    .arn;
                let call = served(calls, "DescribeTargetHealth", arn, e.at);
                assert_eq!(
                    Some(s.targets.clone()),
                    world.target_health(&tg.name, call.at)
                );
            }
            EventBody::GaEndpoints(s) => {
                let call = served(calls, "ListEndpointGroups", &accelerator.listener_arn, e.at);
                let want = world.ga_groups(call.at);
                assert_eq!(s.groups.len(), want.len());
                for (g, w) in s.groups.iter().zip(&want) {
                    assert_eq!((&g.region, &g.endpoints[0].id), (&w.region, &w.endpoint));
                    assert!((g.dial - w.dial).abs() < 1e-3);
                    assert_eq!(
                        (g.endpoints[0].weight, g.endpoints[0].health),
                        (w.weight, w.health)
                    );
                }
            }
            EventBody::WafSample(b) => check_waf(layout, world, b),
            EventBody::Alarms(s) => {
                for a in &s.alarms {
                    let prefix = layout
                        .alarms
                        .prefixes
                        .iter()
                        .find(|p| a.name.starts_with(p.as_str()))
                        .expect("prefix");
                    let res = format!("{prefix}*");
                    let call = calls
                        .iter()
                        .rev()
                        .find(|c| {
                            c.op == "DescribeAlarms"
                                && c.resource == res
                                && c.region == s.region
                                && c.at <= e.at
                        })
                        .expect("DescribeAlarms call");
                    let w = world
                        .alarms(&s.region, call.at)
                        .into_iter()
                        .find(|x| x.name == a.name);
                    assert_eq!(Some(a), w.as_ref());
                }
            }
            EventBody::Logs(b) => check_logs(layout, world, calls, e.at, b),
            _ => {}
        }
    }
}

fn check_waf(
    layout: &warroom_core::config::Layout,
    world: &warroom_sim::World,
    b: &warroom_core::model::WafSampleBatch,
) {
    let acl = layout.web_acls.iter().find(|a| a.id == b.acl).expect("acl");
    let mut population = 0;
    let mut want = vec![];
    for r in &acl.sample_rules {
        let (p, reqs) = world
            .sampled_requests(&acl.name, r, b.start, b.end, 100)
            .expect("rule");
        population += p;
        want.extend(reqs);
    }
    assert_eq!(b.population, population);
    let got: Vec<_> = b
        .requests
        .iter()
        .map(|r| (ms(r.ts), &r.client_ip, &r.uri, &r.rule))
        .collect();
    let exp: Vec<_> = want
        .iter()
        .map(|r| (ms(r.ts), &r.client_ip, &r.uri, &r.rule))
        .collect();
    assert_eq!(got, exp, "{}", b.acl);
}

fn check_logs(
    layout: &warroom_core::config::Layout,
    world: &warroom_sim::World,
    calls: &[Call],
    at: DateTime<Utc>,
    b: &warroom_core::model::LogBatch,
) {
    let g = layout
        .log_groups
        .iter()
        .find(|g| g.id == b.group)
        .expect("group");
    let call = served(calls, "FilterLogEvents", &g.name, at);
    let (start, end) = call.window.expect("window");
    let want = world.log_lines(&g.name, start, end, 20).expect("lines");
    let got: Vec<_> = b
        .lines
        .iter()
        .map(|l| (l.ts.timestamp_millis(), &l.stream, &l.message))
        .collect();
    let exp: Vec<_> = want
        .iter()
        .map(|l| (l.ts.timestamp_millis(), &l.stream, &l.message))
        .collect();
    assert_eq!(got, exp);
    for c in b
        .counts
        .iter()
        .skip(1)
        .take(b.counts.len().saturating_sub(2))
    {
        assert_eq!(Some(c.count), world.log_errors(&g.name, c.ts));
    }
}

fn check_metrics(events: &[Event], sim_events: &[Event], calls: &[Call], to: DateTime<Utc>) {
    // Metrics: every value the pollers recorded is one the simulator observed for that bucket,
    // and the last observation of each settled bucket is the simulator's final value.
    let mut sim_seen: BTreeMap<(String, DateTime<Utc>), BTreeSet<u64>> = BTreeMap::new();
    let mut sim_final: BTreeMap<(String, DateTime<Utc>), f64> = BTreeMap::new();
    for e in sim_events {
        if let EventBody::Metrics(b) = &e.body {
            for s in &b.series {
                for p in &s.points {
                    sim_seen
                        .entry((s.id.clone(), p.ts))
                        .or_default()
                        .insert(p.v.to_bits());
                    if !p.p {
                        sim_final.insert((s.id.clone(), p.ts), p.v);
                    }
                }
            }
        }
    }
    let mut last: BTreeMap<(String, DateTime<Utc>), (f64, bool)> = BTreeMap::new();
    let mut compared = 0;
    for e in events {
        if let EventBody::Metrics(b) = &e.body {
            served(
                calls,
                "GetMetricData",
                &calls_resource(calls, b.region.as_str()),
                e.at,
            );
            for s in &b.series {
                assert!(s.complete, "{} complete", s.id);
                for p in &s.points {
                    let key = (s.id.clone(), p.ts);
                    let seen = sim_seen.get(&key);
                    let fin = sim_final.get(&key);
                    assert!(
                        seen.is_some_and(|v| v.contains(&p.v.to_bits())) || fin == Some(&p.v),
                        "{} at {}: {} not observed by the simulator ({seen:?})",
                        s.id,
                        p.ts,
                        p.v
                    );
                    compared += 1;
                    last.insert(key, (p.v, p.p));
                }
            }
        }
    }
    assert!(compared > 200, "{compared} points compared");
    let settled = last
        .iter()
        .filter(|((_, ts), _)| *ts < to - chrono::TimeDelta::minutes(4))
        .filter(|(_, (_, provisional))| !provisional);
    let mut n = 0;
    for (key, (v, _)) in settled {
        assert_eq!(sim_final.get(key), Some(v), "{key:?} final value");
        n += 1;
    }
    assert!(n > 50, "{n} settled buckets");
}

/// Milliseconds, rounded: JSON epoch-second floats come back a few nanoseconds off.
fn ms(t: DateTime<Utc>) -> i64 {
    (t.timestamp_micros() + 500).div_euclid(1000)
}

/// The journal resource of a region's GetMetricData calls (`N queries`).
fn calls_resource(calls: &[Call], region: &str) -> String {
    calls
        .iter()
        .find(|c| c.op == "GetMetricData" && c.region == region)
        .map(|c| c.resource.clone())
        .expect("a GetMetricData call for the region")
}
