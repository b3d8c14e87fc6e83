//! Backfill with aws-smithy-mocks: oldest-first pagination merged by id, the period chosen by
//! the age of the data, windows under the datapoint limit, partial data, failed calls, alarm
//! history.

use std::sync::{Arc, Mutex};

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::describe_alarm_history::DescribeAlarmHistoryOutput;
use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::{
    AlarmHistoryItem, AlarmType, MetricDataResult, ScanBy, StatusCode,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::model::{AlarmState, EventBody, SourceState};
use crate::sources::{to_aws, to_utc};

fn layout() -> Layout {
    crate::config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("layout")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn no_retry(c: aws_sdk_cloudwatch::config::Builder) -> aws_sdk_cloudwatch::config::Builder {
    c.retry_config(RetryConfig::disabled())
}

fn result(id: &str, points: &[(DateTime<Utc>, f64)], status: StatusCode) -> MetricDataResult {
    let mut b = MetricDataResult::builder().id(id).status_code(status);
    for (t, v) in points {
        b = b.timestamps(to_aws(*t)).values(*v);
    }
    b.build()
}

/// The GA region of the reference layout: four metric series, m0..m3.
fn ga_plan() -> crate::metric_window::RegionQueries {
    crate::metric_window::plan(&layout())
        .remove("us-west-2")
        .expect("GA metrics region")
}

fn points_of<'a>(events: &'a [Event], id: &'a str) -> Vec<(DateTime<Utc>, f64)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Metrics(b) => Some(b),
            _ => None,
        })
        .flat_map(|b| b.series.iter().filter(move |s| s.id == id))
        .flat_map(|s| s.points.iter().map(|p| (p.ts, p.v)))
        .collect()
}

#[tokio::test]
async fn pages_are_read_oldest_first_and_merged_by_id() {
    let (from, to) = (at("2026-06-13T11:00:00Z"), at("2026-06-13T11:05:00Z"));
    let first = mock!(Client::get_metric_data)
        .match_requests(|r| {
            r.next_token().is_none() && r.scan_by() == Some(&ScanBy::TimestampAscending)
        })
        .then_output(move || {
            GetMetricDataOutput::builder()
                .metric_data_results(result(
                    "m0",
                    &[
                        (at("2026-06-13T11:00:00Z"), 1.0),
                        (at("2026-06-13T11:01:00Z"), 2.0),
                    ],
                    StatusCode::PartialData,
                ))
                .next_token("page2")
                .build()
        });
    let second = mock!(Client::get_metric_data)
        .match_requests(|r| r.next_token() == Some("page2"))
        .then_output(move || {
            GetMetricDataOutput::builder()
                .metric_data_results(result(
                    "m0",
                    &[(at("2026-06-13T11:02:00Z"), 3.0)],
                    StatusCode::Complete,
                ))
                .metric_data_results(result(
                    "m2",
                    &[(at("2026-06-13T11:04:00Z"), 9.0)],
                    StatusCode::Complete,
                ))
                .metric_data_results(result("m1", &[], StatusCode::Complete))
                .metric_data_results(result("m3", &[], StatusCode::Complete))
                .build()
        });
    let client = mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::Sequential,
        [&first, &second],
        no_retry
    );
    let mut out = Vec::new();
    let now = to + TimeDelta::hours(1);
    let o = metrics::region(&client, &ga_plan(), from, to, now, &mut out).await;
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    assert_eq!((o.calls, o.failed_calls, o.datapoints), (1, 0, 4));
    let plan = ga_plan();
    assert_eq!(
        points_of(&out, &plan.series[0]),
        [
            (at("2026-06-13T11:00:00Z"), 1.0),
            (at("2026-06-13T11:01:00Z"), 2.0),
            (at("2026-06-13T11:02:00Z"), 3.0)
        ]
    );
    assert_eq!(
        points_of(&out, &plan.series[2]),
        [(at("2026-06-13T11:04:00Z"), 9.0)]
    );
    // One batch per minute, stamped once the bucket has settled, every series listed complete.
    let batches: Vec<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> = out
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Metrics(b) => {
                assert_eq!(b.series.len(), 4);
                assert!(
                    b.series
                        .iter()
                        .all(|s| s.complete && s.points.iter().all(|p| !p.p))
                );
                Some((e.at, b.start, b.end))
            }
            _ => None,
        })
        .collect();
    assert_eq!(batches.len(), 5);
    assert_eq!(
        batches[0],
        (at("2026-06-13T11:03:00Z"), from, at("2026-06-13T11:01:00Z"))
    );
}

