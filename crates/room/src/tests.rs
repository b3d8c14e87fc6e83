//! The room in one process: a journal served on a socket in a temporary directory and screens
//! attached through the real wire. What one screen does, every screen shows; a read-only screen
//! cannot act; a screen that comes back gets exactly what it lacks; a screen that stops reading
//! is dropped without holding anyone up; a screen is told where the room's summaries go.

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::board::Board;
use warroom_core::config::Layout;
use warroom_core::journal::{Desk, Dispatch, Fold, Journal, Request, Step};
use warroom_core::model::{
    Event, EventBody, Header, MetricBatch, OperatorAction, Point, SeriesData, Source, Summary,
};
use warroom_core::record::Recorder;
use warroom_core::summary::Scheduler;

use crate::viewer::{Link, LinkOptions, Received};
use crate::{Options, RoomHost};

fn layout() -> Layout {
    warroom_core::config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("the reference layout")
}

fn header(l: &Layout) -> Header {
    let source = Source::Simulator {
        scenario: "test".into(),
        seed: 1,
    };
    l.header("test", l.event.start, l.event.start, source)
}

fn metrics(at: DateTime<Utc>, v: f64, series: usize) -> Vec<Event> {
    vec![Event {
        at,
        body: EventBody::Metrics(MetricBatch {
            region: "ap-northeast-2".into(),
            start: at - TimeDelta::minutes(3),
            end: at,
            series: (0..series)
                .map(|_| SeriesData {
                    id: "seoul.requests".into(),
                    points: vec![Point {
                        ts: at - TimeDelta::minutes(1),
                        v,
                        p: false,
                    }],
                    complete: true,
                })
                .collect(),
        }),
    }]
}

/// A journal recording to `dir`, served on `dir/room.sock`.
struct Room {
    journal: Journal,
    host: RoomHost,
    at: DateTime<Utc>,
    rt: tokio::runtime::Runtime,
}

impl Room {
    fn new(dir: &Path) -> Room {
        Room::capped(dir, crate::host::Caps::default())
    }

    /// A room giving the places of `caps`.
    fn capped(dir: &Path, caps: crate::host::Caps) -> Room {
        let l = layout();
        let path = dir.join("event.jsonl");
        let rec = Recorder::create(&path, &header(&l), false).expect("recording");
        let journal = Journal::new(Fold::new(&l, Board::default()), Some(rec), None);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let opts = Options {
            socket: dir.join("room.sock"),
            recording: path,
            header: header(&l),
            group: None,
            operators: None,
            sources: Vec::new(),
            clock: None,
        };
        let host = RoomHost::bind_capped(rt.handle(), &journal, opts, caps).expect("served");
        Room {
            journal,
            host,
            at: l.event.start - TimeDelta::minutes(30),
            rt,
        }
    }

