//! The front of the workload: target groups' health-check settings (`DescribeTargetGroups`,
//! every group of the region, capped, so the count feeds the quota check; load balancers are
//! counted with `DescribeLoadBalancers`), Global Accelerator endpoint groups (`ListAccelerators`,
//! `ListListeners`, `ListEndpointGroups` in us-west-2; each load balancer endpoint's
//! `DescribeListeners` in its region) and web ACL rules (`ListWebACLs`,
//! `GetWebACL`).

use aws_sdk_wafv2::types::{Rule, Scope};

use super::{MAX_PAGES, Part};
use crate::config::layout::WafScope;
use crate::ready::facts::{AlbFact, GaGroupFact, TargetGroupFact, WafRuleFact, WebAclFact};
use crate::sources::CallError;

pub(crate) async fn target_groups(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    region: &str,
    names: &[String],
) -> Result<Part, CallError> {
    let mut part = Part::default();
    let mut count = 0;
    let mut pages = client
        .describe_target_groups()
        .page_size(400)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("DescribeTargetGroups", &e))?;
        count += page.target_groups().len();
        for g in page.target_groups() {
            let Some(name) = g
                .target_group_name()
                .filter(|x| names.iter().any(|n| n == x))
            else {
                continue;
            };
            part.facts.target_groups.push(TargetGroupFact {
                name: name.to_string(),
                region: region.to_string(),
                interval: i64::from(g.health_check_interval_seconds().unwrap_or(30)),
                timeout: i64::from(g.health_check_timeout_seconds().unwrap_or(5)),
                healthy_threshold: i64::from(g.healthy_threshold_count().unwrap_or(5)),
                unhealthy_threshold: i64::from(g.unhealthy_threshold_count().unwrap_or(2)),
                path: g.health_check_path().unwrap_or_default().to_string(),
            });
        }
        n += 1;
        if n >= MAX_PAGES {
            break;
        }
    }
    part.count("target_groups", region, count);
    let mut albs = 0;
    let mut pages = client
        .describe_load_balancers()
        .page_size(400)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("DescribeLoadBalancers", &e))?;
        albs += page
            .load_balancers()
            .iter()
            .filter(|l| l.r#type().is_none_or(|t| t.as_str() == "application"))
            .count();
        n += 1;
        if n >= MAX_PAGES {
            break;
        }
    }
    part.count("alb", region, albs);
    Ok(part)
}

/// Every accelerator (counted for the quota), and the endpoint groups of those named.
pub(crate) async fn accelerators(
    client: &aws_sdk_globalaccelerator::Client,
    elbv2: &std::collections::BTreeMap<String, aws_sdk_elasticloadbalancingv2::Client>,
    names: &[String],
) -> Result<Part, CallError> {
    let mut part = Part::default();
    let mut found = Vec::new();
    let mut count = 0;
    let mut pages = client
        .list_accelerators()
        .max_results(100)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("ListAccelerators", &e))?;
        count += page.accelerators().len();
        for a in page.accelerators() {
            if let (Some(name), Some(arn)) = (a.name(), a.accelerator_arn())
                && names.iter().any(|x| x == name)
            {
                found.push((name.to_string(), arn.to_string()));
            }
        }
        n += 1;
        if n >= MAX_PAGES {
            break;
        }
    }
    part.count("ga_accelerators", "us-east-1", count);
    for (name, arn) in found {
        for (l, ports) in listeners(client, &arn).await? {
            let out = client
                .list_endpoint_groups()
                .listener_arn(&l)
                .max_results(100)
                .send()
                .await
                .map_err(|e| CallError::from_sdk("ListEndpointGroups", &e))?;
            part.facts
                .ga_groups
                .extend(out.endpoint_groups().iter().map(|g| {
                    GaGroupFact {
                        accelerator: name.clone(),
                        region: g.endpoint_group_region().unwrap_or_default().to_string(),
                        interval: i64::from(g.health_check_interval_seconds().unwrap_or(30)),
                        threshold: i64::from(g.threshold_count().unwrap_or(3)),
                        alb_endpoints: g.endpoint_descriptions().iter().any(|d| {
                            d.endpoint_id()
                                .is_some_and(|i| i.contains(":loadbalancer/"))
                        }),
                        ports: ports.clone(),
                        endpoints: g
                            .endpoint_descriptions()
                            .iter()
                            .filter_map(|d| d.endpoint_id().map(ToString::to_string))
                            .collect(),
                    }
                }));
        }
    }
    let albs: Vec<String> = part
        .facts
        .ga_groups
        .iter()
        .flat_map(|g| g.endpoints.iter())
        .filter(|e| e.contains(":loadbalancer/app/"))
        .cloned()
        .collect();
    for arn in albs {
        if let Some(client) = elbv2.get(arn.split(':').nth(3).unwrap_or_default()) {
            part.facts.albs.push(alb_listeners(client, &arn).await?);
        }
    }
    Ok(part)
}

