//! The answer to the operator's last action, shown at the right of the footer until the next
//! key: `marked: doors open`, `RB-03 acknowledged`, `INC-1 resolved`. The model source gives it
//! once the log took the action ([`crate::app::Answer`]); this is only what the operator reads
//! back.

use crate::model::{IncidentState, OperatorAction};

use super::keys::InputMode;

/// The confirmation of one action; in a replay notes are post-mortem, kept apart.
pub fn for_action(action: &OperatorAction, mode: InputMode) -> String {
    let noted = if mode == InputMode::Replay {
        "post-mortem note"
    } else {
        "noted"
    };
    match action {
        OperatorAction::RunbookAck { step } => format!("{step} acknowledged"),
        OperatorAction::RunbookDone { step } => format!("{step} done"),
        OperatorAction::RunbookSkip { step, reason } => match reason {
            Some(r) => format!("{step} skipped: {r}"),
            None => format!("{step} skipped"),
        },
        OperatorAction::RunbookNote { step, text } => format!("{noted} on {step}: {text}"),
        OperatorAction::Annotation { text } if mode == InputMode::Replay => {
            format!("{noted}: {text}")
        }
        OperatorAction::Annotation { text } => format!("marked: {text}"),
        OperatorAction::RtnConfirm => "return to normal confirmed".into(),
        OperatorAction::IncidentOpen { fields, .. } => format!(
            "incident opened: {}",
            fields.title.as_deref().unwrap_or_default()
        ),
        OperatorAction::Handover { .. } => {
            "hand-over note saved: the next summary carries it".into()
        }
        OperatorAction::IncidentUpdate { id, fields, .. } => match fields.state {
            Some(IncidentState::Resolved) => format!("{id} resolved"),
            _ => format!("{id} updated"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IncidentFields;

    #[test]
    fn each_action_reads_back_what_was_done() {
        let live = InputMode::Live;
        let mark = OperatorAction::Annotation {
            text: "doors open".into(),
        };
        assert_eq!(for_action(&mark, live), "marked: doors open");
        assert_eq!(
            for_action(&mark, InputMode::Replay),
            "post-mortem note: doors open"
        );
        let ack = OperatorAction::RunbookAck {
            step: "RB-03".into(),
        };
        assert_eq!(for_action(&ack, live), "RB-03 acknowledged");
        let resolve = OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: None,
            fields: IncidentFields {
                state: Some(IncidentState::Resolved),
                ..IncidentFields::default()
            },
        };
        assert_eq!(for_action(&resolve, live), "INC-1 resolved");
    }
}
