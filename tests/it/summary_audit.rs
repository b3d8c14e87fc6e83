//! The audit trail: `warroom summary REC --at T` at the time of a summary the recording holds
//! prints that summary as sent (the room's headline and note included) and says so; `--draft`
//! makes a fresh one from the data.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::model::{
    DeliveryState, Event, EventBody, Status, SummaryDelivery, SummaryRecord,
};
use warroom_core::record::{Reader, Recorder};

fn kst(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2026-06-13T{s}+09:00"))
        .expect("time")
        .with_timezone(&Utc)
}

/// The reference recording with the 22:00 summary as the room sent it: YELLOW, its headline
/// edited, a note added, delivered to the directory sink.
fn recording_with_a_sent_summary(dir: &Path) -> PathBuf {
    let raw = dir.join("ref.jsonl");
    crate::support::demo::record_headless(None, &raw);
    let (_, mut s) = warroom::cli::summary_of(&raw, Some("22:00")).expect("draft");
    s.overall = Status::Yellow;
    s.headline_override = Some("Sale closed; Seoul scale-in under watch".into());
    s.note = Some("Virginia stays at 6 hosts until 23:30".into());
    s.sent_by = Some("ic-kim".into());
    let (header, mut reader) = Reader::open(&raw).expect("open");
    let mut events: Vec<Event> = reader.by_ref().collect();
    let written = kst("22:00:04");
    events.push(Event {
        at: written,
        body: EventBody::Summary(SummaryRecord {
            summary: Box::new(s.clone()),
            user: None,
        }),
    });
    events.push(Event {
        at: written + TimeDelta::seconds(1),
        body: EventBody::SummaryDelivery(SummaryDelivery {
            id: s.id.clone(),
            sink: "directory:summaries".into(),
            state: DeliveryState::Sent,
            detail: None,
            attempt: 1,
            next_retry: None,
        }),
    });
    events.sort_by_key(|e| e.at);
    let path = dir.join("sent.jsonl");
    let mut rec = Recorder::create(&path, &header, true).expect("create");
    rec.write_batch(&events).expect("write");
    path
}

fn summary(path: &Path, extra: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("summary")
        .arg(path)
        .args(["--at", "22:00"])
        .args(extra)
        .output()
        .expect("run warroom summary");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_summary_sent_is_what_the_trail_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = recording_with_a_sent_summary(dir.path());
    let (out, err) = summary(&path, &[]);
    assert!(
        out.contains("Headline: Sale closed; Seoul scale-in under watch"),
        "{out}"
    );
    assert!(
        out.contains("Note: Virginia stays at 6 hosts until 23:30"),
        "{out}"
    );
    assert!(out.contains(": YELLOW at 22:00 KST"), "{out}");
    assert!(
        err.contains("as sent: written 22:00 KST, sent to directory:summaries")
            && err.contains("headline edited and note added by ic-kim")
            && err.contains("--draft"),
        "{err}"
    );
    // The JSON is the summary sent, field for field.
    let (json, _) = summary(&path, &["--format", "json"]);
    let back: warroom_core::model::Summary = serde_json::from_str(&json).expect("json");
    assert_eq!(back.sent_by.as_deref(), Some("ic-kim"));
    // A fresh draft is asked for, and labelled as such.
    let (draft, err) = summary(&path, &["--draft"]);
    assert!(!draft.contains("Sale closed"), "{draft}");
    // Drafted from the data: Seoul's CPU credits under half their baseline keep it YELLOW.
    assert!(
        draft.contains("Headline: YELLOW, issues: Seoul") && !draft.contains("Note:"),
        "{draft}"
    );
    assert!(err.contains("a draft from the data"), "{err}");
}
