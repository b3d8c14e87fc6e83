//! Turns the layout file's raw TOML shapes into the validated `Layout`: ids, regions, accounts,
//! resources, panels, return-to-normal criteria and summary sinks, collecting every problem
//! with its position. Series and metric math live in `load_series`; the runbook the layout
//! names is parsed by `runbook_parse` against the finished layout.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use toml::Spanned;

use super::error::Diagnostic;
use super::error::SourceFile;
use super::layout::{
    Accelerator, Account, Alarms, Contact, Criterion, EndpointGroupDef, EventInfo, Layout,
    LogGroup, Panel, ReturnToNormal, SeriesSource, SuccessCriterion, SummaryConfig, TargetGroup,
    WafScope, WebAcl,
};
use super::load_availability;
use super::load_checks as checks;
use super::loader::{Loader, condition};
use super::raw::{self, RawLayout, Str};
use super::resolve::Names;

/// Builds a layout from its parsed TOML, without the runbook.
pub fn build(path: &str, text: &str, raw: RawLayout) -> Result<Layout, Vec<Diagnostic>> {
    let mut l = Loader::new(SourceFile::new(path, text));
    let mut raw_event = raw.event.into_inner();
    let success = std::mem::take(&mut raw_event.success_criteria);
    let event = event(&mut l, raw_event);
    let accounts = accounts(&mut l, raw.account);
    let mut series = super::load_series::series(&mut l, raw.series, &accounts);
    let readiness = super::load_readiness::section(&mut l, raw.readiness, &accounts, &mut series);
    let mut health_ids = HashMap::new();
    let target_groups = raw
        .target_group
        .into_iter()
        .map(|t| target_group(&mut l, t, &accounts, &mut health_ids))
        .collect();
    let accelerators = raw
        .accelerator
        .into_iter()
        .map(|a| accelerator(&mut l, a, &accounts, &series, &mut health_ids))
        .collect();
    let web_acls = raw
        .web_acl
        .into_iter()
        .map(|w| web_acl(&mut l, w, &accounts, &mut health_ids))
        .collect();
    let log_groups = raw
        .log_group
        .into_iter()
        .map(|g| log_group(&mut l, g, &accounts, &mut health_ids))
        .collect();
    let alarms = alarms(&mut l, raw.alarms);
    let default_tz = event.tz();
    let mut layout = Layout {
        path: path.to_string(),
        text: text.to_string(),
        event,
        accounts,
        // Before `series` moves in: the section names series.
        availability: load_availability::section(&mut l, raw.availability.as_ref(), &series),
        series,
        target_groups,
        accelerators,
        web_acls,
        log_groups,
        alarms,
        panels: Vec::new(),
        return_to_normal: ReturnToNormal {
            streak: TimeDelta::minutes(15),
            criteria: Vec::new(),
        },
        summary: SummaryConfig {
            time_zone: default_tz,
            cadence: TimeDelta::hours(1),
            red_cadence: None,
            metrics: Vec::new(),
            leadership: Vec::new(),
            sinks: Vec::new(),
        },
        runbook: None,
        readiness,
    };
    if layout.alarms.regions.is_empty() && !layout.alarms.prefixes.is_empty() {
        layout.alarms.regions = workload_regions(&layout);
    }
    layout.panels = panels(&mut l, raw.panel, &layout);
    let names = Names::from_layout(&layout);
    if let Some(rtn) = raw.return_to_normal {
        layout.return_to_normal = return_to_normal(&mut l, rtn, &names);
    }
    layout.event.success_criteria = success_criteria(&mut l, success, &names);
    if let Some(s) = raw.summary {
        layout.summary = super::load_summary::summary(&mut l, s, default_tz, &layout.series);
    }
    if layout.summary.metrics.is_empty() {
        layout.summary.metrics = super::load_summary::default_metrics(&layout.series);
    }
    if l.errors.is_empty() {
        Ok(layout)
    } else {
        // Checks run by kind, not in file order: report in file order.
        l.errors.sort_by_key(|d| (d.line, d.col));
        l.errors.dedup();
        Err(l.errors)
    }
}

fn target_group(
    l: &mut Loader<'_>,
    t: raw::RawTargetGroup,
    accounts: &[Account],
    health_ids: &mut HashMap<String, usize>,
) -> TargetGroup {
    l.unique_id(&t.id, "health", health_ids);
    TargetGroup {
        region: l.region(&t.region).unwrap_or_default(),
        account: l.account(t.account.as_ref(), accounts),
        id: t.id.into_inner(),
        name: t.name,
        load_balancer: t.load_balancer,
    }
}

