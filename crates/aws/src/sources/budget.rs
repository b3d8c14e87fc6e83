//! The AWS call budget of a layout in steady state: calls per minute per operation (at the
//! scheduler's cadences), compared with a naive poller making one `GetMetricStatistics` call per
//! metric series per minute, and the estimated monthly `GetMetricData` cost. Pure; shown by
//! `warroom check --aws` and documented in docs/aws.md.

use super::cloudwatch::MAX_QUERIES_PER_CALL;
use crate::config::layout::Layout;
use crate::source::SourceKind;

/// `GetMetricData` price: $0.01 per 1,000 metrics requested (never in the free tier).
pub(crate) const USD_PER_METRIC_REQUESTED: f64 = 0.01 / 1000.0;
/// Minutes in a 30-day month.
pub(crate) const MINUTES_PER_MONTH: f64 = 30.0 * 24.0 * 60.0;
/// `GetQueryResults` calls a Logs Insights count query usually needs (it is bounded at 10).
pub(crate) const TYPICAL_RESULT_POLLS: f64 = 2.0;

/// Calls per minute of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OpRate {
    pub op: &'static str,
    pub per_minute: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Steady-state calls per minute, per operation, in poll order.
    pub ops: Vec<OpRate>,
    pub total_per_minute: f64,
    /// Metric series sent to `CloudWatch` (math series are computed locally).
    pub metric_queries: usize,
    pub(crate) get_metric_data_per_minute: f64,
    /// A naive poller: one `GetMetricStatistics` per metric series per minute.
    pub(crate) naive_metric_calls_per_minute: f64,
    /// naive metric calls / `GetMetricData` calls.
    pub(crate) metric_call_ratio: f64,
    /// The naive poller's total (its metric calls plus the same health, WAF, alarm, log calls).
    pub naive_total_per_minute: f64,
    pub metrics_requested_per_month: f64,
    pub get_metric_data_usd_per_month: f64,
}

fn per_minute(kind: SourceKind) -> f64 {
    60.0 / kind.period().as_secs_f64()
}

