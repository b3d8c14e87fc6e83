//! Pollers over mocked clients: lookups are made once and kept (steady state is the lower
//! bound of calls), dropped after a failure, and WAF windows follow each other without gaps.

use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::DescribeTargetGroupsOutput;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_health::DescribeTargetHealthOutput;
use aws_sdk_globalaccelerator::operation::list_accelerators::ListAcceleratorsOutput;
use aws_sdk_globalaccelerator::operation::list_endpoint_groups::{
    ListEndpointGroupsError, ListEndpointGroupsOutput,
};
use aws_sdk_globalaccelerator::operation::list_listeners::ListListenersOutput;
use aws_sdk_globalaccelerator::types::{Accelerator, Listener};
use aws_sdk_wafv2::operation::get_sampled_requests::GetSampledRequestsOutput;
use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
use aws_sdk_wafv2::types::WebAclSummary;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

use super::*;
use crate::sources::to_aws;
use warroom_core::testing::{at, layout};

#[tokio::test]
async fn target_group_arn_is_resolved_once_and_again_after_a_failure() {
    use aws_sdk_elasticloadbalancingv2::Client;
    use aws_sdk_elasticloadbalancingv2::types::TargetGroup as Tg;
    let tgs = mock!(Client::describe_target_groups).then_output(|| {
        DescribeTargetGroupsOutput::builder()
            .target_groups(
                Tg::builder()
                    .target_group_name("BTS-tg")
                    .target_group_arn("arn:tg")
                    .build(),
            )
            .build()
    });
    let health = mock!(Client::describe_target_health)
        .match_requests(|r| r.target_group_arn() == Some("arn:tg"))
        .sequence()
        .output(|| DescribeTargetHealthOutput::builder().build())
        .times(3)
        .error(|| {
            aws_sdk_elasticloadbalancingv2::operation::describe_target_health::DescribeTargetHealthError::generic(
                ErrorMetadata::builder().code("TargetGroupNotFound").build(),
            )
        })
        .output(|| DescribeTargetHealthOutput::builder().build())
        .repeatedly()
        .build();
    let client = mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        [&tgs, &health],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let mut p = TargetHealthPoller {
        source: "elbv2:seoul.tg".into(),
        client,
        group: layout().target_groups[0].clone(),
        arn: None,
    };
    let now = at("2026-06-13T11:00:00Z");
    for _ in 0..3 {
        let ev = p.poll(now).await.expect("polled");
        assert!(matches!(&ev[0], EventBody::TargetHealth(s) if s.target_group == "seoul.tg"));
    }
    assert_eq!((tgs.num_calls(), health.num_calls()), (1, 3));
    p.poll(now).await.expect_err("group re-created");
    p.poll(now).await.expect("looked up again");
    assert_eq!((tgs.num_calls(), health.num_calls()), (2, 5));
}

