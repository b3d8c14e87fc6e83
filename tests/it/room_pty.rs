//! The shared room end to end: `warroom collect --serve` on the in-process simulator endpoint
//! (game-day clock) and three `warroom attach` screens in pseudo-terminals at 80x24. An ack on
//! one screen shows on the others; two screens editing one incident lose nothing (the later
//! save is refused with a message, the form keeps its change, saving again lands); a screen
//! killed and started again catches up; the collector restarted with `--append` is rejoined by
//! every screen; a screen that stops reading holds nobody up; and the recording, folded again,
//! holds what the screens showed.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use warroom_core::board::Board;
use warroom_core::clock::Clock;
use warroom_core::journal::Fold;
use warroom_core::model::{EventBody, OperatorAction, RoomChangeKind};
use warroom_core::pipeline::batches;
use warroom_core::record::Reader;
use warroom_sim::serve::{Faults, ServeHandle};

use crate::simserve_common::{reference_layout, server};
use crate::support::pty::{self, Session};

const LAYOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/hybrid-bts.toml");

fn collect(record: &Path, env: &[(String, String)], append: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["collect", LAYOUT, "--serve", "--record"])
        .arg(record)
        .current_dir(record.parent().expect("a directory"))
        .env("WARROOM_LOG_FILE", record.with_extension("log"))
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if append {
        cmd.arg("--append");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("start warroom collect --serve")
}

