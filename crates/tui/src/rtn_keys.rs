//! The return-to-normal overlay (`n`): where the return to normal stands (criteria, declared,
//! confirmed or refused), and once it is declared, the runbook's `## Return to normal`
//! procedure as steps to tick, the operational and the technical track apart. `c` confirms the
//! declaration, `x` refuses it with a reason (a prompt), `d` ticks the selected step. Each is an
//! operator action through the session's journal, so every screen of the room sees it; the
//! collector refuses a confirmation before the declaration, and says why.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::app::{Confirm, Effect, InputPurpose, TextInput, UiState};
use super::keys::{Action, InputMode};
use super::view_model::ScreenModel;
use crate::model::OperatorAction;

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub who: String,
    pub at: DateTime<Utc>,
}

/// One step of the return-to-normal procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtnStepModel {
    /// `RTN-1`: ticked as a runbook step.
    pub id: String,
    pub text: String,
    /// `Operational` or `Technical`.
    pub track: &'static str,
    pub done: Option<Done>,
}

/// Closing the event: the confirmation and the procedure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RtnCloseModel {
    pub confirmed: Option<Done>,
    /// The newest refusal and its reason (while not confirmed).
    pub refused: Option<(Done, String)>,
    /// Operational steps first, then technical, each in runbook order.
    pub procedure: Vec<RtnStepModel>,
}

/// `c`, `x`, `d` in the overlay (not in a replay: the room's decision is made live).
pub(crate) fn handle(ui: &mut UiState, action: Action, m: &ScreenModel) -> Vec<Effect> {
    if ui.mode == InputMode::Replay {
        return vec![];
    }
    match action {
        // Ends the event and sends the final summary: asks once, saying so.
        Action::RtnConfirm => ui.ask(Confirm::RtnConfirm {
            recipients: m.summary_recipients.len(),
            sendable: m.summary_sendable,
        }),
        Action::RtnRefuse => {
            ui.input = Some(TextInput {
                purpose: InputPurpose::RtnRefuse,
                text: String::new(),
            });
            vec![Effect::Redraw]
        }
        Action::Done => match m.rtn_close.procedure.get(ui.selected) {
            Some(s) if m.rtn.declared.is_some() && s.done.is_none() => {
                vec![Effect::Operator(OperatorAction::RunbookDone {
                    step: s.id.clone(),
                })]
            }
            _ => vec![],
        },
        _ => vec![],
    }
}

/// Before the declaration: each criterion and whether it holds (those failing first, as the
/// bar orders them), then the streak against what is needed.
fn criteria_lines(r: &crate::view_model::RtnModel, tz: Tz) -> Vec<String> {
    let mut out = vec![String::new()];
    let failing = r.criteria.iter().filter(|(_, ok)| !*ok);
    let holding = r.criteria.iter().filter(|(_, ok)| *ok);
    for (name, ok) in failing.chain(holding) {
        let word = if *ok { "holds  " } else { "NOT YET" };
        out.push(format!("  {word} {name}"));
    }
    let need = crate::time::format_duration(r.need);
    out.push(String::new());
    out.push(match r.completes_at {
        Some(t) => format!(
            "Streak {} of {need}: declared at {} if every criterion holds on",
            crate::time::format_duration(r.streak),
            hm(t, tz)
        ),
        None => format!("No streak running: every criterion must hold for {need}"),
    });
    out
}

fn hm(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%H:%M").to_string()
}

