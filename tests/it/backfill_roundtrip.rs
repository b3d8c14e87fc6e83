//! Round trip: a simulated recording's metric points and alarm transitions served by mocked
//! `GetMetricData` and `DescribeAlarmHistory`, backfilled, give the same points and the same
//! alarm timeline; the backfilled recording replays and reports.

use crate::report_common;

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::describe_alarm_history::DescribeAlarmHistoryOutput;
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::types::{
    AlarmHistoryItem, AlarmType, HistoryItemType, MetricDataResult, StatusCode,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::retry::RetryConfig;
use chrono::{DateTime, TimeDelta, Utc};
use report_common::{layout, recording_window, t};
use warroom_aws::backfill::{self, CloudWatchClients};
use warroom_core::model::{AlarmState, Event, EventBody};
use warroom_core::pipeline::batches;
use warroom_core::record::Recorder;
use warroom_core::report::{self, Category};
use warroom_sim::Scenario;

type Table = BTreeMap<String, BTreeMap<DateTime<Utc>, f64>>;

fn aws(t: DateTime<Utc>) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_secs(t.timestamp())
}

fn utc(t: &aws_smithy_types::DateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(t.secs(), 0).expect("time")
}

/// The final value of every (series, bucket) the simulator reported, later polls revising
/// earlier ones.
fn final_points(events: &[Event]) -> Table {
    let mut table = Table::new();
    for e in events {
        if let EventBody::Metrics(b) = &e.body {
            for s in &b.series {
                for p in &s.points {
                    table.entry(s.id.clone()).or_default().insert(p.ts, p.v);
                }
            }
        }
    }
    table
}

/// Per region: every alarm state change of the simulated recording.
fn transitions(events: &[Event]) -> BTreeMap<String, Vec<AlarmHistoryItem>> {
    let mut last: BTreeMap<String, AlarmState> = BTreeMap::new();
    let mut out: BTreeMap<String, Vec<AlarmHistoryItem>> = BTreeMap::new();
    for e in events {
        let EventBody::Alarms(s) = &e.body else {
            continue;
        };
        for a in &s.alarms {
            let old = last
                .insert(a.name.clone(), a.state)
                .unwrap_or(AlarmState::Ok);
            if old == a.state {
                continue;
            }
            let data = serde_json::json!({
                "version": "1.0",
                "oldState": {"stateValue": old.as_str()},
                "newState": {"stateValue": a.state.as_str(), "stateReason": a.reason.clone().unwrap_or_default()},
            });
            out.entry(s.region.clone()).or_default().push(
                AlarmHistoryItem::builder()
                    .alarm_name(&a.name)
                    .alarm_type(AlarmType::MetricAlarm)
                    .timestamp(aws(a.updated))
                    .history_item_type(HistoryItemType::StateUpdate)
                    .history_data(data.to_string())
                    .build(),
            );
        }
    }
    out
}

/// A mocked CloudWatch of one region serving `table` and `alarms`.
fn client(series: Vec<String>, table: Table, alarms: Vec<AlarmHistoryItem>) -> Client {
    let metrics = mock!(Client::get_metric_data).then_compute_output(move |r| {
        let start = r.start_time().map(utc).expect("start");
        let end = r.end_time().map(utc).expect("end");
        let mut out = GetMetricDataOutput::builder();
        for q in r.metric_data_queries() {
            let id = q.id().expect("id");
            let i: usize = id[1..].parse().expect("m<i>");
            let mut res = MetricDataResult::builder()
                .id(id)
                .status_code(StatusCode::Complete);
            if let Some(points) = table.get(&series[i]) {
                for (ts, v) in points.range(start..end) {
                    res = res.timestamps(aws(*ts)).values(*v);
                }
            }
            out = out.metric_data_results(res.build());
        }
        out.build()
    });
    let history = mock!(Client::describe_alarm_history).then_compute_output(move |r| {
        let start = r.start_date().map(utc).expect("start");
        let end = r.end_date().map(utc).expect("end");
        let items: Vec<AlarmHistoryItem> = alarms
            .iter()
            .filter(|a| {
                a.timestamp()
                    .map(utc)
                    .is_some_and(|t| t >= start && t < end)
            })
            .cloned()
            .collect();
        DescribeAlarmHistoryOutput::builder()
            .set_alarm_history_items(Some(items))
            .build()
    });
    mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::MatchAny,
        [&metrics, &history],
        |c| c.retry_config(RetryConfig::disabled())
    )
}

