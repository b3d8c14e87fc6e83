//! After the event: what it raised and has not been put back (the return-to-normal technical
//! track): quotas above AWS's default, Auto Scaling groups above their normal min, desired or
//! max, ECS services above their normal task count, each with its cost per day if left.

use super::catalog;
use super::facts::Facts;
use super::num;
use crate::config::readiness::{Readiness, Tier, TierKind};
use crate::model::readiness::Leftover;

const HOURS_PER_DAY: f64 = 24.0;

pub(crate) fn leftovers(r: &Readiness, facts: &Facts) -> Vec<Leftover> {
    let mut out = Vec::new();
    for q in &facts.quotas {
        if let (Some(v), Some(d)) = (q.value, q.default)
            && v > d
        {
            let label = catalog::quota(&q.quota).map_or(q.quota.as_str(), |d| d.label);
            out.push(Leftover {
                what: format!("quota {label}"),
                region: q.region.clone(),
                now: v,
                normal: d,
                cost_per_day: Some(0.0),
                action: format!(
                    "a raised quota costs nothing by itself; keep it or ask Service Quotas to return it to {}",
                    num(d)
                ),
            });
        }
    }
    for t in &r.tiers {
        match t.kind {
            TierKind::Asg => asg(t, facts, &mut out),
            TierKind::Ecs => ecs(t, facts, &mut out),
            TierKind::Rds | TierKind::Cache => {}
        }
    }
    out
}

fn asg(t: &Tier, facts: &Facts, out: &mut Vec<Leftover>) {
    let Some(a) = facts
        .asgs
        .iter()
        .find(|a| a.name == t.name && a.region == t.region)
    else {
        return;
    };
    let price = t
        .hourly_cost
        .or_else(|| a.instance_type().and_then(catalog::hourly_price));
    if let Some(n) = t.normal {
        if a.desired > n {
            out.push(Leftover {
                what: format!("ASG {} desired", a.name),
                region: a.region.clone(),
                now: a.desired,
                normal: n,
                cost_per_day: price.map(|p| (a.desired - n) * p * HOURS_PER_DAY),
                action: format!(
                    "scale {} back to desired {} (min {}) once return to normal holds",
                    a.name,
                    num(n),
                    num(n.min(a.min))
                ),
            });
        } else if a.min > n {
            out.push(Leftover {
                what: format!("ASG {} min", a.name),
                region: a.region.clone(),
                now: a.min,
                normal: n,
                cost_per_day: price.map(|p| (a.min - n) * p * HOURS_PER_DAY),
                action: format!("set {} min back to {}", a.name, num(n)),
            });
        }
    }
    if let Some(m) = t.normal_max
        && a.max > m
    {
        out.push(Leftover {
            what: format!("ASG {} max", a.name),
            region: a.region.clone(),
            now: a.max,
            normal: m,
            cost_per_day: Some(0.0),
            action: format!(
                "set {} max back to {} (and the alarms that follow it); no cost until it scales",
                a.name,
                num(m)
            ),
        });
    }
}

fn ecs(t: &Tier, facts: &Facts, out: &mut Vec<Leftover>) {
    let cluster = t.cluster.as_deref().unwrap_or_default();
    let (Some(n), Some(s)) = (
        t.normal,
        facts
            .ecs
            .iter()
            .find(|s| s.cluster == cluster && s.service == t.name && s.region == t.region),
    ) else {
        return;
    };
    if s.desired > n {
        out.push(Leftover {
            what: format!("ECS {cluster}/{} tasks", t.name),
            region: t.region.clone(),
            now: s.desired,
            normal: n,
            cost_per_day: t.hourly_cost.map(|p| (s.desired - n) * p * HOURS_PER_DAY),
            action: if s.strategy.eq_ignore_ascii_case("DAEMON") {
                format!(
                    "scale the cluster's container instances back to {} (DAEMON: one task each)",
                    num(n)
                )
            } else {
                format!("set the service's desired count back to {}", num(n))
            },
        });
    }
}
