//! The report as data: everything the Markdown and HTML renderers show, computed once from the
//! pass over the recording ([`super::collect`]). Renderers only format it.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::collect::{Collected, Period};
use super::criteria::{self, CriterionResult};
use super::entries::Entry;
use super::waf::{self, WafSection};
use crate::config::Layout;
use crate::config::layout::{SeriesSource, Threshold, Unit};
use crate::eval::availability::{self, Availability, Unjudged};
use crate::eval::runbook::episode_answers;
use crate::model::{Header, IncidentState, Severity, Source};
use crate::store::{AnswerKind, Mark, StepAnswer, ZERO_SETTLE};

#[derive(Debug, Clone)]
pub struct Report {
    pub(crate) name: String,
    pub t0: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    /// The event's own time zone first.
    pub(crate) time_zones: Vec<Tz>,
    /// Times need their date: the event or what the recording holds spans more than one day.
    pub dated: bool,
    /// Where the recording came from, in words.
    pub source: String,
    /// What the recording cannot contain (a backfill has no health snapshots, ...).
    pub limits: Vec<String>,
    /// First and last event of the recording.
    pub(crate) span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// What the tables and charts cover: from the first event or bucket the recording holds
    /// to the last.
    pub reach: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub criteria: Vec<CriterionResult>,
    pub availability: Result<Availability, Unjudged>,
    pub peaks: Vec<Peak>,
    pub timeline: Vec<Entry>,
    pub steps: Vec<StepTimes>,
    pub incidents: Vec<IncidentTimes>,
    /// Periods the data was RED (not an incident's floor): the outages, whether or not the room opened an
    /// incident for them.
    pub outages: Vec<Period>,
    pub charts: Vec<Chart>,
    /// Periods shaded on every chart: overall status red, incidents open.
    pub shaded: Vec<Shade>,
    pub waf: Vec<WafSection>,
    pub quality: Quality,
    /// The readiness report recorded at the start, if the session made one.
    pub(crate) readiness: Option<crate::model::readiness::ReadinessReport>,
}

impl Report {
    pub(crate) fn tz(&self) -> Tz {
        self.time_zones.first().copied().unwrap_or(chrono_tz::UTC)
    }
}

/// A series' extreme against its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Peak {
    pub id: String,
    pub(crate) label: String,
    pub(crate) unit: Unit,
    pub baseline: Option<f64>,
    /// The worst value: the maximum, or the minimum for series judged `below`.
    pub worst: Option<(DateTime<Utc>, f64)>,
    pub(crate) low: bool,
    /// "crit", "warn" or "" for the worst value against the thresholds.
    pub(crate) crossed: &'static str,
    /// The level the event expected (`target` in the layout), and the highest value of the
    /// event window: reached when at or above it.
    pub(crate) target: Option<f64>,
    pub(crate) best: Option<f64>,
}

/// A runbook step's response times.
#[derive(Debug, Clone, PartialEq)]
pub struct StepTimes {
    pub id: String,
    pub(crate) title: String,
    /// First time its trigger fired, and how many times it fired.
    pub fired: Option<DateTime<Utc>>,
    pub(crate) times_fired: usize,
    pub acked: Option<Mark>,
    pub done: Option<Mark>,
    pub(crate) skipped: Option<Mark>,
    /// Each firing with the answers made in its episode: response times are per firing.
    pub firings: Vec<FiringTimes>,
}

/// One firing of a step and what answered it: the first ack, done and skip made from its start
/// until the next firing began. An answer made before it answers an earlier episode.
#[derive(Debug, Clone, PartialEq)]
pub struct FiringTimes {
    pub at: DateTime<Utc>,
    pub acked: Option<Mark>,
    pub done: Option<Mark>,
    pub skipped: Option<Mark>,
    /// The newest answer before this firing, when nothing answered it: history.
    pub earlier: Option<StepAnswer>,
}

