//! Each scenario variant's signature shows in the observed events.

use crate::sim_common;

use sim_common::{final_value, observed, rel, run};
use warroom_core::model::{AlarmState, EventBody, GaHealth, SourceState};
use warroom_sim::Scenario;

#[test]
fn scenario_names_parse_and_list() {
    let names: Vec<String> = Scenario::list().iter().map(ToString::to_string).collect();
    for n in [
        "army-drop-2000kst",
        "shared-db",
        "ga-fail-open",
        "stale-data",
        "waf-false-positive",
        "rds-multiaz-failover",
    ] {
        assert!(names.iter().any(|x| x == n), "{n}");
        assert_eq!(n.parse::<Scenario>().expect("parses").to_string(), n);
    }
    assert!("nope".parse::<Scenario>().is_err());
}

#[test]
fn ga_fail_open_shows_both_groups_unhealthy_and_traffic_still_split() {
    let (layout, events) = run(Scenario::GaFailOpen, 42);
    let both: Vec<i64> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::GaEndpoints(g)
                if g.groups
                    .iter()
                    .all(|x| x.endpoints.iter().all(|p| p.health == GaHealth::Unhealthy)) =>
            {
                Some(rel(&layout, e.at))
            }
            _ => None,
        })
        .collect();
    assert!(!both.is_empty());
    assert!(
        both[0] <= 10 * 60 + 10 && *both.last().expect("some") >= 19 * 60,
        "{both:?}"
    );
    for m in 11..18 {
        let s = final_value(&layout, &events, "ga.seoul.bytes_in", m)
            .expect("Seoul still gets traffic");
        let v = final_value(&layout, &events, "ga.virginia.bytes_in", m).expect("bytes");
        let share = s / (s + v);
        assert!((0.7..0.9).contains(&share), "minute {m}: share {share}");
        assert_eq!(
            final_value(&layout, &events, "ga.unhealthy_endpoints", m),
            Some(2.0)
        );
        assert_eq!(
            final_value(&layout, &events, "virginia.healthy_hosts", m),
            Some(0.0)
        );
    }
}

#[test]
fn stale_data_returns_nothing_for_four_minutes_and_reports_the_source() {
    let (layout, events) = run(Scenario::StaleData, 42);
    let mut gap_batches = 0;
    for e in events.iter() {
        let EventBody::Metrics(b) = &e.body else {
            continue;
        };
        let r = rel(&layout, e.at);
        if (5 * 60..9 * 60).contains(&r) {
            gap_batches += 1;
            assert!(
                b.series.iter().all(|s| !s.complete && s.points.is_empty()),
                "at {r}s"
            );
        } else {
            assert!(b.series.iter().all(|s| s.complete), "at {r}s");
        }
    }
    assert_eq!(gap_batches, 12, "4 polls in each of 3 regions");
    // The first poll after it reaches back before it: every minute of the outage visible by then
    // is filled (the newest, T+8m, is not yet: the next poll's usual window has it).
    let after = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Metrics(b) if rel(&layout, e.at) >= 9 * 60 => Some(b),
            _ => None,
        })
        .find(|b| b.region == "ap-northeast-2")
        .expect("a Seoul batch after the outage");
    let p99 = after
        .series
        .iter()
        .find(|s| s.id == "seoul.p99")
        .expect("seoul.p99");
    for minute in 3..8 {
        let ts = layout.event.start + chrono::TimeDelta::minutes(minute);
        assert!(
            p99.points.iter().any(|p| p.ts == ts),
            "T+{minute}m refilled: {:?}",
            p99.points
        );
    }
    let statuses: Vec<(i64, String, SourceState)> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SourceStatus(s) => Some((rel(&layout, e.at), s.source.clone(), s.state)),
            _ => None,
        })
        .collect();
    assert_eq!(statuses.len(), 6, "{statuses:?}");
    for (r, source, state) in &statuses {
        assert!(source.starts_with("cloudwatch:"));
        match state {
            SourceState::Throttled => assert!((5 * 60..5 * 60 + 10).contains(r)),
            SourceState::Ok => assert!((9 * 60..9 * 60 + 10).contains(r)),
            other => panic!("{other:?}"),
        }
    }
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.body, EventBody::TargetHealth(_))
                && (6 * 60..8 * 60).contains(&rel(&layout, e.at))),
        "health snapshots continue"
    );
}

