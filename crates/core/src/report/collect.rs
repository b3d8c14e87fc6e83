//! The one pass over a recording: every batch goes through the same [`Pipeline`] the room ran
//! (so statuses, triggers and return to normal are exactly what was seen), and beside it the
//! report gathers what the dashboard does not keep: the detailed timeline, red and stale
//! periods, source outages, incident resolutions, WAF samples, each region's metric coverage.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};

use super::bounds;
use super::entries::{self, Category, Entry, Tracker};
use super::waf::WafAgg;
use crate::config::Layout;
use crate::eval::success::Held;
use crate::eval::{Ctx, truth};
use crate::model::{Event, EventBody, IncidentState, OperatorAction, SourceState, Status};
use crate::pipeline::{Pipeline, batches};
use crate::store::State;

/// A span of time, `open` when it had not ended by the end of the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub open: bool,
    /// What held during it (a source state and detail, stale series, ...).
    pub detail: String,
}

impl Period {
    pub fn length(&self) -> TimeDelta {
        self.to - self.from
    }
}

/// Everything gathered in the pass.
pub struct Collected {
    /// The final state, holding every bucket of the recording.
    pub(crate) state: State,
    /// The timeline, oldest first (ties keep the order they were seen in).
    pub(crate) entries: Vec<Entry>,
    /// Per runbook step: first time it started firing, and how many times it did.
    pub(crate) fired: BTreeMap<String, (DateTime<Utc>, usize)>,
    /// Per runbook step: when each of its firings began (its episodes, as the evaluation has
    /// them), oldest first.
    pub(crate) episodes: BTreeMap<String, Vec<DateTime<Utc>>>,
    /// Periods the data was Red (the overall status before any incident's floor).
    pub(crate) red: Vec<Period>,
    /// Periods some series had no fresh data (after every region first reported).
    pub(crate) stale: Vec<Period>,
    /// Periods a source was not `ok`, per source, in time order.
    pub(crate) outages: Vec<(String, Period)>,
    /// When each incident was first set to resolved.
    pub(crate) resolved: BTreeMap<String, DateTime<Utc>>,
    pub(crate) waf: WafAgg,
    /// Per region: start of the first metric window and end of the last.
    pub(crate) coverage: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>,
    /// Time of the first and last event.
    pub(crate) span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The first readiness report of the recording (made when the session started).
    pub(crate) readiness: Option<crate::model::readiness::ReadinessReport>,
    /// What the report covers: from the first event or bucket the recording holds to the last
    /// (its metric batches carry history from before the first event, and buckets arrive
    /// late), within what the state keeps.
    pub(crate) reach: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Per success criterion with a `when` condition: how it held inside the event window.
    pub(crate) held: Vec<Option<Held>>,
}

/// Runs the recording's events (in time order) through the pipeline and gathers the report's
/// material.
pub fn collect(layout: &Layout, events: Vec<Event>) -> Collected {
    let span = events
        .iter()
        .fold(None, |s: Option<(DateTime<Utc>, DateTime<Utc>)>, e| {
            Some(s.map_or((e.at, e.at), |(a, b)| (a.min(e.at), b.max(e.at))))
        });
    let reach = bounds::reach(&events);
    let history = bounds::history(&events, reach);
    let reach = reach.map(|(a, b)| (a.max(b - history), b));
    let readiness = events.iter().find_map(|e| match &e.body {
        EventBody::Readiness(r) => Some(r.clone()),
        _ => None,
    });
    let mut pipeline = Pipeline::with_history(layout, history);
    let mut tracker = Tracker::default();
    let mut c = Gather::new(layout);
    if span.is_some_and(|(a, b)| (a..=b).contains(&layout.event.start)) {
        c.entries.push(Entry::new(
            layout.event.start,
            Category::Event,
            "T0: the event starts",
        ));
    }
    for batch in batches(events) {
        let at = batch.iter().map(|e| e.at).max().unwrap_or(batch[0].at);
        for e in &batch {
            tracker.observe(layout, e, &mut c.entries);
            c.event(layout, e);
        }
        for t in pipeline.ingest(&batch) {
            if let Some(step) = entries::fired_step(&t) {
                let f = c.fired.entry(step.to_string()).or_insert((t.at, 0));
                f.1 += 1;
            }
            c.entries.push(entries::from_eval(&t));
        }
        if let Some(e) = pipeline.evaluation() {
            c.episodes(e);
            c.track(layout, at, e);
        }
        c.judge_success(layout, pipeline.state(), at);
    }
    if span.is_some_and(|(_, end)| layout.event.end <= end) {
        c.entries.push(Entry::new(
            layout.event.end,
            Category::Event,
            "the event window ends",
        ));
    }
    let end = span.map_or(layout.event.end, |s| s.1);
    c.finish(layout, end);
    let mut entries = c.entries;
    entries.sort_by_key(|e| e.at);
    Collected {
        state: pipeline.state().clone(),
        entries,
        fired: c.fired,
        episodes: c.episodes,
        red: c.red,
        stale: c.stale,
        outages: c.outages,
        resolved: c.resolved,
        waf: c.waf,
        coverage: c.coverage,
        span,
        readiness,
        reach,
        held: c.held,
    }
}

