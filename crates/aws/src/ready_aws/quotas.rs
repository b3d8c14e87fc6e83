//! Service quotas: the applied value (`GetServiceQuota` by code, or `ListServiceQuotas` by
//! name), AWS's default (`GetAWSDefaultServiceQuota`), and for quotas with an `AWS/Usage`
//! metric the usage now, read with `GetMetricData` and the `SERVICE_QUOTA()` metric-math
//! function (the same call returns the quota the metric is measured against).

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use chrono::{DateTime, TimeDelta, Utc};

use super::{MAX_PAGES, Part};
use crate::ready::catalog::{EC2_VCPU_USAGE_DIMENSIONS, QuotaDef, Usage};
use crate::ready::facts::QuotaFact;
use crate::sources::{CallError, to_aws};

/// The applied value of `q`, found by code, else by name.
async fn applied(
    client: &aws_sdk_servicequotas::Client,
    q: &QuotaDef,
) -> Result<Option<f64>, CallError> {
    if !q.code.is_empty() {
        let out = client
            .get_service_quota()
            .service_code(q.service)
            .quota_code(q.code)
            .send()
            .await
            .map_err(|e| CallError::from_sdk("GetServiceQuota", &e))?;
        return Ok(out
            .quota()
            .and_then(aws_sdk_servicequotas::types::ServiceQuota::value));
    }
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .list_service_quotas()
            .service_code(q.service)
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| CallError::from_sdk("ListServiceQuotas", &e))?;
        if let Some(v) = out.quotas().iter().find(|x| {
            x.quota_name()
                .is_some_and(|n| n.eq_ignore_ascii_case(q.name))
        }) {
            return Ok(v.value());
        }
        token = out.next_token().map(ToString::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(None)
}

async fn default_value(client: &aws_sdk_servicequotas::Client, q: &QuotaDef) -> Option<f64> {
    if q.code.is_empty() {
        return None;
    }
    let out = client
        .get_aws_default_service_quota()
        .service_code(q.service)
        .quota_code(q.code)
        .send()
        .await
        .ok()?;
    out.quota()
        .and_then(aws_sdk_servicequotas::types::ServiceQuota::value)
}

/// The usage-metric query (`m`) and `SERVICE_QUOTA(m)` (`q`).
pub(crate) fn usage_queries() -> Vec<MetricDataQuery> {
    let dims: Vec<Dimension> = EC2_VCPU_USAGE_DIMENSIONS
        .iter()
        .map(|(k, v)| Dimension::builder().name(*k).value(*v).build())
        .collect();
    let metric = Metric::builder()
        .namespace("AWS/Usage")
        .metric_name("ResourceCount")
        .set_dimensions(Some(dims))
        .build();
    let stat = MetricStat::builder()
        .metric(metric)
        .period(300)
        .stat("Maximum")
        .build();
    vec![
        MetricDataQuery::builder()
            .id("m")
            .metric_stat(stat)
            .return_data(true)
            .build(),
        MetricDataQuery::builder()
            .id("q")
            .expression("SERVICE_QUOTA(m)")
            .return_data(true)
            .build(),
    ]
}

/// (usage, quota) over the last hour: the newest value of each.
pub(crate) async fn usage(
    client: &aws_sdk_cloudwatch::Client,
    now: DateTime<Utc>,
) -> Result<(Option<f64>, Option<f64>), CallError> {
    let out = client
        .get_metric_data()
        .set_metric_data_queries(Some(usage_queries()))
        .start_time(to_aws(now - TimeDelta::hours(1)))
        .end_time(to_aws(now))
        .send()
        .await
        .map_err(|e| CallError::from_sdk("GetMetricData", &e))?;
    let newest = |id: &str| {
        out.metric_data_results()
            .iter()
            .find(|r| r.id() == Some(id))
            .and_then(|r| {
                r.timestamps()
                    .iter()
                    .zip(r.values())
                    .max_by_key(|(t, _)| (t.secs(), t.subsec_nanos()))
                    .map(|(_, v)| *v)
            })
    };
    Ok((newest("m"), newest("q")))
}

/// One quota of one region (usage filled in later for counted quotas).
pub(crate) async fn quota(
    sq: &aws_sdk_servicequotas::Client,
    cw: Option<&aws_sdk_cloudwatch::Client>,
    q: &'static QuotaDef,
    region: &str,
    now: DateTime<Utc>,
) -> Part {
    let mut f = QuotaFact {
        quota: q.id.to_string(),
        region: region.to_string(),
        ..QuotaFact::default()
    };
    match applied(sq, q).await {
        Ok(Some(v)) => f.value = Some(v),
        Ok(None) => f.error = Some(format!("quota \"{}\" not found in Service Quotas", q.name)),
        Err(e) => f.error = Some(e.to_string()),
    }
    f.default = default_value(sq, q).await;
    if q.usage == Usage::Metric {
        match cw.map(|c| usage(c, now)) {
            Some(fut) => match fut.await {
                Ok((u, qv)) => {
                    f.usage = u;
                    f.value = f.value.or(qv);
                    if u.is_none() && f.error.is_none() {
                        f.error = Some("no AWS/Usage datapoint in the last hour".into());
                    }
                }
                Err(e) => f.error = Some(e.to_string()),
            },
            None => f.error = Some(format!("no CloudWatch client for {region}")),
        }
    }
    let mut part = Part::default();
    part.facts.quotas.push(f);
    part
}
