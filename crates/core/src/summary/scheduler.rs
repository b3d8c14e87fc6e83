//! The scheduler: decides, after each batch, whether a summary is due (the slot of the cadence in
//! force has passed and no summary covers it; the event ended; return to normal was declared and
//! confirmed) and builds it. Its memory is the log itself: summaries already written are read
//! from the state's summary book, so a restarted collector that replays its log neither repeats
//! a slot nor skips one (a slot missed while it was down is sent late, once).
//!
//! Use: feed [`Scheduler::observe`] the timeline entries of every batch (also while replaying a
//! log at start-up), then call [`Scheduler::due`] after each live batch and write what it
//! returns to the log before delivering it.

use chrono::{DateTime, Utc};

use super::build::{Inputs, Request, build};
use super::digest::Digest;
use super::schedule;
use crate::eval::TimelineEntry;
use crate::model::{Summary, SummaryKind};
use crate::pipeline::Pipeline;

#[derive(Debug, Clone)]
pub struct Scheduler {
    /// When the log starts: slots before it were never watched and are not due.
    started: DateTime<Utc>,
    digest: Digest,
    /// The newest summary made here or read from the log.
    last: Option<Summary>,
    /// The newest slot covered by an hourly summary.
    last_slot: Option<DateTime<Utc>>,
}

impl Scheduler {
    /// A scheduler for a log whose first event is at `started`.
    pub fn new(started: DateTime<Utc>) -> Self {
        Scheduler {
            started,
            digest: Digest::default(),
            last: None,
            last_slot: None,
        }
    }

    /// Takes in the timeline entries of one evaluation.
    pub fn observe(&mut self, entries: &[TimelineEntry]) {
        self.digest.observe(entries);
    }

    /// Adopts summaries the log holds that this scheduler did not make (a restart, another
    /// writer, an on-demand summary from the dashboard).
    fn sync(&mut self, pipeline: &Pipeline) {
        let book = pipeline.state().summaries();
        for e in book.entries() {
            if e.summary.kind == SummaryKind::Hourly {
                let slot = e.summary.slot.unwrap_or(e.summary.at);
                self.last_slot = Some(self.last_slot.map_or(slot, |l| l.max(slot)));
            }
        }
        if let Some(e) = book.last()
            && self.last.as_ref().is_none_or(|l| e.summary.seq >= l.seq)
        {
            if self.last.as_ref() != Some(&e.summary) {
                self.digest.forget_until(e.summary.at);
            }
            self.last = Some(e.summary.clone());
        }
    }

    /// Records `s` as made (the caller writes it to the log).
    pub(crate) fn commit(&mut self, s: &Summary) {
        if s.kind == SummaryKind::Hourly {
            let slot = s.slot.unwrap_or(s.at);
            self.last_slot = Some(self.last_slot.map_or(slot, |l| l.max(slot)));
        }
        self.digest.forget_until(s.at);
        self.last = Some(s.clone());
    }

    /// Builds a summary of `kind` at `now` without recording it (the dashboard's preview).
    pub fn preview(
        &mut self,
        pipeline: &Pipeline,
        now: DateTime<Utc>,
        kind: SummaryKind,
        slot: Option<DateTime<Utc>>,
    ) -> Option<Summary> {
        self.sync(pipeline);
        let eval = pipeline.evaluation()?;
        let inputs = Inputs {
            layout: pipeline.layout(),
            state: pipeline.state(),
            eval,
            digest: &self.digest,
            prev: self.last.as_ref(),
        };
        Some(build(
            &inputs,
            Request {
                kind,
                at: now,
                slot,
            },
        ))
    }

    /// An on-demand summary at `now`, recorded as made.
    pub fn on_demand(&mut self, pipeline: &Pipeline, now: DateTime<Utc>) -> Option<Summary> {
        let s = self.preview(pipeline, now, SummaryKind::OnDemand, None)?;
        self.commit(&s);
        Some(s)
    }

    /// The summary due at `now`, if any, recorded as made.
    pub fn due(&mut self, pipeline: &Pipeline, now: DateTime<Utc>) -> Option<Summary> {
        let (kind, slot) = self.what_is_due(pipeline, now)?;
        let s = self.preview(pipeline, now, kind, slot)?;
        self.commit(&s);
        Some(s)
    }

    /// Which summary is due at `now`: its kind and slot.
    pub(crate) fn what_is_due(
        &mut self,
        pipeline: &Pipeline,
        now: DateTime<Utc>,
    ) -> Option<(SummaryKind, Option<DateTime<Utc>>)> {
        self.sync(pipeline);
        if self
            .last
            .as_ref()
            .is_some_and(|l| l.kind == SummaryKind::Final)
        {
            return None;
        }
        let layout = pipeline.layout();
        let eval = pipeline.evaluation()?;
        let confirmed = eval.rtn.declared.is_some() && eval.rtn.confirmed.is_some();
        if now >= layout.event.end || confirmed {
            return Some((SummaryKind::Final, None));
        }
        let tz = layout.summary.time_zone;
        let slot = schedule::slot_at_or_before(now, tz, schedule::cadence(layout, eval.overall));
        if slot < self.started || slot < layout.event.start {
            return None;
        }
        if self.last_slot.is_some_and(|l| l >= slot) {
            return None;
        }
        Some((SummaryKind::Hourly, Some(slot)))
    }
}
