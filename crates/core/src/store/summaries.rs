//! Leadership summaries in the state fold: every `summary` event (the outbox) and the latest
//! delivery outcome per sink, so views, the scheduler and the delivery task all read the same
//! answer to "what was written, what was sent, what is still pending". Bounded.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{DeliveryState, Summary, SummaryDelivery};

/// Summaries kept (oldest dropped first; a day at a one-minute cadence fits).
const SUMMARIES_KEPT: usize = 2000;

/// The latest outcome of delivering one summary to one sink.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkOutcome {
    pub state: DeliveryState,
    pub at: DateTime<Utc>,
    pub detail: Option<String>,
    pub(crate) attempt: u32,
    pub next_retry: Option<DateTime<Utc>>,
}

/// A summary from the log with its delivery outcomes by sink name.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryEntry {
    /// When it was written to the log.
    pub(crate) written: DateTime<Utc>,
    pub summary: Summary,
    pub sinks: BTreeMap<String, SinkOutcome>,
}

/// Every summary of the log, in log order.
#[derive(Debug, Clone, Default)]
pub struct SummaryBook {
    entries: Vec<SummaryEntry>,
    /// Deliveries naming a summary the book does not hold.
    pub(crate) orphans: u64,
}

impl SummaryBook {
    pub(crate) fn add(&mut self, at: DateTime<Utc>, s: &Summary) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.summary.id == s.id) {
            // The same id again (an edited resend): the newer content wins, outcomes stay.
            e.summary = s.clone();
            return;
        }
        if self.entries.len() >= SUMMARIES_KEPT {
            self.entries.remove(0);
        }
        self.entries.push(SummaryEntry {
            written: at,
            summary: s.clone(),
            sinks: BTreeMap::new(),
        });
    }

    pub(crate) fn delivery(&mut self, at: DateTime<Utc>, d: &SummaryDelivery) {
        let Some(e) = self.entries.iter_mut().rev().find(|e| e.summary.id == d.id) else {
            self.orphans += 1;
            return;
        };
        let outcome = SinkOutcome {
            state: d.state,
            at,
            detail: d.detail.clone(),
            attempt: d.attempt,
            next_retry: d.next_retry,
        };
        match e.sinks.get(&d.sink) {
            // Once sent, a later failure report (a late duplicate attempt) does not undo it.
            Some(o) if o.state == DeliveryState::Sent && d.state == DeliveryState::Failed => {}
            _ => {
                if e.sinks.len() < 64 || e.sinks.contains_key(&d.sink) {
                    e.sinks.insert(d.sink.clone(), outcome);
                }
            }
        }
    }

    /// Every summary, oldest first.
    pub fn entries(&self) -> &[SummaryEntry] {
        &self.entries
    }

    /// The newest summary.
    pub(crate) fn last(&self) -> Option<&SummaryEntry> {
        self.entries.last()
    }
}
