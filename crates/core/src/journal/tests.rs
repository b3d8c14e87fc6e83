//! The journal: requests checked before anything is written, stale incident edits refused,
//! and a second fold of the journal's steps (an attached screen) ends in the same picture as
//! the journal's own, with the recording holding exactly those events.

use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::board::Board;
use crate::config::Layout;
use crate::eval::TimelineLine;
use crate::model::{
    EmbeddedFile, Event, EventBody, FORMAT_NAME, FORMAT_VERSION, Header, IncidentFields,
    IncidentState, MetricBatch, OperatorAction, Point, SeriesData, Severity, Source, Summary,
};
use crate::record::{Reader, Recorder};

fn layout() -> Layout {
    crate::config::load_texts(&crate::builtin::layout(), Some(&crate::builtin::runbook()))
        .expect("the reference layout")
}

fn t0() -> DateTime<Utc> {
    layout().event.start
}

fn header(l: &Layout) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "test".into(),
        created: t0(),
        start: t0(),
        source: Source::Simulator {
            scenario: "test".into(),
            seed: 1,
        },
        layout: EmbeddedFile {
            path: l.path.clone(),
            text: l.text.clone(),
        },
        runbook: None,
    }
}

fn metrics(at: DateTime<Utc>, v: f64) -> Vec<Event> {
    vec![Event {
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
                    p: false,
                }],
                complete: true,
            }],
        }),
    }]
}

/// Records everything it is given; delivers at once to a sink named `test`.
#[derive(Default)]
struct TestDispatch {
    queued: Vec<String>,
    pending: Vec<Event>,
}

impl Dispatch for TestDispatch {
    fn enqueue(&mut self, s: &Summary) {
        self.queued.push(s.id.clone());
        self.pending.push(Event {
            at: s.at,
            body: EventBody::SummaryDelivery(crate::model::SummaryDelivery {
                id: s.id.clone(),
                sink: "test".into(),
                state: crate::model::DeliveryState::Sent,
                detail: None,
                attempt: 1,
                next_retry: None,
            }),
        });
    }
    fn outcomes(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.pending)
    }
    fn sinks(&self) -> Vec<String> {
        vec!["test".into()]
    }
}

fn journal(dir: &tempfile::TempDir) -> Journal {
    let l = layout();
    let rec = Recorder::create(&dir.path().join("log.jsonl"), &header(&l), false).expect("log");
    let desk = Desk::new(
        crate::summary::Scheduler::new(t0()),
        Box::new(TestDispatch::default()),
    );
    Journal::new(Fold::new(&l, Board::default()), Some(rec), Some(desk))
}

fn open(title: &str) -> Request {
    Request::Act(OperatorAction::IncidentOpen {
        id: String::new(),
        fields: IncidentFields {
            title: Some(title.into()),
            severity: Some(Severity::Critical),
            ..IncidentFields::default()
        },
    })
}

fn edit(version: Option<u32>, plan: &str) -> Request {
    Request::Act(OperatorAction::IncidentUpdate {
        id: "INC-1".into(),
        version,
        fields: IncidentFields {
            plan: Some(plan.into()),
            ..IncidentFields::default()
        },
    })
}

#[test]
fn a_request_for_a_step_the_runbook_lacks_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    let who = Who::local("noc1");
    let ack = |step: &str| Request::Act(OperatorAction::RunbookAck { step: step.into() });
    let refused = j.act(ack("RB-99"), &who, t0()).expect_err("no such step");
    assert_eq!(
        refused,
        Refusal::Invalid("the runbook has no step RB-99".into())
    );
    assert_eq!(j.fold().seq(), 0);
    assert_eq!(j.log().map(Recorder::events_written), Some(0));
    // Before T0: no summary comes due with it.
    let before = t0() - TimeDelta::minutes(10);
    let taken = j.act(ack("RB-03"), &who, before).expect("a known step");
    assert_eq!(taken.steps.len(), 1);
    assert!(
        j.fold()
            .pipeline()
            .state()
            .operator()
            .step("RB-03")
            .is_some_and(|p| p.acked.is_some())
    );
}

