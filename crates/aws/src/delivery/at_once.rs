//! The demo's dispatch: every summary written to the log is delivered at once, on the caller's
//! thread, to a directory of Markdown files, and its outcome stamped with the summary's own
//! (simulated) time. The layout's own sinks are never used by the demo, so a simulated event
//! never posts to a real webhook or topic.

use std::path::PathBuf;

use super::sink::DirectorySink;
use crate::journal::Dispatch;
use crate::model::{DeliveryState, Event, EventBody, Summary, SummaryDelivery};

pub struct AtOnce {
    sink: DirectorySink,
    outcomes: Vec<Event>,
}

impl AtOnce {
    /// Delivers to `dir` (sink name `directory:<dir>`).
    pub fn to_directory(dir: PathBuf) -> Self {
        AtOnce {
            sink: DirectorySink::new(format!("directory:{}", dir.display()), dir),
            outcomes: Vec::new(),
        }
    }
}

impl Dispatch for AtOnce {
    fn enqueue(&mut self, s: &Summary) {
        let (state, detail) = match self.sink.send(s) {
            Ok(d) => (DeliveryState::Sent, d),
            Err(e) => (DeliveryState::Failed, e.detail),
        };
        self.outcomes.push(Event {
            at: s.at,
            body: EventBody::SummaryDelivery(SummaryDelivery {
                id: s.id.clone(),
                sink: self.sink.name.clone(),
                state,
                detail: Some(detail),
                attempt: 1,
                next_retry: None,
            }),
        });
    }

    fn outcomes(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.outcomes)
    }

    fn sinks(&self) -> Vec<String> {
        vec![self.sink.name.clone()]
    }
}

/// The demo's default summary directory: `warroom-summaries` in the temporary directory.
pub fn default_dir() -> PathBuf {
    std::env::temp_dir().join("warroom-summaries")
}