/// Each request's (start, end, periods).
type Seen = Arc<Mutex<Vec<(DateTime<Utc>, DateTime<Utc>, Vec<i32>)>>>;

/// A client answering every GetMetricData with empty complete results, recording each
/// request's (start, end, periods).
fn recording_client() -> (Client, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let rule = mock!(Client::get_metric_data).then_compute_output(move |r| {
        let periods: Vec<i32> = r
            .metric_data_queries()
            .iter()
            .filter_map(|q| {
                q.metric_stat()
                    .and_then(aws_sdk_cloudwatch::types::MetricStat::period)
            })
            .collect();
        let start = r.start_time().and_then(to_utc).expect("start");
        let end = r.end_time().and_then(to_utc).expect("end");
        log.lock().expect("lock").push((start, end, periods));
        let mut b = GetMetricDataOutput::builder();
        for q in r.metric_data_queries() {
            b = b.metric_data_results(result(q.id().unwrap_or(""), &[], StatusCode::Complete));
        }
        b.build()
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule], no_retry);
    (client, seen)
}

#[tokio::test]
async fn the_period_follows_the_age_of_the_data() {
    let (client, seen) = recording_client();
    let (from, to) = (at("2026-06-13T11:00:00Z"), at("2026-06-13T12:00:00Z"));
    let mut out = Vec::new();
    // 20 days later: 5-minute data only.
    metrics::region(
        &client,
        &ga_plan(),
        from,
        to,
        from + TimeDelta::days(20),
        &mut out,
    )
    .await;
    // 70 days later: hourly.
    metrics::region(
        &client,
        &ga_plan(),
        from,
        to,
        from + TimeDelta::days(70),
        &mut out,
    )
    .await;
    // The next day: the layout's minute.
    metrics::region(
        &client,
        &ga_plan(),
        from,
        to,
        from + TimeDelta::days(1),
        &mut out,
    )
    .await;
    let seen = seen.lock().expect("lock");
    let periods: Vec<i32> = seen.iter().map(|(_, _, p)| p[0]).collect();
    assert_eq!(periods, [300, 3600, 60]);
    assert!(
        seen.iter()
            .all(|(_, _, p)| p.len() == 4 && p.iter().all(|x| *x == p[0]))
    );
    // Five-minute batches for the 300 s fetch: twelve in the hour.
    let five: usize = out
        .iter()
        .filter(|e| matches!(&e.body, EventBody::Metrics(b) if b.end - b.start == TimeDelta::minutes(5)))
        .count();
    assert_eq!(five, 12);
}

#[tokio::test]
async fn long_spans_are_cut_into_calls_under_the_datapoint_limit() {
    let (client, seen) = recording_client();
    let l = layout();
    let plans = crate::metric_window::plan(&l);
    let seoul = &plans["ap-northeast-2"];
    let (from, to) = (at("2026-06-01T00:00:00Z"), at("2026-06-13T00:00:00Z"));
    let mut out = Vec::new();
    let o = metrics::region(&client, seoul, from, to, to + TimeDelta::hours(4), &mut out).await;
    let seen = seen.lock().expect("lock");
    assert!(seen.len() > 1, "{} calls", seen.len());
    assert_eq!(o.calls, seen.len());
    for (s, e, periods) in seen.iter() {
        let secs = (*e - *s).num_seconds();
        let points: i64 = periods.iter().map(|p| secs / i64::from(*p)).sum();
        assert!(points <= plan::MAX_DATAPOINTS_PER_CALL, "{points}");
    }
    assert_eq!(seen.first().map(|x| x.0), Some(from));
    assert!(seen.last().map(|x| x.1) >= Some(to));
    for pair in seen.windows(2) {
        assert_eq!(pair[0].1, pair[1].0, "windows are contiguous");
    }
}

