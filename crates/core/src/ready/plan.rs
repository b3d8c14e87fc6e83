//! What a readiness run must read, from the layout alone: the quotas per region (for the
//! services the layout uses), the tiers, target groups, accelerators, alarm regions, DNS names
//! and web ACLs. `warroom_aws::ready_aws` reads exactly this; the checks judge exactly this.

use std::collections::BTreeSet;

use super::catalog::{self, QuotaDef};
use crate::config::Layout;
use crate::config::layout::{SeriesSource, WafScope};
use crate::config::readiness::{Readiness, TierKind};

/// Everything to read, deduplicated and in a stable order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// (quota, region).
    pub quotas: Vec<(&'static QuotaDef, String)>,
    /// (region, name).
    pub asgs: Vec<(String, String)>,
    /// (region, cluster, service).
    pub ecs: Vec<(String, String, String)>,
    pub rds: Vec<(String, String)>,
    pub caches: Vec<(String, String)>,
    /// (region, name) of the layout's target groups.
    pub target_groups: Vec<(String, String)>,
    pub accelerators: Vec<String>,
    /// Regions of the accelerators' endpoint groups (their load balancers' listeners are read
    /// there).
    pub endpoint_regions: Vec<String>,
    /// Regions of the series with a threshold (their alarms are read there).
    pub alarm_regions: Vec<String>,
    pub dns_names: Vec<String>,
    /// (name, scope, region).
    pub web_acls: Vec<(String, WafScope, String)>,
}

fn tiers(r: &Readiness, kind: TierKind) -> impl Iterator<Item = &crate::config::readiness::Tier> {
    r.tiers.iter().filter(move |t| t.kind == kind)
}

fn sorted<T: Ord>(i: impl IntoIterator<Item = T>) -> Vec<T> {
    i.into_iter().collect::<BTreeSet<_>>().into_iter().collect()
}

pub fn plan(layout: &Layout, r: &Readiness) -> Plan {
    let asgs = sorted(tiers(r, TierKind::Asg).map(|t| (t.region.clone(), t.name.clone())));
    let ecs = sorted(tiers(r, TierKind::Ecs).map(|t| {
        (
            t.region.clone(),
            t.cluster.clone().unwrap_or_default(),
            t.name.clone(),
        )
    }));
    let rds = sorted(tiers(r, TierKind::Rds).map(|t| (t.region.clone(), t.name.clone())));
    let caches = sorted(tiers(r, TierKind::Cache).map(|t| (t.region.clone(), t.name.clone())));
    let target_groups = sorted(
        layout
            .target_groups
            .iter()
            .map(|t| (t.region.clone(), t.name.clone())),
    );
    let web_acls: Vec<(String, WafScope, String)> = layout
        .web_acls
        .iter()
        .map(|w| (w.name.clone(), w.scope, w.region.clone()))
        .collect();
    let compute_regions = sorted(
        tiers(r, TierKind::Asg)
            .chain(tiers(r, TierKind::Ecs))
            .map(|t| t.region.clone()),
    );
    let mut quotas = Vec::new();
    let mut add = |id: &str, regions: Vec<String>| {
        if let Some(q) = catalog::quota(id) {
            quotas.extend(regions.into_iter().map(|r| (q, r)));
        }
    };
    add("ec2_vcpu", compute_regions);
    let tg_regions = sorted(target_groups.iter().map(|(r, _)| r.clone()));
    add("alb", tg_regions.clone());
    add("target_groups", tg_regions);
    add("asg", sorted(asgs.iter().map(|(r, _)| r.clone())));
    add(
        "waf_web_acls",
        sorted(
            web_acls
                .iter()
                .filter(|w| w.1 == WafScope::Regional)
                .map(|w| w.2.clone()),
        ),
    );
    add("rds_instances", sorted(rds.iter().map(|(r, _)| r.clone())));
    if !layout.accelerators.is_empty() {
        add("ga_accelerators", vec!["us-east-1".to_string()]);
    }
    let alarm_regions = sorted(
        layout
            .series
            .iter()
            .filter(|s| s.threshold.is_some() && matches!(s.source, SeriesSource::Metric(_)))
            .filter(|s| !crate::config::is_quota_series(s))
            .map(|s| s.region.clone()),
    );
    Plan {
        quotas,
        asgs,
        ecs,
        rds,
        caches,
        target_groups,
        accelerators: layout.accelerators.iter().map(|a| a.name.clone()).collect(),
        endpoint_regions: sorted(
            layout
                .accelerators
                .iter()
                .flat_map(|a| a.endpoint_groups.iter().map(|g| g.region.clone())),
        ),
        alarm_regions,
        dns_names: r.dns_names.clone(),
        web_acls,
    }
}

impl Plan {
    /// Every region a client is needed in (Route 53 and Service Quotas for global services
    /// included).
    pub fn regions(&self) -> Vec<String> {
        sorted(
            self.quotas
                .iter()
                .map(|(_, r)| r.clone())
                .chain(self.asgs.iter().map(|(r, _)| r.clone()))
                .chain(self.ecs.iter().map(|(r, _, _)| r.clone()))
                .chain(self.rds.iter().map(|(r, _)| r.clone()))
                .chain(self.caches.iter().map(|(r, _)| r.clone()))
                .chain(self.target_groups.iter().map(|(r, _)| r.clone()))
                .chain(self.alarm_regions.iter().cloned())
                .chain(self.endpoint_regions.iter().cloned())
                .chain(self.web_acls.iter().map(|w| w.2.clone())),
        )
    }
}
