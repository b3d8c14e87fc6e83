//! Unit tests of the `ga` module, kept beside it.

use super::*;
use aws_sdk_globalaccelerator::operation::list_accelerators::ListAcceleratorsOutput;
use aws_sdk_globalaccelerator::operation::list_endpoint_groups::ListEndpointGroupsOutput;
use aws_sdk_globalaccelerator::operation::list_listeners::ListListenersOutput;
use aws_sdk_globalaccelerator::types::{Accelerator, EndpointDescription, Listener};
use aws_smithy_mocks::{RuleMode, mock, mock_client};

const ACC: &str = "arn:aws:globalaccelerator::1:accelerator/5f2d";
const LIS: &str = "arn:aws:globalaccelerator::1:accelerator/5f2d/listener/abcdef12";

fn acc(name: &str, arn: &str) -> Accelerator {
    Accelerator::builder()
        .name(name)
        .accelerator_arn(arn)
        .build()
}

fn eg(region: &str, dial: f32, health: HealthState) -> EndpointGroup {
    EndpointGroup::builder()
        .endpoint_group_region(region)
        .traffic_dial_percentage(dial)
        .endpoint_descriptions(
            EndpointDescription::builder()
                .endpoint_id(format!("arn:alb/{region}"))
                .weight(128)
                .health_state(health)
                .health_reason("ignored")
                .build(),
        )
        .build()
}

#[tokio::test]
async fn finds_accelerator_on_second_page_and_lists_paginated_groups() {
    let a1 = mock!(Client::list_accelerators)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            ListAcceleratorsOutput::builder()
                .accelerators(acc("other", "arn:x"))
                .next_token("t2")
                .build()
        });
    let a2 = mock!(Client::list_accelerators)
        .match_requests(|r| r.next_token() == Some("t2"))
        .then_output(|| {
            ListAcceleratorsOutput::builder()
                .accelerators(acc("BTS-AGA", ACC))
                .build()
        });
    let l = mock!(Client::list_listeners)
        .match_requests(|r| r.accelerator_arn() == Some(ACC))
        .then_output(|| {
            ListListenersOutput::builder()
                .listeners(Listener::builder().listener_arn(LIS).build())
                .build()
        });
    let g1 = mock!(Client::list_endpoint_groups)
        .match_requests(|r| r.listener_arn() == Some(LIS) && r.next_token().is_none())
        .then_output(|| {
            ListEndpointGroupsOutput::builder()
                .endpoint_groups(eg("ap-northeast-2", 100.0, HealthState::Unhealthy))
                .next_token("g2")
                .build()
        });
    let g2 = mock!(Client::list_endpoint_groups)
        .match_requests(|r| r.next_token() == Some("g2"))
        .then_output(|| {
            ListEndpointGroupsOutput::builder()
                .endpoint_groups(eg("us-east-1", 25.0, HealthState::Healthy))
                .build()
        });
    let client = mock_client!(
        aws_sdk_globalaccelerator,
        RuleMode::Sequential,
        [&a1, &a2, &l, &g1, &g2]
    );
    let arn = find_accelerator(&client, "BTS-AGA").await.expect("found");
    assert_eq!(arn, ACC);
    let snap = endpoints(&client, "ga", &arn).await.expect("snapshot");
    assert_eq!(snap.accelerator, "ga");
    assert_eq!(snap.groups.len(), 2);
    assert_eq!(snap.groups[0].region, "ap-northeast-2");
    assert_eq!(snap.groups[0].endpoints[0].health, GaHealth::Unhealthy);
    assert_eq!(snap.groups[0].endpoints[0].weight, 128);
    assert!((snap.groups[1].dial - 25.0).abs() < f64::EPSILON);
    assert_eq!(snap.groups[1].endpoints[0].health, GaHealth::Healthy);
}

#[tokio::test]
async fn unknown_accelerator_is_not_found() {
    let a = mock!(Client::list_accelerators).then_output(|| {
        ListAcceleratorsOutput::builder()
            .accelerators(acc("x", "arn:x"))
            .build()
    });
    let client = mock_client!(aws_sdk_globalaccelerator, [&a]);
    let err = find_accelerator(&client, "BTS-AGA")
        .await
        .expect_err("missing");
    assert!(matches!(err, GaError::NotFound { .. }));
}

#[test]
fn unknown_or_missing_health_is_initial() {
    assert_eq!(health(None), GaHealth::Initial);
    assert_eq!(
        health(Some(&HealthState::from("DEGRADED"))),
        GaHealth::Initial
    );
}