#[tokio::test]
async fn ga_steady_state_is_one_list_endpoint_groups_per_poll_and_failure_relooks_up() {
    use aws_sdk_globalaccelerator::Client;
    let acc = mock!(Client::list_accelerators).then_output(|| {
        ListAcceleratorsOutput::builder()
            .accelerators(
                Accelerator::builder()
                    .name("BTS-AGA")
                    .accelerator_arn("arn:acc")
                    .build(),
            )
            .build()
    });
    let lis = mock!(Client::list_listeners).then_output(|| {
        ListListenersOutput::builder()
            .listeners(Listener::builder().listener_arn("arn:l").build())
            .build()
    });
    let groups = mock!(Client::list_endpoint_groups)
        .sequence()
        .output(|| ListEndpointGroupsOutput::builder().build())
        .times(2)
        .error(|| {
            ListEndpointGroupsError::generic(
                ErrorMetadata::builder()
                    .code("ListenerNotFoundException")
                    .build(),
            )
        })
        .output(|| ListEndpointGroupsOutput::builder().build())
        .repeatedly()
        .build();
    let client = mock_client!(
        aws_sdk_globalaccelerator,
        RuleMode::MatchAny,
        [&acc, &lis, &groups],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let mut p = GaPoller {
        source: "ga:ga".into(),
        client,
        id: "ga".into(),
        name: "BTS-AGA".into(),
        listeners: None,
    };
    let now = at("2026-06-13T11:00:00Z");
    p.poll(now).await.expect("first");
    p.poll(now).await.expect("second");
    assert_eq!(
        (acc.num_calls(), lis.num_calls(), groups.num_calls()),
        (1, 1, 2)
    );
    p.poll(now).await.expect_err("listener gone");
    p.poll(now).await.expect("looked up again");
    assert_eq!(
        (acc.num_calls(), lis.num_calls(), groups.num_calls()),
        (2, 2, 4)
    );
}

#[tokio::test]
async fn waf_windows_follow_each_other() {
    use aws_sdk_wafv2::Client;
    let list = mock!(Client::list_web_acls).then_output(|| {
        ListWebAcLsOutput::builder()
            .web_acls(
                WebAclSummary::builder()
                    .name("BTS-WebACL-Seoul-ALB")
                    .arn("arn:acl")
                    .build(),
            )
            .build()
    });
    let t0 = at("2026-06-13T11:00:00Z");
    let t1 = at("2026-06-13T11:01:00Z");
    let t2 = at("2026-06-13T11:02:05Z");
    let first = mock!(Client::get_sampled_requests)
        .match_requests(move |r| {
            r.time_window()
                .map(aws_sdk_wafv2::types::TimeWindow::start_time)
                == Some(&to_aws(t0))
        })
        .then_output(|| {
            GetSampledRequestsOutput::builder()
                .population_size(1)
                .build()
        });
    let second = mock!(Client::get_sampled_requests)
        .match_requests(move |r| {
            let w = r.time_window().expect("window");
            w.start_time() == &to_aws(t1) && w.end_time() == &to_aws(t2)
        })
        .then_output(|| {
            GetSampledRequestsOutput::builder()
                .population_size(2)
                .build()
        });
    let client = mock_client!(aws_sdk_wafv2, RuleMode::MatchAny, [&list, &first, &second]);
    let mut acl = layout().web_acls[0].clone();
    acl.sample_rules.truncate(1);
    let mut p = WafPoller {
        source: "waf:seoul.waf".into(),
        client,
        acl,
        period: TimeDelta::minutes(1),
        arn: None,
        last_end: None,
    };
    p.poll(t1).await.expect("first window");
    let ev = p.poll(t2).await.expect("second window");
    assert!(matches!(&ev[0], EventBody::WafSample(b) if b.start == t1 && b.end == t2));
    assert_eq!(
        (list.num_calls(), first.num_calls(), second.num_calls()),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn the_first_metrics_poll_reaches_back_three_hours_until_one_succeeds() {
    use aws_sdk_cloudwatch::Client;
    use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
    let t1 = at("2026-06-13T11:30:20Z");
    let t2 = at("2026-06-13T11:31:20Z");
    let starts_at = |start: &'static str| {
        move |r: &aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataInput| {
            r.start_time() == Some(&to_aws(at(start)))
        }
    };
    // A throttled first poll does not count: the next one still asks for the history.
    let throttled = mock!(Client::get_metric_data)
        .match_requests(starts_at("2026-06-13T08:30:00Z"))
        .sequence()
        .error(|| GetMetricDataError::generic(ErrorMetadata::builder().code("Throttling").build()))
        .output(|| GetMetricDataOutput::builder().build())
        .build();
    let steady = mock!(Client::get_metric_data)
        .match_requests(starts_at("2026-06-13T11:28:00Z"))
        .then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::MatchAny,
        [&throttled, &steady],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let plan = crate::metric_window::plan(&layout())["ap-northeast-2"].clone();
    let mut p = MetricsPoller::new("cloudwatch:ap-northeast-2".into(), client, plan);
    assert!(p.poll(t1).await.is_err());
    let ev = p.poll(t1).await.expect("history");
    assert!(matches!(&ev[0], EventBody::Metrics(b)
            if b.start == at("2026-06-13T08:30:00Z") && b.end == at("2026-06-13T11:30:00Z")));
    // After one success, three buckets of overlap as on every poll: [11:28, 11:31).
    let ev = p.poll(t2).await.expect("overlap only");
    assert!(matches!(&ev[0], EventBody::Metrics(b) if b.end == at("2026-06-13T11:31:00Z")));
    assert_eq!((throttled.num_calls(), steady.num_calls()), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn spawn_layout_starts_one_poller_per_source() {
    use aws_config::{BehaviorVersion, Region, SdkConfig};
    use aws_credential_types::Credentials;
    use aws_credential_types::provider::SharedCredentialsProvider;
    let conf = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::for_tests()))
        .build();
    let l = layout();
    let clients = ClientSet::from_sdk_config(&conf, &l.regions());
    let (tx, _rx) = tokio::sync::mpsc::channel(4);
    let handles = spawn_layout(
        &l,
        &clients,
        Clock::starting_at(at("2026-06-13T11:00:00Z")),
        &tx,
    );
    // 3 metric regions, 1 target group, 1 accelerator, 2 web ACLs, 2 alarm regions, 1 log group.
    assert_eq!(handles.len(), 10);
    for h in handles {
        h.abort();
    }
}

#[tokio::test]
async fn after_failed_polls_the_next_success_reaches_back_to_the_last_settled_bucket() {
    use aws_sdk_cloudwatch::Client;
    use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
    let starts_at = |start: &'static str| {
        move |r: &aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataInput| {
            r.start_time() == Some(&to_aws(at(start)))
        }
    };
    let history = mock!(Client::get_metric_data)
        .match_requests(starts_at("2026-06-13T08:30:00Z"))
        .then_output(|| GetMetricDataOutput::builder().build());
    // Throttled for ten minutes: every poll in between fails.
    let throttled = mock!(Client::get_metric_data)
        .match_requests(starts_at("2026-06-13T11:28:00Z"))
        .then_error(|| {
            GetMetricDataError::generic(ErrorMetadata::builder().code("Throttling").build())
        });
    // The first success after it asks from 11:28 (the 11:30 poll's last settled bucket is
    // 11:27; 11:28 and 11:29 were not re-requested yet), not only the last three minutes.
    let refill = mock!(Client::get_metric_data)
        .match_requests(starts_at("2026-06-13T11:28:00Z"))
        .then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::MatchAny,
        [&history, &refill],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let plan = crate::metric_window::plan(&layout())["ap-northeast-2"].clone();
    let mut p = MetricsPoller::new("cloudwatch:ap-northeast-2".into(), client, plan);
    p.poll(at("2026-06-13T11:30:20Z")).await.expect("history");
    let throttling = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&throttled], |c| c
        .retry_config(RetryConfig::disabled()));
    let working = std::mem::replace(&mut p.client, throttling);
    for min in 31..41 {
        let now = at("2026-06-13T11:00:20Z") + chrono::TimeDelta::minutes(min);
        assert!(p.poll(now).await.is_err(), "throttled at 11:{min}");
    }
    p.client = working;
    let ev = p.poll(at("2026-06-13T11:41:20Z")).await.expect("refill");
    assert!(
        matches!(&ev[0], EventBody::Metrics(b)
            if b.start == at("2026-06-13T11:28:00Z") && b.end == at("2026-06-13T11:41:00Z")),
        "{ev:?}"
    );
    assert_eq!((history.num_calls(), refill.num_calls()), (1, 1));
}
