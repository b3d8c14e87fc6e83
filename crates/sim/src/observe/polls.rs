//! What each source's poll records: metric batches (`metrics`), target-health snapshots, Global
//! Accelerator snapshots, WAF samples, alarm states, log lines and counts, watched quotas, and
//! source status on CloudWatch outages.

use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{
    EventBody, GaEndpoint, GaEndpointGroup, GaSnapshot, LogBatch, LogCount, SourceState,
    SourceStatus, TargetHealthSnapshot, WafSampleBatch,
};
use crate::world::World;

use super::metrics::{self, floor_minute};
use super::plan::{MetricSeries, Poll, Source};
use crate::config::layout::EndpointGroupDef;

/// Sampled requests kept per web ACL per poll.
const WAF_MAX: usize = 100;
/// Log lines kept per group per poll.
const LOG_LINES: usize = 20;

pub(crate) fn poll(world: &World, src: &Source, at: DateTime<Utc>) -> Vec<EventBody> {
    match &src.poll {
        Poll::Metrics { region, series } => metrics_poll(world, src, region, series, at),
        Poll::TargetHealth {
            id,
            name,
            load_balancer,
        } => world
            .target_health(name, at)
            .or_else(|| world.target_health(load_balancer, at))
            .map(|targets| {
                EventBody::TargetHealth(TargetHealthSnapshot {
                    target_group: id.clone(),
                    targets,
                })
            })
            .into_iter()
            .collect(),
        Poll::Ga { id, name, groups } => ga(world, id, name, groups, at),
        Poll::Waf { id, name, rules } => waf(world, id, name, rules, at),
        Poll::Alarms { region, prefixes } => {
            let alarms = world
                .alarms(region, at)
                .into_iter()
                .filter(|a| {
                    prefixes.is_empty() || prefixes.iter().any(|p| a.name.starts_with(p.as_str()))
                })
                .collect();
            vec![EventBody::Alarms(crate::model::AlarmSnapshot {
                region: region.clone(),
                alarms,
            })]
        }
        Poll::Logs { id, name } => logs(world, id, name, at),
        Poll::Quotas { region, series } => {
            vec![EventBody::Metrics(metrics::quota_batch(
                world, region, series, at,
            ))]
        }
    }
}

/// A region's metrics poll: its batch, and the source's status where the scripted CloudWatch
/// outage begins or ends.
fn metrics_poll(
    world: &World,
    src: &Source,
    region: &str,
    series: &[MetricSeries],
    at: DateTime<Utc>,
) -> Vec<EventBody> {
    let mut out = Vec::new();
    let now = world.metrics_outage(at);
    let before = world.metrics_outage(at - TimeDelta::seconds(src.period));
    if now && !before {
        out.push(EventBody::SourceStatus(SourceStatus {
            source: src.id.to_string(),
            state: SourceState::Throttled,
            detail: Some(
                "GetMetricData: ThrottlingException: Rate exceeded (no datapoints returned)".into(),
            ),
        }));
    } else if before && !now {
        out.push(EventBody::SourceStatus(SourceStatus {
            source: src.id.to_string(),
            state: SourceState::Ok,
            detail: None,
        }));
    }
    // The first poll after the outage reaches back to the last settled bucket of the last poll
    // before it, as the real poller does (`metric_window::region_window_since`).
    let resume = (before && !now)
        .then(|| world.metrics_outage_start().map(floor_minute))
        .flatten();
    out.push(EventBody::Metrics(metrics::batch(
        world, region, series, at, resume,
    )));
    out
}

/// The accelerator's snapshot: each endpoint group the layout names, as the world has it.
fn ga(
    world: &World,
    id: &str,
    name: &str,
    groups: &[EndpointGroupDef],
    at: DateTime<Utc>,
) -> Vec<EventBody> {
    if name != "BTS-AGA" {
        return Vec::new();
    }
    let state = world.ga_groups(at);
    let groups = groups
        .iter()
        .filter_map(|def| {
            let g = state.iter().find(|g| g.region == def.region)?;
            Some(GaEndpointGroup {
                region: g.region.clone(),
                dial: g.dial,
                endpoints: vec![GaEndpoint {
                    id: g.endpoint.clone(),
                    weight: g.weight,
                    health: g.health,
                }],
            })
        })
        .collect();
    vec![EventBody::GaEndpoints(GaSnapshot {
        accelerator: id.to_string(),
        groups,
    })]
}

fn waf(world: &World, id: &str, name: &str, rules: &[String], at: DateTime<Utc>) -> Vec<EventBody> {
    let end = floor_minute(at);
    let start = end - TimeDelta::seconds(60);
    let per_rule = WAF_MAX / rules.len().max(1);
    let mut population = 0;
    let mut requests = Vec::new();
    let mut known = false;
    for rule in rules {
        if let Some((p, r)) = world.sampled_requests(name, rule, start, end, per_rule) {
            known = true;
            population += p;
            requests.extend(r);
        }
    }
    if !known {
        return Vec::new();
    }
    requests.sort_by_key(|r| r.ts);
    vec![EventBody::WafSample(WafSampleBatch {
        acl: id.to_string(),
        start,
        end,
        population,
        requests,
    })]
}

fn logs(world: &World, id: &str, name: &str, at: DateTime<Utc>) -> Vec<EventBody> {
    let Some(lines) = world.log_lines(name, at - TimeDelta::seconds(60), at, LOG_LINES) else {
        return Vec::new();
    };
    let end = floor_minute(at);
    let counts = (1..=3)
        .rev()
        .filter_map(|k| {
            let ts = end - TimeDelta::seconds(60 * k);
            world
                .log_errors(name, ts)
                .map(|count| LogCount { ts, count })
        })
        .collect();
    vec![EventBody::Logs(LogBatch {
        group: id.to_string(),
        lines,
        counts,
    })]
}
