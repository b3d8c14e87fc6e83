//! Snapshots of every summary format (text, Markdown, Slack, Teams, SNS, JSON) for recordings
//! made by the headless demo: the reference scenario at 21:00 KST and its final summary, and the
//! `shared-db` variant while Red with an incident the room opened (operator events injected
//! into the recording in time order), and the `stale-data` variant hourly and final. Stored under `tests/snapshots/summary_*` (`BLESS=1`
//! rewrites them). Beside the snapshots, the facts each case must show are asserted.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use warroom_core::model::{
    Event, EventBody, IncidentFields, IncidentState, OperatorAction, OperatorEvent, Severity,
    Status, Summary, SummaryKind,
};
use warroom_core::record::{Reader, Recorder};
use warroom_core::summary::render::{Format, render, slack, sns};

fn dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
        .path()
}

fn record(scenario: &str) -> PathBuf {
    let path = dir().join(format!("{scenario}.jsonl"));
    crate::support::demo::record_headless(Some(scenario), &path);
    path
}

fn reference() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| record("army-drop-2000kst"))
}

fn stale_data() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| record("stale-data"))
}

fn kst(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2026-06-13T{s}+09:00"))
        .expect("time")
        .with_timezone(&Utc)
}

fn op(at: &str, action: OperatorAction) -> Event {
    Event {
        at: kst(at),
        body: EventBody::Operator(OperatorEvent {
            who: "ic-kim".into(),
            user: None,
            post_mortem: false,
            action,
        }),
    }
}

/// The shared-db recording with the incident the room would open and update.
fn shared_db() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let raw = record("shared-db");
        let (header, mut reader) = Reader::open(&raw).expect("open");
        let mut events: Vec<Event> = reader.by_ref().collect();
        events.push(op(
            "20:11:00",
            OperatorAction::IncidentOpen {
                id: "INC-1".into(),
                fields: IncidentFields {
                    title: Some("Checkout failing in both regions".into()),
                    severity: Some(Severity::Critical),
                    state: Some(IncidentState::Investigating),
                    owner: Some("ic-kim".into()),
                    // Typed in at 20:11, the room says the impact began at 20:08.
                    impact_start: Some(kst("20:08:00")),
                    ..IncidentFields::default()
                },
            },
        ));
        events.push(op(
            "20:18:00",
            OperatorAction::IncidentUpdate {
                id: "INC-1".into(),
                version: None,
                fields: IncidentFields {
                    state: Some(IncidentState::Identified),
                    plan: Some("Shed load with the sold-out page; freeze ASG max (RB-07)".into()),
                    eta: Some(kst("20:45:00")),
                    owner: Some("db-oncall".into()),
                    ..IncidentFields::default()
                },
            },
        ));
        events.push(op(
            "20:19:00",
            OperatorAction::RunbookAck {
                step: "RB-07".into(),
            },
        ));
        events.push(op(
            "20:52:00",
            OperatorAction::IncidentUpdate {
                id: "INC-1".into(),
                version: None,
                fields: IncidentFields {
                    state: Some(IncidentState::Resolved),
                    plan: Some("RDS back under 50% CPU; dials restored".into()),
                    ..IncidentFields::default()
                },
            },
        ));
        // Stable sort: the operator events follow the observations of their second.
        events.sort_by_key(|e| e.at);
        let path = dir().join("shared-db-room.jsonl");
        let mut rec = Recorder::create(&path, &header, true).expect("create");
        rec.write_batch(&events).expect("write");
        path
    })
}

fn check(name: &str, actual: &str) {
    crate::support::golden::check(&format!("tests/snapshots/summary_{name}"), actual);
}

