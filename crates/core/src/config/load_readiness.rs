//! Parses and validates the layout's `[readiness]` section into `readiness::Readiness`: tiers
//! (kind, name, region, capacities), durations, the DNS names, the series watched on the
//! screen only, the checks to skip and the quotas watched live, every problem with its
//! position. Quotas watched live become `quota.<name>` series (`quota_series`).

use std::collections::HashMap;

use chrono::TimeDelta;
use serde::Deserialize;
use toml::Spanned;

use super::layout::{Absent, Account, MetricQuery, Series, SeriesSource, Threshold, Unit};
use super::load_checks as checks;
use super::loader::Loader;
use super::raw::Str;
use super::readiness::{
    CreditMode, QUOTA_SERIES_PREFIX, QuotaWatch, Readiness, SKIPPABLE, Tier, TierKind,
};
use crate::ready::catalog;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReadiness {
    pub(crate) peak_multiple: Option<Spanned<f64>>,
    pub(crate) peak_requests_per_minute: Option<Spanned<f64>>,
    pub(crate) ramp: Option<Str>,
    pub(crate) failover_tolerance: Option<Str>,
    pub(crate) peak_requests_per_ip: Option<Spanned<f64>>,
    pub(crate) max_ttl: Option<Str>,
    #[serde(default)]
    pub(crate) dns_names: Vec<Str>,
    #[serde(default)]
    pub(crate) watched_on_screen: Vec<Str>,
    #[serde(default)]
    pub(crate) skip: Vec<Str>,
    #[serde(default)]
    pub(crate) quotas: Vec<Spanned<RawQuotaWatch>>,
    #[serde(default)]
    pub(crate) tier: Vec<RawTier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTier {
    pub(crate) id: Str,
    pub(crate) kind: Str,
    pub(crate) name: Str,
    pub(crate) cluster: Option<Str>,
    pub(crate) region: Str,
    pub(crate) account: Option<Str>,
    pub(crate) capacity: Option<Spanned<f64>>,
    pub(crate) normal: Option<Spanned<f64>>,
    pub(crate) normal_max: Option<Spanned<f64>>,
    pub(crate) max_connections: Option<Spanned<f64>>,
    pub(crate) hourly_cost: Option<Spanned<f64>>,
    /// Connections each unit opens to the RDS tiers it names: `uses = { db = 4 }`.
    #[serde(default)]
    pub(crate) uses: std::collections::BTreeMap<String, Spanned<f64>>,
    pub(crate) peak_cpu: Option<Spanned<f64>>,
    pub(crate) credit_mode: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuotaWatch {
    pub(crate) quota: Str,
    pub(crate) region: Str,
    pub(crate) id: Option<Str>,
    pub(crate) account: Option<Str>,
}

const KINDS: [(&str, TierKind); 4] = [
    ("asg", TierKind::Asg),
    ("ecs", TierKind::Ecs),
    ("rds", TierKind::Rds),
    ("cache", TierKind::Cache),
];

/// A positive number, or an error at it.
fn positive(l: &mut Loader<'_>, v: Option<&Spanned<f64>>, what: &str) -> Option<f64> {
    let v = v?;
    let x = *v.get_ref();
    if x.is_finite() && x > 0.0 {
        Some(x)
    } else {
        let text = x.to_string();
        l.err(
            v.span().start,
            format!("{what} must be a positive number, not {text}"),
            &text,
            format!("give {what} as a number greater than 0"),
        );
        None
    }
}

/// The `[readiness]` section, if any; its watched quotas are added to `series`.
pub(crate) fn section(
    l: &mut Loader<'_>,
    raw: Option<RawReadiness>,
    accounts: &[Account],
    series: &mut Vec<Series>,
) -> Option<Readiness> {
    let r = readiness(l, raw?, accounts, series);
    series.extend(r.quotas.iter().filter_map(quota_series));
    Some(r)
}

pub(crate) fn readiness(
    l: &mut Loader<'_>,
    r: RawReadiness,
    accounts: &[Account],
    series: &[Series],
) -> Readiness {
    let peak_multiple = positive(l, r.peak_multiple.as_ref(), "peak_multiple");
    let peak_requests_per_minute = positive(
        l,
        r.peak_requests_per_minute.as_ref(),
        "peak_requests_per_minute",
    );
    let ramp = r.ramp.as_ref().and_then(|s| l.duration(s, "ramp"));
    let failover_tolerance = r
        .failover_tolerance
        .as_ref()
        .and_then(|s| l.duration(s, "failover_tolerance"))
        .unwrap_or(TimeDelta::seconds(90));
    let max_ttl = r
        .max_ttl
        .as_ref()
        .and_then(|s| l.duration(s, "max_ttl"))
        .unwrap_or(TimeDelta::seconds(60));
    let peak_requests_per_ip = positive(l, r.peak_requests_per_ip.as_ref(), "peak_requests_per_ip");
    let dns_names = r.dns_names.iter().filter_map(|n| dns_name(l, n)).collect();
    let screen_only = r
        .watched_on_screen
        .iter()
        .filter(|s| known_series(l, s, series))
        .map(|s| s.get_ref().clone())
        .collect();
    let skip = r
        .skip
        .iter()
        .filter(|s| skippable(l, s))
        .map(|s| s.get_ref().clone())
        .collect();
    let mut ids = HashMap::new();
    let rds_ids: Vec<String> = r
        .tier
        .iter()
        .filter(|t| t.kind.get_ref() == "rds")
        .map(|t| t.id.get_ref().clone())
        .collect();
    let tiers = r
        .tier
        .into_iter()
        .filter_map(|t| tier(l, t, accounts, &mut ids, &rds_ids))
        .collect();
    let quotas = r
        .quotas
        .into_iter()
        .filter_map(|q| quota_watch(l, q.into_inner(), accounts, series))
        .collect();
    Readiness {
        peak_multiple,
        peak_requests_per_minute,
        ramp,
        failover_tolerance,
        peak_requests_per_ip,
        max_ttl,
        dns_names,
        screen_only,
        skip,
        tiers,
        quotas,
    }
}

fn dns_name(l: &mut Loader<'_>, n: &Str) -> Option<String> {
    let name = n.get_ref().trim_end_matches('.').to_ascii_lowercase();
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|p| {
            !p.is_empty()
                && p.len() <= 63
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*' || c == '_')
        });
    if ok {
        Some(name)
    } else {
        l.err(
            n.span().start,
            format!("invalid DNS name \"{}\"", n.get_ref()),
            n.get_ref(),
            "name records as they are in Route 53: www.example.com",
        );
        None
    }
}

fn known_series(l: &mut Loader<'_>, s: &Str, series: &[Series]) -> bool {
    if series.iter().any(|x| &x.id == s.get_ref()) {
        return true;
    }
    let hint = super::suggest::closest(s.get_ref(), series.iter().map(|x| x.id.as_str()))
        .map_or_else(
            || "name series ids of this layout".to_string(),
            |c| format!("did you mean {c}?"),
        );
    l.err(
        s.span().start,
        format!("unknown series \"{}\" in watched_on_screen", s.get_ref()),
        s.get_ref(),
        hint,
    );
    false
}

fn skippable(l: &mut Loader<'_>, s: &Str) -> bool {
    let v = s.get_ref().as_str();
    let quota_check = v
        .strip_prefix("limits.")
        .is_some_and(|q| catalog::quota(q).is_some());
    if SKIPPABLE.contains(&v) || quota_check {
        return true;
    }
    let quota_ids: Vec<String> = catalog::QUOTAS
        .iter()
        .map(|q| format!("limits.{}", q.id))
        .collect();
    let all = SKIPPABLE
        .iter()
        .copied()
        .chain(quota_ids.iter().map(String::as_str));
    let hint = super::suggest::closest(v, all).map_or_else(
        || format!("checks: {}", SKIPPABLE.join(", ")),
        |c| format!("did you mean {c}?"),
    );
    l.err(
        s.span().start,
        format!("unknown readiness check \"{v}\" in skip"),
        v,
        hint,
    );
    false
}

const CREDIT_MODES: [(&str, CreditMode); 2] = [
    ("standard", CreditMode::Standard),
    ("unlimited", CreditMode::Unlimited),
];

/// `uses = { db = 4 }`: each key an RDS tier of the section, each value a positive count.
fn uses(
    l: &mut Loader<'_>,
    raw: &std::collections::BTreeMap<String, Spanned<f64>>,
    rds_ids: &[String],
) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for (id, n) in raw {
        let Some(x) = positive(l, Some(n), "uses") else {
            continue;
        };
        if rds_ids.iter().any(|r| r == id) {
            out.push((id.clone(), x));
        } else {
            l.err(
                n.span().start,
                format!("uses names \"{id}\", which is not an rds tier of [readiness]"),
                id,
                format!("rds tiers: {}", rds_ids.join(", ")),
            );
        }
    }
    out
}

