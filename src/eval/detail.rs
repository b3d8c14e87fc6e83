//! Detail timeline entries for the dashboard's timeline view (not the headless output): health
//! groups changing status, alarms changing state, operator annotations, between two evaluations.

use super::evaluator::Evaluation;
use super::timeline::{TimelineEntry, TimelineKind};
use crate::config::layout::Layout;
use crate::store::State;

/// What changed in detail between `prev` (None: the start) and `cur`, oldest first: alarm
/// state changes and annotations with times in `(prev.at, cur.at]` at their own time, and
/// health group status changes at `cur.at`.
pub fn detail_entries(
    layout: &Layout,
    state: &State,
    prev: Option<&Evaluation>,
    cur: &Evaluation,
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
    out.extend(
        state
            .operator()
            .annotations()
            .filter(|n| after(n.at))
            .map(|n| TimelineEntry {
                at: n.at,
                t0,
                kind: TimelineKind::Operator {
                    who: n.who.clone(),
                    text: n.text.clone(),
                },
            }),
    );
    if let Some(p) = prev {
        for h in &cur.health {
            if let Some(old) = p.health(&h.id)
                && old.status != h.status
            {
                out.push(TimelineEntry {
                    at: cur.at,
                    t0,
                    kind: TimelineKind::Health {
                        id: h.id.clone(),
                        from: old.status,
                        to: h.status,
                    },
                });
            }
        }
    }
    out.sort_by_key(|e| e.at);
    out
}