fn log_group(
    l: &mut Loader<'_>,
    g: raw::RawLogGroup,
    accounts: &[Account],
    health_ids: &mut HashMap<String, usize>,
) -> LogGroup {
    l.unique_id(&g.id, "health", health_ids);
    LogGroup {
        region: l.region(&g.region).unwrap_or_default(),
        account: l.account(g.account.as_ref(), accounts),
        id: g.id.into_inner(),
        name: g.name,
        filter: g.filter,
    }
}

fn alarms(l: &mut Loader<'_>, raw: Option<raw::RawAlarms>) -> Alarms {
    raw.map_or_else(Alarms::default, |a| Alarms {
        prefixes: a.prefixes,
        regions: a.regions.iter().filter_map(|r| l.region(r)).collect(),
    })
}

/// Regions where the workload runs: those of its resources and metric series, but not Global
/// Accelerator's API region unless something else lives there.
fn workload_regions(layout: &Layout) -> Vec<String> {
    let mut r: Vec<String> = layout
        .series
        .iter()
        .filter(|s| match &s.source {
            SeriesSource::Metric(q) => q.namespace != "AWS/GlobalAccelerator",
            SeriesSource::Math { .. } => false,
        })
        .map(|s| s.region.clone())
        .chain(layout.target_groups.iter().map(|t| t.region.clone()))
        .chain(layout.web_acls.iter().map(|w| w.region.clone()))
        .chain(layout.log_groups.iter().map(|g| g.region.clone()))
        .filter(|r| !r.is_empty())
        .collect();
    r.sort();
    r.dedup();
    r
}

fn event(l: &mut Loader<'_>, e: raw::RawEvent) -> EventInfo {
    let start_text = timestamp_text(l, &e.start, "start");
    let end_text = timestamp_text(l, &e.end, "end");
    let start = start_text.as_ref().and_then(|s| timestamp(l, s));
    let end = end_text.as_ref().and_then(|s| timestamp(l, s));
    if let (Some(s), Some(t), Some(st), Some(et)) = (start, end, &start_text, &end_text)
        && s >= t
    {
        l.err(
            et.span().start,
            format!(
                "event end \"{}\" is not after its start \"{}\"",
                et.get_ref(),
                st.get_ref()
            ),
            et.get_ref(),
            "end must be later than start (mind the UTC offsets)",
        );
    }
    let mut time_zones: Vec<Tz> = e.time_zones.iter().filter_map(|z| l.time_zone(z)).collect();
    if e.time_zones.is_empty() {
        time_zones.push(chrono_tz::UTC);
    }
    let (bridge_phone, bridge_url) = e.bridge.map_or((None, None), |b| (b.phone, b.url));
    let post_mortem = e
        .post_mortem
        .as_ref()
        .and_then(|v| timestamp_text(l, v, "post_mortem"))
        .and_then(|s| timestamp(l, &s));
    let availability_target = e
        .availability_target
        .as_ref()
        .and_then(|v| availability_target(l, v));
    EventInfo {
        name: e.name,
        start: start.unwrap_or_default(),
        end: end.unwrap_or_default(),
        time_zones,
        bridge_phone,
        bridge_url,
        success_criteria: Vec::new(),
        availability_target,
        post_mortem,
        contacts: e
            .contact
            .into_iter()
            .map(|c| Contact {
                role: c.role,
                name: c.name,
                phone: c.phone,
                email: c.email,
            })
            .collect(),
    }
}

/// `availability_target`: a percentage strictly between 0 and 100.
fn availability_target(l: &mut Loader<'_>, v: &Spanned<toml::Value>) -> Option<f64> {
    let n = match v.get_ref() {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    };
    match n {
        Some(p) if p > 0.0 && p < 100.0 => Some(p),
        _ => {
            let value = v.get_ref().to_string();
            l.err(
                v.span().start,
                format!("availability_target \"{value}\" is not a percentage between 0 and 100"),
                &value,
                "a number of percent, e.g. availability_target = 99.95",
            );
            None
        }
    }
}