#[test]
fn texts_lose_control_characters_and_a_long_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    let who = Who::local("noc1");
    let mark = |text: String| Request::Act(OperatorAction::Annotation { text });
    j.act(mark("doors\u{1b}[2J open\u{7}".into()), &who, t0())
        .expect("a mark");
    let note = j
        .fold()
        .pipeline()
        .state()
        .operator()
        .annotations()
        .last()
        .map(|n| n.text.clone());
    assert_eq!(note.as_deref(), Some("doors open"));
    let long = j.act(mark("x".repeat(TEXT_MAX + 1)), &who, t0());
    assert!(matches!(long, Err(Refusal::Invalid(_))), "{long:?}");
    let empty = j.act(mark("\u{1b}[0m ".into()), &who, t0());
    assert!(matches!(empty, Err(Refusal::Invalid(_))), "{empty:?}");
}

#[test]
fn an_incident_edit_made_on_an_older_version_is_refused_naming_who_changed_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    let (kim, park) = (Who::local("kim"), Who::local("park"));
    j.act(open("Seoul 5xx"), &kim, t0()).expect("opened");
    let v1 = j
        .fold()
        .pipeline()
        .state()
        .operator()
        .incident("INC-1")
        .map(|i| i.version);
    assert_eq!(v1, Some(1));
    // Both opened the form on version 1; kim saves first.
    let at = t0() + TimeDelta::minutes(2);
    j.act(edit(Some(1), "scale out"), &kim, at)
        .expect("kim's edit");
    let written = j.log().map(Recorder::events_written);
    let refused = j
        .act(
            edit(Some(1), "fail over"),
            &park,
            at + TimeDelta::seconds(5),
        )
        .expect_err("park's edit is stale");
    assert_eq!(
        refused,
        Refusal::Stale {
            id: "INC-1".into(),
            version: 2,
            by: "kim".into(),
            at,
        }
    );
    assert!(
        refused.to_string().contains("kim changed INC-1"),
        "{refused}"
    );
    assert_eq!(
        j.log().map(Recorder::events_written),
        written,
        "nothing written"
    );
    let inc = j
        .fold()
        .pipeline()
        .state()
        .operator()
        .incident("INC-1")
        .cloned();
    assert_eq!(
        inc.as_ref().and_then(|i| i.fields.plan.as_deref()),
        Some("scale out")
    );
    // Park saves again on the version now shown.
    j.act(
        edit(Some(2), "fail over"),
        &park,
        at + TimeDelta::seconds(9),
    )
    .expect("made on the current version");
    let inc = j
        .fold()
        .pipeline()
        .state()
        .operator()
        .incident("INC-1")
        .cloned();
    assert_eq!(inc.as_ref().map(|i| i.version), Some(3));
    assert_eq!(inc.as_ref().map(|i| i.updated_by.as_str()), Some("park"));
    // An edit that names no version would overwrite whatever changed since: refused.
    let written = j.log().map(Recorder::events_written);
    let blind = j
        .act(edit(None, "blind"), &kim, at + TimeDelta::seconds(20))
        .expect_err("an edit without its version");
    assert!(blind.to_string().contains("names the version"), "{blind}");
    assert_eq!(j.log().map(Recorder::events_written), written);
}

#[test]
fn another_fold_of_the_steps_sees_what_the_journal_sees_and_the_log_holds_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    let l = layout();
    let mut viewer = Fold::new(&l, Board::default());
    let who = Who::local("noc1");
    let mut steps = Vec::new();
    let mut at = t0() - TimeDelta::minutes(3);
    for k in 0..8 {
        at += TimeDelta::minutes(1);
        steps.extend(j.record(metrics(at, 100.0 * f64::from(k)), at).steps);
        if k == 3 {
            steps.extend(j.act(open("Seoul slow"), &who, at).expect("open").steps);
            let resolve = Request::Act(OperatorAction::IncidentUpdate {
                id: "INC-1".into(),
                version: Some(1),
                fields: IncidentFields {
                    state: Some(IncidentState::Resolved),
                    ..IncidentFields::default()
                },
            });
            steps.extend(j.act(resolve, &who, at).expect("resolve").steps);
        }
        steps.extend(j.tick(at + TimeDelta::seconds(30)).steps);
    }
    for s in &steps {
        s.fold_into(&mut viewer);
    }
    assert_eq!(viewer.seq(), j.fold().seq());
    assert_eq!(viewer.timeline(), j.fold().timeline());
    assert_eq!(
        viewer.pipeline().evaluation().map(|e| e.overall),
        j.fold().pipeline().evaluation().map(|e| e.overall)
    );
    // A summary came due at T0 and was delivered: written, then its outcome quietly.
    assert!(steps.iter().any(|s| matches!(s, Step::Quiet { .. })));
    assert_eq!(viewer.pipeline().state().summaries().entries().len(), 1);
    // The recording holds exactly the events of the steps, in order, at their positions.
    let (_, reader) = Reader::open(&dir.path().join("log.jsonl")).expect("read back");
    let logged: Vec<Event> = reader.collect();
    let mut stepped = Vec::new();
    for s in &steps {
        if let Step::Batch { seq, events } | Step::Quiet { seq, events } = s {
            assert_eq!(*seq, stepped.len() as u64, "positions follow the log");
            stepped.extend(events.iter().cloned());
        }
    }
    assert_eq!(logged, stepped);
}

