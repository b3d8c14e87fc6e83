//! Readiness facts read from AWS: the layout's `ready::plan` turned into read-only SDK calls,
//! all made concurrently (one task per region and service), each answer reduced to the plain
//! `ready::facts` the checks judge. A call that fails becomes a `Gap` (its checks are "not
//! checked"), never an abort. Replies are paginated with a cap of [`MAX_PAGES`] pages.

pub(crate) mod alarms;
pub(crate) mod clients;
pub mod compute;
pub mod data;
pub mod edge;
pub mod quotas;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tokio::task::JoinSet;

pub use clients::ReadyClients;

use crate::config::Layout;
use crate::model::SourceState;
use crate::ready::facts::{Facts, Gap};
use crate::ready::plan::{Plan, plan};
use crate::sources::CallError;

/// Pages read at most from any paginated call.
pub(crate) const MAX_PAGES: usize = 20;

/// What one task read: facts, and resource counts (quota, region, count) for the quotas.
#[derive(Debug, Default)]
pub(crate) struct Part {
    pub(crate) facts: Facts,
    pub(crate) counts: Vec<(String, String, f64)>,
}

impl Part {
    pub(crate) fn count(&mut self, quota: &str, region: &str, n: usize) {
        self.counts
            .push((quota.to_string(), region.to_string(), n as f64));
    }

    fn gap(prefix: String, e: &CallError) -> Part {
        let mut p = Part::default();
        p.facts.gaps.push(Gap {
            prefix,
            detail: e.to_string(),
        });
        p
    }
}

/// A failure that is not an SDK error (a name not found while listing).
pub(crate) fn failed(op: &'static str, detail: String) -> CallError {
    CallError {
        op,
        state: SourceState::Error,
        detail,
    }
}

/// Runs `fut`; a failure becomes a gap over `prefix`.
fn spawn<F>(set: &mut JoinSet<Part>, prefixes: Vec<String>, fut: F)
where
    F: std::future::Future<Output = Result<Part, CallError>> + Send + 'static,
{
    set.spawn(async move {
        match fut.await {
            Ok(p) => p,
            Err(e) => {
                let mut out = Part::default();
                for p in prefixes {
                    out.facts.extend(Part::gap(p, &e).facts);
                }
                out
            }
        }
    });
}

fn by_region(items: &[(String, String)]) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (r, n) in items {
        m.entry(r.clone()).or_default().push(n.clone());
    }
    m
}

/// Reads everything the layout's readiness checks need, concurrently.
pub async fn gather(layout: &Layout, c: &ReadyClients, now: DateTime<Utc>) -> Facts {
    let p = plan(layout, &crate::ready::settings(layout));
    let mut set = JoinSet::new();
    spawn_compute(&p, c, now, &mut set);
    spawn_data(&p, c, &mut set);
    spawn_edge(layout, &p, c, &mut set);
    for (q, region) in p.quotas.clone() {
        let Some(rc) = c.region(&region) else {
            continue;
        };
        let sq = rc.quotas.clone();
        let cw = c.base.region(&region).map(|r| r.cloudwatch.clone());
        set.spawn(async move { quotas::quota(&sq, cw.as_ref(), q, &region, now).await });
    }
    let mut facts = Facts::default();
    let mut counts = Vec::new();
    while let Some(done) = set.join_next().await {
        if let Ok(part) = done {
            facts.extend(part.facts);
            counts.extend(part.counts);
        }
    }
    for q in &mut facts.quotas {
        if q.usage.is_none()
            && let Some((_, _, n)) = counts
                .iter()
                .find(|(id, r, _)| *id == q.quota && *r == q.region)
        {
            q.usage = Some(*n);
        }
    }
    facts
}