impl FiringTimes {
    /// The firings of a step that began at `starts` (oldest first), answered from `answers`.
    fn of(starts: &[DateTime<Utc>], answers: &[StepAnswer]) -> Vec<FiringTimes> {
        starts
            .iter()
            .enumerate()
            .map(|(k, &at)| {
                let next = starts.get(k + 1).copied();
                let first = |kind| episode_answers(answers, at, next, kind).cloned();
                let acked = first(AnswerKind::Ack);
                let done = first(AnswerKind::Done);
                let skipped = first(AnswerKind::Skip);
                let answered = acked.is_some() || done.is_some() || skipped.is_some();
                let earlier = (!answered)
                    .then(|| answers.iter().rev().find(|a| a.mark.at < at).cloned())
                    .flatten();
                FiringTimes {
                    at,
                    acked,
                    done,
                    skipped,
                    earlier,
                }
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentTimes {
    pub id: String,
    pub(crate) title: Option<String>,
    pub(crate) severity: Option<Severity>,
    pub(crate) state: Option<IncidentState>,
    pub opened: Mark,
    pub resolved: Option<DateTime<Utc>>,
    /// When the impact started (`eval::impact::impact_start`: the room's own start, else when
    /// the data went RED around the opening, else the opening).
    pub impact_start: DateTime<Utc>,
}

impl IncidentTimes {
    /// From the start of the impact to the resolution.
    pub fn time_to_resolve(&self) -> Option<chrono::TimeDelta> {
        self.resolved.map(|t| t - self.impact_start)
    }
}

/// One chart: a series over the recording with its baseline and thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem and element id.
    pub id: String,
    pub(crate) title: String,
    pub(crate) unit: Unit,
    pub points: Vec<(DateTime<Utc>, Option<f64>)>,
    pub(crate) baseline: Option<f64>,
    pub(crate) threshold: Option<Threshold>,
    /// The event target: a dashed line over the event window.
    pub(crate) target: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shade {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub label: String,
}

/// Buckets with no data inside a region's coverage, grouped when several series share them.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub(crate) from: DateTime<Utc>,
    pub(crate) to: DateTime<Utc>,
    pub series: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Quality {
    pub gaps: Vec<Gap>,
    pub stale: Vec<Period>,
    pub outages: Vec<(String, Period)>,
    /// The reader's note about lines it skipped.
    pub skipped: Option<String>,
    /// Where the post-mortem notes came from (`1 post-mortem notes from ...`).
    pub postmortem: Option<String>,
    /// Events naming ids the layout does not know.
    pub(crate) unknown_ids: u64,
}

/// Builds the report from the header, the layout embedded in it and the pass's results.
pub fn analyse(header: &Header, layout: &Layout, c: &Collected, skipped: Option<String>) -> Report {
    let (from, to) = c.reach.unwrap_or((layout.event.start, layout.event.end));
    let to_bucket = to + TimeDelta::seconds(1);
    let state = &c.state;
    let availability = availability::availability(layout, state, from, to_bucket);
    let criteria = criteria::judge(
        layout,
        state,
        availability.as_ref().map_err(|e| *e),
        &c.held,
    );
    // Peaks, totals and shares are the event window's: what happened before T0 (the first
    // poll reaches hours back) or after the end is not the event's.
    let (ev_from, ev_to) = (layout.event.start, layout.event.end);
    let peaks = layout
        .series
        .iter()
        .enumerate()
        .filter(|(_, s)| s.baseline.is_some() || s.threshold.is_some() || s.target.is_some())
        .map(|(i, s)| {
            peak(
                s,
                state
                    .series(i)
                    .iter_window(ev_from, ev_to)
                    .filter_map(|x| x.value().map(|v| (x.ts, v))),
            )
        })
        .collect();
    let steps = steps(layout, c);
    let incidents = incidents(c);
    let charts = charts(layout, c, from, to_bucket);
    let mut shaded: Vec<Shade> = c
        .red
        .iter()
        .map(|p| Shade {
            from: p.from,
            to: p.to,
            label: "status red".into(),
        })
        .collect();
    shaded.extend(incidents.iter().map(|i| Shade {
        from: i.impact_start,
        to: i.resolved.unwrap_or(to),
        label: format!("incident {}", i.id),
    }));
    let (source, limits) = describe(&header.source);
    Report {
        name: layout.event.name.clone(),
        t0: layout.event.start,
        end: layout.event.end,
        time_zones: layout.event.time_zones.clone(),
        dated: crate::time::crosses_day(
            from.min(layout.event.start),
            to.max(layout.event.end),
            layout.event.tz(),
        ),
        source,
        limits,
        span: c.span,
        reach: c.reach,
        criteria,
        availability,
        peaks,
        timeline: c.entries.clone(),
        steps,
        incidents,
        outages: c.red.clone(),
        charts,
        shaded,
        waf: waf::sections(layout, &c.waf, state, (from, to_bucket), (ev_from, ev_to)),
        quality: Quality {
            gaps: gaps(layout, c),
            stale: c.stale.clone(),
            outages: c.outages.clone(),
            skipped,
            postmortem: None,
            unknown_ids: state.stats().unknown_ids,
        },
        readiness: c.readiness.clone(),
    }
}

fn steps(layout: &Layout, c: &Collected) -> Vec<StepTimes> {
    let state = &c.state;
    layout.runbook.as_ref().map_or_else(Vec::new, |rb| {
        rb.steps
            .iter()
            .map(|s| {
                let p = state.operator().step(&s.id);
                let fired = c.fired.get(&s.id);
                StepTimes {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    fired: fired.map(|f| f.0),
                    times_fired: fired.map_or(0, |f| f.1),
                    acked: p.and_then(|p| p.acked.clone()),
                    done: p.and_then(|p| p.done.clone()),
                    skipped: p.and_then(|p| p.skipped.clone()),
                    firings: FiringTimes::of(
                        c.episodes.get(&s.id).map_or(&[][..], Vec::as_slice),
                        &p.map(|p| p.answers.iter().cloned().collect::<Vec<_>>())
                            .unwrap_or_default(),
                    ),
                }
            })
            .collect()
    })
}

fn incidents(c: &Collected) -> Vec<IncidentTimes> {
    let state = &c.state;
    let mut incidents: Vec<IncidentTimes> = state
        .operator()
        .incidents()
        .map(|i| IncidentTimes {
            id: i.id.clone(),
            title: i.fields.title.clone(),
            severity: i.fields.severity,
            state: i.fields.state,
            opened: i.opened.clone(),
            resolved: c.resolved.get(&i.id).copied(),
            impact_start: crate::eval::impact::impact_start(
                i,
                c.red.iter().map(|p| (p.from, p.to)),
            ),
        })
        .collect();
    incidents.sort_by(|a, b| a.opened.at.cmp(&b.opened.at).then(a.id.cmp(&b.id)));
    incidents
}

fn charts(
    layout: &Layout,
    c: &Collected,
    from: DateTime<Utc>,
    to_bucket: DateTime<Utc>,
) -> Vec<Chart> {
    let state = &c.state;
    layout
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| Chart {
            id: s.id.clone(),
            title: s.label.clone(),
            unit: s.unit,
            points: state
                .series(i)
                .iter_window(from, to_bucket)
                .map(|x| (x.ts, x.value()))
                .collect(),
            baseline: s.baseline,
            threshold: s.threshold.clone(),
            target: s.target,
        })
        .collect()
}

fn peak(
    s: &crate::config::layout::Series,
    values: impl Iterator<Item = (DateTime<Utc>, f64)>,
) -> Peak {
    let low = s.worst_is_lowest();
    let mut best: Option<f64> = None;
    let worst = values.fold(None, |acc: Option<(DateTime<Utc>, f64)>, (t, v)| {
        best = Some(best.map_or(v, |b| b.max(v)));
        match acc {
            Some((_, w)) if (low && w <= v) || (!low && w >= v) => acc,
            _ => Some((t, v)),
        }
    });
    let crossed = match (&s.threshold, worst) {
        (Some(th), Some((_, v))) => {
            let past = |x: Option<f64>| x.is_some_and(|x| if low { v < x } else { v > x });
            if past(th.crit) {
                "crit"
            } else if past(th.warn) {
                "warn"
            } else {
                ""
            }
        }
        _ => "",
    };
    Peak {
        id: s.id.clone(),
        label: s.label.clone(),
        unit: s.unit,
        baseline: s.baseline,
        worst,
        low,
        crossed,
        target: s.target,
        best,
    }
}

/// Runs of missing buckets of every metric series inside its region's coverage (the newest
/// [`ZERO_SETTLE`] left out: data still arriving), grouped by identical runs.
fn gaps(layout: &Layout, c: &Collected) -> Vec<Gap> {
    let mut runs: std::collections::BTreeMap<(DateTime<Utc>, DateTime<Utc>), Vec<String>> =
        std::collections::BTreeMap::new();
    for (i, s) in layout.series.iter().enumerate() {
        if !matches!(s.source, SeriesSource::Metric(_)) {
            continue;
        }
        let Some(&(from, to)) = c.coverage.get(&s.region) else {
            continue;
        };
        let buf = c.state.series(i);
        let mut open: Option<DateTime<Utc>> = None;
        let mut last_end = from;
        for x in buf.iter_window(from, to - ZERO_SETTLE) {
            last_end = x.ts + buf.period();
            match (open, x.value().is_some()) {
                (None, false) => open = Some(x.ts),
                (Some(start), true) => {
                    runs.entry((start, x.ts)).or_default().push(s.id.clone());
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(start) = open {
            runs.entry((start, last_end))
                .or_default()
                .push(s.id.clone());
        }
    }
    runs.into_iter()
        .map(|((from, to), series)| Gap { from, to, series })
        .collect()
}

/// The source in words, and what such a recording cannot hold.
fn describe(source: &Source) -> (String, Vec<String>) {
    match source {
        Source::Simulator { scenario, seed } => (
            format!("the built-in simulator, scenario {scenario}, seed {seed}"),
            Vec::new(),
        ),
        Source::Aws {
            accounts, regions, ..
        } => (
            format!(
                "live AWS polling (accounts {}; regions {})",
                accounts.join(", "),
                regions.join(", ")
            ),
            Vec::new(),
        ),
        Source::Backfill {
            regions,
            from,
            to,
            missing,
            ..
        } => (
            format!(
                "backfilled from CloudWatch history ({} to {} UTC; regions {}): metrics and alarm state changes only",
                from.format("%Y-%m-%d %H:%M"),
                to.format("%Y-%m-%d %H:%M"),
                regions.join(", ")
            ),
            missing.clone(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hm: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("2026-06-13T{hm}:00Z"))
            .map(|d| d.with_timezone(&Utc))
            .expect("time")
    }

    fn answer(kind: AnswerKind, who: &str, hm: &str) -> StepAnswer {
        StepAnswer {
            kind,
            mark: Mark {
                who: who.into(),
                at: at(hm),
            },
        }
    }

    #[test]
    fn response_times_are_per_firing_and_never_negative() {
        // Acked at 20:04 while armed, fired at 20:11 (unanswered), acked at 20:13; fired again
        // at 20:30 and done at 20:32 without a new ack.
        let answers = [
            answer(AnswerKind::Ack, "kim", "20:04"),
            answer(AnswerKind::Ack, "noc1", "20:13"),
            answer(AnswerKind::Done, "noc1", "20:32"),
        ];
        let f = FiringTimes::of(&[at("20:11"), at("20:30")], &answers);
        assert_eq!(f.len(), 2);
        let first_ack = f[0].acked.as_ref().map(|m| m.at - f[0].at);
        assert_eq!(
            first_ack,
            Some(TimeDelta::minutes(2)),
            "not -7m: the 20:04 ack was earlier"
        );
        assert!(f[0].done.is_none());
        assert!(
            f[1].acked.is_none(),
            "the 20:13 ack answered the first firing"
        );
        assert_eq!(f[1].done.as_ref().map(|m| m.at), Some(at("20:32")));
        // Nothing answered it: the earlier answer is history.
        let f = FiringTimes::of(&[at("20:11")], &answers[..1]);
        assert!(f[0].acked.is_none());
        assert_eq!(f[0].earlier.as_ref().map(|a| a.mark.at), Some(at("20:04")));
    }
}
