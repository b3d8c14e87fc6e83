//! The event loop: waits for input or the next tick, asks the model source whether anything
//! changed, applies the UI's effects, and redraws only when something did (coalescing a burst
//! of keys into one frame). Exits on quit, on SIGTERM/SIGINT/SIGHUP, and when the terminal is
//! gone (read or draw error), never spinning.

use std::io;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;

use super::app::{Answer, Effect, UiState};
use super::input::InputWait;
use super::keys::map_key;
use super::terminal::{self, ExitSignals, Input};
use super::theme::Theme;
use super::view;
use super::view_model::ScreenModel;

/// Where the view model comes from: the store and evaluation (live, replay) or a fixture. The
/// loop never touches state directly.
pub trait ModelSource {
    /// Brings the model up to date: drains new events, advances the clock. True when what the
    /// screen shows changed, including the displayed second of the clock.
    fn update(&mut self) -> bool;
    fn model(&self) -> &ScreenModel;
    /// Carries out an operator action or a replay command.
    fn apply(&mut self, effect: Effect);
    /// The answers to operator actions since the last call, once the log took them (or
    /// refused them): the footer reads them back, never before the write succeeded.
    fn answers(&mut self) -> Vec<Answer> {
        Vec::new()
    }
    /// Readable whenever the source has something new to take (the room's messages), so the
    /// loop wakes at once instead of at the next tick.
    fn wake(&self) -> Option<std::os::unix::net::UnixStream> {
        None
    }
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitReason {
    Quit,
    Signal,
    TerminalGone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    pub reason: ExitReason,
    /// Frames drawn: what "redraw only on change" is measured by.
    pub frames: u64,
}

/// Longest wait for input between model updates: the clock shows seconds.
pub const TICK: Duration = Duration::from_millis(250);
/// At most this many queued inputs are handled before the next frame.
const MAX_BURST: usize = 64;

/// Runs the dashboard on the real terminal until quit, signal or hang-up; the terminal is
/// restored on every path (the guard drops here, the panic hook covers panics).
pub fn run(source: &mut impl ModelSource, ui: UiState, theme: Theme) -> io::Result<Exit> {
    let signals = ExitSignals::register()?;
    let mut input = InputWait::new(source.wake())?;
    let (mut term, _guard) = terminal::init()?;
    Ok(run_with(
        &mut term,
        source,
        ui,
        theme,
        |timeout| input.next(timeout),
        || signals.requested(),
    ))
}

/// The loop itself, over any backend and input function, so tests drive it with
/// `TestBackend` and scripted input.
pub fn run_with<B: Backend>(
    term: &mut Terminal<B>,
    source: &mut impl ModelSource,
    mut ui: UiState,
    theme: Theme,
    mut next_input: impl FnMut(Duration) -> Input,
    exit_requested: impl Fn() -> bool,
) -> Exit {
    let mut frames = 0;
    let mut dirty = true;
    let exit = |reason, frames| Exit { reason, frames };
    loop {
        if exit_requested() {
            return exit(ExitReason::Signal, frames);
        }
        dirty |= source.update();
        for a in source.answers() {
            ui.answer(a, source.model());
            dirty = true;
        }
        if dirty {
            if term
                .draw(|f| view::draw(f, source.model(), &ui, theme))
                .is_err()
            {
                return exit(ExitReason::TerminalGone, frames);
            }
            frames += 1;
            dirty = false;
        }
        let mut wait = TICK;
        for _ in 0..MAX_BURST {
            let effects = match next_input(wait) {
                Input::Timeout => break,
                Input::Gone => return exit(ExitReason::TerminalGone, frames),
                Input::Resize(..) | Input::Other => {
                    dirty = true;
                    Vec::new()
                }
                Input::Key(k) => match map_key(ui.key_context(), k) {
                    Some(action) => ui.handle(action, source.model()),
                    None => Vec::new(),
                },
            };
            for e in effects {
                match e {
                    Effect::Quit => return exit(ExitReason::Quit, frames),
                    Effect::Redraw => dirty = true,
                    Effect::Repaint => {
                        // Not `Terminal::clear`: it asks the terminal for the cursor position,
                        // a round trip that stalls on a bad link.
                        if term.backend_mut().clear().is_err() {
                            return exit(ExitReason::TerminalGone, frames);
                        }
                        // Forget what is on screen so the next frame writes every cell.
                        term.swap_buffers();
                        dirty = true;
                    }
                    other => {
                        source.apply(other);
                        dirty = true;
                    }
                }
            }
            // Drain what is already queued without waiting, then draw once.
            wait = Duration::ZERO;
        }
    }
}
