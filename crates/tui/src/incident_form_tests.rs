use super::*;

fn clock() -> EventTime {
    let t0 = DateTime::parse_from_rfc3339("2026-06-13T20:00:00+09:00")
        .expect("valid")
        .with_timezone(&Utc);
    EventTime {
        now: t0 + TimeDelta::minutes(12),
        t0,
        tz: chrono_tz::Asia::Seoul,
    }
}

fn typed(form: &mut IncidentForm, s: &str) {
    for c in s.chars() {
        form.type_char(c);
    }
}

#[test]
fn new_incident_opens_with_every_field() {
    let mut f = IncidentForm::new_incident();
    typed(&mut f, "Seoul checkout 5xx");
    f.next_field(true); // severity
    f.cycle(true); // major -> critical
    f.next_field(true); // state
    typed(&mut f, "i"); // investigating (first match)
    f.cycle(true); // identified
    f.next_field(true);
    typed(&mut f, "GA dial Seoul to 0, scale out");
    f.next_field(true);
    typed(&mut f, "+30m");
    f.next_field(true);
    typed(&mut f, "noc1");
    let a = f.submit(clock()).expect("valid form");
    let OperatorAction::IncidentOpen { id, fields } = a else {
        panic!("expected an open, got {a:?}");
    };
    assert!(id.is_empty(), "the driver assigns ids");
    assert_eq!(fields.title.as_deref(), Some("Seoul checkout 5xx"));
    assert_eq!(fields.severity, Some(Severity::Critical));
    assert_eq!(fields.state, Some(IncidentState::Identified));
    assert_eq!(
        fields.plan.as_deref(),
        Some("GA dial Seoul to 0, scale out")
    );
    assert_eq!(fields.eta, Some(clock().now + TimeDelta::minutes(30)));
    assert_eq!(fields.owner.as_deref(), Some("noc1"));
}

#[test]
fn a_title_is_required_and_bad_eta_is_refused_with_the_value() {
    let f = IncidentForm::new_incident();
    assert_eq!(f.submit(clock()), Err("a title is needed".into()));
    let mut f = IncidentForm::new_incident();
    typed(&mut f, "x");
    f.focus = Field::Eta;
    typed(&mut f, "soon");
    let err = f.submit(clock()).expect_err("bad ETA");
    assert!(err.contains("\"soon\""), "{err}");
}

#[test]
fn edit_sends_only_what_changed_and_resolve_is_a_state_change() {
    let fields = IncidentFields {
        title: Some("DB CPU".into()),
        severity: Some(Severity::Minor),
        state: Some(IncidentState::Identified),
        plan: Some("failover".into()),
        eta: Some(clock().now + TimeDelta::minutes(48)), // 21:00 KST
        owner: Some("dba".into()),
        ..IncidentFields::default()
    };
    let mut f = IncidentForm::edit("INC-2", 3, &fields, chrono_tz::Asia::Seoul);
    assert_eq!(f.draft.eta, "21:00");
    assert!(!f.dirty());
    assert_eq!(
        f.submit(clock()),
        Err("nothing changed (esc closes)".into()),
        "an unchanged ETA is not re-sent either"
    );
    f.focus = Field::State;
    typed(&mut f, "r");
    assert!(f.dirty());
    let a = f.submit(clock()).expect("changed");
    assert_eq!(
        a,
        OperatorAction::IncidentUpdate {
            id: "INC-2".into(),
            version: Some(3),
            fields: IncidentFields {
                state: Some(IncidentState::Resolved),
                ..IncidentFields::default()
            }
        }
    );
}

#[test]
fn an_eta_with_a_one_digit_minute_is_refused_not_taken_as_21_03() {
    let mut f = IncidentForm::new_incident();
    typed(&mut f, "x");
    f.focus = Field::Eta;
    typed(&mut f, "21:3");
    let err = f.submit(clock()).expect_err("21:3 is not a time");
    assert!(err.contains("\"21:3\""), "{err}");
    f.backspace();
    typed(&mut f, "30");
    let Ok(OperatorAction::IncidentOpen { fields, .. }) = f.submit(clock()) else {
        panic!("21:30 is a time");
    };
    assert_eq!(fields.eta, Some(clock().t0 + TimeDelta::minutes(90)));
}

#[test]
fn impact_defaults_to_the_first_firing_trigger_and_is_never_in_the_future() {
    let c = clock();
    let first = c.t0 + TimeDelta::minutes(9);
    let mut f = IncidentForm::new_incident_from(Some(first), c.tz);
    assert_eq!(f.draft.impact, "20:09:00");
    typed(&mut f, "Seoul down");
    let Ok(OperatorAction::IncidentOpen { fields, .. }) = f.submit(c) else {
        panic!("a valid form");
    };
    assert_eq!(fields.impact_start, Some(first));
    f.focus = Field::Impact;
    for _ in 0..8 {
        f.backspace();
    }
    typed(&mut f, "20:30");
    assert_eq!(
        f.submit(c),
        Err("the impact cannot start in the future".into())
    );
    f.draft.impact = "-5m".into();
    let Ok(OperatorAction::IncidentOpen { fields, .. }) = f.submit(c) else {
        panic!("five minutes ago");
    };
    assert_eq!(fields.impact_start, Some(c.now - TimeDelta::minutes(5)));
}

#[test]
fn fields_cycle_both_ways_and_choices_wrap() {
    let mut f = IncidentForm::new_incident();
    f.next_field(false);
    assert_eq!(f.focus, Field::Impact);
    f.next_field(true);
    assert_eq!(f.focus, Field::Title);
    f.focus = Field::Severity;
    f.cycle(false);
    f.cycle(false);
    assert_eq!(
        f.draft.severity,
        Severity::Critical,
        "major -> minor -> critical"
    );
    typed(&mut f, " ");
    assert_eq!(f.draft.severity, Severity::Minor, "space cycles");
    f.backspace();
    assert_eq!(
        f.draft.severity,
        Severity::Minor,
        "backspace does nothing on a choice"
    );
}

#[test]
fn eta_forms() {
    let c = clock(); // 20:12 KST
    let at = |s: &str| parse_eta(s, c).expect(s).expect("some");
    assert_eq!(parse_eta("  ", c), Ok(None));
    assert_eq!(at("45m"), c.now + TimeDelta::minutes(45));
    assert_eq!(at("T+2h"), c.t0 + TimeDelta::hours(2));
    assert_eq!(at("21:30"), c.t0 + TimeDelta::minutes(90));
    assert_eq!(
        at("19:00"),
        c.t0 + TimeDelta::hours(23),
        "a clock time already past is tomorrow"
    );
}
