//! The headless demo and replay through the real binary: byte-identical timelines for the same
//! seed and for a replay of the recording, the reference scenario's beats in their windows, and
//! recordings that survive SIGKILL.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn warroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(args)
        .env(
            "WARROOM_LOG_FILE",
            std::env::temp_dir().join("warroom-test.log"),
        )
        .output()
        .expect("run warroom")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

/// Seconds from T0 of a timeline line, read from its `T+07:42` / `T-1:02:03` token.
fn t_seconds(line: &str) -> Option<i64> {
    let tok = line.split_whitespace().find(|w| {
        (w.starts_with("T+") || w.starts_with("T-"))
            && w[2..].chars().all(|c| c.is_ascii_digit() || c == ':')
    })?;
    let sign = if tok.as_bytes()[1] == b'-' { -1 } else { 1 };
    let parts: Vec<i64> = tok[2..]
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let secs = parts.iter().fold(0, |acc, p| acc * 60 + p);
    Some(sign * secs)
}

fn first_time(timeline: &str, needle: &[&str]) -> Option<i64> {
    timeline
        .lines()
        .find(|l| needle.iter().all(|n| l.contains(n)))
        .and_then(t_seconds)
}

#[test]
fn same_seed_same_timeline_and_replay_reproduces_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("out.jsonl");
    let rec_s = rec.to_str().expect("utf-8 path");
    let first = stdout(&warroom(&["demo", "--headless", "--record", rec_s]));
    let second = stdout(&warroom(&["demo", "--headless"]));
    assert!(!first.trim().is_empty(), "the timeline is empty");
    assert_eq!(
        first, second,
        "same seed must give the same output, byte for byte"
    );

    let replayed = warroom(&["replay", "--headless", rec_s]);
    assert_eq!(
        stdout(&replayed),
        first,
        "replay must print the demo's timeline identically"
    );
    assert!(
        replayed.stderr.is_empty(),
        "clean recording, nothing skipped: {}",
        String::from_utf8_lossy(&replayed.stderr)
    );
}

#[test]
fn reference_scenario_beats_fire_in_their_windows() {
    let timeline = stdout(&warroom(&["demo", "--headless"]));
    let rb03 = first_time(&timeline, &["RB-03", "FIRING"]).expect("RB-03 fires");
    assert!(
        (8 * 60..=10 * 60).contains(&rb03),
        "RB-03 fired at {rb03}s:\n{timeline}"
    );
    let rb04 = first_time(&timeline, &["RB-04", "FIRING"]).expect("RB-04 fires");
    assert!(
        (9 * 60..=11 * 60).contains(&rb04),
        "RB-04 fired at {rb04}s:\n{timeline}"
    );
    let rtn = first_time(&timeline, &["RETURN-TO-NORMAL", "DECLARED"])
        .expect("return to normal declared");
    assert!(rtn >= 90 * 60, "declared at {rtn}s:\n{timeline}");
    let red = first_time(&timeline, &["STATUS", "RED"]).expect("status goes red");
    assert!(red > 0, "red only after the drop, at {red}s");
}

#[test]
fn a_different_seed_still_tells_the_same_story() {
    let timeline = stdout(&warroom(&["demo", "--headless", "--seed", "7"]));
    assert!(
        first_time(&timeline, &["RB-04", "FIRING"]).is_some(),
        "{timeline}"
    );
    assert!(
        first_time(&timeline, &["RETURN-TO-NORMAL", "DECLARED"]).is_some(),
        "{timeline}"
    );
}

#[test]
fn window_flags_bound_the_timeline() {
    let timeline = stdout(&warroom(&[
        "demo",
        "--headless",
        "--from",
        "T-5m",
        "--to",
        "T+15m",
    ]));
    for line in timeline.lines() {
        let t = t_seconds(line).expect("every line has a T label");
        assert!((-5 * 60..15 * 60).contains(&t), "{line}");
    }
}

