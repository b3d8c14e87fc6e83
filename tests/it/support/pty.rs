//! A pseudo-terminal test harness shared by the PTY tests: start a program on an 80x24 pty, feed
//! its output to a terminal emulator (vt100), press keys, wait for screens and for exit, and check
//! the terminal was restored.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub type PtyChild = Box<dyn Child + Send + Sync>;
pub type Master = Box<dyn portable_pty::MasterPty + Send>;

/// A command for `program` with the environment every PTY test starts from: a UTF-8 locale,
/// an xterm, and no locale overrides. Callers add arguments and environment on top.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(program);
    cmd.env("LANG", "C.UTF-8");
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_CTYPE");
    cmd
}

/// Starts `cmd` on a new 80x24 pseudo-terminal.
pub fn spawn(cmd: CommandBuilder) -> (PtyChild, Master) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("openpty");
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    (child, pair.master)
}

/// A running program and the emulated screen it draws on.
pub struct Session {
    pub child: PtyChild,
    writer: Box<dyn Write + Send>,
    pub bytes: Receiver<Vec<u8>>,
    pub parser: vt100::Parser,
    // Keeps the pty open for the child's lifetime.
    _master: Master,
}

impl Session {
    pub fn start(cmd: CommandBuilder) -> Session {
        let (child, master) = spawn(cmd);
        let mut reader = master.try_clone_reader().expect("reader");
        let writer = master.take_writer().expect("writer");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let nz = |n| std::num::NonZeroU16::new(n).expect("non-zero");
        Session {
            child,
            writer,
            bytes: rx,
            parser: vt100::Parser::new(nz(24), nz(80), 0),
            _master: master,
        }
    }

    /// Feeds output to the emulator until `pred` holds on the screen or 30 s pass.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !pred(self.parser.screen()) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{}",
                self.parser.screen().contents()
            );
            if let Ok(b) = self.bytes.recv_timeout(Duration::from_millis(100)) {
                self.parser.process(&b);
            }
        }
    }

    pub fn wait_text(&mut self, text: &str) {
        let t = text.to_string();
        self.wait_for(text, move |s| s.contents().contains(&t));
    }

    pub fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Waits up to 15 s for the child to exit, then drains what it wrote last (the restore
    /// sequences). The exit status, or None (and the child killed) on time-out.
    pub fn wait_exit_status(&mut self) -> Option<portable_pty::ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            while let Ok(b) = self.bytes.try_recv() {
                self.parser.process(&b);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                while let Ok(b) = self.bytes.recv_timeout(Duration::from_millis(200)) {
                    self.parser.process(&b);
                }
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        None
    }

    /// True when the child exited within 15 s, whatever its status.
    pub fn wait_exit(&mut self) -> bool {
        self.wait_exit_status().is_some()
    }

    /// True when the child exited within 15 s; a failing exit status fails the test.
    pub fn wait_success(&mut self) -> bool {
        self.wait_exit_status()
            .map(|status| assert!(status.success(), "child failed: {status:?}"))
            .is_some()
    }

    pub fn assert_restored(&self) {
        let s = self.parser.screen();
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor still hidden");
    }
}
