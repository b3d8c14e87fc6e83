//! Alarms: every threshold the layout watches has a CloudWatch alarm on the same metric with an
//! action (someone is told), or is listed in `watched_on_screen`; alarms that cannot evaluate
//! (INSUFFICIENT_DATA) are flagged.

use super::facts::Facts;
use super::{check, not_checked};
use crate::config::Layout;
use crate::config::layout::SeriesSource;
use crate::config::readiness::Readiness;
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessCheck};

pub(crate) fn checks(layout: &Layout, r: &Readiness, facts: &Facts) -> Vec<ReadinessCheck> {
    let (mut out, matched) = coverage(layout, r, facts);
    out.extend(states(layout, facts, &matched));
    out
}

/// One check per watched threshold, and the names of the alarms matched to them.
fn coverage<'a>(
    layout: &Layout,
    r: &Readiness,
    facts: &'a Facts,
) -> (Vec<ReadinessCheck>, Vec<&'a str>) {
    let mut out = Vec::new();
    let mut matched: Vec<&str> = Vec::new();
    for s in &layout.series {
        if s.threshold.is_none()
            || r.screen_only.contains(&s.id)
            || crate::config::is_quota_series(s)
        {
            continue;
        }
        let id = format!("alarms.coverage.{}", s.id);
        let title = format!("alarm on {}", s.label);
        let SeriesSource::Metric(q) = &s.source else {
            out.push(check(
                id,
                CheckGroup::Alarms,
                title,
                Status::Yellow,
                "a metric-math series: no alarm can be matched to it",
                "alarm on its inputs (or the same math in CloudWatch) and list it in watched_on_screen",
            ));
            continue;
        };
        if let Some(g) = facts.gap(&format!("alarms.coverage.{}", s.region)) {
            out.push(not_checked(id, CheckGroup::Alarms, title, &g.detail));
            continue;
        }
        let mut dims = q.dimensions.clone();
        dims.sort();
        let found: Vec<_> = facts
            .alarms
            .iter()
            .filter(|a| {
                a.region == s.region
                    && a.namespace == q.namespace
                    && a.metric == q.metric
                    && a.dimensions == dims
            })
            .collect();
        matched.extend(found.iter().map(|a| a.name.as_str()));
        let with_action = found.iter().find(|a| a.actions > 0);
        let c = match (with_action, found.first()) {
            (Some(a), _) => check(
                id,
                CheckGroup::Alarms,
                title,
                Status::Green,
                format!("alarm {} ({} action(s))", a.name, a.actions),
                "",
            ),
            (None, Some(a)) => check(
                id,
                CheckGroup::Alarms,
                title,
                Status::Yellow,
                format!("alarm {} has no action: nobody is told", a.name),
                "add an SNS (or other) action to the alarm",
            ),
            (None, None) => check(
                id,
                CheckGroup::Alarms,
                title,
                Status::Red,
                format!(
                    "no CloudWatch alarm on {} {} in {}: only the screen watches it",
                    q.namespace, q.metric, s.region
                ),
                "create an alarm at the layout's threshold with an action, or list the series in watched_on_screen",
            ),
        };
        out.push(c);
    }
    (out, matched)
}

/// INSUFFICIENT_DATA among the matched alarms and those of the layout's prefixes.
fn states(layout: &Layout, facts: &Facts, matched: &[&str]) -> Vec<ReadinessCheck> {
    let mut names: Vec<&str> = facts
        .alarms
        .iter()
        .filter(|a| {
            matched.contains(&a.name.as_str())
                || layout.alarms.prefixes.iter().any(|p| a.name.starts_with(p))
        })
        .filter(|a| a.state == "INSUFFICIENT_DATA")
        .map(|a| a.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(|n| {
        check(
            format!("alarms.state.{n}"),
            CheckGroup::Alarms,
            format!("alarm {n}"),
            Status::Yellow,
            "INSUFFICIENT_DATA: it cannot fire",
            "check the alarm's metric, dimensions and period: an alarm without data never goes to ALARM",
        )
    })
    .collect()
}
