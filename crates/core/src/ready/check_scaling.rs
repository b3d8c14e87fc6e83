//! Scaling headroom: each Auto Scaling group's max against the capacity the expected peak
//! needs, its health-check type (ELB, not EC2), its AZ spread and its instance warm-up against
//! the ramp; each ECS service's desired and running tasks against what the peak needs.

use super::facts::{AsgFact, Facts};
use super::{check, needed, not_checked, num};
use crate::config::readiness::{Readiness, Tier, TierKind};
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck};

/// Seconds a launch takes before the instance boots (the reference saw 32 to 62 s).
const LAUNCH_SECS: i64 = 60;

pub(crate) fn checks(r: &Readiness, facts: &Facts) -> Vec<ReadinessCheck> {
    let mut out = Vec::new();
    for t in &r.tiers {
        match t.kind {
            TierKind::Asg => asg(r, t, facts, &mut out),
            TierKind::Ecs => out.push(ecs(r, t, facts)),
            TierKind::Rds | TierKind::Cache => {}
        }
    }
    out
}

fn asg(r: &Readiness, t: &Tier, facts: &Facts, out: &mut Vec<ReadinessCheck>) {
    let id = format!("scaling.asg.{}", t.name);
    let title = format!("ASG {} ({})", t.name, t.region);
    if let Some(g) = facts.gap(&id) {
        out.push(not_checked(id, CheckGroup::Scaling, title, &g.detail));
        return;
    }
    let Some(a) = facts
        .asgs
        .iter()
        .find(|a| a.name == t.name && a.region == t.region)
    else {
        out.push(check(
            id,
            CheckGroup::Scaling,
            title,
            Status::Red,
            format!("Auto Scaling group {} not found in {}", t.name, t.region),
            "fix the tier's name or region in [readiness]",
        ));
        return;
    };
    out.push(max_check(r, t, a, &id, &title));
    let elb = a.health_check_type.eq_ignore_ascii_case("ELB");
    out.push(check(
        format!("{id}.health"),
        CheckGroup::Scaling,
        format!("{title} health checks"),
        if elb { Status::Green } else { Status::Yellow },
        format!("health-check type {}", a.health_check_type),
        "set the group's health-check type to ELB (with a grace period): with EC2 checks an instance the load balancer marks unhealthy is never replaced",
    ));
    let zones = a.zones.len();
    out.push(check(
        format!("{id}.zones"),
        CheckGroup::Scaling,
        format!("{title} AZ spread"),
        if zones >= 2 {
            Status::Green
        } else {
            Status::Red
        },
        format!("{zones} Availability Zone(s): {}", a.zones.join(", ")),
        "add subnets in a second Availability Zone: one AZ's outage takes the whole tier down",
    ));
    if let (Some(ramp), Some(w)) = (r.ramp, a.warmup) {
        let ready_after = w + LAUNCH_SECS;
        let ramp_s = ramp.num_seconds();
        out.push(check(
            format!("{id}.warmup"),
            CheckGroup::Scaling,
            format!("{title} warm-up against the ramp"),
            if ready_after <= ramp_s {
                Status::Green
            } else {
                Status::Yellow
            },
            format!(
                "a new instance serves after about {ready_after} s (launch ~{LAUNCH_SECS} s + warm-up {w} s); the ramp is {ramp_s} s"
            ),
            "scale out ahead of the ramp (a scheduled action before the event): scaling on demand arrives after the peak",
        ));
    }
}

fn max_check(r: &Readiness, t: &Tier, a: &AsgFact, id: &str, title: &str) -> ReadinessCheck {
    let Some(need) = needed(r, t) else {
        return check(
            id,
            CheckGroup::Scaling,
            format!("{title} max"),
            Status::Yellow,
            format!(
                "min {} / desired {} / max {}; the capacity needed at the peak is not set",
                num(a.min),
                num(a.desired),
                num(a.max)
            ),
            "give the tier a capacity (instances needed at the peak) in [readiness]",
        );
    };
    let (status, words) = if a.max < need {
        (
            Status::Red,
            format!("max {} < {} needed at the peak", num(a.max), num(need)),
        )
    } else if a.max - need < (need * 0.1).max(1.0) {
        (
            Status::Yellow,
            format!(
                "max {} leaves no headroom over the {} needed at the peak",
                num(a.max),
                num(need)
            ),
        )
    } else {
        (
            Status::Green,
            format!(
                "max {} for {} needed at the peak (headroom {})",
                num(a.max),
                num(need),
                num(a.max - need)
            ),
        )
    };
    check(
        id,
        CheckGroup::Scaling,
        format!("{title} max"),
        status,
        format!("{words}; min {} / desired {}", num(a.min), num(a.desired)),
        format!(
            "raise the max to at least {} before the event (a scheduled action), and the alarm thresholds that follow it",
            num((need * 1.2).ceil())
        ),
    )
}

fn ecs(r: &Readiness, t: &Tier, facts: &Facts) -> ReadinessCheck {
    let cluster = t.cluster.as_deref().unwrap_or_default();
    let id = format!("scaling.ecs.{cluster}.{}", t.name);
    let title = format!("ECS {cluster}/{} ({})", t.name, t.region);
    if let Some(g) = facts.gap(&id) {
        return not_checked(id, CheckGroup::Scaling, title, &g.detail);
    }
    let Some(s) = facts
        .ecs
        .iter()
        .find(|s| s.cluster == cluster && s.service == t.name && s.region == t.region)
    else {
        return check(
            id,
            CheckGroup::Scaling,
            title,
            Status::Red,
            format!("service {} not found in cluster {cluster}", t.name),
            "fix the tier's name, cluster or region in [readiness]",
        );
    };
    let daemon = s.strategy.eq_ignore_ascii_case("DAEMON");
    let base = format!(
        "desired {} / running {} tasks ({})",
        num(s.desired),
        num(s.running),
        s.strategy
    );
    let (status, number) = match needed(r, t) {
        Some(need) if s.desired < need => (
            Status::Red,
            format!("{base} < {} needed at the peak", num(need)),
        ),
        Some(need) if s.running < s.desired => (
            Status::Yellow,
            format!("{base}: not all running; {} needed at the peak", num(need)),
        ),
        Some(need) => (
            Status::Green,
            format!("{base} for {} needed at the peak", num(need)),
        ),
        None => (
            Status::Yellow,
            format!("{base}; the capacity needed at the peak is not set"),
        ),
    };
    let action = if daemon {
        "DAEMON runs one task per container instance: scale the cluster's container instances before the event"
    } else {
        "raise the service's desired count (and its auto scaling max) before the event"
    };
    check(id, CheckGroup::Scaling, title, status, number, action)
}
