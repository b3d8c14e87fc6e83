//! The key map: a pure function from the input context and a key event to an [`Action`] the
//! app handles; also the table of bindings the help overlay lists, so both stay in step.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What drives the clock: keys for pause, speed and seek exist only in replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// Live polling or the simulator.
    Live,
    Replay,
}

/// The overlays, in the order they are drawn over the base screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Overlay {
    Runbook,
    Incidents,
    Timeline,
    Summary,
    /// Return to normal: confirm or refuse the declaration, tick the procedure.
    Rtn,
    /// The event's people: who is in the room, bridge, contacts, step owners.
    People,
    Help,
}

/// Where a key lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyContext {
    pub mode: InputMode,
    /// The topmost overlay, if any.
    pub overlay: Option<Overlay>,
    /// A text field has focus (note, mark, incident form, go-to-time): printable keys
    /// are text, not commands.
    pub text_input: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Help,
    Runbook,
    Incidents,
    Timeline,
    Mark,
    /// `h`: write a shift hand-over note (the next summary carries it).
    Handover,
    SummaryPreview,
    /// `p`: the event's people.
    People,
    /// In the summary overlay: edit the headline, add a note, send now.
    SummaryHeadline,
    SummaryNote,
    SummarySend,
    /// `n`: the return-to-normal overlay; in it `c` confirms, `x` refuses.
    RtnOverlay,
    RtnConfirm,
    RtnRefuse,
    /// Enter: zoom the selected panel to a full-screen chart.
    Zoom,
    /// `1`..`9`: show that panel (tab) on small screens.
    Tab(u8),
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    /// `q`: the app asks first when a form holds unsaved input.
    Quit,
    /// Ctrl-C: quit now (raw mode turns it into a key, not a signal).
    Interrupt,
    /// Ctrl-L: repaint everything (after line noise on a poor SSH link).
    Repaint,
    /// Esc: close the topmost overlay or cancel a text field.
    Close,
    // In the runbook overlay.
    Ack,
    Done,
    Note,
    /// Skip the selected step: asks for the reason.
    Skip,
    // In the incidents overlay.
    NewIncident,
    EditIncident,
    ResolveIncident,
    // Replay only.
    TogglePause,
    Faster,
    Slower,
    /// Seek by this many seconds of recording time.
    Seek(i32),
    GoToTime,
    PrevEntry,
    NextEntry,
    // Text fields.
    Char(char),
    Backspace,
    /// Ctrl-W: delete the word before the cursor.
    DeleteWord,
    /// Ctrl-U: clear the line.
    ClearLine,
    Submit,
}

/// Ctrl-W as in a shell: the spaces before the cursor, then the word before them.
pub(crate) fn delete_word(text: &mut String) {
    let kept = text.trim_end().len();
    let cut = text[..kept].rfind(char::is_whitespace).map_or(0, |i| i + 1);
    text.truncate(cut);
}

/// Replay speeds, slowest first; `+`/`-` step through them.
pub(crate) const SPEEDS: [u32; 11] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/// The next speed up or down from `current` (which need not be one of [`SPEEDS`]), clamped to
/// 1x..3600x.
pub fn step_speed(current: u32, faster: bool) -> u32 {
    if faster {
        SPEEDS
            .into_iter()
            .find(|&s| s > current)
            .unwrap_or(SPEEDS[SPEEDS.len() - 1])
    } else {
        SPEEDS
            .into_iter()
            .rev()
            .find(|&s| s < current)
            .unwrap_or(SPEEDS[0])
    }
}

pub fn map_key(ctx: KeyContext, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Interrupt),
        KeyCode::Char('l') if ctrl => return Some(Action::Repaint),
        KeyCode::Esc => return Some(Action::Close),
        KeyCode::Char('w') if ctrl && ctx.text_input => return Some(Action::DeleteWord),
        KeyCode::Char('u') if ctrl && ctx.text_input => return Some(Action::ClearLine),
        _ if ctrl => return None,
        _ => {}
    }
    if ctx.text_input {
        return match key.code {
            KeyCode::Char(c) => Some(Action::Char(c)),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Enter => Some(Action::Submit),
            // Fields of the incident form; ignored by one-line prompts.
            KeyCode::Up | KeyCode::BackTab => Some(Action::Up),
            KeyCode::Down | KeyCode::Tab => Some(Action::Down),
            KeyCode::Left => Some(Action::Left),
            KeyCode::Right => Some(Action::Right),
            _ => None,
        };
    }
    if ctx.mode == InputMode::Replay {
        let replay = match key.code {
            KeyCode::Char(' ') => Some(Action::TogglePause),
            KeyCode::Char('+' | '=') => Some(Action::Faster),
            KeyCode::Char('-' | '_') => Some(Action::Slower),
            KeyCode::Left => Some(Action::Seek(if shift { -600 } else { -60 })),
            KeyCode::Right => Some(Action::Seek(if shift { 600 } else { 60 })),
            KeyCode::Char('g') => Some(Action::GoToTime),
            KeyCode::Char('[') => Some(Action::PrevEntry),
            KeyCode::Char(']') => Some(Action::NextEntry),
            _ => None,
        };
        if replay.is_some() {
            return replay;
        }
    }
    if let Some(a) = ctx.overlay.and_then(|o| overlay_key(o, key.code)) {
        return Some(a);
    }
    Some(match key.code {
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('r') => Action::Runbook,
        KeyCode::Char('i') => Action::Incidents,
        KeyCode::Char('t') => Action::Timeline,
        KeyCode::Char('p') => Action::People,
        KeyCode::Char('m') => Action::Mark,
        KeyCode::Char('h') => Action::Handover,
        KeyCode::Char('s') => Action::SummaryPreview,
        KeyCode::Char('n') => Action::RtnOverlay,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Enter => Action::Zoom,
        KeyCode::Char(c @ '1'..='9') => Action::Tab(c as u8 - b'0'),
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Left | KeyCode::BackTab => Action::Left,
        KeyCode::Char('l') | KeyCode::Right | KeyCode::Tab => Action::Right,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        _ => return None,
    })
}

