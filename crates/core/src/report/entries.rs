//! The report's timeline entries and the tracker that turns recorded events into them: target
//! and endpoint health changes, traffic-dial changes, alarm transitions, source failures and
//! operator actions. The evaluator's own entries (status, runbook triggers, return to normal)
//! are mapped here too, so the whole timeline is one list of [`Entry`].
//!
//! Adding an event kind to the timeline is one arm in [`Tracker::observe`]; summaries written
//! and delivered are [`Category::Summary`] entries.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::config::Layout;
use crate::eval::{TimelineEntry, TimelineKind, TriggerState};
use crate::model::summary::DeliveryState;
use crate::model::{
    AlarmSnapshot, AlarmState, Event, EventBody, GaHealth, GaSnapshot, OperatorAction,
    OperatorEvent, SourceState, SourceStatus, TargetHealthSnapshot,
};
use crate::store::{TargetCounts, group_health};

/// What an entry is about (one column of the timeline table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// The event window itself: T0, the end.
    Event,
    /// The overall status.
    Status,
    /// A runbook step's trigger.
    Runbook,
    /// Return-to-normal streak, declaration and confirmation.
    ReturnToNormal,
    Alarm,
    /// ALB target-group health.
    Targets,
    /// Global Accelerator endpoint-group health.
    Endpoint,
    /// Global Accelerator traffic dial.
    Dial,
    /// Operator actions on runbook steps, annotations.
    Operator,
    Incident,
    /// Leadership summaries sent.
    Summary,
    /// A poller's status (throttled, error, ...).
    Source,
}

impl Category {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Category::Event => "event",
            Category::Status => "status",
            Category::Runbook => "runbook",
            Category::ReturnToNormal => "return to normal",
            Category::Alarm => "alarm",
            Category::Targets => "targets",
            Category::Endpoint => "endpoint",
            Category::Dial => "dial",
            Category::Operator => "operator",
            Category::Incident => "incident",
            Category::Summary => "summary",
            Category::Source => "source",
        }
    }
}

/// One line of the report's timeline. `text` is raw (may hold hostile text): renderers escape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub category: Category,
    pub text: String,
    /// An annotation made while replaying, not by the room during the event.
    pub(crate) post_mortem: bool,
}

impl Entry {
    pub(crate) fn new(at: DateTime<Utc>, category: Category, text: impl Into<String>) -> Self {
        Entry {
            at,
            category,
            text: text.into(),
            post_mortem: false,
        }
    }
}

/// An evaluator entry as a report entry.
pub(crate) fn from_eval(e: &TimelineEntry) -> Entry {
    let category = match &e.kind {
        TimelineKind::Status { .. } | TimelineKind::Data { .. } => Category::Status,
        TimelineKind::Step { .. } => Category::Runbook,
        TimelineKind::RtnStarted { .. }
        | TimelineKind::RtnBroken { .. }
        | TimelineKind::RtnDeclared { .. }
        | TimelineKind::RtnRelapse { .. } => Category::ReturnToNormal,
        TimelineKind::Alarm { .. } => Category::Alarm,
        TimelineKind::Health { .. } => Category::Targets,
        TimelineKind::Dial { .. } => Category::Dial,
        TimelineKind::Operator { .. } | TimelineKind::Room { .. } => Category::Operator,
    };
    Entry::new(e.at, category, e.body())
}

/// Whether an evaluator entry is a step starting to fire (for response times).
pub(crate) fn fired_step(e: &TimelineEntry) -> Option<&str> {
    match &e.kind {
        TimelineKind::Step { step, from, to, .. }
            if *to == TriggerState::Firing && *from != TriggerState::Firing =>
        {
            Some(step)
        }
        _ => None,
    }
}

/// Longest alarm reason kept in an entry.
const REASON_CHARS: usize = 200;

