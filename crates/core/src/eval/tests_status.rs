//! What the overall status claims: open incidents set a floor.

use chrono::{DateTime, Utc};

use super::test_support::*;
use super::tests_eval::{timeline, world};
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
