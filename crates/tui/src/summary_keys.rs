//! The summary overlay's keys (`s`): `e` edits the headline in a one-line prompt pre-filled with
//! the drafted one, `n` adds a note, `S` or enter sends now. The edits are kept here (UI state,
//! not yet in the log) until sent; sending is an [`Effect::SendSummary`] the source turns into a
//! `summary` event written to the log, then queued for delivery. Not offered in replay, nor
//! where the session cannot send (`watch` without `--record`).

use super::app::{Effect, InputPurpose, TextInput, UiState};
use super::keys::{Action, InputMode};
use super::view_model::ScreenModel;

/// The operator's edits to the next summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryDraft {
    pub headline: Option<String>,
    pub note: Option<String>,
}

/// `e`, `n`, `S`/enter while the summary overlay is open.
pub fn handle(ui: &mut UiState, action: Action, m: &ScreenModel) -> Vec<Effect> {
    if ui.mode == InputMode::Replay || !m.summary_sendable {
        return vec![];
    }
    match action {
        Action::SummaryHeadline => {
            let text = ui
                .summary
                .headline
                .clone()
                .unwrap_or_else(|| m.summary_headline.clone());
            ui.input = Some(TextInput {
                purpose: InputPurpose::SummaryHeadline,
                text,
            });
        }
        Action::SummaryNote => {
            let text = ui.summary.note.clone().unwrap_or_default();
            ui.input = Some(TextInput {
                purpose: InputPurpose::SummaryNote,
                text,
            });
        }
        Action::SummarySend => {
            let draft = std::mem::take(&mut ui.summary);
            return vec![
                Effect::SendSummary {
                    headline: draft.headline,
                    note: draft.note,
                },
                Effect::Redraw,
            ];
        }
        _ => return vec![],
    }
    vec![Effect::Redraw]
}

/// A submitted prompt of the summary overlay: kept in the draft (an unchanged headline is no
/// override).
pub fn submitted(ui: &mut UiState, purpose: &InputPurpose, text: String, m: &ScreenModel) {
    match purpose {
        InputPurpose::SummaryHeadline => {
            ui.summary.headline = (text != m.summary_headline).then_some(text);
        }
        InputPurpose::SummaryNote => ui.summary.note = Some(text),
        _ => {}
    }
}

/// The lines the overlay shows above the preview: the edits and how to send (nothing is
/// offered where nothing can be sent: the preview says why).
pub fn header_lines(ui: &UiState, m: &ScreenModel) -> Vec<String> {
    if ui.mode == InputMode::Replay {
        return vec![
            "Replay: summaries are not sent from here (warroom summary FILE --send)".into(),
        ];
    }
    if !m.summary_sendable {
        return Vec::new();
    }
    let mut v = Vec::new();
    if let Some(h) = &ui.summary.headline {
        v.push(format!("Headline (edited): {h}"));
    }
    if let Some(n) = &ui.summary.note {
        v.push(format!("Note: {n}"));
    }
    v.push("e edit headline  n note  S/enter send now".into());
    v.push(String::new());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_offered_or_sent_where_the_session_cannot_send() {
        let mut m = crate::fixture::seoul_degraded();
        let mut ui = UiState::new(InputMode::Live);
        assert!(
            header_lines(&ui, &m)
                .iter()
                .any(|l| l.contains("S/enter send now"))
        );
        m.summary_sendable = false;
        assert!(header_lines(&ui, &m).is_empty());
        assert!(handle(&mut ui, Action::SummarySend, &m).is_empty());
    }
}
