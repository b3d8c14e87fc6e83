//! `CloudWatch` metrics: one `GetMetricData` call per region per tick for every metric series of
//! that region (math series are computed client-side by the store and never sent), chunked at
//! 500 queries, paginated and merged by query id, over a period-aligned half-open window with a
//! 3-bucket overlap; the first window of a session reaches back [`FIRST_POLL_HISTORY`]. Output:
//! one `MetricBatch` per region.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{
    Dimension, Metric, MetricDataQuery, MetricDataResult, MetricStat, StatusCode,
};
use chrono::{DateTime, TimeDelta, Utc};

use super::classify::CallError;
use super::{to_aws, to_utc};
use crate::config::layout::{Layout, MetricQuery, SeriesSource};
use crate::model::{MetricBatch, Point, SeriesData};

/// `GetMetricData` accepts at most 500 `MetricDataQuery` per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;
/// Buckets re-requested on every poll to pick up late datapoints.
pub const OVERLAP_BUCKETS: i64 = 3;
/// How far back a session's first poll reaches, so a dashboard opened mid-event has its charts
/// and `for` clauses filled at once and `collect --append` fills the gap since it stopped.
/// At 500 one-minute queries that is 90,000 datapoints, under the 100,800 one call may return.
pub const FIRST_POLL_HISTORY: TimeDelta = TimeDelta::hours(3);

#[derive(Debug, thiserror::Error)]
pub enum CloudWatchError {
    #[error(transparent)]
    Call(#[from] CallError),
}

impl CloudWatchError {
    pub fn call(&self) -> &CallError {
        match self {
            CloudWatchError::Call(c) => c,
        }
    }
}

/// What one region's poll asks for: query id `m<i>` is `series[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionQueries {
    pub region: String,
    /// The window's bucket: the largest period of the region's series.
    pub period: u32,
    /// Layout series ids in query order.
    pub series: Vec<String>,
    pub queries: Vec<MetricQuery>,
}

impl RegionQueries {
    pub fn query_id(index: usize) -> String {
        format!("m{index}")
    }

    /// The SDK queries, in order, chunked at `MAX_QUERIES_PER_CALL`.
    pub fn chunks(&self) -> Vec<Vec<MetricDataQuery>> {
        let all: Vec<MetricDataQuery> = self
            .queries
            .iter()
            .enumerate()
            .map(|(i, q)| data_query(&Self::query_id(i), q))
            .collect();
        all.chunks(MAX_QUERIES_PER_CALL)
            .map(<[MetricDataQuery]>::to_vec)
            .collect()
    }
}

/// The metric series of the layout grouped by region (math series left out), in layout order.
pub fn plan(layout: &Layout) -> BTreeMap<String, RegionQueries> {
    let mut out: BTreeMap<String, RegionQueries> = BTreeMap::new();
    for s in &layout.series {
        let SeriesSource::Metric(q) = &s.source else {
            continue;
        };
        if crate::config::is_quota_series(s) {
            // Polled by `quotas` on its own slow cadence.
            continue;
        }
        let r = out
            .entry(s.region.clone())
            .or_insert_with(|| RegionQueries {
                region: s.region.clone(),
                period: q.period,
                series: vec![],
                queries: vec![],
            });
        r.period = r.period.max(q.period);
        r.series.push(s.id.clone());
        r.queries.push(q.clone());
    }
    out
}

/// `[floor(now, period) - 3 * period, floor(now, period))`.
pub fn window(now: DateTime<Utc>, period: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let p = i64::from(period.max(1));
    let secs = now.timestamp();
    let end_secs = secs - secs.rem_euclid(p);
    let end = DateTime::from_timestamp(end_secs, 0).unwrap_or(now);
    (end - TimeDelta::seconds(OVERLAP_BUCKETS * p), end)
}

