//! The dashboard state: a fold over the event log given the layout. Every event goes through
//! [`State::apply`]; evaluation and the views only borrow the result. Memory is bounded whatever
//! the log holds (ring buffers, capped lists), and no input makes `apply` panic: events naming
//! ids the layout does not know are ignored and counted.
//!
//! A metric batch sets, for each listed series and each bucket of its window: the point's value
//! (provisional as flagged), or zero when the series is a counter (`absent = "zero"`), the
//! answer was complete, the bucket has settled ([`ZERO_SETTLE`]) and the series has reported
//! there (not before its first datapoint, beyond what a live poll covers); otherwise the bucket
//! is left as it was. Later batches revise earlier buckets; order and duplicates do not matter.

mod alarms;
mod changes;
mod health;
mod logs;
mod math;
mod operator;
mod room;
mod series;
mod summaries;
mod waf;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};

pub use alarms::{AlarmBook, AlarmEntry};
pub use changes::Changes;
pub use health::{
    GA_TRANSITIONS_KEPT, GaGroupState, GaState, TargetCounts, TargetGroupState, Transition,
    group_health,
};
pub use logs::{COUNTS_KEPT, LINES_KEPT, LogGroupState};
pub use operator::{
    AnswerKind, Handover, Incident, Logged, Mark, Note, OperatorLog, StepAnswer, StepProgress,
};
pub use room::{Presence, Room, RoomEntry};
pub use series::{Bucket, Evicted, Sample, SeriesBuf};
pub use summaries::{SinkOutcome, SummaryBook, SummaryEntry};
pub use waf::{WafKey, WafState};

use crate::config::layout::{Absent, Layout, Series, SeriesSource};
use crate::model::{Event, EventBody, MetricBatch, SourceState};
use crate::source::{SourceId, SourceKind};

/// How much history each series keeps by default.
pub(crate) const DEFAULT_HISTORY: TimeDelta = TimeDelta::hours(24);
/// A counter's absent bucket counts as zero only once its end is this far behind the batch's
/// event time: `CloudWatch` publishes datapoints one to two minutes late, so an absent point in
/// a newer bucket may just not have arrived yet (it stays unknown until a later poll).
pub const ZERO_SETTLE: TimeDelta = TimeDelta::seconds(120);
/// A counter's absent buckets read as zero back to its first datapoint, and in the span a live
/// poll covers (this, plus [`OVERLAP`] buckets) before its first poll: never across the hours
/// a first poll reaches back, before the metric may have existed.
const ZERO_LIVE: TimeDelta = ZERO_SETTLE;
const OVERLAP: i64 = crate::metric_window::OVERLAP_BUCKETS;
/// Source statuses kept (one per poller; a bound against nonsense input).
const SOURCES_KEPT: usize = 256;

/// A source's latest poll status.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SourceEntry {
    pub(crate) state: SourceState,
    pub(crate) detail: Option<String>,
    /// When it took this state.
    pub(crate) at: DateTime<Utc>,
}

/// Counters about the fold itself, for diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FoldStats {
    /// Events applied.
    pub(crate) events: u64,
    /// Ids (series, target groups, accelerators, ACLs, log groups, runbook steps, incidents)
    /// the layout does not know: ignored.
    pub unknown_ids: u64,
    /// Snapshots older than the one held: ignored.
    pub(crate) out_of_order: u64,
}

/// The state fold. Build with [`State::new`], feed with [`State::apply`].
#[derive(Debug, Clone)]
pub struct State {
    now: Option<DateTime<Utc>>,
    series: Vec<SeriesBuf>,
    absent: Vec<Absent>,
    is_math: Vec<bool>,
    math: math::MathPlan,
    series_ix: HashMap<String, usize>,
    /// The source that feeds each series: its region's CloudWatch source, or its region's quota
    /// source for a watched quota (`quota.<name>`).
    series_source: Vec<SourceId>,
    tg_ix: HashMap<String, usize>,
    acc_ix: HashMap<String, usize>,
    acl_ix: HashMap<String, usize>,
    log_ix: HashMap<String, usize>,
    steps: Vec<String>,
    target_groups: Vec<Option<TargetGroupState>>,
    accelerators: Vec<Option<GaState>>,
    waf: Vec<Option<WafState>>,
    logs: Vec<LogGroupState>,
    alarms: AlarmBook,
    sources: BTreeMap<String, SourceEntry>,
    metrics_polled: BTreeMap<String, DateTime<Utc>>,
    operator: OperatorLog,
    room: Room,
    summaries: SummaryBook,
    stats: FoldStats,
}