#[test]
fn bad_flags_are_input_errors_with_exit_code_2() {
    let o = warroom(&["demo", "--headless", "--scenario", "no-such-thing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-thing"));
    let o = warroom(&["demo", "--headless", "--from", "T+1h", "--to", "T0"]);
    assert_eq!(o.status.code(), Some(2));
    let o = warroom(&["demo", "--headless", "--speed", "fast"]);
    assert_eq!(o.status.code(), Some(2));
    let o = warroom(&["replay", "--headless", "/nonexistent/recording.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn sigkill_at_random_moments_leaves_a_replayable_recording() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Deterministic "random" kill delays spread over the run.
    let delays_ms = [137_u64, 410, 655, 980, 1290];
    for (i, delay) in delays_ms.iter().enumerate() {
        let rec = dir.path().join(format!("killed-{i}.jsonl"));
        let rec_s = rec.to_str().expect("utf-8 path");
        let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
            .args(["demo", "--headless", "--speed", "2000", "--record", rec_s])
            .env(
                "WARROOM_LOG_FILE",
                std::env::temp_dir().join("warroom-test.log"),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(*delay));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");

        let text = std::fs::read(&rec).expect("recording exists");
        assert!(text.contains(&b'\n'), "at least the header survived");
        let o = warroom(&["replay", "--headless", rec_s]);
        assert!(
            o.status.success(),
            "replay after kill #{i}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        // At most the last partial line is lost.
        assert!(
            err.is_empty() || err.contains("skipped 1 unreadable line"),
            "kill #{i}: {err}"
        );
        if !text.ends_with(b"\n") {
            assert!(
                err.contains("skipped 1"),
                "a torn tail must be reported: {err}"
            );
        }
    }
}

#[test]
fn a_closed_pipe_ends_the_demo_quietly() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["demo", "--headless", "--speed", "600"])
        .env(
            "WARROOM_LOG_FILE",
            std::env::temp_dir().join("warroom-test.log"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("one line");
    assert!(first.contains("STATUS"), "{first}");
    // The reader is gone (like `| head -1`); the next write fails with EPIPE.
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "exit {:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn replay_at_a_moment_says_the_rooms_state_then() {
    use crate::report_common::{recording, t};
    use warroom_core::model::{
        Event, EventBody, IncidentFields, OperatorAction, OperatorEvent, RoomChange,
        RoomChangeKind, Severity,
    };
    let op = |secs: i64, who: &str, action: OperatorAction| Event {
        at: t(secs),
        body: EventBody::Operator(OperatorEvent {
            who: who.into(),
            user: None,
            post_mortem: false,
            action,
        }),
    };
    let (header, mut events) = recording(warroom_sim::Scenario::ArmyDrop);
    events.push(Event {
        at: t(60),
        body: EventBody::Room(RoomChange {
            conn: 1,
            who: "kim".into(),
            user: "klee".into(),
            change: RoomChangeKind::Joined,
            read_only: false,
            reason: None,
        }),
    });
    events.push(op(
        5 * 60,
        "kim",
        OperatorAction::RunbookAck {
            step: "RB-03".into(),
        },
    ));
    events.push(op(
        9 * 60 + 30,
        "noc1",
        OperatorAction::IncidentOpen {
            id: "INC-1".into(),
            fields: IncidentFields {
                title: Some("Seoul down".into()),
                severity: Some(Severity::Critical),
                owner: Some("kim".into()),
                ..IncidentFields::default()
            },
        },
    ));
    events.sort_by_key(|e| e.at);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("room.jsonl");
    let mut rec = warroom_core::record::Recorder::create(&path, &header, true).expect("create");
    rec.write_batch(&events).expect("write");
    drop(rec);
    let out = stdout(&warroom(&[
        "replay",
        "--headless",
        "--at",
        "T+10m",
        path.to_str().expect("utf-8 path"),
    ]));
    assert!(out.contains("in the room: kim\n"), "{out}");
    assert!(
        out.contains("step RB-03: unanswered; acked by kim 20:05:00 (before the current firing)"),
        "{out}"
    );
    assert!(
        out.contains("incident INC-1 critical investigating: Seoul down; owner kim, ETA -, opened 20:09:30 by noc1"),
        "{out}"
    );
}
