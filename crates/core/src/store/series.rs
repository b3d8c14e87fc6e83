//! One series' history in the state fold: a bounded ring of fixed-width buckets with explicit
//! gaps. Metric batches write into it; evaluation and views read it.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};

/// One bucket of a series: a final value, a provisional one (a later poll may revise it), or
/// nothing known.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Bucket {
    #[default]
    Missing,
    Value(f64),
    Provisional(f64),
}

impl Bucket {
    pub fn value(self) -> Option<f64> {
        match self {
            Bucket::Missing => None,
            Bucket::Value(v) | Bucket::Provisional(v) => Some(v),
        }
    }

    pub fn is_provisional(self) -> bool {
        matches!(self, Bucket::Provisional(_))
    }

    /// A bucket from a value and its provisional flag.
    pub(crate) fn new(v: f64, provisional: bool) -> Bucket {
        if provisional {
            Bucket::Provisional(v)
        } else {
            Bucket::Value(v)
        }
    }
}

/// A bucket with its start time, as the readers see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Start of the bucket.
    pub(crate) ts: DateTime<Utc>,
    pub(crate) bucket: Bucket,
}

impl Sample {
    pub fn value(&self) -> Option<f64> {
        self.bucket.value()
    }
}

/// What left the ring of the buckets inside the event window: the sum and number of their known
/// values and the extremes with their bucket numbers. Events outlive the ring (a 14-day event,
/// 24 hours of buckets); figures "since T0" add these to what the ring still holds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evicted {
    pub(crate) sum: f64,
    pub(crate) known: usize,
    /// (bucket number, value) of the highest and lowest.
    pub(crate) max: Option<(i64, f64)>,
    pub(crate) min: Option<(i64, f64)>,
}

impl Evicted {
    fn take(&mut self, k: i64, b: Bucket) {
        let Some(v) = b.value() else { return };
        self.sum += v;
        self.known += 1;
        if self.max.is_none_or(|(_, m)| v > m) {
            self.max = Some((k, v));
        }
        if self.min.is_none_or(|(_, m)| v < m) {
            self.min = Some((k, v));
        }
    }
}

/// Bounded buckets of one series, indexed by `floor(epoch seconds / period)`.
#[derive(Debug, Clone)]
pub struct SeriesBuf {
    period: i64,
    capacity: usize,
    /// Bucket number of `buckets[0]`.
    first: i64,
    buckets: VecDeque<Bucket>,
    /// Bucket number of the newest bucket holding a value, if any is still held.
    newest: Option<i64>,
    /// The source feeding this series is failing (throttled, error, credentials expired): its
    /// last good data is kept but must be shown and judged as stale.
    source_down: bool,
    /// Bumped on every change, so judgements of the buffer can be cached.
    version: u64,
    /// Bucket numbers `[from, to)` whose leaving the ring is summed in `evicted`.
    window: (i64, i64),
    evicted: Evicted,
    /// Where a counter's absent buckets may read as zero from (see
    /// [`SeriesBuf::zero_from`]): the first bucket with a datapoint, and the time of the
    /// first poll that listed the series.
    first_point: Option<i64>,
    first_polled: Option<DateTime<Utc>>,
}

impl SeriesBuf {
    /// Whether the source feeding this series is failing (see [`SeriesBuf::set_source_down`]).
    pub(crate) fn source_down(&self) -> bool {
        self.source_down
    }

    /// Marks the series' source as failing or recovered.
    pub(crate) fn set_source_down(&mut self, down: bool) {
        if self.source_down != down {
            self.source_down = down;
            self.version += 1;
        }
    }

    /// Changes whenever the buffer's content changes (not a count of anything).
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// A buffer of `capacity` buckets of `period_secs` seconds (both at least 1).
    pub(crate) fn new(period_secs: u32, capacity: usize) -> Self {
        SeriesBuf {
            period: i64::from(period_secs.max(1)),
            capacity: capacity.max(1),
            first: 0,
            buckets: VecDeque::new(),
            newest: None,
            source_down: false,
            version: 0,
            window: (0, 0),
            evicted: Evicted::default(),
            first_point: None,
            first_polled: None,
        }
    }

    /// Notes a poll at `at` listing this series, its oldest datapoint in bucket `oldest`.
    pub(crate) fn polled(&mut self, at: DateTime<Utc>, oldest: Option<i64>) {
        self.first_polled.get_or_insert(at);
        if let Some(k) = oldest {
            self.first_point = Some(self.first_point.map_or(k, |f| f.min(k)));
        }
    }

    /// The first bucket a counter's absent datapoint may read as zero: never before the series
    /// first reported a datapoint (a metric may not exist yet; a first poll reaches hours
    /// back), except the buckets its first poll covered as a live poll does (`live` before it:
    /// a counter that has had nothing to count since it was first watched reads zero).
    pub(crate) fn zero_from(&self, live: TimeDelta) -> i64 {
        let watched = self
            .first_polled
            .map_or(i64::MAX, |t| (t - live).timestamp().div_euclid(self.period));
        self.first_point.map_or(watched, |k| k.min(watched))
    }

    /// Keeps account of the buckets starting in `[from, to)` (the event window) that leave the
    /// ring: see [`SeriesBuf::evicted`].
    #[must_use]
    pub(crate) fn tracking(mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        self.window = (
            ceil_div(from.timestamp(), self.period),
            ceil_div(to.timestamp(), self.period),
        );
        self
    }

    /// The buckets of the tracked window that the ring no longer holds.
    pub(crate) fn evicted(&self) -> Evicted {
        self.evicted
    }

    fn evict(&mut self, k: i64, b: Bucket) {
        if (self.window.0..self.window.1).contains(&k) {
            self.evicted.take(k, b);
        }
    }

