//! Auto Scaling groups and ECS services: `DescribeAutoScalingGroups` (every group of the
//! region, paginated and capped, so the count feeds the quota check too) and
//! `DescribeServices` of the tiers' services; the CPU credit balance of burstable groups
//! (`GetMetricData`).

use aws_sdk_autoscaling::types::AutoScalingGroup;
use chrono::{DateTime, TimeDelta, Utc};

use super::{MAX_PAGES, Part};
use crate::ready::facts::{AsgFact, EcsFact};
use crate::sources::{CallError, to_aws};

fn asg_fact(g: &AutoScalingGroup, region: &str) -> AsgFact {
    let mut zones = g.availability_zones().to_vec();
    zones.sort();
    AsgFact {
        name: g.auto_scaling_group_name().unwrap_or_default().to_string(),
        region: region.to_string(),
        min: f64::from(g.min_size().unwrap_or(0)),
        max: f64::from(g.max_size().unwrap_or(0)),
        desired: f64::from(g.desired_capacity().unwrap_or(0)),
        health_check_type: g.health_check_type().unwrap_or("EC2").to_string(),
        zones,
        warmup: g
            .default_instance_warmup()
            .or(g.health_check_grace_period())
            .map(i64::from),
        instance_types: g
            .instances()
            .iter()
            .filter_map(|i| i.instance_type().map(ToString::to_string))
            .collect(),
        enabled_metrics: g
            .enabled_metrics()
            .iter()
            .filter_map(|m| m.metric().map(ToString::to_string))
            .collect(),
        credit_balance: None,
    }
}

/// The newest CPU credit balance of each burstable group (`AWS/EC2` `CPUCreditBalance` by
/// `AutoScalingGroupName`, Minimum over 5 minutes, the last hour), in one `GetMetricData`.
/// A group whose balance cannot be read keeps `None` (the check then assumes a full balance
/// and says so).
pub(crate) async fn credit_balances(
    client: &aws_sdk_cloudwatch::Client,
    asgs: &mut [AsgFact],
    now: DateTime<Utc>,
) {
    use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
    let burstable: Vec<usize> = (0..asgs.len())
        .filter(|i| asgs[*i].instance_type().is_some_and(|t| t.starts_with('t')))
        .collect();
    if burstable.is_empty() {
        return;
    }
    let queries = burstable
        .iter()
        .map(|i| {
            let metric = Metric::builder()
                .namespace("AWS/EC2")
                .metric_name("CPUCreditBalance")
                .dimensions(
                    Dimension::builder()
                        .name("AutoScalingGroupName")
                        .value(&asgs[*i].name)
                        .build(),
                )
                .build();
            MetricDataQuery::builder()
                .id(format!("c{i}"))
                .metric_stat(
                    MetricStat::builder()
                        .metric(metric)
                        .period(300)
                        .stat("Minimum")
                        .build(),
                )
                .build()
        })
        .collect();
    let Ok(out) = client
        .get_metric_data()
        .set_metric_data_queries(Some(queries))
        .start_time(to_aws(now - TimeDelta::hours(1)))
        .end_time(to_aws(now))
        .send()
        .await
    else {
        return;
    };
    for r in out.metric_data_results() {
        let Some(i) = r
            .id()
            .and_then(|id| id.strip_prefix('c'))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|i| *i < asgs.len())
        else {
            continue;
        };
        asgs[i].credit_balance = r
            .timestamps()
            .iter()
            .zip(r.values())
            .max_by_key(|(t, _)| (t.secs(), t.subsec_nanos()))
            .map(|(_, v)| *v);
    }
}

/// The named groups of `region`, and how many groups the region has.
pub(crate) async fn asgs(
    client: &aws_sdk_autoscaling::Client,
    region: &str,
    names: &[String],
) -> Result<Part, CallError> {
    let mut part = Part::default();
    let mut count = 0usize;
    let mut pages = client
        .describe_auto_scaling_groups()
        .max_records(100)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("DescribeAutoScalingGroups", &e))?;
        count += page.auto_scaling_groups().len();
        part.facts.asgs.extend(
            page.auto_scaling_groups()
                .iter()
                .filter(|g| {
                    g.auto_scaling_group_name()
                        .is_some_and(|x| names.iter().any(|n| n == x))
                })
                .map(|g| asg_fact(g, region)),
        );
        n += 1;
        if n >= MAX_PAGES {
            break;
        }
    }
    part.count("asg", region, count);
    Ok(part)
}

/// The tiers' services of one cluster (`DescribeServices` takes up to 10 at a time).
pub(crate) async fn ecs(
    client: &aws_sdk_ecs::Client,
    region: &str,
    cluster: &str,
    services: &[String],
) -> Result<Part, CallError> {
    let mut part = Part::default();
    for chunk in services.chunks(10) {
        let out = client
            .describe_services()
            .cluster(cluster)
            .set_services(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| CallError::from_sdk("DescribeServices", &e))?;
        part.facts.ecs.extend(out.services().iter().map(|s| {
            EcsFact {
                cluster: cluster.to_string(),
                service: s.service_name().unwrap_or_default().to_string(),
                region: region.to_string(),
                desired: f64::from(s.desired_count()),
                running: f64::from(s.running_count()),
                strategy: s
                    .scheduling_strategy()
                    .map_or("REPLICA", |x| x.as_str())
                    .to_string(),
            }
        }));
    }
    Ok(part)
}
