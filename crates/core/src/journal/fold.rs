//! The fold every screen keeps: events in log order into the pipeline (state and evaluation),
//! the per-source status board, and the timeline the room reads. The collector, a local
//! dashboard, an attached viewer and a replay all fold with this, so one log gives one picture.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use crate::board::{Board, Change};
use crate::config::Layout;
use crate::eval::{Evaluation, Seen, TimelineEntry, TimelineLine, Turned, detail_entries};
use crate::model::Event;
use crate::pipeline::Pipeline;

/// Timeline lines kept; older ones fall off.
pub const TIMELINE_KEPT: usize = 500;

#[derive(Clone)]
pub struct Fold {
    pipeline: Pipeline,
    board: Board,
    /// The evaluation the last timeline lines were taken against.
    prev: Option<Evaluation>,
    /// The operator actions and room changes already on the timeline.
    seen: Seen,
    /// Why each health group last turned from GREEN, for its "cleared" line.
    turned: Turned,
    timeline: VecDeque<TimelineLine>,
    /// Timeline lines ever added (the kept ones are the newest).
    lines_added: u64,
    /// Events folded: the position in the log.
    seq: u64,
    /// When the state was last evaluated.
    evaluated: Option<DateTime<Utc>>,
}

impl Fold {
    /// An empty fold of `layout`'s log, with the sources `board` expects.
    pub fn new(layout: &Layout, board: Board) -> Self {
        Self::on(Pipeline::new(layout), board)
    }

    /// A fold over `pipeline` (the report's keeps a whole recording of buckets).
    pub(crate) fn on(pipeline: Pipeline, board: Board) -> Self {
        Fold {
            pipeline,
            board,
            prev: None,
            seen: Seen::default(),
            turned: Turned::default(),
            timeline: VecDeque::new(),
            lines_added: 0,
            seq: 0,
            evaluated: None,
        }
    }

    /// Folds one batch of the log and evaluates at its newest time. Returns the evaluator's
    /// timeline entries (status, triggers, return to normal) and the sources whose state
    /// changed.
    pub fn apply(&mut self, batch: &[Event]) -> (Vec<TimelineEntry>, Vec<Change>) {
        if batch.is_empty() {
            return (Vec::new(), Vec::new());
        }
        if batch.iter().all(|e| e.body.is_quiet()) || self.pipeline.redundant(batch) {
            self.apply_quiet(batch);
            return (Vec::new(), Vec::new());
        }
        self.seq += batch.len() as u64;
        let changes = self.board.observe(batch);
        let entries = self.pipeline.ingest(batch);
        self.evaluated = batch.iter().map(|e| e.at).max();
        self.after_evaluation();
        (entries, changes)
    }

    /// Folds events stamped by another clock than the data's (summary delivery outcomes)
    /// without evaluating at their time.
    pub(crate) fn apply_quiet(&mut self, events: &[Event]) {
        self.seq += events.len() as u64;
        for e in events {
            self.pipeline.apply(e);
        }
    }

    /// Evaluates at `now` with no new data (ages grow, `for` clauses mature, slots pass).
    pub(crate) fn tick(&mut self, now: DateTime<Utc>) -> Vec<TimelineEntry> {
        let entries = self.pipeline.evaluate(now);
        self.evaluated = Some(now);
        self.after_evaluation();
        entries
    }

    /// The journal wrote a `tick` event for the evaluation it just made ([`Fold::tick`]): it
    /// holds a place in the log. Folding that event evaluates at its time, which is what the
    /// tick did: a screen or a replay that folds it judges as this fold did.
    pub(crate) fn ticked_in_log(&mut self) {
        self.seq += 1;
    }

    fn after_evaluation(&mut self) {
        let Some(cur) = self.pipeline.evaluation() else {
            return;
        };
        let layout = self.pipeline.layout();
        let state = self.pipeline.state();
        let details = detail_entries(
            layout,
            state,
            self.prev.as_ref(),
            cur,
            self.seen,
            &mut self.turned,
        );
        let lines = cur
            .timeline
            .iter()
            .chain(&details)
            .map(TimelineLine::from)
            .collect::<Vec<_>>();
        self.seen = Seen::all(state);
        self.lines_added += lines.len() as u64;
        self.timeline.extend(lines);
        while self.timeline.len() > TIMELINE_KEPT {
            self.timeline.pop_front();
        }
        self.prev = Some(cur.clone());
    }

    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The newest timeline lines, oldest first.
    pub fn timeline(&self) -> &VecDeque<TimelineLine> {
        &self.timeline
    }

    /// Timeline lines ever added: a line's number is its place in that count.
    pub fn lines_added(&self) -> u64 {
        self.lines_added
    }

    /// Events folded so far: the position of the next event in the log (unreadable lines of
    /// a recording are not events and not counted).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// When the state was last evaluated (a batch's time or a tick).
    pub fn evaluated(&self) -> Option<DateTime<Utc>> {
        self.evaluated
    }
}
