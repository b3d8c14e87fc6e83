//! What the endpoint serves from: the world (behind a lock: its memo tables are not `Sync`),
//! the virtual clock, the faults, the layout's metric series (so provisional noise matches the
//! in-process simulator's), running Logs Insights queries, and the call journal.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};

use super::faults::Faults;
use super::{Call, ServeOptions};
use crate::World;
use crate::clock::Clock;
use crate::config::Layout;
use crate::config::layout::SeriesSource;

/// A metric as CloudWatch identifies it: region, namespace, name, sorted dimensions, stat,
/// period.
pub(crate) type MetricKey = (String, String, String, Vec<(String, String)>, String, i64);

/// A Logs Insights query started by `StartQuery`.
#[derive(Debug, Clone)]
pub(crate) struct InsightsQuery {
    pub(crate) groups: Vec<String>,
    /// Epoch seconds, both inclusive, within what the log groups keep.
    pub(crate) start: i64,
    pub(crate) end: i64,
    /// Rows answered at most.
    pub(crate) limit: usize,
    pub(crate) count_field: String,
    pub(crate) bin_field: String,
}

/// Calls kept in the journal: about an hour of polling of the reference layout.
pub(crate) const JOURNAL_KEPT: usize = 2_000;
/// Longest operation, region or resource the journal keeps (they come from the client).
pub(crate) const JOURNAL_TEXT: usize = 256;
/// Logs Insights queries kept for GetQueryResults (the oldest are forgotten).
pub(crate) const QUERIES_KEPT: usize = 1_000;

pub(crate) struct Served {
    world: Mutex<World>,
    pub(crate) clock: Clock,
    pub(crate) faults: Faults,
    series: HashMap<MetricKey, String>,
    pub(crate) queries: Mutex<HashMap<String, InsightsQuery>>,
    /// The newest calls, at most [`JOURNAL_KEPT`] (a long game day must not grow memory).
    journal: Mutex<std::collections::VecDeque<Call>>,
}

/// `s` cut to at most `max` bytes, on a character boundary.
fn clip(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves memo tables that are still valid.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn metric_key(
    region: &str,
    namespace: &str,
    metric: &str,
    dims: &[(String, String)],
    stat: &str,
    period: i64,
) -> MetricKey {
    let mut d = dims.to_vec();
    d.sort();
    (
        region.into(),
        namespace.into(),
        metric.into(),
        d,
        stat.into(),
        period,
    )
}

impl Served {
    pub fn new(layout: &Layout, opts: &ServeOptions) -> Self {
        let world = World::new(
            opts.scenario,
            opts.seed,
            layout.event.start,
            layout.event.tz(),
        );
        let mut series = HashMap::new();
        for s in &layout.series {
            if let SeriesSource::Metric(q) = &s.source {
                let key = metric_key(
                    &s.region,
                    &q.namespace,
                    &q.metric,
                    &q.dimensions,
                    &q.stat,
                    i64::from(q.period.max(60)),
                );
                series.entry(key).or_insert_with(|| s.id.clone());
            }
        }
        Served {
            world: Mutex::new(world),
            clock: opts.clock,
            faults: opts.faults.clone(),
            series,
            queries: Mutex::new(HashMap::new()),
            journal: Mutex::new(std::collections::VecDeque::new()),
        }
    }

    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The key of the provisional-value noise: the layout's series id, else the identity.
    pub(crate) fn series_key(&self, key: &MetricKey) -> String {
        self.series
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("{key:?}"))
    }

    /// Keeps `call` in the journal, its client-given strings cut to [`JOURNAL_TEXT`] bytes.
    pub(crate) fn record(&self, mut call: Call) {
        for s in [&mut call.op, &mut call.region, &mut call.resource] {
            clip(s, JOURNAL_TEXT);
        }
        let mut j = lock(&self.journal);
        if j.len() >= JOURNAL_KEPT {
            j.pop_front();
        }
        j.push_back(call);
    }

    pub(crate) fn calls(&self) -> Vec<Call> {
        lock(&self.journal).iter().cloned().collect()
    }

    pub(crate) fn queries(&self) -> MutexGuard<'_, HashMap<String, InsightsQuery>> {
        lock(&self.queries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_on_a_character_boundary() {
        let mut s = "ab\u{00e9}cd".to_string();
        clip(&mut s, 3);
        assert_eq!(s, "ab");
        let mut long = "x".repeat(10_000);
        clip(&mut long, JOURNAL_TEXT);
        assert_eq!(long.len(), JOURNAL_TEXT);
        let mut short = "ok".to_string();
        clip(&mut short, 3);
        assert_eq!(short, "ok");
    }
}
