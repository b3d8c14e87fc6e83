//! What people did, in the state fold: runbook progress per step, incidents, annotations (live
//! apart from post-mortem), return-to-normal confirmations and refusals. Everything bounded.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};

use crate::model::{IncidentFields, OperatorAction, OperatorEvent};

/// Notes kept per runbook step.
const NOTES_KEPT: usize = 50;
/// Answers (ack, done, skip) kept per runbook step.
const ANSWERS_KEPT: usize = 200;
/// Incidents kept (oldest dropped first).
const INCIDENTS_KEPT: usize = 200;
/// Annotations kept, live and post-mortem each.
const ANNOTATIONS_KEPT: usize = 1000;
/// Longest free text kept, in bytes.
const TEXT_MAX: usize = 4096;

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub who: String,
    pub at: DateTime<Utc>,
}

/// A free-text note on the timeline or on a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub(crate) who: String,
    pub(crate) at: DateTime<Utc>,
    /// The runbook step the note is about, if any.
    pub(crate) step: Option<String>,
    pub(crate) text: String,
}

/// How an operator answered a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    Ack,
    Done,
    Skip,
}

impl AnswerKind {
    /// `acked`, `done`, `skipped`.
    pub fn word(self) -> &'static str {
        match self {
            AnswerKind::Ack => "acked",
            AnswerKind::Done => "done",
            AnswerKind::Skip => "skipped",
        }
    }
}

/// One answer to a step (ack, done, skip), in the order the log took them. Which firing of the
/// step it answers is for the evaluation to say: the one in whose episode it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepAnswer {
    pub kind: AnswerKind,
    pub mark: Mark,
}

/// Operator progress on one runbook step (latest of each kind, and every answer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepProgress {
    pub acked: Option<Mark>,
    pub done: Option<Mark>,
    pub(crate) skipped: Option<Mark>,
    /// Why the step was skipped (the latest skip's reason).
    pub(crate) skip_reason: Option<String>,
    pub(crate) notes: Vec<Note>,
    /// Every ack, done and skip, oldest first (the newest [`ANSWERS_KEPT`]).
    pub answers: VecDeque<StepAnswer>,
}

/// An incident with its fields merged over its updates.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    pub opened: Mark,
    pub updated: DateTime<Utc>,
    /// Who changed it last.
    pub updated_by: String,
    /// 1 when opened, one more with every change: an edit names the version it was made on.
    pub version: u32,
    pub fields: IncidentFields,
    /// When it was first set to resolved (cleared if reopened).
    pub(crate) resolved: Option<DateTime<Utc>>,
}

impl Incident {
    /// Keeps `resolved` in step with the state after a change at `at`.
    fn note_state(&mut self, at: DateTime<Utc>) {
        if self.fields.state == Some(crate::model::IncidentState::Resolved) {
            self.resolved.get_or_insert(at);
        } else {
            self.resolved = None;
        }
    }
}

/// The newest shift hand-over note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub(crate) who: String,
    pub(crate) at: DateTime<Utc>,
    pub(crate) text: String,
}

/// One accepted operator action as it happened, for the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub(crate) at: DateTime<Utc>,
    pub who: String,
    /// Made while replaying: a post-mortem annotation, not something the room did.
    pub(crate) post_mortem: bool,
    pub action: OperatorAction,
}

/// Operator actions folded.
#[derive(Debug, Clone, Default)]
pub struct OperatorLog {
    /// Every accepted action, live and post-mortem, in arrival order (bounded).
    journal: VecDeque<Logged>,
    steps: BTreeMap<String, StepProgress>,
    incidents: VecDeque<Incident>,
    annotations: VecDeque<Note>,
    post_mortem: VecDeque<Note>,
    rtn_confirmed: Option<Mark>,
    /// The newest refusal to confirm, with its reason.
    rtn_refused: Option<(Mark, String)>,
    handover: Option<Handover>,
    /// Actions ever accepted (the journal keeps the newest).
    accepted: u64,
}

fn clip(s: &str) -> String {
    let mut cut = s.len().min(TEXT_MAX);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s[..cut].to_string()
}

fn push_bounded(q: &mut VecDeque<Note>, n: Note) {
    if q.len() >= ANNOTATIONS_KEPT {
        q.pop_front();
    }
    q.push_back(n);
}

