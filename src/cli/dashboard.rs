//! Opening the interactive dashboard from a command: refuse without a terminal, read the
//! terminal's capabilities from the environment, run the loop, report how it ended.

use std::io::IsTerminal;

use super::Failure;
use crate::tui::run::ExitReason;
use crate::tui::{Caps, InputMode, ModelSource, Theme, UiState};

/// The dashboard needs a terminal on stdin and stdout.
pub(crate) fn require_terminal(command: &str) -> Result<(), Failure> {
    if std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(Failure::input(format!(
        "stdout is not a terminal: the dashboard needs one; use `warroom {command} --headless` \
         to print the timeline instead"
    )))
}

pub fn open(source: &mut impl ModelSource, mode: InputMode, ascii: bool) -> Result<(), Failure> {
    open_as(source, mode, ascii, false)
}

/// [`open`], for a screen that only watches when `read_only`.
pub fn open_as(
    source: &mut impl ModelSource,
    mode: InputMode,
    ascii: bool,
    read_only: bool,
) -> Result<(), Failure> {
    let theme = Theme::new(Caps::from_env(ascii));
    let ui = if read_only {
        UiState::new(mode).watching_only()
    } else {
        UiState::new(mode)
    };
    let exit = crate::tui::run(source, ui, theme).map_err(Failure::runtime)?;
    tracing::info!(reason = ?exit.reason, frames = exit.frames, "dashboard closed");
    match exit.reason {
        ExitReason::Quit | ExitReason::Signal | ExitReason::TerminalGone => Ok(()),
    }
}
