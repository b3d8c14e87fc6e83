//! Metric history of one region: `GetMetricData` over each planned window, oldest first
//! (`ScanBy=TimestampAscending`), paginated and merged by query id, paced under the
//! datapoint-per-second quota, then cut into one `MetricBatch` per bucket, as a live poll would
//! have recorded it once the bucket had settled. Only buckets that end at or before `--to` are
//! recorded, and one not yet settled at `now` is provisional, stamped `now`: a partial sum is
//! never presented as settled. A failed call becomes a `source_status` error over its window
//! (its series stay unknown there), never a silent gap.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{MetricDataQuery, ScanBy, StatusCode};
use chrono::{DateTime, TimeDelta, Utc};

use super::plan::{self, Window};
use crate::config::layout::MetricQuery;
use crate::metric_window::RegionQueries;
use crate::model::{Event, EventBody, MetricBatch, Point, SeriesData, SourceState, SourceStatus};
use crate::sources::classify::CallError;
use crate::sources::cloudwatch::{MAX_QUERIES_PER_CALL, Merged, data_query, merge_page};
use crate::sources::to_aws;
use crate::store::ZERO_SETTLE;

/// Datapoints per second `GetMetricData` allows for data older than 3 hours (not adjustable).
pub(crate) const DPS_OLD: i64 = 396_000;
/// ... and for data of the last 3 hours.
pub(crate) const DPS_RECENT: i64 = 180_000;

/// What one region's backfill did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RegionOutcome {
    pub calls: usize,
    pub failed_calls: usize,
    pub datapoints: usize,
    /// Periods used other than the layout's (older data), as (window start, period).
    pub coarser: Vec<(DateTime<Utc>, u32)>,
}

/// Keeps estimated datapoints per second under the quota (a one-second window).
struct Pacer {
    window_start: tokio::time::Instant,
    used: i64,
}

impl Pacer {
    fn new() -> Self {
        Pacer {
            window_start: tokio::time::Instant::now(),
            used: 0,
        }
    }

    async fn take(&mut self, points: i64, budget: i64) {
        let second = std::time::Duration::from_secs(1);
        if self.window_start.elapsed() >= second {
            self.window_start = tokio::time::Instant::now();
            self.used = 0;
        }
        if self.used > 0 && self.used + points > budget {
            tokio::time::sleep_until(self.window_start + second).await;
            self.window_start = tokio::time::Instant::now();
            self.used = 0;
        }
        self.used += points;
    }
}

/// Backfills every metric series of `plan` over `[from, to)`; appends events to `out`.
pub async fn region(
    client: &Client,
    plan: &RegionQueries,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    out: &mut Vec<Event>,
) -> RegionOutcome {
    let mut outcome = RegionOutcome::default();
    let mut pacer = Pacer::new();
    let source = crate::source::SourceId::metrics(&plan.region).to_string();
    let mut failing = false;
    for (offset, queries) in plan
        .queries
        .chunks(MAX_QUERIES_PER_CALL)
        .enumerate()
        .map(|(k, q)| (k * MAX_QUERIES_PER_CALL, q))
    {
        let layout_periods: Vec<u32> = queries.iter().map(|q| q.period).collect();
        for w in plan::windows(from, to, now, &layout_periods) {
            if w.periods != layout_periods {
                outcome.coarser.push((w.start, w.step()));
            }
            let budget = if now - w.start > TimeDelta::hours(3) {
                DPS_OLD
            } else {
                DPS_RECENT
            };
            pacer.take(w.datapoints(), budget).await;
            let sdk: Vec<MetricDataQuery> = queries
                .iter()
                .zip(&w.periods)
                .enumerate()
                .map(|(i, (q, p))| {
                    let q = MetricQuery {
                        period: *p,
                        ..q.clone()
                    };
                    data_query(&RegionQueries::query_id(offset + i), &q)
                })
                .collect();
            outcome.calls += 1;
            match fetch(client, &w, sdk).await {
                Ok(merged) => {
                    if failing {
                        failing = false;
                        out.push(status(w.start, &source, SourceState::Ok, None));
                    }
                    outcome.datapoints += merged.values().map(|m| m.points.len()).sum::<usize>();
                    let ids: Vec<Query<'_>> = (0..queries.len())
                        .map(|i| Query {
                            id: RegionQueries::query_id(offset + i),
                            series: plan.series[offset + i].as_str(),
                            period: w.periods[i],
                        })
                        .collect();
                    let until = Until { to, now };
                    batches(&plan.region, &w, &ids, &merged, until, out);
                }
                Err(e) => {
                    outcome.failed_calls += 1;
                    tracing::warn!(region = %plan.region, error = %e, "backfill GetMetricData failed");
                    if !failing {
                        failing = true;
                        out.push(status(w.start, &source, e.state, Some(e.to_string())));
                    }
                }
            }
        }
    }
    if failing {
        out.push(status(to, &source, SourceState::Ok, None));
    }
    outcome
}

