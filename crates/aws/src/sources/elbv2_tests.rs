//! Unit tests of the `elbv2` module, kept beside it.

use super::*;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::{
    DescribeTargetGroupsError, DescribeTargetGroupsOutput,
};
use aws_sdk_elasticloadbalancingv2::operation::describe_target_health::DescribeTargetHealthOutput;
use aws_sdk_elasticloadbalancingv2::types::{
    TargetDescription, TargetGroup, TargetHealth, TargetHealthReasonEnum, TargetHealthStateEnum,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};

const ARN: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:1:targetgroup/BTS-tg/6d0e";

fn desc(
    id: &str,
    state: TargetHealthStateEnum,
    reason: Option<TargetHealthReasonEnum>,
) -> TargetHealthDescription {
    let mut h = TargetHealth::builder().state(state);
    if let Some(r) = reason {
        h = h.reason(r).description("Health checks failed");
    }
    TargetHealthDescription::builder()
        .target(
            TargetDescription::builder()
                .id(id)
                .port(80)
                .availability_zone("ap-northeast-2a")
                .build(),
        )
        .target_health(h.build())
        .build()
}

#[tokio::test]
async fn resolves_name_then_reads_health() {
    let tgs = mock!(Client::describe_target_groups)
        .match_requests(|r| r.names() == ["BTS-tg"])
        .then_output(|| {
            DescribeTargetGroupsOutput::builder()
                .target_groups(
                    TargetGroup::builder()
                        .target_group_name("BTS-tg")
                        .target_group_arn(ARN)
                        .build(),
                )
                .build()
        });
    let health = mock!(Client::describe_target_health)
        .match_requests(|r| r.target_group_arn() == Some(ARN))
        .then_output(|| {
            DescribeTargetHealthOutput::builder()
                .target_health_descriptions(desc("i-1", TargetHealthStateEnum::Healthy, None))
                .target_health_descriptions(desc(
                    "i-2",
                    TargetHealthStateEnum::Unhealthy,
                    Some(TargetHealthReasonEnum::FailedHealthChecks),
                ))
                .target_health_descriptions(desc(
                    "i-3",
                    TargetHealthStateEnum::from("quarantined"),
                    None,
                ))
                .build()
        });
    let client = mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::Sequential,
        [&tgs, &health]
    );
    let arn = resolve_target_group(&client, "BTS-tg").await.expect("arn");
    assert_eq!(arn, ARN);
    let snap = target_health(&client, "seoul.tg", &arn)
        .await
        .expect("health");
    assert_eq!(snap.target_group, "seoul.tg");
    assert_eq!(snap.targets.len(), 3);
    let t = &snap.targets[1];
    assert_eq!(t.id, "i-2");
    assert_eq!(t.port, Some(80));
    assert_eq!(t.az.as_deref(), Some("ap-northeast-2a"));
    assert_eq!(t.state, TargetState::Unhealthy);
    assert_eq!(t.reason.as_deref(), Some("Target.FailedHealthChecks"));
    assert_eq!(t.description.as_deref(), Some("Health checks failed"));
    assert_eq!(snap.targets[0].state, TargetState::Healthy);
    assert_eq!(snap.targets[0].reason, None);
    assert_eq!(
        snap.targets[2].state,
        TargetState::Other("quarantined".into())
    );
}

#[tokio::test]
async fn missing_target_group_is_not_found() {
    let rule = mock!(Client::describe_target_groups).then_error(|| {
        DescribeTargetGroupsError::TargetGroupNotFoundException(
            aws_sdk_elasticloadbalancingv2::types::error::TargetGroupNotFoundException::builder()
                .message("nope")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_elasticloadbalancingv2, [&rule]);
    let err = resolve_target_group(&client, "gone")
        .await
        .expect_err("not found");
    assert!(
        matches!(err, Elbv2Error::NotFound { ref name } if name == "gone"),
        "{err}"
    );
    assert_eq!(err.state(), SourceState::Error);
}
