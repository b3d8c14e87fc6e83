//! Runbook step states: each step's `when` judged over the state (Firing, Armed, Idle or
//! Unknown), its `verify` condition, and the operators' progress on it, episode by episode: a
//! new firing is unanswered until someone answers it; answers made before it are history.

use chrono::{DateTime, Utc};

use super::truth::{Ctx, Tri, Truth, truth};
use crate::config::runbook::Step;
use crate::store::{AnswerKind, Mark, StepAnswer, StepProgress};

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
    /// Since when the step's current episode runs: the start of its newest firing, kept after
    /// the firing clears (None before it first fired). `acked`, `done` and `skipped` are the
    /// answers made in this episode; those made before it answer an earlier one.
    pub episode: Option<DateTime<Utc>>,
    /// The newest answer of an earlier episode while this one has none: history
    /// (`acked by kim 20:04 (before this firing)`).
    pub earlier: Option<StepAnswer>,
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
        episode: None,
        earlier: None,
        firing_since: None,
    }
}

impl StepState {
    /// Whether an operator answered the current episode (acknowledged, completed or skipped).
    pub fn answered(&self) -> bool {
        self.acked.is_some() || self.done.is_some() || self.skipped.is_some()
    }

    /// Keeps the answers made in the episode that began at `start` (the step's newest firing);
    /// the newest one before it, if the episode has none, becomes history. Without a start (the
    /// step never fired) every answer stands.
    pub(crate) fn in_episode(
        &mut self,
        start: Option<DateTime<Utc>>,
        progress: Option<&StepProgress>,
    ) {
        self.episode = start;
        let Some(start) = start else {
            return;
        };
        let current = |m: &mut Option<Mark>| {
            if m.as_ref().is_some_and(|m| m.at < start) {
                *m = None;
            }
        };
        current(&mut self.acked);
        current(&mut self.done);
        current(&mut self.skipped);
        if self.skipped.is_none() {
            self.skip_reason = None;
        }
        self.earlier = if self.answered() {
            None
        } else {
            progress.and_then(|p| p.answers.iter().rev().find(|a| a.mark.at < start).cloned())
        };
    }
}

/// The answers of the episode `[from, to)` (a firing until the next one), the first of each
/// kind: what answered that firing and how soon.
pub fn episode_answers<'a>(
    answers: impl IntoIterator<Item = &'a StepAnswer>,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    kind: AnswerKind,
) -> Option<&'a Mark> {
    answers
        .into_iter()
        .filter(|a| a.kind == kind && a.mark.at >= from && to.is_none_or(|t| a.mark.at < t))
        .map(|a| &a.mark)
        .next()
}
