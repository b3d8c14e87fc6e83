//! What a backfill asks `CloudWatch` for: the period each query must use given the age of its
//! data (1-minute data is kept 15 days, 5-minute 63 days, 1-hour 455 days, and for a start more
//! than 3 hours ago the period must be a multiple of 60, 300 or 3600 s or nothing comes back),
//! and windows cut so that no `GetMetricData` call asks for more than 100,800 datapoints and
//! none reaches past `--to` (a bucket that ends after it is a partial sum).

use chrono::{DateTime, TimeDelta, Utc};

pub use warroom_core::metric_retention::{MAX_DATAPOINTS_PER_CALL, period_multiple};

/// The period to ask for: the layout's, rounded up to what data starting at `start` still has.
pub(crate) fn period_for(layout_period: u32, start: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
    let m = period_multiple(now - start);
    layout_period.max(1).div_ceil(m) * m
}

/// `t` rounded down to a multiple of `secs`.
pub fn floor_to(t: DateTime<Utc>, secs: u32) -> DateTime<Utc> {
    let s = i64::from(secs.max(1));
    let v = t.timestamp();
    DateTime::from_timestamp(v - v.rem_euclid(s), 0).unwrap_or(t)
}

/// One `GetMetricData` window: `[start, end)`, each query at `periods[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    /// Per query (same order as the layout periods given).
    pub(crate) periods: Vec<u32>,
}

impl Window {
    /// Estimated datapoints of the call (what the limits count).
    pub(crate) fn datapoints(&self) -> i64 {
        let secs = (self.end - self.start).num_seconds();
        self.periods
            .iter()
            .map(|p| secs / i64::from((*p).max(1)))
            .sum()
    }

    /// The smallest period: the step of the batches made from this window.
    pub(crate) fn step(&self) -> u32 {
        self.periods.iter().copied().min().unwrap_or(60)
    }
}

/// Windows covering the whole buckets of `[from, to)` for queries with `layout_periods` (at
/// most 500 of them, one call), oldest first: each starting on its coarsest period, with periods
/// chosen by the age of its start, at most [`MAX_DATAPOINTS_PER_CALL`] datapoints, and ending at
/// or before `to` (on a bucket boundary of its finest period; a coarser query's bucket that
/// would run past `to` is left out when the batches are made).
pub(crate) fn windows(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    layout_periods: &[u32],
) -> Vec<Window> {
    let mut out = Vec::new();
    if layout_periods.is_empty() || to <= from {
        return out;
    }
    let periods_at = |t| -> Vec<u32> {
        layout_periods
            .iter()
            .map(|p| period_for(*p, t, now))
            .collect()
    };
    let coarsest = |ps: &[u32]| ps.iter().copied().max().unwrap_or(60);
    let finest = |ps: &[u32]| ps.iter().copied().min().unwrap_or(60);
    let mut cursor = floor_to(from, coarsest(&periods_at(from)));
    loop {
        let periods = periods_at(cursor);
        let big = coarsest(&periods);
        cursor = floor_to(cursor, big);
        // The last whole bucket of the finest query ends here: never past `to`.
        let last = floor_to(to, finest(&periods));
        if cursor >= last {
            break;
        }
        // Longest window within the datapoint limit: sum over queries of len / period.
        let per_sec: f64 = periods.iter().map(|p| 1.0 / f64::from(*p)).sum();
        let max_len = (MAX_DATAPOINTS_PER_CALL as f64 / per_sec).floor() as i64;
        let len = (max_len / i64::from(big)).max(1) * i64::from(big);
        let end = (cursor + TimeDelta::seconds(len)).min(last);
        out.push(Window {
            start: cursor,
            end,
            periods,
        });
        if end == last {
            break;
        }
        cursor = end;
    }
    out
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
