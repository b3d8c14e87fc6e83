//! `warroom check --aws`: every resource the layout names, looked up in its account and region
//! (load balancers and target groups to ARNs and their CloudWatch dimension values, accelerators,
//! web ACLs, log groups, alarms by prefix). A resource not found where the layout says is looked
//! for in the layout's other regions, so "wrong region" is told apart from "missing". Series
//! whose `LoadBalancer`/`TargetGroup` dimension differs from the real value get the value to paste.
//! Every metric series is then looked for in CloudWatch (`probe`).

use std::collections::BTreeMap;

use super::routes::Route;
use crate::config::layout::{Layout, SeriesSource, WafScope};
use crate::sources::lookup::{self, LookupError, dimension_of};
use crate::sources::{ClientSet, ga, waf};

/// What the lookup of one resource found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Found; the detail (ARN, dimension value, count) to show.
    Found(String),
    Missing,
    /// Not in the layout's region but in this one.
    WrongRegion(String),
    AccessDenied(String),
    Failed(String),
    /// A metric series with no data in CloudWatch under the layout's dimensions: why, and the
    /// nearest dimension values that have data.
    NoData(String),
}

impl Outcome {
    pub fn is_found(&self) -> bool {
        matches!(self, Outcome::Found(_))
    }
}

/// One resource of the layout and what its lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// `load balancer`, `target group`, `accelerator`, `web ACL`, `log group`, `alarms`.
    pub kind: &'static str,
    pub name: String,
    pub region: String,
    pub outcome: Outcome,
}

/// Series whose dimension is not the real value: the line to paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionFix {
    /// Series ids using the layout's value.
    pub series: Vec<String>,
    pub key: String,
    pub layout_value: String,
    pub real_value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub items: Vec<Resolution>,
    pub fixes: Vec<DimensionFix>,
    /// Metric series looked for in `ListMetrics` (those with no data are among `items`).
    pub series_checked: usize,
    /// Counters not listed yet though their resource is: never nonzero in two weeks.
    pub never_nonzero: Vec<String>,
}

impl Report {
    #[cfg(test)]
    /// Everything found and every dimension right.
    pub(crate) fn all_resolved(&self) -> bool {
        self.items.iter().all(|i| i.outcome.is_found()) && self.fixes.is_empty()
    }
}

/// The clients of `account`: its route, else the route serving every account.
pub(crate) fn clients_for<'a>(routes: &'a [Route], account: &str) -> Option<&'a ClientSet> {
    routes
        .iter()
        .find(|r| r.account.as_deref() == Some(account))
        .or_else(|| routes.iter().find(|r| r.account.is_none()))
        .map(|r| &r.clients)
}

fn outcome(r: Result<Option<String>, LookupError>) -> Outcome {
    match r {
        Ok(Some(x)) => Outcome::Found(x),
        Ok(None) => Outcome::Missing,
        Err(LookupError::AccessDenied(d)) => Outcome::AccessDenied(d),
        Err(LookupError::Failed(d)) => Outcome::Failed(d),
    }
}

/// `NAME` of an ELB dimension value `app/NAME/ID` or `targetgroup/NAME/ID`.
fn name_in_dimension(value: &str) -> Option<&str> {
    let mut parts = value.split('/');
    let (_, name) = (parts.next()?, parts.next()?);
    Some(name)
}

/// (account, region, name) -> layout series ids and values, per dimension key.
type Named = BTreeMap<(String, String, String), Vec<(String, String)>>;

fn dimension_uses(layout: &Layout, key: &str) -> Named {
    let mut out: Named = BTreeMap::new();
    for s in &layout.series {
        let SeriesSource::Metric(q) = &s.source else {
            continue;
        };
        for (k, v) in &q.dimensions {
            if k == key
                && let Some(name) = name_in_dimension(v)
            {
                out.entry((s.account.clone(), s.region.clone(), name.to_string()))
                    .or_default()
                    .push((s.id.clone(), v.clone()));
            }
        }
    }
    out
}

