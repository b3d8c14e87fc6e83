//! The summary overlay's keys (`s`): `e` edits the headline in a one-line prompt pre-filled with
//! the drafted one, `n` adds a note, `S` or enter asks once ([`Confirm::SendSummary`]), naming the
//! recipients (the sinks), and `y` sends now (esc or any other key does not). The edits are kept here (UI state,
//! not yet in the log) until sent; sending is an [`Effect::SendSummary`] the source turns into a
//! `summary` event written to the log, then queued for delivery. Not offered in replay, nor
//! where the session cannot send (`watch` without `--record`).

use super::app::{Confirm, Effect, InputPurpose, TextInput, UiState};
use super::keys::{Action, InputMode};
use super::view_model::ScreenModel;

/// The operator's edits to the next summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryDraft {
    pub headline: Option<String>,
    pub(crate) note: Option<String>,
}

/// `e`, `n`, `S`/enter while the summary overlay is open.
pub(crate) fn handle(ui: &mut UiState, action: Action, m: &ScreenModel) -> Vec<Effect> {
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
            return ui.ask(Confirm::SendSummary {
                recipients: m.summary_recipients.len(),
            });
        }
        _ => return vec![],
    }
    vec![Effect::Redraw]
}

/// A submitted prompt of the summary overlay: kept in the draft (an unchanged headline is no
/// override).
pub(crate) fn submitted(ui: &mut UiState, purpose: &InputPurpose, text: String, m: &ScreenModel) {
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
pub(crate) fn header_lines(ui: &UiState, m: &ScreenModel) -> Vec<String> {
    if ui.mode == InputMode::Replay {
        return vec![
            "Replay: summaries are not sent from here (warroom summary FILE --send)".into(),
        ];
    }
    if !m.summary_sendable || ui.read_only {
        return Vec::new();
    }
    let mut v = Vec::new();
    if matches!(ui.confirm, Some(Confirm::SendSummary { .. })) {
        v.push("Send this summary to leadership now?".into());
        if m.summary_recipients.is_empty() {
            v.push("Recipients: none configured; it is written to the event log only".into());
        } else {
            v.push(format!("Recipients: {}", m.summary_recipients.join(", ")));
        }
        v.push("y send  esc cancel".into());
        v.push(String::new());
        return v;
    }
    if let Some(h) = &ui.summary.headline {
        v.push(format!("Headline (edited): {h}"));
    }
    if let Some(n) = &ui.summary.note {
        v.push(format!("Note: {n}"));
    }
    v.push("e edit headline  n note  S/enter send (asks first)".into());
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
                .any(|l| l.contains("S/enter send"))
        );
        m.summary_sendable = false;
        assert!(header_lines(&ui, &m).is_empty());
        assert!(handle(&mut ui, Action::SummarySend, &m).is_empty());
    }

    #[test]
    fn sending_names_the_recipients_and_asks_once() {
        let m = crate::fixture::seoul_degraded();
        let mut ui = UiState::new(InputMode::Live);
        ui.summary.note = Some("watching Virginia".into());
        let first = handle(&mut ui, Action::SummarySend, &m);
        assert!(
            !first
                .iter()
                .any(|e| matches!(e, Effect::SendSummary { .. })),
            "S alone sends nothing"
        );
        let lines = header_lines(&ui, &m);
        assert!(
            lines.iter().any(|l| l == "Recipients: directory:summaries"),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("y send")), "{lines:?}");
        assert_eq!(
            ui.confirm.as_ref().map(Confirm::question).as_deref(),
            Some("send this summary to 1 recipient now? y/n")
        );
        // `y` sends, with the edits.
        let sent = ui.handle(Action::Char('y'), &m);
        assert_eq!(
            sent.first(),
            Some(&Effect::SendSummary {
                headline: None,
                note: Some("watching Virginia".into()),
            })
        );
        // Anything else first cancels: `y` alone sends nothing.
        ui.handle(Action::SummarySend, &m);
        ui.handle(Action::Char('n'), &m);
        assert_eq!(ui.confirm, None);
        assert_eq!(ui.handle(Action::Char('y'), &m), vec![]);
    }
}