#[tokio::test]
async fn partial_data_marks_series_incomplete() {
    let rule = mock!(Client::get_metric_data).then_output(|| {
        GetMetricDataOutput::builder()
            .metric_data_results(result(
                "m0",
                &[(at("2026-06-13T11:00:00Z"), 5.0)],
                StatusCode::Complete,
            ))
            .metric_data_results(result("m1", &[], StatusCode::PartialData))
            .metric_data_results(result("m2", &[], StatusCode::InternalError))
            .build()
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule], no_retry);
    let (from, to) = (at("2026-06-13T11:00:00Z"), at("2026-06-13T11:02:00Z"));
    let mut out = Vec::new();
    metrics::region(&client, &ga_plan(), from, to, to, &mut out).await;
    let EventBody::Metrics(b) = &out[0].body else {
        panic!("a metrics batch first")
    };
    let complete: Vec<bool> = b.series.iter().map(|s| s.complete).collect();
    // m3 is missing from the answer: not complete either.
    assert_eq!(complete, [true, false, false, false]);
}

fn throttled() -> GetMetricDataError {
    GetMetricDataError::generic(
        ErrorMetadata::builder()
            .code("ThrottlingException")
            .message("Rate exceeded")
            .build(),
    )
}

#[tokio::test]
async fn a_failed_window_is_a_source_outage_and_all_failed_is_an_error() {
    // Seoul's twenty-odd queries over five days need two windows; the first one fails.
    let calls = Arc::new(Mutex::new(0));
    let n = Arc::clone(&calls);
    let rule = mock!(Client::get_metric_data).then_compute_response(move |r| {
        let mut k = n.lock().expect("lock");
        *k += 1;
        if *k == 1 {
            aws_smithy_mocks::MockResponse::Error(throttled())
        } else {
            let mut b = GetMetricDataOutput::builder();
            for q in r.metric_data_queries() {
                b = b.metric_data_results(result(q.id().unwrap_or(""), &[], StatusCode::Complete));
            }
            aws_smithy_mocks::MockResponse::Output(b.build())
        }
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule], no_retry);
    let from = at("2026-06-13T11:00:00Z");
    let to = from + TimeDelta::days(5);
    let now = to + TimeDelta::days(1);
    let l = layout();
    let seoul = &crate::metric_window::plan(&l)["ap-northeast-2"];
    let mut out = Vec::new();
    let o = metrics::region(&client, seoul, from, to, now, &mut out).await;
    assert!(o.calls >= 2 && o.failed_calls == 1, "{o:?}");
    let statuses: Vec<(DateTime<Utc>, SourceState)> = out
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SourceStatus(s) => {
                assert_eq!(s.source, "cloudwatch:ap-northeast-2");
                Some((e.at, s.state))
            }
            _ => None,
        })
        .collect();
    assert_eq!(statuses.len(), 2, "{statuses:?}");
    assert_eq!(statuses[0], (from, SourceState::Throttled));
    assert_eq!(statuses[1].1, SourceState::Ok);
    assert!(statuses[1].0 > from);
    // No batch for the failed window.
    assert!(
        out.iter()
            .all(|e| !matches!(&e.body, EventBody::Metrics(b) if b.start < statuses[1].0))
    );

    // Every call failing: an error, not an empty recording.
    let rule = mock!(Client::get_metric_data).then_error(throttled);
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule], no_retry);
    let clients: CloudWatchClients = regions(&l)
        .into_iter()
        .map(|r| (r, client.clone()))
        .collect();
    let err = backfill(
        &l,
        &clients,
        from,
        from + TimeDelta::hours(1),
        from + TimeDelta::days(1),
    )
    .await
    .expect_err("all failed");
    assert!(
        matches!(err, BackfillError::AllFailed(ref d) if d.contains("Rate exceeded")),
        "{err}"
    );
}