#[tokio::test]
async fn simulated_points_round_trip_through_backfill_and_the_result_replays_and_reports() {
    let (sim_header, events) = recording_window(Scenario::AlarmLatency, -30, 150);
    let layout = layout();
    let table = final_points(&events);
    let alarms = transitions(&events);
    assert!(!alarms.is_empty(), "the scenario has alarm changes");
    let plans = warroom_core::metric_window::plan(&layout);
    let mut clients = CloudWatchClients::new();
    for region in backfill::regions(&layout) {
        let series = plans
            .get(&region)
            .map(|p| p.series.clone())
            .unwrap_or_default();
        let items = alarms.get(&region).cloned().unwrap_or_default();
        clients.insert(region, client(series, table.clone(), items));
    }
    let (from, to) = (t(-30 * 60), t(150 * 60));
    let done = backfill::backfill(&layout, &clients, from, to, to + TimeDelta::hours(1))
        .await
        .expect("backfilled");
    assert!(done.alarm_errors.is_empty());

    // The same points, series by series.
    let back = final_points(&done.events);
    let mut compared = 0;
    for (id, points) in &table {
        let want: Vec<(&DateTime<Utc>, &f64)> = points.range(from..to).collect();
        let got: Vec<(&DateTime<Utc>, &f64)> = back
            .get(id)
            .map(|p| p.range(..).collect())
            .unwrap_or_default();
        assert_eq!(got, want, "{id}");
        compared += want.len();
    }
    assert!(compared > 3_000, "{compared} points compared");

    // Written as a recording, it replays and reports.
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("backfill.jsonl");
    let header = backfill::header(
        sim_header.layout.clone(),
        sim_header.runbook.clone(),
        backfill::regions(&layout),
        None,
        (from, to),
        to,
    );
    let mut rec = Recorder::create(&path, &header, false).expect("create");
    for b in batches(done.events.clone()) {
        rec.write_batch(&b).expect("write");
    }
    drop(rec);
    let r = report::from_recording(&path).expect("report of the backfill");
    assert!(
        r.source.starts_with("backfilled from CloudWatch history"),
        "{}",
        r.source
    );
    assert_eq!(r.limits.len(), backfill::NOT_IN_HISTORY.len());
    let md = report::markdown(&r);
    assert!(
        md.contains("Not in this recording"),
        "limits said in the report"
    );
    // The charts start at the first bucket the backfill holds, and draw it.
    let chart = r
        .charts
        .iter()
        .find(|c| c.id == "seoul.requests")
        .expect("a chart of Seoul's requests");
    let first = chart.points.iter().find(|p| p.1.is_some()).map(|p| p.0);
    assert_eq!(
        first,
        Some(from),
        "{:?}",
        &chart.points[..3.min(chart.points.len())]
    );
    // The alarm timeline matches the simulated recording's (times and transitions).
    let sim = report::build(&sim_header, events, None).expect("sim report");
    let alarm_lines = |r: &report::Report| -> Vec<(DateTime<Utc>, String)> {
        r.timeline
            .iter()
            .filter(|e| e.category == Category::Alarm && e.at >= from)
            .map(|e| (e.at, e.text.clone()))
            .collect()
    };
    assert_eq!(alarm_lines(&r), alarm_lines(&sim));
    assert!(!alarm_lines(&r).is_empty());
    // Availability is judged from the backfilled counters as from the live ones.
    let (a, b) = (
        r.availability.as_ref().expect("a").window,
        sim.availability.as_ref().expect("b").window,
    );
    assert_eq!((a.requests, a.errors), (b.requests, b.errors));

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["replay", "--headless"])
        .arg(&path)
        .output()
        .expect("replay runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("STATUS"), "{text}");
}
