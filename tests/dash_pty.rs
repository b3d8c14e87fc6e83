//! The real binary in a pseudo-terminal: `warroom demo` and `warroom replay` open the
//! dashboard, keys open the overlays, the replay bar follows pause and seek, notes land in the
//! recording (demo) or the post-mortem file (replay), and the terminal is restored on `q` and
//! on SIGHUP.

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "support/pty.rs"]
mod pty;

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
    s.wait_text("S/enter send now");
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
    s.press(b"x");
    s.wait_text("resolved");
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
        incident[2].contains(r#""state":"resolved""#),
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
    // The first full paint is not steady state: let it finish (3 s) before counting.
    let warm = Instant::now();
    let mut first_paint = 0;
    while warm.elapsed() < Duration::from_secs(3) {
        if let Ok(b) = s.bytes.recv_timeout(Duration::from_millis(100)) {
            first_paint += b.len();
            s.parser.process(&b);
        }
    }
    let pid = s.child.process_id().expect("pid");
    let cpu0 = cpu_ticks(pid);
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
    let cpu = cpu_ticks(pid) - cpu0;
    let wall = start.elapsed().as_secs_f64();
    s.press(b"q");
    assert!(s.wait_exit());
    if std::env::var_os("WARROOM_BENCH_DUMP").is_some() {
        println!("per second: {per_sec:?}");
    }
    let total: usize = per_sec.iter().sum();
    let max = per_sec.iter().max().copied().unwrap_or(0);
    let mut sorted = per_sec.clone();
    sorted.sort_unstable();
    println!("terminal 80x24, demo --speed 1, {secs} s after a 3 s first paint");
    println!("{:<12} {:>10}", "first paint", first_paint);
    println!("{:<12} {:>10}", "total bytes", total);
    println!("{:<12} {:>10.0}", "mean B/s", total as f64 / secs as f64);
    println!("{:<12} {:>10}", "median B/s", sorted[sorted.len() / 2]);
    println!("{:<12} {:>10}", "max B/s", max);
    for (i, minute) in per_sec.chunks(60).enumerate() {
        let mean = minute.iter().sum::<usize>() as f64 / minute.len() as f64;
        println!("{:<12} {:>10.0}", format!("minute {} B/s", i + 1), mean);
    }
    // USER_HZ is 100 on Linux: one tick is 10 ms of CPU.
    println!(
        "{:<12} {:>9.2}%",
        "CPU of a core",
        cpu as f64 * 10.0 / 1000.0 / wall * 100.0
    );
}

/// utime + stime of a process, in clock ticks, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime")
}

/// Resident memory of the dashboard over 12 simulated hours (`demo --speed 600`, 72 s), one
/// sample per simulated hour. Run by `scripts/bench-terminal.sh`; prints a table, asserts
/// nothing about size.
#[test]
#[ignore = "takes 72 s; run by scripts/bench-terminal.sh"]
fn dashboard_memory_over_12_hours() {
    let mut s = demo(&["--at", "T-1h", "--to", "T+11h", "--speed", "600"]);
    let pid = s.child.process_id().expect("pid");
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut next = Duration::ZERO;
    while start.elapsed() < Duration::from_secs(73) {
        if let Ok(b) = s.bytes.recv_timeout(Duration::from_millis(50)) {
            s.parser.process(&b);
        }
        if start.elapsed() >= next {
            samples.push(rss_kib(pid));
            next += Duration::from_secs(6);
        }
    }
    s.press(b"q");
    assert!(s.wait_exit());
    println!("dashboard RSS, demo --speed 600, 12 simulated hours");
    println!("{:<8} {:>10}", "hour", "RSS MiB");
    for (h, kib) in samples.iter().enumerate() {
        println!("{:<8} {:>10.1}", h, *kib as f64 / 1024.0);
    }
}

/// VmRSS of a process in KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}
