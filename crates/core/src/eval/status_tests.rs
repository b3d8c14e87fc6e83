//! What the overall status claims: open incidents set a floor, routine scaling does not trip
//! it, and missing data reads as blind.

use chrono::{DateTime, Utc};

use super::test_support::*;
use super::tests::{timeline, world};
use crate::model::{
    Event, EventBody, IncidentFields, IncidentState, OperatorAction, OperatorEvent, Severity,
    Status,
};

fn operator(at: DateTime<Utc>, action: OperatorAction) -> Event {
    Event {
        at,
        body: EventBody::Operator(OperatorEvent {
            who: "lead".into(),
            user: None,
            post_mortem: false,
            action,
        }),
    }
}

fn incident(at: DateTime<Utc>, severity: Severity, state: IncidentState) -> Event {
    operator(
        at,
        OperatorAction::IncidentOpen {
            id: "INC-1".into(),
            fields: IncidentFields {
                title: Some("Seoul web tier collapsed".into()),
                severity: Some(severity),
                state: Some(state),
                ..IncidentFields::default()
            },
        },
    )
}

fn overall_with(extra: Vec<Event>) -> Status {
    let mut steps = world(0, 5, |_| 0.0, |_| false);
    steps[5].1.extend(extra);
    timeline(steps, 15).1.overall
}

#[test]
fn an_open_incident_sets_a_floor_by_severity_until_resolved() {
    assert_eq!(overall_with(vec![]), Status::Green, "the world is green");
    let open = |sev| incident(tm(5), sev, IncidentState::Identified);
    assert_eq!(overall_with(vec![open(Severity::Critical)]), Status::Red);
    assert_eq!(overall_with(vec![open(Severity::Major)]), Status::Yellow);
    assert_eq!(overall_with(vec![open(Severity::Minor)]), Status::Green);
    let resolved = incident(tm(5), Severity::Critical, IncidentState::Resolved);
    assert_eq!(
        overall_with(vec![open(Severity::Critical), resolved]),
        Status::Green
    );
}

#[test]
fn a_target_draining_in_scale_in_is_expected_until_it_is_stuck() {
    use crate::model::TargetState::{Draining, Healthy, Unused};
    use crate::store::State;
    let l = layout();
    let mut scale_in = vec![Healthy; 9];
    scale_in.push(Draining);
    let judge = |snaps: &[(i64, &[crate::model::TargetState])], now: i64| {
        let mut s = State::new(&l);
        for (at, states) in snaps {
            s.apply(&targets(tm(*at), states));
        }
        let h = super::health::target_group(0, &l.target_groups[0], &s, tm(now));
        (h.status, h.reason)
    };
    let all = vec![Healthy; 10];
    let (st, why) = judge(&[(0, &all), (1, &scale_in)], 1);
    assert_eq!(
        (st, why.as_str()),
        (Status::Green, "seoul.tg healthy 9/10 draining 1")
    );
    // Still draining a quarter of an hour on: the scaling activity is stuck.
    let (st, why) = judge(&[(0, &all), (1, &scale_in), (17, &scale_in)], 17);
    assert_eq!(
        (st, why.as_str()),
        (
            Status::Yellow,
            "seoul.tg healthy 9/10 draining 1: scaling for over 15m"
        )
    );
    // A stopped instance is capacity lost, whatever else happens.
    let mut stopped = vec![Healthy; 9];
    stopped.push(Unused);
    assert_eq!(judge(&[(0, &stopped)], 0).0, Status::Yellow);
}

#[test]
fn missing_data_reads_blind_not_yellow_and_red_still_shows() {
    use crate::model::TargetState::Unhealthy;
    // Metrics stop at minute 5; snapshots go on, one target group has lost a target.
    let mut steps = world(0, 5, |_| 0.0, |_| false);
    steps.extend((6..=15).map(|m| {
        let tg = targets(tm(m), &[crate::model::TargetState::Healthy, Unhealthy]);
        let ga = ga(
            tm(m),
            crate::model::GaHealth::Healthy,
            100.0,
            crate::model::GaHealth::Healthy,
        );
        (tm(m), vec![tg, ga])
    }));
    let last = timeline(steps.clone(), 15).1;
    assert!(
        last.panels.iter().any(|p| p.status == Status::Unknown),
        "{:?}",
        last.panels
    );
    assert!(last.panels.iter().any(|p| p.status == Status::Yellow));
    assert_eq!(last.overall, Status::Blind);
    assert_eq!(last.overall.word(), "BLIND");
    // A critical incident open while blind: Red, what the room knows is worse.
    steps[15].1.push(incident(
        tm(15),
        Severity::Critical,
        IncidentState::Monitoring,
    ));
    assert_eq!(timeline(steps, 15).1.overall, Status::Red);
}

#[test]
fn the_floor_says_why_and_the_data_keeps_its_own_status() {
    // Unhealthy hosts (RED) from minute 3 to 7; INC-1 (critical) opened at 5, still open.
    let bad = |m: i64| if (3..=7).contains(&m) { 2.0 } else { 0.0 };
    let mut steps = world(0, 15, bad, |_| false);
    steps[5].1.push(incident(
        tm(5),
        Severity::Critical,
        IncidentState::Identified,
    ));
    let (lines, last) = timeline(steps, 60);
    assert_eq!(last.overall, Status::Red);
    assert_eq!(last.floor.as_deref(), Some("INC-1 critical open"));
    assert_ne!(last.data_overall, Status::Red);
    // The data came back under the floor: the timeline says so, and why the status stays.
    assert!(
        lines
            .iter()
            .any(|l| l.contains("DATA RED -> ") && l.contains("status held: INC-1 critical open")),
        "{lines:#?}"
    );
}
