//! `warroom report` and `warroom backfill` as a user runs them: the headless demo's recording
//! reported end to end, and bad input refused with exit code 2.

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
