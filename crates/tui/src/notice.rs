//! The answer to the operator's last action, shown at the right of the footer until the next
//! key: `marked: doors open`, `RB-03 acknowledged`, `INC-1 resolved`. The model source gives it
//! once the log took the action ([`crate::app::Answer`]); this is only what the operator reads
//! back.

use crate::model::OperatorAction;

use super::keys::InputMode;

/// The confirmation of one action: its one description
/// ([`OperatorAction::describe`], times on the event's clock `tz`, its zone named: `ETA 21:00
/// KST`, as the incident list shows them), except a new
/// incident (the log numbers it after this), a mark and a hand-over note (what happens to
/// them) and, in a replay, notes (post-mortem, kept apart).
pub fn for_action(action: &OperatorAction, mode: InputMode, tz: chrono_tz::Tz) -> String {
    let replay = mode == InputMode::Replay;
    match action {
        OperatorAction::RunbookNote { step, text } if replay => {
            format!("post-mortem note on {step}: {text}")
        }
        OperatorAction::Annotation { text } if replay => format!("post-mortem note: {text}"),
        OperatorAction::Annotation { .. } => format!("marked: {}", action.describe(tz)),
        OperatorAction::IncidentOpen { fields, .. } => format!(
            "incident opened: {}",
            fields.title.as_deref().unwrap_or_default()
        ),
        OperatorAction::Handover { .. } => {
            "hand-over note saved: the next summary carries it".into()
        }
        other => other.describe(tz),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IncidentFields, IncidentState};

    #[test]
    fn each_action_reads_back_what_was_done() {
        let live = InputMode::Live;
        let mark = OperatorAction::Annotation {
            text: "doors open".into(),
        };
        assert_eq!(
            for_action(&mark, live, chrono_tz::UTC),
            "marked: doors open"
        );
        assert_eq!(
            for_action(&mark, InputMode::Replay, chrono_tz::UTC),
            "post-mortem note: doors open"
        );
        let ack = OperatorAction::RunbookAck {
            step: "RB-03".into(),
        };
        assert_eq!(for_action(&ack, live, chrono_tz::UTC), "RB-03 acknowledged");
        let resolve = OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: None,
            fields: IncidentFields {
                state: Some(IncidentState::Resolved),
                ..IncidentFields::default()
            },
        };
        assert_eq!(for_action(&resolve, live, chrono_tz::UTC), "INC-1 resolved");
        // A time is on the event's clock, its zone named, as the incident list shows it.
        let eta = OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: Some(2),
            fields: IncidentFields {
                eta: chrono::DateTime::from_timestamp(1_781_352_000, 0),
                ..IncidentFields::default()
            },
        };
        assert_eq!(
            for_action(&eta, live, chrono_tz::Asia::Seoul),
            "INC-1 updated (ETA 21:00 KST)"
        );
    }
}
