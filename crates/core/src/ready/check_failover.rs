//! Detection and failover time: target-group health-check settings turned into "an unhealthy
//! target is noticed after N s", and Global Accelerator's into "traffic moves to another
//! region after M s", against the event's tolerance (green within it, yellow within twice it,
//! red beyond).

use super::facts::{Facts, TargetGroupFact};
use super::{check, not_checked};
use crate::config::Layout;
use crate::config::readiness::Readiness;
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck};

fn against(secs: i64, tolerance: i64) -> Status {
    if secs <= tolerance {
        Status::Green
    } else if secs <= 2 * tolerance {
        Status::Yellow
    } else {
        Status::Red
    }
}

/// Seconds until a dead target is marked unhealthy: the unhealthy threshold's checks, one
/// interval apart, the first starting up to one interval after the failure.
pub(crate) fn detection_secs(tg: &TargetGroupFact) -> i64 {
    tg.interval * tg.unhealthy_threshold
}

pub(crate) fn checks(layout: &Layout, r: &Readiness, facts: &Facts) -> Vec<ReadinessCheck> {
    let tol = r.failover_tolerance.num_seconds();
    let mut out = Vec::new();
    for t in &layout.target_groups {
        let id = format!("failover.tg.{}", t.name);
        let title = format!("target group {} ({})", t.name, t.region);
        if let Some(g) = facts.gap(&id) {
            out.push(not_checked(id, CheckGroup::Failover, title, &g.detail));
            continue;
        }
        let Some(tg) = facts
            .target_groups
            .iter()
            .find(|g| g.name == t.name && g.region == t.region)
        else {
            out.push(not_checked(
                id,
                CheckGroup::Failover,
                title,
                "target group not found",
            ));
            continue;
        };
        let n = detection_secs(tg);
        out.push(check(
            id,
            CheckGroup::Failover,
            title,
            against(n, tol),
            format!(
                "an unhealthy target is noticed after {n} s ({} x {} s checks), back in service after {} s; tolerance {tol} s",
                tg.unhealthy_threshold,
                tg.interval,
                tg.interval * tg.healthy_threshold
            ),
            "shorten the health check (HealthCheckIntervalSeconds 10, UnhealthyThresholdCount 2) so a dead target stops taking traffic within the tolerance",
        ));
    }
    for a in &layout.accelerators {
        for eg in &a.endpoint_groups {
            out.push(ga_group(
                layout,
                facts,
                &a.name,
                &eg.region,
                &eg.endpoint,
                tol,
            ));
        }
    }
    out
}

fn ga_group(
    layout: &Layout,
    facts: &Facts,
    acc: &str,
    region: &str,
    endpoint: &str,
    tol: i64,
) -> ReadinessCheck {
    let id = format!("failover.ga.{acc}.{region}");
    let title = format!("Global Accelerator {acc}, {region} group");
    if let Some(g) = facts.gap(&id) {
        return not_checked(id, CheckGroup::Failover, title, &g.detail);
    }
    let Some(g) = facts
        .ga_groups
        .iter()
        .find(|g| g.accelerator == acc && g.region == region)
    else {
        return not_checked(id, CheckGroup::Failover, title, "endpoint group not found");
    };
    let tg = layout
        .target_groups
        .iter()
        .find(|t| t.region == region && t.load_balancer == endpoint)
        .and_then(|t| {
            facts
                .target_groups
                .iter()
                .find(|f| f.name == t.name && f.region == t.region)
        });
    let (m, how) = match (g.alb_endpoints, tg) {
        (true, Some(tg)) => {
            let n = detection_secs(tg);
            (
                n + g.interval,
                format!(
                    "the load balancer's targets are noticed after {n} s, Global Accelerator follows within its {} s interval",
                    g.interval
                ),
            )
        }
        (true, None) => (
            g.interval * g.threshold,
            format!(
                "{} x {} s checks (the load balancer's own checks are not in the layout)",
                g.threshold, g.interval
            ),
        ),
        (false, _) => (
            g.interval * g.threshold,
            format!("{} x {} s health checks", g.threshold, g.interval),
        ),
    };
    check(
        id,
        CheckGroup::Failover,
        title,
        against(m, tol),
        format!("traffic moves to another region after {m} s ({how}); tolerance {tol} s"),
        "shorten the health checks behind the group (10 s interval, threshold 2 or 3): until they fail, users keep reaching the dead region",
    )
}
