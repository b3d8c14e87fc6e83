//! The dashboard's timeline: what the evaluator reported changed (status, triggers, return to
//! normal) and the detail entries (alarms, health, operator notes), as view-model lines.

use crate::config::Layout;
use crate::eval::{Evaluation, TimelineEntry, TimelineKind, detail_entries};
use crate::model::Status;
use crate::store::State;
use crate::tui::view_model;

/// Most lines kept; older ones fall off.
pub const KEEP: usize = 500;

pub fn view_entry(e: &TimelineEntry) -> view_model::TimelineEntry {
    let status = match &e.kind {
        TimelineKind::Status { to, .. } | TimelineKind::Health { to, .. } => Some(*to),
        TimelineKind::Step { to, .. } => match to {
            crate::eval::TriggerState::Firing => Some(Status::Red),
            crate::eval::TriggerState::Armed => Some(Status::Yellow),
            _ => Some(Status::Green),
        },
        TimelineKind::RtnDeclared { .. }
        | TimelineKind::RtnStarted { .. }
        | TimelineKind::RtnHoldsAgain { .. } => Some(Status::Green),
        TimelineKind::RtnBroken { .. } => Some(Status::Yellow),
        TimelineKind::RtnRelapse { .. } => Some(Status::Red),
        TimelineKind::Alarm { .. } | TimelineKind::Operator { .. } => None,
    };
    let post_mortem = matches!(
        e.kind,
        TimelineKind::Operator {
            post_mortem: true,
            ..
        }
    );
    view_model::TimelineEntry {
        at: e.at,
        status,
        text: e.body(),
        post_mortem,
    }
}

/// Appends the entries of the evaluation `cur` (and the detail entries since `prev`).
pub fn extend(
    out: &mut Vec<view_model::TimelineEntry>,
    layout: &Layout,
    state: &State,
    prev: Option<&Evaluation>,
    cur: &Evaluation,
) {
    for e in &cur.timeline {
        out.push(view_entry(e));
    }
    for e in detail_entries(layout, state, prev, cur) {
        out.push(view_entry(&e));
    }
    if out.len() > KEEP {
        out.drain(..out.len() - KEEP);
    }
}
