//! Readiness: is the workload ready for the event? Pure judgement of plain facts against the
//! layout's `[readiness]` section. `plan` says what must be read (the AWS side,
//! `warroom_aws::ready_aws`, reads it into `facts::Facts`); `checks` turns facts into the
//! readiness checklist (limits, scaling, failover, alarms, DNS and data tier, WAF, people);
//! `after`
//! lists what the event left raised; `render` prints the report as text, Markdown or JSON. No
//! SDK types, no terminal.

pub mod after;
pub mod catalog;
mod check_alarms;
mod check_data;
mod check_failover;
mod check_instances;
mod check_limits;
mod check_people;
mod check_scaling;
mod check_waf;
pub mod facts;
pub mod plan;
pub mod render;
mod unchecked;

use chrono::{DateTime, Utc};

use crate::config::Layout;
use crate::config::readiness::{Readiness, Tier};
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck, ReadinessMode, ReadinessReport};
use facts::Facts;

/// The `[readiness]` a layout without one is judged against (defaults only).
pub fn settings(layout: &Layout) -> Readiness {
    layout.readiness.clone().unwrap_or_else(|| Readiness {
        peak_multiple: None,
        peak_requests_per_minute: None,
        ramp: None,
        failover_tolerance: chrono::TimeDelta::seconds(90),
        peak_requests_per_ip: None,
        max_ttl: chrono::TimeDelta::seconds(60),
        dns_names: Vec::new(),
        screen_only: Vec::new(),
        skip: Vec::new(),
        tiers: Vec::new(),
        quotas: Vec::new(),
    })
}

/// The readiness report before the event: every check not skipped, in checklist order.
pub fn evaluate(layout: &Layout, facts: &Facts, at: DateTime<Utc>) -> ReadinessReport {
    let r = settings(layout);
    let mut all = Vec::new();
    all.extend(check_limits::checks(layout, &r, facts));
    all.extend(check_scaling::checks(&r, facts));
    all.extend(check_failover::checks(layout, &r, facts));
    all.extend(check_alarms::checks(layout, &r, facts));
    all.extend(check_data::checks(&r, facts));
    all.extend(check_instances::checks(layout, &r, facts));
    all.extend(check_waf::checks(layout, &r, facts));
    all.extend(check_people::checks(layout, at));
    let (skipped, mut checks): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| r.skips(&c.id));
    checks.sort_by_key(|c| c.group);
    ReadinessReport {
        event: layout.event.name.clone(),
        at,
        mode: ReadinessMode::Before,
        peak: peak_words(layout, &r),
        checks,
        skipped: skipped.into_iter().map(|c| c.id).collect(),
        leftovers: Vec::new(),
        unchecked: unchecked::unchecked(layout),
    }
}

/// The report after the event: what it raised and has not been put back.
pub fn evaluate_after(layout: &Layout, facts: &Facts, at: DateTime<Utc>) -> ReadinessReport {
    let r = settings(layout);
    ReadinessReport {
        event: layout.event.name.clone(),
        at,
        mode: ReadinessMode::After,
        peak: String::new(),
        checks: Vec::new(),
        skipped: Vec::new(),
        leftovers: after::leftovers(&r, facts),
        unchecked: Vec::new(),
    }
}

/// Requests per minute at the baseline: the sum of the baselines of the `RequestCount` series.
pub(crate) fn baseline_requests(layout: &Layout) -> Option<f64> {
    let sum: f64 = layout
        .series
        .iter()
        .filter(|s| {
            matches!(&s.source, crate::config::layout::SeriesSource::Metric(q) if q.metric == "RequestCount")
        })
        .filter_map(|s| s.baseline)
        .sum();
    (sum > 0.0).then_some(sum)
}

/// The expected peak in words.
fn peak_words(layout: &Layout, r: &Readiness) -> String {
    let base = baseline_requests(layout);
    match (r.peak_multiple, r.peak_requests_per_minute, base) {
        (Some(m), None, Some(b)) => format!(
            "{}x baseline: {} requests/min (baseline {})",
            num(m),
            num(m * b),
            num(b)
        ),
        (None, Some(p), Some(b)) => format!(
            "{} requests/min ({}x baseline {})",
            num(p),
            num(p / b),
            num(b)
        ),
        (Some(m), Some(p), _) => format!("{}x baseline: {} requests/min", num(m), num(p)),
        (Some(m), None, None) => format!("{}x baseline", num(m)),
        (None, Some(p), None) => format!("{} requests/min", num(p)),
        (None, None, _) => String::new(),
    }
}

/// What a tier needs at the peak: its `capacity`, else its `normal` times the peak multiple.
pub(crate) fn needed(r: &Readiness, t: &Tier) -> Option<f64> {
    t.capacity
        .or_else(|| Some((t.normal? * r.peak_multiple?).ceil()))
}

/// A number as people write it: `20,000`, `2.5`, `0.25`.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    if (x - x.round()).abs() < 1e-9 {
        let n = x.round() as i64;
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// One check.
pub(crate) fn check(
    id: impl Into<String>,
    group: CheckGroup,
    title: impl Into<String>,
    status: Status,
    number: impl Into<String>,
    action: impl Into<String>,
) -> ReadinessCheck {
    let action = if status == Status::Green {
        String::new()
    } else {
        action.into()
    };
    ReadinessCheck {
        id: id.into(),
        group,
        title: title.into(),
        status,
        number: number.into(),
        action,
    }
}

/// A check whose facts could not be read: yellow, "not checked", with why.
pub(crate) fn not_checked(
    id: impl Into<String>,
    group: CheckGroup,
    title: impl Into<String>,
    why: &str,
) -> ReadinessCheck {
    check(
        id,
        group,
        title,
        Status::Yellow,
        format!("not checked: {why}"),
        "fix access or the name, then run warroom ready again",
    )
}

/// Status by share used: red at 80 % or more, yellow at 60 %.
pub(crate) fn by_share(pct: f64) -> Status {
    if pct >= 80.0 {
        Status::Red
    } else if pct >= 60.0 {
        Status::Yellow
    } else {
        Status::Green
    }
}

#[cfg(test)]
mod tests;
