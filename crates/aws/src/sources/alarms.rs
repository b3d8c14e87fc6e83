//! `CloudWatch` alarms: `DescribeAlarms` per name prefix of the layout, for metric, composite and
//! log alarms, paginated, as one `AlarmSnapshot` per region (deduplicated by name, sorted).

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{AlarmType, StateValue};
use chrono::{DateTime, Utc};

use super::classify::CallError;
use super::to_utc;
use crate::model::{AlarmInfo, AlarmKind, AlarmSnapshot, AlarmState, SourceState};

/// Page size (the API allows 1 to 100).
const PAGE: i32 = 100;

#[derive(Debug, thiserror::Error)]
pub enum AlarmsError {
    #[error(transparent)]
    Call(#[from] CallError),
}

impl AlarmsError {
    pub fn state(&self) -> SourceState {
        match self {
            AlarmsError::Call(c) => c.state,
        }
    }
}

/// Every alarm of `region` whose name starts with one of `prefixes`. `now` stands in for a
/// missing state timestamp.
pub async fn describe(
    client: &Client,
    region: &str,
    prefixes: &[String],
    now: DateTime<Utc>,
) -> Result<AlarmSnapshot, AlarmsError> {
    let mut by_name: BTreeMap<String, AlarmInfo> = BTreeMap::new();
    for prefix in prefixes {
        let mut pages = client
            .describe_alarms()
            .alarm_name_prefix(prefix)
            .alarm_types(AlarmType::MetricAlarm)
            .alarm_types(AlarmType::CompositeAlarm)
            .alarm_types(AlarmType::LogAlarm)
            .max_records(PAGE)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| CallError::from_sdk("DescribeAlarms", &e))?;
            // Metric, composite and log alarms are distinct SDK types with the same accessors.
            macro_rules! infos {
                ($alarms:expr, $kind:expr) => {
                    $alarms.iter().map(|a| {
                        info(
                            $kind,
                            a.alarm_name(),
                            a.state_value(),
                            a.state_reason(),
                            a.state_transitioned_timestamp()
                                .or(a.state_updated_timestamp()),
                            now,
                        )
                    })
                };
            }
            let metric = infos!(page.metric_alarms(), AlarmKind::Metric);
            let composite = infos!(page.composite_alarms(), AlarmKind::Composite);
            let log = infos!(page.log_alarms(), AlarmKind::Log);
            for a in metric.chain(composite).chain(log).flatten() {
                by_name.insert(a.name.clone(), a);
            }
        }
    }
    Ok(AlarmSnapshot {
        region: region.to_string(),
        alarms: by_name.into_values().collect(),
    })
}

fn info(
    kind: AlarmKind,
    name: Option<&str>,
    state: Option<&StateValue>,
    reason: Option<&str>,
    updated: Option<&aws_smithy_types::DateTime>,
    now: DateTime<Utc>,
) -> Option<AlarmInfo> {
    Some(AlarmInfo {
        name: name?.to_string(),
        kind,
        state: alarm_state(state),
        reason: reason.map(ToString::to_string),
        updated: updated.and_then(to_utc).unwrap_or(now),
    })
}

/// A missing or unknown state is `INSUFFICIENT_DATA`: the alarm cannot vouch for anything.
pub(crate) fn alarm_state(s: Option<&StateValue>) -> AlarmState {
    match s {
        Some(StateValue::Ok) => AlarmState::Ok,
        Some(StateValue::Alarm) => AlarmState::Alarm,
        _ => AlarmState::InsufficientData,
    }
}

#[cfg(test)]
#[path = "alarms_tests.rs"]
mod tests;