/// A key of an overlay of its own (`a` in the runbook, `x` in incidents, `S` in the summary).
fn overlay_key(overlay: Overlay, code: KeyCode) -> Option<Action> {
    Some(match (overlay, code) {
        (Overlay::Runbook, KeyCode::Char('a')) => Action::Ack,
        (Overlay::Runbook | Overlay::Rtn, KeyCode::Char('d')) => Action::Done,
        (Overlay::Runbook, KeyCode::Char('n')) => Action::Note,
        (Overlay::Runbook, KeyCode::Char('x')) => Action::Skip,
        (Overlay::Incidents, KeyCode::Char('n')) => Action::NewIncident,
        (Overlay::Incidents, KeyCode::Char('e') | KeyCode::Enter) => Action::EditIncident,
        (Overlay::Incidents, KeyCode::Char('x')) => Action::ResolveIncident,
        (Overlay::Rtn, KeyCode::Char('c')) => Action::RtnConfirm,
        (Overlay::Rtn, KeyCode::Char('x')) => Action::RtnRefuse,
        (Overlay::Summary, KeyCode::Char('e')) => Action::SummaryHeadline,
        (Overlay::Summary, KeyCode::Char('n')) => Action::SummaryNote,
        (Overlay::Summary, KeyCode::Char('S') | KeyCode::Enter) => Action::SummarySend,
        _ => return None,
    })
}

/// One line of the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Binding {
    pub(crate) keys: &'static str,
    pub(crate) what: &'static str,
}

impl Binding {
    /// A dashboard key that acts on the room (`m` mark, `h` hand-over, `n` return to normal's
    /// confirm and refuse): not offered on a read-only screen.
    pub(crate) fn acts(&self) -> bool {
        matches!(self.keys, "m" | "h" | "n")
    }
}

pub(crate) const GLOBAL_KEYS: &[Binding] = &[
    Binding {
        keys: "?",
        what: "this help",
    },
    Binding {
        keys: "r",
        what: "runbook overlay",
    },
    Binding {
        keys: "i",
        what: "incidents",
    },
    Binding {
        keys: "t",
        what: "timeline",
    },
    Binding {
        keys: "p",
        what: "people: room, bridge, contacts, owners",
    },
    Binding {
        keys: "m",
        what: "mark the timeline",
    },
    Binding {
        keys: "h",
        what: "shift hand-over note",
    },
    Binding {
        keys: "s",
        what: "leadership summary preview",
    },
    Binding {
        keys: "n",
        what: "return to normal: c confirm, x refuse, d tick a step",
    },
    Binding {
        keys: "enter",
        what: "zoom the selected panel",
    },
    Binding {
        keys: "1-9",
        what: "show panel N (tab)",
    },
    Binding {
        keys: "j k",
        what: "down / up",
    },
    Binding {
        keys: "tab S-tab",
        what: "next / previous panel (l, arrows)",
    },
    Binding {
        keys: "g G",
        what: "top / bottom (home / end)",
    },
    Binding {
        keys: "esc",
        what: "close overlay, cancel input",
    },
    Binding {
        keys: "q",
        what: "quit (asks if unsaved, or screens attached)",
    },
    Binding {
        keys: "ctrl-c",
        what: "quit now",
    },
    Binding {
        keys: "ctrl-l",
        what: "repaint the screen",
    },
];

pub(crate) const RUNBOOK_KEYS: &[Binding] = &[
    Binding {
        keys: "a",
        what: "ack the selected step",
    },
    Binding {
        keys: "d",
        what: "mark the step done",
    },
    Binding {
        keys: "n",
        what: "note on the step",
    },
    Binding {
        keys: "x",
        what: "skip the step (asks why)",
    },
];

pub(crate) const INCIDENT_KEYS: &[Binding] = &[
    Binding {
        keys: "n",
        what: "open an incident",
    },
    Binding {
        keys: "e, enter",
        what: "edit the selected incident",
    },
    Binding {
        keys: "x",
        what: "resolve it (asks the cause)",
    },
];

pub(crate) const SUMMARY_KEYS: &[Binding] = &[
    Binding {
        keys: "e",
        what: "edit the headline",
    },
    Binding {
        keys: "n",
        what: "add a note",
    },
    Binding {
        keys: "S, enter",
        what: "send to leadership now",
    },
];

pub(crate) const TEXT_KEYS: &[Binding] = &[
    Binding {
        keys: "enter",
        what: "save / submit",
    },
    Binding {
        keys: "esc",
        what: "cancel (asks if unsaved)",
    },
    Binding {
        keys: "ctrl-w",
        what: "delete the word before",
    },
    Binding {
        keys: "ctrl-u",
        what: "clear the line",
    },
    Binding {
        keys: "tab S-tab",
        what: "next / previous field",
    },
    Binding {
        keys: "left/right",
        what: "choose severity, state",
    },
];

pub(crate) const REPLAY_KEYS: &[Binding] = &[
    Binding {
        keys: "space",
        what: "pause / resume",
    },
    Binding {
        keys: "+ -",
        what: "speed, 1x to 3600x",
    },
    Binding {
        keys: "left/right",
        what: "seek 1 minute",
    },
    Binding {
        keys: "S-left/right",
        what: "seek 10 minutes",
    },
    Binding {
        keys: "g",
        what: "go to a time",
    },
    Binding {
        keys: "[ ]",
        what: "prev / next timeline",
    },
];
