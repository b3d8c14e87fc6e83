//! The observation layer looks like the real pollers' records: period-aligned windows, late and
//! provisional datapoints revised later, absent zero counters, jittered poll times, bounded WAF
//! samples and log batches, and hostile bytes for the sanitiser.

use crate::sim_common;

use std::collections::{BTreeMap, BTreeSet};

use sim_common::{observed, rel, run, t};
use warroom_core::model::EventBody;
use warroom_sim::Scenario;

#[test]
fn metric_batches_cover_the_last_three_whole_minutes_and_points_arrive_late() {
    let (_, events) = run(Scenario::ArmyDrop, 42);
    let mut per_region: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for e in events.iter() {
        let EventBody::Metrics(b) = &e.body else {
            continue;
        };
        let floor = e.at.timestamp() - e.at.timestamp().rem_euclid(60);
        assert_eq!(b.end.timestamp(), floor);
        assert_eq!(b.start.timestamp(), floor - 180);
        per_region
            .entry(b.region.clone())
            .or_default()
            .push(e.at.timestamp());
        for s in &b.series {
            for p in &s.points {
                assert!(p.ts >= b.start && p.ts < b.end);
                assert!(
                    (e.at - p.ts).num_seconds() >= 60,
                    "a bucket is visible 60-120 s after it starts"
                );
            }
            let newest = s.points.iter().map(|p| p.ts).max();
            for p in &s.points {
                if p.p {
                    assert_eq!(Some(p.ts), newest, "only the newest bucket is provisional");
                }
            }
        }
    }
    assert_eq!(per_region.len(), 3, "{:?}", per_region.keys());
    let offsets: BTreeSet<i64> = per_region.values().map(|v| v[0].rem_euclid(60)).collect();
    assert!(
        offsets.len() > 1,
        "polls of different regions do not align: {offsets:?}"
    );
    for (region, times) in &per_region {
        assert!(
            times.windows(2).all(|w| (58..=62).contains(&(w[1] - w[0]))),
            "{region}: one poll a minute"
        );
    }
}

#[test]
fn provisional_points_are_revised_by_the_next_poll() {
    let (_, events) = run(Scenario::ArmyDrop, 42);
    let mut revised = 0;
    for id in [
        "seoul.requests",
        "seoul.cpu",
        "virginia.requests",
        "ga.new_flows",
    ] {
        let obs = observed(&events, id);
        for (at, p) in obs.iter().filter(|(_, p)| p.p) {
            let fin = obs
                .iter()
                .find(|(a, q)| a > at && q.ts == p.ts && !q.p)
                .map(|(_, q)| q.v);
            let Some(fin) = fin else { continue };
            revised += 1;
            if id.ends_with("requests") || id.ends_with("flows") {
                assert!(
                    p.v < fin && p.v >= 0.84 * fin,
                    "{id} {}: provisional {} final {fin}",
                    p.ts,
                    p.v
                );
            }
        }
    }
    assert!(revised > 500, "{revised}");
}

#[test]
fn zero_counters_are_absent_not_zero() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    assert!(observed(&events, "seoul.rejected").is_empty());
    let elb = observed(&events, "seoul.elb_5xx");
    assert!(elb.iter().all(|(_, p)| p.v > 0.0));
    assert!(
        elb.iter().all(|(_, p)| rel(&layout, p.ts) >= -10 * 60),
        "no ELB 5xx at baseline"
    );
    let listed = events.iter().any(|e| match &e.body {
        EventBody::Metrics(b) => b
            .series
            .iter()
            .any(|s| s.id == "seoul.rejected" && s.complete),
        _ => false,
    });
    assert!(listed, "the series is listed, with no points");
    assert!(
        observed(&events, "ga.seoul.bytes_in")
            .iter()
            .all(|(_, p)| p.v > 0.0)
    );
    let gap = observed(&events, "ga.seoul.bytes_in")
        .iter()
        .filter(|(_, p)| (13 * 60..24 * 60).contains(&rel(&layout, p.ts)))
        .count();
    assert_eq!(
        gap, 0,
        "no bytes to Seoul while its dial is 0 and GA routes around it"
    );
    let _ = t(&layout, 0);
}

