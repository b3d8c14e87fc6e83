//! The readiness report as data: each check of the event's readiness checklist with its
//! status, the number behind it and what to do, and (after the event) what the event left
//! raised. Made by `ready`, printed by `warroom ready`, recorded in the event log at the start
//! of `collect` and `watch` (kind `readiness`) and shown by the post-mortem report.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Status;

/// The readiness checklist's sections, in the runbook's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckGroup {
    Limits,
    Scaling,
    Failover,
    Alarms,
    DnsData,
    Waf,
    People,
}

impl CheckGroup {
    pub(crate) const ALL: [CheckGroup; 7] = [
        CheckGroup::Limits,
        CheckGroup::Scaling,
        CheckGroup::Failover,
        CheckGroup::Alarms,
        CheckGroup::DnsData,
        CheckGroup::Waf,
        CheckGroup::People,
    ];

    pub fn title(self) -> &'static str {
        match self {
            CheckGroup::Limits => "Service limits",
            CheckGroup::Scaling => "Scaling headroom",
            CheckGroup::Failover => "Detection and failover",
            CheckGroup::Alarms => "Alarms",
            CheckGroup::DnsData => "DNS and data tier",
            CheckGroup::Waf => "WAF",
            CheckGroup::People => "People and the checklist",
        }
    }
}

/// One check: what was checked, its colour, the number behind it and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadinessCheck {
    /// Stable id: `limits.ec2_vcpu.ap-northeast-2`, `scaling.asg.BTS-AS`.
    pub id: String,
    pub(crate) group: CheckGroup,
    /// What was checked, in a few words.
    pub(crate) title: String,
    pub status: Status,
    /// The number behind the colour: `max 4 < 10 needed at the peak`.
    pub number: String,
    /// What to do; empty when green.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) action: String,
}

/// Something the event raised that is not back to normal yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leftover {
    /// `ASG BTS-AS desired`, `quota ec2_vcpu`.
    pub what: String,
    pub(crate) region: String,
    pub now: f64,
    pub normal: f64,
    /// Cost per day of leaving it (USD), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cost_per_day: Option<f64>,
    pub(crate) action: String,
}

/// Before the event (`checks`) or after it (`leftovers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessMode {
    Before,
    After,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadinessReport {
    pub(crate) event: String,
    /// When the facts were read (`checked_at`: in the event log, `at` is the event's own).
    #[serde(rename = "checked_at")]
    pub(crate) at: DateTime<Utc>,
    pub(crate) mode: ReadinessMode,
    /// The expected peak, in words (`10x baseline, 20,000 requests/min`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub peak: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<ReadinessCheck>,
    /// Check ids the layout skips.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) skipped: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leftovers: Vec<Leftover>,
    /// What the layout watches that no check covers, and what to check by hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<String>,
}

impl ReadinessReport {
    /// The worst status of the checks (Green when there are none).
    pub(crate) fn overall(&self) -> Status {
        Status::worst(self.checks.iter().map(|c| c.status))
    }

    pub fn count(&self, s: Status) -> usize {
        self.checks.iter().filter(|c| c.status == s).count()
    }

    /// Cost per day of everything left raised whose cost is known.
    pub fn leftover_cost_per_day(&self) -> f64 {
        // Folded from +0: an empty sum of floats is -0, which prints as `$-0.00`.
        self.leftovers
            .iter()
            .filter_map(|l| l.cost_per_day)
            .fold(0.0, |a, c| a + c)
    }
}
