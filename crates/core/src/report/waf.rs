//! WAF for the report: sampled requests gathered over the whole recording (deduplicated, since
//! sample windows overlap), blocked by rule, top client IPs and countries among the blocked, and
//! per web ACL the block ratio over time from its `AWS/WAFV2` Rule=ALL series.
//!
//! Counts are the metrics'. Samples are a sample: they are counted as samples and shown as
//! shares; AWS's weight of a sample (how many requests it stands for in its sampling window)
//! summed over overlapping polls is an extrapolation that overstates, reported apart, once,
//! against the metrics' count (the reconciliation).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::config::Layout;
use crate::config::layout::SeriesSource;
use crate::model::WafSampleBatch;
use crate::store::State;

/// Rows kept in each "top" table.
pub(crate) const TOP: usize = 10;

/// Samples of one web ACL.
#[derive(Debug, Default, Clone)]
struct AclSamples {
    seen: BTreeSet<(DateTime<Utc>, String, String, String, String)>,
    /// Blocked samples (counted, not weighted) by rule, client IP, country.
    blocked_by_rule: BTreeMap<String, u64>,
    /// The blocked samples' weights by rule.
    weight_by_rule: BTreeMap<String, u64>,
    blocked_ips: BTreeMap<String, u64>,
    blocked_countries: BTreeMap<String, u64>,
    samples: u64,
    samples_blocked: u64,
    /// The blocked samples' weights summed: AWS's extrapolation, overstated by overlapping
    /// windows.
    weighted_blocked: u64,
}

/// Samples of every web ACL of the layout, by layout id.
#[derive(Debug, Default)]
pub struct WafAgg {
    acls: BTreeMap<String, AclSamples>,
    names: BTreeMap<String, String>,
}

impl WafAgg {
    pub(crate) fn new(layout: &Layout) -> Self {
        let mut names = BTreeMap::new();
        for w in &layout.web_acls {
            names.insert(w.id.clone(), w.id.clone());
            names.insert(w.name.clone(), w.id.clone());
        }
        WafAgg {
            acls: BTreeMap::new(),
            names,
        }
    }

    pub(crate) fn add(&mut self, _layout: &Layout, b: &WafSampleBatch) {
        let Some(id) = self.names.get(&b.acl) else {
            return;
        };
        let acl = self.acls.entry(id.clone()).or_default();
        for r in &b.requests {
            let key = (
                r.ts,
                r.client_ip.clone(),
                r.method.clone(),
                r.uri.clone(),
                r.action.clone(),
            );
            if !acl.seen.insert(key) {
                continue;
            }
            let w = r.weight.max(1);
            acl.samples += 1;
            if r.action.eq_ignore_ascii_case("BLOCK") {
                acl.samples_blocked += 1;
                acl.weighted_blocked += w;
                let rule = r.rule.clone().unwrap_or_else(|| "(default action)".into());
                *acl.blocked_by_rule.entry(rule.clone()).or_default() += 1;
                *acl.weight_by_rule.entry(rule).or_default() += w;
                *acl.blocked_ips.entry(r.client_ip.clone()).or_default() += 1;
                let country = r.country.clone().unwrap_or_else(|| "unknown".into());
                *acl.blocked_countries.entry(country).or_default() += 1;
            }
        }
    }
}

/// The WAF section of one web ACL.
#[derive(Debug, Clone, PartialEq)]
pub struct WafSection {
    pub id: String,
    pub(crate) name: String,
    /// Distinct sampled requests kept, and how many of them were blocked (samples, not
    /// requests).
    pub(crate) samples: u64,
    pub(crate) samples_blocked: u64,
    /// The blocked samples' weights summed: what the samples extrapolate to (an overstatement
    /// where poll windows overlap), for the reconciliation only.
    pub weighted_blocked: u64,
    /// From the samples: (rule, blocked samples), most first.
    pub blocked_by_rule: Vec<(String, u64)>,
    /// From the samples: (rule, the blocked samples' summed weight), most first.
    pub(crate) weight_by_rule: Vec<(String, u64)>,
    /// Blocked samples by client IP and by country, most first.
    pub top_ips: Vec<(String, u64)>,
    pub(crate) top_countries: Vec<(String, u64)>,
    /// From the metrics: (rule, blocked requests summed over the event window), per rule series.
    pub(crate) rule_totals: Vec<(String, f64)>,
    /// From the metrics: blocked requests of the ACL (Rule=ALL) over the event window.
    pub blocked_total: Option<f64>,
    /// Block ratio in percent per bucket: (bucket start, ratio), None where unknown.
    pub ratio: Vec<(DateTime<Utc>, Option<f64>)>,
}

