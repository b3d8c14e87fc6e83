//! Another workload than the reference, end to end against the emulators: a ticketing site in
//! one region (eu-west-1) with a namespace of its own (5-minute data) and no Global Accelerator
//! (`tests/fixtures/emulators/tix.toml`, written from the docs alone). Its data is seeded into
//! ministack (CloudWatch) and moto (a load balancer whose target group has a stopped instance,
//! an error log), every poller of the layout runs for under two minutes into a recording, and the
//! report of that recording counts exactly what was seeded: the first poll's three hours of
//! history included, the stopped target as capacity lost, the `when` success criterion judged.

use crate::support::emulators;

use chrono::{DateTime, TimeDelta, Utc};
use emulators::cloudwatch::{put_alarm, put_points, query};
use emulators::{Emulator, moto, run_id};
use warroom_aws::sources::pollers::spawn_layout;
use warroom_core::clock::Clock;
use warroom_core::config::Layout;
use warroom_core::model::{
    EmbeddedFile, Event, EventBody, FORMAT_NAME, FORMAT_VERSION, Header, Source, SourceState,
};
use warroom_core::report::{self, Verdict};

const REGION: &str = "eu-west-1";

/// The fixture with `{run}`, `{start}` and `{end}` filled in: the event from an hour ago to an
/// hour from now.
fn layout(now: DateTime<Utc>) -> (Layout, EmbeddedFile) {
    let path = emulators::server::repo_root().join("tests/fixtures/emulators/tix.toml");
    let text = std::fs::read_to_string(&path)
        .expect("the fixture")
        .replace("{run}", run_id())
        .replace("{start}", &(now - TimeDelta::hours(1)).to_rfc3339())
        .replace("{end}", &(now + TimeDelta::hours(1)).to_rfc3339());
    let file = EmbeddedFile {
        path: "tests/fixtures/emulators/tix.toml".into(),
        text,
    };
    let layout = warroom_core::config::load_texts(&file, None)
        .unwrap_or_else(|e| panic!("the tix fixture is not a valid layout: {e}"));
    (layout, file)
}

fn minute(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp() - t.timestamp().rem_euclid(60), 0).expect("minute")
}

/// What was seeded: (bucket start, value) per series id.
struct Seeded {
    requests: Vec<(DateTime<Utc>, f64)>,
    errors: Vec<(DateTime<Utc>, f64)>,
    orders: Vec<(DateTime<Utc>, f64)>,
}

/// Two and a half hours of minutes: requests every minute, 5xx in three of them, p99 under a
/// second, orders and queue depth every five minutes (one datapoint per bucket, so each
/// statistic is that datapoint).
async fn seed_metrics(
    layout: &Layout,
    cw: &aws_sdk_cloudwatch::Client,
    now: DateTime<Utc>,
) -> Seeded {
    let first = minute(now) - TimeDelta::minutes(150);
    let minutes: Vec<DateTime<Utc>> = (0..150).map(|m| first + TimeDelta::minutes(m)).collect();
    let requests: Vec<(DateTime<Utc>, f64)> = minutes
        .iter()
        .enumerate()
        .map(|(k, t)| (*t, 1000.0 + (k % 7) as f64 * 10.0))
        .collect();
    let errors: Vec<(DateTime<Utc>, f64)> =
        [40, 41, 120].iter().map(|k| (minutes[*k], 20.0)).collect();
    let five: Vec<DateTime<Utc>> = minutes
        .iter()
        .copied()
        .filter(|t| t.timestamp() % 300 == 0)
        .collect();
    let orders: Vec<(DateTime<Utc>, f64)> = five
        .iter()
        .enumerate()
        .map(|(k, t)| (*t, 300.0 + k as f64))
        .collect();
    let at = |v: &[(DateTime<Utc>, f64)], s: i64| -> Vec<(DateTime<Utc>, f64)> {
        v.iter()
            .map(|(t, x)| (*t + TimeDelta::seconds(s), *x))
            .collect()
    };
    // PutMetricData takes at most 1000 datums per call: 150 each is well within.
    put_points(cw, query(layout, "tix.requests"), &at(&requests, 10)).await;
    put_points(cw, query(layout, "tix.target_5xx"), &at(&errors, 20)).await;
    let p99: Vec<(DateTime<Utc>, f64)> = minutes.iter().map(|t| (*t, 0.42)).collect();
    put_points(cw, query(layout, "tix.p99"), &at(&p99, 5)).await;
    put_points(cw, query(layout, "tix.orders"), &at(&orders, 30)).await;
    let queue: Vec<(DateTime<Utc>, f64)> = five.iter().map(|t| (*t, 12.0)).collect();
    put_points(cw, query(layout, "tix.queue"), &at(&queue, 40)).await;
    Seeded {
        requests,
        errors,
        orders,
    }
}

