//! The dashboard in a real pseudo-terminal: this test binary re-runs itself as the child (the
//! `pty_child` test, active only with `WARROOM_TUI_PTY_CHILD` set), draws the fixture through
//! the real terminal lifecycle and event loop, and the parent reads the screen back through a
//! terminal emulator (`vt100`), presses keys, and checks the terminal is restored on `q` and
//! on SIGHUP.

use std::io::Read;
use std::time::{Duration, Instant};

use crate::support::pty;

use pty::{Master, PtyChild, Session};
use warroom_tui::app::{Effect, UiState};
use warroom_tui::caps::{Caps, EnvSnapshot};
use warroom_tui::fixture::{self, FixtureSource};
use warroom_tui::keys::InputMode;
use warroom_tui::run::{ModelSource, run};
use warroom_tui::theme::Theme;
use warroom_tui::view_model::ScreenModel;

const CHILD_ENV: &str = "WARROOM_TUI_PTY_CHILD";

/// The child side: runs the dashboard on the terminal it was given.
#[test]
fn pty_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let caps = Caps::detect(&EnvSnapshot::from_env(false));
    let mut src = FixtureSource::new(fixture::seoul_degraded());
    if std::env::var_os(PANIC_ENV).is_some() {
        let mut src = PanicOnAction(src);
        let _ = run(&mut src, UiState::new(InputMode::Live), Theme::new(caps));
        return;
    }
    let exit = run(&mut src, UiState::new(InputMode::Live), Theme::new(caps)).expect("run");
    println!("child exit: {:?}", exit.reason);
}

const PANIC_ENV: &str = "WARROOM_TUI_PTY_PANIC";

/// A source that panics when asked to carry out an operator action.
struct PanicOnAction(FixtureSource);

impl ModelSource for PanicOnAction {
    fn update(&mut self) -> bool {
        self.0.update()
    }
    fn model(&self) -> &ScreenModel {
        self.0.model()
    }
    fn apply(&mut self, _: Effect) {
        panic!("deliberate panic in the event loop");
    }
}

/// Starts this test binary as the dashboard child on a new 80x24 pseudo-terminal.
fn spawn_child() -> (PtyChild, Master) {
    pty::spawn(child_command(&[]))
}

/// The command that re-runs this test binary as the `pty_child` test, with extra environment.
fn child_command(env: &[(&str, &str)]) -> portable_pty::CommandBuilder {
    let exe = std::env::current_exe().expect("current exe");
    let mut cmd = pty::command(exe);
    cmd.args([
        "--exact",
        "tui_pty::pty_child",
        "--nocapture",
        "--test-threads=1",
    ]);
    cmd.env(CHILD_ENV, "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Waits up to 15 s for `child` to exit.
fn exited_within_15s(child: &mut PtyChild) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    false
}

#[test]
fn keys_open_overlays_and_q_restores_the_terminal() {
    let mut s = Session::start(child_command(&[]));
    s.wait_for("the dashboard", |sc| {
        sc.alternate_screen() && sc.contents().contains("RB-03 FIRING")
    });
    assert!(s.parser.screen().hide_cursor());
    s.press(b"?");
    s.wait_text("Keys (esc to close)");
    s.press(b"\x1b");
    s.wait_for("help closed", |sc| {
        !sc.contents().contains("Keys (esc to close)")
    });
    s.press(b"r");
    s.wait_text("Runbook  a ack");
    s.press(b"i");
    s.wait_text("Incidents  n new");
    s.press(b"t");
    s.wait_text("Timeline (esc to close)");
    s.press(b"q");
    assert!(s.wait_success(), "did not exit on q");
    s.assert_restored();
    assert!(s.parser.screen().contents().contains("child exit: Quit"));
}

#[test]
fn sighup_exits_and_restores() {
    let mut s = Session::start(child_command(&[]));
    s.wait_text("RB-03 FIRING");
    // SIGHUP alone, as a dropped SSH session delivers it (no SIGKILL follows).
    s.child.clone_killer().kill().expect("SIGHUP");
    assert!(s.wait_success(), "did not exit on SIGHUP");
    s.assert_restored();
    assert!(s.parser.screen().contents().contains("child exit: Signal"));
}

#[test]
fn closing_the_terminal_ends_the_process() {
    let (mut child, master) = spawn_child();
    let mut reader = master.try_clone_reader().expect("reader");
    // Read until the dashboard is drawn, then let go of every handle on the master side: the
    // kernel hangs up the terminal, as when the SSH connection drops.
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("RB-03") && Instant::now() < deadline {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    assert!(
        String::from_utf8_lossy(&seen).contains("RB-03"),
        "dashboard never drawn"
    );
    drop(reader);
    drop(master);
    assert!(exited_within_15s(&mut child), "still running after hang-up");
}

#[test]
fn a_panic_restores_the_terminal_before_the_message() {
    let mut s = Session::start(child_command(&[(PANIC_ENV, "1")]));
    s.wait_text("RB-03 FIRING");
    s.press(b"r");
    s.wait_text("Runbook  a ack");
    s.press(b"a");
    s.wait_for("the panic message", |sc| {
        !sc.alternate_screen() && sc.contents().contains("deliberate panic")
    });
    assert!(
        exited_within_15s(&mut s.child),
        "did not exit after the panic"
    );
    s.assert_restored();
}

#[test]
fn c_locale_and_no_color_draw_plain_ascii() {
    let mut s = Session::start(child_command(&[("LANG", "C"), ("NO_COLOR", "1")]));
    s.wait_text("X RB-03 FIRING");
    let screen = s.parser.screen();
    assert!(screen.contents().is_ascii(), "{}", screen.contents());
    assert!(
        screen
            .contents()
            .contains("+ 1 Global Accelerator BTS-AGA -")
    );
    for row in 0..24 {
        for col in 0..80 {
            let cell = screen.cell(row, col).expect("cell");
            assert_eq!(cell.fgcolor(), vt100::Color::Default, "({row},{col})");
            assert_eq!(cell.bgcolor(), vt100::Color::Default, "({row},{col})");
        }
    }
    s.press(b"q");
    assert!(s.wait_success());
    s.assert_restored();
}