/// The overlay's lines, and the line of the selected step (none before the declaration).
pub(crate) fn lines(m: &ScreenModel, ui: &UiState) -> (Vec<String>, Option<usize>) {
    let tz = m.header.tz;
    let r = &m.rtn;
    let c = &m.rtn_close;
    let held = r.criteria.iter().filter(|(_, ok)| *ok).count();
    let mut out = Vec::new();
    // Actions are offered live, on a screen that may act.
    let live = ui.mode == InputMode::Live && !ui.read_only;
    match (r.declared, &c.confirmed, &c.refused) {
        (None, _, _) => {
            out.push(format!(
                "Not declared yet ({held}/{} criteria hold): the procedure shows once declared",
                r.criteria.len()
            ));
            out.extend(criteria_lines(r, tz));
            return (out, None);
        }
        (Some(d), Some(ok), _) => out.push(format!(
            "Declared {}; confirmed by {} at {}",
            hm(d, tz),
            ok.who,
            hm(ok.at, tz)
        )),
        (Some(d), None, refused) => {
            out.push(format!("Declared {}; not confirmed yet", hm(d, tz)));
            if let Some((who, why)) = refused {
                out.push(format!(
                    "Refused by {} at {}: {why}",
                    who.who,
                    hm(who.at, tz)
                ));
            }
            if live {
                out.push("c confirm (ends the event; asks first)  x refuse, with a reason".into());
            }
        }
    }
    if let Some(since) = r.relapsed {
        out.push(format!(
            "RELAPSE: a criterion is false again since {}",
            hm(since, tz)
        ));
    }
    if c.procedure.is_empty() {
        out.push("The runbook has no \"## Return to normal\" procedure.".into());
        return (out, None);
    }
    let mut selected = None;
    let mut track = "";
    for (k, s) in c.procedure.iter().enumerate() {
        if s.track != track {
            track = s.track;
            out.push(String::new());
            out.push(format!("{track} track"));
        }
        if k == ui.selected {
            selected = Some(out.len());
        }
        let tick = match &s.done {
            Some(d) => format!("[x] {} ({} {})", s.text, d.who, hm(d.at, tz)),
            None => format!("[ ] {}", s.text),
        };
        out.push(tick);
    }
    if live {
        out.push(String::new());
        out.push("j/k select  d tick the selected step".into());
    }
    (out, selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> ScreenModel {
        let mut m = crate::fixture::seoul_degraded();
        m.rtn.declared = Some(m.header.now);
        m.rtn_close.procedure = vec![
            RtnStepModel {
                id: "RTN-1".into(),
                text: "Announce normal on the bridge".into(),
                track: "Operational",
                done: None,
            },
            RtnStepModel {
                id: "RTN-2".into(),
                text: "Restore the GA dials".into(),
                track: "Technical",
                done: None,
            },
        ];
        m
    }

    #[test]
    fn the_procedure_is_ticked_once_declared_tracks_apart() {
        let mut m = declared();
        let mut ui = UiState::new(InputMode::Live);
        ui.overlay = Some(crate::keys::Overlay::Rtn);
        ui.selected = 1;
        let (lines, sel) = super::lines(&m, &ui);
        let op = lines.iter().position(|l| l == "Operational track");
        let tech = lines.iter().position(|l| l == "Technical track");
        assert!(op.is_some() && tech > op, "{lines:?}");
        assert_eq!(
            sel.map(|i| lines[i].as_str()),
            Some("[ ] Restore the GA dials")
        );
        assert_eq!(
            handle(&mut ui, Action::Done, &m),
            vec![Effect::Operator(OperatorAction::RunbookDone {
                step: "RTN-2".into()
            })]
        );
        // `c` asks once, saying what will happen; only `y` confirms.
        assert_eq!(
            handle(&mut ui, Action::RtnConfirm, &m),
            vec![Effect::Redraw]
        );
        assert_eq!(
            ui.confirm.as_ref().map(Confirm::question).as_deref(),
            Some("confirm return to normal and send the final summary to 1 recipient? y/n")
        );
        assert_eq!(ui.handle(Action::Close, &m), vec![Effect::Redraw]);
        assert_eq!(ui.confirm, None, "esc says no");
        ui.handle(Action::RtnConfirm, &m);
        assert_eq!(
            ui.handle(Action::Char('y'), &m)[0],
            Effect::Operator(OperatorAction::RtnConfirm)
        );
        // Refusing asks why.
        handle(&mut ui, Action::RtnRefuse, &m);
        assert_eq!(
            ui.input.as_ref().map(|i| &i.purpose),
            Some(&InputPurpose::RtnRefuse)
        );
        // Before the declaration nothing is ticked and the procedure is not shown.
        m.rtn.declared = None;
        ui.input = None;
        assert!(handle(&mut ui, Action::Done, &m).is_empty());
        let (lines, sel) = super::lines(&m, &ui);
        assert_eq!(sel, None);
        assert!(lines[0].starts_with("Not declared yet"), "{lines:?}");
    }
}
