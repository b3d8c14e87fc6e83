//! Delivery: one tokio task per sink takes summaries in the order they were written and sends
//! each until it is delivered: retries with exponential back-off, or as long as the receiver's
//! `Retry-After` asks. Every attempt's outcome goes back as a `summary_delivery` event for the
//! caller to append to the log, so delivery state is in the log and survives a restart:
//! [`Delivery::resume`] queues again what the log says is still pending. Nothing is dropped
//! silently: a summary leaves a sink's queue only once sent, or after the last attempt when a
//! limit is set (then its final `failed` event says so).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub mod at_once;
pub mod sink;

use crate::clock::SharedClock;
use crate::model::{DeliveryState, Event, EventBody, Summary, SummaryDelivery};
use crate::store::SummaryBook;
use sink::Sink;

/// How a sink retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Wait after the first failure; doubled after each further one.
    pub first: Duration,
    /// Longest wait between attempts (unless the receiver asks for longer).
    pub max: Duration,
    /// Give up after this many attempts (None: never, the collector's setting).
    pub attempts: Option<u32>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            first: Duration::from_secs(5),
            max: Duration::from_mins(5),
            attempts: None,
        }
    }
}

impl Policy {
    /// The wait after failed attempt number `attempt` (from 1).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
        self.first.saturating_mul(factor).min(self.max)
    }
}

/// The running delivery tasks.
pub struct Delivery {
    queues: Vec<(String, mpsc::UnboundedSender<Arc<Summary>>)>,
    tasks: Vec<JoinHandle<()>>,
}

impl Delivery {
    /// Starts one task per sink. Outcomes are sent to `out` as `summary_delivery` events.
    pub fn start(
        sinks: Vec<Sink>,
        policy: Policy,
        clock: &SharedClock,
        out: &mpsc::UnboundedSender<Event>,
    ) -> Delivery {
        let mut queues = Vec::new();
        let mut tasks = Vec::new();
        for sink in sinks {
            let (tx, rx) = mpsc::unbounded_channel();
            queues.push((sink.name().to_string(), tx));
            tasks.push(tokio::spawn(run(
                sink,
                rx,
                policy,
                clock.clone(),
                out.clone(),
            )));
        }
        Delivery { queues, tasks }
    }

    /// The sinks' names, in order.
    pub(crate) fn sink_names(&self) -> Vec<String> {
        self.queues.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Queues a summary (already written to the log) for every sink.
    pub fn enqueue(&self, s: &Summary) {
        let s = Arc::new(s.clone());
        for (name, q) in &self.queues {
            if q.send(s.clone()).is_err() {
                tracing::error!(sink = %name, id = %s.id, "delivery task has stopped");
            }
        }
    }

    /// Queues, per sink, every summary of the log not yet sent to it (oldest first): what a
    /// restarted collector must still deliver.
    pub fn resume(&self, book: &SummaryBook) -> usize {
        let mut queued = 0;
        for e in book.entries() {
            for (name, q) in &self.queues {
                let sent = e
                    .sinks
                    .get(name)
                    .is_some_and(|o| o.state == DeliveryState::Sent);
                if !sent && q.send(Arc::new(e.summary.clone())).is_ok() {
                    queued += 1;
                }
            }
        }
        queued
    }

    /// Stops taking summaries and waits until every queued one is delivered or given up.
    pub async fn finish(self) {
        drop(self.queues);
        for t in self.tasks {
            let _ = t.await;
        }
    }

    /// Stops at once (queued summaries stay pending in the log and are resumed next start).
    pub fn abort(self) {
        for t in self.tasks {
            t.abort();
        }
    }
}

async fn run(
    sink: Sink,
    mut rx: mpsc::UnboundedReceiver<Arc<Summary>>,
    policy: Policy,
    clock: SharedClock,
    out: mpsc::UnboundedSender<Event>,
) {
    let name = sink.name().to_string();
    while let Some(s) = rx.recv().await {
        let mut attempt = 1u32;
        loop {
            let result = sink.send(&s).await;
            let (state, detail, next) = match result {
                Ok(detail) => {
                    tracing::info!(sink = %name, id = %s.id, attempt, "summary sent: {detail}");
                    (DeliveryState::Sent, detail, None)
                }
                Err(e) => {
                    let give_up = policy.attempts.is_some_and(|n| attempt >= n);
                    let wait = e.retry_after.unwrap_or_else(|| policy.backoff(attempt));
                    tracing::warn!(sink = %name, id = %s.id, attempt, give_up, "summary not sent: {}", e.detail);
                    let next = (!give_up).then_some(wait);
                    (DeliveryState::Failed, e.detail, next)
                }
            };
            let now = clock.now();
            let next_retry =
                next.and_then(|w| chrono::TimeDelta::from_std(w).ok().map(|d| now + d));
            let event = Event {
                at: now,
                body: EventBody::SummaryDelivery(SummaryDelivery {
                    id: s.id.clone(),
                    sink: name.clone(),
                    state,
                    detail: Some(detail),
                    attempt,
                    next_retry,
                }),
            };
            if out.send(event).is_err() {
                tracing::error!(sink = %name, id = %s.id, "the log writer has gone; delivery outcome not recorded");
            }
            match next {
                None => break,
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = Policy::default();
        let secs: Vec<u64> = (1..=8).map(|a| p.backoff(a).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(p.backoff(u32::MAX).as_secs(), 300);
    }
}
