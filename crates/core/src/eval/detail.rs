//! Detail timeline entries for the dashboard's timeline view (not the headless output): health
//! groups changing status, alarms changing state, operator actions and notes (live and
//! post-mortem), between two evaluations.

use chrono_tz::Tz;

use super::evaluator::Evaluation;
use super::health::HealthKind;
use super::timeline::{TimelineEntry, TimelineKind};
use crate::config::layout::Layout;
use crate::model::{OperatorAction, Status};
use crate::store::State;

/// How far a reader of the operator actions and room changes got (counts, not times: two
/// things can happen at one instant, and a live log is in arrival order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    pub(crate) actions: u64,
    pub(crate) room: u64,
}

impl Seen {
    /// Everything `state` holds, seen.
    pub fn all(state: &State) -> Seen {
        Seen {
            actions: state.operator().accepted(),
            room: state.room().folded(),
        }
    }
}

/// Why each health group last turned from GREEN, in the words of that moment's evaluation: a
/// "cleared" line quotes it, not the evaluation just before (whose ages depend on how often
/// the reader evaluated: a collector ticking every 5 s and a replay of its log must write the
/// same line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Turned(std::collections::BTreeMap<String, String>);

/// What changed in detail between `prev` (None: the start) and `cur`, oldest first: alarm
/// state changes with times in `(prev.at, cur.at]` at their own time, operator actions and
/// room changes not `seen` yet at their own time, and health group status changes at
/// `cur.at`.
pub fn detail_entries(
    layout: &Layout,
    state: &State,
    prev: Option<&Evaluation>,
    cur: &Evaluation,
    seen: Seen,
    turned: &mut Turned,
) -> Vec<TimelineEntry> {
    let t0 = layout.event.start;
    let after = |t| prev.is_none_or(|p| t > p.at) && t <= cur.at;
    let mut out: Vec<TimelineEntry> = state
        .alarms()
        .iter()
        .filter(|a| after(a.info.updated))
        .map(|a| TimelineEntry {
            at: a.info.updated,
            t0,
            kind: TimelineKind::Alarm {
                name: a.info.name.clone(),
                to: a.info.state,
            },
        })
        .collect();
    let tz = layout.event.tz();
    out.extend(state.operator().since(seen.actions).map(|l| {
        let (verb, text) = describe(&l.action, state, tz);
        TimelineEntry {
            at: l.at,
            t0,
            kind: TimelineKind::Operator {
                who: l.who.clone(),
                verb,
                text,
                post_mortem: l.post_mortem,
            },
        }
    }));
    out.extend(state.room().since(seen.room).map(|c| TimelineEntry {
        at: c.at,
        t0,
        kind: TimelineKind::Room { text: room_text(c) },
    }));
    if prev.is_none() {
        for h in cur.health.iter().filter(|h| h.status != Status::Green) {
            turned.0.insert(h.id.clone(), h.reason.clone());
        }
    }
    if let Some(p) = prev {
        for h in &cur.health {
            if let Some(old) = p.health(&h.id)
                && old.status != h.status
            {
                let why = if h.status == Status::Green {
                    let was = turned.0.remove(&h.id).unwrap_or_else(|| old.reason.clone());
                    format!("cleared {was}")
                } else {
                    if old.status == Status::Green {
                        turned.0.insert(h.id.clone(), h.reason.clone());
                    }
                    h.reason.clone()
                };
                out.push(TimelineEntry {
                    at: cur.at,
                    t0,
                    kind: TimelineKind::Health {
                        id: h.id.clone(),
                        from: old.status,
                        to: h.status,
                        why,
                    },
                });
            }
        }
        out.extend(dial_changes(p, cur, t0));
    }
    out.sort_by_key(|e| e.at);
    out
}

/// Traffic dials that moved between two evaluations, per accelerator endpoint group.
fn dial_changes(
    prev: &Evaluation,
    cur: &Evaluation,
    t0: chrono::DateTime<chrono::Utc>,
) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for h in cur
        .health
        .iter()
        .filter(|h| h.kind == HealthKind::Accelerator)
    {
        let Some(old) = prev.health(&h.id) else {
            continue;
        };
        for g in &h.groups {
            let before = old
                .groups
                .iter()
                .find(|o| o.region == g.region)
                .and_then(|o| o.dial);
            if let (Some(from), Some(to)) = (before, g.dial)
                && (from - to).abs() > f64::EPSILON
            {
                out.push(TimelineEntry {
                    at: cur.at,
                    t0,
                    kind: TimelineKind::Dial {
                        accelerator: h.id.clone(),
                        region: g.region.clone(),
                        from: super::format::num(from),
                        to: super::format::num(to),
                    },
                });
            }
        }
    }
    out
}

/// `kim joined`, `park left (link lost)`, `wall joined and left 2,000 times in 17 s`.
fn room_text(c: &crate::store::RoomEntry) -> String {
    let verb = match c.change {
        crate::model::RoomChangeKind::Joined => "joined",
        crate::model::RoomChangeKind::Left => "left",
        crate::model::RoomChangeKind::Churned => {
            let times = c.reason.as_deref().unwrap_or("many times");
            return format!("{} joined and left {times}", c.who);
        }
    };
    match &c.reason {
        Some(r) => format!("{} {verb} ({r})", c.who),
        None => format!("{} {verb}", c.who),
    }
}

/// The timeline verb and text of an operator action (the one description,
/// [`OperatorAction::describe`]): `ACK` `RB-03 acknowledged`, `INCIDENT` `INC-1 opened
/// (critical, investigating): Seoul 5xx`; an update names the incident's title.
pub(crate) fn describe(action: &OperatorAction, state: &State, tz: Tz) -> (&'static str, String) {
    let verb = match action {
        OperatorAction::RunbookAck { .. } => "ACK",
        OperatorAction::RunbookDone { .. } => "DONE",
        OperatorAction::RunbookSkip { .. } => "SKIP",
        OperatorAction::RunbookNote { .. } | OperatorAction::Annotation { .. } => "NOTE",
        OperatorAction::RtnConfirm => "RTN-CONFIRM",
        OperatorAction::RtnRefuse { .. } => "RTN-REFUSE",
        OperatorAction::Handover { .. } => "HANDOVER",
        OperatorAction::IncidentOpen { .. } | OperatorAction::IncidentUpdate { .. } => "INCIDENT",
    };
    let mut text = action.describe(tz);
    if let OperatorAction::IncidentUpdate { id, fields, .. } = action
        && fields.title.is_none()
        && let Some(t) = state
            .operator()
            .incident(id)
            .and_then(|i| i.fields.title.as_deref())
    {
        text.push_str(": ");
        text.push_str(t);
    }
    (verb, text)
}