fn tier(
    l: &mut Loader<'_>,
    t: RawTier,
    accounts: &[Account],
    ids: &mut HashMap<String, usize>,
    rds_ids: &[String],
) -> Option<Tier> {
    l.unique_id(&t.id, "tier", ids);
    let kind = l.check(
        &t.kind,
        checks::choose("tier kind", t.kind.get_ref(), &KINDS),
    );
    let region = l.region(&t.region);
    let account = l.account(t.account.as_ref(), accounts);
    let capacity = positive(l, t.capacity.as_ref(), "capacity");
    let normal = positive(l, t.normal.as_ref(), "normal");
    let normal_max = positive(l, t.normal_max.as_ref(), "normal_max");
    let max_connections = positive(l, t.max_connections.as_ref(), "max_connections");
    let hourly_cost = positive(l, t.hourly_cost.as_ref(), "hourly_cost");
    let uses = uses(l, &t.uses, rds_ids);
    let peak_cpu = positive(l, t.peak_cpu.as_ref(), "peak_cpu").map(|x| x.min(100.0));
    let credit_mode = t
        .credit_mode
        .as_ref()
        .and_then(|m| l.check(m, checks::choose("credit_mode", m.get_ref(), &CREDIT_MODES)));
    let kind = kind?;
    if kind == TierKind::Ecs && t.cluster.is_none() {
        l.err(
            t.kind.span().start,
            format!("ecs tier \"{}\" names no cluster", t.id.get_ref()),
            t.kind.get_ref(),
            "add cluster = \"<ECS cluster name>\"",
        );
    }
    if kind != TierKind::Ecs
        && let Some(c) = &t.cluster
    {
        l.err(
            c.span().start,
            format!("cluster applies to ecs tiers only, not {}", kind.name()),
            c.get_ref(),
            "remove it",
        );
    }
    Some(Tier {
        id: t.id.into_inner(),
        kind,
        name: t.name.into_inner(),
        cluster: t.cluster.map(Spanned::into_inner),
        region: region?,
        account,
        capacity,
        normal,
        normal_max,
        max_connections,
        hourly_cost,
        uses,
        peak_cpu,
        credit_mode,
    })
}