fn item(name: &str, t: &str, old: &str, new: &str) -> AlarmHistoryItem {
    AlarmHistoryItem::builder()
        .alarm_name(name)
        .alarm_type(AlarmType::MetricAlarm)
        .timestamp(to_aws(at(t)))
        .history_item_type(aws_sdk_cloudwatch::types::HistoryItemType::StateUpdate)
        .history_summary(format!("Alarm updated from {old} to {new}"))
        .history_data(format!(
            r#"{{"version":"1.0","oldState":{{"stateValue":"{old}"}},"newState":{{"stateValue":"{new}","stateReason":"reason {new}"}}}}"#
        ))
        .build()
}

#[tokio::test]
async fn alarm_history_becomes_snapshots_at_their_own_times() {
    let p1 = mock!(Client::describe_alarm_history)
        .match_requests(|r| {
            r.next_token().is_none()
                && r.scan_by() == Some(&ScanBy::TimestampAscending)
                && r.alarm_types().len() == 3
        })
        .then_output(|| {
            DescribeAlarmHistoryOutput::builder()
                .alarm_history_items(item("alert", "2026-06-13T11:05:48Z", "OK", "ALARM"))
                .alarm_history_items(item("other-team", "2026-06-13T11:06:00Z", "OK", "ALARM"))
                .next_token("more")
                .build()
        });
    let p2 = mock!(Client::describe_alarm_history)
        .match_requests(|r| r.next_token() == Some("more"))
        .then_output(|| {
            DescribeAlarmHistoryOutput::builder()
                .alarm_history_items(item("alert", "2026-06-13T11:20:00Z", "ALARM", "OK"))
                .build()
        });
    let client = mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::Sequential,
        [&p1, &p2],
        no_retry
    );
    let (from, to) = (at("2026-06-13T11:00:00Z"), at("2026-06-13T11:30:00Z"));
    let t = alarms::history(
        &client,
        &["alert".to_string(), "BTS-".to_string()],
        from,
        to,
    )
    .await
    .expect("history");
    assert_eq!(t.len(), 2, "other-team filtered out by prefix");
    let snaps = alarms::snapshots("ap-northeast-2", &t, from, to);
    // One a minute, plus one per transition.
    assert_eq!(snaps.len(), 30 + 2);
    let state_at = |when: DateTime<Utc>| {
        snaps
            .iter()
            .rfind(|e| e.at <= when)
            .and_then(|e| match &e.body {
                EventBody::Alarms(s) => s.alarms.first().map(|a| (a.state, a.updated)),
                _ => None,
            })
    };
    assert_eq!(state_at(from), Some((AlarmState::Ok, from)));
    assert_eq!(
        state_at(at("2026-06-13T11:05:48Z")),
        Some((AlarmState::Alarm, at("2026-06-13T11:05:48Z")))
    );
    assert_eq!(
        state_at(at("2026-06-13T11:29:00Z")).map(|s| s.0),
        Some(AlarmState::Ok)
    );
}

/// A layout of 5-minute series in one region (`a.requests` a counter, `a.cpu` a gauge).
fn five_minute_layout() -> Layout {
    let text = r#"
[event]
name = "five"
start = "2026-06-13T18:00:00Z"
end = "2026-06-13T21:00:00Z"

[[series]]
id = "a.requests"
region = "eu-west-1"
namespace = "AWS/ApplicationELB"
metric = "RequestCount"
dimensions = { LoadBalancer = "app/a/1" }
stat = "Sum"
period = 300
absent = "zero"

[[series]]
id = "a.cpu"
region = "eu-west-1"
namespace = "AWS/EC2"
metric = "CPUUtilization"
dimensions = { InstanceId = "i-1" }
stat = "Average"
period = 300
"#;
    crate::config::load_texts(
        &crate::model::EmbeddedFile {
            path: "five.toml".into(),
            text: text.into(),
        },
        None,
    )
    .expect("layout")
}

