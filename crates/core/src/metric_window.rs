//! What a region's metrics poll asks for and over which window, in one place for the AWS poller,
//! backfill, the simulator and the report: the layout's metric series grouped by region
//! ([`plan`]) and the period-aligned half-open window re-requesting the last
//! [`OVERLAP_BUCKETS`] buckets ([`window`]), reaching back [`FIRST_POLL_HISTORY`] on a
//! session's first poll.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

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

/// The metric series of the layout grouped by region (math series left out), in layout order.
pub fn plan(layout: &Layout) -> BTreeMap<String, RegionQueries> {
    let mut out: BTreeMap<String, RegionQueries> = BTreeMap::new();
    for s in &layout.series {
        let SeriesSource::Metric(q) = &s.source else {
            continue;
        };
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

/// `[floor(now, period) - 3 * period, floor(now, period))`.
pub fn window(now: DateTime<Utc>, period: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let p = i64::from(period.max(1));
    let secs = now.timestamp();
    let end_secs = secs - secs.rem_euclid(p);
    let end = DateTime::from_timestamp(end_secs, 0).unwrap_or(now);
    (end - TimeDelta::seconds(OVERLAP_BUCKETS * p), end)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::at;

    #[test]
    fn window_is_period_aligned_half_open_with_three_bucket_overlap() {
        let (s, e) = window(at("2026-06-13T11:05:07Z"), 60);
        assert_eq!(e, at("2026-06-13T11:05:00Z"));
        assert_eq!(s, at("2026-06-13T11:02:00Z"));
        let (s, e) = window(at("2026-06-13T11:05:00Z"), 300);
        assert_eq!(
            (s, e),
            (at("2026-06-13T10:50:00Z"), at("2026-06-13T11:05:00Z"))
        );
    }

    #[test]
    fn a_region_mixing_periods_ends_on_the_finest_and_starts_on_the_coarsest() {
        let plan = |periods: &[u32]| RegionQueries {
            region: "eu-west-1".into(),
            period: periods.iter().copied().max().unwrap_or(60),
            finest: periods.iter().copied().min().unwrap_or(60),
            series: vec![],
            queries: vec![],
        };
        let now = at("2026-06-13T11:04:30Z");
        // One period: the window of old.
        assert_eq!(
            region_window(now, &plan(&[60, 60]), TimeDelta::zero()),
            window(now, 60)
        );
        assert_eq!(
            region_window(now, &plan(&[60]), FIRST_POLL_HISTORY),
            window_with_history(now, 60, FIRST_POLL_HISTORY)
        );
        // Minutes beside five minutes: up to the newest whole minute, from a 5-minute boundary.
        assert_eq!(
            region_window(now, &plan(&[60, 300]), TimeDelta::zero()),
            (at("2026-06-13T10:45:00Z"), at("2026-06-13T11:04:00Z"))
        );
        assert_eq!(
            region_window(now, &plan(&[60, 300]), FIRST_POLL_HISTORY),
            (at("2026-06-13T08:00:00Z"), at("2026-06-13T11:04:00Z"))
        );
    }
}
