//! The data tier: `DescribeDBInstances` (every instance of the region, paginated and capped, so
//! the count feeds the quota check), `DescribeReplicationGroups` of the tiers' caches, and
//! Route 53 records of the event's names (`ListHostedZones`, `ListResourceRecordSets` from the
//! name on).

use super::{MAX_PAGES, Part};
use crate::ready::facts::{CacheFact, RdsFact, RecordFact};
use crate::sources::CallError;

pub(crate) async fn rds(
    client: &aws_sdk_rds::Client,
    region: &str,
    ids: &[String],
) -> Result<Part, CallError> {
    let mut part = Part::default();
    let mut count = 0usize;
    let mut pages = client
        .describe_db_instances()
        .max_records(100)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("DescribeDBInstances", &e))?;
        count += page.db_instances().len();
        for d in page.db_instances() {
            let Some(id) = d.db_instance_identifier() else {
                continue;
            };
            if ids.iter().any(|x| x == id) {
                part.facts.rds.push(RdsFact {
                    id: id.to_string(),
                    region: region.to_string(),
                    class: d.db_instance_class().unwrap_or_default().to_string(),
                    multi_az: d.multi_az().unwrap_or(false),
                    backup_retention_days: i64::from(d.backup_retention_period().unwrap_or(0)),
                    replica_of: d
                        .read_replica_source_db_instance_identifier()
                        .map(ToString::to_string),
                });
            }
        }
        n += 1;
        if n >= MAX_PAGES {
            break;
        }
    }
    part.count("rds_instances", region, count);
    Ok(part)
}

pub(crate) async fn cache(
    client: &aws_sdk_elasticache::Client,
    region: &str,
    id: &str,
) -> Result<Part, CallError> {
    let out = client
        .describe_replication_groups()
        .replication_group_id(id)
        .send()
        .await
        .map_err(|e| CallError::from_sdk("DescribeReplicationGroups", &e))?;
    let mut part = Part::default();
    part.facts
        .caches
        .extend(out.replication_groups().iter().map(|g| {
            CacheFact {
                id: g.replication_group_id().unwrap_or_default().to_string(),
                region: region.to_string(),
                nodes: g.member_clusters().len().max(
                    g.node_groups()
                        .iter()
                        .map(|n| n.node_group_members().len())
                        .sum(),
                ),
                automatic_failover: g
                    .automatic_failover()
                    .is_some_and(|a| a.as_str().eq_ignore_ascii_case("enabled")),
                multi_az: g
                    .multi_az()
                    .is_some_and(|a| a.as_str().eq_ignore_ascii_case("enabled")),
            }
        }));
    Ok(part)
}

/// `www.example.com.` and `www.example.com` are the same name.
fn bare(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The records named `names`, each looked up in the hosted zone whose name is its longest
/// suffix.
pub(crate) async fn records(
    client: &aws_sdk_route53::Client,
    names: &[String],
) -> Result<Part, CallError> {
    let mut zones: Vec<(String, String)> = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .list_hosted_zones()
            .set_marker(marker.clone())
            .max_items(100)
            .send()
            .await
            .map_err(|e| CallError::from_sdk("ListHostedZones", &e))?;
        zones.extend(
            out.hosted_zones()
                .iter()
                .map(|z| (bare(z.name()), z.id().to_string())),
        );
        marker = out.next_marker().map(ToString::to_string);
        if !out.is_truncated() || marker.is_none() {
            break;
        }
    }
    let mut part = Part::default();
    for name in names {
        let zone = zones
            .iter()
            .filter(|(z, _)| name == z || name.ends_with(&format!(".{z}")))
            .max_by_key(|(z, _)| z.len());
        let Some((_, zone_id)) = zone else { continue };
        let out = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .start_record_name(name)
            .max_items(20)
            .send()
            .await
            .map_err(|e| CallError::from_sdk("ListResourceRecordSets", &e))?;
        part.facts.records.extend(
            out.resource_record_sets()
                .iter()
                .filter(|r| bare(r.name()) == *name)
                .map(|r| RecordFact {
                    name: name.clone(),
                    kind: r.r#type().as_str().to_string(),
                    ttl: r.ttl(),
                    alias: r.alias_target().is_some(),
                }),
        );
    }
    Ok(part)
}
