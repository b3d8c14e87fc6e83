//! What an Auto Scaling tier's instances carry into the peak: burstable CPU credits (T2, T3,
//! T3a, T4g in standard mode: how long the balance lasts at the expected CPU against the
//! event's length, for the instances running and those launched for the peak) and whether the
//! group publishes its group metrics (what the room's panels and scaling decisions read).

use super::catalog::{self, Burst};
use super::facts::{AsgFact, Facts};
use super::{check, needed, num};
use crate::config::Layout;
use crate::config::layout::SeriesSource;
use crate::config::readiness::{CreditMode, Readiness, Tier, TierKind};
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck};

/// CPU of each instance at the peak when the tier does not say (`peak_cpu`): what target
/// tracking on CPU is usually set to hold.
pub(crate) const DEFAULT_PEAK_CPU: f64 = 75.0;

pub(crate) fn checks(layout: &Layout, r: &Readiness, facts: &Facts) -> Vec<ReadinessCheck> {
    let mut out = Vec::new();
    for t in r.tiers.iter().filter(|t| t.kind == TierKind::Asg) {
        let id = format!("scaling.asg.{}", t.name);
        if facts.gap(&id).is_some() {
            continue;
        }
        let Some(a) = facts
            .asgs
            .iter()
            .find(|a| a.name == t.name && a.region == t.region)
        else {
            continue;
        };
        if let Some(c) = credits(layout, r, t, a, &id) {
            out.push(c);
        }
        out.push(group_metrics(layout, t, a, &id));
    }
    out
}

/// Hours in words: `46 min`, `3.7 h`.
fn hours(h: f64) -> String {
    if h < 1.0 {
        format!("{} min", (h * 60.0).floor())
    } else {
        format!("{} h", num((h * 10.0).floor() / 10.0))
    }
}

fn credits(
    layout: &Layout,
    r: &Readiness,
    tier: &Tier,
    group: &AsgFact,
    id: &str,
) -> Option<ReadinessCheck> {
    let itype = group.instance_type()?;
    let b: Burst = catalog::burst(itype)?;
    let id = format!("{id}.credits");
    let title = format!("ASG {} ({}) CPU credits", tier.name, tier.region);
    let (standard, why) = match tier.credit_mode {
        Some(m) => (m == CreditMode::Standard, "as the tier says"),
        None => (b.standard_by_default, "the family's default"),
    };
    let green = |number: String| {
        Some(check(
            &id,
            CheckGroup::Scaling,
            &title,
            Status::Green,
            number,
            "",
        ))
    };
    if !standard {
        return green(format!(
            "{itype} in unlimited credit mode ({why}): never held to its baseline, surplus CPU is billed"
        ));
    }
    let cpu = tier.peak_cpu.unwrap_or(DEFAULT_PEAK_CPU);
    let spent = b.vcpus * 60.0 * cpu / 100.0;
    let net = spent - b.earned_per_hour;
    let head = format!(
        "{itype}, standard credit mode ({why}): at {}% CPU an instance spends {} credits/h and earns {}",
        num(cpu),
        num(spent),
        num(b.earned_per_hour)
    );
    if net <= 0.0 {
        return green(format!("{head}: the balance does not fall"));
    }
    let event_h = (layout.event.end - layout.event.start).num_seconds() as f64 / 3600.0;
    let (worst, parts) = lasting(r, tier, group, &b, net);
    Some(check(
        id,
        CheckGroup::Scaling,
        title,
        if worst < event_h {
            Status::Red
        } else {
            Status::Green
        },
        format!("{head}; {parts}; the event lasts {}", hours(event_h)),
        format!(
            "switch the launch template to unlimited credits or a non-burstable type before the event: out of credits an instance is held to {}% CPU",
            num(100.0 * b.earned_per_hour / (60.0 * b.vcpus))
        ),
    ))
}

/// How long the credits last at `net` credits lost per hour: the running instances' balance
/// (read, else a full one) and the launch credits of those launched for the peak. The
/// shortest, in hours, and both in words.
fn lasting(r: &Readiness, tier: &Tier, group: &AsgFact, b: &Burst, net: f64) -> (f64, String) {
    let (balance, read) = group
        .credit_balance
        .map_or((b.max_balance, "a full balance of"), |x| (x, "hold"));
    let launched = needed(r, tier).map_or(0.0, |n| (n - group.desired).max(0.0));
    let mut worst = balance / net;
    let mut parts = vec![format!(
        "the {} running {read} {} ({})",
        num(group.desired),
        num(balance.floor()),
        hours(balance / net)
    )];
    if launched > 0.0 {
        worst = worst.min(b.launch_credits / net);
        parts.push(format!(
            "the {} launched for the peak start with {} ({})",
            num(launched),
            num(b.launch_credits),
            hours(b.launch_credits / net)
        ));
    }
    (worst, parts.join(", "))
}

fn group_metrics(layout: &Layout, t: &Tier, a: &AsgFact, id: &str) -> ReadinessCheck {
    let read: Vec<&str> = layout
        .series
        .iter()
        .filter_map(|s| match &s.source {
            SeriesSource::Metric(q)
                if q.namespace == "AWS/AutoScaling"
                    && s.region == t.region
                    && q.dimensions
                        .iter()
                        .any(|(k, v)| k == "AutoScalingGroupName" && v == &t.name) =>
            {
                Some(q.metric.as_str())
            }
            _ => None,
        })
        .collect();
    let missing: Vec<&str> = read
        .iter()
        .copied()
        .filter(|m| !a.enabled_metrics.iter().any(|e| e == m))
        .collect();
    let (status, number) = if a.enabled_metrics.is_empty() && read.is_empty() {
        (
            Status::Yellow,
            "group metrics off (nothing in the layout reads them)".to_string(),
        )
    } else if !missing.is_empty() {
        (
            Status::Red,
            format!(
                "group metrics {}: the layout reads {} from them",
                if a.enabled_metrics.is_empty() {
                    "off".to_string()
                } else {
                    format!("on for {} only", a.enabled_metrics.len())
                },
                missing.join(", ")
            ),
        )
    } else {
        (
            Status::Green,
            format!("{} group metrics on", a.enabled_metrics.len()),
        )
    };
    check(
        format!("{id}.metrics"),
        CheckGroup::Scaling,
        format!("ASG {} ({}) group metrics", t.name, t.region),
        status,
        number,
        "enable the group's metrics collection (EnableMetricsCollection, 1-minute granularity): without it GroupInServiceInstances and the rest stay empty on the room's panels",
    )
}
