//! The polling plan derived from a layout: the sources the AWS pollers would start
//! (`source::layout_sources`), each with its period and a seeded offset of a few seconds so
//! polls do not align.

use crate::config::layout::{EndpointGroupDef, SeriesSource};
use crate::config::{Layout, is_quota_series};
use crate::source::{SourceId, SourceKind, layout_sources};

use crate::rng;

#[derive(Debug, Clone)]
pub(crate) struct MetricSeries {
    pub(crate) id: String,
    pub(crate) namespace: String,
    pub(crate) metric: String,
    pub(crate) dimensions: Vec<(String, String)>,
    pub(crate) stat: String,
    pub(crate) period: i64,
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
    /// The watched quotas of a region (`quota.<name>`), as percent of each quota.
    Quotas {
        region: String,
        series: Vec<MetricSeries>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) id: SourceId,
    /// Name of the seeded streams of its poll times.
    pub(crate) stream: String,
    pub(crate) period: i64,
    pub(crate) offset: i64,
    pub(crate) poll: Poll,
}

/// The seeded streams of a source's poll times are named after the source, except for Global
/// Accelerator and WAF, whose streams keep the simulator's first names for them
/// (`globalaccelerator:`, `wafv2:`) so that a seed still gives the same world, poll for poll.
fn stream(id: &SourceId) -> String {
    match id.kind {
        SourceKind::GlobalAccelerator => format!("globalaccelerator:{}", id.key),
        SourceKind::WafSamples => format!("wafv2:{}", id.key),
        _ => id.to_string(),
    }
}

/// The simulator's pollers: one per source the layout starts (`source::layout_sources`, as
/// the AWS pollers), each at its kind's period with a seeded offset of a few seconds.
pub(crate) fn sources(layout: &Layout, seed: u64) -> Vec<Source> {
    layout_sources(layout)
        .into_iter()
        .filter_map(|id| {
            let poll = poll(layout, &id)?;
            let stream = stream(&id);
            let offset = rng::range(seed, &format!("offset:{stream}"), 0, 1, 7);
            Some(Source {
                period: id.kind.period().as_secs() as i64,
                stream,
                offset,
                poll,
                id,
            })
        })
        .collect()
}

fn poll(layout: &Layout, id: &SourceId) -> Option<Poll> {
    let key = id.key.as_str();
    Some(match id.kind {
        SourceKind::Metrics => Poll::Metrics {
            region: key.to_string(),
            series: metric_series(layout, key, false),
        },
        SourceKind::Quotas => Poll::Quotas {
            region: key.to_string(),
            series: metric_series(layout, key, true),
        },
        SourceKind::TargetHealth => {
            let tg = layout.target_groups.iter().find(|t| t.id == key)?;
            Poll::TargetHealth {
                id: tg.id.clone(),
                name: tg.name.clone(),
                load_balancer: tg.load_balancer.clone(),
            }
        }
        SourceKind::GlobalAccelerator => {
            let acc = layout.accelerators.iter().find(|a| a.id == key)?;
            Poll::Ga {
                id: acc.id.clone(),
                name: acc.name.clone(),
                groups: acc.endpoint_groups.clone(),
            }
        }
        SourceKind::WafSamples => {
            let acl = layout.web_acls.iter().find(|a| a.id == key)?;
            Poll::Waf {
                id: acl.id.clone(),
                name: acl.name.clone(),
                rules: acl.sample_rules.clone(),
            }
        }
        SourceKind::Alarms => Poll::Alarms {
            region: key.to_string(),
            prefixes: layout.alarms.prefixes.clone(),
        },
        SourceKind::Logs => {
            let g = layout.log_groups.iter().find(|g| g.id == key)?;
            Poll::Logs {
                id: g.id.clone(),
                name: g.name.clone(),
            }
        }
    })
}

/// The metric series of `region` polled by its metrics source, or (`quotas`) by its quota
/// source.
fn metric_series(layout: &Layout, region: &str, quotas: bool) -> Vec<MetricSeries> {
    layout
        .series
        .iter()
        .filter(|s| s.region == region && is_quota_series(s) == quotas)
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
        .collect()
}
