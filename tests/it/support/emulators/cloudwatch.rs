//! Seeding CloudWatch in an emulator (ministack) through the Rust SDK: datapoints for a layout
//! series (`PutMetricData`), metric alarms in a chosen state (`PutMetricAlarm` +
//! `SetAlarmState`) and composite alarms. Also what a backfill test needs: points at any
//! time within the last two weeks, read back by `GetMetricData`.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricDatum, StateValue, Statistic,
};
use chrono::{DateTime, Utc};
use warroom_core::config::layout::{Layout, MetricQuery, SeriesSource};

/// Namespace of the alarms' metric: nothing publishes to it, so the emulator never
/// re-evaluates the alarms away from the state a test set.
pub const QUIET_NAMESPACE: &str = "Warroom/EmulatorTests";

/// The metric query of layout series `id`.
pub fn query<'a>(layout: &'a Layout, id: &str) -> &'a MetricQuery {
    match &layout
        .series_by_id(id)
        .unwrap_or_else(|| panic!("no series {id}"))
        .source
    {
        SeriesSource::Metric(q) => q,
        SeriesSource::Math { .. } => panic!("series {id} is metric math"),
    }
}

fn sdk_time(t: DateTime<Utc>) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_millis(t.timestamp_millis())
}

/// Publishes `points` (time, value) to the metric of `q`, one datum each, in one call.
pub async fn put_points(client: &Client, q: &MetricQuery, points: &[(DateTime<Utc>, f64)]) {
    let dims: Vec<Dimension> = q
        .dimensions
        .iter()
        .map(|(k, v)| Dimension::builder().name(k).value(v).build())
        .collect();
    let data: Vec<MetricDatum> = points
        .iter()
        .map(|(t, v)| {
            MetricDatum::builder()
                .metric_name(&q.metric)
                .set_dimensions(Some(dims.clone()))
                .timestamp(sdk_time(*t))
                .value(*v)
                .build()
        })
        .collect();
    client
        .put_metric_data()
        .namespace(&q.namespace)
        .set_metric_data(Some(data))
        .send()
        .await
        .unwrap_or_else(|e| panic!("PutMetricData {}/{}: {e:?}", q.namespace, q.metric));
}

/// A metric alarm named `name` on an unpublished metric, then set to `state` with `reason`.
pub async fn put_alarm(client: &Client, name: &str, state: StateValue, reason: &str) {
    client
        .put_metric_alarm()
        .alarm_name(name)
        .namespace(QUIET_NAMESPACE)
        .metric_name("Unpublished")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .send()
        .await
        .unwrap_or_else(|e| panic!("PutMetricAlarm {name}: {e:?}"));
    client
        .set_alarm_state()
        .alarm_name(name)
        .state_value(state)
        .state_reason(reason)
        .send()
        .await
        .unwrap_or_else(|e| panic!("SetAlarmState {name}: {e:?}"));
}

/// A composite alarm named `name` with `rule` (e.g. `ALARM("a")`).
pub async fn put_composite(client: &Client, name: &str, rule: &str) {
    client
        .put_composite_alarm()
        .alarm_name(name)
        .alarm_rule(rule)
        .send()
        .await
        .unwrap_or_else(|e| panic!("PutCompositeAlarm {name}: {e:?}"));
}
