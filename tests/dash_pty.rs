//! The real binary in a pseudo-terminal: `warroom demo` and `warroom replay` open the
//! dashboard, keys open the overlays, the replay bar follows pause and seek, notes land in the
//! recording (demo) or the post-mortem file (replay), and the terminal is restored on `q` and
//! on SIGHUP.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

type Master = Box<dyn portable_pty::MasterPty + Send>;

struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    bytes: Receiver<Vec<u8>>,
    parser: vt100::Parser,
    _master: Master,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_warroom"));
        cmd.args(args);
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("LC_CTYPE");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let master = pair.master;
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

    fn wait_for(&mut self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
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

    fn wait_text(&mut self, text: &str) {
        let t = text.to_string();
        self.wait_for(text, move |s| s.contents().contains(&t));
    }

    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write");
        self.writer.flush().expect("flush");
    }

    fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            while let Ok(b) = self.bytes.try_recv() {
                self.parser.process(&b);
            }
            if let Ok(Some(_)) = self.child.try_wait() {
                while let Ok(b) = self.bytes.recv_timeout(Duration::from_millis(200)) {
                    self.parser.process(&b);
                }
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        false
    }

    fn assert_restored(&self) {
        let s = self.parser.screen();
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor still hidden");
    }
}

fn demo(extra: &[&str]) -> Session {
    let mut args = vec!["demo", "--operator", "pty-op"];
    args.extend_from_slice(extra);
    let mut s = Session::start(&args);
    s.wait_for("the dashboard", |sc| {
        sc.alternate_screen() && sc.contents().contains("SIM x")
    });
    s
}

#[test]
fn demo_keys_open_overlays_and_q_restores() {
    let mut s = demo(&[]);
    assert!(s.parser.screen().contents().contains("PRE-EVENT"));
    s.press(b"?");
    s.wait_text("Keys (esc to close)");
    s.press(b"\x1b");
    s.wait_for("help closed", |sc| {
        !sc.contents().contains("Keys (esc to close)")
    });
    s.press(b"r");
    s.wait_text("Runbook  a ack");
    s.press(b"i");
    s.wait_text("no incidents: n opens one");
    s.press(b"t");
    s.wait_text("Timeline (esc to close)");
    s.wait_text("STATUS");
    s.press(b"q");
    assert!(s.wait_exit(), "did not exit on q");
    s.assert_restored();
}

#[test]
fn demo_exits_on_sighup() {
    let mut s = demo(&[]);
    s.child.clone_killer().kill().expect("SIGHUP");
    assert!(s.wait_exit(), "did not exit on SIGHUP");
    s.assert_restored();
}

fn mark(s: &mut Session, text: &str) {
    s.press(b"m");
    s.wait_text("mark");
    s.press(text.as_bytes());
    s.press(b"\r");
}

#[test]
fn demo_note_is_recorded_with_who() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("r.jsonl");
    let rec_s = rec.to_str().expect("utf-8 path");
    let mut s = demo(&["--record", rec_s]);
    mark(&mut s, "doors open now");
    s.wait_text("doors open now");
    s.press(b"q");
    assert!(s.wait_exit());
    let text = std::fs::read_to_string(&rec).expect("recording");
    let line = text
        .lines()
        .find(|l| l.contains("doors open now"))
        .expect("note recorded");
    assert!(line.contains(r#""who":"pty-op""#), "{line}");
    assert!(!line.contains("post_mortem"), "{line}");
}

fn record(path: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["demo", "--headless", "--to", "T+30m", "--record"])
        .arg(path)
        .output()
        .expect("headless demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn replay_pause_seek_and_post_mortem_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("r.jsonl");
    record(&rec);
    let before = std::fs::read(&rec).expect("recording");
    let mut s = Session::start(&["replay", "--operator", "pm", rec.to_str().expect("utf-8")]);
    s.wait_for("the replay", |sc| {
        sc.alternate_screen() && sc.contents().contains("REPLAY x60")
    });
    s.press(b" ");
    s.wait_text("PAUSED");
    s.press(b"g");
    s.wait_text("go to");
    s.press(b"T+10m\r");
    s.wait_text("PAUSED 20:10:00");
    s.press(b"\x1b[C");
    s.wait_text("PAUSED 20:11:00");
    s.press(b" ");
    s.wait_for("playing", |sc| !sc.contents().contains("PAUSED"));
    mark(&mut s, "root cause: CPU credits");
    let pm_path = dir.path().join("r.jsonl.postmortem.jsonl");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !pm_path.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    s.press(b"q");
    assert!(s.wait_exit());
    s.assert_restored();
    assert_eq!(
        std::fs::read(&rec).expect("recording"),
        before,
        "recording modified"
    );
    let pm = std::fs::read_to_string(&pm_path).expect("pm file");
    let line = pm
        .lines()
        .find(|l| l.contains("root cause"))
        .expect("note in pm file");
    assert!(
        line.contains(r#""post_mortem":true"#) && line.contains(r#""who":"pm""#),
        "{line}"
    );
}

#[test]
fn without_a_terminal_the_dashboard_refuses_with_exit_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("demo")
        .output()
        .expect("demo");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--headless"));
}

/// Bytes written to an 80x24 terminal per second by `warroom demo --speed 1`, over
/// `WARROOM_BENCH_SECS` (default 60) seconds. Run by `scripts/bench-terminal.sh`; prints a
/// table, asserts nothing about time.
#[test]
#[ignore = "takes a minute; run by scripts/bench-terminal.sh"]
fn terminal_bytes_per_second() {
    let secs: u64 = std::env::var("WARROOM_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let mut s = demo(&["--speed", "1"]);
    while s.bytes.try_recv().is_ok() {}
    let start = Instant::now();
    let mut per_sec = vec![0usize; usize::try_from(secs).expect("secs")];
    while start.elapsed() < Duration::from_secs(secs) {
        if let Ok(b) = s.bytes.recv_timeout(Duration::from_millis(100)) {
            let i = usize::try_from(start.elapsed().as_secs()).expect("secs");
            if let Some(slot) = per_sec.get_mut(i) {
                *slot += b.len();
            }
            s.parser.process(&b);
        }
    }
    s.press(b"q");
    assert!(s.wait_exit());
    let total: usize = per_sec.iter().sum();
    let max = per_sec.iter().max().copied().unwrap_or(0);
    let mut sorted = per_sec.clone();
    sorted.sort_unstable();
    println!("terminal 80x24, demo --speed 1, {secs} s");
    println!("{:<12} {:>10}", "total bytes", total);
    println!("{:<12} {:>10.0}", "mean B/s", total as f64 / secs as f64);
    println!("{:<12} {:>10}", "median B/s", sorted[sorted.len() / 2]);
    println!("{:<12} {:>10}", "max B/s", max);
}
