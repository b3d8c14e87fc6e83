//! `ELBv2` target health: target-group names resolved to ARNs once (`DescribeTargetGroups`), then
//! one `DescribeTargetHealth` per target group per tick, as a `TargetHealthSnapshot` (unknown
//! states kept verbatim).

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::TargetHealthDescription;

use super::classify::CallError;
use crate::model::{SourceState, TargetHealthSnapshot, TargetInfo, TargetState};

#[derive(Debug, thiserror::Error)]
pub enum Elbv2Error {
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("target group {name:?} not found")]
    NotFound { name: String },
}

impl Elbv2Error {
    pub fn state(&self) -> SourceState {
        match self {
            Elbv2Error::Call(c) => c.state,
            Elbv2Error::NotFound { .. } => SourceState::Error,
        }
    }
}

/// The ARN of the target group named `name` in the client's region.
pub async fn resolve_target_group(client: &Client, name: &str) -> Result<String, Elbv2Error> {
    let out = client
        .describe_target_groups()
        .names(name)
        .send()
        .await
        .map_err(|e| {
            let is_not_found = e
                .as_service_error()
                .is_some_and(aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::DescribeTargetGroupsError::is_target_group_not_found_exception);
            if is_not_found {
                Elbv2Error::NotFound { name: name.into() }
            } else {
                CallError::from_sdk("DescribeTargetGroups", &e).into()
            }
        })?;
    out.target_groups()
        .iter()
        .find(|t| t.target_group_name() == Some(name))
        .and_then(|t| t.target_group_arn())
        .map(ToString::to_string)
        .ok_or_else(|| Elbv2Error::NotFound { name: name.into() })
}

/// `DescribeTargetHealth` of one target group (`id` is the layout's target-group id).
pub async fn target_health(
    client: &Client,
    id: &str,
    arn: &str,
) -> Result<TargetHealthSnapshot, Elbv2Error> {
    let out = client
        .describe_target_health()
        .target_group_arn(arn)
        .send()
        .await
        .map_err(|e| CallError::from_sdk("DescribeTargetHealth", &e))?;
    Ok(TargetHealthSnapshot {
        target_group: id.to_string(),
        targets: out
            .target_health_descriptions()
            .iter()
            .map(target_info)
            .collect(),
    })
}

/// One target: the SDK's `Unknown` state and reason variants carry the raw string.
pub fn target_info(d: &TargetHealthDescription) -> TargetInfo {
    let target = d.target();
    let health = d.target_health();
    TargetInfo {
        id: target.and_then(|t| t.id()).unwrap_or_default().to_string(),
        port: target
            .and_then(aws_sdk_elasticloadbalancingv2::types::TargetDescription::port)
            .and_then(|p| u16::try_from(p).ok()),
        az: target
            .and_then(|t| t.availability_zone())
            .map(ToString::to_string),
        state: health
            .and_then(|h| h.state())
            .map_or(TargetState::Other("unknown".into()), |s| {
                TargetState::from(s.as_str().to_string())
            }),
        reason: health
            .and_then(|h| h.reason())
            .map(|r| r.as_str().to_string()),
        description: health
            .and_then(|h| h.description())
            .map(ToString::to_string),
    }
}

#[cfg(test)]
mod tests {
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
}