/// A client answering every query with one point per period in the request's window, as
/// CloudWatch does for a bucket that has begun (a partial sum for one not yet over).
fn data_client() -> (Client, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let rule = mock!(Client::get_metric_data).then_compute_output(move |r| {
        let start = r.start_time().and_then(to_utc).expect("start");
        let end = r.end_time().and_then(to_utc).expect("end");
        let mut b = GetMetricDataOutput::builder();
        let mut periods = Vec::new();
        for q in r.metric_data_queries() {
            let p = q
                .metric_stat()
                .and_then(aws_sdk_cloudwatch::types::MetricStat::period)
                .unwrap_or(60);
            periods.push(p);
            let mut points = Vec::new();
            let mut t = start;
            while t < end {
                points.push((t, 7.0));
                t += TimeDelta::seconds(i64::from(p));
            }
            b = b.metric_data_results(result(q.id().unwrap_or(""), &points, StatusCode::Complete));
        }
        log.lock().expect("lock").push((start, end, periods));
        b.build()
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule], no_retry);
    (client, seen)
}

fn folded(l: &Layout, events: &[Event]) -> crate::store::State {
    let mut state = crate::store::State::new(l);
    for e in events {
        state.apply(e);
    }
    state
}

#[tokio::test]
async fn the_last_bucket_ends_at_or_before_to() {
    let l = five_minute_layout();
    let (client, seen) = data_client();
    let clients: CloudWatchClients = [("eu-west-1".to_string(), client)].into();
    // --to 19:17 falls inside the bucket [19:15, 19:20): that bucket is a partial sum.
    let (from, to) = (at("2026-06-13T18:00:00Z"), at("2026-06-13T19:17:00Z"));
    let done = backfill(&l, &clients, from, to, at("2026-06-13T23:00:00Z"))
        .await
        .expect("backfill");
    let ends: Vec<DateTime<Utc>> = seen.lock().expect("lock").iter().map(|x| x.1).collect();
    assert_eq!(
        ends,
        [at("2026-06-13T19:15:00Z")],
        "asked no further than --to"
    );
    let last = done
        .events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Metrics(b) => Some(b.end),
            _ => None,
        })
        .max();
    assert_eq!(last, Some(at("2026-06-13T19:15:00Z")));
    let state = folded(&l, &done.events);
    let requests = state.series_by_id("a.requests").expect("series");
    assert_eq!(
        requests.value_at(at("2026-06-13T19:10:00Z")),
        Some(7.0),
        "the last whole bucket"
    );
    assert_eq!(
        requests.bucket_at(at("2026-06-13T19:15:00Z")),
        crate::store::Bucket::Missing,
        "[19:15, 19:20) is not over by --to: not recorded"
    );
}

#[tokio::test]
async fn a_bucket_not_yet_settled_is_provisional_never_settled() {
    let l = five_minute_layout();
    let (client, _) = data_client();
    let clients: CloudWatchClients = [("eu-west-1".to_string(), client)].into();
    // --to in the future: cut to now (19:16:10); [19:10, 19:15) ended 70 s ago and CloudWatch
    // may still add to it; [19:15, 19:20) is in progress.
    let now = at("2026-06-13T19:16:10Z");
    let done = backfill(
        &l,
        &clients,
        at("2026-06-13T18:00:00Z"),
        at("2026-06-13T20:00:00Z"),
        now,
    )
    .await
    .expect("backfill");
    assert!(
        done.events.iter().all(|e| e.at <= now),
        "nothing stamped after now"
    );
    let state = folded(&l, &done.events);
    for id in ["a.requests", "a.cpu"] {
        let s = state.series_by_id(id).expect("series");
        assert_eq!(
            s.bucket_at(at("2026-06-13T19:10:00Z")),
            crate::store::Bucket::Provisional(7.0),
            "{id}"
        );
        assert_eq!(
            s.bucket_at(at("2026-06-13T19:05:00Z")),
            crate::store::Bucket::Value(7.0),
            "{id}: settled"
        );
        assert_eq!(
            s.bucket_at(at("2026-06-13T19:15:00Z")),
            crate::store::Bucket::Missing,
            "{id}: in progress"
        );
    }
}
