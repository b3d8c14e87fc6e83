//! Leadership summaries for code that owns a live pipeline (`warroom collect`, `warroom watch`):
//! the recording is the outbox. At start-up the existing log is replayed into the pipeline and
//! the scheduler (which makes nothing then) and delivery resumes what the log says is pending;
//! after each batch a due summary is written durably to the recording, folded in, then queued
//! to every sink; the sinks' outcomes (`summary_delivery`) are appended to the recording and
//! folded in as they arrive. An operator's on-demand summary takes the same path.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use crate::config::Layout;
use crate::delivery::sink::Sink;
use crate::delivery::{Clock, Delivery, Policy};
use crate::eval::TimelineEntry;
use crate::model::{DeliveryState, Event, EventBody, Summary, SummaryRecord};
use crate::pipeline::{Pipeline, batches};
use crate::record::{Reader, RecordError, Recorder};
use crate::summary::Scheduler;

/// A pipeline and scheduler with the existing recording replayed into them.
pub struct Replayed {
    pub pipeline: Pipeline,
    pub scheduler: Scheduler,
    /// Events read from the recording.
    pub events: u64,
}

/// Replays `path` (when it exists: a recording continued with `--append`) into a new pipeline
/// and a scheduler that observes it; `start` is the log's start when there is nothing to replay.
pub fn replay(
    layout: &Layout,
    path: Option<&Path>,
    start: DateTime<Utc>,
) -> Result<Replayed, RecordError> {
    let mut pipeline = Pipeline::new(layout);
    let Some(path) = path.filter(|p| p.exists()) else {
        return Ok(Replayed {
            pipeline,
            scheduler: Scheduler::new(start),
            events: 0,
        });
    };
    let (header, mut reader) = Reader::open(path)?;
    let mut scheduler = Scheduler::new(header.start);
    let mut events = 0u64;
    for batch in batches(reader.by_ref()) {
        events += batch.len() as u64;
        scheduler.observe(&pipeline.ingest(&batch));
    }
    Ok(Replayed {
        pipeline,
        scheduler,
        events,
    })
}

/// The scheduler, the delivery tasks and the channel their outcomes come back on.
pub struct Outbox {
    scheduler: Scheduler,
    delivery: Delivery,
    outcomes: mpsc::UnboundedReceiver<Event>,
    /// The last summary written, for a footer: `summary S002-… written, 2 sinks`.
    pub last: Option<String>,
}

impl Outbox {
    /// Starts one delivery task per sink (call inside a tokio runtime) and queues again every
    /// summary the pipeline's log has not yet delivered to each.
    pub fn start(
        scheduler: Scheduler,
        sinks: Vec<Sink>,
        policy: Policy,
        clock: &Clock,
        pipeline: &Pipeline,
    ) -> Outbox {
        let (tx, outcomes) = mpsc::unbounded_channel();
        let delivery = Delivery::start(sinks, policy, clock, &tx);
        let resumed = delivery.resume(pipeline.state().summaries());
        if resumed > 0 {
            tracing::info!(resumed, "pending summary deliveries queued again");
        }
        Outbox {
            scheduler,
            delivery,
            outcomes,
            last: None,
        }
    }

    /// The clock of delivery events: the pollers' (a simulator's virtual time in game-day
    /// mode), else the wall clock.
    pub fn clock(pollers: Option<crate::clock::Clock>) -> Clock {
        match pollers {
            Some(c) => Arc::new(c),
            None => Arc::new(Utc::now),
        }
    }

    /// The sinks' names, in layout order.
    pub fn sink_names(&self) -> Vec<String> {
        self.delivery.sink_names()
    }

    /// Takes in the timeline entries of one evaluation.
    pub fn observe(&mut self, entries: &[TimelineEntry]) {
        self.scheduler.observe(entries);
    }

