//! The summary schedule under paused tokio time, driven the way a collector drives it: every
//! simulated minute the new events go through the pipeline, the scheduler is asked what is due,
//! and a due summary is written to the recording before anything else. Asserts the top of the
//! hour in Asia/Seoul (with the faster cadence while Red) and in New York across the autumn
//! daylight-saving change, and that a collector killed and restarted from its recording neither
//! repeats a slot nor leaves one out.

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::config::{self, Layout};
use warroom_core::model::{
    EmbeddedFile, Event, EventBody, FORMAT_NAME, FORMAT_VERSION, Header, MetricBatch, Source,
    Summary, SummaryKind, SummaryRecord,
};
use warroom_core::pipeline::{Pipeline, batches};
use warroom_core::record::{Reader, Recorder};
use warroom_core::summary::Scheduler;
use warroom_sim::{Scenario, Simulator};

fn kst(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2026-06-13T{s}+09:00"))
        .expect("time")
        .with_timezone(&Utc)
}

fn header(layout: &Layout, start: DateTime<Utc>) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "test".into(),
        created: start,
        start,
        source: Source::Simulator {
            scenario: "test".into(),
            seed: 1,
        },
        layout: EmbeddedFile {
            path: layout.path.clone(),
            text: layout.text.clone(),
        },
        runbook: None,
    }
}

/// A collector: pipeline + scheduler + recorder. `resume` replays the recording first, as a
/// restarted collector does (entries observed, nothing made), then asks once what is due.
struct Collector {
    pipeline: Pipeline,
    scheduler: Scheduler,
    rec: Recorder,
    made: Vec<Summary>,
}

impl Collector {
    fn new(layout: &Layout, path: &Path, start: DateTime<Utc>) -> Collector {
        Collector {
            pipeline: Pipeline::new(layout),
            scheduler: Scheduler::new(start),
            rec: Recorder::create(path, &header(layout, start), true).expect("create"),
            made: Vec::new(),
        }
    }

    fn resume(layout: &Layout, path: &Path) -> Collector {
        let (h, mut reader) = Reader::open(path).expect("open");
        let mut c = Collector {
            pipeline: Pipeline::new(layout),
            scheduler: Scheduler::new(h.start),
            rec: Recorder::append(path).expect("append"),
            made: Vec::new(),
        };
        for batch in batches(reader.by_ref()) {
            let entries = c.pipeline.ingest(&batch);
            c.scheduler.observe(&entries);
        }
        c
    }

    fn batch(&mut self, events: Vec<Event>, now: DateTime<Utc>) {
        for b in batches(events) {
            self.rec.write_batch(&b).expect("write");
            let entries = self.pipeline.ingest(&b);
            self.scheduler.observe(&entries);
        }
        let entries = self.pipeline.evaluate(now);
        self.scheduler.observe(&entries);
        if let Some(s) = self.scheduler.due(&self.pipeline, now) {
            let e = Event {
                at: now,
                body: EventBody::Summary(SummaryRecord {
                    summary: Box::new(s.clone()),
                    user: None,
                }),
            };
            self.rec.write_durable(&e).expect("write summary");
            self.pipeline.ingest(std::slice::from_ref(&e));
            self.made.push(s);
        }
    }
}

fn builtin() -> Layout {
    config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("layout")
}

/// Runs the simulator minute by minute on paused tokio time from `from` to `to`.
async fn run(c: &mut Collector, sim: &mut Simulator, from: DateTime<Utc>, to: DateTime<Utc>) {
    let origin = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(std::time::Duration::from_mins(1)).await;
        let now = from + TimeDelta::from_std(origin.elapsed()).expect("elapsed");
        if now > to {
            break;
        }
        let events = sim.advance_to(now);
        c.batch(events, now);
    }
}

