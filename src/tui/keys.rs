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
    Help,
}

/// Where a key lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyContext {
    pub mode: InputMode,
    /// The topmost overlay, if any.
    pub overlay: Option<Overlay>,
    /// A text field has focus (note, mark, incident form, palette, go-to-time): printable keys
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
    SummaryPreview,
    Palette,
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
    // In the incidents overlay.
    NewIncident,
    EditIncident,
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
    Submit,
}

/// Replay speeds, slowest first; `+`/`-` step through them.
pub const SPEEDS: [u32; 11] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

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
        _ if ctrl => return None,
        _ => {}
    }
    if ctx.text_input {
        return match key.code {
            KeyCode::Char(c) => Some(Action::Char(c)),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Enter => Some(Action::Submit),
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
    match (ctx.overlay, key.code) {
        (Some(Overlay::Runbook), KeyCode::Char('a')) => return Some(Action::Ack),
        (Some(Overlay::Runbook), KeyCode::Char('d')) => return Some(Action::Done),
        (Some(Overlay::Runbook), KeyCode::Char('n')) => return Some(Action::Note),
        (Some(Overlay::Incidents), KeyCode::Char('n')) => return Some(Action::NewIncident),
        (Some(Overlay::Incidents), KeyCode::Char('e') | KeyCode::Enter) => {
            return Some(Action::EditIncident);
        }
        _ => {}
    }
    Some(match key.code {
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('r') => Action::Runbook,
        KeyCode::Char('i') => Action::Incidents,
        KeyCode::Char('t') => Action::Timeline,
        KeyCode::Char('m') => Action::Mark,
        KeyCode::Char('s') => Action::SummaryPreview,
        KeyCode::Char(':') => Action::Palette,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Enter => Action::Zoom,
        KeyCode::Char(c @ '1'..='9') => Action::Tab(c as u8 - b'0'),
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('h') | KeyCode::Left | KeyCode::BackTab => Action::Left,
        KeyCode::Char('l') | KeyCode::Right | KeyCode::Tab => Action::Right,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        _ => return None,
    })
}

/// One line of the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static str,
    pub what: &'static str,
}