impl State {
    /// An empty state for the layout, keeping [`DEFAULT_HISTORY`] per series.
    pub fn new(layout: &Layout) -> Self {
        Self::with_history(layout, DEFAULT_HISTORY)
    }

    /// An empty state keeping `history` of buckets per series (at least one bucket).
    pub(crate) fn with_history(layout: &Layout, history: TimeDelta) -> Self {
        let series = layout
            .series
            .iter()
            .map(|s| {
                let p = i64::from(s.period().max(1));
                let cap = (history.num_seconds() / p).clamp(1, 1_000_000);
                SeriesBuf::new(s.period(), cap as usize)
                    .tracking(layout.event.start, layout.event.end)
            })
            .collect();
        let index = |ids: Vec<&String>, names: Vec<&String>| {
            let mut m: HashMap<String, usize> = HashMap::new();
            for (i, n) in names.into_iter().enumerate() {
                m.insert(n.clone(), i);
            }
            for (i, id) in ids.into_iter().enumerate() {
                m.insert(id.clone(), i);
            }
            m
        };
        State {
            now: None,
            series,
            absent: layout.series.iter().map(|s| s.absent).collect(),
            is_math: layout
                .series
                .iter()
                .map(|s| matches!(s.source, SeriesSource::Math { .. }))
                .collect(),
            math: math::MathPlan::new(layout),
            series_ix: index(layout.series.iter().map(|s| &s.id).collect(), Vec::new()),
            series_source: layout.series.iter().map(feeding_source).collect(),
            tg_ix: index(
                layout.target_groups.iter().map(|t| &t.id).collect(),
                Vec::new(),
            ),
            acc_ix: index(
                layout.accelerators.iter().map(|a| &a.id).collect(),
                Vec::new(),
            ),
            acl_ix: index(
                layout.web_acls.iter().map(|w| &w.id).collect(),
                layout.web_acls.iter().map(|w| &w.name).collect(),
            ),
            log_ix: index(
                layout.log_groups.iter().map(|l| &l.id).collect(),
                layout.log_groups.iter().map(|l| &l.name).collect(),
            ),
            steps: layout
                .runbook
                .as_ref()
                .map(|r| {
                    r.steps
                        .iter()
                        .map(|s| s.id.clone())
                        .chain(
                            (0..r.return_to_normal.len())
                                .map(crate::config::runbook::Runbook::rtn_id),
                        )
                        .collect()
                })
                .unwrap_or_default(),
            target_groups: vec![None; layout.target_groups.len()],
            accelerators: vec![None; layout.accelerators.len()],
            waf: vec![None; layout.web_acls.len()],
            logs: vec![LogGroupState::default(); layout.log_groups.len()],
            alarms: AlarmBook::default(),
            sources: BTreeMap::new(),
            metrics_polled: BTreeMap::new(),
            operator: OperatorLog::default(),
            room: Room::default(),
            summaries: SummaryBook::default(),
            stats: FoldStats::default(),
        }
    }

