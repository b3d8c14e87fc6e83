//! The recording format on disk: round trip, permissions, durability rules, and a reader that
//! survives torn, garbled and future lines.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::model::{
    EmbeddedFile, Event, EventBody, FORMAT_NAME, FORMAT_VERSION, Header, MetricBatch,
    OperatorAction, OperatorEvent, Point, SeriesData, Source,
};
use warroom_core::record::{Follower, Reader, RecordError, Recorder};

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-13T11:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

fn header() -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "test".into(),
        created: t0(),
        start: t0(),
        source: Source::Simulator {
            scenario: "army-drop-2000kst".into(),
            seed: 42,
        },
        layout: EmbeddedFile {
            path: "layouts/x.toml".into(),
            text: "[event]\n".into(),
        },
        runbook: None,
    }
}

fn metrics(at: DateTime<Utc>, v: f64) -> Event {
    Event {
        at,
        body: EventBody::Metrics(MetricBatch {
            region: "ap-northeast-2".into(),
            start: at - TimeDelta::minutes(3),
            end: at,
            series: vec![SeriesData {
                id: "seoul.requests".into(),
                points: vec![Point {
                    ts: at - TimeDelta::minutes(1),
                    v,
                    p: true,
                }],
                complete: true,
            }],
        }),
    }
}

fn note(at: DateTime<Utc>) -> Event {
    Event {
        at,
        body: EventBody::Operator(OperatorEvent {
            who: "noc1".into(),
            user: None,
            post_mortem: false,
            action: OperatorAction::Annotation {
                text: "doors open".into(),
            },
        }),
    }
}

#[test]
fn round_trip_keeps_every_event_in_order_and_mode_0600() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    let events: Vec<Event> = (0..5)
        .map(|i| metrics(t0() + TimeDelta::minutes(i), i as f64))
        .chain([note(t0())])
        .collect();
    let mut rec = Recorder::create(&path, &header(), false).expect("create");
    rec.write_batch(&events[..5]).expect("batch");
    rec.write_durable(&events[5]).expect("durable");
    assert_eq!(rec.events_written(), 6);
    drop(rec);

    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let (h, mut reader) = Reader::open(&path).expect("open");
    assert_eq!(h, header());
    let back: Vec<Event> = reader.by_ref().collect();
    assert_eq!(back, events);
    assert_eq!(reader.stats().summary(), None);
}

#[test]
fn create_refuses_to_replace_an_existing_recording() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    std::fs::write(&path, "precious\n").expect("write");
    let err = Recorder::create(&path, &header(), false)
        .err()
        .expect("must refuse");
    assert!(matches!(err, RecordError::Exists { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "precious\n");
    Recorder::create(&path, &header(), true).expect("overwrite when asked");
}

#[test]
fn overwrite_and_append_make_an_existing_readable_file_0600() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let path = dir.path().join("r.jsonl");
    std::fs::write(&path, "old\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    drop(Recorder::create(&path, &header(), true).expect("overwrite"));
    assert_eq!(mode(&path), 0o600, "--overwrite");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let mut rec = Recorder::append(&path).expect("append");
    rec.write_batch(&[metrics(t0(), 1.0)]).expect("batch");
    drop(rec);
    assert_eq!(mode(&path), 0o600, "--append");
    let (_, reader) = Reader::open(&path).expect("open");
    assert_eq!(reader.count(), 1);
}

#[test]
fn torn_garbled_and_unknown_lines_are_skipped_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    let good = serde_json::to_string(&metrics(t0(), 1.0)).expect("json");
    let text = format!(
        "{}\n{good}\nnot json at all\n{{\"at\":\"2026-06-13T11:00:00Z\",\"kind\":\"hologram\"}}\n{good}\n{}",
        serde_json::to_string(&header()).expect("json"),
        &good[..good.len() / 2]
    );
    std::fs::write(&path, text).expect("write");
    let (_, mut reader) = Reader::open(&path).expect("open");
    let events: Vec<Event> = reader.by_ref().collect();
    assert_eq!(events.len(), 2);
    let stats = reader.stats();
    assert_eq!(stats.garbled, 2, "{stats:?}");
    assert_eq!(stats.unknown_kind, 1);
    assert!(stats.torn_tail);
    let summary = stats.summary().expect("something skipped");
    assert!(summary.contains("skipped 3"), "{summary}");
    assert!(summary.contains("line 3"), "{summary}");
}

