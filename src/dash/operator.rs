//! Operator actions from the keyboard as events of the log, shared by the dashboard's sources
//! that take them live (the demo and `watch`): the operator's name and the time, a new
//! incident's id, and the durable write before the action is folded and shown.

use chrono::{DateTime, Utc};

use crate::model::{Event, EventBody, OperatorAction, OperatorEvent};
use crate::pipeline::Pipeline;
use crate::record::Recorder;
use crate::store::State;

/// The event for `action` by `who` at `at`. A new incident (empty id) gets the next free
/// `INC-N` after those already in the state, so a continued recording never reuses an id.
pub fn event(mut action: OperatorAction, who: &str, at: DateTime<Utc>, state: &State) -> Event {
    if let OperatorAction::IncidentOpen { id, .. } = &mut action
        && id.is_empty()
    {
        let last = state
            .operator()
            .incidents()
            .filter_map(|i| i.id.strip_prefix("INC-")?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        *id = format!("INC-{}", last + 1);
    }
    Event {
        at,
        body: EventBody::Operator(OperatorEvent {
            who: who.to_string(),
            post_mortem: false,
            action,
        }),
    }
}

/// Records `action` by `who` at `at` ([`event`], then [`append`]): the footer's error text if
/// the disk refused it.
pub fn record(
    action: OperatorAction,
    who: &str,
    at: DateTime<Utc>,
    recorder: Option<&mut Recorder>,
    pipeline: &mut Pipeline,
) -> Option<String> {
    let e = event(action, who, at, pipeline.state());
    append(recorder, pipeline, std::slice::from_ref(&e))
}

/// Appends `events` to the log: written with an fsync each when recording (operator actions
/// and summaries must never be lost), then folded into `pipeline`. The error's text for the
/// footer if the disk refused; the events are folded either way, so the screen shows them.
pub fn append(
    recorder: Option<&mut Recorder>,
    pipeline: &mut Pipeline,
    events: &[Event],
) -> Option<String> {
    let mut error = None;
    if let Some(rec) = recorder {
        for e in events {
            if let Err(err) = rec.write_durable(e) {
                tracing::error!(error = %err, "recording an operator action or summary failed");
                error = Some(format!("recording: {err}"));
                break;
            }
        }
    }
    if !events.is_empty() {
        pipeline.ingest(events);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IncidentFields;

    fn open(id: &str) -> OperatorAction {
        OperatorAction::IncidentOpen {
            id: id.into(),
            fields: IncidentFields::default(),
        }
    }

    #[test]
    fn a_new_incident_continues_the_numbering_of_the_log() {
        let layout = warroom_core::testing::layout();
        let mut state = State::new(&layout);
        let at = layout.event.start;
        let first = event(open(""), "noc1", at, &state);
        let EventBody::Operator(o) = &first.body else {
            panic!("an operator event");
        };
        assert_eq!(o.action, open("INC-1"));
        assert_eq!(o.who, "noc1");
        // A continued recording already holds INC-4 (opened before a restart).
        state.apply(&event(open("INC-4"), "noc1", at, &state));
        let next = event(open(""), "noc2", at, &state);
        let EventBody::Operator(o) = &next.body else {
            panic!("an operator event");
        };
        assert_eq!(o.action, open("INC-5"), "never reuses an id");
    }
}