    /// The summary an operator would send now (nothing is recorded).
    pub fn preview(&mut self, pipeline: &Pipeline, now: DateTime<Utc>) -> Option<Summary> {
        self.scheduler
            .preview(pipeline, now, crate::model::SummaryKind::OnDemand, None)
    }

    /// After a batch: appends the delivery outcomes that arrived, then writes, folds in and
    /// queues the summary due at `now`, if any. Returns it.
    pub fn after_batch(
        &mut self,
        pipeline: &mut Pipeline,
        recorder: &mut Recorder,
        now: DateTime<Utc>,
    ) -> Result<Option<Summary>, RecordError> {
        self.drain(pipeline, recorder)?;
        let Some(s) = self.scheduler.due(pipeline, now) else {
            return Ok(None);
        };
        self.write_and_queue(pipeline, recorder, &s, now)?;
        Ok(Some(s))
    }

    /// Sends `s` (an on-demand summary, edited by the operator) now: written, folded, queued.
    pub fn send(
        &mut self,
        pipeline: &mut Pipeline,
        recorder: &mut Recorder,
        s: &Summary,
        now: DateTime<Utc>,
    ) -> Result<(), RecordError> {
        self.scheduler.commit(s);
        self.write_and_queue(pipeline, recorder, s, now)
    }

    fn write_and_queue(
        &mut self,
        pipeline: &mut Pipeline,
        recorder: &mut Recorder,
        s: &Summary,
        now: DateTime<Utc>,
    ) -> Result<(), RecordError> {
        let event = Event {
            at: now,
            body: EventBody::Summary(SummaryRecord {
                summary: Box::new(s.clone()),
            }),
        };
        // The outbox: durable before any sink sees it, so a crash never loses a summary.
        recorder.write_durable(&event)?;
        let entries = pipeline.ingest(std::slice::from_ref(&event));
        self.scheduler.observe(&entries);
        self.delivery.enqueue(s);
        tracing::info!(id = %s.id, kind = s.kind_word(), "summary written and queued");
        self.last = Some(format!(
            "summary {} queued to {} sinks",
            s.id,
            self.delivery.sink_names().len()
        ));
        Ok(())
    }

    /// Appends every delivery outcome that has arrived to the recording and folds it in.
    /// Returns how many.
    pub fn drain(
        &mut self,
        pipeline: &mut Pipeline,
        recorder: &mut Recorder,
    ) -> Result<usize, RecordError> {
        let mut n = 0;
        while let Ok(event) = self.outcomes.try_recv() {
            recorder.write_durable(&event)?;
            if let EventBody::SummaryDelivery(d) = &event.body {
                let state = match d.state {
                    DeliveryState::Sent => "sent",
                    DeliveryState::Failed => "failed",
                };
                self.last = Some(format!("summary {} {state} to {}", d.id, d.sink));
            }
            // Folded without re-evaluating at the delivery's wall-clock time.
            pipeline.apply(&event);
            n += 1;
        }
        Ok(n)
    }
}

/// What a headless collector makes summaries with: its own pipeline and the outbox.
pub struct LiveSummaries {
    pub pipeline: Pipeline,
    pub outbox: Outbox,
}

impl LiveSummaries {
    /// Folds in a batch already written to the recording, then writes what is due at `now`.
    pub fn batch(
        &mut self,
        batch: &[Event],
        recorder: &mut Recorder,
        now: DateTime<Utc>,
    ) -> Result<Option<Summary>, RecordError> {
        let entries = self.pipeline.ingest(batch);
        self.outbox.observe(&entries);
        self.outbox.after_batch(&mut self.pipeline, recorder, now)
    }

    /// Re-evaluates at `now` while no data arrives (a slot passes on the clock alone).
    pub fn tick(
        &mut self,
        recorder: &mut Recorder,
        now: DateTime<Utc>,
    ) -> Result<Option<Summary>, RecordError> {
        let entries = self.pipeline.evaluate(now);
        self.outbox.observe(&entries);
        self.outbox.after_batch(&mut self.pipeline, recorder, now)
    }
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;