/// The target group with three instances, one stopped (`unused`), and an error log.
async fn seed_moto(url: &str, layout: &Layout, now: DateTime<Utc>) {
    let clients = emulators::region_clients(url, REGION);
    let net = moto::network(url, REGION, "10.9");
    let ids = moto::run_instances(url, REGION, &net.subnets[0], 3);
    let tg = &layout.target_groups[0];
    moto::alb_with_targets(
        &clients.elbv2,
        &tg.load_balancer,
        &tg.name,
        &net,
        &ids,
        8080,
    )
    .await;
    moto::stop_instances(url, REGION, &[&ids[2]]);
    let now = DateTime::from_timestamp_millis(now.timestamp_millis()).expect("now");
    let lines = vec![
        (
            now - TimeDelta::minutes(4),
            "ERROR seat map timeout".to_string(),
        ),
        (now - TimeDelta::minutes(3), "INFO order placed".to_string()),
        (
            now - TimeDelta::minutes(2),
            "ERROR payment gateway 502".to_string(),
        ),
    ];
    moto::log_events(&clients.logs, &layout.log_groups[0].name, "web-1", &lines).await;
}

fn header(file: &EmbeddedFile, at: DateTime<Utc>) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "warroom emulator tests".into(),
        created: at,
        start: at,
        source: Source::Aws {
            accounts: vec![],
            regions: vec![REGION.into()],
            profile: None,
        },
        layout: file.clone(),
        runbook: None,
    }
}

