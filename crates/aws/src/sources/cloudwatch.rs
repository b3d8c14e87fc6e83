//! `CloudWatch` metrics: one `GetMetricData` call per region per tick for every metric series of
//! that region (math series are computed client-side by the store and never sent), chunked at
//! 500 queries, paginated and merged by query id, over a period-aligned half-open window with a
//! 3-bucket overlap (`warroom_core::metric_window`), longer after an outage or on a first poll,
//! then split so no call asks for more than 100,800 datapoints. Output: one `MetricBatch` per
//! region.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{
    Dimension, Metric, MetricDataQuery, MetricDataResult, MetricStat, StatusCode,
};
use chrono::{DateTime, Utc};

use super::classify::CallError;
use super::{to_aws, to_utc};
use crate::config::layout::MetricQuery;
use crate::metric_window::{RegionQueries, region_window};
use crate::model::{MetricBatch, Point, SeriesData};

/// `GetMetricData` accepts at most 500 `MetricDataQuery` per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;
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

/// The SDK queries of a region's poll, in order, chunked at `MAX_QUERIES_PER_CALL`.
pub fn chunks(plan: &RegionQueries) -> Vec<Vec<MetricDataQuery>> {
    let all: Vec<MetricDataQuery> = plan
        .queries
        .iter()
        .enumerate()
        .map(|(i, q)| data_query(&RegionQueries::query_id(i), q))
        .collect();
    all.chunks(MAX_QUERIES_PER_CALL)
        .map(<[MetricDataQuery]>::to_vec)
        .collect()
}

/// One `MetricStat` query with id `id`.
pub(crate) fn data_query(id: &str, q: &MetricQuery) -> MetricDataQuery {
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
    pub(crate) points: BTreeMap<DateTime<Utc>, f64>,
    /// Status of the last page that mentioned the id.
    pub(crate) last_status: Option<StatusCode>,
    /// Some page said `InternalError` or Forbidden.
    pub(crate) failed: bool,
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

/// Polls every metric of one region over the [`window`] at `now`.
pub async fn poll(
    client: &Client,
    plan: &RegionQueries,
    now: DateTime<Utc>,
) -> Result<MetricBatch, CloudWatchError> {
    let (start, end) = region_window(now, plan, chrono::TimeDelta::zero());
    poll_window(client, plan, start, end).await
}

/// Polls every metric of one region over `[start, end)`: one paginated `GetMetricData` per 500
/// queries, and per stretch of the window short enough that the call asks for at most
/// 100,800 datapoints (`backfill::plan::windows`: a long window, the history of a first poll or
/// the refill after an outage, is split as a backfill's is).
pub(crate) async fn poll_window(
    client: &Client,
    plan: &RegionQueries,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<MetricBatch, CloudWatchError> {
    let mut merged: BTreeMap<String, Merged> = BTreeMap::new();
    for (chunk, periods) in chunks(plan).into_iter().zip(chunk_periods(plan)) {
        for w in crate::backfill::plan::windows(start, end, end, &periods) {
            get_window(
                client,
                plan,
                chunk.clone(),
                w.start.max(start),
                w.end.min(end),
                &mut merged,
            )
            .await?;
        }
    }
    Ok(to_batch(plan, &merged, start, end))
}

/// The periods of the queries of each chunk of [`chunks`].
fn chunk_periods(plan: &RegionQueries) -> Vec<Vec<u32>> {
    plan.queries
        .chunks(MAX_QUERIES_PER_CALL)
        .map(|c| c.iter().map(|q| q.period).collect())
        .collect()
}

/// One paginated `GetMetricData` of `chunk` over `[start, end)`, merged into `merged`.
async fn get_window(
    client: &Client,
    plan: &RegionQueries,
    chunk: Vec<MetricDataQuery>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    merged: &mut BTreeMap<String, Merged>,
) -> Result<(), CloudWatchError> {
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
        merge_page(merged, page.metric_data_results());
    }
    Ok(())
}

#[cfg(test)]
#[path = "cloudwatch_tests.rs"]
mod tests;