fn all_formats(name: &str, s: &Summary) {
    for (f, ext) in [
        (Format::Text, "txt"),
        (Format::Markdown, "md"),
        (Format::Slack, "slack.json"),
        (Format::Teams, "teams.json"),
        (Format::Sns, "sns.txt"),
        (Format::Json, "json"),
    ] {
        check(&format!("{name}.{ext}"), &render(s, f));
    }
    // The JSON rendering is the data: it reads back as the same summary.
    let back: Summary = serde_json::from_str(&render(s, Format::Json)).expect("json parses");
    assert_eq!(&back, s);
    let m = sns::message(s);
    assert!(m.subject.len() < 100 && m.subject.is_ascii() && !m.subject.contains('\n'));
    let p = slack::payload(s);
    let blocks = p["blocks"].as_array().expect("blocks");
    assert!(blocks.len() <= slack::MAX_BLOCKS);
}

fn summary_at(path: &Path, at: &str) -> Summary {
    warroom::cli::summary_of(path, Some(at))
        .map_err(|f| f.message)
        .expect("summary")
        .1
}

#[test]
fn reference_at_2100_kst() {
    let s = summary_at(reference(), "21:00");
    all_formats("reference_2100", &s);
    assert_eq!(s.kind, SummaryKind::Hourly);
    assert_eq!(s.seq, 2, "20:00 was the first");
    assert_eq!(s.slot, Some(kst("21:00:00")));
    assert_eq!(s.since.map(|t| t < kst("20:01:00")), Some(true));
    assert_eq!(s.worst, Status::Red, "Seoul collapsed at 20:09");
    assert!(
        s.steps_fired.iter().any(|st| st.id == "RB-04"),
        "{:?}",
        s.steps_fired
    );
    assert!(s.actions.iter().any(|a| a.text.contains("dial")));
    assert_eq!(s.next_update, Some(kst("22:00:00")));
    assert!(s.bridge_phone.is_some() && s.bridge_url.is_some());
    let req = s
        .metrics
        .iter()
        .find(|m| m.id == "seoul.requests")
        .expect("requests");
    assert!(req.peak.expect("peak") > 5.0 * req.baseline.expect("baseline"));
}

