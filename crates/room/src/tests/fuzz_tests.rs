//! The room's wire under random and hostile bytes (proptest): hellos, requests and whole
//! frames built from valid messages, hostile strings (escapes, bidi overrides, NULs, runs of
//! tens of thousands of bytes), structural characters and random bytes, sent on a raw
//! connection. The collector never panics, closes what it cannot read, stays open to the next
//! screen, and nothing it writes to the log carries a raw control or bidi character or an
//! unbounded string. `WARROOM_FUZZ_CASES=N` runs N cases (default 48, a few seconds).

use std::io::{Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use warroom_core::model::EventBody;
use warroom_core::record::Reader;

use super::{Room, present};
use crate::viewer::{Link, LinkOptions};

/// Hostile strings and structural characters.
const HOSTILE: &[&str] = &[
    "\0",
    "\u{1b}[2J",
    "\u{1b}]0;owned\u{7}",
    "\u{9b}31m",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\n",
    "\r",
    "\t",
    "\u{c11c}",
];

/// One piece of what a screen sends.
fn piece() -> impl Strategy<Value = String> {
    let text = prop::collection::vec(
        prop_oneof![
            prop::sample::select(HOSTILE).prop_map(str::to_string),
            "[a-zA-Z0-9 ]{0,12}",
            (0usize..70_000).prop_map(|n| "G".repeat(n)),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat());
    let json = |s: &String| serde_json::to_string(s).unwrap_or_default();
    prop_oneof![
        Just("{\"hello\":{\"protocol\":1,\"operator\":\"wall\",\"read_only\":true}}\n".into()),
        text.clone().prop_map(move |name| format!(
            "{{\"hello\":{{\"protocol\":1,\"operator\":{}}}}}\n",
            json(&name)
        )),
        text.clone().prop_map(move |t| format!(
            "{{\"ask\":{{\"id\":1,\"request\":{{\"act\":{{\"action\":\"annotation\",\"text\":{}}}}}}}}}\n",
            json(&t)
        )),
        text.clone().prop_map(move |t| format!(
            "{{\"ask\":{{\"id\":2,\"request\":{{\"act\":{{\"action\":{}}}}}}}}}\n",
            json(&t)
        )),
        text.clone().prop_map(move |t| format!(
            "{{\"ask\":{{\"id\":3,\"request\":{{\"send_summary\":{{\"headline\":{}}}}}}}}}\n",
            json(&t)
        )),
        Just("\"bye\"\n".to_string()),
        text,
        prop::collection::vec(any::<u8>(), 0..300)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

fn cases() -> u32 {
    std::env::var("WARROOM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// True when `s` holds a raw control, escape or bidi character.
fn raw_hostile(s: &str) -> bool {
    s.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    })
}

#[test]
fn hostile_bytes_on_the_wire_never_panic_and_never_reach_the_log_raw() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::Relaxed);
        previous(info);
    }));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    room.record(1);
    let room = std::cell::RefCell::new(room);
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[25; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let socket = dir.path().join("room.sock");
    let result = runner.run(&prop::collection::vec(piece(), 1..6), |pieces| {
        let mut s = UnixStream::connect(&socket).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        // The collector may close before all is written (a line too long, garbage).
        let _ = s.write_all(pieces.concat().as_bytes());
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        // What the collector says is bounded: never an echo of the screen's bytes.
        let said = String::from_utf8_lossy(&answer);
        for line in said.lines().filter(|l| l.starts_with("{\"bye\"")) {
            prop_assert!(line.len() < 400, "{line}");
        }
        let mut room = room.borrow_mut();
        while let Some(msg) = room.host.take() {
            let at = room.at;
            let Room { host, journal, .. } = &mut *room;
            host.serve(journal, msg, at);
        }
        Ok(())
    });
    result.expect("no case failed");
    let mut room = room.into_inner();
    // Every leave written before the log is read.
    room.serve_until(|r| present(r) == 0);
    assert_eq!(
        PANICS.load(Ordering::Relaxed),
        0,
        "a task of the room panicked"
    );
    // Still serving.
    let opts = LinkOptions {
        socket: socket.clone(),
        operator: "kim".into(),
        read_only: true,
    };
    Link::open(opts, Duration::from_secs(10)).expect("the room still welcomes a screen");
    assert_log_clean(&dir.path().join("event.jsonl"));
}

/// No string the log holds from a screen carries a raw control or bidi character or exceeds
/// the room's bounds.
fn assert_log_clean(log: &std::path::Path) {
    let (_, reader) = Reader::open(log).expect("the log");
    let mut strings = Vec::new();
    for e in reader {
        match &e.body {
            EventBody::Room(c) => {
                strings.extend([c.who.clone(), c.user.clone()]);
                strings.extend(c.reason.clone());
            }
            EventBody::Operator(o) => {
                strings.push(o.who.clone());
                let action = serde_json::to_value(&o.action).unwrap_or_default();
                collect(&action, &mut strings);
            }
            EventBody::Summary(r) => {
                strings.extend(r.summary.headline_override.clone());
                strings.extend(r.summary.note.clone());
                strings.extend(r.summary.sent_by.clone());
            }
            _ => {}
        }
    }
    for s in &strings {
        assert!(!raw_hostile(s), "raw in the log: {s:?}");
        assert!(s.len() <= 2000, "unbounded in the log: {} bytes", s.len());
    }
}

fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|i| collect(i, out)),
        serde_json::Value::Object(m) => m.values().for_each(|i| collect(i, out)),
        _ => {}
    }
}