    /// Folds one event in. Never panics; unknown ids are counted in [`State::stats`].
    pub fn apply(&mut self, e: &Event) {
        self.stats.events += 1;
        let at = e.at;
        self.now = Some(self.now.map_or(at, |n| n.max(at)));
        match &e.body {
            EventBody::Metrics(b) => self.apply_metrics(at, b),
            EventBody::TargetHealth(s) => match self.tg_ix.get(&s.target_group) {
                Some(&i) => {
                    let applied = match &mut self.target_groups[i] {
                        Some(tg) => tg.update(at, s.targets.clone()),
                        slot @ None => {
                            *slot = Some(TargetGroupState::new(at, s.targets.clone()));
                            true
                        }
                    };
                    self.stats.out_of_order += u64::from(!applied);
                }
                None => self.stats.unknown_ids += 1,
            },
            EventBody::GaEndpoints(s) => match self.acc_ix.get(&s.accelerator) {
                Some(&i) => {
                    let ga = self.accelerators[i].get_or_insert_with(|| GaState::new(at));
                    let applied = ga.update(at, s);
                    self.stats.out_of_order += u64::from(!applied);
                }
                None => self.stats.unknown_ids += 1,
            },
            EventBody::WafSample(b) => match self.acl_ix.get(&b.acl) {
                Some(&i) => {
                    if self.waf[i].as_ref().is_some_and(|w| w.at > at) {
                        self.stats.out_of_order += 1;
                    } else {
                        self.waf[i] = Some(WafState::from_batch(at, b));
                    }
                }
                None => self.stats.unknown_ids += 1,
            },
            EventBody::Alarms(s) => {
                let applied = self.alarms.apply(at, s);
                self.stats.out_of_order += u64::from(!applied);
            }
            EventBody::Logs(b) => match self.log_ix.get(&b.group) {
                Some(&i) => self.logs[i].apply(at, b),
                None => self.stats.unknown_ids += 1,
            },
            EventBody::SourceStatus(s) => {
                if let Some(source) = SourceId::parse(&s.source) {
                    let down = !matches!(s.state, SourceState::Ok | SourceState::Slow);
                    for (buf, from) in self.series.iter_mut().zip(&self.series_source) {
                        if *from == source {
                            buf.set_source_down(down);
                        }
                    }
                }
                if self.sources.len() < SOURCES_KEPT || self.sources.contains_key(&s.source) {
                    self.sources.insert(
                        s.source.clone(),
                        SourceEntry {
                            state: s.state,
                            detail: s.detail.clone(),
                            at,
                        },
                    );
                }
            }
            EventBody::Operator(o) => {
                let steps = &self.steps;
                let ok = self.operator.apply(at, o, |s| steps.iter().any(|x| x == s));
                self.stats.unknown_ids += u64::from(!ok);
            }
            EventBody::Summary(r) => self.summaries.add(at, &r.summary),
            EventBody::SummaryDelivery(d) => self.summaries.delivery(at, d),
            EventBody::Room(c) => self.room.apply(at, c),
            // The readiness report is kept in the log for the report; nothing on the dashboard
            // depends on it. A tick is a moment of evaluation: nothing to keep.
            EventBody::Readiness(_) | EventBody::Tick => {}
        }
    }

    fn apply_metrics(&mut self, at: DateTime<Utc>, b: &MetricBatch) {
        if self.metrics_polled.len() < 64 || self.metrics_polled.contains_key(&b.region) {
            let e = self.metrics_polled.entry(b.region.clone()).or_insert(at);
            *e = (*e).max(at);
        }
        let mut touched = vec![false; self.series.len()];
        let mut range: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
        let reported = reported_until(b, &self.series_ix, &self.series);
        for sd in &b.series {
            let Some(&i) = self.series_ix.get(&sd.id) else {
                self.stats.unknown_ids += 1;
                continue;
            };
            if self.is_math[i] {
                self.stats.unknown_ids += 1;
                continue;
            }
            let buf = &mut self.series[i];
            let p = buf.period_secs();
            let oldest = sd.points.iter().map(|pt| buf.index_of(pt.ts)).min();
            buf.polled(at, oldest);
            let (mut lo, mut hi) = (b.start, b.end.max(b.start));
            // A counter's missing bucket is zero only where the region has reported (some series
            // of the batch has a point there) and the bucket has settled: CloudWatch data arrives
            // 1-2 minutes late, so the newest buckets of a window are usually not there yet and
            // must stay unknown rather than read as zero.
            let fill_end = b.end.min(reported);
            if self.absent[i] == Absent::Zero && sd.complete && fill_end > b.start {
                let settled = (at - ZERO_SETTLE).timestamp().div_euclid(p);
                let k1 = series::ceil_div(fill_end.timestamp(), p).min(settled);
                let k0 = series::ceil_div(b.start.timestamp(), p)
                    .max(k1 - buf.capacity() as i64)
                    .max(buf.zero_from(ZERO_LIVE + TimeDelta::seconds(p * OVERLAP)));
                for k in k0..k1 {
                    buf.set(k, Bucket::Value(0.0));
                }
            }
            for pt in &sd.points {
                buf.set(buf.index_of(pt.ts), Bucket::new(pt.v, pt.p));
                lo = lo.min(pt.ts);
                hi = hi.max(pt.ts + TimeDelta::seconds(p));
            }
            touched[i] = true;
            range = Some(range.map_or((lo, hi), |(a, z)| (a.min(lo), z.max(hi))));
        }
        if let Some((from, to)) = range {
            self.math.recompute(&mut self.series, &touched, from, to);
        }
    }

