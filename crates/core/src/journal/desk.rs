//! Leadership summaries in the journal: the scheduler that says what is due (and drafts the
//! preview an operator would send), and the dispatch that delivers what the journal wrote to
//! the log: the layout's sinks with retries (`warroom_aws::delivery`), or the demo's directory.
//! The log is the outbox: a summary is written durably before any sink sees it, and every
//! delivery outcome comes back as a `summary_delivery` event for the log.

use chrono::{DateTime, Utc};

use crate::eval::TimelineEntry;
use crate::model::{DeliveryState, Event, EventBody, Summary, SummaryKind};
use crate::pipeline::Pipeline;
use crate::summary::Scheduler;

/// Where summaries go once written to the log.
pub trait Dispatch: Send {
    /// Queues a summary (already written to the log) for every sink.
    fn enqueue(&mut self, s: &Summary);
    /// The `summary_delivery` events that arrived since the last call, for the log.
    fn outcomes(&mut self) -> Vec<Event>;
    /// The sinks' names, in layout order.
    fn sinks(&self) -> Vec<String>;
}

/// The scheduler and the dispatch of one log.
pub struct Desk {
    scheduler: Scheduler,
    dispatch: Box<dyn Dispatch>,
    /// What happened last, for a footer: `summary S002-… queued to 2 sinks`.
    last: Option<String>,
}

impl Desk {
    /// `scheduler` has observed the log so far (a continued recording replays it first).
    pub fn new(scheduler: Scheduler, dispatch: Box<dyn Dispatch>) -> Self {
        Desk {
            scheduler,
            dispatch,
            last: None,
        }
    }

    pub(super) fn observe(&mut self, entries: &[TimelineEntry]) {
        self.scheduler.observe(entries);
    }

    /// The summary an operator would send now (nothing is recorded).
    pub(crate) fn preview(&mut self, pipeline: &Pipeline, now: DateTime<Utc>) -> Option<Summary> {
        self.scheduler
            .preview(pipeline, now, SummaryKind::OnDemand, None)
    }

    pub(super) fn due(&mut self, pipeline: &Pipeline, now: DateTime<Utc>) -> Option<Summary> {
        self.scheduler.due(pipeline, now)
    }

    pub(super) fn commit(&mut self, s: &Summary) {
        self.scheduler.commit(s);
    }

    pub(super) fn enqueue(&mut self, s: &Summary) {
        self.dispatch.enqueue(s);
        self.last = Some(format!(
            "summary {} queued to {} sinks",
            s.id,
            self.dispatch.sinks().len()
        ));
    }

    pub(super) fn outcomes(&mut self) -> Vec<Event> {
        let events = self.dispatch.outcomes();
        for e in &events {
            if let EventBody::SummaryDelivery(d) = &e.body {
                let state = match d.state {
                    DeliveryState::Sent => "sent",
                    DeliveryState::Failed => "failed",
                };
                self.last = Some(format!("summary {} {state} to {}", d.id, d.sink));
            }
        }
        events
    }

    /// The sinks' names, in layout order.
    pub fn sinks(&self) -> Vec<String> {
        self.dispatch.sinks()
    }

    /// What happened last, for a footer.
    pub fn last(&self) -> Option<&str> {
        self.last.as_deref()
    }
}
