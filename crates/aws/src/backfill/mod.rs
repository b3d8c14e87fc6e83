//! Backfill: a recording built from `CloudWatch` history for an event nobody recorded. Metric
//! history per region ([`metrics`], periods and windows by [`plan`]) and alarm state history
//! ([`alarms`]) become the same events a live collector writes, so `warroom replay` and
//! `warroom report` work on the result. History cannot give target-health or Global Accelerator
//! endpoint snapshots, WAF sampled requests or log lines: the header lists them
//! ([`NOT_IN_HISTORY`]) and the command says so. Reference: docs/report.md.

pub mod alarms;
pub mod metrics;
pub mod plan;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::config::Layout;
use crate::model::{EmbeddedFile, Event, FORMAT_NAME, FORMAT_VERSION, Header, Source};
use crate::sources::ClientSet;
use crate::sources::classify::CallError;

pub(crate) use metrics::RegionOutcome;

/// What CloudWatch history does not hold, as written in the header and said on stderr.
pub const NOT_IN_HISTORY: [&str; 4] = [
    "ALB target-health snapshots (DescribeTargetHealth has no history)",
    "Global Accelerator endpoint health and traffic dials (no history API)",
    "WAF sampled requests (GetSampledRequests keeps 3 hours only)",
    "error-log lines and counts (not backfilled)",
];

/// One `CloudWatch` client per region: a live `ClientSet`'s, mocks, or clients pointed at an
/// emulator (`AWS_ENDPOINT_URL` is honoured by aws-config).
pub type CloudWatchClients = BTreeMap<String, aws_sdk_cloudwatch::Client>;

/// The `CloudWatch` clients of a `ClientSet`.
pub fn clients_of(set: &ClientSet) -> CloudWatchClients {
    set.regions
        .iter()
        .map(|(r, c)| (r.clone(), c.cloudwatch.clone()))
        .collect()
}

/// Regions a backfill of `layout` calls: its metric regions and its alarm regions.
pub fn regions(layout: &Layout) -> Vec<String> {
    let mut r: Vec<String> = crate::metric_window::plan(layout).into_keys().collect();
    if !layout.alarms.prefixes.is_empty() {
        r.extend(layout.alarms.regions.iter().cloned());
    }
    r.sort();
    r.dedup();
    r
}

#[derive(Debug, thiserror::Error)]
pub enum BackfillError {
    #[error("no CloudWatch client for region {0}")]
    NoClient(String),
    #[error("every GetMetricData call failed; the first: {0}")]
    AllFailed(String),
    #[error("the window is empty: --to must be after --from")]
    EmptyWindow,
}

/// What a backfill produced.
#[derive(Debug, Default)]
pub struct Backfilled {
    /// Every event, in time order.
    pub events: Vec<Event>,
    pub regions: BTreeMap<String, RegionOutcome>,
    pub alarm_transitions: usize,
    /// Alarm history calls that failed, per region.
    pub alarm_errors: Vec<(String, CallError)>,
}

/// Backfills `layout` over `[from, to)` with data as old as `now` makes it (a `to` after `now`
/// is cut to `now`: what has not happened is not history).
pub async fn backfill(
    layout: &Layout,
    clients: &CloudWatchClients,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Backfilled, BackfillError> {
    let to = to.min(now);
    if to <= from {
        return Err(BackfillError::EmptyWindow);
    }
    let mut out = Backfilled::default();
    let mut first_error: Option<String> = None;
    for (region, plan) in crate::metric_window::plan(layout) {
        let client = clients
            .get(&region)
            .ok_or_else(|| BackfillError::NoClient(region.clone()))?;
        let mut events = Vec::new();
        let o = metrics::region(client, &plan, from, to, now, &mut events).await;
        if o.failed_calls > 0 && first_error.is_none() {
            first_error = events.iter().find_map(|e| match &e.body {
                crate::model::EventBody::SourceStatus(s) => s.detail.clone(),
                _ => None,
            });
        }
        out.events.extend(events);
        out.regions.insert(region, o);
    }
    let calls: usize = out.regions.values().map(|o| o.calls).sum();
    let failed: usize = out.regions.values().map(|o| o.failed_calls).sum();
    if calls > 0 && failed == calls {
        return Err(BackfillError::AllFailed(first_error.unwrap_or_default()));
    }
    if !layout.alarms.prefixes.is_empty() {
        for region in &layout.alarms.regions {
            let client = clients
                .get(region)
                .ok_or_else(|| BackfillError::NoClient(region.clone()))?;
            match alarms::history(client, &layout.alarms.prefixes, from, to).await {
                Ok(t) => {
                    out.alarm_transitions += t.len();
                    out.events.extend(alarms::snapshots(region, &t, from, to));
                }
                Err(e) => out.alarm_errors.push((region.clone(), e)),
            }
        }
    }
    out.events.sort_by_key(|e| e.at);
    Ok(out)
}

/// The header of a backfilled recording.
pub fn header(
    layout: EmbeddedFile,
    runbook: Option<EmbeddedFile>,
    regions: Vec<String>,
    profile: Option<String>,
    window: (DateTime<Utc>, DateTime<Utc>),
    created: DateTime<Utc>,
) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: format!("warroom {}", env!("CARGO_PKG_VERSION")),
        created,
        start: window.0,
        source: Source::Backfill {
            regions,
            profile,
            from: window.0,
            to: window.1,
            missing: NOT_IN_HISTORY.iter().map(ToString::to_string).collect(),
        },
        layout,
        runbook,
    }
}

#[cfg(test)]
mod tests;
