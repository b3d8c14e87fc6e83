//! Resolution over mocked clients in three regions: found (with the real dimension value to
//! paste), not found, access denied, wrong region, alarms counted by prefix.

use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
use aws_sdk_cloudwatch::types::MetricAlarm;
use aws_sdk_cloudwatchlogs::operation::describe_log_groups::{
    DescribeLogGroupsError, DescribeLogGroupsOutput,
};
use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::{
    DescribeLoadBalancersError, DescribeLoadBalancersOutput,
};
use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::{
    DescribeTargetGroupsError, DescribeTargetGroupsOutput,
};
use aws_sdk_elasticloadbalancingv2::types::{LoadBalancer, TargetGroup};
use aws_sdk_globalaccelerator::operation::list_accelerators::ListAcceleratorsOutput;
use aws_sdk_globalaccelerator::types::Accelerator;
use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
use aws_sdk_wafv2::types::WebAclSummary;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

use super::*;
use crate::sources::RegionClients;
use warroom_core::testing::layout;

const SEOUL: &str = "ap-northeast-2";
const VIRGINIA: &str = "us-east-1";
const OREGON: &str = "us-west-2";
const REAL_LB: &str = "app/BTS-ALB/1111222233334444";

fn meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder()
        .code(code)
        .message(format!("{code} (test)"))
        .build()
}

/// Seoul has the load balancer; Virginia has the target group; Oregon denies access.
fn elbv2(region: &str) -> aws_sdk_elasticloadbalancingv2::Client {
    use aws_sdk_elasticloadbalancingv2::Client;
    let r = region.to_string();
    let lbs = mock!(Client::describe_load_balancers).then_compute_response(move |_| {
        use aws_smithy_mocks::MockResponse;
        match r.as_str() {
            SEOUL => MockResponse::Output(
                DescribeLoadBalancersOutput::builder()
                    .load_balancers(
                        LoadBalancer::builder()
                            .load_balancer_name("BTS-ALB")
                            .load_balancer_arn(format!(
                                "arn:aws:elasticloadbalancing:{SEOUL}:1:loadbalancer/{REAL_LB}"
                            ))
                            .build(),
                    )
                    .build(),
            ),
            OREGON => {
                MockResponse::Error(DescribeLoadBalancersError::generic(meta("AccessDenied")))
            }
            _ => MockResponse::Error(DescribeLoadBalancersError::generic(meta(
                "LoadBalancerNotFound",
            ))),
        }
    });
    let virginia = region == VIRGINIA;
    let tgs = mock!(Client::describe_target_groups).then_compute_response(move |_| {
        use aws_smithy_mocks::MockResponse;
        if virginia {
            MockResponse::Output(
                DescribeTargetGroupsOutput::builder()
                    .target_groups(
                        TargetGroup::builder()
                            .target_group_name("BTS-tg")
                            .target_group_arn(format!(
                                "arn:aws:elasticloadbalancing:{VIRGINIA}:1:targetgroup/BTS-tg/99"
                            ))
                            .build(),
                    )
                    .build(),
            )
        } else {
            MockResponse::Error(DescribeTargetGroupsError::generic(meta(
                "TargetGroupNotFound",
            )))
        }
    });
    mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        [&lbs, &tgs],
        |c| c.retry_config(RetryConfig::disabled())
    )
}

/// Seoul denies DescribeLogGroups.
fn logs(region: &str) -> aws_sdk_cloudwatchlogs::Client {
    use aws_sdk_cloudwatchlogs::Client;
    let seoul = region == SEOUL;
    let groups = mock!(Client::describe_log_groups).then_compute_response(move |_| {
        use aws_smithy_mocks::MockResponse;
        if seoul {
            MockResponse::Error(DescribeLogGroupsError::generic(meta(
                "AccessDeniedException",
            )))
        } else {
            MockResponse::Output(DescribeLogGroupsOutput::builder().build())
        }
    });
    mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&groups], |c| c
        .retry_config(RetryConfig::disabled()))
}

/// Seoul has two alarms for every prefix, Virginia none.
fn cloudwatch(region: &str) -> aws_sdk_cloudwatch::Client {
    use aws_sdk_cloudwatch::Client;
    let n = if region == SEOUL { 2 } else { 0 };
    let alarms = mock!(Client::describe_alarms).then_output(move || {
        DescribeAlarmsOutput::builder()
            .set_metric_alarms(Some(
                (0..n)
                    .map(|i| MetricAlarm::builder().alarm_name(format!("a{i}")).build())
                    .collect(),
            ))
            .build()
    });
    // Every metric asked for has data in Seoul under the real load balancer, none elsewhere.
    let seoul = region == SEOUL;
    let metrics = mock!(Client::list_metrics).then_compute_output(move |req| {
        let listed = seoul.then(|| {
            aws_sdk_cloudwatch::types::Metric::builder()
                .set_namespace(req.namespace().map(str::to_string))
                .set_metric_name(req.metric_name().map(str::to_string))
                .dimensions(
                    aws_sdk_cloudwatch::types::Dimension::builder()
                        .name("LoadBalancer")
                        .value(REAL_LB)
                        .build(),
                )
                .build()
        });
        aws_sdk_cloudwatch::operation::list_metrics::ListMetricsOutput::builder()
            .set_metrics(Some(listed.into_iter().collect()))
            .build()
    });
    mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&alarms, &metrics])
}

