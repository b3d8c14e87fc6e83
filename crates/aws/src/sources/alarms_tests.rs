//! Unit tests of the `alarms` module, kept beside it.

use super::*;
use crate::sources::to_aws;
use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
use aws_sdk_cloudwatch::types::{CompositeAlarm, LogAlarm, MetricAlarm};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use warroom_core::testing::at;

fn all_types(r: &aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsInput) -> bool {
    r.alarm_types()
        == [
            AlarmType::MetricAlarm,
            AlarmType::CompositeAlarm,
            AlarmType::LogAlarm,
        ]
}

#[tokio::test]
async fn pages_and_prefixes_are_merged_by_name() {
    let p1 = mock!(Client::describe_alarms)
        .match_requests(|r| {
            all_types(r) && r.alarm_name_prefix() == Some("alert") && r.next_token().is_none()
        })
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(
                    MetricAlarm::builder()
                        .alarm_name("alert-5xx")
                        .state_value(StateValue::Alarm)
                        .state_reason("Threshold Crossed: 1 datapoint [12.0]")
                        .state_updated_timestamp(to_aws(at("2026-06-13T11:01:00Z")))
                        .build(),
                )
                .next_token("n2")
                .build()
        });
    let p2 = mock!(Client::describe_alarms)
        .match_requests(|r| r.next_token() == Some("n2"))
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .composite_alarms(
                    CompositeAlarm::builder()
                        .alarm_name("alert-site")
                        .state_value(StateValue::Ok)
                        .state_transitioned_timestamp(to_aws(at("2026-06-13T10:00:00Z")))
                        .state_updated_timestamp(to_aws(at("2026-06-13T10:30:00Z")))
                        .build(),
                )
                .build()
        });
    let p3 = mock!(Client::describe_alarms)
        .match_requests(|r| r.alarm_name_prefix() == Some("BTS-"))
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .log_alarms(LogAlarm::builder().alarm_name("BTS-errors").build())
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&p1, &p2, &p3]);
    let now = at("2026-06-13T11:05:00Z");
    let prefixes = vec!["alert".to_string(), "BTS-".to_string()];
    let snap = describe(&client, "ap-northeast-2", &prefixes, now)
        .await
        .expect("alarms");
    assert_eq!(snap.region, "ap-northeast-2");
    let names: Vec<&str> = snap.alarms.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["BTS-errors", "alert-5xx", "alert-site"]);
    let log = &snap.alarms[0];
    assert_eq!(
        (log.kind, log.state, log.updated),
        (AlarmKind::Log, AlarmState::InsufficientData, now)
    );
    let m = &snap.alarms[1];
    assert_eq!((m.kind, m.state), (AlarmKind::Metric, AlarmState::Alarm));
    assert_eq!(m.updated, at("2026-06-13T11:01:00Z"));
    assert!(
        m.reason
            .as_deref()
            .is_some_and(|r| r.starts_with("Threshold"))
    );
    let c = &snap.alarms[2];
    assert_eq!((c.kind, c.state), (AlarmKind::Composite, AlarmState::Ok));
    assert_eq!(
        c.updated,
        at("2026-06-13T10:00:00Z"),
        "transition time wins"
    );
}
