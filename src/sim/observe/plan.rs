//! The polling plan derived from a layout: one source per CloudWatch region, target group,
//! accelerator, web ACL, alarm region and log group, each with its period and a seeded offset of
//! a few seconds so polls do not align.

use crate::config::Layout;
use crate::config::layout::{EndpointGroupDef, SeriesSource};

use crate::sim::rng;

#[derive(Debug, Clone)]
pub(crate) struct MetricSeries {
    pub id: String,
    pub namespace: String,
    pub metric: String,
    pub dimensions: Vec<(String, String)>,
    pub stat: String,
    pub period: i64,
}

#[derive(Debug, Clone)]
pub(crate) enum Poll {
    Metrics {
        region: String,
        series: Vec<MetricSeries>,
    },
    TargetHealth {
        id: String,
        name: String,
        load_balancer: String,
    },
    Ga {
        id: String,
        name: String,
        groups: Vec<EndpointGroupDef>,
    },
    Waf {
        id: String,
        name: String,
        rules: Vec<String>,
    },
    Alarms {
        region: String,
        prefixes: Vec<String>,
    },
    Logs {
        id: String,
        name: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub name: String,
    pub period: i64,
    pub offset: i64,
    pub poll: Poll,
}

fn source(seed: u64, name: String, period: i64, poll: Poll) -> Source {
    let offset = rng::range(seed, &format!("offset:{name}"), 0, 1, 7);
    Source {
        name,
        period,
        offset,
        poll,
    }
}

pub(crate) fn sources(layout: &Layout, seed: u64) -> Vec<Source> {
    let mut out = Vec::new();
    let mut regions: Vec<String> = Vec::new();
    for s in &layout.series {
        if matches!(s.source, SeriesSource::Metric(_))
            && !crate::config::is_quota_series(s)
            && !regions.contains(&s.region)
        {
            regions.push(s.region.clone());
        }
    }
    for region in regions {
        let series = layout
            .series
            .iter()
            .filter(|s| s.region == region && !crate::config::is_quota_series(s))
            .filter_map(|s| match &s.source {
                SeriesSource::Metric(q) => Some(MetricSeries {
                    id: s.id.clone(),
                    namespace: q.namespace.clone(),
                    metric: q.metric.clone(),
                    dimensions: q.dimensions.clone(),
                    stat: q.stat.clone(),
                    period: i64::from(q.period.max(60)),
                }),
                SeriesSource::Math { .. } => None,
            })
            .collect();
        out.push(source(
            seed,
            crate::model::cloudwatch_source(&region),
            60,
            Poll::Metrics { region, series },
        ));
    }
    for tg in &layout.target_groups {
        out.push(source(
            seed,
            format!("elbv2:{}", tg.id),
            30,
            Poll::TargetHealth {
                id: tg.id.clone(),
                name: tg.name.clone(),
                load_balancer: tg.load_balancer.clone(),
            },
        ));
    }
    for acc in &layout.accelerators {
        out.push(source(
            seed,
            format!("globalaccelerator:{}", acc.id),
            30,
            Poll::Ga {
                id: acc.id.clone(),
                name: acc.name.clone(),
                groups: acc.endpoint_groups.clone(),
            },
        ));
    }
    for acl in &layout.web_acls {
        out.push(source(
            seed,
            format!("wafv2:{}", acl.id),
            60,
            Poll::Waf {
                id: acl.id.clone(),
                name: acl.name.clone(),
                rules: acl.sample_rules.clone(),
            },
        ));
    }
    for region in &layout.alarms.regions {
        out.push(source(
            seed,
            format!("alarms:{region}"),
            30,
            Poll::Alarms {
                region: region.clone(),
                prefixes: layout.alarms.prefixes.clone(),
            },
        ));
    }
    for g in &layout.log_groups {
        out.push(source(
            seed,
            format!("logs:{}", g.id),
            60,
            Poll::Logs {
                id: g.id.clone(),
                name: g.name.clone(),
            },
        ));
    }
    out
}
