//! Service-quota usage, live: the layout's `quota.<name>` series (from `[readiness] quotas`,
//! planned by `metric_window::quota_plan`), polled by the region's quota source on a slow
//! cadence (every 5 minutes, one `GetMetricData` per region) as each quota's
//! `AWS/Usage` metric `u<i>` and `SERVICE_QUOTA(u<i>)`, and recorded as percent of the quota
//! in a `metrics` batch, so the dashboard shows `EC2 vCPU 71% of quota` and a runbook trigger
//! can say `quota.ec2_vcpu > 80`.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::MetricDataQuery;
use chrono::{DateTime, Utc};

use super::classify::CallError;
use super::cloudwatch::data_query;
use super::{to_aws, to_utc};
use crate::metric_window::{QUOTA_PERIOD, RegionQuotas, percent_of_quota, window};
use crate::model::{MetricBatch, Point, SeriesData};

/// `u<i>` (usage) and `q<i>` (`SERVICE_QUOTA(u<i>)`) for each series.
pub(crate) fn queries(p: &RegionQuotas) -> Vec<MetricDataQuery> {
    p.series
        .iter()
        .enumerate()
        .flat_map(|(i, (_, q))| {
            [
                data_query(&format!("u{i}"), q),
                MetricDataQuery::builder()
                    .id(format!("q{i}"))
                    .expression(format!("SERVICE_QUOTA(u{i})"))
                    .return_data(true)
                    .build(),
            ]
        })
        .collect()
}

type Points = BTreeMap<String, BTreeMap<DateTime<Utc>, f64>>;

/// Percent of quota per series and bucket, over `[floor(now, 5 min) - 15 min, floor)`.
pub async fn poll(
    client: &Client,
    p: &RegionQuotas,
    now: DateTime<Utc>,
) -> Result<MetricBatch, CallError> {
    let (start, end) = window(now, QUOTA_PERIOD);
    let mut got: Points = BTreeMap::new();
    let mut pages = client
        .get_metric_data()
        .start_time(to_aws(start))
        .end_time(to_aws(end))
        .set_metric_data_queries(Some(queries(p)))
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CallError::from_sdk("GetMetricData", &e))?;
        for r in page.metric_data_results() {
            let e = got
                .entry(r.id().unwrap_or_default().to_string())
                .or_default();
            for (t, v) in r.timestamps().iter().zip(r.values()) {
                if let Some(t) = to_utc(t) {
                    e.insert(t, *v);
                }
            }
        }
        n += 1;
        if n >= 10 {
            break;
        }
    }
    Ok(batch(p, &got, start, end))
}

fn batch(p: &RegionQuotas, got: &Points, start: DateTime<Utc>, end: DateTime<Utc>) -> MetricBatch {
    let empty = BTreeMap::new();
    let series = p
        .series
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            let usage = got.get(&format!("u{i}")).unwrap_or(&empty);
            let quota = got.get(&format!("q{i}")).unwrap_or(&empty);
            let points = usage
                .iter()
                .filter_map(|(t, u)| {
                    Some(Point {
                        ts: *t,
                        v: percent_of_quota(*u, *quota.get(t)?)?,
                        p: false,
                    })
                })
                .collect();
            SeriesData {
                id: id.clone(),
                points,
                complete: true,
            }
        })
        .collect();
    MetricBatch {
        region: p.region.clone(),
        start,
        end,
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::layout::SeriesSource;
    use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
    use aws_sdk_cloudwatch::types::MetricDataResult;
    use aws_smithy_mocks::{mock, mock_client};
    use chrono::TimeZone;

    fn plan_one() -> RegionQuotas {
        let s = crate::config::readiness::QuotaWatch {
            id: "quota.ec2_vcpu".into(),
            quota: "ec2_vcpu".into(),
            region: "ap-northeast-2".into(),
            account: "main".into(),
        };
        let series = crate::config::layout::Series::clone(
            &crate::config::quota_series_of(&s).expect("series"),
        );
        let SeriesSource::Metric(q) = series.source else {
            panic!("metric")
        };
        RegionQuotas {
            region: "ap-northeast-2".into(),
            series: vec![(series.id, q)],
        }
    }

    #[tokio::test]
    async fn usage_over_service_quota_is_recorded_as_percent() {
        let t = Utc
            .with_ymd_and_hms(2026, 6, 13, 10, 50, 0)
            .single()
            .expect("t");
        let rule = mock!(Client::get_metric_data)
            .match_requests(|r| {
                r.metric_data_queries()
                    .iter()
                    .any(|q| q.expression() == Some("SERVICE_QUOTA(u0)"))
            })
            .then_output(move || {
                let at = aws_smithy_types::DateTime::from_secs(t.timestamp());
                GetMetricDataOutput::builder()
                    .metric_data_results(
                        MetricDataResult::builder()
                            .id("u0")
                            .timestamps(at)
                            .values(48.0)
                            .build(),
                    )
                    .metric_data_results(
                        MetricDataResult::builder()
                            .id("q0")
                            .timestamps(at)
                            .values(64.0)
                            .build(),
                    )
                    .build()
            });
        let client = mock_client!(aws_sdk_cloudwatch, [&rule]);
        let b = poll(&client, &plan_one(), t + chrono::TimeDelta::minutes(7))
            .await
            .expect("poll");
        assert_eq!(b.series[0].id, "quota.ec2_vcpu");
        assert_eq!(b.series[0].points.len(), 1);
        assert!((b.series[0].points[0].v - 75.0).abs() < 1e-9);
        assert_eq!(b.end - b.start, chrono::TimeDelta::minutes(15));
    }
}
