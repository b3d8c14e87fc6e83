//! The journal of the process that owns the log (`collect`, `watch`, `demo`): every batch from
//! the sources and every operator request goes through [`Journal`], which writes it to the
//! recording (flushed per batch, fsynced for operator actions and summaries), folds it, makes
//! the summaries that are due, and returns the [`Step`]s it took, in order, so attached screens
//! fold exactly the same thing.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::desk::Desk;
use super::fold::Fold;
use super::request::{self, Refusal, Request, Who};
use crate::board::Change;
use crate::eval::TimelineEntry;
use crate::model::{Event, EventBody, RoomChange, Summary, SummaryRecord};
use crate::record::{RecordError, Recorder};

/// One step of the log as every screen folds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Events appended at log position `seq` (of the first), folded and evaluated at their
    /// newest time.
    Batch { seq: u64, events: Vec<Event> },
    /// Events appended at `seq` and folded without evaluating: summary delivery outcomes,
    /// stamped by another clock than the data's.
    Quiet { seq: u64, events: Vec<Event> },
    /// An evaluation at `at` with nothing new (ages grow, `for` clauses mature).
    Tick { at: DateTime<Utc> },
}

impl Step {
    /// Folds this step into `fold`: what a screen attached to the room does with it. Returns
    /// the evaluator's timeline entries (for a screen's own summary preview).
    pub fn fold_into(&self, fold: &mut Fold) -> Vec<TimelineEntry> {
        match self {
            Step::Batch { events, .. } => fold.apply(events).0,
            Step::Quiet { events, .. } => {
                fold.apply_quiet(events);
                Vec::new()
            }
            Step::Tick { at } => fold.tick(*at),
        }
    }
}

/// What a journal call did: the steps taken (already folded here), the evaluator's timeline
/// entries and the sources' state changes they brought, and the error if the log could not be
/// written (the steps are folded all the same, so the screen shows the data).
#[derive(Debug, Default)]
pub struct Taken {
    pub steps: Vec<Step>,
    pub entries: Vec<TimelineEntry>,
    pub changes: Vec<Change>,
    /// Summaries made on the schedule (written to the log and queued).
    pub made: Vec<Summary>,
    pub error: Option<RecordError>,
}

impl Taken {
    fn failed(mut self, e: RecordError) -> Self {
        self.error = Some(e);
        self
    }
}

/// How often the room is evaluated with nothing new, on the event's clock (a game day's
/// faster one included): ages grow, `for` clauses mature, summaries fall due. The collector,
/// `watch` and `demo` all tick by this.
pub const TICK: TimeDelta = TimeDelta::seconds(5);

pub struct Journal {
    fold: Fold,
    log: Option<Recorder>,
    desk: Option<Desk>,
    /// The time of the last step written to the log, while no `tick` closed it: a step written
    /// next at the same time is parted from it by a `tick`, so a reader grouping the log by
    /// time takes the steps this journal took.
    open_at: Option<DateTime<Utc>>,
}

impl Journal {
    /// A journal over `fold` (the log so far, replayed when continuing a recording), writing to
    /// `log` when recording, making summaries with `desk` when given.
    pub fn new(fold: Fold, log: Option<Recorder>, desk: Option<Desk>) -> Self {
        Journal {
            fold,
            log,
            desk,
            open_at: None,
        }
    }

    /// Makes summaries with `desk` from now on.
    #[must_use]
    pub fn with_desk(mut self, desk: Desk) -> Self {
        self.desk = Some(desk);
        self
    }

    pub fn fold(&self) -> &Fold {
        &self.fold
    }

    /// The recording, when the session records.
    pub fn log(&self) -> Option<&Recorder> {
        self.log.as_ref()
    }

    pub fn desk(&self) -> Option<&Desk> {
        self.desk.as_ref()
    }

    /// The summary an operator would send now (nothing is recorded); None without summaries
    /// or before the first evaluation.
    pub fn preview(&mut self, now: DateTime<Utc>) -> Option<Summary> {
        let pipeline = self.fold.pipeline();
        self.desk.as_mut()?.preview(pipeline, now)
    }

