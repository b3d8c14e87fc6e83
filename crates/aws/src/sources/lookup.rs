//! One-off lookups for `warroom check --aws`: does a named load balancer, target group, log
//! group or alarm prefix exist in a region, as thin wrappers over the SDK. A missing resource is
//! `Ok(None)`; access denied is told apart from other failures so the check can say why.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::classify::CallError;

/// Error codes meaning the caller may not make the call.
const DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "WAFAccessDeniedException",
];

/// Error codes meaning the named resource does not exist.
const NOT_FOUND_CODES: &[&str] = &[
    "LoadBalancerNotFound",
    "TargetGroupNotFound",
    "ResourceNotFoundException",
];

/// Why a lookup could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LookupError {
    #[error("access denied: {0}")]
    AccessDenied(String),
    #[error("{0}")]
    Failed(String),
}

impl LookupError {
    /// From a poller's classified error: access denied when its detail starts with a denied code.
    pub(crate) fn from_call(c: &CallError) -> Self {
        if DENIED_CODES.iter().any(|d| c.detail.starts_with(d)) {
            LookupError::AccessDenied(c.to_string())
        } else {
            LookupError::Failed(c.to_string())
        }
    }
}

/// `Ok(None)` for a not-found error, else the classified failure.
fn not_found_or<T, E>(
    op: &'static str,
    e: &SdkError<E, HttpResponse>,
) -> Result<Option<T>, LookupError>
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    let code = e.as_service_error().and_then(ProvideErrorMetadata::code);
    if code.is_some_and(|c| NOT_FOUND_CODES.contains(&c)) {
        return Ok(None);
    }
    Err(LookupError::from_call(&CallError::from_sdk(op, e)))
}

/// The ARN of the load balancer named `name` in the client's region.
pub(crate) async fn load_balancer(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    name: &str,
) -> Result<Option<String>, LookupError> {
    match client.describe_load_balancers().names(name).send().await {
        Ok(out) => Ok(out
            .load_balancers()
            .iter()
            .find(|l| l.load_balancer_name() == Some(name))
            .and_then(|l| l.load_balancer_arn())
            .map(ToString::to_string)),
        Err(e) => not_found_or("DescribeLoadBalancers", &e),
    }
}

/// The ARN of the target group named `name` in the client's region.
pub(crate) async fn target_group(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    name: &str,
) -> Result<Option<String>, LookupError> {
    match client.describe_target_groups().names(name).send().await {
        Ok(out) => Ok(out
            .target_groups()
            .iter()
            .find(|t| t.target_group_name() == Some(name))
            .and_then(|t| t.target_group_arn())
            .map(ToString::to_string)),
        Err(e) => not_found_or("DescribeTargetGroups", &e),
    }
}

/// The ARN of the log group named exactly `name` in the client's region.
pub(crate) async fn log_group(
    client: &aws_sdk_cloudwatchlogs::Client,
    name: &str,
) -> Result<Option<String>, LookupError> {
    match client
        .describe_log_groups()
        .log_group_name_prefix(name)
        .limit(50)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(name))
            .map(|g| g.arn().unwrap_or(name).to_string())),
        Err(e) => not_found_or("DescribeLogGroups", &e),
    }
}

/// How many alarms (metric and composite) have a name starting with `prefix` (first page).
pub(crate) async fn alarm_count(
    client: &aws_sdk_cloudwatch::Client,
    prefix: &str,
) -> Result<usize, LookupError> {
    use aws_sdk_cloudwatch::types::AlarmType;
    let out = client
        .describe_alarms()
        .alarm_name_prefix(prefix)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .send()
        .await
        .map_err(|e| LookupError::from_call(&CallError::from_sdk("DescribeAlarms", &e)))?;
    Ok(out.metric_alarms().len() + out.composite_alarms().len())
}

/// The CloudWatch dimension value of an ELB ARN: `app/NAME/ID` for a load balancer,
/// `targetgroup/NAME/ID` for a target group.
pub(crate) fn dimension_of(arn: &str) -> Option<&str> {
    let (_, resource) = arn.rsplit_once(':')?;
    resource
        .strip_prefix("loadbalancer/")
        .or_else(|| resource.starts_with("targetgroup/").then_some(resource))
}

/// Pages of `ListMetrics` read per metric name at most (500 metrics a page).
const MAX_PAGES: usize = 20;

/// A set of dimensions, sorted by name.
pub(crate) type Dims = Vec<(String, String)>;

/// Every dimension set `metric` has in `namespace` (data in the last two weeks, as
/// `ListMetrics` answers); with `metric` None, those of any metric under exactly `dims`.
pub(crate) async fn metric_dimensions(
    client: &aws_sdk_cloudwatch::Client,
    namespace: &str,
    metric: Option<&str>,
    dims: &[(String, String)],
) -> Result<Vec<Dims>, LookupError> {
    let filters: Vec<_> = dims
        .iter()
        .map(|(k, v)| {
            aws_sdk_cloudwatch::types::DimensionFilter::builder()
                .name(k)
                .value(v)
                .build()
        })
        .collect();
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = client
            .list_metrics()
            .namespace(namespace)
            .set_metric_name(metric.map(str::to_string))
            .set_dimensions((!filters.is_empty()).then(|| filters.clone()))
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| LookupError::from_call(&CallError::from_sdk("ListMetrics", &e)))?;
        out.extend(
            page.metrics()
                .iter()
                .map(|m| sorted_dimensions(m.dimensions())),
        );
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

/// CloudWatch dimensions as name and value pairs, sorted by name (a metric's, an alarm's).
pub(crate) fn sorted_dimensions(dims: &[aws_sdk_cloudwatch::types::Dimension]) -> Dims {
    let mut d: Dims = dims
        .iter()
        .map(|d| {
            (
                d.name().unwrap_or_default().to_string(),
                d.value().unwrap_or_default().to_string(),
            )
        })
        .collect();
    d.sort();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_values_come_from_the_arn() {
        assert_eq!(
            dimension_of(
                "arn:aws:elasticloadbalancing:ap-northeast-2:1:loadbalancer/app/BTS-ALB/50dc6c495c0c9188"
            ),
            Some("app/BTS-ALB/50dc6c495c0c9188")
        );
        assert_eq!(
            dimension_of("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/BTS-tg/6d0e"),
            Some("targetgroup/BTS-tg/6d0e")
        );
        assert_eq!(dimension_of("not an arn"), None);
    }
}
