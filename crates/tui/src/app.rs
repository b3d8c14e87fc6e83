//! UI state and its pure update: an [`Action`] from the key map plus the current view model in,
//! [`Effect`]s out (operator actions to append to the log, replay commands, redraw, quit). No
//! I/O here; the run loop executes the effects.

use super::incident_form::{self, IncidentForm};
use super::keys::{Action, InputMode, KeyContext, Overlay, step_speed};
use super::summary_keys::{self, SummaryDraft};
use super::view_model::ScreenModel;
use crate::model::{IncidentFields, IncidentState, OperatorAction};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Redraw,
    /// Clear the terminal and draw everything again (ctrl-l).
    Repaint,
    Quit,
    /// Append to the event log, with the operator's name and the current time. An
    /// `IncidentOpen` comes with an empty id: the driver assigns the next one.
    Operator(OperatorAction),
    Replay(ReplayCommand),
    /// Send the next summary now (on demand), with the operator's headline and note: written
    /// to the event log with the operator's name, then queued for delivery.
    SendSummary {
        headline: Option<String>,
        note: Option<String>,
    },
}

/// What a read-only screen answers to every key that would act (and sends nothing).
pub const READ_ONLY: &str = "read-only screen: actions are off";

/// Whether `action` acts on the room (an operator action, or a prompt or form for one).
fn acts(action: Action) -> bool {
    matches!(
        action,
        Action::Ack
            | Action::Done
            | Action::Note
            | Action::Skip
            | Action::Mark
            | Action::Handover
            | Action::NewIncident
            | Action::EditIncident
            | Action::ResolveIncident
            | Action::SummaryHeadline
            | Action::SummaryNote
            | Action::SummarySend
            | Action::RtnConfirm
            | Action::RtnRefuse
    )
}

/// The replay command of a replay key.
fn replay_command(action: Action, m: &ScreenModel) -> ReplayCommand {
    match action {
        Action::Faster | Action::Slower => ReplayCommand::Speed(step_speed(
            m.replay.map_or(1, |r| r.speed),
            action == Action::Faster,
        )),
        Action::Seek(s) => ReplayCommand::Seek(i64::from(s)),
        Action::PrevEntry => ReplayCommand::PrevEntry,
        Action::NextEntry => ReplayCommand::NextEntry,
        _ => ReplayCommand::TogglePause,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayCommand {
    TogglePause,
    Speed(u32),
    Seek(i64),
    /// Text typed at the go-to-time prompt (`20:05`, `T+10m`), parsed by the driver.
    GoTo(String),
    PrevEntry,
    NextEntry,
}

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPurpose {
    Note {
        step: String,
    },
    /// Why the step is skipped.
    Skip {
        step: String,
    },
    /// What caused the incident being resolved (at the version it was resolved on).
    Cause {
        id: String,
        version: u32,
    },
    Mark,
    GoToTime,
    SummaryHeadline,
    SummaryNote,
    Handover,
    /// Why the return to normal is not confirmed.
    RtnRefuse,
}

/// What the model source says about an operator action once the log took it or refused it:
/// the footer reads it back; a refused incident edit (someone changed the incident first) is
/// reopened over the incident's current state with the operator's changes kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub text: String,
    pub reopen: Option<OperatorAction>,
}

impl Answer {
    pub fn said(text: impl Into<String>) -> Self {
        Answer {
            text: text.into(),
            reopen: None,
        }
    }
}

impl InputPurpose {
    /// The prompt's label, naming the step or incident it acts on (`note on RB-10`): the id was
    /// taken when the prompt opened, and is the one the request carries.
    pub fn label(&self) -> String {
        match self {
            InputPurpose::Note { step } => format!("note on {step}"),
            InputPurpose::Skip { step } => format!("skip {step} because"),
            InputPurpose::Cause { id, .. } => format!("resolve {id}; cause"),
            InputPurpose::Mark => "mark".into(),
            InputPurpose::GoToTime => "go to (T+10m, 20:05, 2026-06-14 20:05, RFC 3339)".into(),
            InputPurpose::SummaryHeadline => "headline".into(),
            InputPurpose::SummaryNote => "summary note".into(),
            InputPurpose::Handover => "hand-over note".into(),
            InputPurpose::RtnRefuse => "not confirmed because".into(),
        }
    }
}

/// A question asked once before something that cannot be undone, saying what will happen: `y`
/// does it; `esc` or any other key does not. The one confirmation of the screen: quitting with
/// unsaved input, closing a room other screens are attached to, sending a summary, confirming
/// the return to normal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// `q` while a text field or the form holds unsaved input.
    QuitUnsaved,
    /// `q` on the screen that serves the room (`demo --serve`, `watch --serve`) while other
    /// screens are attached: quitting closes the room for them.
    CloseRoom { screens: usize },
    /// `S` in the summary overlay (the recipients are listed above the preview).
    SendSummary { recipients: usize },
    /// `c` in the return-to-normal overlay: ends the event, the final summary goes out.
    RtnConfirm { recipients: usize, sendable: bool },
}