fn quota_watch(
    l: &mut Loader<'_>,
    q: RawQuotaWatch,
    accounts: &[Account],
    series: &[Series],
) -> Option<QuotaWatch> {
    let region = l.region(&q.region);
    let account = l.account(q.account.as_ref(), accounts);
    let name = q.quota.get_ref();
    if !catalog::watchable().any(|d| d.id == name) {
        let ids: Vec<&str> = catalog::watchable().map(|d| d.id).collect();
        l.err(
            q.quota.span().start,
            format!("quota \"{name}\" cannot be watched live"),
            name,
            format!(
                "quotas with an AWS/Usage metric: {} (see docs/readiness.md)",
                ids.join(", ")
            ),
        );
        return None;
    }
    let id = match &q.id {
        None => format!("{QUOTA_SERIES_PREFIX}{name}"),
        Some(id) => {
            let ok = id.get_ref().starts_with(QUOTA_SERIES_PREFIX)
                && l.check(id, checks::check_id(id.get_ref())).is_some();
            if !ok {
                l.err(
                    id.span().start,
                    format!(
                        "quota series id \"{}\" must start with quota.",
                        id.get_ref()
                    ),
                    id.get_ref(),
                    "e.g. id = \"quota.ec2_vcpu.us-east-1\"",
                );
                return None;
            }
            id.get_ref().clone()
        }
    };
    if series.iter().any(|s| s.id == id) {
        l.err(
            q.quota.span().start,
            format!("series id \"{id}\" is already used"),
            &id,
            "give this quota its own id = \"quota....\"",
        );
        return None;
    }
    Some(QuotaWatch {
        id,
        quota: q.quota.into_inner(),
        region: region?,
        account,
    })
}

/// The series a watched quota is polled as: percent of the quota in use (the
/// `SERVICE_QUOTA()` math is done by the quota poller, never by the metrics poller).
pub fn quota_series(q: &QuotaWatch) -> Option<Series> {
    let def = catalog::quota(&q.quota)?;
    Some(Series {
        id: q.id.clone(),
        label: format!("{} % of quota ({})", def.label, q.region),
        region: q.region.clone(),
        account: q.account.clone(),
        source: SeriesSource::Metric(MetricQuery {
            namespace: "AWS/Usage".into(),
            metric: "ResourceCount".into(),
            dimensions: catalog::EC2_VCPU_USAGE_DIMENSIONS
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            stat: "Maximum".into(),
            period: 300,
        }),
        unit: Unit::Percent,
        absent: Absent::Unknown,
        baseline: None,
        threshold: Some(Threshold {
            warn: Some(60.0),
            crit: Some(80.0),
            direction: super::layout::Direction::Above,
            for_: TimeDelta::zero(),
            hysteresis: 0.0,
        }),
        target: None,
    })
}

/// Whether a series is a watched quota (polled by the quota poller, not the metrics poller).
pub fn is_quota_series(s: &Series) -> bool {
    s.id.starts_with(QUOTA_SERIES_PREFIX)
        && matches!(&s.source, SeriesSource::Metric(q) if q.namespace == "AWS/Usage")
}

/// A layout series may not take a `quota.` id: those are the watched quotas'.
pub(crate) fn not_a_quota_id(l: &mut Loader<'_>, id: &Str) {
    if id.get_ref().starts_with(QUOTA_SERIES_PREFIX) {
        l.err(
            id.span().start,
            format!(
                "series id \"{}\" uses the reserved prefix quota.",
                id.get_ref()
            ),
            id.get_ref(),
            "quota.* series come from [readiness] quotas: choose another id",
        );
    }
}