/// Looks up `name` with `find` in `region`, then, when missing there, in the layout's other
/// regions.
async fn with_region_probe<F, Fut>(
    clients: &ClientSet,
    region: &str,
    layout_regions: &[String],
    find: F,
) -> Outcome
where
    F: Fn(&crate::sources::RegionClients) -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, LookupError>>,
{
    let Some(c) = clients.region(region) else {
        return Outcome::Failed(format!("no client for region {region}"));
    };
    let here = outcome(find(c).await);
    if here != Outcome::Missing {
        return here;
    }
    for other in layout_regions.iter().filter(|r| r.as_str() != region) {
        if let Some(c) = clients.region(other)
            && let Ok(Some(_)) = find(c).await
        {
            return Outcome::WrongRegion(other.clone());
        }
    }
    Outcome::Missing
}

/// Resolves every resource of `layout` with the routes' clients.
pub async fn resolve(layout: &Layout, routes: &[Route]) -> Report {
    let mut report = Report::default();
    elb(layout, routes, &mut report).await;
    accelerators_and_acls(layout, routes, &mut report).await;
    logs_and_alarms(layout, routes, &mut report).await;
    super::probe::series(layout, routes, &mut report).await;
    report
}

fn push(report: &mut Report, kind: &'static str, name: &str, region: &str, outcome: Outcome) {
    report.items.push(Resolution {
        kind,
        name: name.to_string(),
        region: region.to_string(),
        outcome,
    });
}

fn no_credentials(account: &str) -> Outcome {
    Outcome::Failed(format!("no credentials for account {account}"))
}

/// Load balancers (named by target groups and series dimensions) and target groups, with the
/// dimension values to fix.
async fn elb(layout: &Layout, routes: &[Route], report: &mut Report) {
    let regions = layout.regions();
    let mut lbs = dimension_uses(layout, "LoadBalancer");
    for tg in &layout.target_groups {
        lbs.entry((
            tg.account.clone(),
            tg.region.clone(),
            tg.load_balancer.clone(),
        ))
        .or_default();
    }
    let mut tgs = dimension_uses(layout, "TargetGroup");
    for tg in &layout.target_groups {
        tgs.entry((tg.account.clone(), tg.region.clone(), tg.name.clone()))
            .or_default();
    }
    for (kind, key, named) in [
        ("load balancer", "LoadBalancer", &lbs),
        ("target group", "TargetGroup", &tgs),
    ] {
        for ((account, region, name), uses) in named {
            let o = match clients_for(routes, account) {
                None => no_credentials(account),
                Some(c) => {
                    with_region_probe(c, region, &regions, |rc| {
                        let client = rc.elbv2.clone();
                        let name = name.clone();
                        async move {
                            if key == "LoadBalancer" {
                                lookup::load_balancer(&client, &name).await
                            } else {
                                lookup::target_group(&client, &name).await
                            }
                        }
                    })
                    .await
                }
            };
            let o = match o {
                Outcome::Found(arn) => {
                    let real = dimension_of(&arn).unwrap_or(&arn).to_string();
                    report.fixes.extend(fixes(key, &real, uses));
                    Outcome::Found(real)
                }
                other => other,
            };
            push(report, kind, name, region, o);
        }
    }
}

/// The series using another value than `real`, grouped by the value they use.
fn fixes(key: &str, real: &str, uses: &[(String, String)]) -> Vec<DimensionFix> {
    let mut by_value: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, v) in uses {
        if v != real {
            by_value.entry(v).or_default().push(id.clone());
        }
    }
    by_value
        .into_iter()
        .map(|(v, series)| DimensionFix {
            series,
            key: key.to_string(),
            layout_value: v.to_string(),
            real_value: real.to_string(),
        })
        .collect()
}

