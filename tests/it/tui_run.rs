//! The event loop on `TestBackend` with scripted input: redraws only on change, coalesces a
//! burst of keys into one frame, applies effects, and exits on quit, signal and hang-up.

use std::cell::Cell;
use std::collections::VecDeque;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom_core::model::OperatorAction;
use warroom_tui::app::{Effect, UiState};
use warroom_tui::caps::Caps;
use warroom_tui::fixture;
use warroom_tui::keys::InputMode;
use warroom_tui::run::{Exit, ExitReason, ModelSource, run_with};
use warroom_tui::terminal::Input;
use warroom_tui::theme::Theme;
use warroom_tui::view_model::ScreenModel;

struct Source {
    model: ScreenModel,
    /// `update` reports a change on these calls (0-based).
    changes_at: Vec<usize>,
    updates: usize,
    applied: Vec<Effect>,
}

impl ModelSource for Source {
    fn update(&mut self) -> bool {
        let changed = self.changes_at.contains(&self.updates);
        self.updates += 1;
        changed
    }
    fn model(&self) -> &ScreenModel {
        &self.model
    }
    fn apply(&mut self, effect: Effect) {
        self.applied.push(effect);
    }
}

fn source(changes_at: Vec<usize>) -> Source {
    Source {
        model: fixture::seoul_degraded(),
        changes_at,
        updates: 0,
        applied: Vec::new(),
    }
}

fn key(c: char) -> Input {
    Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Runs with `script` as input (then timeouts) and a signal after `signal_after` loop turns.
fn run(src: &mut Source, script: Vec<Input>, signal_after: usize) -> (Exit, Vec<Duration>) {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("backend");
    let mut script: VecDeque<Input> = script.into();
    let mut waits = Vec::new();
    let turns = Cell::new(0);
    let exit = run_with(
        &mut term,
        src,
        UiState::new(InputMode::Live),
        Theme::new(Caps::FULL),
        |wait| {
            waits.push(wait);
            script.pop_front().unwrap_or(Input::Timeout)
        },
        || {
            turns.set(turns.get() + 1);
            turns.get() > signal_after
        },
    );
    (exit, waits)
}

#[test]
fn idle_screen_draws_once() {
    let mut src = source(vec![]);
    let (exit, waits) = run(&mut src, vec![], 20);
    assert_eq!(
        exit,
        Exit {
            reason: ExitReason::Signal,
            frames: 1
        }
    );
    assert!(
        waits.iter().all(|w| *w == warroom_tui::run::TICK),
        "{waits:?}"
    );
}

#[test]
fn model_changes_redraw() {
    let mut src = source(vec![3, 4, 10]);
    let (exit, _) = run(&mut src, vec![], 20);
    assert_eq!(exit.frames, 4);
}

#[test]
fn a_burst_of_keys_is_one_frame() {
    let mut src = source(vec![]);
    let (exit, waits) = run(&mut src, vec![key('?'), key('?'), key('r'), key('j')], 5);
    assert_eq!(exit.frames, 2, "initial frame plus one for the burst");
    assert_eq!(&waits[1..5], &[Duration::ZERO; 4]);
}

#[test]
fn effects_reach_the_source_and_q_quits() {
    let mut src = source(vec![]);
    let (exit, _) = run(&mut src, vec![key('r'), key('a'), key('q')], 50);
    assert_eq!(exit.reason, ExitReason::Quit);
    assert_eq!(
        src.applied,
        [Effect::Operator(OperatorAction::RunbookAck {
            step: "RB-03".into()
        })]
    );
}

#[test]
fn terminal_gone_and_signals_end_the_loop() {
    let mut src = source(vec![]);
    let (exit, _) = run(&mut src, vec![Input::Timeout, Input::Gone], 50);
    assert_eq!(exit.reason, ExitReason::TerminalGone);
    let mut src = source(vec![]);
    let (exit, _) = run(&mut src, vec![], 0);
    assert_eq!(
        exit,
        Exit {
            reason: ExitReason::Signal,
            frames: 0
        }
    );
}

#[test]
fn resize_redraws() {
    let mut src = source(vec![]);
    let (exit, _) = run(&mut src, vec![Input::Timeout, Input::Resize(100, 30)], 5);
    assert_eq!(exit.frames, 2);
}

#[test]
fn ctrl_l_repaints_every_cell() {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("backend");
    let mut src = source(vec![]);
    let mut script: VecDeque<Input> = vec![
        Input::Timeout,
        Input::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
    ]
    .into();
    let turns = Cell::new(0);
    let exit = run_with(
        &mut term,
        &mut src,
        UiState::new(InputMode::Live),
        Theme::new(Caps::FULL),
        |_| script.pop_front().unwrap_or(Input::Timeout),
        || {
            turns.set(turns.get() + 1);
            turns.get() > 4
        },
    );
    assert_eq!(exit.frames, 2);
    let s: String = term
        .backend()
        .buffer()
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(s.contains("RB-03 FIRING"), "screen redrawn after the clear");
}
