//! The room against its own users, over raw sockets as an attacker with an account on the
//! bastion would drive it: the seats hold however many screens arrive at once and watchers
//! never take the operators' seats; a refused screen is told why; a line never finished is
//! closed; a protocol error reaches the log stripped and bounded; joins and leaves over the
//! rate are counted into one event; requests over the rate are refused; screens attaching at
//! once to a long log catch up a few at a time, each completely; a room lowered to fit a small
//! open-file limit says so when it refuses.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use warroom_core::model::{EventBody, RoomChangeKind};
use warroom_core::record::Reader;

use super::{Room, present};
use crate::host::{
    CATCH_UP_READERS, Caps, FD_RESERVE, LINE_TIMEOUT, MAX_CONNECTING_PER_ACCOUNT, MAX_SCREENS,
    MAX_WATCHERS, REQUEST_BURST,
};
use crate::viewer::{Link, LinkOptions};

const WATCHER: &str = "{\"hello\":{\"protocol\":1,\"operator\":\"wall\",\"read_only\":true}}\n";
const OPERATOR: &str = "{\"hello\":{\"protocol\":1,\"operator\":\"kim\"}}\n";

/// A raw connection to the room and its reader.
struct Raw {
    stream: UnixStream,
    lines: BufReader<UnixStream>,
}

impl Raw {
    fn connect(dir: &Path) -> Raw {
        let stream = UnixStream::connect(dir.join("room.sock")).expect("connect");
        // A bound against a hang, not a measure.
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let lines = BufReader::new(stream.try_clone().expect("clone"));
        Raw { stream, lines }
    }

    /// Sends `text`; the room may have closed already (it said why: read it).
    fn send(&mut self, text: &str) {
        let _ = self.stream.write_all(text.as_bytes());
    }

    /// The next line from the room (empty when it closed).
    fn line(&mut self) -> String {
        let mut line = String::new();
        let _ = self.lines.read_line(&mut line);
        line
    }

    /// Says hello; the first answer: Ok(welcome line) or Err(the reason of the bye).
    fn hello(dir: &Path, hello: &str) -> (Raw, Result<String, String>) {
        let mut raw = Raw::connect(dir);
        raw.send(hello);
        let first = raw.line();
        let answer = match serde_json::from_str::<serde_json::Value>(&first) {
            Ok(v) if v.get("welcome").is_some() => Ok(first),
            Ok(v) => Err(v["bye"]["reason"].as_str().unwrap_or(&first).to_string()),
            Err(_) => Err(first),
        };
        (raw, answer)
    }
}

