//! The real binary in a pseudo-terminal: `warroom demo` and `warroom replay` open the
//! dashboard, keys open the overlays, the replay bar follows pause and seek, notes land in the
//! recording (demo) or the post-mortem file (replay), and the terminal is restored on `q` and
//! on SIGHUP.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::pty;

use pty::Session;

/// `warroom ARGS` on a pseudo-terminal.
fn start(args: &[&str]) -> Session {
    // The bench script points this at a release build.
    let bin = std::env::var("WARROOM_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_warroom").to_string());
    let mut cmd = pty::command(&bin);
    cmd.args(args);
    Session::start(cmd)
}

fn demo(extra: &[&str]) -> Session {
    let mut args = vec!["demo", "--operator", "pty-op"];
    args.extend_from_slice(extra);
    let mut s = start(&args);
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
    s.press(b"s");
    s.wait_text("Summary preview");
    s.wait_text("S/enter send (asks first)");
    s.wait_text("Delivery of recent summaries");
    s.wait_text("Next summary, as it would be sent now");
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
    s.wait_text("mark: ");
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
    // The footer answers the action until the next key.
    s.wait_text("marked: doors open now");
    // Open an incident through the form, edit its plan, resolve it.
    s.press(b"i");
    s.wait_text("no incidents: n opens one");
    s.press(b"n");
    s.wait_text("New incident");
    s.press(b"Seoul 5xx\t\x1b[C\t\tscale out\t+30m\tnoc2\r");
    s.wait_text("INC-1  CRITICAL investigating");
    s.wait_text("plan: scale out");
    s.press(b"e");
    s.wait_text("Edit INC-1");
    s.press(b"\t\t\t\x7f\x7f\x7fin Seoul\r");
    s.wait_text("plan: scale in Seoul");
    // Resolving asks what caused it.
    s.press(b"x");
    s.wait_text("resolve INC-1; cause");
    s.press(b"php-fpm pool\r");
    s.wait_text("INC-1 resolved");
    s.press(b"\x1b");
    s.press(b"q");
    assert!(s.wait_exit());
    let text = std::fs::read_to_string(&rec).expect("recording");
    let incident: Vec<&str> = text.lines().filter(|l| l.contains("INC-1")).collect();
    assert_eq!(incident.len(), 3, "open, edit, resolve: {incident:?}");
    assert!(
        incident[0].contains(r#""action":"incident_open""#)
            && incident[0].contains(r#""severity":"critical""#)
            && incident[0].contains(r#""owner":"noc2""#)
            && incident[0].contains(r#""eta":"#),
        "{}",
        incident[0]
    );
    assert!(
        incident[1].contains(r#""plan":"scale in Seoul""#) && !incident[1].contains("title"),
        "only the change: {}",
        incident[1]
    );
    assert!(
        incident[2].contains(r#""state":"resolved""#)
            && incident[2].contains(r#""cause":"php-fpm pool""#),
        "{}",
        incident[2]
    );
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
    let mut s = start(&["replay", "--operator", "pm", rec.to_str().expect("utf-8")]);
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
    s.wait_text("post-mortem note: root cause: CPU credits");
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
    // The next replay loads the note and shows it on the timeline, marked post-mortem.
    let mut s = start(&["replay", "--operator", "pm2", rec.to_str().expect("utf-8")]);
    s.wait_text("1 post-mortem notes from");
    s.press(b" g");
    s.wait_text("go to");
    s.press(b"T+12m\r");
    s.wait_text("PAUSED 20:12:00");
    s.press(b"t");
    s.wait_text("POST-MORTEM NOTE pm: root cause: CPU credits");
    s.press(b"q");
    assert!(s.wait_exit());
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