#[test]
fn invalid_utf8_line_is_skipped_and_reading_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    let mut bytes = serde_json::to_vec(&header()).expect("json");
    bytes.push(b'\n');
    bytes.extend(serde_json::to_vec(&metrics(t0(), 1.0)).expect("json"));
    bytes.extend(b"\n\xff\xfe\x00garbage\n");
    bytes.extend(serde_json::to_vec(&metrics(t0(), 2.0)).expect("json"));
    bytes.push(b'\n');
    std::fs::write(&path, bytes).expect("write");
    let (_, mut reader) = Reader::open(&path).expect("open");
    assert_eq!(reader.by_ref().count(), 2);
    assert_eq!(reader.stats().garbled, 1);
}

#[test]
fn header_problems_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    std::fs::write(&path, "").expect("write");
    assert!(
        Reader::open(&path)
            .err()
            .expect("empty")
            .to_string()
            .contains("empty")
    );
    std::fs::write(&path, "{\"format\":\"other\"}\n").expect("write");
    let msg = Reader::open(&path).err().expect("wrong format").to_string();
    assert!(msg.contains("not a warroom recording"), "{msg}");
    let mut newer = serde_json::to_value(header()).expect("json");
    newer["version"] = serde_json::json!(FORMAT_VERSION + 1);
    std::fs::write(&path, format!("{newer}\n")).expect("write");
    let msg = Reader::open(&path).err().expect("newer").to_string();
    assert!(msg.contains("newer than this warroom reads"), "{msg}");
}

#[test]
fn follower_sees_only_complete_lines_as_they_arrive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    let mut rec = Recorder::create(&path, &header(), false).expect("create");
    rec.write_batch(&[metrics(t0(), 1.0)]).expect("batch");
    let (h, mut follower) = Follower::open(&path).expect("open");
    assert_eq!(h.source, header().source);
    assert_eq!(follower.poll().expect("poll").len(), 1);
    assert!(follower.poll().expect("poll").is_empty());

    let line = serde_json::to_string(&metrics(t0(), 2.0)).expect("json");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    f.write_all(&line.as_bytes()[..10]).expect("partial");
    f.flush().expect("flush");
    assert!(
        follower.poll().expect("poll").is_empty(),
        "partial line must wait"
    );
    f.write_all(&line.as_bytes()[10..]).expect("rest");
    f.write_all(b"\n").expect("nl");
    f.flush().expect("flush");
    let got = follower.poll().expect("poll");
    assert_eq!(got, vec![metrics(t0(), 2.0)]);
}

#[test]
fn follower_holds_a_line_longer_than_the_limit_bounded_then_skips_and_counts_it() {
    use warroom_core::record::MAX_LINE_BYTES;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    let rec = Recorder::create(&path, &header(), false).expect("create");
    drop(rec);
    let (_, mut follower) = Follower::open(&path).expect("open");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    // A writer gone wrong: one line without end, longer than any line is read.
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..(MAX_LINE_BYTES >> 20) + 2 {
        f.write_all(&chunk).expect("write");
        assert!(follower.poll().expect("poll").is_empty());
        assert!(follower.pending_bytes() <= MAX_LINE_BYTES, "held bounded");
    }
    let line = serde_json::to_string(&metrics(t0(), 2.0)).expect("json");
    f.write_all(format!("\n{line}\n").as_bytes()).expect("end");
    let got = follower.poll().expect("poll");
    assert_eq!(got, vec![metrics(t0(), 2.0)], "the next line is read");
    assert_eq!(follower.stats().garbled, 1, "the long line counted");
    let why = follower.stats().summary().expect("a skipped line is told");
    assert!(why.contains("longer than"), "{why}");
    assert_eq!(follower.pending_bytes(), 0);
}

#[test]
fn append_after_a_crash_terminates_the_torn_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.jsonl");
    let mut rec = Recorder::create(&path, &header(), false).expect("create");
    rec.write_batch(&[metrics(t0(), 1.0)]).expect("batch");
    drop(rec);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    f.write_all(b"{\"at\":\"2026-06").expect("torn");
    drop(f);
    let mut rec = Recorder::append(&path).expect("append");
    rec.write_batch(&[note(t0())]).expect("batch");
    drop(rec);
    let (_, mut reader) = Reader::open(&path).expect("open");
    let events: Vec<Event> = reader.by_ref().collect();
    assert_eq!(events, vec![metrics(t0(), 1.0), note(t0())]);
    assert_eq!(reader.stats().garbled, 1);
}
