//! `CloudWatch` poller: pure helpers without mocks, the call with aws-smithy-mocks.

use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::MessageData;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

use super::*;
use crate::metric_window::plan;
use crate::model::SourceState;
use warroom_core::testing::{at, layout, metric};

fn result(id: &str, points: &[(&str, f64)], status: StatusCode) -> MetricDataResult {
    let mut b = MetricDataResult::builder().id(id).status_code(status);
    for (t, v) in points {
        b = b.timestamps(to_aws(at(t))).values(*v);
    }
    b.build()
}

#[test]
fn plan_groups_metric_series_by_region_and_skips_math() {
    let p = plan(&layout());
    let regions: Vec<&String> = p.keys().collect();
    assert_eq!(regions, ["ap-northeast-2", "us-east-1", "us-west-2"]);
    let seoul = &p["ap-northeast-2"];
    assert_eq!(seoul.series, ["seoul.requests", "seoul.5xx", "seoul.p99"]);
    assert_eq!(seoul.period, 60);
    let q = &chunks(seoul)[0];
    let ids: Vec<&str> = q.iter().filter_map(MetricDataQuery::id).collect();
    assert_eq!(ids, ["m0", "m1", "m2"]);
    let stat = q[2].metric_stat().expect("stat");
    assert_eq!(stat.stat(), Some("p99"));
    assert_eq!(stat.period(), Some(60));
    let m = stat.metric().expect("metric");
    assert_eq!(m.metric_name(), Some("TargetResponseTime"));
    assert_eq!(m.dimensions()[0].name(), Some("LoadBalancer"));
    assert!(
        q.iter()
            .all(|x| x.return_data() == Some(true) && x.expression().is_none())
    );
}

#[test]
fn query_ids_are_valid_and_chunks_hold_at_most_500() {
    let mut l = layout();
    l.series = (0..1201)
        .map(|i| metric(&format!("s{i}"), "us-east-1", "RequestCount", "Sum"))
        .collect();
    let p = &plan(&l)["us-east-1"];
    let chunks = chunks(p);
    let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
    assert_eq!(sizes, [500, 500, 201]);
    assert_eq!(
        chunks[2].last().and_then(MetricDataQuery::id),
        Some("m1200")
    );
    for c in &chunks {
        for q in c {
            let id = q.id().expect("id");
            assert!(id.starts_with(|c: char| c.is_ascii_lowercase()), "{id}");
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        }
    }
}

#[test]
fn results_map_oldest_first_newest_provisional_and_status_to_completeness() {
    let p = &plan(&layout())["ap-northeast-2"];
    let mut merged = BTreeMap::new();
    merge_page(
        &mut merged,
        &[
            // TimestampDescending, as CloudWatch returns by default.
            result(
                "m0",
                &[("2026-06-13T11:04:00Z", 3.0), ("2026-06-13T11:03:00Z", 2.0)],
                StatusCode::Complete,
            ),
            result("m1", &[], StatusCode::PartialData),
            result(
                "m2",
                &[("2026-06-13T11:02:00Z", 0.4)],
                StatusCode::Forbidden,
            ),
        ],
    );
    let (start, end) = (at("2026-06-13T11:02:00Z"), at("2026-06-13T11:05:00Z"));
    let b = to_batch(p, &merged, start, end);
    assert_eq!(b.region, "ap-northeast-2");
    assert_eq!((b.start, b.end), (start, end));
    let r = &b.series[0];
    assert_eq!(r.id, "seoul.requests");
    assert!(r.complete);
    assert_eq!(
        r.points,
        [
            Point {
                ts: at("2026-06-13T11:03:00Z"),
                v: 2.0,
                p: false
            },
            Point {
                ts: at("2026-06-13T11:04:00Z"),
                v: 3.0,
                p: true
            },
        ]
    );
    assert!(!b.series[1].complete, "PartialData");
    assert!(!b.series[2].complete, "Forbidden");
    assert!(b.series[2].points[0].p);
}

#[test]
fn a_series_missing_from_the_answer_is_incomplete() {
    let p = &plan(&layout())["us-east-1"];
    let b = to_batch(
        p,
        &BTreeMap::new(),
        at("2026-06-13T11:02:00Z"),
        at("2026-06-13T11:05:00Z"),
    );
    assert!(b.series.iter().all(|s| !s.complete && s.points.is_empty()));
}

fn no_retry(c: aws_sdk_cloudwatch::config::Builder) -> aws_sdk_cloudwatch::config::Builder {
    c.retry_config(RetryConfig::disabled())
}