#[test]
fn shared_db_saturates_the_database_and_failover_does_not_help() {
    let (layout, events) = run(Scenario::SharedDb, 42);
    for m in 9..38 {
        let cpu = final_value(&layout, &events, "db.cpu", m).expect("db cpu");
        assert!(cpu >= 97.0, "minute {m}: {cpu}");
    }
    for m in 12..38 {
        let req = final_value(&layout, &events, "virginia.requests", m).expect("requests");
        let e = final_value(&layout, &events, "virginia.target_5xx", m).unwrap_or(0.0)
            + final_value(&layout, &events, "virginia.elb_5xx", m).unwrap_or(0.0);
        assert!(e / req > 0.1, "minute {m}: Virginia 5xx {e}/{req}");
    }
    assert!(
        final_value(&layout, &events, "db.cpu", 50).expect("cpu") < 60.0,
        "the DB recovers"
    );
}

#[test]
fn waf_false_positive_blocks_carrier_nat_buyers() {
    let (layout, events) = run(Scenario::WafFalsePositive, 42);
    for m in 3..13 {
        let blocked = final_value(&layout, &events, "seoul.waf.rate_blocked", m).expect("blocked");
        let allowed = final_value(&layout, &events, "seoul.waf.allowed", m).expect("allowed");
        assert!(
            blocked > 3000.0 && allowed < 0.8 * (allowed + blocked),
            "minute {m}: {blocked} {allowed}"
        );
    }
    let carriers: Vec<(String, u64)> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::WafSample(b)
                if b.acl == "seoul.waf" && (3 * 60..13 * 60).contains(&rel(&layout, e.at)) =>
            {
                Some(b)
            }
            _ => None,
        })
        .flat_map(|b| b.requests.iter().map(|r| (r.client_ip.clone(), r.weight)))
        .collect();
    let ips: std::collections::BTreeSet<&String> = carriers.iter().map(|c| &c.0).collect();
    assert!(ips.len() <= 12, "few IPs: {}", ips.len());
    assert!(carriers.iter().all(|c| c.1 >= 40), "huge weights");
    assert!(
        final_value(&layout, &events, "seoul.waf.rate_blocked", 16).is_none(),
        "limit raised at T+14m"
    );
}

#[test]
fn rds_failover_raises_its_alarm_and_no_region_fails_over() {
    let (layout, events) = run(Scenario::RdsMultiAzFailover, 42);
    let mut states = Vec::new();
    for e in events.iter() {
        match &e.body {
            EventBody::Alarms(a) => {
                if let Some(al) = a.alarms.iter().find(|x| x.name == "BTS-RDS-Failover")
                    && states.last().map(|s: &(AlarmState, i64)| s.0) != Some(al.state)
                {
                    states.push((al.state, rel(&layout, al.updated)));
                }
            }
            EventBody::GaEndpoints(g) => assert!(
                g.groups
                    .iter()
                    .all(|x| x.endpoints[0].health == GaHealth::Healthy)
            ),
            _ => {}
        }
    }
    assert_eq!(states.len(), 3, "{states:?}");
    assert_eq!(states[1].0, AlarmState::Alarm);
    assert!((5 * 60..6 * 60).contains(&states[1].1), "{states:?}");
    assert_eq!(states[2].0, AlarmState::Ok);
    assert!(states[2].1 - states[1].1 <= 180, "{states:?}");
    let conn = final_value(&layout, &events, "db.connections", 5).expect("connections");
    assert!(
        conn < 10.0,
        "connections dropped during the failover: {conn}"
    );
}

#[test]
fn alarm_latency_stamps_alert_5m48s_after_its_breaching_period() {
    let (layout, events) = run(Scenario::AlarmLatency, 42);
    let first = events.iter().find_map(|e| match &e.body {
        EventBody::Alarms(a) => a
            .alarms
            .iter()
            .find(|x| x.name == "alert" && x.state == AlarmState::Alarm)
            .map(|x| (rel(&layout, e.at), rel(&layout, x.updated))),
        _ => None,
    });
    let (seen, updated) = first.expect("alert fires");
    assert_eq!(
        updated, 348,
        "breaching period starts at T0, state change 5m48s later"
    );
    assert!(seen >= updated && seen < updated + 35, "seen at {seen}");
    let max_in_service = observed(&events, "seoul.asg_inservice")
        .iter()
        .map(|(_, p)| p.v)
        .fold(0.0, f64::max);
    assert!((max_in_service - 12.0).abs() < 1e-9, "{max_in_service}");
}