/// The pass's working state.
struct Gather {
    entries: Vec<Entry>,
    fired: BTreeMap<String, (DateTime<Utc>, usize)>,
    episodes: BTreeMap<String, Vec<DateTime<Utc>>>,
    red: Vec<Period>,
    red_since: Option<DateTime<Utc>>,
    stale: Vec<Period>,
    stale_since: Option<(DateTime<Utc>, BTreeSet<String>)>,
    outages: Vec<(String, Period)>,
    down: BTreeMap<String, (DateTime<Utc>, String)>,
    resolved: BTreeMap<String, DateTime<Utc>>,
    waf: WafAgg,
    coverage: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>,
    regions: usize,
    held: Vec<Option<Held>>,
}

/// Firings of one step the report lists at most (the newest are dropped past it).
const EPISODES_KEPT: usize = 500;

impl Gather {
    /// Each step's firings, as the evaluation begins them.
    fn episodes(&mut self, e: &crate::eval::Evaluation) {
        for st in &e.steps {
            let Some(start) = st.episode else { continue };
            let v = self.episodes.entry(st.id.clone()).or_default();
            if v.last() != Some(&start) && v.len() < EPISODES_KEPT {
                v.push(start);
            }
        }
    }

    fn new(layout: &Layout) -> Self {
        Gather {
            entries: Vec::new(),
            fired: BTreeMap::new(),
            episodes: BTreeMap::new(),
            red: Vec::new(),
            red_since: None,
            stale: Vec::new(),
            stale_since: None,
            outages: Vec::new(),
            down: BTreeMap::new(),
            resolved: BTreeMap::new(),
            waf: WafAgg::new(layout),
            coverage: BTreeMap::new(),
            regions: super::cloudwatch_regions(layout),
            held: layout
                .event
                .success_criteria
                .iter()
                .map(|c| c.when.as_ref().map(|_| Held::default()))
                .collect(),
        }
    }

    /// Success criteria with a `when` condition, judged at each evaluation inside the event
    /// window.
    fn judge_success(&mut self, layout: &Layout, state: &State, at: DateTime<Utc>) {
        if !(layout.event.start..layout.event.end).contains(&at) {
            return;
        }
        let cx = Ctx::new(layout, state, at);
        for (c, held) in layout.event.success_criteria.iter().zip(&mut self.held) {
            if let (Some((_, expr)), Some(h)) = (&c.when, held) {
                h.observe(at, truth(expr, &cx).value);
            }
        }
    }

