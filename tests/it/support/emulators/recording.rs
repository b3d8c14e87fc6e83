//! Runs warroom's pollers against an emulator the way `collect` does: each poll batch from the
//! scheduler's channel goes to a `Recorder`; then the file is read back with the `Reader`, so
//! tests assert on what the recording holds, not on what the pollers returned.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc::{Sender, channel};
use tokio::task::JoinHandle;
use warroom_core::model::{
    EmbeddedFile, Event, EventBody, FORMAT_NAME, FORMAT_VERSION, Header, Source,
};
use warroom_core::record::{Reader, Recorder};

/// How long pollers may take to produce what a test waits for (SDK retries included).
pub const RECORD_TIMEOUT: Duration = Duration::from_mins(2);

/// A recording read back from disk.
/// The header and the reader's statistics were checked when it was read back.
pub struct Recording {
    pub events: Vec<Event>,
    _dir: tempfile::TempDir,
}

impl Recording {
    /// What `pick` takes from each event body, in recording order.
    pub fn bodies<'a, T>(&'a self, pick: impl Fn(&'a EventBody) -> Option<T>) -> Vec<T> {
        self.events.iter().filter_map(|e| pick(&e.body)).collect()
    }

    /// The `source_status` events of `source`, in order: (state, detail).
    pub fn statuses(
        &self,
        source: &str,
    ) -> Vec<(warroom_core::model::SourceState, Option<String>)> {
        self.bodies(|b| match b {
            EventBody::SourceStatus(s) if s.source == source => Some((s.state, s.detail.clone())),
            _ => None,
        })
    }
}

/// Starts pollers with `start` (given the channel they send to), records every batch until
/// `done` holds for the events received so far, stops them, and reads the recording back.
/// Panics, listing what arrived, if `done` does not hold within `RECORD_TIMEOUT`.
pub async fn record(
    layout: &EmbeddedFile,
    regions: Vec<String>,
    start: impl FnOnce(&Sender<Vec<Event>>) -> Vec<JoinHandle<()>>,
    done: impl Fn(&[Event]) -> bool,
) -> Recording {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("emulator.jsonl");
    let now = Utc::now();
    let header = Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "warroom emulator tests".into(),
        created: now,
        start: now,
        source: Source::Aws {
            accounts: vec![],
            regions,
            profile: None,
        },
        layout: layout.clone(),
        runbook: None,
    };
    let mut rec = Recorder::create(&path, &header, false).expect("create the recording");
    let (tx, mut rx) = channel::<Vec<Event>>(64);
    let handles = start(&tx);
    drop(tx);
    let mut written: Vec<Event> = vec![];
    let deadline = tokio::time::Instant::now() + RECORD_TIMEOUT;
    while !done(&written) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(batch)) => {
                rec.write_batch(&batch).expect("write a batch");
                written.extend(batch);
            }
            Ok(None) => {
                panic!("every poller stopped before the test's condition held: {written:#?}")
            }
            Err(elapsed) => panic!(
                "the test's condition did not hold ({elapsed}: {} s); recorded so far: {written:#?}",
                RECORD_TIMEOUT.as_secs()
            ),
        }
    }
    for h in &handles {
        h.abort();
    }
    drop(rec);
    let (read_header, mut reader) = Reader::open(&path).expect("open the recording");
    let events: Vec<Event> = reader.by_ref().collect();
    let stats = reader.stats().clone();
    assert_eq!(read_header, header, "the header reads back as written");
    assert_eq!(
        stats.summary(),
        None,
        "no line of the recording was skipped"
    );
    assert_eq!(
        events, written,
        "the recording holds every event written, in order"
    );
    Recording { events, _dir: dir }
}