/// Waits (bounded) until the room's socket answers.
fn wait_socket(socket: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::os::unix::net::UnixStream::connect(socket).is_err() {
        assert!(Instant::now() < deadline, "the room never opened");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn attach(record: &Path, who: &str) -> Session {
    let mut cmd = pty::command(env!("CARGO_BIN_EXE_warroom"));
    cmd.args([
        "attach",
        record.to_str().expect("utf-8 path"),
        "--operator",
        who,
    ]);
    cmd.env(
        "WARROOM_LOG_FILE",
        record.with_extension(format!("{who}.log")),
    );
    let mut s = Session::start(cmd);
    s.wait_for("the room's dashboard", |sc| {
        sc.alternate_screen() && sc.contents().contains("SIM x")
    });
    s
}

fn in_room(s: &mut Session, n: usize) {
    let want = format!("{n} in room");
    s.wait_for(&want, |sc| {
        sc.contents()
            .lines()
            .next()
            .is_some_and(|l| l.contains(&want))
    });
}

/// Waits (bounded) until the log holds `n` joins after the collector's restart.
fn rejoined(record: &Path, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = std::fs::read_to_string(record).unwrap_or_default();
        let after = log
            .rsplit("the collector restarted")
            .next()
            .unwrap_or_default();
        if after.matches(r#""change":"joined""#).count() >= n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the screens did not rejoin:\n{after}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Keys one at a time, as a person types (a burst would read as an escape sequence).
fn typed(s: &mut Session, text: &str) {
    for b in text.bytes() {
        s.press(&[b]);
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn stop(mut child: Child) {
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().ok().flatten().is_none() {
        assert!(Instant::now() < deadline, "collect did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Room {
    _dir: tempfile::TempDir,
    record: PathBuf,
    socket: PathBuf,
    env: Vec<(String, String)>,
    collector: Option<Child>,
    _endpoint: ServeHandle,
    _rt: tokio::runtime::Runtime,
}

fn room() -> Room {
    let layout = reference_layout();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let start = layout.event.start - TimeDelta::minutes(10);
    let endpoint = rt.block_on(async {
        let clock = Clock::starting_at(start).with_speed(10.0);
        server(&layout, clock, Faults::default()).await
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("event.jsonl");
    let env = endpoint.env();
    let collector = collect(&record, &env, false);
    let socket = dir.path().join("event.jsonl.sock");
    wait_socket(&socket);
    Room {
        _dir: dir,
        record,
        socket,
        env,
        collector: Some(collector),
        _endpoint: endpoint,
        _rt: rt,
    }
}

#[test]
fn three_screens_share_one_room_through_races_drops_and_a_collector_restart() {
    let mut room = room();
    let mut v1 = attach(&room.record, "v1");
    let mut v2 = attach(&room.record, "v2");
    let mut v3 = attach(&room.record, "v3");
    for s in [&mut v1, &mut v2, &mut v3] {
        in_room(s, 3);
    }
    an_ack_shows_on_every_screen(&mut v1, &mut v2, &mut v3);
    two_edits_of_one_incident_lose_nothing(&mut v1, &mut v2, &mut v3);
    a_frozen_screen_holds_nobody_up(&room, &mut v1, &mut v2);
    // v3 is killed and started again: it catches up, the incident as it is now.
    let _ = v3.child.kill();
    let _ = v3.wait_exit();
    let mut v3 = attach(&room.record, "v3");
    v3.press(b"i");
    v3.wait_text("plan: fail over");
    v3.press(b"\x1b");
    // The collector restarts with --append: every screen says so, then rejoins.
    stop(room.collector.take().expect("running"));
    for s in [&mut v1, &mut v2, &mut v3] {
        s.wait_text("LINK TO THE ROOM LOST");
    }
    room.collector = Some(collect(&room.record, &room.env, true));
    wait_socket(&room.socket);
    rejoined(&room.record, 3);
    for s in [&mut v1, &mut v2, &mut v3] {
        s.wait_for("the banner gone", |sc| {
            !sc.contents().contains("LINK TO THE ROOM LOST")
        });
        in_room(s, 3);
    }
    v2.press(b"i");
    v2.wait_text("plan: fail over");
    for mut s in [v1, v2, v3] {
        s.press(b"q");
        assert!(s.wait_exit(), "a screen did not exit on q");
        s.assert_restored();
    }
    stop(room.collector.take().expect("running"));
    the_recording_holds_what_the_screens_showed(&room.record);
}

/// An ack on v1 is on every screen's timeline, with who did it.
fn an_ack_shows_on_every_screen(v1: &mut Session, v2: &mut Session, v3: &mut Session) {
    v1.press(b"r");
    v1.wait_text("Runbook");
    v1.press(b"a");
    v1.wait_text("acknowledged");
    v1.press(b"\x1b");
    for s in [v2, v3] {
        s.press(b"t");
        s.wait_text("ACK v1: RB-");
        s.press(b"\x1b");
    }
}

/// v1 opens an incident; v2 and v3 edit it at once: v3's later save is refused with a message,
/// its change kept in the form over the current state; saving again lands it on every screen.
fn two_edits_of_one_incident_lose_nothing(v1: &mut Session, v2: &mut Session, v3: &mut Session) {
    v1.press(b"i");
    std::thread::sleep(Duration::from_millis(200));
    v1.press(b"n");
    v1.wait_text("Title");
    typed(v1, "Seoul 5xx spike");
    v1.press(b"\r");
    v1.wait_text("incident opened");
    for s in [&mut *v2, &mut *v3] {
        s.press(b"i");
        s.wait_text("Seoul 5xx spike");
        s.press(b"e");
        s.wait_text("Edit INC-1");
        s.press(b"\x1b[B\x1b[B\x1b[B"); // down to the plan
        std::thread::sleep(Duration::from_millis(200));
    }
    typed(v2, "scale out");
    typed(v3, "fail over");
    v2.press(b"\r");
    v2.wait_text("INC-1 updated");
    v3.press(b"\r");
    v3.wait_text("v2 changed INC-1 first");
    v3.wait_text("fail over");
    v3.press(b"\r");
    v3.wait_text("INC-1 updated");
    for s in [v1, v2, v3] {
        s.wait_for("v3's plan on every screen", |sc| {
            sc.contents().contains("plan: fail over")
        });
    }
}

/// A screen that stops reading (a frozen SSH session) holds nobody up.
fn a_frozen_screen_holds_nobody_up(room: &Room, v1: &mut Session, v2: &mut Session) {
    let mut frozen = std::os::unix::net::UnixStream::connect(&room.socket).expect("connect");
    frozen
        .write_all(b"{\"hello\":{\"protocol\":1,\"operator\":\"frozen\"}}\n")
        .expect("hello");
    v1.press(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    v1.press(b"m");
    typed(v1, "doors open");
    v1.press(b"\r");
    v2.press(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    v2.press(b"t");
    v2.wait_text("NOTE v1: doors open");
    v2.press(b"\x1b");
    drop(frozen);
}

/// The recording, folded again as a replay folds it, holds what the screens showed.
fn the_recording_holds_what_the_screens_showed(record: &Path) {
    let (header, reader) = Reader::open(record).expect("the recording");
    let layout = warroom_core::config::load_texts(&header.layout, header.runbook.as_ref())
        .expect("its layout");
    let events: Vec<_> = reader.collect();
    let mut fold = Fold::new(&layout, Board::default());
    for b in batches(events.iter().cloned()) {
        fold.apply(&b);
    }
    let state = fold.pipeline().state();
    let inc = state
        .operator()
        .incident("INC-1")
        .expect("INC-1 in the log");
    assert_eq!(inc.fields.plan.as_deref(), Some("fail over"));
    assert_eq!(inc.updated_by, "v3");
    assert_eq!(
        inc.version, 3,
        "opened, v2's edit, v3's edit: nothing lost, nothing twice"
    );
    let updates: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Operator(o) => match &o.action {
                OperatorAction::IncidentUpdate { fields, .. } => {
                    Some((o.who.clone(), fields.plan.clone()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(
        updates,
        [
            ("v2".to_string(), Some("scale out".to_string())),
            ("v3".to_string(), Some("fail over".to_string()))
        ]
    );
    let acked = state
        .operator()
        .journal()
        .any(|l| l.who == "v1" && matches!(l.action, OperatorAction::RunbookAck { .. }));
    assert!(acked, "v1's ack is in the log");
    // Every screen joined, left when the collector stopped, and joined again; at the end every
    // screen quit with q: it left, its link did not drop.
    let changes: Vec<_> = state.room().changes().collect();
    let joins = changes
        .iter()
        .filter(|c| c.change == RoomChangeKind::Joined)
        .count();
    assert!(
        joins >= 7,
        "three joins, v3 again, three after the restart: {changes:#?}"
    );
    assert!(
        changes.iter().all(|c| c.change == RoomChangeKind::Joined
            || c.reason.as_deref() != Some("link lost")
            || c.who == "frozen"),
        "{changes:#?}"
    );
    assert!(state.room().names().is_empty(), "{changes:#?}");
}

/// `warroom demo --serve`: the operator at the host's own screen is in the room as an attached
/// one is. Both screens count two and name both (the people overlay, `p`); the host's `q` asks
/// first while kim is attached; when the host quits, the log says it left.
#[test]
fn the_host_screen_of_demo_serve_is_in_the_room() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("demo.jsonl");
    let mut cmd = pty::command(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["demo", "--operator", "host", "--serve", "--record"]);
    cmd.arg(&record);
    cmd.arg("--summaries");
    cmd.arg(dir.path().join("summaries"));
    cmd.env("WARROOM_LOG_FILE", dir.path().join("host.log"));
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    let mut host = Session::start(cmd);
    host.wait_for("the host's dashboard", |sc| {
        sc.alternate_screen() && sc.contents().contains("SIM x")
    });
    in_room(&mut host, 1);
    let mut kim = attach(&record, "kim");
    for s in [&mut host, &mut kim] {
        in_room(s, 2);
        // At 80 columns the header has no room for the names: the people overlay has.
        s.press(b"p");
        s.wait_text("In the room: 2");
        s.wait_text("  host  kim");
        s.press(b"\x1b");
    }
    // Quitting the host closes the room for kim: it asks first, once, naming the screens.
    host.press(b"q");
    host.wait_text("1 screen is attached: close the room? y/n");
    host.press(b"y");
    assert!(host.wait_exit(), "the host did not exit on q, y");
    host.assert_restored();
    kim.wait_text("LINK TO THE ROOM LOST");
    kim.press(b"q");
    assert!(kim.wait_exit(), "kim's screen did not exit on q");
    let (_, reader) = Reader::open(&record).expect("the recording");
    let host: Vec<(RoomChangeKind, String)> = reader
        .filter_map(|e| match e.body {
            EventBody::Room(c) if c.who == "host" => Some((c.change, c.user)),
            _ => None,
        })
        .collect();
    let kinds: Vec<RoomChangeKind> = host.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, [RoomChangeKind::Joined, RoomChangeKind::Left]);
    // The host's account, as an attached screen's comes from its socket.
    assert!(host.iter().all(|(_, user)| !user.is_empty()), "{host:?}");
}

/// A collector that stops speaking while its socket stays open (stopped, stuck): the attached
/// screen says BLIND (room silent) with how long, and the room's status comes back when it
/// speaks again.
#[test]
fn a_screen_of_a_silent_room_is_blind() {
    let mut room = room();
    let mut v1 = attach(&room.record, "v1");
    in_room(&mut v1, 1);
    let collector = room.collector.take().expect("the collector");
    let pid = collector.id().to_string();
    let signal = |sig: &str| {
        let ok = Command::new("kill").args([sig, &pid]).status();
        assert!(ok.is_ok_and(|s| s.success()), "kill {sig}");
    };
    signal("-STOP");
    v1.wait_for("BLIND: room silent", |sc| {
        let c = sc.contents();
        c.contains("BLIND") && c.contains("room silent") && c.contains("HAS SAID NOTHING FOR")
    });
    signal("-CONT");
    v1.wait_for("the room speaking again", |sc| {
        !sc.contents().contains("BLIND")
    });
    v1.press(b"q");
    assert!(v1.wait_exit(), "v1 did not exit on q");
    stop(collector);
}
