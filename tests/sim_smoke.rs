//! The simulator end to end over the reference layout: it runs, is deterministic, and every
//! non-math series of the layout is emitted at baseline.

mod sim_common;

use sim_common::{run, t};
use warroom::model::EventBody;
use warroom::sim::Scenario;

#[test]
fn same_seed_gives_identical_events_and_other_seeds_differ() {
    let (_, a) = run(Scenario::ArmyDrop, 42);
    let (_, b) = run(Scenario::ArmyDrop, 42);
    let (_, c) = run(Scenario::ArmyDrop, 7);
    let ja: Vec<String> = a
        .iter()
        .map(|e| serde_json::to_string(e).expect("json"))
        .collect();
    let jb: Vec<String> = b
        .iter()
        .map(|e| serde_json::to_string(e).expect("json"))
        .collect();
    let jc: Vec<String> = c
        .iter()
        .map(|e| serde_json::to_string(e).expect("json"))
        .collect();
    assert_eq!(ja, jb);
    assert_ne!(ja, jc);
    assert!(a.windows(2).all(|w| w[0].at <= w[1].at), "time order");
}

#[test]
fn every_metric_series_has_points_at_baseline() {
    let (layout, events) = run(Scenario::ArmyDrop, 42);
    let from = t(&layout, -50 * 60);
    let to = t(&layout, -40 * 60);
    for s in &layout.series {
        if matches!(s.source, warroom::config::layout::SeriesSource::Math { .. }) {
            continue;
        }
        if [
            "seoul.rejected",
            "seoul.elb_5xx",
            "virginia.elb_5xx",
            "seoul.waf.rate_blocked",
            "seoul.waf.sqli_blocked",
        ]
        .contains(&s.id.as_str())
        {
            continue;
        }
        let n: usize = events
            .iter()
            .filter(|e| e.at >= from && e.at < to)
            .filter_map(|e| match &e.body {
                EventBody::Metrics(b) => Some(b),
                _ => None,
            })
            .flat_map(|b| b.series.iter().filter(|x| x.id == s.id))
            .map(|x| x.points.len())
            .sum();
        assert!(n > 0, "{} has no points at baseline", s.id);
    }
}