/// A timestamp written as a string or as a TOML date-time, as text.
fn timestamp_text(l: &mut Loader<'_>, v: &Spanned<toml::Value>, key: &str) -> Option<Str> {
    let text = match v.get_ref() {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            let value = other.to_string();
            l.err(
                v.span().start,
                format!("wrong type for \"{key}\" in [event]: \"{value}\" is not a timestamp"),
                &value,
                "use RFC 3339 with a UTC offset: \"2026-06-13T20:00:00+09:00\"",
            );
            return None;
        }
    };
    Some(Spanned::new(v.span(), text))
}

fn timestamp(l: &mut Loader<'_>, s: &Str) -> Option<DateTime<Utc>> {
    let r = DateTime::parse_from_rfc3339(s.get_ref())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            (
                format!("invalid timestamp \"{}\"", s.get_ref()),
                "use RFC 3339 with a UTC offset: \"2026-06-13T20:00:00+09:00\"".to_string(),
            )
        });
    l.check(s, r)
}

fn accounts(l: &mut Loader<'_>, raw: Vec<Spanned<raw::RawAccount>>) -> Vec<Account> {
    let mut seen = HashMap::new();
    let mut out: Vec<Account> = raw
        .into_iter()
        .map(|a| {
            let a = a.into_inner();
            l.unique_id(&a.id, "account", &mut seen);
            if let Some(n) = &a.account_id {
                l.check(n, checks::check_account_id(n.get_ref()));
            }
            if let Some(r) = &a.role_arn {
                l.check(r, checks::check_role_arn(r.get_ref()));
            }
            Account {
                id: a.id.into_inner(),
                account_id: a.account_id.map(Spanned::into_inner),
                profile: a.profile,
                role_arn: a.role_arn.map(Spanned::into_inner),
            }
        })
        .collect();
    if out.is_empty() {
        // No [[account]]: one implicit account with the default credential chain.
        out.push(Account {
            id: "default".into(),
            account_id: None,
            profile: None,
            role_arn: None,
        });
    }
    out
}

fn accelerator(
    l: &mut Loader<'_>,
    a: raw::RawAccelerator,
    accounts: &[Account],
    series: &[super::layout::Series],
    health_ids: &mut HashMap<String, usize>,
) -> Accelerator {
    l.unique_id(&a.id, "health", health_ids);
    if a.endpoint_group.is_empty() {
        l.err(
            a.id.span().start,
            format!("accelerator \"{}\" has no endpoint_group", a.id.get_ref()),
            a.id.get_ref(),
            "list its groups: endpoint_group = [{ region = \"us-east-1\", endpoint = \"my-alb\" }]",
        );
    }
    let mut regions = std::collections::HashSet::new();
    let mut groups = Vec::new();
    for g in a.endpoint_group {
        if let Some(region) = l.region(&g.region)
            && !regions.insert(region.clone())
        {
            l.err(
                g.region.span().start,
                format!("duplicate endpoint group region \"{region}\""),
                &region,
                "an accelerator listener has one endpoint group per region",
            );
        }
        let dial = *g.dial.get_ref();
        if !(0.0..=100.0).contains(&dial) {
            l.err(
                g.dial.span().start,
                format!("traffic dial \"{dial}\" out of range"),
                &dial.to_string(),
                "dials are percentages from 0 to 100",
            );
        }
        if let Some(share) = &g.share
            && !series.iter().any(|s| &s.id == share.get_ref())
        {
            l.err(
                share.span().start,
                format!("unknown series \"{}\" as an endpoint group's share", share.get_ref()),
                share.get_ref(),
                "share names a series of the layout: the group's percent of the accelerator's traffic",
            );
        }
        groups.push(EndpointGroupDef {
            region: g.region.into_inner(),
            endpoint: g.endpoint,
            dial,
            weight: g.weight,
            share: g.share.map(Spanned::into_inner),
        });
    }
    Accelerator {
        account: l.account(a.account.as_ref(), accounts),
        id: a.id.into_inner(),
        name: a.name,
        endpoint_groups: groups,
    }
}

