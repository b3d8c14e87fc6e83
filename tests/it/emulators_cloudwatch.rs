//! warroom's real CloudWatch pollers (GetMetricData and DescribeAlarms over the SDK's CBOR
//! protocol) against ministack, an independent emulator: datapoints and alarms seeded through
//! the SDK come back through `spawn_layout`, the Recorder and the Reader exactly, in the
//! layout's period-aligned half-open window, per region; absent buckets then read as the
//! layout's `absent` rules say. See docs/testing.md for how the emulator is found or started.

use crate::support::emulators;

use aws_sdk_cloudwatch::types::StateValue;
use chrono::{DateTime, TimeDelta, Utc};
use emulators::cloudwatch::{put_alarm, put_composite, put_points, query};
use emulators::{Emulator, Recording, fixture, run_id};
use warroom_aws::sources::ClientSet;
use warroom_aws::sources::pollers::spawn_layout;
use warroom_core::clock::Clock;
use warroom_core::config::Layout;
use warroom_core::model::{
    AlarmKind, AlarmState, EventBody, MetricBatch, Point, SeriesData, SourceState,
};
use warroom_core::store::{Bucket, State};

const SEOUL: &str = "ap-northeast-2";
const VIRGINIA: &str = "us-east-1";

fn secs(t: DateTime<Utc>, s: i64) -> DateTime<Utc> {
    t + TimeDelta::seconds(s)
}

/// Where the first poll's window starts.
fn history_start(end: DateTime<Utc>) -> DateTime<Utc> {
    end - warroom_core::metric_window::FIRST_POLL_HISTORY
}

fn pt(ts: DateTime<Utc>, v: f64, p: bool) -> Point {
    Point { ts, v, p }
}

fn series(id: &str, points: Vec<Point>) -> SeriesData {
    SeriesData {
        id: id.into(),
        points,
        complete: true,
    }
}

/// The poll's window: three whole minutes `[b0, end)`, buckets b0, b1, b2, after the history
/// that a session's first poll also asks for (`[end - 3 h, b0)`); the poll happens at `now`,
/// 30 s into the next minute.
#[derive(Clone, Copy)]
struct Window {
    now: DateTime<Utc>,
    end: DateTime<Utc>,
    b0: DateTime<Utc>,
    b1: DateTime<Utc>,
    b2: DateTime<Utc>,
}

impl Window {
    fn current() -> Self {
        let wall = Utc::now().timestamp();
        let end = DateTime::from_timestamp(wall - wall.rem_euclid(60), 0).expect("minute");
        Window {
            now: secs(end, 30),
            end,
            b0: secs(end, -180),
            b1: secs(end, -120),
            b2: secs(end, -60),
        }
    }
}

