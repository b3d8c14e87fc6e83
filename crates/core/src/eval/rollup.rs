//! Roll-ups: panel status (worst of its series and health groups), region status (series and
//! health groups by AWS region) and overall status (worst of the panels, no better than the
//! floor the open incidents set).

use std::collections::BTreeMap;

use super::health::HealthStatus;
use super::threshold::SeriesStatus;
use crate::config::layout::{Layout, SeriesSource};
use crate::model::{IncidentState, Severity, Status};
use crate::store::Incident;

/// A panel judged.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelStatus {
    pub(crate) id: String,
    pub status: Status,
    /// The reason of the member that set the status (first in panel order), empty if Green.
    pub reason: String,
}

/// Layout-derived lookups, computed once per layout.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Per panel: series indices and health indices (into `Evaluation::health`).
    pub(crate) panels: Vec<(Vec<usize>, Vec<usize>)>,
    /// Per web ACL: its series (`WebACL` dimension equal to its name, and math over them).
    pub(crate) acl_series: Vec<Vec<usize>>,
    /// Health ids in `Evaluation::health` order.
    pub(crate) health_ids: Vec<String>,
}

impl Index {
    pub fn new(layout: &Layout) -> Self {
        let health_ids: Vec<String> = layout
            .target_groups
            .iter()
            .map(|t| t.id.clone())
            .chain(layout.accelerators.iter().map(|a| a.id.clone()))
            .chain(layout.web_acls.iter().map(|w| w.id.clone()))
            .chain(layout.log_groups.iter().map(|l| l.id.clone()))
            .chain(std::iter::once("alarms".to_string()))
            .collect();
        let panels = layout
            .panels
            .iter()
            .map(|p| {
                let s = p
                    .series
                    .iter()
                    .filter_map(|id| layout.series_index(id))
                    .collect();
                let h = p
                    .health
                    .iter()
                    .filter_map(|id| health_ids.iter().position(|h| h == id))
                    .collect();
                (s, h)
            })
            .collect();
        let acl_series = layout
            .web_acls
            .iter()
            .map(|acl| {
                let direct: Vec<usize> = layout
                    .series
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| match &s.source {
                        SeriesSource::Metric(q) => q
                            .dimensions
                            .iter()
                            .any(|(k, v)| k == "WebACL" && *v == acl.name),
                        SeriesSource::Math { .. } => false,
                    })
                    .map(|(i, _)| i)
                    .collect();
                let math = layout
                    .series
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| match &s.source {
                        SeriesSource::Math { expr, .. } => super::scalar::series_refs(expr)
                            .iter()
                            .any(|r| direct.contains(r)),
                        SeriesSource::Metric(_) => false,
                    });
                let mut all: Vec<usize> =
                    direct.iter().copied().chain(math.map(|(i, _)| i)).collect();
                all.sort_unstable();
                all
            })
            .collect();
        Index {
            panels,
            acl_series,
            health_ids,
        }
    }
}

/// Every panel's status.
pub(crate) fn panels(
    layout: &Layout,
    index: &Index,
    series: &[SeriesStatus],
    health: &[HealthStatus],
) -> Vec<PanelStatus> {
    layout
        .panels
        .iter()
        .zip(&index.panels)
        .map(|(p, (s, h))| {
            let members = s
                .iter()
                .filter_map(|&i| series.get(i).map(|x| (x.status, &x.reason)))
                .chain(
                    h.iter()
                        .filter_map(|&i| health.get(i).map(|x| (x.status, &x.reason))),
                );
            let mut worst: Option<(Status, &String)> = None;
            for (st, r) in members {
                if worst.is_none_or(|(w, _)| st > w) {
                    worst = Some((st, r));
                }
            }
            let (status, reason) =
                worst.map_or((Status::Green, String::new()), |(s, r)| (s, r.clone()));
            PanelStatus {
                id: p.id.clone(),
                status,
                reason: if status == Status::Green {
                    String::new()
                } else {
                    reason
                },
            }
        })
        .collect()
}

/// Every region's status, sorted by region.
pub(crate) fn regions(
    layout: &Layout,
    series: &[SeriesStatus],
    health: &[HealthStatus],
) -> Vec<(String, Status)> {
    let mut out: BTreeMap<String, Status> = BTreeMap::new();
    for (s, st) in layout.series.iter().zip(series) {
        let e = out.entry(s.region.clone()).or_insert(Status::Green);
        *e = (*e).max(st.status);
    }
    for h in health {
        for (r, st) in &h.regions {
            let e = out.entry(r.clone()).or_insert(Status::Green);
            *e = (*e).max(*st);
        }
    }
    out.into_iter().collect()
}

/// The overall status: worst of the panels (of everything when the layout has no panels),
/// except that any of them Unknown while none is Red is Blind: the room cannot see part of
/// what it watches, so it cannot claim Yellow or Green.
pub(crate) fn overall(
    panels: &[PanelStatus],
    series: &[SeriesStatus],
    health: &[HealthStatus],
) -> Status {
    let worst = if panels.is_empty() {
        Status::worst(
            series
                .iter()
                .map(|s| s.status)
                .chain(health.iter().map(|h| h.status)),
        )
    } else {
        Status::worst(panels.iter().map(|p| p.status))
    };
    let unseen = if panels.is_empty() {
        series.iter().any(|s| s.status == Status::Unknown)
            || health.iter().any(|h| h.status == Status::Unknown)
    } else {
        panels.iter().any(|p| p.status == Status::Unknown)
    };
    if unseen && worst < Status::Red {
        Status::Blind
    } else {
        worst
    }
}

/// The floor open incidents set on the overall status: a critical one holds it at Red, a major
/// one at Yellow, until resolved (a minor one, or one without a severity, sets none); with the
/// reason, naming the incident that sets it (`INC-1 critical open`).
pub(crate) fn incident_floor<'a>(
    incidents: impl IntoIterator<Item = &'a Incident>,
) -> (Status, Option<String>) {
    let mut floor = (Status::Green, None);
    for i in incidents
        .into_iter()
        .filter(|i| i.fields.state != Some(IncidentState::Resolved))
    {
        let (status, severity) = match i.fields.severity {
            Some(Severity::Critical) => (Status::Red, Severity::Critical),
            Some(Severity::Major) => (Status::Yellow, Severity::Major),
            Some(Severity::Minor) | None => continue,
        };
        if status > floor.0 {
            floor = (status, Some(format!("{} {} open", i.id, severity.word())));
        }
    }
    floor
}
