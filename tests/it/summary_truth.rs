//! The room's record in the summaries and the report, on the `shared-db` scenario with the
//! room's actions written into the recording: every action in its period with who did it and
//! what they said; outages from the data, the incident's floor said as such; one impact figure
//! for an incident everywhere.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use warroom_core::model::{
    Event, EventBody, IncidentFields, IncidentState, OperatorAction, OperatorEvent, Severity,
    Summary,
};
use warroom_core::record::{Reader, Recorder};
use warroom_core::summary::render::{Format, render};

fn kst(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2026-06-13T{s}+09:00"))
        .expect("time")
        .with_timezone(&Utc)
}

fn op(at: &str, who: &str, action: OperatorAction) -> Event {
    Event {
        at: kst(at),
        body: EventBody::Operator(OperatorEvent {
            who: who.into(),
            user: None,
            post_mortem: false,
            action,
        }),
    }
}

fn update(fields: IncidentFields) -> OperatorAction {
    OperatorAction::IncidentUpdate {
        id: "INC-1".into(),
        version: None,
        fields,
    }
}

/// What the room did, as the lead's session did it: times, who, and what they said.
fn actions() -> Vec<Event> {
    vec![
        op(
            "20:07:30",
            "noc1",
            OperatorAction::IncidentOpen {
                id: "INC-1".into(),
                fields: IncidentFields {
                    title: Some("Checkout failing: shared DB".into()),
                    severity: Some(Severity::Critical),
                    state: Some(IncidentState::Investigating),
                    ..IncidentFields::default()
                },
            },
        ),
        op(
            "20:08:10",
            "kim",
            update(IncidentFields {
                plan: Some("fail the DB over to the standby".into()),
                eta: Some(kst("21:00:00")),
                ..IncidentFields::default()
            }),
        ),
        op(
            "20:09:00",
            "noc1",
            update(IncidentFields {
                state: Some(IncidentState::Identified),
                ..IncidentFields::default()
            }),
        ),
        op(
            "20:12:00",
            "park",
            OperatorAction::RunbookSkip {
                step: "RB-09".into(),
                reason: Some("not our WAF: the CDN team owns it".into()),
            },
        ),
        op(
            "20:14:00",
            "kim",
            OperatorAction::RunbookNote {
                step: "RB-02".into(),
                text: "Seoul ASG max raised to 10".into(),
            },
        ),
        op(
            "20:40:00",
            "park",
            update(IncidentFields {
                state: Some(IncidentState::Monitoring),
                plan: Some("watch the standby's CPU".into()),
                ..IncidentFields::default()
            }),
        ),
        op(
            "20:51:00",
            "kim",
            update(IncidentFields {
                state: Some(IncidentState::Resolved),
                cause: Some("connection pool exhausted on the shared DB".into()),
                ..IncidentFields::default()
            }),
        ),
    ]
}

fn recording() -> &'static Path {
    static P: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &P.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let raw = dir.path().join("raw.jsonl");
        crate::support::demo::record_headless(Some("shared-db"), &raw);
        let (header, mut reader) = Reader::open(&raw).expect("open");
        let mut events: Vec<Event> = reader.by_ref().collect();
        events.extend(actions());
        events.sort_by_key(|e| e.at);
        let path = dir.path().join("room.jsonl");
        let mut rec = Recorder::create(&path, &header, true).expect("create");
        rec.write_batch(&events).expect("write");
        drop(rec);
        (dir, path)
    })
    .1
}

fn summary_at(at: &str) -> Summary {
    warroom::cli::summary_of(recording(), Some(at))
        .map_err(|f| f.message)
        .expect("summary")
        .1
}

