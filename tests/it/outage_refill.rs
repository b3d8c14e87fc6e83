//! A throttling burst leaves no hole: the real metrics pollers (`MetricsPoller` on the
//! scheduler, real SDK clients) run twice against the simulator endpoint at 60x from T+15m, once
//! with CloudWatch throttled from T+18m to T+22m and once without. Folded bucket by bucket as
//! the store folds them (a later poll's point replaces an earlier one), every settled bucket of
//! every series from the first poll's history to three minutes before the end is in both runs
//! with the same value: the first success after the burst asked for everything since the last
//! settled bucket.

use crate::simserve_common;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use simserve_common::{clients, reference_layout, server, t};
use warroom_aws::sources::pollers::MetricsPoller;
use warroom_aws::sources::scheduler;
use warroom_core::clock::Clock;
use warroom_core::config::Layout;
use warroom_core::metric_window;
use warroom_core::model::{Event, EventBody, SourceState};
use warroom_core::source::SourceKind;
use warroom_sim::serve::Faults;

const SPEED: f64 = 60.0;

/// (region, series, bucket) -> value, the later poll winning.
type Buckets = BTreeMap<(String, String, DateTime<Utc>), f64>;
/// Per region: the start of its first window and the end of its last.
type Spans = BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>;

struct Run {
    events: Vec<Event>,
    faulted_calls: usize,
}

async fn run(layout: &Layout, spec: Option<&str>, from: DateTime<Utc>, to: DateTime<Utc>) -> Run {
    let clock = Clock::starting_at(from).with_speed(SPEED);
    let faults = spec.map_or_else(Faults::default, |s| {
        Faults::parse(s, layout.event.start, layout.event.tz()).expect("fault spec")
    });
    let h = server(layout, clock, faults).await;
    let set = clients(&h.endpoint_url(), layout).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Event>>(1024);
    let tasks: Vec<_> = metric_window::plan(layout)
        .into_iter()
        .map(|(region, plan)| {
            let client = set
                .region(&region)
                .expect("region client")
                .cloudwatch
                .clone();
            let poller = MetricsPoller::new(format!("cloudwatch:{region}"), client, plan);
            scheduler::spawn_for(poller, SourceKind::Metrics, clock, &tx)
        })
        .collect();
    drop(tx);
    let deadline = tokio::time::Instant::now()
        + Duration::from_secs_f64((to - from).num_seconds() as f64 / SPEED);
    let mut events = Vec::new();
    while let Ok(Some(batch)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        events.extend(batch);
    }
    for task in tasks {
        task.abort();
    }
    let faulted_calls = h.calls().iter().filter(|c| c.fault.is_some()).count();
    h.shutdown().await;
    Run {
        events,
        faulted_calls,
    }
}

/// The run's buckets, and per region the start of its first window and the end of its last.
fn fold(events: &[Event]) -> (Buckets, Spans) {
    let mut buckets = Buckets::new();
    let mut span = Spans::new();
    for e in events {
        let EventBody::Metrics(b) = &e.body else {
            continue;
        };
        let s = span.entry(b.region.clone()).or_insert((b.start, b.end));
        s.0 = s.0.min(b.start);
        s.1 = s.1.max(b.end);
        for series in &b.series {
            for p in &series.points {
                buckets.insert((b.region.clone(), series.id.clone(), p.ts), p.v);
            }
        }
    }
    (buckets, span)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttling_burst_leaves_every_bucket_as_the_fault_free_run_has_it() {
    let layout = reference_layout();
    let (from, to) = (t(&layout, 15 * 60), t(&layout, 32 * 60));
    let (fault_from, fault_to) = (t(&layout, 18 * 60), t(&layout, 22 * 60));
    let (faulted, clean) = tokio::join!(
        run(&layout, Some("cloudwatch:throttle@T+18m..T+22m"), from, to),
        run(&layout, None, from, to),
    );
    assert!(faulted.faulted_calls > 0, "the endpoint throttled");
    assert_eq!(clean.faulted_calls, 0);
    let throttled = faulted.events.iter().any(
        |e| matches!(&e.body, EventBody::SourceStatus(s) if s.state == SourceState::Throttled),
    );
    assert!(throttled, "the pollers saw the burst");

    let (got, got_span) = fold(&faulted.events);
    let (want, want_span) = fold(&clean.events);
    assert_eq!(
        got_span.keys().collect::<Vec<_>>(),
        want_span.keys().collect::<Vec<_>>()
    );
    let mut compared = 0;
    let mut missing = Vec::new();
    let mut differ = Vec::new();
    for (region, (start_a, end_a)) in &got_span {
        let (start_b, end_b) = want_span[region];
        // Settled in both runs: the newest three buckets of the last poll may still move.
        let (lo, hi) = (
            (*start_a).max(start_b),
            (*end_a).min(end_b) - TimeDelta::minutes(3),
        );
        assert!(
            lo < fault_from && hi > fault_to,
            "{region}: compared span {lo}..{hi} covers the burst"
        );
        for ((r, id, ts), v) in want.range((region.clone(), String::new(), lo)..) {
            if r != region {
                break;
            }
            if *ts < lo || *ts >= hi {
                continue;
            }
            compared += 1;
            match got.get(&(r.clone(), id.clone(), *ts)) {
                None => missing.push(format!("{r} {id} {ts}")),
                Some(g) if (g - v).abs() > 1e-9 => {
                    differ.push(format!("{r} {id} {ts}: {g} (fault-free {v})"));
                }
                Some(_) => {}
            }
        }
    }
    assert!(compared > 100, "{compared} buckets compared");
    assert!(
        missing.is_empty() && differ.is_empty(),
        "{} buckets missing after the burst, {} differ:\n{}\n{}",
        missing.len(),
        differ.len(),
        missing.join("\n"),
        differ.join("\n")
    );
}
