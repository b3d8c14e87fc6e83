//! The board: states follow `source_status` events, data keeps an `ok` source fresh, an `ok`
//! source with old data shows as stale, and the credentials banner names the profile.

use super::*;
use crate::model::{LogBatch, SourceStatus, TargetHealthSnapshot};
use crate::testing::at;

fn status(t: &str, source: &str, state: SourceState, detail: Option<&str>) -> Event {
    Event {
        at: at(t),
        body: EventBody::SourceStatus(SourceStatus {
            source: source.into(),
            state,
            detail: detail.map(str::to_string),
        }),
    }
}

fn health(t: &str, tg: &str) -> Event {
    Event {
        at: at(t),
        body: EventBody::TargetHealth(TargetHealthSnapshot {
            target_group: tg.into(),
            targets: vec![],
        }),
    }
}

fn board() -> Board {
    Board::new([
        ("elbv2:seoul.tg".to_string(), "profile prod".to_string()),
        ("logs:seoul.httpd".to_string(), "profile prod".to_string()),
        ("cloudwatch:us-east-1".to_string(), String::new()),
    ])
}

#[test]
fn sources_wait_until_their_first_poll() {
    let b = board();
    let now = at("2026-06-13T11:00:00Z");
    assert_eq!(b.summary(now), "3 sources: 3 waiting");
    assert_eq!(b.attention_line(now, 3), "");
    assert_eq!(b.credentials_banner(), None);
}

#[test]
fn states_follow_status_events_and_changes_are_reported() {
    let mut b = board();
    let changes = b.observe(&[
        status(
            "2026-06-13T11:00:00Z",
            "elbv2:seoul.tg",
            SourceState::Ok,
            None,
        ),
        health("2026-06-13T11:00:00Z", "seoul.tg"),
    ]);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].source, "elbv2:seoul.tg");
    let changes = b.observe(&[status(
        "2026-06-13T11:00:05Z",
        "logs:seoul.httpd",
        SourceState::Throttled,
        Some("ThrottlingException: Rate exceeded"),
    )]);
    assert_eq!(changes[0].state, SourceState::Throttled);
    let now = at("2026-06-13T11:00:10Z");
    assert_eq!(b.summary(now), "3 sources: 1 ok, 1 throttled, 1 waiting");
    assert_eq!(b.attention_line(now, 3), "logs:seoul.httpd throttled");
    assert_eq!(b.events(), 3);
}

#[test]
fn an_ok_source_without_new_data_for_two_periods_is_stale() {
    let mut b = board();
    b.observe(&[
        status(
            "2026-06-13T11:00:00Z",
            "elbv2:seoul.tg",
            SourceState::Ok,
            None,
        ),
        health("2026-06-13T11:00:00Z", "seoul.tg"),
    ]);
    let line = b
        .lines()
        .find(|l| l.name == "elbv2:seoul.tg")
        .expect("line");
    // Target health polls every 30 s: stale after 60 s plus 30 s of slack.
    assert_eq!(
        Board::shown_state(line, at("2026-06-13T11:01:30Z")),
        Some(SourceState::Ok)
    );
    assert_eq!(
        Board::shown_state(line, at("2026-06-13T11:01:31Z")),
        Some(SourceState::Stale)
    );
    b.observe(&[health("2026-06-13T11:01:40Z", "seoul.tg")]);
    let line = b
        .lines()
        .find(|l| l.name == "elbv2:seoul.tg")
        .expect("line");
    assert_eq!(
        Board::shown_state(line, at("2026-06-13T11:01:45Z")),
        Some(SourceState::Ok)
    );
}

#[test]
fn the_credentials_banner_names_the_profile_and_clears_on_recovery() {
    let mut b = board();
    b.observe(&[
        status(
            "2026-06-13T11:00:00Z",
            "elbv2:seoul.tg",
            SourceState::CredentialsExpired,
            Some("ExpiredToken: The security token included in the request is expired"),
        ),
        status(
            "2026-06-13T11:00:00Z",
            "logs:seoul.httpd",
            SourceState::CredentialsExpired,
            None,
        ),
    ]);
    let banner = b.credentials_banner().expect("banner");
    assert!(banner.contains("profile prod (2 sources)"), "{banner}");
    assert!(banner.contains("aws sso login --profile prod"), "{banner}");
    assert!(banner.contains("stale"), "{banner}");
    assert!(
        banner.contains("retrying. Fix: `aws sso login") && !banner.contains(['\\', '\n']),
        "one line, no line-continuation debris: {banner:?}"
    );
    b.observe(&[status(
        "2026-06-13T11:01:00Z",
        "elbv2:seoul.tg",
        SourceState::Ok,
        None,
    )]);
    let banner = b.credentials_banner().expect("one still failing");
    assert!(banner.contains("(1 source)"), "{banner}");
    b.observe(&[status(
        "2026-06-13T11:01:00Z",
        "logs:seoul.httpd",
        SourceState::Ok,
        None,
    )]);
    assert_eq!(b.credentials_banner(), None);
}

#[test]
fn the_default_chain_is_named_when_no_profile_is() {
    let mut b = board();
    b.observe(&[status(
        "2026-06-13T11:00:00Z",
        "cloudwatch:us-east-1",
        SourceState::CredentialsExpired,
        None,
    )]);
    let banner = b.credentials_banner().expect("banner");
    assert!(banner.contains("default chain (1 source)"), "{banner}");
    assert!(banner.contains("Fix: refresh them"), "{banner}");
}

#[test]
fn unknown_sources_are_added_when_they_report() {
    let mut b = Board::new([]);
    b.observe(&[Event {
        at: at("2026-06-13T11:00:00Z"),
        body: EventBody::Logs(LogBatch {
            group: "g".into(),
            lines: vec![],
            counts: vec![],
        }),
    }]);
    assert_eq!(b.lines().count(), 1);
    assert_eq!(b.summary(at("2026-06-13T11:00:00Z")), "1 source: 1 waiting");
}