/// No regional web ACL anywhere; the CloudFront one exists.
fn wafv2(acls: &[&str]) -> aws_sdk_wafv2::Client {
    use aws_sdk_wafv2::Client;
    let summaries: Vec<WebAclSummary> = acls
        .iter()
        .map(|n| {
            WebAclSummary::builder()
                .name(*n)
                .arn(format!("arn:aws:wafv2:us-east-1:1:global/webacl/{n}/x"))
                .build()
        })
        .collect();
    let list = mock!(Client::list_web_acls).then_output(move || {
        ListWebAcLsOutput::builder()
            .set_web_acls(Some(summaries.clone()))
            .build()
    });
    mock_client!(aws_sdk_wafv2, RuleMode::MatchAny, [&list])
}

fn ga() -> aws_sdk_globalaccelerator::Client {
    use aws_sdk_globalaccelerator::Client;
    let list = mock!(Client::list_accelerators).then_output(|| {
        ListAcceleratorsOutput::builder()
            .accelerators(
                Accelerator::builder()
                    .name("BTS-AGA")
                    .accelerator_arn("arn:aws:globalaccelerator::1:accelerator/abc")
                    .build(),
            )
            .build()
    });
    mock_client!(aws_sdk_globalaccelerator, RuleMode::MatchAny, [&list])
}

fn routes() -> Vec<Route> {
    let regions = [SEOUL, VIRGINIA, OREGON]
        .iter()
        .map(|r| {
            (
                (*r).to_string(),
                RegionClients {
                    cloudwatch: cloudwatch(r),
                    elbv2: elbv2(r),
                    logs: logs(r),
                    wafv2: wafv2(&[]),
                },
            )
        })
        .collect();
    let set = ClientSet {
        regions,
        ga: ga(),
        waf_cloudfront: wafv2(&["BTS-CloudFront-WebACL"]),
    };
    vec![Route::all(set, "profile test")]
}

fn find<'a>(r: &'a Report, kind: &str, name: &str, region: &str) -> &'a Outcome {
    &r.items
        .iter()
        .find(|i| i.kind == kind && i.name == name && i.region == region)
        .unwrap_or_else(|| panic!("no {kind} {name} in {region}: {:#?}", r.items))
        .outcome
}

#[tokio::test]
async fn every_kind_of_outcome() {
    let l = layout();
    let r = resolve(&l, &routes()).await;
    // Found, with its real dimension value.
    assert_eq!(
        find(&r, "load balancer", "BTS-ALB", SEOUL),
        &Outcome::Found(REAL_LB.into())
    );
    // The series of the other regions name the Seoul load balancer: wrong region.
    assert_eq!(
        find(&r, "load balancer", "BTS-ALB", VIRGINIA),
        &Outcome::WrongRegion(SEOUL.into())
    );
    // Oregon denies the call.
    assert!(matches!(
        find(&r, "load balancer", "BTS-ALB", OREGON),
        Outcome::AccessDenied(d) if d.contains("AccessDenied")
    ));
    assert_eq!(
        find(&r, "target group", "BTS-tg", SEOUL),
        &Outcome::WrongRegion(VIRGINIA.into())
    );
    assert!(matches!(
        find(&r, "accelerator", "BTS-AGA", OREGON),
        Outcome::Found(arn) if arn.contains("accelerator/abc")
    ));
    assert_eq!(
        find(&r, "web ACL", "BTS-WebACL-Seoul-ALB", SEOUL),
        &Outcome::Missing
    );
    assert!(
        find(
            &r,
            "web ACL",
            "BTS-CloudFront-WebACL",
            "global (CloudFront)"
        )
        .is_found()
    );
    assert!(matches!(
        find(&r, "log group", "/hybridbts/seoul/httpd/error_log", SEOUL),
        Outcome::AccessDenied(_)
    ));
    // A prefix resolves when some alarm region has it (Seoul: two, Virginia: none).
    let alarm_regions = l.alarms.regions.join(", ");
    assert_eq!(
        find(&r, "alarms", "BTS-*", &alarm_regions),
        &Outcome::Found(format!("alarms: 2 in {SEOUL}"))
    );
    assert_eq!(
        r.items.iter().filter(|i| i.kind == "alarms").count(),
        l.alarms.prefixes.len(),
        "one line per prefix"
    );
    // The Seoul series carry a placeholder id: the real value to paste.
    assert_eq!(
        r.fixes,
        [DimensionFix {
            series: vec![
                "seoul.requests".into(),
                "seoul.5xx".into(),
                "seoul.p99".into()
            ],
            key: "LoadBalancer".into(),
            layout_value: "app/BTS-ALB/50dc6c495c0c9188".into(),
            real_value: REAL_LB.into(),
        }]
    );
    assert!(!r.all_resolved());
}

#[tokio::test]
async fn a_layout_whose_resources_all_exist_resolves() {
    let mut l = layout();
    // Keep what exists: the Seoul series (with the real dimension), the accelerator, the
    // CloudFront ACL, the Seoul alarms.
    l.series.retain(|s| s.region == SEOUL);
    for s in &mut l.series {
        if let SeriesSource::Metric(q) = &mut s.source {
            q.dimensions = vec![("LoadBalancer".into(), REAL_LB.into())];
        }
    }
    l.target_groups.clear();
    l.web_acls.retain(|w| w.scope == WafScope::Cloudfront);
    l.log_groups.clear();
    l.alarms.regions = vec![SEOUL.into()];
    let r = resolve(&l, &routes()).await;
    assert!(r.all_resolved(), "{r:#?}");
    assert_eq!(r.items.len(), 5, "{r:#?}");
    // alert* exists in Seoul only: with Virginia also an alarm region, still resolved.
    let mut l2 = l.clone();
    l2.alarms.regions = vec![SEOUL.into(), VIRGINIA.into()];
    let r = resolve(&l2, &routes()).await;
    assert!(r.all_resolved(), "{r:#?}");
}