    /// Bucket width.
    pub fn period(&self) -> TimeDelta {
        TimeDelta::seconds(self.period)
    }

    pub(crate) fn period_secs(&self) -> i64 {
        self.period
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Number of the bucket that covers `t`.
    pub fn index_of(&self, t: DateTime<Utc>) -> i64 {
        t.timestamp().div_euclid(self.period)
    }

    /// Start time of bucket number `k`.
    pub fn start_of(&self, k: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(k.saturating_mul(self.period), 0).unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// The bucket number `k` (Missing when outside what is held).
    pub fn get(&self, k: i64) -> Bucket {
        if k < self.first {
            return Bucket::Missing;
        }
        usize::try_from(k - self.first)
            .ok()
            .and_then(|i| self.buckets.get(i).copied())
            .unwrap_or_default()
    }

    /// The bucket covering `t`.
    pub fn bucket_at(&self, t: DateTime<Utc>) -> Bucket {
        self.get(self.index_of(t))
    }

    /// The bucket covering the instant `secs` (seconds since the Unix epoch).
    pub(crate) fn bucket_at_secs(&self, secs: i64) -> Bucket {
        self.get(secs.div_euclid(self.period))
    }

    /// The value of the bucket covering `t`, if known.
    pub fn value_at(&self, t: DateTime<Utc>) -> Option<f64> {
        self.bucket_at(t).value()
    }

    /// Bucket number of the newest bucket holding a value.
    pub(crate) fn newest_index(&self) -> Option<i64> {
        self.newest
    }

    /// The newest bucket holding a value.
    pub fn latest(&self) -> Option<Sample> {
        self.newest.map(|k| Sample {
            ts: self.start_of(k),
            bucket: self.get(k),
        })
    }

    /// Bucket number of the newest bucket held (with or without a value).
    pub fn last_index(&self) -> Option<i64> {
        (!self.buckets.is_empty()).then(|| self.first + self.buckets.len() as i64 - 1)
    }

    /// Every bucket whose start lies in `[from, to)`, oldest first, gaps included.
    pub(crate) fn iter_window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = Sample> + '_ {
        let (lo, hi) = match self.last_index() {
            Some(last) => (
                ceil_div(from.timestamp(), self.period).max(self.first),
                (ceil_div(to.timestamp(), self.period) - 1).min(last),
            ),
            None => (1, 0),
        };
        (lo..=hi).map(move |k| Sample {
            ts: self.start_of(k),
            bucket: self.get(k),
        })
    }

    /// Sets bucket number `k`. Buckets too old for the capacity are dropped; a bucket far in
    /// the future moves the window forward.
    pub(crate) fn set(&mut self, k: i64, b: Bucket) {
        if let Bucket::Value(v) | Bucket::Provisional(v) = b
            && !v.is_finite()
        {
            return;
        }
        self.version += 1;
        let cap = self.capacity as i64;
        if self.buckets.is_empty() {
            self.first = k;
            self.buckets.push_back(Bucket::Missing);
        } else if k < self.first {
            let last = self.first + self.buckets.len() as i64 - 1;
            if last - k >= cap {
                return;
            }
            for _ in k..self.first {
                self.buckets.push_front(Bucket::Missing);
            }
            self.first = k;
        } else {
            let end = self.first + self.buckets.len() as i64;
            if k - end >= cap {
                let old = std::mem::take(&mut self.buckets);
                for (j, b) in (self.first..).zip(old) {
                    self.evict(j, b);
                }
                self.first = k;
                self.buckets.push_back(Bucket::Missing);
            } else {
                for _ in end..=k {
                    self.buckets.push_back(Bucket::Missing);
                }
            }
            while self.buckets.len() > self.capacity {
                if let Some(b) = self.buckets.pop_front() {
                    self.evict(self.first, b);
                }
                self.first += 1;
            }
        }
        if let Some(slot) = usize::try_from(k - self.first)
            .ok()
            .and_then(|i| self.buckets.get_mut(i))
        {
            *slot = b;
        }
        if b == Bucket::Missing {
            if self.newest == Some(k) {
                self.newest = (self.first..k)
                    .rev()
                    .find(|&j| self.get(j) != Bucket::Missing);
            }
        } else {
            self.newest = Some(self.newest.map_or(k, |n| n.max(k)));
        }
        if self.newest.is_some_and(|n| n < self.first) {
            self.newest = None;
        }
    }

    /// Number of buckets held (gaps included).
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

/// `ceil(a / b)` for `b > 0`.
pub(crate) fn ceil_div(a: i64, b: i64) -> i64 {
    -((-a).div_euclid(b))
}

#[cfg(test)]
mod evicted_tests {
    use super::*;

    #[test]
    fn buckets_of_the_window_leaving_the_ring_are_summed_with_their_extremes() {
        let t = |k: i64| DateTime::from_timestamp(k * 60, 0).expect("time");
        // Track buckets 2..8 in a ring of 3.
        let mut b = SeriesBuf::new(60, 3).tracking(t(2), t(8));
        for k in 0..10 {
            b.set(k, Bucket::Value(k as f64));
        }
        b.set(4, Bucket::Value(100.0)); // too old for the ring: not taken
        let e = b.evicted();
        // Held: 7, 8, 9. Gone: 0..=6, of which 2..=6 are in the window.
        assert_eq!((e.sum, e.known), (2.0 + 3.0 + 4.0 + 5.0 + 6.0, 5));
        assert_eq!((e.max, e.min), (Some((6, 6.0)), Some((2, 2.0))));
        // A jump of more than the ring clears it: everything held leaves.
        b.set(100, Bucket::Value(1.0));
        assert_eq!(
            b.evicted().known,
            6,
            "bucket 7 joined; 8 and 9 are outside the window"
        );
    }
}
