//! Return to normal: each criterion's truth, and the streak (started when every criterion is
//! true at an evaluation once the event has happened in the data, broken when any is not,
//! declared once it has lasted the layout's `streak`; after a relapse, a fresh streak is needed
//! to declare it again). The streak is the only memory evaluation keeps across calls.

use chrono::{DateTime, TimeDelta, Utc};

use super::timeline::TimelineKind;
use super::truth::{Ctx, Tri, Truth, truth};
use crate::store::Mark;

/// One criterion judged.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionState {
    pub name: String,
    pub truth: Truth,
}

/// Where the return to normal stands.
#[derive(Debug, Clone, PartialEq)]
pub struct RtnStatus {
    pub criteria: Vec<CriterionState>,
    /// Criteria currently true.
    pub met: usize,
    pub total: usize,
    /// How long every criterion must hold (the layout's `streak`).
    pub(crate) streak: TimeDelta,
    /// When the current streak started (after a declaration that holds: the streak that led
    /// to it).
    pub streak_start: Option<DateTime<Utc>>,
    /// When the return to normal was last declared.
    pub declared: Option<DateTime<Utc>>,
    /// After a declaration: since when a criterion is false again (a relapse), until a fresh
    /// streak declares the return to normal again.
    pub relapsed: Option<DateTime<Utc>>,
    /// When the event was first seen in the data (see [`Streak::advance`]); no streak runs
    /// before.
    pub event_seen: Option<DateTime<Utc>>,
    /// When the current streak will complete if it holds.
    pub expected: Option<DateTime<Utc>>,
    /// The first operator confirmation of the declaration.
    pub(crate) confirmed: Option<Mark>,
}

/// Judges every criterion of the layout.
pub(crate) fn criteria(cx: &Ctx<'_>) -> Vec<CriterionState> {
    cx.layout
        .return_to_normal
        .criteria
        .iter()
        .map(|c| CriterionState {
            name: c.name.clone(),
            truth: truth(&c.expr, cx),
        })
        .collect()
}

/// The streak's memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Streak {
    pub(crate) start: Option<DateTime<Utc>>,
    pub(crate) declared: Option<DateTime<Utc>>,
    /// After a declaration: since when a criterion is false again, until declared again.
    pub(crate) relapsed: Option<DateTime<Utc>>,
    /// The first evaluation at which the event had happened in the data.
    pub(crate) event_seen: Option<DateTime<Utc>>,
}

impl Streak {
    /// Advances the streak with the criteria judged at `now`; returns what changed. `happened`
    /// says whether the event has happened in the data at `now` (a breach at or after T0, or
    /// the event's scheduled end passed): return to normal is about the event being over, so
    /// no streak starts before the first evaluation at which it has.
    pub(crate) fn advance(
        &mut self,
        crit: &[CriterionState],
        now: DateTime<Utc>,
        happened: bool,
        length: TimeDelta,
    ) -> Vec<TimelineKind> {
        let mut out = Vec::new();
        if crit.is_empty() {
            return out;
        }
        if self.event_seen.is_none() {
            if !happened {
                return out;
            }
            self.event_seen = Some(now);
        }
        if self.declared.is_some() && self.relapsed.is_none() {
            self.after_declaration(crit, now, &mut out);
            return out;
        }
        if crit.iter().all(|c| c.truth.is_true()) {
            let start = *self.start.get_or_insert_with(|| {
                out.push(TimelineKind::RtnStarted {
                    met: crit.len(),
                    total: crit.len(),
                });
                now
            });
            if now - start >= length {
                self.declared = Some(now);
                self.relapsed = None;
                out.push(TimelineKind::RtnDeclared { streak: length });
            }
        } else if self.start.take().is_some() {
            out.push(TimelineKind::RtnBroken {
                failing: failing(crit, |c| !c.truth.is_true()),
            });
        }
        out
    }

    /// While a declaration holds: a criterion false (not merely unknown: missing data is no
    /// relapse) is a relapse. The declaration then no longer holds: a fresh streak, as long as
    /// the first, is needed to declare the return to normal again.
    fn after_declaration(
        &mut self,
        crit: &[CriterionState],
        now: DateTime<Utc>,
        out: &mut Vec<TimelineKind>,
    ) {
        let false_now = failing(crit, |c| c.truth.value == Tri::False);
        if !false_now.is_empty() {
            self.relapsed = Some(now);
            self.start = None;
            out.push(TimelineKind::RtnRelapse { failing: false_now });
        }
    }

    /// When the running streak will complete if it holds (None without one, or while a
    /// declaration holds).
    pub(crate) fn expected(&self, length: TimeDelta) -> Option<DateTime<Utc>> {
        if self.declared.is_some() && self.relapsed.is_none() {
            return None;
        }
        self.start.map(|s| s + length)
    }
}

fn failing(crit: &[CriterionState], pick: impl Fn(&CriterionState) -> bool) -> Vec<String> {
    crit.iter()
        .filter(|c| pick(c))
        .map(|c| c.name.clone())
        .collect()
}
