//! The parts of CloudWatch the readiness checks add to the endpoint: `SERVICE_QUOTA(m)` metric
//! math (the quota the `AWS/Usage` metric `m` is measured against, at each of `m`'s
//! timestamps) and the metric, dimensions and actions of an alarm in `DescribeAlarms`.

use chrono::{DateTime, Utc};
use ciborium::Value;

use super::cbor::t;
use crate::{AlarmMeta, World};

/// The query id inside `SERVICE_QUOTA(id)`, if the expression is exactly that.
pub(crate) fn service_quota_of(expr: &str) -> Option<&str> {
    let inner = expr
        .trim()
        .strip_prefix("SERVICE_QUOTA(")?
        .strip_suffix(')')?
        .trim();
    (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(inner)
}

/// The EC2 vCPU quota of `region` at each timestamp of the usage points.
pub(crate) fn quota_points(
    world: &World,
    region: &str,
    usage: Vec<(DateTime<Utc>, f64)>,
) -> Vec<(DateTime<Utc>, f64)> {
    let Some(q) = world.vcpu_quota(region) else {
        return Vec::new();
    };
    usage.into_iter().map(|(at, _)| (at, q)).collect()
}

/// `Namespace`, `MetricName`, `Dimensions`, `ActionsEnabled` and `AlarmActions` of an alarm.
pub(crate) fn alarm_metric(m: &AlarmMeta) -> Vec<(&'static str, Value)> {
    let dims = m
        .dimensions
        .iter()
        .map(|(k, v)| Value::Map(vec![(t("Name"), t(k)), (t("Value"), t(v))]))
        .collect();
    vec![
        ("Namespace", t(m.namespace)),
        ("MetricName", t(m.metric)),
        ("Dimensions", Value::Array(dims)),
        ("ActionsEnabled", Value::Bool(true)),
        (
            "AlarmActions",
            Value::Array(m.actions.iter().map(|a| t(a)).collect()),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_service_quota_call_is_understood() {
        assert_eq!(service_quota_of("SERVICE_QUOTA(m)"), Some("m"));
        assert_eq!(
            service_quota_of(" SERVICE_QUOTA( usage_1 ) "),
            Some("usage_1")
        );
        assert_eq!(service_quota_of("100 * m / SERVICE_QUOTA(m)"), None);
        assert_eq!(service_quota_of("SERVICE_QUOTA()"), None);
        assert_eq!(service_quota_of(""), None);
    }
}