impl OperatorLog {
    /// Applies one action. `known_step` says whether a step id is in the runbook; actions on
    /// unknown steps are refused (returns false).
    pub(crate) fn apply(
        &mut self,
        at: DateTime<Utc>,
        e: &OperatorEvent,
        known_step: impl Fn(&str) -> bool,
    ) -> bool {
        let accepted = self.fold(at, e, known_step);
        if accepted {
            if self.journal.len() >= ANNOTATIONS_KEPT {
                self.journal.pop_front();
            }
            self.accepted += 1;
            self.journal.push_back(Logged {
                at,
                who: clip(&e.who),
                post_mortem: e.post_mortem,
                action: e.action.clone(),
            });
        }
        accepted
    }

    /// A note made while replaying: kept apart, never changing what the room did.
    fn fold_post_mortem(&mut self, at: DateTime<Utc>, who: String, action: &OperatorAction) {
        let (step, text) = match action {
            OperatorAction::RunbookNote { step, text } => (Some(step.clone()), clip(text)),
            OperatorAction::Annotation { text } => (None, clip(text)),
            other => (None, clip(&other.describe(chrono_tz::UTC))),
        };
        push_bounded(
            &mut self.post_mortem,
            Note {
                who,
                at,
                step,
                text,
            },
        );
    }

    /// An acknowledgement, completion, skip or note of a runbook step the layout knows.
    fn fold_step(&mut self, step: &str, mark: Mark, action: &OperatorAction) {
        let p = self.steps.entry(step.to_string()).or_default();
        let kind = match action {
            OperatorAction::RunbookAck { .. } => Some(AnswerKind::Ack),
            OperatorAction::RunbookDone { .. } => Some(AnswerKind::Done),
            OperatorAction::RunbookSkip { .. } => Some(AnswerKind::Skip),
            _ => None,
        };
        if let Some(kind) = kind {
            if p.answers.len() >= ANSWERS_KEPT {
                p.answers.pop_front();
            }
            p.answers.push_back(StepAnswer {
                kind,
                mark: mark.clone(),
            });
        }
        match action {
            OperatorAction::RunbookAck { .. } => p.acked = Some(mark),
            OperatorAction::RunbookDone { .. } => p.done = Some(mark),
            OperatorAction::RunbookSkip { reason, .. } => {
                p.skipped = Some(mark);
                p.skip_reason = reason.as_deref().map(clip);
            }
            OperatorAction::RunbookNote { text, .. } => {
                if p.notes.len() >= NOTES_KEPT {
                    p.notes.remove(0);
                }
                p.notes.push(Note {
                    who: mark.who,
                    at: mark.at,
                    step: Some(step.to_string()),
                    text: clip(text),
                });
            }
            _ => {}
        }
    }

    fn fold(
        &mut self,
        at: DateTime<Utc>,
        e: &OperatorEvent,
        known_step: impl Fn(&str) -> bool,
    ) -> bool {
        let who = clip(&e.who);
        let mark = Mark {
            who: who.clone(),
            at,
        };
        if e.post_mortem {
            self.fold_post_mortem(at, who, &e.action);
            return true;
        }
        match &e.action {
            OperatorAction::RunbookAck { step }
            | OperatorAction::RunbookDone { step }
            | OperatorAction::RunbookSkip { step, .. }
            | OperatorAction::RunbookNote { step, .. } => {
                if !known_step(step) {
                    return false;
                }
                self.fold_step(step, mark, &e.action);
            }
            OperatorAction::IncidentOpen { .. } | OperatorAction::IncidentUpdate { .. } => {
                return self.fold_incident(mark, &e.action);
            }
            OperatorAction::Handover { text } => {
                self.handover = Some(Handover {
                    who,
                    at,
                    text: clip(text),
                });
            }
            OperatorAction::Annotation { text } => push_bounded(
                &mut self.annotations,
                Note {
                    who,
                    at,
                    step: None,
                    text: clip(text),
                },
            ),
            OperatorAction::RtnConfirm => {
                if self.rtn_confirmed.is_none() {
                    self.rtn_confirmed = Some(mark);
                }
            }
            OperatorAction::RtnRefuse { reason } => {
                if self.rtn_confirmed.is_none() {
                    self.rtn_refused = Some((mark, clip(reason)));
                }
            }
        }
        true
    }

