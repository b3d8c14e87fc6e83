//! One GetMetricData poll of one region, as the real poller records it: the window is the
//! poller's (`metric_window::region_window_since`: the last three whole minutes, and after an
//! outage back to the last settled bucket before it); a bucket appears only
//! 60-120 s after it starts (seeded per bucket); the newest visible bucket is provisional (Sum
//! counters a little low) and is revised by the next poll; zero ALB/WAF/GA counters are simply missing; during a CloudWatch outage every series is
//! listed incomplete with no points. The watched quotas' poll (`quota_batch`) is the quota
//! source's: percent of the quota, every five minutes.

use chrono::{DateTime, TimeDelta, Utc};

use crate::metric_window;
use crate::model::{MetricBatch, Point, SeriesData};
use crate::world::World;

use super::plan::MetricSeries;

/// Floor of `t` to a whole minute.
pub(crate) fn floor_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    let s = t.timestamp();
    DateTime::<Utc>::from_timestamp(s - s.rem_euclid(60), 0).unwrap_or(t)
}

/// Every bucket is visible this many seconds after its start (the bound of [`visible_after`]).
pub(crate) const VISIBLE_AFTER_AT_MOST: i64 = 121;

/// Seconds after its start at which a bucket becomes visible in `region`.
pub(crate) fn visible_after(world: &World, region: &str, bucket: DateTime<Utc>) -> i64 {
    60 + (world.unit(&format!("cw-delay:{region}"), bucket.timestamp() / 60) * 61.0) as i64
}

/// The batch of a poll at `at`; `last_end` is where the last successful poll's window ended
/// when polls failed since (None: the poll before succeeded).
pub(crate) fn batch(
    world: &World,
    region: &str,
    series: &[MetricSeries],
    at: DateTime<Utc>,
    last_end: Option<DateTime<Utc>>,
) -> MetricBatch {
    // The poller's window at one-minute buckets.
    let minutes = metric_window::RegionQueries {
        region: region.to_string(),
        period: 60,
        finest: 60,
        series: Vec::new(),
        queries: Vec::new(),
    };
    let (start, end) = match last_end {
        Some(_) => metric_window::region_window_since(at, &minutes, last_end),
        None => metric_window::window(at, 60),
    };
    let outage = world.metrics_outage(at);
    let visible: Vec<DateTime<Utc>> = (0..(end - start).num_minutes())
        .map(|k| start + TimeDelta::seconds(60 * k))
        .filter(|b| *b + TimeDelta::seconds(visible_after(world, region, *b)) <= at)
        .collect();
    let series = series
        .iter()
        .map(|s| {
            if outage {
                return SeriesData {
                    id: s.id.clone(),
                    points: Vec::new(),
                    complete: false,
                };
            }
            let mut buckets = Vec::new();
            let mut b = start;
            while b + TimeDelta::seconds(s.period) <= end {
                if visible.contains(&b) {
                    buckets.push(b);
                }
                b += TimeDelta::seconds(s.period);
            }
            let newest = buckets.last().copied();
            let points = buckets
                .into_iter()
                .filter_map(|ts| {
                    let v = world.metric(
                        region,
                        &s.namespace,
                        &s.metric,
                        &s.dimensions,
                        &s.stat,
                        ts,
                    )?;
                    let p = Some(ts) == newest;
                    let v = if p {
                        provisional_value(world, &s.id, &s.stat, ts, v)
                    } else {
                        v
                    };
                    Some(Point { ts, v, p })
                })
                .collect();
            SeriesData {
                id: s.id.clone(),
                points,
                complete: true,
            }
        })
        .collect();
    MetricBatch {
        region: region.to_string(),
        start,
        end,
        series,
    }
}

/// One poll of a region's watched quotas, as the quota source records it: the quota window
/// (`metric_window::window` at `QUOTA_PERIOD`), each whole bucket's usage as percent of the
/// quota `SERVICE_QUOTA()` gives it.
pub(crate) fn quota_batch(
    world: &World,
    region: &str,
    series: &[MetricSeries],
    at: DateTime<Utc>,
) -> MetricBatch {
    let period = i64::from(metric_window::QUOTA_PERIOD);
    let (start, end) = metric_window::window(at, metric_window::QUOTA_PERIOD);
    let quota = world.vcpu_quota(region);
    let series = series
        .iter()
        .map(|s| {
            let points = (0..metric_window::OVERLAP_BUCKETS)
                .map(|k| start + TimeDelta::seconds(period * k))
                .filter_map(|ts| {
                    let usage = world.metric(
                        region,
                        &s.namespace,
                        &s.metric,
                        &s.dimensions,
                        &s.stat,
                        ts,
                    )?;
                    let v = metric_window::percent_of_quota(usage, quota?)?;
                    Some(Point { ts, v, p: false })
                })
                .collect();
            SeriesData {
                id: s.id.clone(),
                points,
                complete: true,
            }
        })
        .collect();
    MetricBatch {
        region: region.to_string(),
        start,
        end,
        series,
    }
}

/// The not-yet-aggregated value of the newest bucket (noise keyed by `key`, the series id): Sum counters see 85-95% of their final
/// value, averages and percentiles wobble by up to 2%, minimum and maximum are already final.
pub(crate) fn provisional_value(
    world: &World,
    key: &str,
    stat: &str,
    ts: DateTime<Utc>,
    v: f64,
) -> f64 {
    let u = world.unit(&format!("provisional:{key}"), ts.timestamp() / 60);
    match stat {
        "Sum" | "SampleCount" => (v * (0.85 + 0.10 * u)).round(),
        "Minimum" | "Maximum" => v,
        _ => v * (0.98 + 0.04 * u),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use crate::Scenario;
    use crate::model::EventBody;
    use crate::observe::Simulator;
    use crate::source::{SourceId, SourceKind};

    #[test]
    fn watched_quotas_are_polled_by_their_own_source_as_percent_of_the_quota() {
        let layout = warroom_core::testing::quota_layout();
        let start = layout.event.start - TimeDelta::hours(2);
        let mut sim = Simulator::new(&layout, Scenario::ArmyDrop, 42, start);
        let events = sim.run_until(start + TimeDelta::minutes(20));
        let quota = SourceId::new(SourceKind::Quotas, "ap-northeast-2");
        let batches: Vec<_> = events
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::Metrics(b) => Some((SourceId::of_event(&e.body), b)),
                _ => None,
            })
            .collect();
        let quotas: Vec<_> = batches
            .iter()
            .filter(|(s, _)| *s == Some(quota.clone()))
            .collect();
        // Every five minutes, never inside the CloudWatch source's batches.
        assert!((4..=5).contains(&quotas.len()), "{}", quotas.len());
        for (source, b) in &batches {
            let ids: Vec<&str> = b.series.iter().map(|s| s.id.as_str()).collect();
            if *source == Some(quota.clone()) {
                assert_eq!(ids, ["quota.ec2_vcpu"]);
            } else {
                assert_eq!(ids, ["seoul.cpu"]);
            }
        }
        let (_, last) = quotas.last().expect("a quota batch");
        assert_eq!(last.end - last.start, TimeDelta::minutes(15));
        let points = &last.series[0].points;
        assert_eq!(points.len(), 3);
        // Two t2.micro of the group and four other vCPUs, of the 64 applied in Seoul.
        for p in points {
            assert!((p.v - 100.0 * 6.0 / 64.0).abs() < 1e-9, "{points:?}");
        }
    }
}
