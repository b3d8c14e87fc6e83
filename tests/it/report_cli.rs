//! `warroom report` and `warroom backfill` as a user runs them: the headless demo's recording
//! reported end to end, and bad input refused with exit code 2.

use std::fmt::Write as _;
use std::process::Command;

fn warroom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
}

#[test]
fn the_demo_recording_reports_to_a_directory() {
    let dir = tempfile::tempdir().expect("tmp");
    let rec = dir.path().join("demo.jsonl");
    let status = warroom()
        .args([
            "demo",
            "--headless",
            "--from",
            "T-10m",
            "--to",
            "T+30m",
            "--record",
        ])
        .arg(&rec)
        .output()
        .expect("demo runs");
    assert!(status.status.success());
    let out = dir.path().join("report");
    let run = warroom()
        .arg("report")
        .arg(&rec)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("report runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let md = std::fs::read_to_string(out.join("index.md")).expect("index.md");
    assert!(md.contains("RB-03 FIRING"), "{md}");
    assert!(out.join("index.html").is_file());
    assert!(out.join("charts/seoul_requests.svg").is_file());
}

#[test]
fn bad_input_exits_with_code_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("nope.jsonl");
    let run = warroom()
        .arg("report")
        .arg(&missing)
        .arg("--out")
        .arg(dir.path().join("r"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    let layout = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/hybrid-bts.toml");
    let run = warroom()
        .args([
            "backfill",
            layout,
            "--from",
            "yesterday-ish",
            "--to",
            "T+1h",
            "--out",
        ])
        .arg(dir.path().join("b.jsonl"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--from"));
    let run = warroom()
        .args(["backfill", layout, "--from", "T+1h", "--to", "T0", "--out"])
        .arg(dir.path().join("b.jsonl"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(
        !dir.path().join("b.jsonl").exists(),
        "nothing written on bad input"
    );
    // An existing recording is not replaced without --overwrite.
    let existing = dir.path().join("kept.jsonl");
    std::fs::write(&existing, "keep me").expect("write");
    let run = warroom()
        .args(["backfill", layout, "--from", "T-1h", "--to", "T0", "--out"])
        .arg(&existing)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--overwrite"));
    assert_eq!(std::fs::read_to_string(&existing).expect("read"), "keep me");
}

#[test]
fn events_dated_years_away_are_skipped_and_counted_not_allocated() {
    let dir = tempfile::tempdir().expect("tmp");
    let rec = dir.path().join("demo.jsonl");
    let status = warroom()
        .args([
            "demo",
            "--headless",
            "--from",
            "T-10m",
            "--to",
            "T+10m",
            "--record",
        ])
        .arg(&rec)
        .output()
        .expect("demo runs");
    assert!(status.status.success());
    // Lines a damaged or hostile file may hold: a metric poll dated 9999, 0001 and 2100.
    let mut text = std::fs::read_to_string(&rec).expect("read");
    for year in ["9999-12-31", "0001-01-01", "2100-06-13"] {
        let _ = writeln!(
            text,
            "{{\"at\":\"{year}T11:07:03Z\",\"kind\":\"metrics\",\"region\":\"ap-northeast-2\",\
             \"start\":\"{year}T11:04:00Z\",\"end\":\"{year}T11:07:00Z\",\"series\":[{{\"id\":\"seoul.requests\",\
             \"points\":[{{\"ts\":\"{year}T11:05:00Z\",\"v\":7.0}}]}}]}}"
        );
    }
    std::fs::write(&rec, text).expect("write");
    let out = dir.path().join("report");
    let run = warroom()
        .arg("report")
        .arg(&rec)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("report runs");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("skipped 3 event(s) dated outside the recording's window"),
        "{err}"
    );
    let md = std::fs::read_to_string(out.join("index.md")).expect("index.md");
    assert!(md.contains("skipped 3 event(s) dated outside"), "{md}");
    assert!(!md.contains("9999"), "nothing of 9999 in the report");
}
