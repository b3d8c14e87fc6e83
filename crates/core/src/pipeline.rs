//! The one path every event takes, live, simulated or replayed: fold into the state, evaluate,
//! and report what changed. The headless demo and the replay both drive this, which is why they
//! print the same timeline for the same events.

use chrono::{DateTime, Utc};

use crate::config::Layout;
use crate::eval::{Evaluation, Evaluator, TimelineEntry};
use crate::model::{Event, EventBody};
use crate::store::State;

#[derive(Clone)]
pub struct Pipeline {
    state: State,
    evaluator: Evaluator,
    evaluation: Option<Evaluation>,
}

impl Pipeline {
    pub fn new(layout: &Layout) -> Self {
        Pipeline {
            state: State::new(layout),
            evaluator: Evaluator::new(layout),
            evaluation: None,
        }
    }

    /// A pipeline whose state keeps `history` of buckets per series (the report keeps a whole
    /// recording).
    pub fn with_history(layout: &Layout, history: chrono::TimeDelta) -> Self {
        Pipeline {
            state: State::with_history(layout, history),
            evaluator: Evaluator::new(layout),
            evaluation: None,
        }
    }

    /// Applies a batch of events that share one time, then evaluates once at that time, or at
    /// the last evaluation's when the batch is older: a live log holds events in the order they
    /// arrived (a poll is stamped when it started, an operator's action when it was taken), and
    /// the room's "now" never goes back.
    /// A batch of quiet events only (summary deliveries) is folded without evaluating, as the
    /// journal did.
    pub fn ingest(&mut self, batch: &[Event]) -> Vec<TimelineEntry> {
        let Some(newest) = batch.iter().map(|e| e.at).max() else {
            return Vec::new();
        };
        if batch.iter().all(|e| e.body.is_quiet()) {
            for e in batch {
                self.state.apply(e);
            }
            return Vec::new();
        }
        if self.redundant(batch) {
            return Vec::new();
        }
        let at = self
            .evaluation
            .as_ref()
            .map_or(newest, |e| newest.max(e.at));
        for e in batch {
            self.state.apply(e);
        }
        self.evaluate(at)
    }

    /// Ticks only, none later than the last evaluation: evaluating again with nothing new at a
    /// time already judged changes nothing (the journal never writes such ticks; a damaged or
    /// hostile log full of them costs no evaluation).
    pub(crate) fn redundant(&self, batch: &[Event]) -> bool {
        self.evaluation.as_ref().is_some_and(|e| {
            batch
                .iter()
                .all(|x| x.body == EventBody::Tick && x.at <= e.at)
        })
    }

    /// Folds one event into the state without evaluating (a record of something done, such as
    /// a summary's delivery, stamped with a clock other than the data's).
    pub fn apply(&mut self, event: &Event) {
        self.state.apply(event);
    }

    /// Evaluates the current state at `now` (also used by the clock tick of a live view).
    pub fn evaluate(&mut self, now: DateTime<Utc>) -> Vec<TimelineEntry> {
        let evaluation = self.evaluator.evaluate(&self.state, now);
        let entries = evaluation.timeline.clone();
        self.evaluation = Some(evaluation);
        entries
    }

    /// The layout being judged.
    pub fn layout(&self) -> &Layout {
        self.evaluator.layout()
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn evaluation(&self) -> Option<&Evaluation> {
        self.evaluation.as_ref()
    }
}

/// Splits a log into the steps its writer took: batches of consecutive events with the same
/// `at`, a `tick` ending the batch it is in (the journal writes one where two steps share a
/// time, and where it evaluated with nothing new and the judgement changed).
pub fn batches(events: impl IntoIterator<Item = Event>) -> impl Iterator<Item = Vec<Event>> {
    let mut it = events.into_iter().peekable();
    std::iter::from_fn(move || {
        let first = it.next()?;
        let at = first.at;
        let mut closed = first.body == EventBody::Tick;
        let mut batch = vec![first];
        while !closed {
            let Some(next) = it.next_if(|e| e.at == at) else {
                break;
            };
            closed = next.body == EventBody::Tick;
            batch.push(next);
        }
        Some(batch)
    })
}