#[test]
fn send_summary_needs_summaries_and_carries_the_operators_words() {
    let l = layout();
    let mut bare = Journal::new(Fold::new(&l, Board::default()), None, None);
    let send = Request::SendSummary {
        headline: Some("Seoul recovering\u{1b}[1m".into()),
        note: Some("next update 21:00".into()),
    };
    let who = Who::local("lead");
    assert_eq!(
        bare.act(send.clone(), &who, t0()).expect_err("no desk"),
        Refusal::NoSummaries
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    j.record(
        metrics(t0() + TimeDelta::minutes(5), 10.0),
        t0() + TimeDelta::minutes(5),
    );
    let taken = j
        .act(send, &who, t0() + TimeDelta::minutes(6))
        .expect("sent");
    assert!(taken.error.is_none());
    let book = j.fold().pipeline().state().summaries();
    let last = book.last().map(|e| e.summary.clone()).expect("a summary");
    assert_eq!(last.headline_override.as_deref(), Some("Seoul recovering"));
    assert_eq!(last.note.as_deref(), Some("next update 21:00"));
    assert_eq!(last.sent_by.as_deref(), Some("lead"));
    // From another screen, the summary carries its Unix account as an operator event does.
    let screen = Who {
        name: "kim (incident commander)".into(),
        user: Some("klee".into()),
    };
    let again = Request::SendSummary {
        headline: None,
        note: None,
    };
    j.act(again, &screen, t0() + TimeDelta::minutes(7))
        .expect("sent again");
    let log = std::fs::read_to_string(dir.path().join("log.jsonl")).expect("log");
    let by_kim = log
        .lines()
        .filter(|l| l.contains("\"kim (incident commander)\""))
        .collect::<Vec<_>>();
    assert_eq!(by_kim.len(), 1, "{log}");
    assert!(by_kim[0].contains(r#""user":"klee""#), "{}", by_kim[0]);
}

#[test]
fn return_to_normal_is_confirmed_or_refused_only_once_declared_and_its_steps_ticked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    let kim = Who::local("kim");
    let at = t0() + TimeDelta::minutes(1);
    j.act(
        Request::Act(OperatorAction::Annotation { text: "x".into() }),
        &kim,
        at,
    )
    .expect("something evaluated");
    let written = j.log().map(Recorder::events_written);
    let confirm = j
        .act(Request::Act(OperatorAction::RtnConfirm), &kim, at)
        .expect_err("not declared");
    let Refusal::Invalid(why) = &confirm else {
        panic!("{confirm:?}")
    };
    assert!(
        why.starts_with("return to normal is not declared yet (")
            && why.ends_with("criteria hold)"),
        "{why}"
    );
    let refuse = |reason: &str| {
        Request::Act(OperatorAction::RtnRefuse {
            reason: reason.into(),
        })
    };
    assert!(matches!(
        j.act(refuse("\u{1b}[0m"), &kim, at),
        Err(Refusal::Invalid(_))
    ));
    assert_eq!(
        j.log().map(Recorder::events_written),
        written,
        "nothing written"
    );
    // The procedure's steps are known by their ids.
    let done = |step: &str| Request::Act(OperatorAction::RunbookDone { step: step.into() });
    j.act(done("RTN-2"), &kim, at).expect("a procedure step");
    assert!(
        j.fold()
            .pipeline()
            .state()
            .operator()
            .step("RTN-2")
            .is_some_and(|p| p.done.is_some())
    );
    assert!(j.act(done("RTN-99"), &kim, at).is_err());
}

#[test]
fn a_declared_return_to_normal_takes_one_confirmation() {
    use crate::eval::RtnStatus;
    let mut rtn = RtnStatus {
        criteria: Vec::new(),
        met: 11,
        total: 11,
        streak: TimeDelta::minutes(15),
        streak_start: None,
        declared: None,
        relapsed: None,
        event_seen: None,
        expected: None,
        confirmed: None,
    };
    let l = layout();
    let mut fold = Fold::new(&l, Board::default());
    let confirm = OperatorAction::RtnConfirm;
    let state = fold.pipeline().state().clone();
    assert!(request::check_rtn(&confirm, &state, Some(&rtn)).is_err());
    rtn.declared = Some(t0());
    assert_eq!(request::check_rtn(&confirm, &state, Some(&rtn)), Ok(()));
    fold.apply(&[request::event(confirm.clone(), &Who::local("kim"), t0())]);
    let again = request::check_rtn(&confirm, fold.pipeline().state(), Some(&rtn));
    assert!(
        matches!(&again, Err(Refusal::Invalid(w)) if w.contains("already confirmed by kim")),
        "{again:?}"
    );
}

#[test]
fn a_skip_needs_a_reason_and_the_log_keeps_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    let who = Who::local("noc1");
    // Before T0: no summary comes due with it.
    let at = t0() - TimeDelta::minutes(10);
    let skip = |reason: Option<&str>| {
        Request::Act(OperatorAction::RunbookSkip {
            step: "RB-02".into(),
            reason: reason.map(Into::into),
        })
    };
    for bare in [None, Some(" \u{1b}[0m")] {
        let refused = j.act(skip(bare), &who, at).expect_err("no reason");
        assert_eq!(
            refused,
            Refusal::Invalid("the reason to skip is empty".into())
        );
    }
    assert_eq!(j.log().map(Recorder::events_written), Some(0));
    j.act(skip(Some("T2 unlimited already set")), &who, at)
        .expect("a skip with a reason");
    let state = j.fold().pipeline().state().operator();
    let p = state.step("RB-02").expect("progress");
    assert_eq!(p.skipped.as_ref().map(|m| m.who.as_str()), Some("noc1"));
    assert_eq!(p.skip_reason.as_deref(), Some("T2 unlimited already set"));
    assert_eq!(j.log().map(Recorder::events_written), Some(1));
}

/// Data that stops coming goes stale by time alone: the journal sees it at a tick, between
/// polls. The log records that moment, so a replay (or a late screen) that folds the log
/// judges it at the same time, not at the next poll; the ticks that changed nothing leave no
/// trace.
#[test]
fn what_a_tick_alone_changes_is_in_the_log_and_a_replay_judges_it_alike() {
    let text = r#"
[event]
name = "ticks"
start = "2026-06-13T11:00:00Z"
end = "2026-06-13T14:00:00Z"
time_zones = ["UTC"]

[[account]]
id = "main"

[[series]]
id = "seoul.requests"
region = "ap-northeast-2"
namespace = "AWS/ApplicationELB"
metric = "RequestCount"
dimensions = { LoadBalancer = "app/BTS-ALB/50dc6c495c0c9188" }
stat = "Sum"
unit = "count"
absent = "zero"
threshold = { crit = 50 }

[[panel]]
id = "seoul"
title = "Seoul"
series = ["seoul.requests"]
"#;
    let file = EmbeddedFile {
        path: "ticks.toml".into(),
        text: text.into(),
    };
    let l = crate::config::load_texts(&file, None).expect("the test layout");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = header(&l);
    h.layout = file;
    let rec = Recorder::create(&dir.path().join("log.jsonl"), &h, false).expect("log");
    let mut j = Journal::new(Fold::new(&l, Board::default()), Some(rec), None);
    // Polled every 70 s for ten minutes, then nothing: ticks every TICK for twenty more.
    let start = l.event.start + TimeDelta::seconds(20);
    let end = start + TimeDelta::minutes(30);
    let mut ticks = 0;
    let mut polls = (0..9)
        .map(|k| start + TimeDelta::seconds(70 * k))
        .peekable();
    while let Some(next) = j.fold().evaluated().map(|e| e + TICK).or(Some(start))
        && next <= end
    {
        if let Some(at) = polls.next_if(|p| *p <= next) {
            j.record(metrics(at, 90.0), at);
        } else {
            j.tick(next);
            ticks += 1;
        }
    }
    let polled = |t: DateTime<Utc>| (0..9).any(|k| start + TimeDelta::seconds(70 * k) == t);
    let by_time: Vec<&TimelineLine> = j
        .fold()
        .timeline()
        .iter()
        .filter(|l| !polled(l.at))
        .collect();
    assert!(!by_time.is_empty(), "{:#?}", j.fold().timeline());
    let (_, reader) = Reader::open(&dir.path().join("log.jsonl")).expect("read back");
    let logged: Vec<Event> = reader.collect();
    let recorded = logged.iter().filter(|e| e.body == EventBody::Tick).count();
    assert!(
        recorded > 0 && recorded < ticks / 10,
        "{recorded} of {ticks} ticks recorded"
    );
    let mut replay = Fold::new(&l, Board::default());
    for b in crate::pipeline::batches(logged) {
        replay.apply(&b);
    }
    assert_eq!(replay.seq(), j.fold().seq());
    assert_eq!(replay.timeline(), j.fold().timeline());
}

/// Two steps at one instant (a poll and a join stamped in the same millisecond) stay two
/// steps in the log: a `tick` parts them, so a reader grouping the log by time evaluates
/// between them as the journal did; a summary's delivery, stamped by another clock, is
/// folded by every reader without judging the room at its time.
#[test]
fn steps_at_one_instant_stay_apart_and_deliveries_are_not_judged_at_their_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = journal(&dir);
    let at = t0() + TimeDelta::minutes(1);
    let mut steps = j.record(metrics(at, 100.0), at).steps;
    steps.extend(j.record(metrics(at, 200.0), at).steps);
    let (_, reader) = Reader::open(&dir.path().join("log.jsonl")).expect("read back");
    let logged: Vec<Event> = reader.collect();
    let kinds: Vec<&str> = logged.iter().map(|e| e.body.kind()).collect();
    // The summary due at T0 and its delivery came with the first step.
    assert_eq!(
        kinds,
        [
            "metrics",
            "tick",
            "summary",
            "tick",
            "summary_delivery",
            "tick",
            "metrics"
        ],
        "{logged:#?}"
    );
    let groups: Vec<usize> = crate::pipeline::batches(logged).map(|b| b.len()).collect();
    assert_eq!(groups, [2, 2, 2, 1]);
    let mut replay = Fold::new(&layout(), Board::default());
    let mut p = crate::pipeline::Pipeline::new(&layout());
    let (_, reader) = Reader::open(&dir.path().join("log.jsonl")).expect("read back");
    for b in crate::pipeline::batches(reader) {
        replay.apply(&b);
        p.ingest(&b);
        // The delivery (stamped at the summary's time here) is never an evaluation moment.
        if b.iter().all(|e| e.body.is_quiet()) {
            assert_eq!(replay.evaluated(), Some(at));
        }
    }
    assert_eq!(replay.timeline(), j.fold().timeline());
    assert_eq!(replay.seq(), j.fold().seq());
    assert!(steps.iter().any(|s| matches!(s, Step::Quiet { .. })));
}

/// A log full of ticks at one instant (damaged or hostile: the journal never writes two) costs
/// one evaluation, not one each; every event still counts in the position and the timeline is
/// that of the log without them.
#[test]
fn ticks_repeated_at_one_instant_stay_in_one_step() {
    let at = t0() + TimeDelta::minutes(1);
    let tick = |at| Event {
        at,
        body: EventBody::Tick,
    };
    let mut log = metrics(at, 100.0);
    log.push(tick(at + TimeDelta::seconds(5)));
    let mut clean = Fold::new(&layout(), Board::default());
    for b in crate::pipeline::batches(log.clone()) {
        clean.apply(&b);
    }
    log.extend(std::iter::repeat_with(|| tick(at + TimeDelta::seconds(5))).take(1000));
    let mut f = Fold::new(&layout(), Board::default());
    let mut p = crate::pipeline::Pipeline::new(&layout());
    let mut evaluated = 0;
    for b in crate::pipeline::batches(log) {
        if !p.redundant(&b) {
            evaluated += 1;
        }
        p.ingest(&b);
        f.apply(&b);
    }
    assert_eq!(evaluated, 2, "the metrics and the first tick");
    assert_eq!(f.seq(), 1002);
    assert_eq!(f.timeline(), clean.timeline());
}