    fn event(&mut self, layout: &Layout, e: &Event) {
        match &e.body {
            EventBody::Metrics(b) => {
                let c = self
                    .coverage
                    .entry(b.region.clone())
                    .or_insert((b.start, b.end));
                c.0 = c.0.min(b.start);
                c.1 = c.1.max(b.end);
            }
            EventBody::WafSample(b) => self.waf.add(layout, b),
            EventBody::SourceStatus(s) => {
                let ok = s.state == SourceState::Ok;
                match (self.down.contains_key(&s.source), ok) {
                    (false, false) => {
                        let detail = match &s.detail {
                            Some(d) => format!("{}: {d}", s.state.as_str()),
                            None => s.state.as_str().to_string(),
                        };
                        self.down.insert(s.source.clone(), (e.at, detail));
                    }
                    (true, true) => {
                        if let Some((from, detail)) = self.down.remove(&s.source) {
                            self.outages.push((
                                s.source.clone(),
                                Period {
                                    from,
                                    to: e.at,
                                    open: false,
                                    detail,
                                },
                            ));
                        }
                    }
                    _ => {}
                }
            }
            EventBody::Operator(o) => {
                if let OperatorAction::IncidentOpen { id, fields }
                | OperatorAction::IncidentUpdate { id, fields, .. } = &o.action
                    && fields.state == Some(IncidentState::Resolved)
                    && !o.post_mortem
                {
                    self.resolved.entry(id.clone()).or_insert(e.at);
                }
            }
            _ => {}
        }
    }

    fn track(&mut self, layout: &Layout, at: DateTime<Utc>, e: &crate::eval::Evaluation) {
        // Outages are the data's: an open incident's floor on the overall status is not one.
        match (self.red_since, e.data_overall == Status::Red) {
            (None, true) => self.red_since = Some(at),
            (Some(from), false) => {
                self.red.push(Period {
                    from,
                    to: at,
                    open: false,
                    detail: String::new(),
                });
                self.red_since = None;
            }
            _ => {}
        }
        // Staleness counts only once every region has reported: before, nothing was expected.
        if self.coverage.len() < self.regions {
            return;
        }
        let stale: Vec<&str> = e
            .series
            .iter()
            .zip(&layout.series)
            .filter(|(s, _)| s.stale)
            .map(|(_, d)| d.id.as_str())
            .collect();
        match (&mut self.stale_since, stale.is_empty()) {
            (None, false) => {
                self.stale_since = Some((at, stale.iter().map(|s| (*s).to_string()).collect()));
            }
            (Some((_, ids)), false) => ids.extend(stale.iter().map(|s| (*s).to_string())),
            (Some(_), true) => {
                if let Some((from, ids)) = self.stale_since.take() {
                    self.stale.push(stale_period(from, at, false, &ids));
                }
            }
            (None, true) => {}
        }
    }

    fn finish(&mut self, layout: &Layout, end: DateTime<Utc>) {
        for h in self.held.iter_mut().flatten() {
            h.finish(end.min(layout.event.end));
        }
        // A period that began at the last evaluation has no length: nothing to list.
        if let Some(from) = self.red_since.take().filter(|f| *f < end) {
            self.red.push(Period {
                from,
                to: end,
                open: true,
                detail: String::new(),
            });
        }
        if let Some((from, ids)) = self.stale_since.take().filter(|(f, _)| *f < end) {
            self.stale.push(stale_period(from, end, true, &ids));
        }
        for (source, (from, detail)) in std::mem::take(&mut self.down) {
            self.outages.push((
                source,
                Period {
                    from,
                    to: end,
                    open: true,
                    detail,
                },
            ));
        }
        self.outages
            .sort_by(|a, b| a.1.from.cmp(&b.1.from).then(a.0.cmp(&b.0)));
    }
}

/// Series named in a stale period's detail, at most.
const STALE_NAMED: usize = 6;

fn stale_period(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    open: bool,
    ids: &BTreeSet<String>,
) -> Period {
    let mut names: Vec<&str> = ids.iter().map(String::as_str).take(STALE_NAMED).collect();
    if ids.len() > STALE_NAMED {
        names.push("...");
    }
    Period {
        from,
        to,
        open,
        detail: format!("{} series: {}", ids.len(), names.join(", ")),
    }
}