    /// A batch from the sources: written and flushed, folded, then the summaries due at `now`.
    pub fn record(&mut self, batch: Vec<Event>, now: DateTime<Utc>) -> Taken {
        let mut taken = Taken::default();
        if batch.is_empty() {
            return taken;
        }
        let written = self.write(&batch, false, &mut taken);
        self.apply(batch, &mut taken);
        if let Err(e) = written.and_then(|()| self.summaries(now, &mut taken)) {
            return taken.failed(e);
        }
        taken
    }

    /// Evaluates at `now` if the last evaluation is [`TICK`] old or more (or there was none).
    pub fn tick_due(&mut self, now: DateTime<Utc>) -> Option<Taken> {
        let due = self.fold.evaluated().is_none_or(|t| now - t >= TICK);
        due.then(|| self.tick(now))
    }

    /// Nothing arrived: evaluates at `now` and makes the summaries due. When that changed the
    /// room's timeline, the log records the moment (a `tick` event), so a late screen, a replay
    /// and the report evaluate there too and judge as this journal did.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Taken {
        let mut taken = Taken::default();
        let lines = self.fold.lines_added();
        let entries = self.fold.tick(now);
        if let Some(d) = self.desk.as_mut() {
            d.observe(&entries);
        }
        taken.entries = entries;
        if self.fold.lines_added() > lines && self.log.is_some() {
            let seq = self.fold.seq();
            let tick = Event {
                at: now,
                body: EventBody::Tick,
            };
            let written = self.write(std::slice::from_ref(&tick), false, &mut taken);
            self.fold.ticked_in_log();
            taken.steps.push(Step::Batch {
                seq,
                events: vec![tick],
            });
            if let Err(e) = written {
                return taken.failed(e);
            }
        } else {
            taken.steps.push(Step::Tick { at: now });
        }
        if let Err(e) = self.summaries(now, &mut taken) {
            return taken.failed(e);
        }
        taken
    }

    /// Appends the summary delivery outcomes that arrived (the last thing a stopping collector
    /// does: summaries still in flight stay pending in the log and are sent again next start).
    pub fn drain(&mut self) -> Taken {
        let mut taken = Taken::default();
        if let Err(e) = self.outcomes(&mut taken) {
            return taken.failed(e);
        }
        taken
    }

    /// Someone joined or left the room: written, folded.
    pub fn presence(&mut self, change: RoomChange, now: DateTime<Utc>) -> Taken {
        self.record(
            vec![Event {
                at: now,
                body: EventBody::Room(change),
            }],
            now,
        )
    }

    /// An operator's request by `who` at `now`: checked, stamped, written durably (nothing is
    /// folded or shown unless the write succeeded), folded; then the summaries due.
    pub fn act(&mut self, req: Request, who: &Who, now: DateTime<Utc>) -> Result<Taken, Refusal> {
        let event = match req {
            Request::Act(action) => {
                let p = self.fold.pipeline();
                let action = request::check(&action, p.layout(), p.state())?;
                request::check_rtn(&action, p.state(), p.evaluation().map(|e| &e.rtn))?;
                request::event(action, who, now)
            }
            Request::SendSummary { headline, note } => {
                self.on_demand(headline.as_deref(), note.as_deref(), who, now)?
            }
        };
        let mut taken = Taken::default();
        self.write(std::slice::from_ref(&event), true, &mut taken)
            .map_err(|e| Refusal::NotRecorded(e.to_string()))?;
        let summary = match &event.body {
            EventBody::Summary(r) => Some((*r.summary).clone()),
            _ => None,
        };
        self.apply(vec![event], &mut taken);
        if let (Some(s), Some(d)) = (summary, self.desk.as_mut()) {
            d.enqueue(&s);
        }
        if let Err(e) = self.summaries(now, &mut taken) {
            return Ok(taken.failed(e));
        }
        Ok(taken)
    }

    /// The `summary` event of an on-demand summary, committed to the scheduler.
    fn on_demand(
        &mut self,
        headline: Option<&str>,
        note: Option<&str>,
        who: &Who,
        now: DateTime<Utc>,
    ) -> Result<Event, Refusal> {
        let pipeline = self.fold.pipeline();
        let desk = self.desk.as_mut().ok_or(Refusal::NoSummaries)?;
        let draft = desk
            .preview(pipeline, now)
            .ok_or_else(|| Refusal::Invalid("nothing has been evaluated yet".into()))?;
        let mut s = crate::summary::edited(&draft, headline, note);
        s.sent_by = Some(who.name.clone());
        desk.commit(&s);
        Ok(summary_event(s, who.user.clone(), now))
    }

    /// Folds `events` (already written) as one batch and lets the scheduler see its timeline.
    fn apply(&mut self, events: Vec<Event>, taken: &mut Taken) {
        let seq = self.fold.seq();
        let (entries, changes) = self.fold.apply(&events);
        if let Some(d) = self.desk.as_mut() {
            d.observe(&entries);
        }
        taken.entries.extend(entries);
        taken.changes.extend(changes);
        taken.steps.push(Step::Batch { seq, events });
    }

    /// Appends the delivery outcomes that arrived, then writes, folds and queues the summary
    /// due at `now` (the log is the outbox: written before any sink sees it).
    fn summaries(&mut self, now: DateTime<Utc>, taken: &mut Taken) -> Result<(), RecordError> {
        self.outcomes(taken)?;
        let Some(desk) = self.desk.as_mut() else {
            return Ok(());
        };
        let Some(s) = desk.due(self.fold.pipeline(), now) else {
            return Ok(());
        };
        let event = summary_event(s.clone(), None, now);
        self.write(std::slice::from_ref(&event), true, taken)?;
        self.apply(vec![event], taken);
        if let Some(d) = self.desk.as_mut() {
            d.enqueue(&s);
            tracing::info!(id = %s.id, kind = s.kind_word(), "summary written and queued");
        }
        taken.made.push(s);
        self.outcomes(taken)
    }

    /// Writes and folds (quietly) the delivery outcomes that arrived.
    fn outcomes(&mut self, taken: &mut Taken) -> Result<(), RecordError> {
        let Some(desk) = self.desk.as_mut() else {
            return Ok(());
        };
        let events = desk.outcomes();
        if events.is_empty() {
            return Ok(());
        }
        self.write(&events, true, taken)?;
        let seq = self.fold.seq();
        self.fold.apply_quiet(&events);
        taken.steps.push(Step::Quiet { seq, events });
        Ok(())
    }

    /// Writes one step's `events` (fsynced when `durable`: operator actions, summaries and
    /// their deliveries). A step at the time of the one before is parted from it by a `tick`
    /// (written, folded and published like any event) so that readers take the same steps.
    fn write(
        &mut self,
        events: &[Event],
        durable: bool,
        taken: &mut Taken,
    ) -> Result<(), RecordError> {
        let Some(first) = events.first() else {
            return Ok(());
        };
        if self.log.is_none() {
            return Ok(());
        }
        if self.open_at == Some(first.at) && first.body != EventBody::Tick {
            let tick = Event {
                at: first.at,
                body: EventBody::Tick,
            };
            self.open_at = None;
            self.write(std::slice::from_ref(&tick), false, taken)?;
            self.apply(vec![tick], taken);
        }
        let Some(log) = self.log.as_mut() else {
            return Ok(());
        };
        if durable {
            for e in events {
                log.write_durable(e)?;
            }
        } else {
            log.write_batch(events)?;
        }
        self.open_at = events
            .last()
            .filter(|e| e.body != EventBody::Tick)
            .map(|e| e.at);
        Ok(())
    }
}

/// The `summary` event of `s`; `user`: the account of the screen that sent it on demand.
fn summary_event(s: Summary, user: Option<String>, at: DateTime<Utc>) -> Event {
    Event {
        at,
        body: EventBody::Summary(SummaryRecord {
            summary: Box::new(s),
            user,
        }),
    }
}