#[test]
fn waf_samples_are_bounded_and_carry_bots_probes_and_hostile_bytes() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    let mut bot_ips = BTreeSet::new();
    let mut buyers = 0;
    let mut sqli = 0;
    let mut hostile = 0;
    for e in events.iter() {
        let EventBody::WafSample(b) = &e.body else {
            continue;
        };
        assert!(b.requests.len() <= 100);
        assert!(b.population >= b.requests.len() as u64);
        for r in &b.requests {
            assert!(r.ts >= b.start && r.ts < b.end);
            if b.acl == "seoul.waf"
                && r.rule.as_deref() == Some("BTS-RateLimit-PerIP")
                && (3 * 60..29 * 60).contains(&rel(&layout, r.ts))
            {
                bot_ips.insert(r.client_ip.clone());
                buyers += usize::from(r.headers.iter().any(|(_, v)| v.contains("SamsungBrowser")));
            }
            sqli += usize::from(r.uri.contains("OR 1=1") || r.uri.contains("UNION"));
            let bad = |s: &str| s.chars().any(char::is_control);
            hostile += usize::from(bad(&r.uri) || r.headers.iter().any(|(_, v)| bad(v)));
        }
    }
    assert!((150..=412).contains(&bot_ips.len()), "{}", bot_ips.len());
    assert!(sqli > 50 && hostile > 5, "sqli {sqli} hostile {hostile}");
    assert!(
        buyers > 0,
        "a few buyers behind carrier NAT are caught by the rate rule too"
    );
}

#[test]
fn log_batches_are_newest_first_with_counts_and_some_hostile_lines() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    let mut hostile = 0;
    let mut collapse_lines = 0;
    for e in events.iter() {
        let EventBody::Logs(b) = &e.body else {
            continue;
        };
        assert!(b.lines.len() <= 20);
        assert!(
            b.lines.windows(2).all(|w| w[0].ts >= w[1].ts),
            "newest first"
        );
        assert_eq!(b.counts.len(), 3);
        for l in &b.lines {
            assert!(l.ts < e.at && (e.at - l.ts).num_seconds() <= 60);
            hostile += usize::from(l.message.chars().any(char::is_control));
            if b.group == "seoul.httpd" && (9 * 60..12 * 60).contains(&rel(&layout, l.ts)) {
                collapse_lines += usize::from(
                    l.message.contains("pm.max_children")
                        || l.message.contains("AH01075")
                        || l.message.contains("Maximum execution time"),
                );
            }
        }
    }
    assert!(
        hostile > 0 && collapse_lines > 20,
        "hostile {hostile} collapse {collapse_lines}"
    );
}

#[test]
fn alarms_are_polled_per_region_with_their_own_update_times() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    let mut names = BTreeSet::new();
    for e in events.iter() {
        let EventBody::Alarms(a) = &e.body else {
            continue;
        };
        for al in &a.alarms {
            names.insert((a.region.clone(), al.name.clone()));
            assert!(al.updated <= e.at);
        }
    }
    assert!(names.contains(&("ap-northeast-2".into(), "alert".into())));
    assert!(names.contains(&("ap-northeast-2".into(), "BTS-RDS-Failover".into())));
    let ecs = events.iter().find_map(|e| match &e.body {
        EventBody::Alarms(a) => a
            .alarms
            .iter()
            .find(|x| {
                x.name == "BTS-Virginia-ECS-CPU-High"
                    && x.state == warroom_core::model::AlarmState::Alarm
            })
            .map(|x| rel(&layout, x.updated)),
        _ => None,
    });
    assert!(
        ecs.is_some_and(|s| (12 * 60..17 * 60).contains(&s)),
        "{ecs:?}"
    );
}