#[test]
fn reference_final() {
    let s = summary_at(reference(), "T+3h");
    all_formats("reference_final", &s);
    assert_eq!(s.kind, SummaryKind::Final);
    assert_eq!(s.next_update, None);
    assert!(s.rtn.declared.is_some());
    assert!(
        s.headline.starts_with("Final: back to normal since 21:3"),
        "{}",
        s.headline
    );
    // The recap: the Seoul collapse the simulator scripts (web tier 5xx from T+9m18s, GA
    // failover, recovery by T+20m, CPU credits under 10 a few minutes more) is the event's one
    // outage, about 15 minutes of RED.
    let r = s
        .recap
        .as_ref()
        .expect("the final summary recaps the event");
    assert_eq!(r.outages.len(), 1, "{:?}", r.outages);
    let w = r.outages[0];
    assert!(
        (kst("20:08:00")..=kst("20:11:00")).contains(&w.from),
        "{w:?}"
    );
    assert!((kst("20:19:00")..=kst("20:26:00")).contains(&w.to), "{w:?}");
    assert!(
        s.headline.contains("1 outage, RED 20:09-20:24 (15m)"),
        "{}",
        s.headline
    );
    assert_eq!(r.criteria.len(), 3);
    assert_eq!(r.criteria[0].verdict, "NOT met", "97.8% against 99.95%");
    assert_eq!(
        r.post_mortem,
        Some(kst("10:00:00") + chrono::TimeDelta::days(3))
    );
    let text = render(&s, Format::Text);
    for want in [
        "Outages (data RED):\n- 20:09-20:24 (15m)",
        "whole event 97.77% (data through 22:58); target 99.95%: missed",
        "Peak figures:\n- Shop requests/min: peak 23,073 at 20:10",
        "Return to normal declared 21:37 KST, 1h37m after T0 and 1h13m after the last outage",
        "Post-mortem: 16 Jun 10:00 KST",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
}

#[test]
fn shared_db_final_recaps_the_incident() {
    let s = summary_at(shared_db(), "T+3h");
    all_formats("shared_db_final", &s);
    assert_eq!(s.kind, SummaryKind::Final);
    let r = s.recap.as_ref().expect("recap");
    assert_eq!(
        r.incidents.len(),
        1,
        "resolved before the final: still recapped"
    );
    let i = &r.incidents[0];
    assert_eq!(i.line.id, "INC-1");
    assert_eq!(i.resolved, Some(kst("20:52:00")));
    assert!(!r.outages.is_empty());
    assert!(
        s.headline.contains("1 incident, resolved"),
        "{}",
        s.headline
    );
    let text = render(&s, Format::Text);
    assert!(
        text.contains("INC-1 [critical] Checkout failing in both regions: resolved")
            && text.contains("impact 20:08-20:52 (44m)"),
        "{text}"
    );
}

#[test]
fn shared_db_red_with_an_open_incident() {
    let s = summary_at(shared_db(), "20:30");
    all_formats("shared_db_2030", &s);
    assert_eq!(s.overall, Status::Red);
    assert_eq!(
        s.kind,
        SummaryKind::Hourly,
        "20:30 is a slot of the 30m Red cadence"
    );
    assert_eq!(s.incidents_open.len(), 1);
    let i = &s.incidents_open[0];
    assert_eq!(i.state, Some(IncidentState::Identified));
    assert_eq!(i.owner.as_deref(), Some("db-oncall"));
    assert_eq!(i.eta, Some(kst("20:45:00")));
    assert!(
        s.headline.contains("Checkout failing in both regions"),
        "{}",
        s.headline
    );
    assert!(
        s.actions
            .iter()
            .any(|a| a.text.starts_with("RB-07 acknowledged"))
    );
    assert_eq!(
        s.next_update,
        Some(kst("21:00:00")),
        "Red: every 30 minutes"
    );
}

/// What Slack shows of a mrkdwn text: its three escapes decoded.
fn slack_shows(wire: &str) -> String {
    wire.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The reader's view of every format: short email, business first, no escape artefacts.
fn reads_well(s: &Summary) {
    let text = render(s, Format::Text);
    let sns = sns::message(s).body;
    for (name, t) in [("text", &text), ("sns", &sns)] {
        for bad in ["&lt;", "&gt;", "&amp;", "&quot;", "`", "\\:"] {
            assert!(!t.contains(bad), "{name} shows {bad:?}:\n{t}");
        }
    }
    // A ratio to the baseline only where it informs: never on a percentage (5xx rate) or a
    // duration (p99 latency), now or at the peak.
    for l in text
        .lines()
        .filter(|l| l.contains("5xx rate") || l.contains("latency"))
    {
        assert!(!l.contains("x baseline"), "{l}");
    }
    if s.kind != SummaryKind::Final {
        assert!(
            text.lines().count() < 25,
            "{} lines:\n{text}",
            text.lines().count()
        );
        // Runbook ids and acknowledgements belong to the detail, not the email (an incident's
        // plan is the room's own words, and may name a step).
        assert!(
            !text
                .lines()
                .any(|l| l.contains("RB-") && !l.starts_with("- INC-")),
            "{text}"
        );
        assert!(
            !text.contains("acknowledged") && !text.contains("acked by"),
            "{text}"
        );
        assert!(text.contains("Next update: "), "{text}");
        assert!(text.contains("Bridge: "), "{text}");
        assert!(
            text.contains("\nSince ") || text.contains("\nSo far: "),
            "{text}"
        );
        let business = text.find("Business metrics:").expect("business metrics");
        assert!(
            business < text.find("Incidents open").expect("incidents"),
            "{text}"
        );
    }
    let md = render(s, Format::Markdown);
    for bad in ["&lt;", "&gt;", "&amp;", "\\:", "`"] {
        assert!(!md.contains(bad), "markdown shows {bad:?}:\n{md}");
    }
    // Slack needs its escapes on the wire; what it shows is the text as written, escaped once.
    let p = slack::payload(s);
    for b in p["blocks"].as_array().expect("blocks") {
        let wire = b["text"]["text"].as_str().unwrap_or_default();
        let shown = slack_shows(wire);
        assert!(
            !shown.contains("&lt;") && !shown.contains("&gt;"),
            "{shown}"
        );
        assert!(!wire.contains('<') && !wire.contains('>'), "{wire}");
    }
    if s.kind != SummaryKind::Final {
        let all: String = p["blocks"]
            .as_array()
            .expect("blocks")
            .iter()
            .map(|b| slack_shows(b["text"]["text"].as_str().unwrap_or_default()))
            .collect();
        assert!(all.contains("<= 1.2x baseline"), "{all}");
    }
}

#[test]
fn summaries_read_well_for_leadership() {
    for (path, at) in [
        (reference(), "21:00"),
        (reference(), "T+3h"),
        (shared_db(), "20:30"),
        (shared_db(), "T+3h"),
        (stale_data(), "20:10"),
        (stale_data(), "T+3h"),
    ] {
        reads_well(&summary_at(path, at));
    }
}

#[test]
fn stale_data_while_blind_says_the_data_is_missing() {
    let s = summary_at(stale_data(), "20:08");
    all_formats("stale_data_2008", &s);
    let text = render(&s, Format::Text);
    // No figure is called "now" when the data behind it is missing.
    for m in s.metrics.iter().filter(|m| m.status == Status::Unknown) {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("- {}:", m.label)));
        if let Some(l) = line {
            assert!(l.contains("no current data (last known "), "{l}");
        }
    }
    assert!(text.contains("(no current data)"), "{text}");
}