/// The accelerator's listeners with their port ranges.
async fn listeners(
    client: &aws_sdk_globalaccelerator::Client,
    arn: &str,
) -> Result<Vec<(String, Vec<(i32, i32)>)>, CallError> {
    let mut out = Vec::new();
    let mut pages = client
        .list_listeners()
        .accelerator_arn(arn)
        .max_results(100)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("ListListeners", &e))?;
        out.extend(page.listeners().iter().filter_map(|l| {
            let ports = l
                .port_ranges()
                .iter()
                .filter_map(|r| Some((r.from_port()?, r.to_port()?)))
                .collect();
            Some((l.listener_arn()?.to_string(), ports))
        }));
        n += 1;
        if n >= MAX_PAGES {
            break;
        }
    }
    Ok(out)
}

/// A load balancer endpoint's listeners (`DescribeListeners`, in the load balancer's region).
async fn alb_listeners(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    arn: &str,
) -> Result<AlbFact, CallError> {
    let mut fact = AlbFact {
        arn: arn.to_string(),
        name: arn.split('/').nth(2).unwrap_or(arn).to_string(),
        region: arn.split(':').nth(3).unwrap_or_default().to_string(),
        listeners: Vec::new(),
    };
    let mut pages = client
        .describe_listeners()
        .load_balancer_arn(arn)
        .page_size(400)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("DescribeListeners", &e))?;
        fact.listeners.extend(page.listeners().iter().map(|l| {
            (
                l.port().unwrap_or(0),
                l.protocol().map_or("", |p| p.as_str()).to_string(),
            )
        }));
        n += 1;
        if n >= MAX_PAGES {
            break;
        }
    }
    Ok(fact)
}

fn rule_fact(r: &Rule) -> WafRuleFact {
    let count_mode = r.action().is_some_and(|a| a.count().is_some())
        || r.override_action().is_some_and(|a| a.count().is_some());
    let rate_limit = r
        .statement()
        .and_then(|s| s.rate_based_statement())
        .map(|s| {
            (
                s.limit(),
                if s.evaluation_window_sec() > 0 {
                    s.evaluation_window_sec()
                } else {
                    300
                },
            )
        });
    WafRuleFact {
        name: r.name().to_string(),
        count_mode,
        rate_limit,
    }
}

/// The web ACL `name` with its rules (`region` is where its client is pinned).
pub(crate) async fn web_acl(
    client: &aws_sdk_wafv2::Client,
    name: &str,
    scope: WafScope,
    region: &str,
) -> Result<Part, CallError> {
    let arn = match crate::sources::waf::find_web_acl(client, name, scope).await {
        Ok(arn) => arn,
        Err(crate::sources::waf::WafError::Call(e)) => return Err(e),
        Err(other) => {
            return Err(super::failed("ListWebACLs", other.to_string()));
        }
    };
    let id = arn.rsplit('/').next().unwrap_or_default();
    let s = match scope {
        WafScope::Cloudfront => Scope::Cloudfront,
        WafScope::Regional => Scope::Regional,
    };
    let out = client
        .get_web_acl()
        .name(name)
        .scope(s)
        .id(id)
        .send()
        .await
        .map_err(|e| CallError::from_sdk("GetWebACL", &e))?;
    let mut part = Part::default();
    if let Some(acl) = out.web_acl() {
        part.facts.web_acls.push(WebAclFact {
            name: name.to_string(),
            region: region.to_string(),
            capacity: Some(acl.capacity()),
            rules: acl.rules().iter().map(rule_fact).collect(),
        });
    }
    Ok(part)
}

/// How many REGIONAL web ACLs the region has.
pub(crate) async fn count_web_acls(
    client: &aws_sdk_wafv2::Client,
    region: &str,
) -> Result<Part, CallError> {
    let mut count = 0;
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .list_web_acls()
            .scope(Scope::Regional)
            .limit(100)
            .set_next_marker(marker.clone())
            .send()
            .await
            .map_err(|e| CallError::from_sdk("ListWebACLs", &e))?;
        count += out.web_acls().len();
        marker = out.next_marker().map(ToString::to_string);
        if marker.is_none() || out.web_acls().is_empty() {
            break;
        }
    }
    let mut part = Part::default();
    part.count("waf_web_acls", region, count);
    Ok(part)
}
