//! The evaluator: judges a `State` at an evaluation time into an [`Evaluation`] (what the views,
//! summaries and reports read) and reports what changed since the previous evaluation as
//! timeline entries. Its only memory is the return-to-normal streak and the previous overall
//! status and trigger states; evaluation times come from the event log, so it is deterministic.

use chrono::{DateTime, TimeDelta, Utc};

use super::health::{self, HealthStatus};
use super::rollup::{self, Index, PanelStatus};
use super::rtn::{self, RtnStatus, Streak};
use super::runbook::{StepState, TriggerState, step_state};
use super::threshold::{SeriesStatus, series_status};
use super::timeline::{TimelineEntry, TimelineKind};
use super::truth::Ctx;
use crate::config::layout::Layout;
use crate::model::Status;
use crate::store::State;

/// Everything judged at one evaluation time. Vectors are in layout order where they mirror
/// the layout (`series`, `panels`, `steps`, `rtn.criteria`).
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub at: DateTime<Utc>,
    /// The room's status: the data's, no better than the floor open incidents set.
    pub overall: Status,
    /// The data's status alone (the panels), before any incident's floor: outages are the
    /// periods it was RED.
    pub data_overall: Status,
    /// Why the overall status is worse than the data's, when an open incident sets it
    /// (`INC-1 critical open`).
    pub floor: Option<String>,
    /// Status per AWS region, sorted by region.
    pub regions: Vec<(String, Status)>,
    /// One per `Layout::panels`.
    pub panels: Vec<PanelStatus>,
    /// One per `Layout::series`.
    pub series: Vec<SeriesStatus>,
    /// Target groups, accelerators, web ACLs, log groups (layout order), then `alarms`.
    pub health: Vec<HealthStatus>,
    /// One per runbook step.
    pub steps: Vec<StepState>,
    pub rtn: RtnStatus,
    /// Age of the freshest series data (`now` minus the end of the newest bucket of any series).
    pub data_age: Option<TimeDelta>,
    /// Series with no fresh data.
    pub stale_series: usize,
    /// What changed since the previous evaluation (status, triggers, return to normal).
    pub timeline: Vec<TimelineEntry>,
}

impl Evaluation {
    /// A health group by id (`seoul.tg`, `ga`, `alarms`, ...).
    pub fn health(&self, id: &str) -> Option<&HealthStatus> {
        self.health.iter().find(|h| h.id == id)
    }

    /// Whether any accelerator is failing open (no healthy endpoint anywhere).
    pub fn fail_open(&self) -> bool {
        self.health.iter().any(|h| h.fail_open)
    }

    /// A runbook step by id.
    pub(crate) fn step(&self, id: &str) -> Option<&StepState> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// Judges states over time, remembering only what the timeline and the streak need.
#[derive(Debug, Clone)]
pub struct Evaluator {
    /// A copy of the layout (cloned once), so the evaluator can live beside it without borrows.
    layout: Layout,
    index: Index,
    streak: Streak,
    prev_overall: Status,
    /// The data's status at the previous call (the overall status before incident floors).
    prev_data: Status,
    prev_steps: Vec<TriggerState>,
    /// Per step: when its current firing began.
    firing_since: Vec<Option<DateTime<Utc>>>,
    /// Per step: when its newest firing began, kept after it clears (the current episode).
    episode: Vec<Option<DateTime<Utc>>>,
    /// Per step: fired and not cleared since (missing data does not clear a firing).
    open: Vec<bool>,
    series: SeriesCache,
}

impl Evaluator {
    pub fn new(layout: &Layout) -> Self {
        let steps = layout.runbook.as_ref().map_or(0, |r| r.steps.len());
        Evaluator {
            layout: layout.clone(),
            index: Index::new(layout),
            streak: Streak::default(),
            prev_overall: Status::Blind,
            prev_data: Status::Blind,
            prev_steps: vec![TriggerState::Idle; steps],
            firing_since: vec![None; steps],
            episode: vec![None; steps],
            open: vec![false; steps],
            series: SeriesCache::default(),
        }
    }