fn has(events: &[Event], kind: &str) -> bool {
    events.iter().any(|e| e.body.kind() == kind)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn another_workload_recorded_briefly_reports_what_was_seeded() {
    let ministack = emulators::url(Emulator::Ministack);
    let moto_url = emulators::url(Emulator::Moto);
    let now = Utc::now();
    let (layout, file) = layout(now);
    assert_eq!(layout.regions(), [REGION]);
    assert!(layout.accelerators.is_empty());
    let cw = emulators::region_clients(&ministack, REGION).cloudwatch;
    let seeded = seed_metrics(&layout, &cw, now).await;
    put_alarm(
        &cw,
        &format!("emu-{}-tix-5xx", run_id()),
        aws_sdk_cloudwatch::types::StateValue::Alarm,
        "5xx above 10 for 1 datapoint",
    )
    .await;
    seed_moto(&moto_url, &layout, now).await;

    // CloudWatch from ministack, the rest from moto: one client set, as a live session has.
    let mut clients = emulators::client_set(&moto_url, &layout.regions());
    if let Some(r) = clients.regions.get_mut(REGION) {
        r.cloudwatch = cw.clone();
    }
    let started = Utc::now();
    let rec = emulators::record(
        &file,
        layout.regions(),
        |tx| spawn_layout(&layout, &clients, Clock::system(), tx),
        |events| {
            ["metrics", "target_health", "logs", "alarms"]
                .iter()
                .all(|k| has(events, k))
        },
    )
    .await;
    let took = rec
        .events
        .last()
        .map_or(TimeDelta::zero(), |e| e.at - started);
    assert!(took < TimeDelta::minutes(2), "recorded for {took}");
    for source in ["cloudwatch:eu-west-1", "elbv2:tix.tg", "alarms:eu-west-1"] {
        assert_eq!(
            rec.statuses(source),
            [(SourceState::Ok, None)],
            "{source} polled without error"
        );
    }

    assert_recorded_exactly(&rec, &seeded);
    assert_report(&layout, &file, &rec);
    assert_capacity_lost(&layout, &rec);
}

/// The points of `id` in the recording's metric batches.
fn recorded(rec: &emulators::Recording, id: &str) -> Vec<(DateTime<Utc>, f64)> {
    rec.bodies(|b| match b {
        EventBody::Metrics(m) => Some(m),
        _ => None,
    })
    .into_iter()
    .flat_map(|m| m.series.iter().filter(|s| s.id == id))
    .flat_map(|s| s.points.iter().map(|p| (p.ts, p.v)))
    .collect()
}

/// Every recorded bucket is the seeded value.
fn assert_recorded_exactly(rec: &emulators::Recording, seeded: &Seeded) {
    for (id, want) in [
        ("tix.requests", &seeded.requests),
        ("tix.target_5xx", &seeded.errors),
        ("tix.orders", &seeded.orders),
    ] {
        let got = recorded(rec, id);
        assert!(!got.is_empty(), "{id}: nothing recorded");
        for (t, v) in &got {
            let seeded_v = want.iter().find(|(s, _)| s == t).map(|x| x.1);
            assert_eq!(Some(*v), seeded_v, "{id} at {t}");
        }
    }
}

/// The report of the short recording: everything it holds counts.
fn assert_report(layout: &Layout, file: &EmbeddedFile, rec: &emulators::Recording) {
    let events = rec.events.clone();
    let first_event = events.first().expect("events").at;
    let r = report::build(&header(file, first_event), events, None).expect("report");
    let requests = r
        .peaks
        .iter()
        .find(|p| p.id == "tix.requests")
        .expect("a peak row");
    assert_eq!(
        requests.worst.map(|w| w.1),
        Some(1060.0),
        "the seeded maximum"
    );
    let a = r.availability.as_ref().expect("availability is judged");
    let in_window = |t: &DateTime<Utc>| *t >= layout.event.start && *t < layout.event.end;
    let mut buckets: Vec<(DateTime<Utc>, f64)> = recorded(rec, "tix.requests")
        .into_iter()
        .filter(|(t, _)| in_window(t))
        .collect();
    buckets.sort_by_key(|b| b.0);
    buckets.dedup_by_key(|b| b.0);
    let want_requests: f64 = buckets.iter().map(|b| b.1).sum();
    assert!(want_requests > 0.0);
    assert!(
        (a.window.requests - want_requests).abs() < 0.5,
        "the event window's requests: {} against {want_requests}",
        a.window.requests
    );
    assert!(
        a.hours
            .first()
            .is_some_and(|h| h.0 < first_event - TimeDelta::hours(2)),
        "hours from the first poll's history"
    );
    assert_eq!(r.criteria[1].verdict, Verdict::Met, "{:?}", r.criteria[1]);
    assert_eq!(r.criteria[2].verdict, Verdict::CannotJudge);
    assert!(
        a.window.expected >= a.window.known && a.window.expected < 2 * a.window.known,
        "buckets after the end of the recording are not expected: {:?}",
        a.window
    );
}

/// The stopped instance is capacity lost: the target group is not GREEN.
fn assert_capacity_lost(layout: &Layout, rec: &emulators::Recording) {
    let mut pipeline = warroom_core::pipeline::Pipeline::new(layout);
    for batch in warroom_core::pipeline::batches(rec.events.clone()) {
        pipeline.ingest(&batch);
    }
    let tg = pipeline
        .evaluation()
        .and_then(|e| e.health("tix.tg").cloned())
        .expect("target group judged");
    assert_eq!(
        tg.status,
        warroom_core::model::Status::Yellow,
        "{}",
        tg.reason
    );
    assert!(tg.reason.contains("healthy 2/3 unused 1"), "{}", tg.reason);
}
