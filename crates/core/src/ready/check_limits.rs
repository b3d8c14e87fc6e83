//! Service limits: for each quota of a service the layout uses, usage now and at the expected
//! peak against the quota; red at 80 % or more at the peak (the event-readiness rule), yellow
//! from 60 %. EC2 vCPUs at the peak add what each Auto Scaling tier still has to launch.

use super::facts::{Facts, QuotaFact};
use super::plan::plan;
use super::{by_share, catalog, check, needed, not_checked, num};
use crate::config::Layout;
use crate::config::readiness::{Readiness, TierKind};
use crate::model::readiness::{CheckGroup, ReadinessCheck};

/// vCPUs the region's Auto Scaling tiers add between now and the peak.
fn vcpus_to_launch(r: &Readiness, facts: &Facts, region: &str) -> f64 {
    r.tiers
        .iter()
        .filter(|t| t.kind == TierKind::Asg && t.region == region)
        .filter_map(|t| {
            let asg = facts
                .asgs
                .iter()
                .find(|a| a.name == t.name && a.region == t.region)?;
            let more = (needed(r, t)? - asg.desired).max(0.0);
            let per = asg.instance_type().and_then(catalog::vcpus).unwrap_or(1.0);
            Some(more * per)
        })
        .sum()
}

pub(crate) fn checks(layout: &Layout, r: &Readiness, facts: &Facts) -> Vec<ReadinessCheck> {
    plan(layout, r)
        .quotas
        .iter()
        .map(|(q, region)| {
            let id = format!("limits.{}.{region}", q.id);
            let title = format!("{} ({region})", q.label);
            let fact = facts
                .quotas
                .iter()
                .find(|f| f.quota == q.id && &f.region == region);
            if let Some(g) = facts.gap(&id) {
                return not_checked(id, CheckGroup::Limits, title, &g.detail);
            }
            match fact {
                Some(QuotaFact {
                    value: Some(value),
                    usage: Some(usage),
                    ..
                }) if *value > 0.0 => {
                    let extra = if q.id == "ec2_vcpu" {
                        vcpus_to_launch(r, facts, region)
                    } else {
                        0.0
                    };
                    judge(id, title, *value, *usage, usage + extra)
                }
                Some(f) => not_checked(
                    id,
                    CheckGroup::Limits,
                    title,
                    f.error.as_deref().unwrap_or("no quota value or usage"),
                ),
                None => not_checked(id, CheckGroup::Limits, title, "quota not read"),
            }
        })
        .collect()
}

fn judge(id: String, title: String, value: f64, usage: f64, peak: f64) -> ReadinessCheck {
    let now_pct = 100.0 * usage / value;
    let peak_pct = 100.0 * peak / value;
    let number = if (peak - usage).abs() < 1e-9 {
        format!(
            "{} of {} in use ({:.0}%), the same at the peak",
            num(usage),
            num(value),
            now_pct
        )
    } else {
        format!(
            "{} of {} in use now ({:.0}%), {} at the peak ({:.0}%)",
            num(usage),
            num(value),
            now_pct,
            num(peak),
            peak_pct
        )
    };
    let status = by_share(peak_pct);
    let want = (peak / 0.8).ceil();
    let action = format!(
        "request an increase to at least {} in Service Quotas before the event (usage at the peak must stay under 80%)",
        num(want)
    );
    check(id, CheckGroup::Limits, title, status, number, action)
}
