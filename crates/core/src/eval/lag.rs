//! Rows that lag: CloudWatch metrics arrive one to two minutes late, target health and Global
//! Accelerator endpoint state are read live. Where the live source says otherwise now, the
//! metric's row says so instead of both being shown as the truth.

use chrono::{DateTime, Utc};

use super::scalar::SNAPSHOT_STALE;
use crate::config::layout::{Layout, SeriesSource};
use crate::model::GaHealth;
use crate::store::State;

/// What the live source says when it disagrees with the newest value of series `i`
/// (`live 2/10 healthy`), None when it agrees, is stale or does not watch the same thing.
pub fn live_disagrees(
    layout: &Layout,
    state: &State,
    index: usize,
    value: Option<f64>,
    now: DateTime<Utc>,
) -> Option<String> {
    let series = layout.series.get(index)?;
    let SeriesSource::Metric(q) = &series.source else {
        return None;
    };
    let newest = value?.round();
    let fresh = |at: DateTime<Utc>| at >= now - SNAPSHOT_STALE;
    match (q.namespace.as_str(), q.metric.as_str()) {
        ("AWS/ApplicationELB", metric @ ("HealthyHostCount" | "UnHealthyHostCount")) => {
            let dim = q.dimensions.iter().find(|(k, _)| k == "TargetGroup")?;
            let (tg_index, _) = layout.target_groups.iter().enumerate().find(|(_, tg)| {
                dim.1 == tg.name || dim.1.starts_with(&format!("targetgroup/{}/", tg.name))
            })?;
            let snap = state.target_group(tg_index).filter(|s| fresh(s.at))?;
            let c = snap.counts;
            let (live, text) = if metric == "HealthyHostCount" {
                (c.healthy, format!("live {}/{} healthy", c.healthy, c.total))
            } else {
                (c.unhealthy, format!("live {} unhealthy", c.unhealthy))
            };
            differs(live, newest).then_some(text)
        }
        ("AWS/GlobalAccelerator", "UnhealthyEndpointCount") if layout.accelerators.len() == 1 => {
            let snap = state.accelerator(0).filter(|s| fresh(s.at))?;
            let live = snap
                .groups
                .iter()
                .filter(|g| g.present)
                .flat_map(|g| &g.endpoints)
                .filter(|e| e.health == GaHealth::Unhealthy)
                .count();
            differs(live, newest).then(|| format!("live {live} unhealthy"))
        }
        _ => None,
    }
}

fn differs(live: usize, v: f64) -> bool {
    (f64::from(u32::try_from(live).unwrap_or(u32::MAX)) - v).abs() > 0.5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, EventBody, TargetHealthSnapshot, TargetInfo, TargetState};

    fn layout() -> Layout {
        crate::config::load_texts(&crate::builtin::layout(), Some(&crate::builtin::runbook()))
            .expect("the reference layout")
    }

    #[test]
    fn a_lagging_metric_the_live_target_health_contradicts_says_so() {
        let l = layout();
        let now = l.event.start + chrono::TimeDelta::minutes(10);
        let mut s = State::new(&l);
        let states = (0..10).map(|i| {
            if i < 2 {
                TargetState::Healthy
            } else {
                TargetState::Unhealthy
            }
        });
        s.apply(&Event {
            at: now,
            body: EventBody::TargetHealth(TargetHealthSnapshot {
                target_group: "seoul.tg".into(),
                targets: states
                    .enumerate()
                    .map(|(i, state)| TargetInfo {
                        id: format!("i-{i}"),
                        port: Some(80),
                        az: None,
                        state,
                        reason: None,
                        description: None,
                    })
                    .collect(),
            }),
        });
        let healthy = l.series_index("seoul.healthy_hosts").expect("series");
        let unhealthy = l.series_index("seoul.unhealthy_hosts").expect("series");
        assert_eq!(
            live_disagrees(&l, &s, healthy, Some(7.0), now).as_deref(),
            Some("live 2/10 healthy")
        );
        assert_eq!(live_disagrees(&l, &s, healthy, Some(2.0), now), None);
        assert_eq!(
            live_disagrees(&l, &s, unhealthy, Some(3.0), now).as_deref(),
            Some("live 8 unhealthy")
        );
        // A stale snapshot does not contradict anything.
        let later = now + chrono::TimeDelta::minutes(4);
        assert_eq!(live_disagrees(&l, &s, healthy, Some(7.0), later), None);
        // Nor does a series about something else.
        let cpu = l.series_index("seoul.cpu").expect("series");
        assert_eq!(live_disagrees(&l, &s, cpu, Some(7.0), now), None);
    }
}