/// The actions a summary lists, as (when, who, what).
fn listed(s: &Summary) -> Vec<(DateTime<Utc>, String, String)> {
    let v = serde_json::to_value(s).expect("json");
    v["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| {
            (
                a["at"].as_str().expect("at").parse().expect("time"),
                a["who"].as_str().expect("who").to_string(),
                a["text"].as_str().expect("text").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_action_of_the_period_is_in_the_summary_with_who_and_what_they_said() {
    for at in ["20:17", "21:00"] {
        let s = summary_at(at);
        let got = listed(&s);
        let want: Vec<Event> = actions()
            .into_iter()
            .filter(|e| e.at <= kst(&format!("{at}:00")) && s.since.is_none_or(|t| e.at > t))
            .collect();
        assert!(!want.is_empty(), "{at}: since {:?}", s.since);
        // The scenario's own operator (dial and capacity changes) acts too.
        let ours: Vec<_> = got.iter().filter(|g| g.1 != "sim-operator").collect();
        assert_eq!(ours.len(), want.len(), "{at}: {got:#?}");
        assert!(got.iter().all(|g| !g.1.is_empty()), "{got:#?}");
        for (e, (t, who, _)) in want.iter().zip(ours) {
            let EventBody::Operator(o) = &e.body else {
                unreachable!()
            };
            assert_eq!((e.at, o.who.as_str()), (*t, who.as_str()), "{at}");
        }
        let text = render(&s, Format::Text);
        let n = got.len();
        let count = if n == 1 {
            "1 action by the room".to_string()
        } else {
            format!("{n} actions by the room")
        };
        assert!(text.contains(&count), "{at}: {text}");
    }
    // What they said: the plan and ETA, the state, the skip's reason (not the step's title),
    // the resolution's cause.
    let all: Vec<String> = ["20:17", "21:00"]
        .iter()
        .flat_map(|at| listed(&summary_at(at)))
        .map(|(_, who, text)| format!("{who}: {text}"))
        .collect();
    for want in [
        "kim: INC-1 updated (plan: fail the DB over to the standby, ETA 21:00 KST)",
        "noc1: INC-1 updated (identified)",
        "park: RB-09 skipped: not our WAF: the CDN team owns it",
        "kim: note on RB-02: Seoul ASG max raised to 10",
        "park: INC-1 updated (monitoring, plan: watch the standby's CPU)",
        "kim: INC-1 resolved (cause: connection pool exhausted on the shared DB)",
    ] {
        assert!(all.iter().any(|a| a == want), "{want} not in {all:#?}");
    }
}

#[test]
fn outages_are_the_datas_and_one_impact_figure_holds_everywhere() {
    let fin = summary_at("T+3h");
    let v = serde_json::to_value(&fin).expect("json");
    let recap = &v["recap"];
    let outages = recap["outages"].as_array().expect("outages");
    // The incident's floor (INC-1 open 20:07:30 to 20:51) is not an outage.
    for o in outages {
        let to: DateTime<Utc> = o["to"].as_str().expect("to").parse().expect("time");
        assert!(to < kst("20:50:00"), "{outages:#?}");
    }
    let impact: DateTime<Utc> = recap["incidents"][0]["impact_start"]
        .as_str()
        .expect("an impact start")
        .parse()
        .expect("time");
    // It defaults to when the data went RED, not to a step's firing.
    let first_red: DateTime<Utc> = outages[0]["from"]
        .as_str()
        .expect("from")
        .parse()
        .expect("time");
    assert!(impact >= first_red, "{impact} before {first_red}");
    // The report counts the same impact.
    let r = warroom_core::report::from_recording(recording()).expect("report");
    assert_eq!(r.incidents[0].impact_start, impact);
    assert_eq!(
        r.outages.iter().map(|p| (p.from, p.to)).collect::<Vec<_>>(),
        outages
            .iter()
            .map(|o| (
                o["from"].as_str().expect("from").parse().expect("time"),
                o["to"].as_str().expect("to").parse().expect("time")
            ))
            .collect::<Vec<(DateTime<Utc>, DateTime<Utc>)>>()
    );
    // The hourly summaries name the same start.
    let s = summary_at("20:17");
    assert!(
        render(&s, Format::Text).contains(&format!(
            "impact since {}",
            impact
                .with_timezone(&chrono_tz::Asia::Seoul)
                .format("%H:%M")
        )),
        "{}",
        render(&s, Format::Text)
    );
}

#[test]
fn a_status_held_by_an_incident_says_so() {
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["replay", "--headless", "--at", "20:50:19"])
        .arg(recording())
        .output()
        .expect("run warroom replay");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("overall RED"), "{text}");
    assert!(text.contains("RED: INC-1 critical open"), "{text}");
    let s = summary_at("20:50");
    if s.overall == warroom_core::model::Status::Red {
        assert!(
            render(&s, Format::Text).contains("RED: INC-1 critical open"),
            "{}",
            render(&s, Format::Text)
        );
    }
}
