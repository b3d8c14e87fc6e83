//! Return to normal: each criterion's truth, and the streak (started when every criterion is
//! true at an evaluation at or after T0, broken when any is not, declared once it has lasted
//! the layout's `streak`). The streak is the only memory evaluation keeps across calls.

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
    /// When the current streak started.
    pub streak_start: Option<DateTime<Utc>>,
    /// When the return to normal was declared (final).
    pub declared: Option<DateTime<Utc>>,
    /// After the declaration: since when a criterion is false again (a relapse), None while
    /// they hold.
    pub relapsed: Option<DateTime<Utc>>,
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
    /// After the declaration: since when a criterion is false again.
    pub(crate) relapsed: Option<DateTime<Utc>>,
}

impl Streak {
    /// Advances the streak with the criteria judged at `now`; returns what changed.
    pub(crate) fn advance(
        &mut self,
        crit: &[CriterionState],
        now: DateTime<Utc>,
        t0: DateTime<Utc>,
        length: TimeDelta,
    ) -> Vec<TimelineKind> {
        let mut out = Vec::new();
        if self.declared.is_some() {
            self.after_declaration(crit, now, &mut out);
            return out;
        }
        if now < t0 || crit.is_empty() {
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
                out.push(TimelineKind::RtnDeclared { streak: length });
            }
        } else if self.start.take().is_some() {
            out.push(TimelineKind::RtnBroken {
                failing: failing(crit, |c| !c.truth.is_true()),
            });
        }
        out
    }

    /// The declaration is final, but the conditions may break again: a criterion false (not
    /// merely unknown: missing data is no relapse) starts a relapse, every criterion true ends
    /// it.
    fn after_declaration(
        &mut self,
        crit: &[CriterionState],
        now: DateTime<Utc>,
        out: &mut Vec<TimelineKind>,
    ) {
        let false_now = failing(crit, |c| c.truth.value == Tri::False);
        match self.relapsed {
            None if !false_now.is_empty() => {
                self.relapsed = Some(now);
                out.push(TimelineKind::RtnRelapse { failing: false_now });
            }
            Some(_) if crit.iter().all(|c| c.truth.is_true()) => {
                self.relapsed = None;
                out.push(TimelineKind::RtnHoldsAgain { total: crit.len() });
            }
            _ => {}
        }
    }
}

fn failing(crit: &[CriterionState], pick: impl Fn(&CriterionState) -> bool) -> Vec<String> {
    crit.iter()
        .filter(|c| pick(c))
        .map(|c| c.name.clone())
        .collect()
}
