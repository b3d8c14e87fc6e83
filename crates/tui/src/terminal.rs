//! Terminal lifecycle: enter raw mode and the alternate screen, and restore the terminal on
//! every exit path (guard drop, error, panic, SIGTERM/SIGINT/SIGHUP, terminal gone). Setup
//! order in `main`: cli -> config -> logging -> [`install_panic_hook`] -> [`init`] -> run.

use std::io::{self, IsTerminal, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, KeyEvent};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use signal_hook::SigId;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The terminal the dashboard draws on.
pub(crate) type Tty = Terminal<CrosstermBackend<Stdout>>;

/// True between [`init`] and the first [`restore`]; makes restore idempotent.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Restores the terminal when dropped: keep it alive for as long as the dashboard runs.
#[derive(Debug)]
#[must_use = "the terminal is restored when the guard drops"]
pub(crate) struct TerminalGuard {
    _private: (),
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Raw mode, alternate screen, hidden cursor, bracketed paste off. Installs the panic hook if
/// `main` has not. On error, whatever was set up is undone before returning.
pub(crate) fn init() -> io::Result<(Tty, TerminalGuard)> {
    if !io::stdout().is_terminal() {
        return Err(io::Error::other("stdout is not a terminal"));
    }
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard { _private: () };
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        Hide,
        DisableBracketedPaste
    )?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((terminal, guard))
}

/// Idempotent: the first call after [`init`] restores, later calls do nothing. Errors are
/// ignored (the terminal may be gone); use [`try_restore`] to see them.
pub(crate) fn restore() {
    let _ = try_restore();
}

pub(crate) fn try_restore() -> io::Result<()> {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    // Raw mode first: it has the wider effect if the rest fails.
    let raw = disable_raw_mode();
    let screen = execute!(io::stdout(), LeaveAlternateScreen, Show);
    raw.and(screen)
}

#[cfg(test)]
/// Whether the terminal is currently set up (between [`init`] and [`restore`]).
pub(crate) fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Chains a hook that restores the terminal before the previous hook prints the panic, so the
/// message lands on the normal screen. Installed once however often it is called.
pub(crate) fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// SIGTERM, SIGINT and SIGHUP (the SSH link dropped) set a flag the loop checks at least once
/// per tick; it then leaves the loop, the guard restores, and the process exits.
#[derive(Debug)]
pub(crate) struct ExitSignals {
    flag: Arc<AtomicBool>,
    ids: Vec<SigId>,
}

impl ExitSignals {
    pub(crate) fn register() -> io::Result<ExitSignals> {
        let flag = Arc::new(AtomicBool::new(false));
        let mut ids = Vec::new();
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            ids.push(signal_hook::flag::register(sig, Arc::clone(&flag))?);
        }
        Ok(ExitSignals { flag, ids })
    }

    /// True once any of the signals arrived.
    pub(crate) fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

impl Drop for ExitSignals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// What one wait for input produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Resize(u16, u16),
    /// Focus, mouse, paste: nothing to do but maybe redraw.
    Other,
    /// Nothing arrived within the timeout.
    Timeout,
    /// Reading the terminal failed (closed, hung up): restore and exit, never retry in a loop.
    Gone,
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test: both parts touch the process-wide ACTIVE flag.
    #[test]
    fn restore_is_idempotent_and_run_by_the_guard() {
        assert!(!is_active());
        assert!(try_restore().is_ok());
        restore();
        assert!(!is_active());
        // Simulate an initialised terminal: the guard must run the restore path once.
        ACTIVE.store(true, Ordering::SeqCst);
        drop(TerminalGuard { _private: () });
        assert!(!is_active());
        restore();
        assert!(!is_active());
    }

    #[test]
    fn panic_hook_installs_once() {
        install_panic_hook();
        install_panic_hook();
        assert!(PANIC_HOOK.is_completed());
    }

    #[test]
    fn sighup_sets_the_exit_flag() {
        let signals = ExitSignals::register().expect("register");
        assert!(!signals.requested());
        signal_hook::low_level::raise(SIGHUP).expect("raise");
        assert!(signals.requested());
    }
}