/// One `MetricStat` query with id `id`.
pub fn data_query(id: &str, q: &MetricQuery) -> MetricDataQuery {
    let dims: Vec<Dimension> = q
        .dimensions
        .iter()
        .map(|(k, v)| Dimension::builder().name(k).value(v).build())
        .collect();
    let metric = Metric::builder()
        .namespace(&q.namespace)
        .metric_name(&q.metric)
        .set_dimensions(Some(dims))
        .build();
    let stat = MetricStat::builder()
        .metric(metric)
        .period(i32::try_from(q.period).unwrap_or(i32::MAX))
        .stat(&q.stat)
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(stat)
        .return_data(true)
        .build()
}

/// Datapoints of one query id gathered across pages.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Merged {
    pub points: BTreeMap<DateTime<Utc>, f64>,
    /// Status of the last page that mentioned the id.
    pub last_status: Option<StatusCode>,
    /// Some page said `InternalError` or Forbidden.
    pub failed: bool,
}

/// Folds one page of results into `acc`, by query id.
pub fn merge_page(acc: &mut BTreeMap<String, Merged>, results: &[MetricDataResult]) {
    for r in results {
        let Some(id) = r.id() else { continue };
        let m = acc.entry(id.to_string()).or_default();
        for (t, v) in r.timestamps().iter().zip(r.values()) {
            if let Some(ts) = to_utc(t) {
                m.points.insert(ts, *v);
            }
        }
        if let Some(s) = r.status_code() {
            if matches!(s, StatusCode::InternalError | StatusCode::Forbidden) {
                m.failed = true;
            }
            m.last_status = Some(s.clone());
        }
    }
}

/// The batch for `plan` from merged results: points oldest first, the newest provisional; a
/// series is incomplete when its data was partial, failed, or missing from the answer.
pub fn to_batch(
    plan: &RegionQueries,
    merged: &BTreeMap<String, Merged>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> MetricBatch {
    let series = plan
        .series
        .iter()
        .enumerate()
        .map(|(i, id)| match merged.get(&RegionQueries::query_id(i)) {
            None => SeriesData {
                id: id.clone(),
                points: vec![],
                complete: false,
            },
            Some(m) => {
                let n = m.points.len();
                let points = m
                    .points
                    .iter()
                    .enumerate()
                    .map(|(k, (ts, v))| Point {
                        ts: *ts,
                        v: *v,
                        p: k + 1 == n,
                    })
                    .collect();
                SeriesData {
                    id: id.clone(),
                    points,
                    complete: !m.failed && matches!(m.last_status, Some(StatusCode::Complete)),
                }
            }
        })
        .collect();
    MetricBatch {
        region: plan.region.clone(),
        start,
        end,
        series,
    }
}

/// [`window`] at `now`, reaching back `history` from its end instead when that is longer.
pub fn window_with_history(
    now: DateTime<Utc>,
    period: u32,
    history: TimeDelta,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let (start, end) = window(now, period);
    (start.min(end - history), end)
}

/// Polls every metric of one region over the [`window`] at `now`.
pub async fn poll(
    client: &Client,
    plan: &RegionQueries,
    now: DateTime<Utc>,
) -> Result<MetricBatch, CloudWatchError> {
    let (start, end) = window(now, plan.period);
    poll_window(client, plan, start, end).await
}

/// Polls every metric of one region over `[start, end)`: one paginated `GetMetricData` per 500
/// queries.
pub async fn poll_window(
    client: &Client,
    plan: &RegionQueries,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<MetricBatch, CloudWatchError> {
    let mut merged: BTreeMap<String, Merged> = BTreeMap::new();
    for chunk in plan.chunks() {
        let mut pages = client
            .get_metric_data()
            .start_time(to_aws(start))
            .end_time(to_aws(end))
            .set_metric_data_queries(Some(chunk))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| CallError::from_sdk("GetMetricData", &e))?;
            for m in page.messages() {
                tracing::warn!(
                    region = %plan.region,
                    code = m.code().unwrap_or(""),
                    message = m.value().unwrap_or(""),
                    "GetMetricData message"
                );
            }
            merge_page(&mut merged, page.metric_data_results());
        }
    }
    Ok(to_batch(plan, &merged, start, end))
}

#[cfg(test)]
#[path = "cloudwatch_tests.rs"]
mod tests;