    #[cfg(test)]
    /// Time of the newest event applied (None before any).
    pub(crate) fn now(&self) -> Option<DateTime<Utc>> {
        self.now
    }

    /// The buckets of `Layout::series[i]`. Panics if `i` is out of range of the layout.
    pub fn series(&self, i: usize) -> &SeriesBuf {
        &self.series[i]
    }

    /// Every series buffer, in layout order.
    pub fn all_series(&self) -> &[SeriesBuf] {
        &self.series
    }

    pub fn series_by_id(&self, id: &str) -> Option<&SeriesBuf> {
        self.series_ix.get(id).map(|&i| &self.series[i])
    }

    /// Latest snapshot of `Layout::target_groups[i]`.
    pub fn target_group(&self, i: usize) -> Option<&TargetGroupState> {
        self.target_groups.get(i).and_then(Option::as_ref)
    }

    /// Latest snapshot of `Layout::accelerators[i]`.
    pub fn accelerator(&self, i: usize) -> Option<&GaState> {
        self.accelerators.get(i).and_then(Option::as_ref)
    }

    /// Latest WAF sample of `Layout::web_acls[i]`.
    pub fn waf(&self, i: usize) -> Option<&WafState> {
        self.waf.get(i).and_then(Option::as_ref)
    }

    /// Lines and counts of `Layout::log_groups[i]`.
    pub fn log_group(&self, i: usize) -> Option<&LogGroupState> {
        self.logs.get(i)
    }

    pub fn alarms(&self) -> &AlarmBook {
        &self.alarms
    }

    /// Runbook progress, incidents, annotations, confirmations.
    pub fn operator(&self) -> &OperatorLog {
        &self.operator
    }

    /// Leadership summaries written to the log and their delivery outcomes.
    /// Who is in the room.
    pub fn room(&self) -> &Room {
        &self.room
    }

    pub fn summaries(&self) -> &SummaryBook {
        &self.summaries
    }

    pub fn stats(&self) -> FoldStats {
        self.stats
    }
}

/// End of the newest bucket for which any series of the batch has a datapoint: the region's
/// reporting frontier. Before it, an absent counter point means zero; after it, not yet known.
/// The source whose polls feed `s`.
fn feeding_source(s: &Series) -> SourceId {
    if crate::config::is_quota_series(s) {
        SourceId::new(SourceKind::Quotas, &s.region)
    } else {
        SourceId::metrics(&s.region)
    }
}

fn reported_until(
    b: &MetricBatch,
    ix: &std::collections::HashMap<String, usize>,
    series: &[SeriesBuf],
) -> DateTime<Utc> {
    b.series
        .iter()
        .filter_map(|sd| {
            let period = ix.get(&sd.id).map_or(60, |&i| series[i].period_secs());
            sd.points
                .iter()
                .map(|pt| pt.ts + TimeDelta::seconds(period))
                .max()
        })
        .max()
        .unwrap_or(b.start)
}