fn spawn_compute(p: &Plan, c: &ReadyClients, now: DateTime<Utc>, set: &mut JoinSet<Part>) {
    for (region, names) in by_region(&p.asgs) {
        let Some(rc) = c.region(&region) else {
            continue;
        };
        let client = rc.autoscaling.clone();
        let cw = c.base.region(&region).map(|r| r.cloudwatch.clone());
        let prefixes = names.iter().map(|n| format!("scaling.asg.{n}")).collect();
        spawn(set, prefixes, async move {
            let mut part = compute::asgs(&client, &region, &names).await?;
            if let Some(cw) = cw {
                compute::credit_balances(&cw, &mut part.facts.asgs, now).await;
            }
            Ok(part)
        });
    }
    let clusters: Vec<(String, String)> = p
        .ecs
        .iter()
        .map(|(r, cl, _)| (r.clone(), cl.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for (region, cluster) in clusters {
        let Some(rc) = c.region(&region) else {
            continue;
        };
        let client = rc.ecs.clone();
        let services: Vec<String> = p
            .ecs
            .iter()
            .filter(|(r, cl, _)| *r == region && *cl == cluster)
            .map(|(_, _, s)| s.clone())
            .collect();
        let prefixes = services
            .iter()
            .map(|s| format!("scaling.ecs.{cluster}.{s}"))
            .collect();
        spawn(set, prefixes, async move {
            compute::ecs(&client, &region, &cluster, &services).await
        });
    }
}

fn spawn_data(p: &Plan, c: &ReadyClients, set: &mut JoinSet<Part>) {
    for (region, ids) in by_region(&p.rds) {
        let Some(rc) = c.region(&region) else {
            continue;
        };
        let client = rc.rds.clone();
        let prefixes = ids.iter().map(|n| format!("data.rds.{n}")).collect();
        spawn(set, prefixes, async move {
            data::rds(&client, &region, &ids).await
        });
    }
    for (region, id) in p.caches.clone() {
        let Some(rc) = c.region(&region) else {
            continue;
        };
        let client = rc.elasticache.clone();
        spawn(set, vec![format!("data.cache.{id}")], async move {
            data::cache(&client, &region, &id).await
        });
    }
    if !p.dns_names.is_empty() {
        let client = c.route53.clone();
        let names = p.dns_names.clone();
        let prefixes = names.iter().map(|n| format!("dns.ttl.{n}")).collect();
        spawn(set, prefixes, async move {
            data::records(&client, &names).await
        });
    }
    for region in p.alarm_regions.clone() {
        let Some(rc) = c.base.region(&region) else {
            continue;
        };
        let client = rc.cloudwatch.clone();
        spawn(set, vec![format!("alarms.coverage.{region}")], async move {
            alarms::alarms(&client, &region).await
        });
    }
}

fn spawn_edge(layout: &Layout, p: &Plan, c: &ReadyClients, set: &mut JoinSet<Part>) {
    for (region, names) in by_region(&p.target_groups) {
        let Some(rc) = c.base.region(&region) else {
            continue;
        };
        let client = rc.elbv2.clone();
        let prefixes = names.iter().map(|n| format!("failover.tg.{n}")).collect();
        spawn(set, prefixes, async move {
            edge::target_groups(&client, &region, &names).await
        });
    }
    if !p.accelerators.is_empty() {
        let client = c.base.ga.clone();
        let elbv2: BTreeMap<String, _> = layout
            .accelerators
            .iter()
            .flat_map(|a| a.endpoint_groups.iter())
            .filter_map(|g| Some((g.region.clone(), c.base.region(&g.region)?.elbv2.clone())))
            .collect();
        let names = p.accelerators.clone();
        let prefixes = layout
            .accelerators
            .iter()
            .map(|a| format!("failover.ga.{}", a.name))
            .collect();
        spawn(set, prefixes, async move {
            edge::accelerators(&client, &elbv2, &names).await
        });
    }
    for (name, scope, region) in p.web_acls.clone() {
        let Some(client) = c.base.waf(scope, &region).cloned() else {
            continue;
        };
        spawn(set, vec![format!("waf.{name}")], async move {
            edge::web_acl(&client, &name, scope, &region).await
        });
    }
    for (q, region) in &p.quotas {
        if q.id != "waf_web_acls" {
            continue;
        }
        let Some(rc) = c.base.region(region) else {
            continue;
        };
        let client = rc.wafv2.clone();
        let region = region.clone();
        spawn(
            set,
            vec![format!("limits.waf_web_acls.{region}")],
            async move { edge::count_web_acls(&client, &region).await },
        );
    }
}

/// The regions a readiness run of `layout` needs clients in.
pub fn regions(layout: &Layout) -> Vec<String> {
    plan(layout, &crate::ready::settings(layout)).regions()
}

/// Reads the facts and judges them: the checks before the event, or (`after`) what the event
/// left raised.
pub async fn report(
    layout: &Layout,
    c: &ReadyClients,
    now: DateTime<Utc>,
    after: bool,
) -> crate::model::readiness::ReadinessReport {
    let facts = gather(layout, c, now).await;
    if after {
        crate::ready::evaluate_after(layout, &facts, now)
    } else {
        crate::ready::evaluate(layout, &facts, now)
    }
}

/// [`report`] with clients from the default chain (`profile` as `--profile`).
pub async fn report_with_profile(
    layout: &Layout,
    profile: Option<&str>,
    now: DateTime<Utc>,
    after: bool,
) -> crate::model::readiness::ReadinessReport {
    let c = ReadyClients::load(profile, &regions(layout)).await;
    report(layout, &c, now, after).await
}

#[cfg(test)]
mod tests;
