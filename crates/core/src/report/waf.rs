//! WAF for the report: sampled requests gathered over the whole recording (deduplicated, since
//! sample windows overlap), blocked by rule, top client IPs and countries among the blocked, and
//! per web ACL the block ratio over time from its `AWS/WAFV2` Rule=ALL series.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::config::Layout;
use crate::config::layout::SeriesSource;
use crate::model::WafSampleBatch;
use crate::store::State;

/// Rows kept in each "top" table.
pub const TOP: usize = 10;

/// Samples of one web ACL.
#[derive(Debug, Default, Clone)]
struct AclSamples {
    seen: BTreeSet<(DateTime<Utc>, String, String, String, String)>,
    blocked_by_rule: BTreeMap<String, u64>,
    blocked_ips: BTreeMap<String, u64>,
    blocked_countries: BTreeMap<String, u64>,
    sampled: u64,
    blocked: u64,
}

/// Samples of every web ACL of the layout, by layout id.
#[derive(Debug, Default)]
pub struct WafAgg {
    acls: BTreeMap<String, AclSamples>,
    names: BTreeMap<String, String>,
}

impl WafAgg {
    pub fn new(layout: &Layout) -> Self {
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

    pub fn add(&mut self, _layout: &Layout, b: &WafSampleBatch) {
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
            acl.sampled += w;
            if r.action.eq_ignore_ascii_case("BLOCK") {
                acl.blocked += w;
                let rule = r.rule.clone().unwrap_or_else(|| "(default action)".into());
                *acl.blocked_by_rule.entry(rule).or_default() += w;
                *acl.blocked_ips.entry(r.client_ip.clone()).or_default() += w;
                let country = r.country.clone().unwrap_or_else(|| "unknown".into());
                *acl.blocked_countries.entry(country).or_default() += w;
            }
        }
    }
}

/// The WAF section of one web ACL.
#[derive(Debug, Clone, PartialEq)]
pub struct WafSection {
    pub id: String,
    pub name: String,
    /// Requests sampled (weighted) and how many of them were blocked.
    pub sampled: u64,
    pub sampled_blocked: u64,
    /// From the samples: (rule, weighted count), most first.
    pub blocked_by_rule: Vec<(String, u64)>,
    pub top_ips: Vec<(String, u64)>,
    pub top_countries: Vec<(String, u64)>,
    /// From the metrics: (rule, blocked requests summed over the recording), per rule series.
    pub rule_totals: Vec<(String, f64)>,
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

/// The WAF sections, in layout order.
pub fn sections(
    layout: &Layout,
    agg: &WafAgg,
    state: &State,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
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
                            .iter_window(from, to)
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
            WafSection {
                id: w.id.clone(),
                name: w.name.clone(),
                sampled: s.sampled,
                sampled_blocked: s.blocked,
                blocked_by_rule: top(&s.blocked_by_rule, usize::MAX),
                top_ips: top(&s.blocked_ips, TOP),
                top_countries: top(&s.blocked_countries, TOP),
                rule_totals,
                ratio,
            }
        })
        .collect()
}