/// The previous state of everything whose changes make timeline entries.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    /// Per target group: (unhealthy, none healthy).
    targets: BTreeMap<String, (usize, bool)>,
    /// Per (accelerator, region): (health, dial).
    groups: BTreeMap<(String, String), (GaHealth, f64)>,
    alarms: BTreeMap<String, AlarmState>,
    sources: BTreeMap<String, SourceState>,
}

impl Tracker {
    /// The entries one recorded event makes, appended to `out`.
    pub(crate) fn observe(&mut self, layout: &Layout, e: &Event, out: &mut Vec<Entry>) {
        match &e.body {
            EventBody::Metrics(_)
            | EventBody::WafSample(_)
            | EventBody::Logs(_)
            | EventBody::Tick => {}
            EventBody::TargetHealth(s) => self.targets(layout, e.at, s, out),
            EventBody::GaEndpoints(s) => self.endpoints(layout, e.at, s, out),
            EventBody::Alarms(s) => self.alarms(s, out),
            EventBody::SourceStatus(s) => self.source(e.at, s, out),
            EventBody::Operator(o) => out.push(operator(e.at, o, layout.event.tz())),
            EventBody::Room(c) => out.push(Entry::new(e.at, Category::Operator, room_line(c))),
            EventBody::Readiness(r) => out.push(Entry::new(
                e.at,
                Category::Event,
                super::readiness::timeline_line(r),
            )),
            EventBody::Summary(r) => out.push(Entry::new(
                e.at,
                Category::Summary,
                format!(
                    "summary #{} ({}) {}: {}",
                    r.summary.seq,
                    r.summary.kind_word(),
                    r.summary.overall,
                    r.summary.title_line()
                ),
            )),
            // Sent, and the first failure of each attempt series (retries are not repeated).
            EventBody::SummaryDelivery(d) => match d.state {
                DeliveryState::Sent => out.push(Entry::new(
                    e.at,
                    Category::Summary,
                    format!("summary {} sent to {}", d.id, d.sink),
                )),
                DeliveryState::Failed if d.attempt == 1 => out.push(Entry::new(
                    e.at,
                    Category::Summary,
                    format!(
                        "summary {} not delivered to {}: {} (retrying)",
                        d.id,
                        d.sink,
                        d.detail.as_deref().unwrap_or("failed")
                    ),
                )),
                DeliveryState::Failed => {}
            },
        }
    }

    fn targets(
        &mut self,
        layout: &Layout,
        at: DateTime<Utc>,
        s: &TargetHealthSnapshot,
        out: &mut Vec<Entry>,
    ) {
        let c = TargetCounts::of(&s.targets);
        let now = (c.unhealthy, c.healthy == 0 && c.total > 0);
        let prev = self.targets.insert(s.target_group.clone(), now);
        let changed = match prev {
            Some(p) => p != now,
            None => now != (0, false),
        };
        if !changed {
            return;
        }
        let name = layout
            .target_groups
            .iter()
            .find(|t| t.id == s.target_group)
            .map_or(String::new(), |t| format!(" ({})", t.name));
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for t in s.targets.iter().filter(|t| t.state.as_str() != "healthy") {
            if let Some(r) = &t.reason {
                *reasons.entry(r.as_str()).or_default() += 1;
            }
        }
        let reason = reasons
            .iter()
            .max_by_key(|(r, n)| (**n, std::cmp::Reverse(**r)))
            .map_or(String::new(), |(r, _)| format!(" ({r})"));
        out.push(Entry::new(
            at,
            Category::Targets,
            format!(
                "TARGETS {}{name}: {}/{} healthy, {} unhealthy{reason}",
                s.target_group, c.healthy, c.total, c.unhealthy
            ),
        ));
    }