fn top(m: &BTreeMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = m.iter().map(|(k, w)| (k.clone(), *w)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// A WAFV2 series of the ACL named `acl`: (metric, rule dimension, layout index).
fn waf_series<'a>(
    layout: &'a Layout,
    acl: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str, usize)> {
    layout.series.iter().enumerate().filter_map(move |(i, s)| {
        let SeriesSource::Metric(q) = &s.source else {
            return None;
        };
        let dim = |k: &str| {
            q.dimensions
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        (q.namespace == "AWS/WAFV2" && dim("WebACL") == Some(acl))
            .then(|| (q.metric.as_str(), dim("Rule").unwrap_or("ALL"), i))
    })
}

/// One row of the reconciliation of a web ACL's blocks by rule: the metrics' count and share,
/// the samples' count and the rule's share of their weights (AWS's weights correct for a
/// rule sampled more often than its traffic: the share estimates the rule's share of blocked
/// requests).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRow {
    pub rule: String,
    pub metrics: Option<f64>,
    pub metrics_share: Option<f64>,
    pub samples: u64,
    pub weight_share: Option<f64>,
}

impl WafSection {
    /// Every rule blocking in the metrics or the samples: the metrics' rules first (most
    /// first), then rules seen only in the samples.
    #[allow(clippy::cast_precision_loss)] // counts and weights far below 2^52
    pub fn reconcile(&self) -> Vec<RuleRow> {
        // A rule's share is of every block in the same window: the ACL's total (Rule=ALL) when
        // the layout has it, else the rules' sum (a rule the layout does not watch would
        // otherwise make the watched ones look like all of them).
        let metrics_all: f64 = self
            .blocked_total
            .unwrap_or_else(|| self.rule_totals.iter().map(|(_, n)| n).sum());
        let weight_all = self.weighted_blocked as f64;
        let share = |n: f64, all: f64| (all > 0.0).then(|| 100.0 * n / all);
        let find = |v: &[(String, u64)], rule: &str| {
            v.iter().find(|(r, _)| r == rule).map_or(0, |(_, n)| *n)
        };
        let row = |rule: &str, metrics: Option<f64>| RuleRow {
            rule: rule.to_string(),
            metrics,
            metrics_share: metrics.and_then(|n| share(n, metrics_all)),
            samples: find(&self.blocked_by_rule, rule),
            weight_share: share(find(&self.weight_by_rule, rule) as f64, weight_all),
        };
        let mut metrics: Vec<&(String, f64)> = self.rule_totals.iter().collect();
        metrics.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut rows: Vec<RuleRow> = metrics.into_iter().map(|(r, n)| row(r, Some(*n))).collect();
        for (rule, _) in &self.blocked_by_rule {
            if !rows.iter().any(|r| r.rule == *rule) {
                rows.push(row(rule, None));
            }
        }
        rows
    }
}

/// The WAF sections, in layout order: the block ratio over the recording (`from`..`to`), the
/// metrics' totals over the event window (`ev_from`..`ev_to`).
pub(crate) fn sections(
    layout: &Layout,
    agg: &WafAgg,
    state: &State,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    (ev_from, ev_to): (DateTime<Utc>, DateTime<Utc>),
) -> Vec<WafSection> {
    layout
        .web_acls
        .iter()
        .map(|w| {
            let s = agg.acls.get(&w.id).cloned().unwrap_or_default();
            let mut rule_totals = Vec::new();
            let (mut blocked, mut allowed) = (None, None);
            for (metric, rule, i) in waf_series(layout, &w.name) {
                match (metric, rule) {
                    ("BlockedRequests", "ALL") => blocked = Some(i),
                    ("AllowedRequests", "ALL") => allowed = Some(i),
                    ("BlockedRequests", r) => {
                        let total: f64 = state
                            .series(i)
                            .iter_window(ev_from, ev_to)
                            .filter_map(|x| x.value())
                            .sum();
                        rule_totals.push((r.to_string(), total));
                    }
                    _ => {}
                }
            }
            let ratio = match (blocked, allowed) {
                (Some(b), Some(a)) => state
                    .series(b)
                    .iter_window(from, to)
                    .map(|x| {
                        let r = match (x.value(), state.series(a).value_at(x.ts)) {
                            (Some(b), Some(a)) if a + b > 0.0 => Some(100.0 * b / (a + b)),
                            _ => None,
                        };
                        (x.ts, r)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let blocked_total = blocked.map(|b| {
                state
                    .series(b)
                    .iter_window(ev_from, ev_to)
                    .filter_map(|x| x.value())
                    .sum()
            });
            WafSection {
                id: w.id.clone(),
                name: w.name.clone(),
                samples: s.samples,
                samples_blocked: s.samples_blocked,
                weighted_blocked: s.weighted_blocked,
                blocked_total,
                blocked_by_rule: top(&s.blocked_by_rule, usize::MAX),
                weight_by_rule: top(&s.weight_by_rule, usize::MAX),
                top_ips: top(&s.blocked_ips, TOP),
                top_countries: top(&s.blocked_countries, TOP),
                rule_totals,
                ratio,
            }
        })
        .collect()
}