#[test]
fn stale_data_hourly_and_final() {
    let s = summary_at(stale_data(), "21:00");
    all_formats("stale_data_2100", &s);
    assert_eq!(s.kind, SummaryKind::Hourly);
    let f = summary_at(stale_data(), "T+3h");
    all_formats("stale_data_final", &f);
    assert_eq!(f.kind, SummaryKind::Final);
    assert!(f.recap.as_ref().is_some_and(|r| !r.outages.is_empty()));
}

/// The reference recording with the room refusing the return to normal at 21:45, ticking two
/// steps of the procedure, and confirming at 21:52.
fn reference_closed() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let (header, mut reader) = Reader::open(reference()).expect("open");
        let mut events: Vec<Event> = reader.by_ref().collect();
        events.push(op(
            "21:45:00",
            OperatorAction::RtnRefuse {
                reason: "Virginia still at 6 hosts".into(),
            },
        ));
        for (at, step) in [("21:47:00", "RTN-5"), ("21:49:00", "RTN-6")] {
            events.push(op(at, OperatorAction::RunbookDone { step: step.into() }));
        }
        events.push(op("21:52:00", OperatorAction::RtnConfirm));
        events.sort_by_key(|e| e.at);
        let path = dir().join("reference-closed.jsonl");
        let mut rec = Recorder::create(&path, &header, true).expect("create");
        rec.write_batch(&events).expect("write");
        path
    })
}

#[test]
fn the_room_confirms_the_return_to_normal_and_the_final_says_so() {
    // Refused at 21:45: an update in between says who refused and why.
    let s = summary_at(reference_closed(), "21:50");
    assert_eq!(s.rtn.confirmed_by, None);
    let text = render(&s, Format::Text);
    assert!(
        text.contains("not confirmed: ic-kim refused at 21:45 (Virginia still at 6 hosts)"),
        "{text}"
    );
    // Confirmed at 21:52: the final summary is made then, and says by whom and when.
    let f = summary_at(reference_closed(), "21:52");
    assert_eq!(
        f.kind,
        SummaryKind::Final,
        "a confirmed return to normal ends the event"
    );
    assert_eq!(f.rtn.confirmed_by.as_deref(), Some("ic-kim"));
    assert_eq!(f.rtn.confirmed_at, Some(kst("21:52:00")));
    let text = render(&f, Format::Text);
    assert!(text.contains("; confirmed by ic-kim at 21:52"), "{text}");
    assert!(!text.contains("not yet confirmed"), "{text}");
    let md = render(&f, Format::Markdown);
    assert!(
        md.contains("RTN-6 done: "),
        "the ticked steps are in the detail:\n{md}"
    );
}
