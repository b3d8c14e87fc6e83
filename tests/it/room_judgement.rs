//! Every screen judges every moment as the collector did: a journal recording the simulated
//! `shared-db` event with its summary desk running (summaries due on the hour and every 30
//! minutes while Red, delivered at once, their outcomes stamped by the wall clock), ticking by
//! the one rule on the event's clock, served as a room; a screen attached from the start, a
//! screen attached late (caught up from the recording, then live) and a replay of the recording
//! hold the same timeline, line for line and time for time, as the collector's own fold.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use warroom_aws::delivery::at_once::AtOnce;
use warroom_core::board::Board;
use warroom_core::config::Layout;
use warroom_core::journal::{Desk, Fold, Journal, Request, TICK};
use warroom_core::model::{Header, OperatorAction, Source};
use warroom_core::pipeline::batches;
use warroom_core::record::{Reader, Recorder};
use warroom_core::summary::Scheduler;
use warroom_room::{Link, LinkOptions, Options, Received, RoomHost};
use warroom_sim::{Scenario, Simulator};

use crate::simserve_common::reference_layout;

fn header(l: &Layout, name: &str) -> Header {
    let source = Source::Simulator {
        scenario: name.into(),
        seed: 42,
    };
    l.header("test", l.event.start, l.event.start, source)
}

/// A screen: its link and its fold of what the room sent.
struct Screen {
    link: Link,
    fold: Fold,
}

impl Screen {
    fn attach(socket: &Path, who: &str, layout: &Layout) -> Screen {
        let opts = LinkOptions {
            socket: socket.to_path_buf(),
            operator: who.into(),
            read_only: false,
        };
        let (link, _) = Link::open(opts, Duration::from_secs(5)).expect("welcomed");
        Screen {
            link,
            fold: Fold::new(layout, Board::default()),
        }
    }

    fn take(&mut self) {
        while let Some(r) = self.link.try_recv() {
            if let Received::Step(s) = r {
                s.fold_into(&mut self.fold);
            }
        }
    }

    /// Takes what arrives until the fold has evaluated at `at` and holds `seq` events.
    fn settle(&mut self, seq: u64, at: DateTime<Utc>) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.fold.seq() < seq || self.fold.evaluated() < Some(at) {
            assert!(
                Instant::now() < deadline,
                "stuck at {} of {seq}, evaluated {:?}",
                self.fold.seq(),
                self.fold.evaluated()
            );
            self.take();
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

fn lines(fold: &Fold) -> Vec<String> {
    fold.timeline()
        .iter()
        .map(|l| format!("{} {}", l.at.format("%H:%M:%S%.3f"), l.text))
        .collect()
}

#[test]
fn the_collector_a_screen_from_the_start_a_late_screen_and_a_replay_judge_alike() {
    judged_alike(Scenario::SharedDb, "shared-db");
}

/// CloudWatch answers nothing for minutes: the data goes stale between polls, when the
/// collector ticks, and every reader must see it go stale at that moment.
#[test]
fn data_going_stale_between_polls_is_judged_alike_everywhere() {
    judged_alike(Scenario::StaleData, "stale-data");
}

fn judged_alike(scenario: Scenario, name: &str) {
    let layout = reference_layout();
    let t0 = layout.event.start;
    let (from, late, to) = (
        t0 - TimeDelta::minutes(5),
        t0 + TimeDelta::minutes(25),
        t0 + TimeDelta::minutes(65),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("event.jsonl");
    let socket = dir.path().join("room.sock");
    let rec = Recorder::create(&path, &header(&layout, name), false).expect("recording");
    let desk = Desk::new(
        Scheduler::new(from),
        Box::new(AtOnce::to_directory(dir.path().join("summaries"))),
    );
    let mut journal = Journal::new(Fold::new(&layout, Board::default()), Some(rec), Some(desk));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let opts = Options {
        socket: socket.clone(),
        recording: path.clone(),
        header: header(&layout, name),
        group: None,
        operators: None,
        sources: Vec::new(),
        clock: None,
    };
    let mut host = RoomHost::bind(rt.handle(), &journal, opts).expect("the room");
    let mut early = Screen::attach(&socket, "kim", &layout);
    let mut late_screen: Option<Screen> = None;
    let mut sim = Simulator::new(&layout, scenario, 42, from);
    let mut asked = false;
    let mut t = from;
    while t < to {
        let next = t + TimeDelta::minutes(1);
        for batch in batches(sim.advance_to(next)) {
            let at = batch[0].at;
            // The ticks a live collector makes while no data arrives: every TICK of event time.
            while let Some(e) = journal.fold().evaluated().map(|e| e + TICK)
                && e < at
            {
                let taken = journal.tick(e);
                assert!(taken.error.is_none(), "{:?}", taken.error);
                host.publish(&taken.steps);
            }
            let taken = journal.record(batch, at);
            assert!(taken.error.is_none(), "{:?}", taken.error);
            host.publish(&taken.steps);
            while let Some(msg) = host.take() {
                // Served and published to every screen, as the collector does.
                let taken = host.serve(&mut journal, msg, at);
                assert!(taken.error.is_none(), "{:?}", taken.error);
            }
        }
        if !asked && next >= t0 + TimeDelta::minutes(12) {
            // An operator answers a firing step from the first screen.
            early.link.ask(
                1,
                Request::Act(OperatorAction::RunbookAck {
                    step: "RB-07".into(),
                }),
            );
            asked = true;
        }
        if late_screen.is_none() && next >= late {
            late_screen = Some(Screen::attach(&socket, "lee", &layout));
        }
        // Screens keep up with the room (a frozen one would be dropped).
        early.take();
        if let Some(s) = late_screen.as_mut() {
            s.take();
        }
        t = next;
    }
    let (seq, at) = (
        journal.fold().seq(),
        journal.fold().evaluated().expect("evaluated"),
    );
    let mut late_screen = late_screen.expect("attached late");
    early.settle(seq, at);
    late_screen.settle(seq, at);
    drop(host);

    // A replay: the recording folded as `warroom replay` and a screen's catch-up fold it.
    let (_, reader) = Reader::open(&path).expect("the recording");
    let mut replay = Fold::new(&layout, Board::default());
    for batch in batches(reader) {
        replay.apply(&batch);
    }
    let collector = lines(journal.fold());
    let log = std::fs::read_to_string(&path).expect("the recording");
    for kind in ["summary", "summary_delivery", "tick"] {
        assert!(
            log.contains(&format!(r#""kind":"{kind}""#)),
            "the recording holds {kind} events"
        );
    }
    assert!(
        collector.iter().any(|l| l.contains("ACK kim: RB-07")),
        "the ack is on the timeline: {collector:#?}"
    );
    assert_eq!(
        lines(&early.fold),
        collector,
        "the screen attached from the start"
    );
    assert_eq!(
        lines(&late_screen.fold),
        collector,
        "the screen attached late"
    );
    assert_eq!(lines(&replay), collector, "the replay");
    assert_eq!(replay.seq(), seq);
}
