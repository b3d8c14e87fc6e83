//! Alarm history of one region: `DescribeAlarmHistory` state updates over the window (oldest
//! first, paginated), filtered by the layout's name prefixes, replayed as `alarms` snapshots:
//! one at every transition (at the transition's own time) and one a minute otherwise, since the
//! evaluator treats an alarm list older than three minutes as not polled. An alarm's state
//! before its first transition in the window is that transition's old state; alarms that never
//! changed state in the window are not known and not listed.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{AlarmType, HistoryItemType, ScanBy};
use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{AlarmInfo, AlarmKind, AlarmSnapshot, AlarmState, Event, EventBody};
use crate::sources::classify::CallError;
use crate::sources::{to_aws, to_utc};

/// Page size of `DescribeAlarmHistory` (1 to 100).
const PAGE: i32 = 100;

/// One state update.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Transition {
    pub(crate) at: DateTime<Utc>,
    pub(crate) name: String,
    pub(crate) kind: AlarmKind,
    pub(crate) from: AlarmState,
    pub(crate) to: AlarmState,
    pub(crate) reason: Option<String>,
}

fn state(word: Option<&str>) -> AlarmState {
    match word {
        Some("OK") => AlarmState::Ok,
        Some("ALARM") => AlarmState::Alarm,
        _ => AlarmState::InsufficientData,
    }
}

/// Old and new state and the reason from a history item's `HistoryData` JSON
/// (`{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"..."}}`).
pub(crate) fn parse_data(data: &str) -> Option<(AlarmState, AlarmState, Option<String>)> {
    let v: serde_json::Value = serde_json::from_str(data).ok()?;
    let new = v.get("newState")?;
    let old = v.get("oldState");
    Some((
        state(
            old.and_then(|o| o.get("stateValue"))
                .and_then(|s| s.as_str()),
        ),
        state(new.get("stateValue").and_then(|s| s.as_str())),
        new.get("stateReason")
            .and_then(|s| s.as_str())
            .map(ToString::to_string),
    ))
}

/// Every state update in `[from, to)` of alarms whose name starts with one of `prefixes`.
pub(crate) async fn history(
    client: &Client,
    prefixes: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Transition>, CallError> {
    let mut out = Vec::new();
    let mut pages = client
        .describe_alarm_history()
        .history_item_type(HistoryItemType::StateUpdate)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .alarm_types(AlarmType::LogAlarm)
        .start_date(to_aws(from))
        .end_date(to_aws(to))
        .scan_by(ScanBy::TimestampAscending)
        .max_records(PAGE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("DescribeAlarmHistory", &e))?;
        for item in page.alarm_history_items() {
            let (Some(name), Some(at)) = (item.alarm_name(), item.timestamp().and_then(to_utc))
            else {
                continue;
            };
            if !prefixes.iter().any(|p| name.starts_with(p.as_str())) || at < from || at >= to {
                continue;
            }
            let Some((old, new, reason)) = item.history_data().and_then(parse_data) else {
                continue;
            };
            let kind = match item.alarm_type() {
                Some(AlarmType::CompositeAlarm) => AlarmKind::Composite,
                Some(AlarmType::LogAlarm) => AlarmKind::Log,
                _ => AlarmKind::Metric,
            };
            out.push(Transition {
                at,
                name: name.to_string(),
                kind,
                from: old,
                to: new,
                reason,
            });
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// The region's alarm snapshots over `[from, to)` from its transitions.
pub(crate) fn snapshots(
    region: &str,
    transitions: &[Transition],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Event> {
    let mut known: BTreeMap<String, AlarmInfo> = BTreeMap::new();
    for t in transitions {
        known.entry(t.name.clone()).or_insert_with(|| AlarmInfo {
            name: t.name.clone(),
            kind: t.kind,
            state: t.from,
            reason: None,
            updated: from,
        });
    }
    let snap = |at: DateTime<Utc>, known: &BTreeMap<String, AlarmInfo>| Event {
        at,
        body: EventBody::Alarms(AlarmSnapshot {
            region: region.to_string(),
            alarms: known.values().cloned().collect(),
        }),
    };
    let mut out = Vec::new();
    let mut next = transitions.iter().peekable();
    let mut tick = from;
    while tick < to {
        while let Some(t) = next.next_if(|t| t.at <= tick) {
            if let Some(a) = known.get_mut(&t.name) {
                a.state = t.to;
                a.reason.clone_from(&t.reason);
                a.updated = t.at;
            }
            out.push(snap(t.at, &known));
        }
        out.push(snap(tick, &known));
        tick += TimeDelta::minutes(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_data_gives_old_and_new_state_and_reason() {
        let d = r#"{"version":"1.0","oldState":{"stateValue":"OK","stateReason":"fine"},"newState":{"stateValue":"ALARM","stateReason":"Threshold Crossed: 1 datapoint [12.0]"}}"#;
        assert_eq!(
            parse_data(d),
            Some((
                AlarmState::Ok,
                AlarmState::Alarm,
                Some("Threshold Crossed: 1 datapoint [12.0]".into())
            ))
        );
        assert_eq!(parse_data("not json"), None);
    }
}