fn slots(made: &[Summary]) -> Vec<String> {
    made.iter()
        .map(|s| match s.kind {
            SummaryKind::Hourly => s
                .slot
                .expect("slot")
                .with_timezone(&chrono_tz::Asia::Seoul)
                .format("%H:%M")
                .to_string(),
            k => format!(
                "{}@{}",
                k.word(),
                s.at.with_timezone(&chrono_tz::Asia::Seoul).format("%H:%M")
            ),
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn seoul_top_of_the_hour_faster_while_red_final_at_the_end() {
    let layout = builtin();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("rec.jsonl");
    let from = kst("19:00:00");
    let mut sim = Simulator::new(&layout, Scenario::SharedDb, 42, from);
    let mut c = Collector::new(&layout, &path, from);
    run(&mut c, &mut sim, from, kst("23:05:00")).await;
    let got = slots(&c.made);
    // shared-db is Red from 20:09 to 20:46: the 30-minute cadence adds 20:30.
    assert_eq!(
        got,
        ["20:00", "20:30", "21:00", "22:00", "final@23:00"],
        "{got:?}"
    );
    for (i, s) in c.made.iter().enumerate() {
        assert_eq!(s.seq as usize, i + 1);
        assert!(
            s.at - s.slot.unwrap_or(s.at) < TimeDelta::minutes(1),
            "sent in the slot's minute"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_restart_neither_repeats_nor_skips_a_slot() {
    let layout = builtin();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("rec.jsonl");
    let from = kst("19:50:00");
    let mut sim = Simulator::new(&layout, Scenario::SharedDb, 42, from);
    let mut first = Collector::new(&layout, &path, from);
    run(&mut first, &mut sim, from, kst("21:00:30")).await;
    assert_eq!(slots(&first.made), ["20:00", "20:30", "21:00"]);
    drop(first);
    // Restart at once (same minute): 21:00 must not be made again.
    let mut second = Collector::resume(&layout, &path);
    run(&mut second, &mut sim, kst("21:00:30"), kst("21:58:30")).await;
    assert_eq!(
        slots(&second.made),
        Vec::<String>::new(),
        "nothing due before 22:00"
    );
    drop(second);
    // Down across 22:00, back at 22:04: the 22:00 summary is made late, once.
    sim.advance_to(kst("22:03:00"));
    let mut third = Collector::resume(&layout, &path);
    run(&mut third, &mut sim, kst("22:03:00"), kst("22:10:00")).await;
    assert_eq!(slots(&third.made), ["22:00"]);
    assert_eq!(third.made[0].seq, 4, "numbering continues from the log");
    assert!(third.made[0].at >= kst("22:04:00"));
    let book = third.pipeline.state().summaries();
    let all: Vec<_> = book.entries().iter().map(|e| e.summary.seq).collect();
    assert_eq!(all, [1, 2, 3, 4]);
}

/// The minimal layout moved to New York's autumn change (02:00 EDT -> 01:00 EST, 2026-11-01).
fn dst_layout() -> Layout {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/minimal.toml"))
            .expect("layout")
            .replace("2026-04-01T10:00:00-04:00", "2026-10-31T23:00:00-04:00")
            .replace("2026-04-01T14:00:00-04:00", "2026-11-01T04:00:00-05:00")
            .replace("runbook = \"../runbooks/minimal.md\"\n", "");
    config::load_texts(
        &EmbeddedFile {
            path: "minimal-dst.toml".into(),
            text,
        },
        None,
    )
    .expect("layout")
}

#[tokio::test(start_paused = true)]
async fn new_york_hours_across_the_autumn_change() {
    let layout = dst_layout();
    assert_eq!(layout.summary.time_zone, chrono_tz::America::New_York);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("rec.jsonl");
    let from = layout.event.start - TimeDelta::minutes(5);
    let mut c = Collector::new(&layout, &path, from);
    let origin = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(std::time::Duration::from_mins(1)).await;
        let now = from + TimeDelta::from_std(origin.elapsed()).expect("elapsed");
        if now > layout.event.end + TimeDelta::minutes(1) {
            break;
        }
        // An empty poll keeps the pipeline evaluating, as a quiet collector does.
        let poll = Event {
            at: now,
            body: EventBody::Metrics(MetricBatch {
                region: "us-east-1".into(),
                start: now - TimeDelta::minutes(1),
                end: now,
                series: Vec::new(),
            }),
        };
        c.batch(vec![poll], now);
    }
    let local: Vec<String> = c
        .made
        .iter()
        .map(|s| {
            s.slot
                .unwrap_or(s.at)
                .with_timezone(&chrono_tz::America::New_York)
                .format("%H:%M %Z")
                .to_string()
        })
        .collect();
    assert_eq!(
        local,
        [
            "23:00 EDT",
            "00:00 EDT",
            "01:00 EDT",
            "01:00 EST",
            "02:00 EST",
            "03:00 EST",
            "04:00 EST"
        ],
        "{local:?}"
    );
    assert_eq!(c.made.last().map(|s| s.kind), Some(SummaryKind::Final));
    // One hour of real time between consecutive slots, the repeated 01:00 included.
    for w in c.made.windows(2).take(5) {
        assert_eq!(
            w[1].slot.expect("slot") - w[0].slot.expect("slot"),
            TimeDelta::hours(1)
        );
    }
}
