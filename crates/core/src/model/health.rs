//! Health vocabularies of the AWS sources (ELB target states, Global Accelerator endpoint health,
//! CloudWatch alarm states), the per-source poll status, and incident vocabulary.
//! Unknown strings from AWS are kept verbatim in an `Other` variant, never dropped.

use serde::{Deserialize, Serialize};

/// The seven ELBv2 target states (`TargetHealthStateEnum`), plus anything newer AWS sends.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum TargetState {
    Initial,
    Healthy,
    Unhealthy,
    UnhealthyDraining,
    Unused,
    Draining,
    Unavailable,
    Other(String),
}

impl TargetState {
    pub fn as_str(&self) -> &str {
        match self {
            TargetState::Initial => "initial",
            TargetState::Healthy => "healthy",
            TargetState::Unhealthy => "unhealthy",
            TargetState::UnhealthyDraining => "unhealthy.draining",
            TargetState::Unused => "unused",
            TargetState::Draining => "draining",
            TargetState::Unavailable => "unavailable",
            TargetState::Other(s) => s,
        }
    }
}

impl From<String> for TargetState {
    fn from(s: String) -> Self {
        match s.as_str() {
            "initial" => TargetState::Initial,
            "healthy" => TargetState::Healthy,
            "unhealthy" => TargetState::Unhealthy,
            "unhealthy.draining" => TargetState::UnhealthyDraining,
            "unused" => TargetState::Unused,
            "draining" => TargetState::Draining,
            "unavailable" => TargetState::Unavailable,
            _ => TargetState::Other(s),
        }
    }
}

impl From<TargetState> for String {
    fn from(s: TargetState) -> Self {
        s.as_str().to_string()
    }
}

/// Global Accelerator endpoint `HealthState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GaHealth {
    Initial,
    Healthy,
    Unhealthy,
}

impl GaHealth {
    pub fn as_str(self) -> &'static str {
        match self {
            GaHealth::Initial => "INITIAL",
            GaHealth::Healthy => "HEALTHY",
            GaHealth::Unhealthy => "UNHEALTHY",
        }
    }
}

/// CloudWatch alarm `StateValue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

impl AlarmState {
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

/// How a source's last poll went. Recorded as `source_status` events on every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceState {
    Ok,
    Slow,
    Throttled,
    Error,
    CredentialsExpired,
    Stale,
}

impl SourceState {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceState::Ok => "ok",
            SourceState::Slow => "slow",
            SourceState::Throttled => "throttled",
            SourceState::Error => "error",
            SourceState::CredentialsExpired => "credentials expired",
            SourceState::Stale => "stale",
        }
    }
}

/// Incident lifecycle, the vocabulary status pages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

/// Incident severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Minor,
    Major,
    Critical,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_state_round_trips_known_and_unknown() {
        for s in [
            "initial",
            "healthy",
            "unhealthy",
            "unhealthy.draining",
            "unused",
            "draining",
            "unavailable",
            "future",
        ] {
            let t = TargetState::from(s.to_string());
            assert_eq!(String::from(t), s);
        }
        assert_eq!(
            TargetState::from("weird".to_string()),
            TargetState::Other("weird".into())
        );
    }
}