pub const GLOBAL_KEYS: &[Binding] = &[
    Binding {
        keys: "?",
        what: "this help",
    },
    Binding {
        keys: "r",
        what: "runbook: every step and its state",
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
        keys: "m",
        what: "mark an annotation on the timeline",
    },
    Binding {
        keys: "s",
        what: "leadership summary preview",
    },
    Binding {
        keys: "enter",
        what: "zoom the selected panel",
    },
    Binding {
        keys: "1-9",
        what: "show panel N (tabs on small screens)",
    },
    Binding {
        keys: ":",
        what: "command palette",
    },
    Binding {
        keys: "j k",
        what: "down / up",
    },
    Binding {
        keys: "h l",
        what: "previous / next panel",
    },
    Binding {
        keys: "g G",
        what: "top / bottom (replay: g is go to time)",
    },
    Binding {
        keys: "esc",
        what: "close the overlay or cancel",
    },
    Binding {
        keys: "q",
        what: "quit (asks first if a form is unsaved)",
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

pub const RUNBOOK_KEYS: &[Binding] = &[
    Binding {
        keys: "a",
        what: "acknowledge the selected step",
    },
    Binding {
        keys: "d",
        what: "mark the step done",
    },
    Binding {
        keys: "n",
        what: "add a note to the step",
    },
];

pub const INCIDENT_KEYS: &[Binding] = &[
    Binding {
        keys: "n",
        what: "open an incident",
    },
    Binding {
        keys: "e enter",
        what: "edit / resolve the selected incident",
    },
];

pub const REPLAY_KEYS: &[Binding] = &[
    Binding {
        keys: "space",
        what: "pause / resume",
    },
    Binding {
        keys: "+ -",
        what: "faster / slower (1x to 3600x)",
    },
    Binding {
        keys: "left right",
        what: "seek 1 minute",
    },
    Binding {
        keys: "shift-left/right",
        what: "seek 10 minutes",
    },
    Binding {
        keys: "g",
        what: "go to a time",
    },
    Binding {
        keys: "[ ]",
        what: "previous / next timeline entry",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEvent;

    const LIVE: KeyContext = KeyContext {
        mode: InputMode::Live,
        overlay: None,
        text_input: false,
    };
    const REPLAY: KeyContext = KeyContext {
        mode: InputMode::Replay,
        ..LIVE
    };

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    fn c(ch: char) -> KeyEvent {
        k(KeyCode::Char(ch))
    }

    #[test]
    fn dashboard_keys() {
        let cases = [
            (c('?'), Some(Action::Help)),
            (c('r'), Some(Action::Runbook)),
            (c('i'), Some(Action::Incidents)),
            (c('t'), Some(Action::Timeline)),
            (c('m'), Some(Action::Mark)),
            (c('s'), Some(Action::SummaryPreview)),
            (c(':'), Some(Action::Palette)),
            (c('q'), Some(Action::Quit)),
            (k(KeyCode::Enter), Some(Action::Zoom)),
            (c('1'), Some(Action::Tab(1))),
            (c('9'), Some(Action::Tab(9))),
            (c('0'), None),
            (c('j'), Some(Action::Down)),
            (c('k'), Some(Action::Up)),
            (c('h'), Some(Action::Left)),
            (c('l'), Some(Action::Right)),
            (c('g'), Some(Action::Top)),
            (c('G'), Some(Action::Bottom)),
            (k(KeyCode::Down), Some(Action::Down)),
            (k(KeyCode::Left), Some(Action::Left)),
            (k(KeyCode::Esc), Some(Action::Close)),
            (c(' '), None),
            (c('+'), None),
            (c('a'), None),
            (c('z'), None),
            (
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Action::Interrupt),
            ),
            (
                KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL),
                Some(Action::Repaint),
            ),
            (
                KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
                None,
            ),
        ];
        for (key, want) in cases {
            assert_eq!(map_key(LIVE, key), want, "{key:?}");
        }
    }

    #[test]
    fn replay_keys() {
        let shift = |code| KeyEvent::new(code, KeyModifiers::SHIFT);
        let cases = [
            (c(' '), Some(Action::TogglePause)),
            (c('+'), Some(Action::Faster)),
            (c('='), Some(Action::Faster)),
            (c('-'), Some(Action::Slower)),
            (k(KeyCode::Left), Some(Action::Seek(-60))),
            (k(KeyCode::Right), Some(Action::Seek(60))),
            (shift(KeyCode::Left), Some(Action::Seek(-600))),
            (shift(KeyCode::Right), Some(Action::Seek(600))),
            (c('g'), Some(Action::GoToTime)),
            (c('['), Some(Action::PrevEntry)),
            (c(']'), Some(Action::NextEntry)),
            (k(KeyCode::Home), Some(Action::Top)),
            (c('G'), Some(Action::Bottom)),
            (c('h'), Some(Action::Left)),
            (c('r'), Some(Action::Runbook)),
            (c('q'), Some(Action::Quit)),
        ];
        for (key, want) in cases {
            assert_eq!(map_key(REPLAY, key), want, "{key:?}");
        }
    }

    #[test]
    fn overlay_keys() {
        let runbook = KeyContext {
            overlay: Some(Overlay::Runbook),
            ..LIVE
        };
        assert_eq!(map_key(runbook, c('a')), Some(Action::Ack));
        assert_eq!(map_key(runbook, c('d')), Some(Action::Done));
        assert_eq!(map_key(runbook, c('n')), Some(Action::Note));
        assert_eq!(map_key(runbook, c('j')), Some(Action::Down));
        assert_eq!(map_key(runbook, k(KeyCode::Esc)), Some(Action::Close));
        let incidents = KeyContext {
            overlay: Some(Overlay::Incidents),
            ..LIVE
        };
        assert_eq!(map_key(incidents, c('n')), Some(Action::NewIncident));
        assert_eq!(
            map_key(incidents, k(KeyCode::Enter)),
            Some(Action::EditIncident)
        );
        assert_eq!(map_key(incidents, c('a')), None);
    }

    #[test]
    fn text_fields_take_printable_keys() {
        let form = KeyContext {
            text_input: true,
            ..REPLAY
        };
        assert_eq!(map_key(form, c('q')), Some(Action::Char('q')));
        assert_eq!(map_key(form, c(' ')), Some(Action::Char(' ')));
        assert_eq!(map_key(form, c('?')), Some(Action::Char('?')));
        assert_eq!(
            map_key(form, k(KeyCode::Backspace)),
            Some(Action::Backspace)
        );
        assert_eq!(map_key(form, k(KeyCode::Enter)), Some(Action::Submit));
        assert_eq!(map_key(form, k(KeyCode::Esc)), Some(Action::Close));
        assert_eq!(map_key(form, k(KeyCode::Left)), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map_key(form, ctrl_c), Some(Action::Interrupt));
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut key = c('q');
        key.kind = KeyEventKind::Release;
        assert_eq!(map_key(LIVE, key), None);
    }

    #[test]
    fn speeds_step_and_clamp() {
        assert_eq!(step_speed(1, true), 2);
        assert_eq!(step_speed(60, true), 120);
        assert_eq!(step_speed(3600, true), 3600);
        assert_eq!(step_speed(1, false), 1);
        assert_eq!(step_speed(60, false), 30);
        assert_eq!(step_speed(45, false), 30);
        assert_eq!(step_speed(45, true), 60);
    }
}
