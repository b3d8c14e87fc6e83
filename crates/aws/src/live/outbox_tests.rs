//! The journal fed simulated batches as a collector feeds it, with the outbox delivering to a
//! directory sink: every summary is in the recording before its delivery, the sink's outcomes
//! follow it there, a sink that fails leaves them pending, and a restart with `--append`
//! (replaying the log) delivers the pending ones and goes on without repeating or skipping a
//! summary.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::board::Board;
use crate::config::{self, Layout};
use crate::delivery::sink::DirectorySink;
use crate::journal::{Desk, Journal, resume};
use crate::model::{DeliveryState, EventBody, SummaryKind};
use crate::pipeline::batches;
use crate::record::Reader;
use crate::record::live as recording;
use warroom_sim::{Scenario, Simulator};

const SINK: &str = "directory:out";

fn kst(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2026-06-13T{s}+09:00"))
        .expect("time")
        .with_timezone(&Utc)
}

fn builtin() -> Layout {
    config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("layout")
}

/// A collector started as `warroom collect --append` starts: the recording opened, the log
/// replayed, delivery to one directory sink named [`SINK`] writing to `dir`.
fn start(layout: &Layout, path: &Path, dir: &Path, from: DateTime<Utc>) -> Journal {
    let header = recording::aws_header(layout, None, from);
    let rec = recording::open(path, &header, true, false).expect("open");
    let resumed = resume(layout, Some(path), from, Board::default()).expect("replay");
    let sinks = vec![Sink::Directory(DirectorySink::new(
        SINK.into(),
        dir.to_path_buf(),
    ))];
    let policy = Policy {
        first: Duration::from_millis(200),
        max: Duration::from_millis(200),
        attempts: None,
    };
    let clock: crate::clock::SharedClock = Arc::new(Utc::now);
    let book = resumed.fold.pipeline().state().summaries();
    let outbox = Outbox::start(sinks, policy, &clock, book);
    let desk = Desk::new(resumed.scheduler, Box::new(outbox));
    Journal::new(resumed.fold, Some(rec), Some(desk))
}

/// Feeds the simulator's batches minute by minute as the collector does; returns the ids of
/// the summaries made.
fn run(
    sim: &mut Simulator,
    j: &mut Journal,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<String> {
    let mut made = Vec::new();
    let mut now = from;
    while now <= to {
        for b in batches(sim.advance_to(now)) {
            let taken = j.record(b, now);
            assert!(taken.error.is_none(), "{:?}", taken.error);
            made.extend(taken.made.into_iter().map(|s| s.id));
        }
        let taken = j.tick(now);
        made.extend(taken.made.into_iter().map(|s| s.id));
        now += TimeDelta::minutes(1);
    }
    made
}

/// Drains delivery outcomes until `done` holds for the summaries' outcomes at the sink.
async fn settle(j: &mut Journal, done: impl Fn(&[Option<DeliveryState>]) -> bool) {
    for _ in 0..200 {
        assert!(j.drain().error.is_none());
        let states: Vec<_> = j
            .fold()
            .pipeline()
            .state()
            .summaries()
            .entries()
            .iter()
            .map(|e| e.sinks.get(SINK).map(|o| o.state))
            .collect();
        if done(&states) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("deliveries did not settle");
}

/// The recording's events, by kind: summary ids in order, and `(id, state)` of deliveries.
fn log(path: &Path) -> (Vec<String>, Vec<(String, DeliveryState)>) {
    let (_, reader) = Reader::open(path).expect("read");
    let mut summaries = Vec::new();
    let mut deliveries = Vec::new();
    for e in reader {
        match e.body {
            EventBody::Summary(r) => summaries.push(r.summary.id.clone()),
            EventBody::SummaryDelivery(d) => {
                assert!(
                    summaries.contains(&d.id),
                    "delivery of {} before its summary was written",
                    d.id
                );
                deliveries.push((d.id, d.state));
            }
            _ => {}
        }
    }
    (summaries, deliveries)
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| Path::new(n).extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn summaries_reach_the_recording_and_the_directory_across_a_restart() {
    let layout = builtin();
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("live.jsonl");
    let out = tmp.path().join("summaries");
    // The first run's sink cannot write: a file stands where its directory should be.
    let blocked = tmp.path().join("blocked");
    std::fs::write(&blocked, "not a directory").expect("write");
    let from = kst("19:50:00");
    let mut sim = Simulator::new(&layout, Scenario::SharedDb, 42, from);

    let mut j = start(&layout, &path, &blocked, from);
    let said = run(&mut sim, &mut j, from, kst("21:00:30"));
    // The sink sends in order: the first summary is retried, the others wait behind it.
    settle(&mut j, |st| {
        st.first() == Some(&Some(DeliveryState::Failed))
    })
    .await;
    let made: Vec<_> = j.fold().pipeline().state().summaries().entries().to_vec();
    let kinds: Vec<_> = made.iter().map(|e| e.summary.kind).collect();
    assert_eq!(kinds, [SummaryKind::Hourly; 3], "20:00, 20:30 (Red), 21:00");
    assert_eq!(said.len(), 3, "{said:?}");
    let (ids, deliveries) = log(&path);
    assert_eq!(ids.len(), 3);
    assert!(!deliveries.is_empty());
    assert!(
        deliveries
            .iter()
            .all(|(_, st)| *st == DeliveryState::Failed)
    );
    assert!(files(&out).is_empty());
    drop(j);

    // Restart, down across 22:00: the pending three are delivered, 22:00 is made once, late.
    sim.advance_to(kst("22:03:00"));
    let mut j = start(&layout, &path, &out, kst("22:04:00"));
    assert_eq!(
        j.fold().pipeline().state().summaries().entries().len(),
        3,
        "replayed"
    );
    run(&mut sim, &mut j, kst("22:04:00"), kst("22:10:00"));
    settle(&mut j, |st| {
        st.iter().all(|o| *o == Some(DeliveryState::Sent))
    })
    .await;
    drop(j);

    let (ids, deliveries) = log(&path);
    assert_eq!(ids.len(), 4, "{ids:?}");
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique, ids, "no summary written twice");
    assert!(ids[3].starts_with("S004-"), "{}", ids[3]);
    let expected: Vec<String> = ids.iter().map(|i| format!("{i}.md")).collect();
    assert_eq!(files(&out), expected, "every summary in the directory");
    for id in &ids {
        assert!(
            deliveries
                .iter()
                .any(|(d, st)| d == id && *st == DeliveryState::Sent),
            "{id} sent"
        );
    }
}