/// The `room` events of the recording in `dir`.
fn room_events(dir: &Path) -> Vec<warroom_core::model::RoomChange> {
    let (_, reader) = Reader::open(&dir.join("event.jsonl")).expect("the recording");
    reader
        .filter_map(|e| match e.body {
            EventBody::Room(c) => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn the_seats_hold_under_concurrency_and_watchers_never_lock_out_operators() {
    let dir = tempfile::tempdir().expect("tempdir");
    let room = Room::new(dir.path());
    // Watchers from 24 threads at once, far more than the room seats; every one is answered.
    let held = Arc::new(Mutex::new(Vec::new()));
    let refusals = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..24)
        .map(|_| {
            let (held, refusals) = (Arc::clone(&held), Arc::clone(&refusals));
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut answered = 0;
                while answered < 25 {
                    let (raw, answer) = Raw::hello(&dir, WATCHER);
                    match answer {
                        // Too many of this account saying hello at once: it tries again.
                        Err(why) if why.contains("connecting at once") => continue,
                        Ok(_) => held.lock().expect("lock").push(raw),
                        Err(why) => refusals.lock().expect("lock").push(why),
                    }
                    answered += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a thread");
    }
    let watchers = held.lock().expect("lock").len();
    assert_eq!(watchers, MAX_WATCHERS, "watchers seated");
    let refusals = refusals.lock().expect("lock").clone();
    assert_eq!(watchers + refusals.len(), 600, "every screen was answered");
    assert!(
        refusals.iter().all(|r| r.contains("full for watchers")),
        "{refusals:?}"
    );
    // The operators' seats are still free.
    let opts = LinkOptions {
        socket: dir.path().join("room.sock"),
        operator: "kim".into(),
        read_only: false,
    };
    let (_kim, welcome) = Link::open(opts.clone(), Duration::from_secs(10)).expect("kim gets in");
    assert!(!welcome.read_only);
    let mut operators = Vec::new();
    for _ in MAX_WATCHERS + 1..MAX_SCREENS {
        let (raw, answer) = Raw::hello(dir.path(), OPERATOR);
        answer.expect("an operator's seat");
        operators.push(raw);
    }
    // Full: the next screen is told why, and `attach` prints it.
    let refused = Link::open(opts, Duration::from_secs(10))
        .err()
        .expect("the room is full");
    assert!(
        refused
            .to_string()
            .ends_with("did not welcome this screen: the room is full: 256 screens (192 watchers)"),
        "{refused}"
    );
    // A seat given back is a seat again.
    drop(operators.pop());
    let mut again = None;
    for _ in 0..200 {
        let (raw, answer) = Raw::hello(dir.path(), OPERATOR);
        if answer.is_ok() {
            again = Some(raw);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(again.is_some(), "the seat came back");
    drop(room);
}

#[test]
fn a_line_never_finished_is_closed_and_a_protocol_error_is_logged_stripped_and_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    // One trickles a request line and never ends it.
    let (mut slow, answer) = Raw::hello(dir.path(), OPERATOR);
    answer.expect("welcomed");
    slow.send("{\"ask\":{\"id\":1,");
    // Another names an action of escapes and 60,000 Gs.
    let (mut hostile, answer) = Raw::hello(dir.path(), OPERATOR);
    answer.expect("welcomed");
    let name = format!("\u{1b}]0;owned\u{7}\u{1b}[2J{}", "G".repeat(60_000));
    let ask = format!(
        "{{\"ask\":{{\"id\":2,\"request\":{{\"act\":{{\"action\":{}}}}}}}}}\n",
        serde_json::to_string(&name).expect("json")
    );
    hostile.send(&ask);
    room.serve_until(|r| {
        let left = r
            .journal
            .fold()
            .pipeline()
            .state()
            .room()
            .changes()
            .filter(|c| c.change == RoomChangeKind::Left)
            .count();
        left == 2
    });
    let left: Vec<_> = room_events(dir.path())
        .into_iter()
        .filter(|c| c.change == RoomChangeKind::Left)
        .collect();
    let reasons: Vec<String> = left.iter().filter_map(|c| c.reason.clone()).collect();
    assert!(
        reasons.contains(&format!(
            "closed: a line took longer than {} s to arrive",
            LINE_TIMEOUT.as_secs()
        )),
        "{reasons:?}"
    );
    for r in &reasons {
        assert!(r.len() <= 160, "{} bytes", r.len());
        assert!(!r.chars().any(char::is_control), "{r:?}");
        let run = r.split(|c| c != 'G').map(str::len).max().unwrap_or(0);
        assert!(
            run <= 120,
            "an echo of {run} bytes of what the screen sent: {r}"
        );
    }
    // Both were told why before the link closed.
    for raw in [&mut slow, &mut hostile] {
        let mut said = String::new();
        loop {
            let line = raw.line();
            if line.is_empty() {
                break;
            }
            said = line;
        }
        assert!(said.contains("\"bye\""), "{said}");
    }
}

#[test]
fn a_watcher_joining_and_leaving_in_a_loop_writes_one_counted_event() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    for _ in 0..300 {
        let (mut raw, answer) = Raw::hello(dir.path(), WATCHER);
        answer.expect("welcomed");
        raw.send("\"bye\"\n");
    }
    room.serve_until(|r| {
        r.journal
            .fold()
            .pipeline()
            .state()
            .room()
            .changes()
            .any(|c| c.change == RoomChangeKind::Churned)
    });
    room.serve_until(|r| present(r) == 0);
    let events = room_events(dir.path());
    let joined = events
        .iter()
        .filter(|c| c.change == RoomChangeKind::Joined)
        .count();
    let churned: Vec<_> = events
        .iter()
        .filter(|c| c.change == RoomChangeKind::Churned)
        .collect();
    assert!(joined <= 20, "{joined} joins written one by one");
    assert!(events.len() <= 2 * joined + 2, "{events:#?}");
    assert_eq!(churned.len(), 1, "{churned:#?}");
    let times = churned[0].reason.as_deref().unwrap_or_default();
    let counted: usize = times
        .split(' ')
        .next()
        .map(|n| n.replace(',', ""))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert_eq!(counted + joined, 300, "{times}");
    assert_eq!(churned[0].who, "wall");
    assert!(churned[0].read_only);
}

#[test]
fn requests_over_an_accounts_rate_are_refused_and_not_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    let (kim, answer) = Raw::hello(dir.path(), OPERATOR);
    answer.expect("welcomed");
    let text = "x".repeat(1500);
    let mut asks = String::new();
    for id in 0..500 {
        let _ = writeln!(
            asks,
            "{{\"ask\":{{\"id\":{id},\"request\":{{\"act\":{{\"action\":\"annotation\",\"text\":\"{text}\"}}}}}}}}"
        );
    }
    let writer = {
        let mut stream = kim.stream.try_clone().expect("clone");
        std::thread::spawn(move || stream.write_all(asks.as_bytes()).expect("asks"))
    };
    let (tx, answers) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut kim = kim;
        loop {
            let line = kim.line();
            if line.is_empty() || tx.send(line).is_err() {
                return;
            }
        }
    });
    let (mut done, mut refused) = (0, 0);
    while done + refused < 500 {
        if let Some(msg) = room.host.take() {
            room.host.serve(&mut room.journal, msg, room.at);
            continue;
        }
        let Ok(line) = answers.recv_timeout(Duration::from_millis(5)) else {
            continue;
        };
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
            && let Some(a) = v.get("answer")
        {
            match a.get("refused").and_then(|r| r.as_str()) {
                Some(r) => {
                    assert!(r.contains("requests at once"), "{r}");
                    refused += 1;
                }
                None => done += 1,
            }
        }
    }
    drop(answers);
    drop(room);
    let _ = reader.join();
    writer.join().expect("written");
    assert!(
        done >= 1 && done <= REQUEST_BURST as usize + 10,
        "{done} done"
    );
    let marks = Reader::open(&dir.path().join("event.jsonl"))
        .expect("log")
        .1
        .filter(|e| matches!(e.body, EventBody::Operator(_)))
        .count();
    assert_eq!(marks, done, "only what was done is written");
}

#[test]
fn idle_connections_never_hold_more_than_their_places() {
    let dir = tempfile::tempdir().expect("tempdir");
    let room = Room::new(dir.path());
    // 1,100 connections that never say hello, as an account would open to exhaust descriptors.
    let mut idle = Vec::new();
    let mut told = 0;
    for _ in 0..1100 {
        let mut raw = Raw::connect(dir.path());
        raw.stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let line = raw.line();
        if line.contains("connecting at once") {
            told += 1;
        } else {
            idle.push(raw);
        }
    }
    // Past the account's places, each was told why and closed at once: the collector holds a
    // descriptor for its places only, whatever the number of connections.
    assert_eq!(idle.len(), MAX_CONNECTING_PER_ACCOUNT, "{told} told");
    assert_eq!(room.host.connecting(), MAX_CONNECTING_PER_ACCOUNT);
    drop(idle);
}

/// The catch-up lines a screen reads after its welcome, up to the log's position `end`.
fn caught_up(raw: &mut Raw, end: u64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut reached = 0;
    while reached < end {
        let line = raw.line();
        assert!(!line.is_empty(), "the link closed at {reached} of {end}");
        let v: serde_json::Value = serde_json::from_str(&line).expect("a line of the room");
        let batch = &v["step"]["batch"];
        let seq = batch["seq"].as_u64().expect("a batch");
        assert_eq!(seq, reached, "no gap, no duplicate");
        reached += batch["events"].as_array().map_or(0, Vec::len) as u64;
        lines.push(line);
    }
    lines
}

#[test]
fn screens_attaching_at_once_catch_up_a_few_at_a_time_and_completely() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    // A long log: far more than a socket's buffer and a reader's read-ahead hold.
    for _ in 0..400 {
        room.record(40);
    }
    let end = room.journal.fold().seq();
    // 24 screens attach, and none reads what it lacks until all have: every catch-up that
    // started is held up by its screen, so unbounded they would all run at once.
    let screens: Vec<Raw> = (0..24)
        .map(|_| {
            let (raw, answer) = Raw::hello(dir.path(), WATCHER);
            answer.expect("welcomed");
            raw
        })
        .collect();
    let readers: Vec<_> = screens
        .into_iter()
        .map(|mut raw| std::thread::spawn(move || caught_up(&mut raw, end)))
        .collect();
    let caught: Vec<Vec<String>> = readers
        .into_iter()
        .map(|t| t.join().expect("a screen caught up"))
        .collect();
    let peak = room.host.catch_up_peak();
    assert!(
        (1..=CATCH_UP_READERS).contains(&peak),
        "{peak} catch-up readers at once"
    );
    // Every screen got the whole log, the same.
    assert!(caught.iter().all(|c| c == &caught[0]));
    drop(room);
}

#[test]
fn a_room_lowered_to_fit_a_small_open_file_limit_says_so_when_full() {
    let dir = tempfile::tempdir().expect("tempdir");
    let limit = FD_RESERVE + CATCH_UP_READERS as u64 + 8;
    let caps = Caps::for_open_files(limit);
    let room = Room::capped(dir.path(), caps);
    assert_eq!(room.host.caps(), caps);
    assert_eq!((caps.screens, caps.watchers), (6, 4));
    let operators: Vec<Raw> = (0..caps.screens)
        .map(|_| {
            let (raw, answer) = Raw::hello(dir.path(), OPERATOR);
            answer.expect("an operator's seat");
            raw
        })
        .collect();
    let (_, answer) = Raw::hello(dir.path(), OPERATOR);
    assert_eq!(
        answer.err().as_deref(),
        Some(
            "the room is full: 6 screens (0 watchers); the collector may open only 140 files \
             (it needs 452 for the full room)"
        )
    );
    drop(operators);
}
