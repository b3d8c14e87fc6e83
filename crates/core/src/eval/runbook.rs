//! Runbook step states: each step's `when` judged over the state (Firing, Armed, Idle or
//! Unknown), its `verify` condition, and the operators' progress on it.

use super::truth::{Ctx, Tri, Truth, truth};
use crate::config::runbook::Step;
use crate::store::{Mark, StepProgress};

/// Where a step's trigger stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerState {
    /// `when` is false and would be false without its `for` durations.
    Idle,
    /// `when` is not yet true, but is true with every `for` treated as zero: it will fire if
    /// the condition holds on.
    Armed,
    /// `when` is true.
    Firing,
    /// `when` cannot be judged (missing or stale data).
    Unknown,
}

impl TriggerState {
    pub(crate) fn word(self) -> &'static str {
        match self {
            TriggerState::Idle => "IDLE",
            TriggerState::Armed => "ARMED",
            TriggerState::Firing => "FIRING",
            TriggerState::Unknown => "UNKNOWN",
        }
    }
}

/// A runbook step judged.
#[derive(Debug, Clone, PartialEq)]
pub struct StepState {
    pub id: String,
    pub trigger: TriggerState,
    /// The `when` truth. For an armed step, `when.held()` is how long the condition has held
    /// toward its `for`.
    pub when: Truth,
    /// The `verify` truth, if the step has one.
    pub(crate) verify: Option<Truth>,
    pub acked: Option<Mark>,
    pub done: Option<Mark>,
    pub skipped: Option<Mark>,
    /// Why it was skipped.
    pub skip_reason: Option<String>,
    pub(crate) notes: usize,
    /// When the current firing began (the evaluation that turned it Firing); set by the
    /// [`super::Evaluator`], which remembers it (`when.since` only reaches back as far as the
    /// condition's `for` needs).
    pub firing_since: Option<chrono::DateTime<chrono::Utc>>,
}

/// Judges one step.
pub(crate) fn step_state(step: &Step, cx: &Ctx<'_>, progress: Option<&StepProgress>) -> StepState {
    let when = truth(&step.when, cx);
    let trigger = match when.value {
        Tri::True => TriggerState::Firing,
        v => {
            if truth(&step.when, &cx.armed()).is_true() {
                TriggerState::Armed
            } else if v == Tri::Unknown {
                TriggerState::Unknown
            } else {
                TriggerState::Idle
            }
        }
    };
    StepState {
        id: step.id.clone(),
        trigger,
        when,
        verify: step.verify.as_ref().map(|v| truth(v, cx)),
        acked: progress.and_then(|p| p.acked.clone()),
        done: progress.and_then(|p| p.done.clone()),
        skipped: progress.and_then(|p| p.skipped.clone()),
        skip_reason: progress.and_then(|p| p.skip_reason.clone()),
        notes: progress.map_or(0, |p| p.notes.len()),
        firing_since: None,
    }
}
