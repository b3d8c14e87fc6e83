//! Key map table tests: every binding in live, replay, overlay and text-field contexts.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use warroom_tui::keys::{Action, InputMode, KeyContext, Overlay, map_key, step_speed};

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
        (c(':'), None),
        (c('p'), Some(Action::People)),
        (c('q'), Some(Action::Quit)),
        (k(KeyCode::Enter), Some(Action::Zoom)),
        (c('1'), Some(Action::Tab(1))),
        (c('9'), Some(Action::Tab(9))),
        (c('0'), None),
        (c('j'), Some(Action::Down)),
        (c('k'), Some(Action::Up)),
        (c('h'), Some(Action::Handover)),
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
        (c('h'), Some(Action::Handover)),
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
    assert_eq!(map_key(runbook, c('x')), Some(Action::Skip));
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
    // Arrows and tab move between and choose in the incident form's fields (and are not
    // replay seeks while typing).
    assert_eq!(map_key(form, k(KeyCode::Left)), Some(Action::Left));
    assert_eq!(map_key(form, k(KeyCode::Tab)), Some(Action::Down));
    assert_eq!(map_key(form, k(KeyCode::BackTab)), Some(Action::Up));
    assert_eq!(map_key(form, k(KeyCode::Home)), None);
    // Ctrl-W and Ctrl-U edit the line as in a shell; outside a field they do nothing.
    let ctrl = |ch| KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL);
    assert_eq!(map_key(form, ctrl('w')), Some(Action::DeleteWord));
    assert_eq!(map_key(form, ctrl('u')), Some(Action::ClearLine));
    assert_eq!(map_key(LIVE, ctrl('w')), None);
    assert_eq!(map_key(LIVE, ctrl('u')), None);
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

#[test]
fn summary_overlay_keys() {
    let ctx = KeyContext {
        mode: InputMode::Live,
        overlay: Some(Overlay::Summary),
        text_input: false,
    };
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    assert_eq!(
        map_key(ctx, key(KeyCode::Char('e'))),
        Some(Action::SummaryHeadline)
    );
    assert_eq!(
        map_key(ctx, key(KeyCode::Char('n'))),
        Some(Action::SummaryNote)
    );
    assert_eq!(
        map_key(ctx, key(KeyCode::Char('S'))),
        Some(Action::SummarySend)
    );
    assert_eq!(map_key(ctx, key(KeyCode::Enter)), Some(Action::SummarySend));
}