    /// An incident opened or changed: merged, its version counted. False for an update of an
    /// incident the log never opened.
    fn fold_incident(&mut self, mark: Mark, action: &OperatorAction) -> bool {
        let Mark { who, at } = mark.clone();
        match action {
            OperatorAction::IncidentOpen { id, fields } => {
                if let Some(i) = self.incidents.iter_mut().find(|i| i.id == *id) {
                    merge(&mut i.fields, fields);
                    i.updated = at;
                    i.updated_by = who;
                    i.version += 1;
                    i.note_state(at);
                } else {
                    if self.incidents.len() >= INCIDENTS_KEPT {
                        self.incidents.pop_front();
                    }
                    let mut i = Incident {
                        id: clip(id),
                        opened: mark,
                        updated: at,
                        updated_by: who,
                        version: 1,
                        fields: fields.clone(),
                        resolved: None,
                    };
                    i.note_state(at);
                    self.incidents.push_back(i);
                }
                true
            }
            OperatorAction::IncidentUpdate { id, fields, .. } => {
                let Some(i) = self.incidents.iter_mut().find(|i| i.id == *id) else {
                    return false;
                };
                merge(&mut i.fields, fields);
                i.updated = at;
                i.updated_by = who;
                i.version += 1;
                i.note_state(at);
                true
            }
            _ => false,
        }
    }

    /// Progress on a runbook step (None when nobody touched it).
    pub fn step(&self, id: &str) -> Option<&StepProgress> {
        self.steps.get(id)
    }

    /// Incidents, oldest first.
    pub fn incidents(&self) -> impl DoubleEndedIterator<Item = &Incident> {
        self.incidents.iter()
    }

    /// Actions ever accepted: with [`OperatorLog::since`], what a reader has not seen yet.
    pub(crate) fn accepted(&self) -> u64 {
        self.accepted
    }

    /// The accepted actions after the first `seen` (those still kept), in arrival order.
    pub(crate) fn since(&self, seen: u64) -> impl Iterator<Item = &Logged> {
        let first_kept = self.accepted - self.journal.len() as u64;
        let skip = usize::try_from(seen.saturating_sub(first_kept)).unwrap_or(usize::MAX);
        self.journal.iter().skip(skip)
    }

    /// Every accepted action (live and post-mortem), in arrival order.
    pub fn journal(&self) -> impl DoubleEndedIterator<Item = &Logged> {
        self.journal.iter()
    }

    /// One incident by id.
    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.id == id)
    }

    /// Live annotations, in arrival order.
    pub fn annotations(&self) -> impl DoubleEndedIterator<Item = &Note> {
        self.annotations.iter()
    }

    #[cfg(test)]
    /// Annotations and actions made while replaying (post-mortem), in arrival order.
    pub(crate) fn post_mortem(&self) -> impl DoubleEndedIterator<Item = &Note> {
        self.post_mortem.iter()
    }

    /// The newest shift hand-over note.
    pub fn handover(&self) -> Option<&Handover> {
        self.handover.as_ref()
    }

    /// The first live return-to-normal confirmation.
    pub fn rtn_confirmed(&self) -> Option<&Mark> {
        self.rtn_confirmed.as_ref()
    }

    /// The newest refusal to confirm the return to normal (before any confirmation), and why.
    pub fn rtn_refused(&self) -> Option<(&Mark, &str)> {
        self.rtn_refused.as_ref().map(|(m, r)| (m, r.as_str()))
    }
}

fn merge(into: &mut IncidentFields, from: &IncidentFields) {
    if from.title.is_some() {
        into.title.clone_from(&from.title);
    }
    if from.severity.is_some() {
        into.severity = from.severity;
    }
    if from.state.is_some() {
        into.state = from.state;
    }
    if from.plan.is_some() {
        into.plan.clone_from(&from.plan);
    }
    if from.eta.is_some() {
        into.eta = from.eta;
    }
    if from.impact_start.is_some() {
        into.impact_start = from.impact_start;
    }
    if from.cause.is_some() {
        into.cause.clone_from(&from.cause);
    }
    if from.owner.is_some() {
        into.owner.clone_from(&from.owner);
    }
}