    /// The layout judged against.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Judges `state` at `now` and records what changed since the previous call.
    pub fn evaluate(&mut self, state: &State, now: DateTime<Utc>) -> Evaluation {
        let layout = &self.layout;
        let series = self.series.judge(layout, state, now);
        let mut e = judge_with(layout, &self.index, state, now, series);
        let t0 = layout.event.start;
        let entry = |kind| TimelineEntry { at: now, t0, kind };
        let mut timeline = Vec::new();
        let overall_changed = e.overall != self.prev_overall;
        if overall_changed {
            timeline.push(entry(TimelineKind::Status {
                from: self.prev_overall,
                to: e.overall,
                floor: e.floor.clone(),
            }));
            self.prev_overall = e.overall;
        }
        // The data changed under an incident's floor: the status entry (if any) does not say it.
        if e.data_overall != self.prev_data {
            if !(overall_changed && e.floor.is_none()) {
                timeline.push(entry(TimelineKind::Data {
                    from: self.prev_data,
                    to: e.data_overall,
                    floor: e.floor.clone(),
                }));
            }
            self.prev_data = e.data_overall;
        }
        self.steps(&mut e, state, now, &mut timeline);
        let length = self.layout.return_to_normal.streak;
        let happened = event_happened(&self.layout, &e, now);
        for kind in self.streak.advance(&e.rtn.criteria, now, happened, length) {
            timeline.push(entry(kind));
        }
        e.rtn.streak_start = self.streak.start;
        e.rtn.declared = self.streak.declared;
        e.rtn.relapsed = self.streak.relapsed;
        e.rtn.event_seen = self.streak.event_seen;
        e.rtn.expected = self.streak.expected(length);
        e.timeline = timeline;
        e
    }
}

/// Whether the event has happened in the data at `now`, for the return-to-normal streak: at or
/// after T0, the overall status is YELLOW or RED (a threshold or health breach, or an open
/// incident's floor) or a runbook step fires; or the event's scheduled end has passed.
fn event_happened(layout: &Layout, e: &Evaluation, now: DateTime<Utc>) -> bool {
    if now < layout.event.start {
        return false;
    }
    matches!(e.overall, Status::Yellow | Status::Red)
        || e.steps.iter().any(|s| s.trigger == TriggerState::Firing)
        || now >= layout.event.end
}

impl Evaluator {
    /// The steps' firings, episodes and timeline entries at `now`.
    fn steps(
        &mut self,
        e: &mut Evaluation,
        state: &State,
        now: DateTime<Utc>,
        timeline: &mut Vec<TimelineEntry>,
    ) {
        let Some(rb) = &self.layout.runbook else {
            return;
        };
        let t0 = self.layout.event.start;
        for (k, (step, st)) in rb.steps.iter().zip(&mut e.steps).enumerate() {
            let since = &mut self.firing_since[k];
            *since = match (st.trigger, *since) {
                (TriggerState::Firing, Some(t)) => Some(t),
                (TriggerState::Firing, None) => Some(now),
                _ => None,
            };
            st.firing_since = *since;
            // Each firing is an episode of its own, unanswered until someone answers it; it
            // ends when the trigger clears (missing data does not clear it).
            match st.trigger {
                TriggerState::Firing if !self.open[k] => {
                    self.open[k] = true;
                    self.episode[k] = Some(now);
                }
                TriggerState::Armed | TriggerState::Idle => self.open[k] = false,
                _ => {}
            }
            st.in_episode(self.episode[k], state.operator().step(&step.id));
            let prev = &mut self.prev_steps[k];
            if st.trigger != *prev {
                if TimelineKind::step_word(*prev, st.trigger).is_some() {
                    timeline.push(TimelineEntry {
                        at: now,
                        t0,
                        kind: TimelineKind::Step {
                            step: step.id.clone(),
                            title: step.title.clone(),
                            from: *prev,
                            to: st.trigger,
                        },
                    });
                }
                *prev = st.trigger;
            }
        }
    }
}

/// Judges `state` at `now`: every status, step and criterion; no streak, no timeline (the
/// [`Evaluator`] adds those).
pub fn judge(layout: &Layout, index: &Index, state: &State, now: DateTime<Utc>) -> Evaluation {
    let series: Vec<SeriesStatus> = layout
        .series
        .iter()
        .zip(state.all_series())
        .map(|(s, buf)| series_status(s, buf, now))
        .collect();
    judge_with(layout, index, state, now, series)
}

/// [`judge`] with the series statuses already judged (the [`Evaluator`] caches them).
fn judge_with(
    layout: &Layout,
    index: &Index,
    state: &State,
    now: DateTime<Utc>,
    series: Vec<SeriesStatus>,
) -> Evaluation {
    let mut health: Vec<HealthStatus> = Vec::with_capacity(index.health_ids.len());
    for (i, tg) in layout.target_groups.iter().enumerate() {
        health.push(health::target_group(i, tg, state, now));
    }
    for (i, acc) in layout.accelerators.iter().enumerate() {
        health.push(health::accelerator(i, acc, state, now));
    }
    for i in 0..layout.web_acls.len() {
        let members = index.acl_series.get(i).map_or(&[][..], Vec::as_slice);
        health.push(health::web_acl(layout, i, members, &series, state, now));
    }
    for i in 0..layout.log_groups.len() {
        health.push(health::log_group(layout, i, state, now));
    }
    health.push(health::alarms(layout, state, now));
    let panels = rollup::panels(layout, index, &series, &health);
    let regions = rollup::regions(layout, &series, &health);
    let (floor, floor_by) = rollup::incident_floor(state.operator().incidents());
    let data_overall = rollup::overall(&panels, &series, &health);
    let overall = data_overall.max(floor);
    let floor = floor_by.filter(|_| floor > data_overall);
    let cx = Ctx::new(layout, state, now);
    let steps = layout.runbook.as_ref().map_or_else(Vec::new, |rb| {
        rb.steps
            .iter()
            .map(|s| step_state(s, &cx, state.operator().step(&s.id)))
            .collect()
    });
    let criteria = rtn::criteria(&cx);
    let met = criteria.iter().filter(|c| c.truth.is_true()).count();
    let data_age = series.iter().filter_map(|s| s.age).min();
    let stale_series = series.iter().filter(|s| s.stale).count();
    Evaluation {
        at: now,
        overall,
        data_overall,
        floor,
        regions,
        panels,
        series,
        health,
        steps,
        rtn: RtnStatus {
            total: criteria.len(),
            met,
            criteria,
            streak: layout.return_to_normal.streak,
            streak_start: None,
            declared: None,
            relapsed: None,
            event_seen: None,
            expected: None,
            confirmed: state.operator().rtn_confirmed().cloned(),
        },
        data_age,
        stale_series,
        timeline: Vec::new(),
    }
}

/// Series judgements reused while a buffer is unchanged and its staleness the same: most
/// batches touch one region's series or none, and judging a thresholded series replays its
/// recent buckets.
#[derive(Debug, Clone, Default)]
struct SeriesCache {
    entries: Vec<Option<(u64, bool, SeriesStatus)>>,
}

impl SeriesCache {
    fn judge(&mut self, layout: &Layout, state: &State, now: DateTime<Utc>) -> Vec<SeriesStatus> {
        self.entries.resize(layout.series.len(), None);
        layout
            .series
            .iter()
            .zip(state.all_series())
            .zip(&mut self.entries)
            .map(|((series, buf), slot)| {
                let old_data = super::threshold::is_stale(buf, now);
                match slot {
                    // A stale judgement names the data's age, so only fresh ones are reused.
                    Some((version, was_stale, cached))
                        if !old_data && !*was_stale && *version == buf.version() =>
                    {
                        let mut fresh = cached.clone();
                        fresh.age = buf.latest().map(|l| now - (l.ts + buf.period()));
                        fresh
                    }
                    _ => {
                        let judged = series_status(series, buf, now);
                        *slot = Some((buf.version(), old_data, judged.clone()));
                        judged
                    }
                }
            })
            .collect()
    }
}