    /// Serves what the screens sent until `done` holds (bounded).
    fn serve_until(&mut self, done: impl Fn(&Room) -> bool) {
        // A bound against a hang (a screen's unfinished line takes 10 s to be closed).
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done(self) {
            assert!(Instant::now() < deadline, "the room did not settle");
            match self.host.take() {
                Some(msg) => {
                    self.host.serve(&mut self.journal, msg, self.at);
                }
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }

    fn record(&mut self, series: usize) {
        self.at += TimeDelta::minutes(1);
        let taken = self
            .journal
            .record(metrics(self.at, 100.0, series), self.at);
        self.host.publish(&taken.steps);
    }
}

/// A screen: the link and its own fold of what it received.
struct Screen {
    link: Link,
    fold: Fold,
    answers: Vec<Option<String>>,
    lost: Vec<String>,
}

impl Screen {
    fn attach(dir: &Path, who: &str, read_only: bool) -> Screen {
        let opts = LinkOptions {
            socket: dir.join("room.sock"),
            operator: who.into(),
            read_only,
        };
        let (link, _welcome) = Link::open(opts, Duration::from_secs(5)).expect("welcomed");
        Screen {
            link,
            fold: Fold::new(&layout(), Board::default()),
            answers: Vec::new(),
            lost: Vec::new(),
        }
    }

    fn take(&mut self) {
        while let Some(r) = self.link.try_recv() {
            match r {
                Received::Welcome(w) => {
                    if w.from == 0 && self.fold.seq() > 0 {
                        self.fold = Fold::new(&layout(), Board::default());
                    }
                    assert_eq!(
                        w.from,
                        self.fold.seq(),
                        "the room sends what this screen lacks"
                    );
                }
                Received::Step(s) => {
                    if let Step::Batch { seq, .. } | Step::Quiet { seq, .. } = &s {
                        assert_eq!(*seq, self.fold.seq(), "no gap, no duplicate");
                    }
                    s.fold_into(&mut self.fold);
                }
                Received::Answer { refused, .. } => self.answers.push(refused),
                Received::Lost { reason, .. } => self.lost.push(reason),
            }
        }
    }

    /// Takes what arrives until the fold reaches `seq` (bounded).
    fn reach(&mut self, seq: u64) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.fold.seq() < seq {
            assert!(
                Instant::now() < deadline,
                "stuck at {} of {seq}",
                self.fold.seq()
            );
            self.take();
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn ack(step: &str) -> Request {
    Request::Act(OperatorAction::RunbookAck { step: step.into() })
}

fn present(room: &Room) -> usize {
    room.journal.fold().pipeline().state().room().names().len()
}

#[test]
fn what_one_screen_does_every_screen_shows_and_a_watcher_cannot_act() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    room.record(1);
    let mut kim = Screen::attach(dir.path(), "kim", false);
    let mut park = Screen::attach(dir.path(), "park", false);
    let mut wall = Screen::attach(dir.path(), "wall", true);
    room.serve_until(|r| present(r) == 3);
    kim.link.ask(1, ack("RB-03"));
    room.serve_until(|r| {
        r.journal
            .fold()
            .pipeline()
            .state()
            .operator()
            .step("RB-03")
            .is_some()
    });
    let seq = room.journal.fold().seq();
    for s in [&mut kim, &mut park, &mut wall] {
        s.reach(seq);
        let acked = s.fold.pipeline().state().operator().step("RB-03").cloned();
        assert_eq!(
            acked.and_then(|p| p.acked).map(|m| m.who).as_deref(),
            Some("kim")
        );
    }
    kim.take();
    assert_eq!(kim.answers, [None], "kim's request was done");
    assert!(park.answers.is_empty(), "answers go to the asker only");
    wall.link.ask(2, ack("RB-04"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while wall.answers.is_empty() {
        assert!(Instant::now() < deadline);
        if let Some(msg) = room.host.take() {
            room.host.serve(&mut room.journal, msg, room.at);
        }
        wall.take();
    }
    assert_eq!(
        wall.answers[0].as_deref(),
        Some("this screen is read-only: it can watch, not act")
    );
    assert!(
        room.journal
            .fold()
            .pipeline()
            .state()
            .operator()
            .step("RB-04")
            .is_none()
    );
    // The recording names the Unix account with the name the operator gave.
    let log = std::fs::read_to_string(dir.path().join("event.jsonl")).expect("log");
    assert!(log.contains(r#""who":"kim","user":""#), "{log}");
}

#[test]
fn a_screen_whose_link_drops_reconnects_and_gets_exactly_what_it_lacks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    let mut kim = Screen::attach(dir.path(), "kim", false);
    room.serve_until(|r| present(r) == 1);
    room.record(1);
    kim.reach(room.journal.fold().seq());
    let had = kim.fold.seq();
    // The collector restarts: its socket goes, the log goes on without the screen.
    let Room {
        mut journal,
        host,
        at,
        rt,
    } = room;
    drop(host);
    let mut at = at;
    for _ in 0..5 {
        at += TimeDelta::minutes(1);
        journal.record(metrics(at, 100.0, 1), at);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while kim.lost.is_empty() {
        assert!(Instant::now() < deadline, "the screen saw its link drop");
        kim.take();
        std::thread::sleep(Duration::from_millis(5));
    }
    let opts = Options {
        socket: dir.path().join("room.sock"),
        recording: dir.path().join("event.jsonl"),
        header: header(&layout()),
        group: None,
        operators: None,
        sources: Vec::new(),
        clock: None,
    };
    let host = RoomHost::bind(rt.handle(), &journal, opts).expect("served again");
    let mut room = Room {
        journal,
        host,
        at,
        rt,
    };
    room.host.forget_stale(&mut room.journal, room.at);
    // The screen reconnects by itself, says how far it got, and is sent only the rest: the
    // welcome's position is its own (checked as it arrives), every step follows on.
    room.serve_until(|r| present(r) == 1);
    kim.reach(room.journal.fold().seq());
    assert!(kim.fold.seq() > had);
    assert_eq!(kim.fold.timeline(), room.journal.fold().timeline());
    assert_eq!(
        kim.fold.pipeline().evaluation().map(|e| e.overall),
        room.journal
            .fold()
            .pipeline()
            .evaluation()
            .map(|e| e.overall)
    );
}

#[test]
fn a_screen_that_stops_reading_is_dropped_and_holds_nobody_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    let mut kim = Screen::attach(dir.path(), "kim", false);
    // A frozen screen: says hello, then never reads again.
    let mut frozen =
        std::os::unix::net::UnixStream::connect(dir.path().join("room.sock")).expect("connect");
    frozen
        .write_all(b"{\"hello\":{\"protocol\":1,\"operator\":\"frozen\"}}\n")
        .expect("hello");
    room.serve_until(|r| present(r) == 2);
    // Far more than the socket buffers and the frozen screen's queue hold.
    let published = Instant::now();
    for _ in 0..(crate::host::QUEUE + 200) {
        room.record(40);
        kim.take();
    }
    let publishing = published.elapsed();
    room.serve_until(|r| present(r) == 1);
    kim.reach(room.journal.fold().seq());
    assert_eq!(room.host.attached(), 1, "the frozen screen was dropped");
    let names = room.journal.fold().pipeline().state().room().names();
    assert_eq!(names, ["kim"]);
    // Publishing never waited for the frozen screen (a whole write timeout would show here).
    assert!(publishing < Duration::from_secs(15), "{publishing:?}");
    drop(frozen);
}

/// Delivers nowhere; names one sink.
struct Nowhere;

impl Dispatch for Nowhere {
    fn enqueue(&mut self, _: &Summary) {}
    fn outcomes(&mut self) -> Vec<Event> {
        Vec::new()
    }
    fn sinks(&self) -> Vec<String> {
        vec!["directory:/srv/warroom/summaries".into()]
    }
}

#[test]
fn a_screen_is_told_where_the_rooms_summaries_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut room = Room::new(dir.path());
    let desk = Desk::new(Scheduler::new(room.at), Box::new(Nowhere));
    room.journal = room.journal.with_desk(desk);
    // A host binds its journal as it is: a second room on the same journal, now with a desk.
    let opts = Options {
        socket: dir.path().join("desk.sock"),
        recording: dir.path().join("event.jsonl"),
        header: header(&layout()),
        group: None,
        operators: None,
        sources: Vec::new(),
        clock: None,
    };
    let _host = RoomHost::bind(room.rt.handle(), &room.journal, opts).expect("served");
    let link = LinkOptions {
        socket: dir.path().join("desk.sock"),
        operator: "kim".into(),
        read_only: false,
    };
    let (_link, welcome) = Link::open(link, Duration::from_secs(5)).expect("welcomed");
    assert_eq!(welcome.recipients, ["directory:/srv/warroom/summaries"]);
}

mod attack_tests;
mod fuzz_tests;
