//! Leadership summaries in the demo: the scheduler runs on the simulated event's time after every
//! batch; a due summary is written to the recording (when recording), folded into the state, and
//! delivered at once to a directory of Markdown files (`warroom demo --summaries DIR`). The
//! layout's own sinks are not used by the demo, so a simulated event never posts to a real
//! webhook or topic.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::delivery::sink::DirectorySink;
use crate::eval::TimelineEntry;
use crate::model::{
    DeliveryState, Event, EventBody, Summary, SummaryDelivery, SummaryKind, SummaryRecord,
};
use crate::pipeline::Pipeline;
use crate::summary::Scheduler;

pub struct DemoSummaries {
    scheduler: Scheduler,
    sink: DirectorySink,
    /// The last summary made and where it went, for the footer.
    pub last: Option<String>,
}

impl DemoSummaries {
    pub fn new(started: DateTime<Utc>, dir: PathBuf) -> Self {
        DemoSummaries {
            scheduler: Scheduler::new(started),
            sink: DirectorySink::new(format!("directory:{}", dir.display()), dir),
            last: None,
        }
    }

    pub fn observe(&mut self, entries: &[TimelineEntry]) {
        self.scheduler.observe(entries);
    }

    /// The next summary as an operator would send it now (nothing recorded).
    pub fn preview(&mut self, pipeline: &Pipeline, now: DateTime<Utc>) -> Option<Summary> {
        self.scheduler
            .preview(pipeline, now, SummaryKind::OnDemand, None)
    }

    /// The events to append for an on-demand summary sent now by `who` with their headline and
    /// note: the summary, then its delivery.
    pub fn send_now(
        &mut self,
        pipeline: &Pipeline,
        now: DateTime<Utc>,
        who: &str,
        headline: Option<String>,
        note: Option<String>,
    ) -> Vec<Event> {
        let Some(mut s) = self.preview(pipeline, now) else {
            return Vec::new();
        };
        s.headline_override = headline;
        s.note = note;
        s.sent_by = Some(who.to_string());
        self.scheduler.commit(&s);
        self.deliver(s, now)
    }

    /// The events to append if a summary is due at `now`: the summary, then its delivery.
    pub fn due(&mut self, pipeline: &Pipeline, now: DateTime<Utc>) -> Vec<Event> {
        let Some(s) = self.scheduler.due(pipeline, now) else {
            return Vec::new();
        };
        self.deliver(s, now)
    }

    fn deliver(&mut self, s: Summary, now: DateTime<Utc>) -> Vec<Event> {
        let (state, detail) = match self.sink.send(&s) {
            Ok(d) => (DeliveryState::Sent, d),
            Err(e) => (DeliveryState::Failed, e.detail),
        };
        self.last = Some(format!("summary {} {}", s.id, detail));
        let delivery = SummaryDelivery {
            id: s.id.clone(),
            sink: self.sink.name.clone(),
            state,
            detail: Some(detail),
            attempt: 1,
            next_retry: None,
        };
        vec![
            Event {
                at: now,
                body: EventBody::Summary(SummaryRecord {
                    summary: Box::new(s),
                }),
            },
            Event {
                at: now,
                body: EventBody::SummaryDelivery(delivery),
            },
        ]
    }
}

/// The demo's default summary directory: `warroom-summaries` in the temporary directory.
pub fn default_dir() -> PathBuf {
    std::env::temp_dir().join("warroom-summaries")
}
