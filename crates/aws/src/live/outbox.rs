//! Leadership summaries for a live session (`warroom collect`, `warroom watch`): the journal's
//! dispatch to the layout's sinks. The recording is the outbox: the journal writes a summary
//! durably, then queues it here; one delivery task per sink sends it with retries; every
//! outcome comes back as a `summary_delivery` event that the journal appends to the recording.
//! At start-up delivery resumes what the log says is still pending.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc;

use crate::clock::SharedClock;
use crate::delivery::sink::Sink;
use crate::delivery::{Delivery, Policy};
use crate::journal::Dispatch;
use crate::model::{Event, Summary};
use crate::store::SummaryBook;

/// The delivery tasks and the channel their outcomes come back on.
pub struct Outbox {
    delivery: Delivery,
    outcomes: mpsc::UnboundedReceiver<Event>,
}

impl Outbox {
    /// Starts one delivery task per sink (call inside a tokio runtime) and queues again every
    /// summary of `book` (the log so far) not yet delivered to each.
    pub fn start(
        sinks: Vec<Sink>,
        policy: Policy,
        clock: &SharedClock,
        book: &SummaryBook,
    ) -> Outbox {
        let (tx, outcomes) = mpsc::unbounded_channel();
        let delivery = Delivery::start(sinks, policy, clock, &tx);
        let resumed = delivery.resume(book);
        if resumed > 0 {
            tracing::info!(resumed, "pending summary deliveries queued again");
        }
        Outbox { delivery, outcomes }
    }

    /// The clock of delivery events: the pollers' (a simulator's virtual time in game-day
    /// mode), else the wall clock.
    pub fn clock(pollers: Option<crate::clock::Clock>) -> SharedClock {
        match pollers {
            Some(c) => Arc::new(c),
            None => Arc::new(Utc::now),
        }
    }
}

impl Dispatch for Outbox {
    fn enqueue(&mut self, s: &Summary) {
        self.delivery.enqueue(s);
        tracing::info!(id = %s.id, "summary queued to its sinks");
    }

    fn outcomes(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        while let Ok(e) = self.outcomes.try_recv() {
            out.push(e);
        }
        out
    }

    fn sinks(&self) -> Vec<String> {
        self.delivery.sink_names()
    }
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;
