//! Auto Scaling groups and ECS services: `DescribeAutoScalingGroups` (every group of the
//! region, paginated and capped, so the count feeds the quota check too) and
//! `DescribeServices` of the tiers' services.

use aws_sdk_autoscaling::types::AutoScalingGroup;

use super::{MAX_PAGES, Part};
use crate::ready::facts::{AsgFact, EcsFact};
use crate::sources::CallError;

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
