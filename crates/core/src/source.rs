//! What a source is, in one place: one poller of one kind over one resource of the layout,
//! named `cloudwatch:<region>`, `elbv2:<target group>`, `ga:<accelerator>`, `waf:<web ACL>`,
//! `alarms:<region>`, `logs:<log group>` or `quotas:<region>` in `source_status` events, the
//! status board, `collect` and the simulator alike. [`layout_sources`] is the one function from a layout to the sources
//! it starts, used by the pollers, the status board and the simulator.

use std::fmt;
use std::time::Duration;

use crate::config::layout::{Layout, SeriesSource};
use crate::config::{QUOTA_SERIES_PREFIX, is_quota_series};
use crate::model::{EventBody, MetricBatch};

/// The kinds of poller, each with its own cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    Metrics,
    TargetHealth,
    GlobalAccelerator,
    WafSamples,
    Alarms,
    Logs,
    /// Service-quota usage (the `quota.<name>` series of `[readiness] quotas`).
    Quotas,
}

impl SourceKind {
    const ALL: [SourceKind; 7] = [
        SourceKind::Metrics,
        SourceKind::TargetHealth,
        SourceKind::GlobalAccelerator,
        SourceKind::WafSamples,
        SourceKind::Alarms,
        SourceKind::Logs,
        SourceKind::Quotas,
    ];

    /// Seconds between polls: metrics, WAF samples and logs 60; health and alarms 30; quotas
    /// 300 (`metric_window::QUOTA_PERIOD`).
    pub fn period(self) -> Duration {
        Duration::from_secs(match self {
            SourceKind::Quotas => u64::from(crate::metric_window::QUOTA_PERIOD),
            SourceKind::Metrics | SourceKind::WafSamples | SourceKind::Logs => 60,
            SourceKind::TargetHealth | SourceKind::GlobalAccelerator | SourceKind::Alarms => 30,
        })
    }

    /// The prefix of its sources' names.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            SourceKind::Metrics => "cloudwatch",
            SourceKind::TargetHealth => "elbv2",
            SourceKind::GlobalAccelerator => "ga",
            SourceKind::WafSamples => "waf",
            SourceKind::Alarms => "alarms",
            SourceKind::Logs => "logs",
            SourceKind::Quotas => "quotas",
        }
    }
}

/// One source: its kind and the resource it polls (a region for metrics, alarms and quotas,
/// else the layout id of the target group, accelerator, web ACL or log group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId {
    pub kind: SourceKind,
    pub key: String,
}

impl SourceId {
    pub fn new(kind: SourceKind, key: impl Into<String>) -> Self {
        SourceId {
            kind,
            key: key.into(),
        }
    }

    /// The CloudWatch metrics source of `region`.
    pub fn metrics(region: &str) -> Self {
        Self::new(SourceKind::Metrics, region)
    }

    /// Parses a name as written in `source_status` events; None for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        let (prefix, key) = name.split_once(':')?;
        let kind = SourceKind::ALL.into_iter().find(|k| k.prefix() == prefix)?;
        Some(Self::new(kind, key))
    }

    /// The source whose successful poll produced this observation (None for status, operator
    /// and summary events).
    pub fn of_event(body: &EventBody) -> Option<Self> {
        Some(match body {
            EventBody::Metrics(b) if is_quota_batch(b) => Self::new(SourceKind::Quotas, &b.region),
            EventBody::Metrics(b) => Self::metrics(&b.region),
            EventBody::TargetHealth(s) => Self::new(SourceKind::TargetHealth, &s.target_group),
            EventBody::GaEndpoints(s) => Self::new(SourceKind::GlobalAccelerator, &s.accelerator),
            EventBody::WafSample(b) => Self::new(SourceKind::WafSamples, &b.acl),
            EventBody::Alarms(s) => Self::new(SourceKind::Alarms, &s.region),
            EventBody::Logs(b) => Self::new(SourceKind::Logs, &b.group),
            EventBody::SourceStatus(_)
            | EventBody::Operator(_)
            | EventBody::Summary(_)
            | EventBody::SummaryDelivery(_)
            | EventBody::Room(_)
            | EventBody::Readiness(_)
            | EventBody::Tick => return None,
        })
    }
}

/// A batch of the quota source: every series in it is a watched quota (a layout series may not
/// take a `quota.` id).
fn is_quota_batch(b: &MetricBatch) -> bool {
    !b.series.is_empty()
        && b.series
            .iter()
            .all(|s| s.id.starts_with(QUOTA_SERIES_PREFIX))
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.prefix(), self.key)
    }
}

/// Every source the layout starts, in start order: one metrics source per region with metric
/// series, one per target group and accelerator, one per web ACL with `sample_rules` (the
/// others' counters come from CloudWatch), one alarms source per region when there are alarm
/// prefixes, one per log group, one quota source per region with watched quotas.
pub fn layout_sources(layout: &Layout) -> Vec<SourceId> {
    let mut out: Vec<SourceId> = Vec::new();
    let mut regions: Vec<&str> = layout
        .series
        .iter()
        .filter(|s| matches!(s.source, SeriesSource::Metric(_)) && !is_quota_series(s))
        .map(|s| s.region.as_str())
        .collect();
    regions.sort_unstable();
    regions.dedup();
    out.extend(regions.into_iter().map(SourceId::metrics));
    let ids = |kind, ids: &mut dyn Iterator<Item = &String>| -> Vec<SourceId> {
        ids.map(|id| SourceId::new(kind, id)).collect()
    };
    out.extend(ids(
        SourceKind::TargetHealth,
        &mut layout.target_groups.iter().map(|t| &t.id),
    ));
    out.extend(ids(
        SourceKind::GlobalAccelerator,
        &mut layout.accelerators.iter().map(|a| &a.id),
    ));
    out.extend(ids(
        SourceKind::WafSamples,
        &mut layout
            .web_acls
            .iter()
            .filter(|a| !a.sample_rules.is_empty())
            .map(|a| &a.id),
    ));
    if !layout.alarms.prefixes.is_empty() {
        out.extend(ids(SourceKind::Alarms, &mut layout.alarms.regions.iter()));
    }
    out.extend(ids(
        SourceKind::Logs,
        &mut layout.log_groups.iter().map(|g| &g.id),
    ));
    out.extend(
        crate::metric_window::quota_plan(layout)
            .into_keys()
            .map(|region| SourceId::new(SourceKind::Quotas, region)),
    );
    out
}

/// A stable 64-bit hash of a string (FNV-1a): poll offsets and simulated identifiers that must
/// not change between runs or machines.
pub fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
