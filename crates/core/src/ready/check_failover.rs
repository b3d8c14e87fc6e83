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
            if let Some(c) = ga_ports(facts, &a.name, &eg.region) {
                out.push(c);
            }
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

/// The accelerator's listener ports against the listeners of each load balancer endpoint of
/// the group: a port the accelerator forwards and the load balancer does not listen on fails
/// every connection sent to that region (a failover included).
pub(super) fn ga_ports(facts: &Facts, acc: &str, region: &str) -> Option<ReadinessCheck> {
    let id = format!("failover.ga.{acc}.{region}.ports");
    let g = facts
        .ga_groups
        .iter()
        .find(|g| g.accelerator == acc && g.region == region && g.alb_endpoints)?;
    let title = format!("Global Accelerator {acc} listener ports, {region} endpoints");
    let ports: Vec<i32> = g
        .ports
        .iter()
        .flat_map(|(a, b)| *a..=(*b).min(*a + 64))
        .collect();
    let want = ports
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut bad = Vec::new();
    let mut good = Vec::new();
    for e in &g.endpoints {
        let Some(lb) = facts.albs.iter().find(|l| &l.arn == e) else {
            if let Some(gap) = facts.gap(&id) {
                return Some(not_checked(id, CheckGroup::Failover, title, &gap.detail));
            }
            continue;
        };
        let has: Vec<String> = lb
            .listeners
            .iter()
            .map(|(p, proto)| format!("{proto}:{p}"))
            .collect();
        let missing: Vec<String> = ports
            .iter()
            .filter(|p| !lb.listeners.iter().any(|(lp, _)| lp == *p))
            .map(ToString::to_string)
            .collect();
        if missing.is_empty() {
            good.push(lb.name.clone());
        } else {
            bad.push(format!(
                "{} has no listener on {} (listeners: {})",
                lb.name,
                missing.join(", "),
                if has.is_empty() {
                    "none".to_string()
                } else {
                    has.join(", ")
                }
            ));
        }
    }
    if bad.is_empty() && good.is_empty() {
        return None;
    }
    let (status, number) = if bad.is_empty() {
        (
            Status::Green,
            format!(
                "the accelerator listens on {want}; {} {} on it",
                good.join(", "),
                if good.len() == 1 { "listens" } else { "listen" }
            ),
        )
    } else {
        (
            Status::Red,
            format!("the accelerator listens on {want}; {}", bad.join("; ")),
        )
    };
    Some(check(
        id,
        CheckGroup::Failover,
        title,
        status,
        number,
        "add the load balancer listener the accelerator forwards to (GA on 443: an HTTPS:443 listener with the site's certificate), or traffic sent to this region fails on the port",
    ))
}