#[tokio::test]
async fn two_pages_are_merged_by_id() {
    let first = mock!(Client::get_metric_data)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result(
                    "m0",
                    &[("2026-06-13T11:04:00Z", 40.0)],
                    StatusCode::PartialData,
                ))
                .messages(MessageData::builder().code("Info").value("more").build())
                .next_token("page2")
                .build()
        });
    let second = mock!(Client::get_metric_data)
        .match_requests(|r| r.next_token() == Some("page2"))
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result(
                    "m0",
                    &[("2026-06-13T11:03:00Z", 30.0)],
                    StatusCode::Complete,
                ))
                .metric_data_results(result(
                    "m1",
                    &[("2026-06-13T11:04:00Z", 1.0)],
                    StatusCode::Complete,
                ))
                .metric_data_results(result("m2", &[], StatusCode::Complete))
                .build()
        });
    let client = mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::Sequential,
        [&first, &second],
        no_retry
    );
    let p = &plan(&layout())["ap-northeast-2"];
    let b = poll(&client, p, at("2026-06-13T11:05:20Z"))
        .await
        .expect("polled");
    assert_eq!(first.num_calls() + second.num_calls(), 2);
    assert_eq!(
        (b.start, b.end),
        (at("2026-06-13T11:02:00Z"), at("2026-06-13T11:05:00Z"))
    );
    let s0 = &b.series[0];
    assert!(s0.complete);
    let vals: Vec<(f64, bool)> = s0.points.iter().map(|p| (p.v, p.p)).collect();
    assert_eq!(vals, [(30.0, false), (40.0, true)]);
    assert_eq!(b.series[1].points.len(), 1);
    assert!(b.series[2].complete && b.series[2].points.is_empty());
}

#[tokio::test]
async fn partial_data_without_token_marks_series_incomplete() {
    let rule = mock!(Client::get_metric_data).then_output(|| {
        GetMetricDataOutput::builder()
            .metric_data_results(result(
                "m0",
                &[("2026-06-13T11:04:00Z", 5.0)],
                StatusCode::Complete,
            ))
            .metric_data_results(result("m1", &[], StatusCode::PartialData))
            .metric_data_results(result("m2", &[], StatusCode::InternalError))
            .build()
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&rule], no_retry);
    let p = &plan(&layout())["ap-northeast-2"];
    let b = poll(&client, p, at("2026-06-13T11:05:20Z"))
        .await
        .expect("polled");
    let complete: Vec<bool> = b.series.iter().map(|s| s.complete).collect();
    assert_eq!(complete, [true, false, false]);
}

#[tokio::test]
async fn throttling_is_a_classified_error() {
    let rule = mock!(Client::get_metric_data).then_error(|| {
        GetMetricDataError::generic(
            ErrorMetadata::builder()
                .code("ThrottlingException")
                .message("Rate exceeded")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&rule], no_retry);
    let p = &plan(&layout())["ap-northeast-2"];
    let err = poll(&client, p, at("2026-06-13T11:05:20Z"))
        .await
        .expect_err("throttled");
    assert_eq!(err.call().state, SourceState::Throttled);
    assert_eq!(err.call().op, "GetMetricData");
}

/// (start, end, queries) of each call made.
type Calls = Vec<(DateTime<Utc>, DateTime<Utc>, usize)>;

#[tokio::test]
async fn a_long_window_is_split_into_calls_within_the_datapoint_limit() {
    use std::sync::{Arc, Mutex};
    // 500 high-resolution series (10 s) over three hours: 540,000 datapoints, more than one
    // call may return.
    let mut l = layout();
    l.series = (0..500)
        .map(|i| {
            let mut s = metric(&format!("s{i}"), "us-east-1", "RequestCount", "Sum");
            if let crate::config::layout::SeriesSource::Metric(q) = &mut s.source {
                q.period = 10;
            }
            s
        })
        .collect();
    let p = plan(&l).remove("us-east-1").expect("plan");
    let seen: Arc<Mutex<Calls>> = Arc::default();
    let log = Arc::clone(&seen);
    let rule = mock!(Client::get_metric_data)
        .match_requests(move |r| {
            let t = |x: Option<&aws_sdk_cloudwatch::primitives::DateTime>| {
                x.and_then(crate::sources::to_utc).expect("time")
            };
            let mut log = log.lock().expect("lock");
            log.push((
                t(r.start_time()),
                t(r.end_time()),
                r.metric_data_queries().len(),
            ));
            true
        })
        .then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
    let (start, end) = (at("2026-06-13T08:00:00Z"), at("2026-06-13T11:00:00Z"));
    poll_window(&client, &p, start, end).await.expect("polls");
    let calls = seen.lock().expect("lock").clone();
    assert!(calls.len() > 1, "split: {calls:?}");
    assert_eq!(calls[0].0, start);
    assert_eq!(calls[calls.len() - 1].1, end);
    for w in calls.windows(2) {
        assert_eq!(w[0].1, w[1].0, "contiguous: {calls:?}");
    }
    for (a, b, n) in &calls {
        let points = (*b - *a).num_seconds() / 10 * (*n as i64);
        assert!(points <= 100_800, "{points} datapoints in one call");
    }
    // The usual three one-minute buckets stay one call.
    let one = plan(&layout()).remove("us-east-1").expect("plan");
    let before = rule.num_calls();
    poll_window(&client, &one, at("2026-06-13T10:57:00Z"), end)
        .await
        .expect("polls");
    assert_eq!(rule.num_calls(), before + 1);
}