fn web_acl(
    l: &mut Loader<'_>,
    w: raw::RawWebAcl,
    accounts: &[Account],
    health_ids: &mut HashMap<String, usize>,
) -> WebAcl {
    l.unique_id(&w.id, "health", health_ids);
    let choices = [
        ("REGIONAL", WafScope::Regional),
        ("CLOUDFRONT", WafScope::Cloudfront),
    ];
    let scope = l
        .check(
            &w.scope,
            checks::choose("scope", w.scope.get_ref(), &choices),
        )
        .unwrap_or(WafScope::Regional);
    let region = match (scope, &w.region) {
        (WafScope::Cloudfront, None) => "us-east-1".to_string(),
        (WafScope::Cloudfront, Some(r)) if r.get_ref() != "us-east-1" => {
            l.err(
                r.span().start,
                format!(
                    "a CLOUDFRONT web ACL cannot be in region \"{}\"",
                    r.get_ref()
                ),
                r.get_ref(),
                "CLOUDFRONT web ACLs and their metrics live in us-east-1: remove `region`",
            );
            String::new()
        }
        (_, Some(r)) => l.region(r).unwrap_or_default(),
        (WafScope::Regional, None) => {
            l.err(
                w.id.span().start,
                format!("REGIONAL web ACL \"{}\" needs a region", w.id.get_ref()),
                w.id.get_ref(),
                "add `region = \"...\"` (the region of the load balancer it protects)",
            );
            String::new()
        }
    };
    WebAcl {
        account: l.account(w.account.as_ref(), accounts),
        id: w.id.into_inner(),
        name: w.name,
        scope,
        region,
        sample_rules: w.sample_rules,
    }
}

fn panels(l: &mut Loader<'_>, raw: Vec<raw::RawPanel>, layout: &Layout) -> Vec<Panel> {
    let mut seen = HashMap::new();
    let health: Vec<&str> = layout
        .target_groups
        .iter()
        .map(|t| t.id.as_str())
        .chain(layout.accelerators.iter().map(|a| a.id.as_str()))
        .chain(layout.web_acls.iter().map(|w| w.id.as_str()))
        .chain(layout.log_groups.iter().map(|g| g.id.as_str()))
        .chain(std::iter::once("alarms"))
        .collect();
    let series: Vec<&str> = layout.series.iter().map(|s| s.id.as_str()).collect();
    raw.into_iter()
        .map(|p| {
            l.unique_id(&p.id, "panel", &mut seen);
            for s in &p.series {
                known(l, s, &series, "series");
            }
            for h in &p.health {
                known(l, h, &health, "health source");
            }
            Panel {
                id: p.id.into_inner(),
                title: p.title,
                priority: p.priority,
                series: p.series.into_iter().map(Spanned::into_inner).collect(),
                health: p.health.into_iter().map(Spanned::into_inner).collect(),
            }
        })
        .collect()
}

/// An error at `s` unless it is one of `valid`: `unknown {what} "..."`, with the closest.
pub(super) fn known(l: &mut Loader<'_>, s: &Str, valid: &[&str], what: &str) {
    if valid.contains(&s.get_ref().as_str()) {
        return;
    }
    let close = super::suggest::closest_n(s.get_ref(), valid.iter().copied(), 3);
    let hint = if close.is_empty() {
        format!("{what} ids: {}", abbreviate(valid))
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    l.err(
        s.span().start,
        format!("unknown {what} \"{}\"", s.get_ref()),
        s.get_ref(),
        hint,
    );
}

fn abbreviate(v: &[&str]) -> String {
    if v.len() <= 8 {
        v.join(", ")
    } else {
        format!("{}, ... ({} in all)", v[..8].join(", "), v.len())
    }
}

fn return_to_normal(
    l: &mut Loader<'_>,
    r: raw::RawReturnToNormal,
    names: &Names,
) -> ReturnToNormal {
    let streak = r
        .streak
        .as_ref()
        .and_then(|s| l.duration(s, "streak"))
        .unwrap_or(TimeDelta::minutes(15));
    let criteria = r
        .criteria
        .into_iter()
        .filter_map(|c| {
            let expr = condition(l, &c.when, names)?;
            Some(Criterion {
                name: c.name,
                text: c.when.into_inner(),
                expr,
            })
        })
        .collect();
    ReturnToNormal { streak, criteria }
}

/// Success criteria: words alone, or words and a `when` condition parsed like any other.
fn success_criteria(
    l: &mut Loader<'_>,
    raw: Vec<raw::RawSuccess>,
    names: &Names,
) -> Vec<SuccessCriterion> {
    raw.into_iter()
        .filter_map(|c| match c {
            raw::RawSuccess::Text(text) => Some(SuccessCriterion { text, when: None }),
            raw::RawSuccess::Judged(c) => {
                let expr = condition(l, &c.when, names)?;
                Some(SuccessCriterion {
                    text: c.name,
                    when: Some((c.when.into_inner(), expr)),
                })
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