fn recipients(n: usize) -> String {
    match n {
        1 => "1 recipient".to_string(),
        n => format!("{n} recipients"),
    }
}

impl Confirm {
    /// The question, as the prompt shows it.
    pub fn question(&self) -> String {
        match self {
            Confirm::QuitUnsaved => "unsaved input: quit anyway? y/n".into(),
            Confirm::CloseRoom { screens: 1 } => "1 screen is attached: close the room? y/n".into(),
            Confirm::CloseRoom { screens } => {
                format!("{screens} screens are attached: close the room? y/n")
            }
            Confirm::SendSummary { recipients: 0 } => {
                "no recipients: write this summary to the event log only? y/n".into()
            }
            Confirm::SendSummary { recipients: n } => {
                format!("send this summary to {} now? y/n", recipients(*n))
            }
            Confirm::RtnConfirm {
                sendable: false, ..
            } => "confirm return to normal (ends the event)? y/n".into(),
            Confirm::RtnConfirm { recipients: 0, .. } => {
                "confirm return to normal and write the final summary to the event log? y/n".into()
            }
            Confirm::RtnConfirm { recipients: n, .. } => format!(
                "confirm return to normal and send the final summary to {}? y/n",
                recipients(*n)
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    pub purpose: InputPurpose,
    pub text: String,
}

/// Everything the screen remembers between frames that is not in the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent screen switches
pub struct UiState {
    pub mode: InputMode,
    pub overlay: Option<Overlay>,
    pub help: bool,
    /// Panel chosen with `1`..`9` or `h`/`l` (index into the model's panels).
    pub focus: Option<usize>,
    /// The focused panel fills the body.
    pub zoom: bool,
    /// Selected line in the open overlay (in the runbook and incidents overlays, the row of
    /// [`UiState::selected_id`] when the key was pressed: see [`UiState::selected_row`]).
    pub selected: usize,
    /// The step or incident selected in the runbook or incidents overlay. Those lists re-sort
    /// (firing steps first) as the data changes: the selection follows the id, never the row.
    pub selected_id: Option<String>,
    pub input: Option<TextInput>,
    /// The incident form, when open (over the incidents overlay).
    pub form: Option<IncidentForm>,
    /// A question waiting for `y` (any other key says no).
    pub confirm: Option<Confirm>,
    /// Edits to the next summary (the summary overlay).
    pub summary: SummaryDraft,
    /// The answer to the last operator action, in the footer until the next key.
    pub notice: Option<String>,
    /// A screen that only watches: operator keys are answered, never sent.
    pub read_only: bool,
}

impl UiState {
    pub fn new(mode: InputMode) -> UiState {
        UiState {
            mode,
            overlay: None,
            help: false,
            focus: None,
            zoom: false,
            selected: 0,
            selected_id: None,
            input: None,
            form: None,
            confirm: None,
            summary: SummaryDraft::default(),
            notice: None,
            read_only: false,
        }
    }

    /// A screen that only watches (`warroom attach --read-only`, a wall display).
    #[must_use]
    pub fn watching_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    pub fn key_context(&self) -> KeyContext {
        KeyContext {
            mode: self.mode,
            overlay: if self.help {
                Some(Overlay::Help)
            } else {
                self.overlay
            },
            text_input: self.input.is_some() || self.form.is_some() || self.confirm.is_some(),
        }
    }

    fn overlay_len(&self, m: &ScreenModel) -> usize {
        match self.overlay {
            Some(Overlay::Runbook) => m.runbook.len(),
            Some(Overlay::Incidents) => m.incidents.len(),
            Some(Overlay::Timeline) => m.timeline.len(),
            Some(Overlay::Summary) => m
                .summary_text(
                    self.summary.headline.as_deref(),
                    self.summary.note.as_deref(),
                )
                .lines()
                .count(),
            Some(Overlay::Rtn) => m.rtn_close.procedure.len(),
            Some(Overlay::People) => m.people.len(),
            Some(Overlay::Help) | None => 0,
        }
    }

    /// The id on row `row` of the open overlay's list, where the list is of steps or incidents.
    fn row_id(&self, m: &ScreenModel, row: usize) -> Option<String> {
        match self.overlay {
            Some(Overlay::Runbook) => m.runbook.get(row).map(|s| s.id.clone()),
            Some(Overlay::Incidents) => m.incidents.get(row).map(|i| i.id.clone()),
            _ => None,
        }
    }

    /// The selected row of the open overlay in this model: where the selected step or incident
    /// is now (the list may have re-sorted since the key that selected it), else the row.
    pub fn selected_row(&self, m: &ScreenModel) -> usize {
        let Some(id) = &self.selected_id else {
            return self.selected;
        };
        let found = match self.overlay {
            Some(Overlay::Runbook) => m.runbook.iter().position(|s| s.id == *id),
            Some(Overlay::Incidents) => m.incidents.iter().position(|i| i.id == *id),
            _ => None,
        };
        found.unwrap_or(self.selected)
    }

    fn open(&mut self, o: Overlay, m: &ScreenModel) {
        if self.overlay == Some(o) {
            self.overlay = None;
            return;
        }
        self.overlay = Some(o);
        self.help = false;
        self.selected = 0;
        if o == Overlay::Timeline {
            self.selected = self.overlay_len(m).saturating_sub(1);
        }
    }

    fn prompt(&mut self, purpose: InputPurpose) {
        self.input = Some(TextInput {
            purpose,
            text: String::new(),
        });
    }

    /// Moves the panel focus one step along the tab order.
    fn cycle_focus(&mut self, m: &ScreenModel, forward: bool) {
        let order = m.tab_order();
        if order.is_empty() {
            return;
        }
        let pos = self.focus.and_then(|f| order.iter().position(|&i| i == f));
        let next = match (pos, forward) {
            (None, true) => 0,
            (None, false) => order.len() - 1,
            (Some(p), true) => (p + 1) % order.len(),
            (Some(p), false) => (p + order.len() - 1) % order.len(),
        };
        self.focus = Some(order[next]);
    }

    /// The effects of one key's action. The footer's notice is cleared: the model source
    /// answers an operator action once the log took it ([`UiState::answer`]).
    pub fn handle(&mut self, action: Action, m: &ScreenModel) -> Vec<Effect> {
        self.notice = None;
        // The key acts on what the operator sees selected: the step or incident, by id.
        self.selected = self.selected_row(m);
        // A screen that only watches answers every acting key the same way, at once: no
        // prompt, no form, nothing sent.
        if self.read_only && !self.key_context().text_input && acts(action) {
            self.notice = Some(READ_ONLY.into());
            return vec![Effect::Redraw];
        }
        let effects = self.dispatch(action, m);
        self.selected_id = self.row_id(m, self.selected);
        if !self.read_only {
            return effects;
        }
        let (acts, rest): (Vec<Effect>, Vec<Effect>) = effects
            .into_iter()
            .partition(|e| matches!(e, Effect::Operator(_) | Effect::SendSummary { .. }));
        if !acts.is_empty() {
            self.notice = Some(READ_ONLY.into());
        }
        rest
    }

    /// The model source's answer to an operator action: read back in the footer; a refused
    /// incident edit reopens the form over the incident as it is now, the operator's changes
    /// kept, to save again or discard.
    pub fn answer(&mut self, a: Answer, m: &ScreenModel) {
        if let Some(OperatorAction::IncidentUpdate { id, fields, .. }) = &a.reopen
            && let Some(current) = m.incidents.iter().find(|i| i.id == *id)
        {
            let mut form = IncidentForm::edit(id, current.version, &current.fields(), m.header.tz);
            form.keep(fields, m.header.tz);
            form.error = Some(a.text.clone());
            self.form = Some(form);
            self.overlay = Some(Overlay::Incidents);
        }
        self.notice = Some(a.text);
    }

    fn dispatch(&mut self, action: Action, m: &ScreenModel) -> Vec<Effect> {
        use Effect::{Quit, Redraw, Replay};
        if let Some(c) = self.confirm.take() {
            return match action {
                Action::Char('y' | 'Y') => self.confirmed(c),
                Action::Interrupt => vec![Quit],
                _ => vec![Redraw],
            };
        }
        if self.input.is_some() {
            return self.handle_input(action, m);
        }
        if self.form.is_some() {
            return self.handle_form(action, m);
        }
        let sel = self.selected;
        let step = m.runbook.get(sel).map(|s| s.id.clone());
        match action {
            Action::Interrupt => return vec![Quit],
            Action::Quit => return self.quit(false, m),
            Action::Repaint => return vec![Effect::Repaint],
            Action::Close if !self.close() => return vec![],
            Action::Close => {}
            Action::Help => self.help = !self.help,
            Action::Runbook => self.open(Overlay::Runbook, m),
            Action::Incidents => self.open(Overlay::Incidents, m),
            Action::Timeline => self.open(Overlay::Timeline, m),
            Action::People => self.open(Overlay::People, m),
            Action::SummaryPreview => self.open(Overlay::Summary, m),
            Action::RtnOverlay => self.open(Overlay::Rtn, m),
            Action::Mark => self.prompt(InputPurpose::Mark),
            Action::Handover => self.prompt(InputPurpose::Handover),
            Action::GoToTime => self.prompt(InputPurpose::GoToTime),
            Action::Zoom if self.overlay.is_some() => return vec![],
            Action::Zoom => {
                if self.focus.is_none() {
                    self.focus = m.tab_order().first().copied();
                }
                self.zoom = self.focus.is_some();
            }
            Action::Tab(n) => {
                let Some(&i) = m.tab_order().get(usize::from(n).saturating_sub(1)) else {
                    return vec![];
                };
                self.focus = Some(i);
            }
            Action::Down => self.selected = (sel + 1).min(self.overlay_len(m).saturating_sub(1)),
            Action::Up => self.selected = sel.saturating_sub(1),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.overlay_len(m).saturating_sub(1),
            Action::Left | Action::Right => self.cycle_focus(m, action == Action::Right),
            Action::Done if self.overlay == Some(Overlay::Rtn) => {
                return crate::rtn_keys::handle(self, action, m);
            }
            Action::RtnConfirm | Action::RtnRefuse => {
                return crate::rtn_keys::handle(self, action, m);
            }
            Action::Ack | Action::Done | Action::Note | Action::Skip => {
                return self.step_action(action, step);
            }
            Action::NewIncident | Action::EditIncident | Action::ResolveIncident => {
                return self.incident(action, m);
            }
            Action::SummaryHeadline | Action::SummaryNote | Action::SummarySend => {
                return summary_keys::handle(self, action, m);
            }
            Action::TogglePause
            | Action::Faster
            | Action::Slower
            | Action::Seek(_)
            | Action::PrevEntry
            | Action::NextEntry => return vec![Replay(replay_command(action, m))],
            Action::Char(_)
            | Action::Backspace
            | Action::DeleteWord
            | Action::ClearLine
            | Action::Submit => return vec![],
        }
        vec![Redraw]
    }

    /// `a`, `d`, `n`, `x` on the selected runbook step: acknowledge and done at once, a note
    /// and a skip after asking for the text.
    fn step_action(&mut self, action: Action, step: Option<String>) -> Vec<Effect> {
        let Some(step) = step else {
            return vec![];
        };
        match action {
            Action::Ack => vec![Effect::Operator(OperatorAction::RunbookAck { step })],
            Action::Done => vec![Effect::Operator(OperatorAction::RunbookDone { step })],
            Action::Note => {
                self.prompt(InputPurpose::Note { step });
                vec![Effect::Redraw]
            }
            Action::Skip => {
                self.prompt(InputPurpose::Skip { step });
                vec![Effect::Redraw]
            }
            _ => vec![],
        }
    }

    /// Asks `c` once; the effects once it is confirmed.
    pub(crate) fn ask(&mut self, c: Confirm) -> Vec<Effect> {
        self.confirm = Some(c);
        vec![Effect::Redraw]
    }

    /// What a confirmed question does.
    fn confirmed(&mut self, c: Confirm) -> Vec<Effect> {
        match c {
            Confirm::QuitUnsaved | Confirm::CloseRoom { .. } => vec![Effect::Quit],
            Confirm::SendSummary { .. } => {
                let draft = std::mem::take(&mut self.summary);
                vec![
                    Effect::SendSummary {
                        headline: draft.headline,
                        note: draft.note,
                    },
                    Effect::Redraw,
                ]
            }
            Confirm::RtnConfirm { .. } => {
                vec![Effect::Operator(OperatorAction::RtnConfirm), Effect::Redraw]
            }
        }
    }

    /// `q`: asks first when other screens are attached to the room this screen serves, or when
    /// `unsaved` input would be lost; else quits.
    fn quit(&mut self, unsaved: bool, m: &ScreenModel) -> Vec<Effect> {
        if m.attached > 0 {
            return self.ask(Confirm::CloseRoom {
                screens: m.attached,
            });
        }
        if unsaved {
            return self.ask(Confirm::QuitUnsaved);
        }
        vec![Effect::Quit]
    }

    /// Esc: closes help, the overlay, the zoom, in that order; false when there was nothing
    /// to close.
    fn close(&mut self) -> bool {
        if self.help {
            self.help = false;
        } else if self.overlay.is_some() {
            self.overlay = None;
        } else if self.zoom {
            self.zoom = false;
        } else {
            return false;
        }
        true
    }

    /// `n`, `e` and `x` in the incidents overlay.
    fn incident(&mut self, action: Action, m: &ScreenModel) -> Vec<Effect> {
        let selected = m.incidents.get(self.selected);
        match (action, selected) {
            (Action::NewIncident, _) => {
                // The impact began, unless the operator says otherwise, with the first trigger
                // still firing.
                let first = m
                    .runbook
                    .iter()
                    .filter(|s| s.state.is_live())
                    .filter_map(|s| s.since)
                    .min();
                self.form = Some(IncidentForm::new_incident_from(first, m.header.tz));
            }
            (Action::EditIncident, Some(i)) => {
                self.form = Some(IncidentForm::edit(
                    &i.id,
                    i.version,
                    &i.fields(),
                    m.header.tz,
                ));
            }
            (Action::ResolveIncident, Some(i)) if i.state != IncidentState::Resolved => {
                // Resolving asks what caused it; the answer goes with the resolution.
                self.prompt(InputPurpose::Cause {
                    id: i.id.clone(),
                    version: i.version,
                });
            }
            _ => return vec![],
        }
        vec![Effect::Redraw]
    }

    fn handle_input(&mut self, action: Action, m: &ScreenModel) -> Vec<Effect> {
        let Some(input) = self.input.as_mut() else {
            return vec![];
        };
        match action {
            Action::Char(c) => input.text.push(c),
            Action::Backspace => {
                input.text.pop();
            }
            Action::DeleteWord => crate::keys::delete_word(&mut input.text),
            Action::ClearLine => input.text.clear(),
            Action::Close => self.input = None,
            Action::Interrupt => return vec![Effect::Quit],
            Action::Quit => {
                let unsaved = !input.text.is_empty();
                return self.quit(unsaved, m);
            }
            Action::Submit => {
                let Some(TextInput { purpose, text }) = self.input.take() else {
                    return vec![Effect::Redraw];
                };
                let text = text.trim().to_string();
                if text.is_empty() {
                    return vec![Effect::Redraw];
                }
                if matches!(
                    purpose,
                    InputPurpose::SummaryHeadline | InputPurpose::SummaryNote
                ) {
                    summary_keys::submitted(self, &purpose, text, m);
                    return vec![Effect::Redraw];
                }
                let effect = match purpose {
                    InputPurpose::Note { step } => {
                        Effect::Operator(OperatorAction::RunbookNote { step, text })
                    }
                    InputPurpose::Skip { step } => Effect::Operator(OperatorAction::RunbookSkip {
                        step,
                        reason: Some(text),
                    }),
                    InputPurpose::Cause { id, version } => {
                        Effect::Operator(OperatorAction::IncidentUpdate {
                            id,
                            version: Some(version),
                            fields: IncidentFields {
                                state: Some(IncidentState::Resolved),
                                cause: Some(text),
                                ..IncidentFields::default()
                            },
                        })
                    }
                    InputPurpose::Mark => Effect::Operator(OperatorAction::Annotation { text }),
                    InputPurpose::Handover => Effect::Operator(OperatorAction::Handover { text }),
                    InputPurpose::RtnRefuse => {
                        Effect::Operator(OperatorAction::RtnRefuse { reason: text })
                    }
                    InputPurpose::GoToTime => Effect::Replay(ReplayCommand::GoTo(text)),
                    InputPurpose::SummaryHeadline | InputPurpose::SummaryNote => {
                        return vec![Effect::Redraw];
                    }
                };
                return vec![effect, Effect::Redraw];
            }
            _ => return vec![],
        }
        vec![Effect::Redraw]
    }

    /// Keys while the incident form is open: typing, moving between fields, choosing, saving.
    fn handle_form(&mut self, action: Action, m: &ScreenModel) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else {
            return vec![];
        };
        if form.confirm_discard {
            form.confirm_discard = false;
            if matches!(action, Action::Char('y' | 'Y')) {
                self.form = None;
            }
            return vec![Effect::Redraw];
        }
        match action {
            Action::Char(c) => form.type_char(c),
            Action::Backspace => form.backspace(),
            Action::DeleteWord => form.edit_text(crate::keys::delete_word),
            Action::ClearLine => form.edit_text(String::clear),
            Action::Down => form.next_field(true),
            Action::Up => form.next_field(false),
            Action::Left | Action::Right => form.cycle(action == Action::Right),
            Action::Close => {
                if form.dirty() {
                    form.confirm_discard = true;
                } else {
                    self.form = None;
                }
            }
            // Ctrl-C quits now, as everywhere.
            Action::Interrupt => return vec![Effect::Quit],
            Action::Quit => {
                let unsaved = form.dirty();
                return self.quit(unsaved, m);
            }
            Action::Submit => {
                let clock = incident_form::EventTime {
                    now: m.header.now,
                    t0: m.header.t0,
                    tz: m.header.tz,
                };
                match form.submit(clock) {
                    Ok(a) => {
                        self.form = None;
                        return vec![Effect::Operator(a), Effect::Redraw];
                    }
                    Err(e) => form.error = Some(e),
                }
            }
            _ => return vec![],
        }
        vec![Effect::Redraw]
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