/// The layout's steady-state budget. Lookups (`DescribeTargetGroups`, `ListAccelerators`,
/// `ListListeners`, `ListWebACLs`) happen once at start (again only after a failure) and are not
/// counted; each accelerator is assumed to have one listener, `DescribeAlarms` one page per
/// prefix.
pub fn calls_per_minute(layout: &Layout) -> Budget {
    let plan = crate::metric_window::plan(layout);
    let metric_queries: usize = plan.values().map(|p| p.queries.len()).sum();
    let gmd_calls: usize = plan
        .values()
        .map(|p| p.queries.len().div_ceil(MAX_QUERIES_PER_CALL))
        .sum();
    let gmd = gmd_calls as f64 * per_minute(SourceKind::Metrics);
    let tgs = layout.target_groups.len() as f64;
    let accs = layout.accelerators.len() as f64;
    let samples: usize = layout.web_acls.iter().map(|w| w.sample_rules.len()).sum();
    let alarm_calls = if layout.alarms.prefixes.is_empty() {
        0.0
    } else {
        (layout.alarms.regions.len() * layout.alarms.prefixes.len()) as f64
    };
    let logs = layout.log_groups.len() as f64 * per_minute(SourceKind::Logs);
    // Quota usage: one GetMetricData per region every 5 minutes, two queries per quota.
    let quota_plan = crate::metric_window::quota_plan(layout);
    let quota_calls = quota_plan.len() as f64 * per_minute(SourceKind::Quotas);
    let quota_queries: usize = quota_plan.values().map(|p| 2 * p.series.len()).sum();
    let ops = vec![
        OpRate {
            op: "GetMetricData",
            per_minute: gmd,
        },
        OpRate {
            op: "DescribeTargetHealth",
            per_minute: tgs * per_minute(SourceKind::TargetHealth),
        },
        OpRate {
            op: "ListEndpointGroups",
            per_minute: accs * per_minute(SourceKind::GlobalAccelerator),
        },
        OpRate {
            op: "GetSampledRequests",
            per_minute: samples as f64 * per_minute(SourceKind::WafSamples),
        },
        OpRate {
            op: "DescribeAlarms",
            per_minute: alarm_calls * per_minute(SourceKind::Alarms),
        },
        OpRate {
            op: "FilterLogEvents",
            per_minute: logs,
        },
        OpRate {
            op: "StartQuery",
            per_minute: logs,
        },
        OpRate {
            op: "GetQueryResults",
            per_minute: logs * TYPICAL_RESULT_POLLS,
        },
        OpRate {
            op: "GetMetricData (quotas)",
            per_minute: quota_calls,
        },
    ];
    let total: f64 = ops.iter().map(|o| o.per_minute).sum();
    let naive = metric_queries as f64;
    let requested = (metric_queries as f64 * per_minute(SourceKind::Metrics)
        + quota_queries as f64 * per_minute(SourceKind::Quotas))
        * MINUTES_PER_MONTH;
    Budget {
        total_per_minute: total,
        metric_queries,
        get_metric_data_per_minute: gmd,
        naive_metric_calls_per_minute: naive,
        metric_call_ratio: if gmd > 0.0 { naive / gmd } else { 0.0 },
        naive_total_per_minute: total - gmd + naive,
        metrics_requested_per_month: requested,
        get_metric_data_usd_per_month: requested * USD_PER_METRIC_REQUESTED,
        ops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warroom_core::testing::{layout, metric};

    fn rate(b: &Budget, op: &str) -> f64 {
        b.ops
            .iter()
            .find(|o| o.op == op)
            .map_or(-1.0, |o| o.per_minute)
    }

    #[test]
    fn test_layout_budget() {
        let b = calls_per_minute(&layout());
        // 6 metric series in 3 regions (the math series is not sent).
        assert_eq!(b.metric_queries, 6);
        assert!((rate(&b, "GetMetricData") - 3.0).abs() < 1e-9);
        assert!((rate(&b, "DescribeTargetHealth") - 2.0).abs() < 1e-9);
        assert!((rate(&b, "ListEndpointGroups") - 2.0).abs() < 1e-9);
        // Seoul ACL samples 2 rules, the CloudFront ACL 1.
        assert!((rate(&b, "GetSampledRequests") - 3.0).abs() < 1e-9);
        // 2 regions x 2 prefixes, every 30 s.
        assert!((rate(&b, "DescribeAlarms") - 8.0).abs() < 1e-9);
        assert!((rate(&b, "FilterLogEvents") - 1.0).abs() < 1e-9);
        assert!((rate(&b, "StartQuery") - 1.0).abs() < 1e-9);
        assert!((rate(&b, "GetQueryResults") - 2.0).abs() < 1e-9);
        assert!((b.total_per_minute - 22.0).abs() < 1e-9);
        assert!((b.naive_metric_calls_per_minute - 6.0).abs() < 1e-9);
        assert!((b.metric_call_ratio - 2.0).abs() < 1e-9);
        assert!((b.naive_total_per_minute - 25.0).abs() < 1e-9);
        // 6 metrics x 43,200 minutes = 259,200 metrics = $2.592.
        assert!((b.metrics_requested_per_month - 259_200.0).abs() < 1e-6);
        assert!((b.get_metric_data_usd_per_month - 2.592).abs() < 1e-9);
    }

    /// The reference layout's shape (layouts/hybrid-bts.toml), built by hand: the figures of
    /// docs/aws.md.
    #[test]
    fn reference_layout_shape_matches_docs() {
        let mut l = layout();
        l.series = [("ap-northeast-2", 21), ("us-east-1", 12), ("us-west-2", 4)]
            .iter()
            .flat_map(|(r, n)| (0..*n).map(move |i| metric(&format!("{r}.{i}"), r, "M", "Sum")))
            .collect();
        let mut tg2 = l.target_groups[0].clone();
        tg2.region = "us-east-1".into();
        l.target_groups.push(tg2);
        let mut virginia = l.web_acls[0].clone();
        virginia.sample_rules.truncate(1);
        l.web_acls.push(virginia);
        let mut logs2 = l.log_groups[0].clone();
        logs2.region = "us-east-1".into();
        l.log_groups.push(logs2);
        let b = calls_per_minute(&l);
        assert_eq!(b.metric_queries, 37);
        assert!((b.get_metric_data_per_minute - 3.0).abs() < 1e-9);
        assert!((rate(&b, "DescribeTargetHealth") - 4.0).abs() < 1e-9);
        assert!((rate(&b, "ListEndpointGroups") - 2.0).abs() < 1e-9);
        assert!((rate(&b, "GetSampledRequests") - 4.0).abs() < 1e-9);
        assert!((rate(&b, "DescribeAlarms") - 8.0).abs() < 1e-9);
        assert!((b.total_per_minute - 29.0).abs() < 1e-9);
        assert!((b.naive_total_per_minute - 63.0).abs() < 1e-9);
        assert!((b.metric_call_ratio - 37.0 / 3.0).abs() < 1e-9);
        assert!((b.metrics_requested_per_month - 1_598_400.0).abs() < 1e-6);
        assert!((b.get_metric_data_usd_per_month - 15.984).abs() < 1e-9);
    }

    #[test]
    fn more_than_500_queries_in_a_region_need_a_second_call() {
        let mut l = layout();
        l.series = (0..501)
            .map(|i| metric(&format!("s{i}"), "us-east-1", "RequestCount", "Sum"))
            .collect();
        let b = calls_per_minute(&l);
        assert!((b.get_metric_data_per_minute - 2.0).abs() < 1e-9);
        assert!((b.metric_call_ratio - 250.5).abs() < 1e-9);
    }
}