/// What the alarms' seeding wrote: the hostile reason, and when (for `updated`).
struct SeededAlarms {
    hostile: &'static str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

const HOSTILE_REASON: &str =
    "Threshold Crossed: \u{1b}[31m5xx\u{1b}[0m 12 > 10\r\n\u{7}\u{202e}gnp.exe";

async fn seed_metrics(layout: &Layout, clients: &ClientSet, w: Window) {
    let seoul = &clients.region(SEOUL).expect("seoul clients").cloudwatch;
    let virginia = &clients
        .region(VIRGINIA)
        .expect("virginia clients")
        .cloudwatch;
    let Window {
        end, b0, b1, b2, ..
    } = w;
    // Seoul requests (Sum): two datapoints in b1, one in b2, none in b0, one in the minute
    // before b0 (the first poll's history); and two outside the half-open window (just before
    // the history and exactly at its end) that must not be asked for.
    put_points(
        seoul,
        query(layout, "seoul.requests"),
        &[
            (secs(history_start(end), -1), 999.0),
            (secs(b0, -1), 888.0),
            (secs(b1, 5), 100.0),
            (secs(b1, 40), 20.0),
            (secs(b2, 59), 7.0),
            (end, 555.0),
        ],
    )
    .await;
    // p99 of one datapoint per bucket is that datapoint, whatever the percentile method.
    put_points(
        seoul,
        query(layout, "seoul.p99"),
        &[(secs(b0, 1), 0.25), (secs(b1, 1), 0.5), (secs(b2, 1), 1.75)],
    )
    .await;
    // Healthy hosts (Minimum): nothing in b0 (unknown, not zero), two datapoints in b1.
    put_points(
        seoul,
        query(layout, "seoul.healthy_hosts"),
        &[
            (secs(b1, 10), 4.0),
            (secs(b1, 20), 3.0),
            (secs(b2, 10), 4.0),
        ],
    )
    .await;
    // The same metric and dimensions in Virginia, with other values: regions must not mix.
    put_points(
        virginia,
        query(layout, "virginia.requests"),
        &[(secs(b1, 0), 13.0), (secs(b2, 30), 17.0)],
    )
    .await;
}

async fn seed_alarms(clients: &ClientSet) -> SeededAlarms {
    let seoul = &clients.region(SEOUL).expect("seoul clients").cloudwatch;
    let virginia = &clients
        .region(VIRGINIA)
        .expect("virginia clients")
        .cloudwatch;
    let run = run_id();
    let from = Utc::now() - TimeDelta::seconds(1);
    put_alarm(
        seoul,
        &format!("emu-{run}-5xx"),
        StateValue::Alarm,
        HOSTILE_REASON,
    )
    .await;
    put_alarm(
        seoul,
        &format!("emu-{run}-latency"),
        StateValue::Ok,
        "back to normal",
    )
    .await;
    put_composite(
        seoul,
        &format!("emu-{run}-site"),
        &format!("ALARM(\"emu-{run}-5xx\")"),
    )
    .await;
    // Not the layout's prefix; not the layout's alarm region.
    put_alarm(seoul, &format!("other-{run}-cpu"), StateValue::Alarm, "x").await;
    put_alarm(
        virginia,
        &format!("emu-{run}-virginia"),
        StateValue::Alarm,
        "x",
    )
    .await;
    SeededAlarms {
        hostile: HOSTILE_REASON,
        from,
        to: Utc::now() + TimeDelta::seconds(1),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn seeded_datapoints_and_alarms_are_recorded_exactly() {
    let url = emulators::url(Emulator::Ministack);
    let (layout, file) = fixture::layout("cloudwatch.toml");
    let regions = layout.regions();
    assert_eq!(regions, [SEOUL, VIRGINIA]);
    let clients = emulators::client_set(&url, &regions);
    let w = Window::current();
    seed_metrics(&layout, &clients, w).await;
    let alarms = seed_alarms(&clients).await;

    let clock = Clock::starting_at(w.now);
    let rec = emulators::record(
        &file,
        regions.clone(),
        |tx| spawn_layout(&layout, &clients, clock, tx),
        |events| {
            let kinds: Vec<&str> = events.iter().map(|e| e.body.kind()).collect();
            kinds.iter().filter(|k| **k == "metrics").count() == 2 && kinds.contains(&"alarms")
        },
    )
    .await;
    for source in [
        "cloudwatch:ap-northeast-2",
        "cloudwatch:us-east-1",
        "alarms:ap-northeast-2",
    ] {
        assert_eq!(
            rec.statuses(source),
            [(SourceState::Ok, None)],
            "{source} polled without error"
        );
    }
    assert_metrics(&rec, w);
    assert_alarms(&rec, &alarms);
    assert_absent_rules(&layout, &rec, w);
}

fn assert_metrics(rec: &Recording, w: Window) {
    let Window {
        end, b0, b1, b2, ..
    } = w;
    let batches: Vec<&MetricBatch> = rec.bodies(|b| match b {
        EventBody::Metrics(m) => Some(m),
        _ => None,
    });
    let batch = |region: &str| {
        *batches
            .iter()
            .find(|b| b.region == region)
            .unwrap_or_else(|| panic!("no metrics batch for {region}"))
    };
    assert_eq!(
        batch(SEOUL),
        &MetricBatch {
            region: SEOUL.into(),
            start: history_start(end),
            end,
            series: vec![
                series(
                    "seoul.requests",
                    vec![
                        pt(secs(b0, -60), 888.0, false),
                        pt(b1, 120.0, false),
                        pt(b2, 7.0, true)
                    ]
                ),
                series("seoul.target_5xx", vec![]),
                series(
                    "seoul.p99",
                    vec![pt(b0, 0.25, false), pt(b1, 0.5, false), pt(b2, 1.75, true)]
                ),
                series(
                    "seoul.healthy_hosts",
                    vec![pt(b1, 3.0, false), pt(b2, 4.0, true)]
                ),
            ],
        }
    );
    assert_eq!(
        batch(VIRGINIA),
        &MetricBatch {
            region: VIRGINIA.into(),
            start: history_start(end),
            end,
            series: vec![series(
                "virginia.requests",
                vec![pt(b1, 13.0, false), pt(b2, 17.0, true)]
            )],
        }
    );
}

fn assert_alarms(rec: &Recording, seeded: &SeededAlarms) {
    let run = run_id();
    let snaps = rec.bodies(|b| match b {
        EventBody::Alarms(a) => Some(a),
        _ => None,
    });
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].region, SEOUL);
    let got: Vec<(String, AlarmKind, AlarmState)> = snaps[0]
        .alarms
        .iter()
        .map(|a| (a.name.clone(), a.kind, a.state))
        .collect();
    assert_eq!(
        got,
        [
            (
                format!("emu-{run}-5xx"),
                AlarmKind::Metric,
                AlarmState::Alarm
            ),
            (
                format!("emu-{run}-latency"),
                AlarmKind::Metric,
                AlarmState::Ok
            ),
            (
                format!("emu-{run}-site"),
                AlarmKind::Composite,
                AlarmState::Alarm
            ),
        ]
    );
    assert_eq!(
        snaps[0].alarms[0].reason.as_deref(),
        Some(seeded.hostile),
        "the reason is recorded raw; it is sanitised only on display"
    );
    assert_eq!(snaps[0].alarms[1].reason.as_deref(), Some("back to normal"));
    for a in &snaps[0].alarms {
        assert!(
            (seeded.from..=seeded.to).contains(&a.updated),
            "{} updated at {} outside the seeding time",
            a.name,
            a.updated
        );
    }
}

/// The recording folded into the dashboard state: absent counters are zero where the region
/// has reported and the bucket has settled (b0); an absent host count stays unknown; buckets
/// too recent to have settled stay unknown even for counters.
fn assert_absent_rules(layout: &Layout, rec: &Recording, w: Window) {
    let Window { b0, b1, b2, .. } = w;
    let mut state = State::new(layout);
    for e in &rec.events {
        state.apply(e);
    }
    let bucket = |id: &str, t: DateTime<Utc>| {
        state
            .series_by_id(id)
            .unwrap_or_else(|| panic!("series {id}"))
            .bucket_at(t)
    };
    assert_eq!(bucket("seoul.requests", b0), Bucket::Value(0.0));
    assert_eq!(bucket("seoul.requests", b1), Bucket::Value(120.0));
    assert_eq!(bucket("seoul.requests", b2), Bucket::Provisional(7.0));
    assert_eq!(bucket("seoul.target_5xx", b0), Bucket::Value(0.0));
    assert_eq!(bucket("seoul.target_5xx", b1), Bucket::Missing);
    assert_eq!(bucket("seoul.healthy_hosts", b0), Bucket::Missing);
    assert_eq!(bucket("seoul.healthy_hosts", b1), Bucket::Value(3.0));
    assert_eq!(bucket("virginia.requests", b0), Bucket::Value(0.0));
    assert_eq!(bucket("virginia.requests", b2), Bucket::Provisional(17.0));
    assert_eq!(
        bucket("seoul.5xx_rate", b0),
        Bucket::Missing,
        "0 / 0 is unknown"
    );
    assert_eq!(
        bucket("seoul.5xx_rate", b1),
        Bucket::Missing,
        "5xx not settled"
    );
}
