//! What a region's metrics poll asks for and over which window, in one place for the AWS poller,
//! backfill, the simulator and the report: the layout's metric series grouped by region
//! ([`plan`]) and the period-aligned half-open window re-requesting the last
//! [`OVERLAP_BUCKETS`] buckets ([`window`]), reaching back [`FIRST_POLL_HISTORY`] on a
//! session's first poll, and after a gap (failed or throttled polls, a stalled process) back to
//! the last settled bucket, so an outage leaves no hole ([`region_window_since`]). The watched service
//! quotas (`quota.<name>` series of `[readiness]`) are planned apart ([`quota_plan`]): polled on
//! their own slow cadence as percent of the quota.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::is_quota_series;
use crate::config::layout::{Layout, MetricQuery, SeriesSource};

/// Buckets re-requested on every poll to pick up late datapoints.
pub const OVERLAP_BUCKETS: i64 = 3;
/// How far back a session's first poll reaches, so a dashboard opened mid-event has its charts
/// and `for` clauses filled at once and `collect --append` fills the gap since it stopped.
/// At 500 one-minute queries that is 90,000 datapoints, under the 100,800 one call may return.
pub const FIRST_POLL_HISTORY: TimeDelta = TimeDelta::hours(3);

/// What one region's poll asks for: query id `m<i>` is `series[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionQueries {
    pub region: String,
    /// The window's bucket: the largest period of the region's series.
    pub period: u32,
    /// The smallest period of the region's series: where the window ends.
    pub finest: u32,
    /// Layout series ids in query order.
    pub series: Vec<String>,
    pub queries: Vec<MetricQuery>,
}

impl RegionQueries {
    pub fn query_id(index: usize) -> String {
        format!("m{index}")
    }
}

/// The metric series of the layout grouped by region (math series and watched quotas left
/// out), in layout order.
pub fn plan(layout: &Layout) -> BTreeMap<String, RegionQueries> {
    let mut out: BTreeMap<String, RegionQueries> = BTreeMap::new();
    for s in &layout.series {
        let SeriesSource::Metric(q) = &s.source else {
            continue;
        };
        if is_quota_series(s) {
            // Polled by the quota source on its own slow cadence.
            continue;
        }
        let r = out
            .entry(s.region.clone())
            .or_insert_with(|| RegionQueries {
                region: s.region.clone(),
                period: q.period,
                finest: q.period,
                series: vec![],
                queries: vec![],
            });
        r.period = r.period.max(q.period);
        r.finest = r.finest.min(q.period);
        r.series.push(s.id.clone());
        r.queries.push(q.clone());
    }
    out
}

/// Seconds per bucket of a watched quota series, and its source's poll period.
pub const QUOTA_PERIOD: u32 = 300;

/// The watched quotas of one region: (series id, its `AWS/Usage` metric).
#[derive(Debug, Clone, PartialEq)]
pub struct RegionQuotas {
    pub region: String,
    pub series: Vec<(String, MetricQuery)>,
}

/// The layout's watched quota series (`quota.<name>`) grouped by region, in layout order.
pub fn quota_plan(layout: &Layout) -> BTreeMap<String, RegionQuotas> {
    let mut out: BTreeMap<String, RegionQuotas> = BTreeMap::new();
    for s in layout.series.iter().filter(|s| is_quota_series(s)) {
        let SeriesSource::Metric(q) = &s.source else {
            continue;
        };
        out.entry(s.region.clone())
            .or_insert_with(|| RegionQuotas {
                region: s.region.clone(),
                series: Vec::new(),
            })
            .series
            .push((s.id.clone(), q.clone()));
    }
    out
}

/// A quota series' value: `usage` as percent of `quota` (None without a positive quota).
pub fn percent_of_quota(usage: f64, quota: f64) -> Option<f64> {
    (quota > 0.0).then(|| 100.0 * usage / quota)
}

/// `[floor(now, period) - 3 * period, floor(now, period))`.
pub fn window(now: DateTime<Utc>, period: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let p = i64::from(period.max(1));
    let secs = now.timestamp();
    let end_secs = secs - secs.rem_euclid(p);
    let end = DateTime::from_timestamp(end_secs, 0).unwrap_or(now);
    (end - TimeDelta::seconds(OVERLAP_BUCKETS * p), end)
}

fn floor(t: DateTime<Utc>, period: u32) -> DateTime<Utc> {
    let p = i64::from(period.max(1));
    let secs = t.timestamp();
    DateTime::from_timestamp(secs - secs.rem_euclid(p), 0).unwrap_or(t)
}

/// The window of a region's poll at `now`, reaching back at least `history`: it ends on the
/// boundary of the region's finest period (one-minute series beside five-minute ones are asked
/// for their newest whole minute, so they do not go stale between five-minute boundaries; the
/// five-minute bucket in progress comes back partial and is marked provisional, as the newest
/// bucket always is) and starts on the boundary of its coarsest, [`OVERLAP_BUCKETS`] coarse
/// buckets back. With one period it is [`window`] (or [`window_with_history`]).
pub fn region_window(
    now: DateTime<Utc>,
    plan: &RegionQueries,
    history: TimeDelta,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let coarse = plan.period.max(1);
    let end = floor(now, plan.finest.max(1).min(coarse));
    let back = TimeDelta::seconds(OVERLAP_BUCKETS * i64::from(coarse)).max(history);
    (floor(end - back, coarse), end)
}

/// The window of a region's poll at `now` when the last successful poll's window ended at
/// `last_end` (None: none has succeeded this session). Normally [`region_window`] with no extra
/// history; after a gap it reaches back to the last settled bucket, the oldest the previous poll
/// re-requested for the last time (`last_end - (OVERLAP_BUCKETS - 1)` coarse periods), so every
/// bucket CloudWatch still holds is asked for again; never further back than
/// [`FIRST_POLL_HISTORY`] (the whole history when no poll has succeeded).
pub fn region_window_since(
    now: DateTime<Utc>,
    plan: &RegionQueries,
    last_end: Option<DateTime<Utc>>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let coarse = i64::from(plan.period.max(1));
    let end = floor(now, plan.finest.max(1).min(plan.period.max(1)));
    let history = last_end.map_or(FIRST_POLL_HISTORY, |last| {
        let resume = last - TimeDelta::seconds((OVERLAP_BUCKETS - 1) * coarse);
        (end - resume).clamp(TimeDelta::zero(), FIRST_POLL_HISTORY)
    });
    region_window(now, plan, history)
}

#[cfg(test)]
#[path = "metric_window_tests.rs"]
mod tests;
