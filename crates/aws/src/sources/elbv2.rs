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
pub(crate) fn target_info(d: &TargetHealthDescription) -> TargetInfo {
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
#[path = "elbv2_tests.rs"]
mod tests;