async fn accelerators_and_acls(layout: &Layout, routes: &[Route], report: &mut Report) {
    let regions = layout.regions();
    for a in &layout.accelerators {
        let o = match clients_for(routes, &a.account) {
            None => no_credentials(&a.account),
            Some(c) => outcome(match ga::find_accelerator(&c.ga, &a.name).await {
                Ok(arn) => Ok(Some(arn)),
                Err(ga::GaError::NotFound { .. }) => Ok(None),
                Err(ga::GaError::Call(e)) => Err(LookupError::from_call(&e)),
            }),
        };
        push(
            report,
            "accelerator",
            &a.name,
            crate::config::GA_API_REGION,
            o,
        );
    }
    for acl in &layout.web_acls {
        let o = match clients_for(routes, &acl.account) {
            None => no_credentials(&acl.account),
            Some(c) => {
                let find = |client: aws_sdk_wafv2::Client| {
                    let name = acl.name.clone();
                    let scope = acl.scope;
                    async move {
                        match waf::find_web_acl(&client, &name, scope).await {
                            Ok(arn) => Ok(Some(arn)),
                            Err(waf::WafError::NotFound { .. }) => Ok(None),
                            Err(waf::WafError::Call(e)) => Err(LookupError::from_call(&e)),
                            Err(other) => Err(LookupError::Failed(other.to_string())),
                        }
                    }
                };
                match acl.scope {
                    WafScope::Cloudfront => outcome(find(c.waf_cloudfront.clone()).await),
                    WafScope::Regional => {
                        with_region_probe(c, &acl.region, &regions, |rc| find(rc.wafv2.clone()))
                            .await
                    }
                }
            }
        };
        let region = match acl.scope {
            WafScope::Cloudfront => "global (CloudFront)",
            WafScope::Regional => acl.region.as_str(),
        };
        push(report, "web ACL", &acl.name, region, o);
    }
}

async fn logs_and_alarms(layout: &Layout, routes: &[Route], report: &mut Report) {
    let regions = layout.regions();
    for g in &layout.log_groups {
        let o = match clients_for(routes, &g.account) {
            None => no_credentials(&g.account),
            Some(c) => {
                with_region_probe(c, &g.region, &regions, |rc| {
                    let client = rc.logs.clone();
                    let name = g.name.clone();
                    async move { lookup::log_group(&client, &name).await }
                })
                .await
            }
        };
        push(report, "log group", &g.name, &g.region, o);
    }
    // Alarms have no account in the layout: they are looked up with the first account's.
    let first_account = layout.accounts.first().map_or("", |a| a.id.as_str());
    let alarm_regions = layout.alarms.regions.join(", ");
    for prefix in &layout.alarms.prefixes {
        let mut found = Vec::new();
        for region in &layout.alarms.regions {
            let o = match clients_for(routes, first_account).and_then(|c| c.region(region)) {
                None => Outcome::Failed(format!("no client for region {region}")),
                Some(rc) => match lookup::alarm_count(&rc.cloudwatch, prefix).await {
                    Ok(0) => Outcome::Missing,
                    Ok(n) => Outcome::Found(format!("{n} in {region}")),
                    Err(e) => outcome(Err(e)),
                },
            };
            found.push(o);
        }
        let o = prefix_outcome(found);
        push(report, "alarms", &format!("{prefix}*"), &alarm_regions, o);
    }
}

/// A prefix resolves when it names alarms in one of the alarm regions: the layout lists the
/// prefixes and the regions once for all (`alert` may live in Seoul only, `BTS-` in both), so a
/// prefix absent from one region is no fault. A lookup that failed is said either way.
fn prefix_outcome(per_region: Vec<Outcome>) -> Outcome {
    let counts: Vec<String> = per_region
        .iter()
        .filter_map(|o| match o {
            Outcome::Found(d) => Some(d.clone()),
            _ => None,
        })
        .collect();
    let failed = per_region
        .into_iter()
        .find(|o| matches!(o, Outcome::AccessDenied(_) | Outcome::Failed(_)));
    match (counts.is_empty(), failed) {
        (false, None) => Outcome::Found(format!("alarms: {}", counts.join(", "))),
        (false, Some(f)) => Outcome::Found(format!(
            "alarms: {}; elsewhere: {}",
            counts.join(", "),
            match f {
                Outcome::AccessDenied(d) | Outcome::Failed(d) => d,
                _ => String::new(),
            }
        )),
        (true, Some(f)) => f,
        (true, None) => Outcome::Missing,
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