    fn endpoints(
        &mut self,
        layout: &Layout,
        at: DateTime<Utc>,
        s: &GaSnapshot,
        out: &mut Vec<Entry>,
    ) {
        let def = layout.accelerators.iter().find(|a| a.id == s.accelerator);
        for g in &s.groups {
            let health = group_health(&g.endpoints);
            let key = (s.accelerator.clone(), g.region.clone());
            let expected_dial = def
                .and_then(|a| a.endpoint_groups.iter().find(|d| d.region == g.region))
                .map_or(100.0, |d| d.dial);
            let (prev_health, prev_dial) = self
                .groups
                .insert(key, (health, g.dial))
                .unwrap_or((GaHealth::Healthy, expected_dial));
            let endpoint = def
                .and_then(|a| a.endpoint_groups.iter().find(|d| d.region == g.region))
                .map_or(String::new(), |d| format!(" ({})", d.endpoint));
            if health != prev_health {
                out.push(Entry::new(
                    at,
                    Category::Endpoint,
                    format!(
                        "GA {} marks {}{endpoint} {} (was {})",
                        s.accelerator,
                        g.region,
                        health.as_str(),
                        prev_health.as_str()
                    ),
                ));
            }
            if (g.dial - prev_dial).abs() > f64::EPSILON {
                out.push(Entry::new(
                    at,
                    Category::Dial,
                    format!(
                        "GA {} {} traffic dial {} -> {}",
                        s.accelerator,
                        g.region,
                        num(prev_dial),
                        num(g.dial)
                    ),
                ));
            }
        }
    }

    fn alarms(&mut self, s: &AlarmSnapshot, out: &mut Vec<Entry>) {
        for a in &s.alarms {
            let prev = self.alarms.insert(a.name.clone(), a.state);
            let changed = match prev {
                Some(p) => p != a.state,
                None => a.state != AlarmState::Ok,
            };
            if !changed {
                continue;
            }
            let from = prev.map_or(String::new(), |p| format!("{} -> ", p.as_str()));
            let reason = a.reason.as_deref().map_or(String::new(), |r| {
                let short: String = r.chars().take(REASON_CHARS).collect();
                format!(": {short}")
            });
            out.push(Entry::new(
                a.updated,
                Category::Alarm,
                format!("ALARM {} {from}{}{reason}", a.name, a.state.as_str()),
            ));
        }
    }

    fn source(&mut self, at: DateTime<Utc>, s: &SourceStatus, out: &mut Vec<Entry>) {
        let prev = self.sources.insert(s.source.clone(), s.state);
        let changed = match prev {
            Some(p) => p != s.state,
            None => s.state != SourceState::Ok,
        };
        if changed {
            let detail = s
                .detail
                .as_deref()
                .map_or(String::new(), |d| format!(": {d}"));
            out.push(Entry::new(
                at,
                Category::Source,
                format!("SOURCE {} {}{detail}", s.source, s.state.as_str()),
            ));
        }
    }
}

fn operator(at: DateTime<Utc>, o: &OperatorEvent, tz: chrono_tz::Tz) -> Entry {
    let category = match &o.action {
        OperatorAction::IncidentOpen { .. } | OperatorAction::IncidentUpdate { .. } => {
            Category::Incident
        }
        OperatorAction::RtnConfirm | OperatorAction::RtnRefuse { .. } => Category::ReturnToNormal,
        _ => Category::Operator,
    };
    Entry {
        at,
        category,
        text: format!("{}: {}", o.who, o.action.describe(tz)),
        post_mortem: o.post_mortem,
    }
}

/// `kim (kim.lee) joined the room`, `park left the room (link lost)`, `wall joined and left the
/// room, watching only (2,000 times in 17 s)`.
pub(crate) fn room_line(c: &crate::model::RoomChange) -> String {
    let verb = match c.change {
        crate::model::RoomChangeKind::Joined => "joined the room",
        crate::model::RoomChangeKind::Left => "left the room",
        crate::model::RoomChangeKind::Churned => "joined and left the room",
    };
    let user = if c.user == c.who {
        String::new()
    } else {
        format!(" ({})", c.user)
    };
    let watching = if c.read_only { ", watching only" } else { "" };
    let reason = c
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    format!("{}{user} {verb}{watching}{reason}", c.who)
}

/// A number without a needless fraction: `100`, `0.5`.
pub(crate) fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