fn status(at: DateTime<Utc>, source: &str, state: SourceState, detail: Option<String>) -> Event {
    Event {
        at,
        body: EventBody::SourceStatus(SourceStatus {
            source: source.to_string(),
            state,
            detail,
        }),
    }
}

/// One window: every page, oldest first, merged by query id.
async fn fetch(
    client: &Client,
    w: &Window,
    queries: Vec<MetricDataQuery>,
) -> Result<BTreeMap<String, Merged>, CallError> {
    let mut merged: BTreeMap<String, Merged> = BTreeMap::new();
    let mut pages = client
        .get_metric_data()
        .start_time(to_aws(w.start))
        .end_time(to_aws(w.end))
        .scan_by(ScanBy::TimestampAscending)
        .set_metric_data_queries(Some(queries))
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("GetMetricData", &e))?;
        for m in page.messages() {
            tracing::warn!(
                code = m.code().unwrap_or(""),
                message = m.value().unwrap_or(""),
                "GetMetricData message"
            );
        }
        merge_page(&mut merged, page.metric_data_results());
    }
    Ok(merged)
}

/// One query of a call: its id, the series it feeds and the period it was asked at.
struct Query<'a> {
    id: String,
    series: &'a str,
    period: u32,
}

/// Where the recorded data stops: buckets ending after `to` are left out; buckets not settled
/// by `now` are provisional.
#[derive(Clone, Copy)]
struct Until {
    to: DateTime<Utc>,
    now: DateTime<Utc>,
}

/// One batch per step of the window, stamped when the bucket had settled ([`ZERO_SETTLE`]
/// after its end; `now` for a bucket not settled yet, whose points are then provisional),
/// listing every series whose bucket ends by `to` (complete unless its data was partial).
fn batches(
    region: &str,
    w: &Window,
    queries: &[Query<'_>],
    merged: &BTreeMap<String, Merged>,
    until: Until,
    out: &mut Vec<Event>,
) {
    let step = TimeDelta::seconds(i64::from(w.step()));
    let mut t = w.start;
    while t < w.end {
        let next = t + step;
        let series = queries
            .iter()
            .filter_map(|q| {
                let period = TimeDelta::seconds(i64::from(q.period.max(1)));
                let bucket_end = plan::floor_to(t, q.period) + period;
                if bucket_end > until.to {
                    return None;
                }
                let provisional = bucket_end + ZERO_SETTLE > until.now;
                let m = merged.get(&q.id);
                Some(SeriesData {
                    id: q.series.to_string(),
                    points: m.map_or_else(Vec::new, |m| {
                        m.points
                            .range(t..next)
                            .map(|(ts, v)| Point {
                                ts: *ts,
                                v: *v,
                                p: provisional,
                            })
                            .collect()
                    }),
                    complete: m.is_some_and(|m| {
                        !m.failed && matches!(m.last_status, Some(StatusCode::Complete))
                    }),
                })
            })
            .collect::<Vec<_>>();
        if !series.is_empty() {
            out.push(Event {
                at: (next + ZERO_SETTLE).min(until.now),
                body: EventBody::Metrics(MetricBatch {
                    region: region.to_string(),
                    start: t,
                    end: next,
                    series,
                }),
            });
        }
        t = next;
    }
}
