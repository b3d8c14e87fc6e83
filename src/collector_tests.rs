//! The collector over mocked AWS clients: batches reach the recording (header from AWS, then
//! status and observations), state changes are reported as plain lines, expired credentials are
//! recorded and named, and stopping leaves a complete, readable recording.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_elasticloadbalancingv2::Client as Elb;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::{
    DescribeTargetGroupsError, DescribeTargetGroupsOutput,
};
use aws_sdk_elasticloadbalancingv2::operation::describe_target_health::DescribeTargetHealthOutput;
use aws_sdk_elasticloadbalancingv2::types::{
    TargetDescription, TargetGroup, TargetHealth, TargetHealthDescription, TargetHealthStateEnum,
};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

use super::*;
use crate::board::Board;
use crate::config::layout::Layout;
use crate::journal::Fold;
use crate::live::{Route, routes, session};
use crate::model::{Event, EventBody, SourceState, TargetState};
use crate::record::Reader;
use crate::record::live as recording;
use crate::sources::{ClientSet, RegionClients};

const SEOUL: &str = "ap-northeast-2";

/// The test layout with only its Seoul target group left.
fn one_target_group() -> Layout {
    let mut l = warroom_core::testing::layout();
    l.series.clear();
    l.accelerators.clear();
    l.web_acls.clear();
    l.log_groups.clear();
    l.alarms.prefixes.clear();
    l.text = "# one target group".into();
    l
}

fn clients(elbv2: Elb) -> ClientSet {
    let conf = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(SEOUL))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::for_tests()))
        .build();
    let mut set = ClientSet::from_sdk_config(&conf, &[SEOUL.to_string()]);
    let seoul: &mut RegionClients = set.regions.get_mut(SEOUL).expect("seoul");
    seoul.elbv2 = elbv2;
    set
}

/// Raises `stop` once `lines` lines were written: the test stops the collector after what it
/// waits for was reported, not after a guessed delay.
struct StopAfter {
    text: String,
    lines: usize,
    stop: Arc<AtomicBool>,
}

impl Write for StopAfter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.text.push_str(&String::from_utf8_lossy(buf));
        if self.text.lines().count() >= self.lines {
            self.stop.store(true, Ordering::Relaxed);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn run(layout: &Layout, set: ClientSet, label: &str, lines: usize) -> (String, Vec<Event>, u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("live.jsonl");
    let header = recording::aws_header(layout, Some("prod"), chrono::Utc::now());
    let rec = recording::open(&path, &header, false, false).expect("create");
    let routes = vec![Route::all(set, label)];
    let board = Board::new(routes::sources_with_credentials(layout, &routes));
    let mut journal = Journal::new(Fold::new(layout, board), Some(rec), None);
    let live = LiveSession::start(session::runtime().expect("runtime"), layout, &routes);
    assert_eq!(live.pollers(), 1);
    let stop = Arc::new(AtomicBool::new(false));
    let mut out = StopAfter {
        text: String::new(),
        lines,
        stop: Arc::clone(&stop),
    };
    let ended = collect(live, &mut journal, None, &stop, &mut out, false).expect("collect");
    assert!(matches!(ended, Ended::Stopped));
    let written = journal
        .log()
        .map_or(0, crate::record::Recorder::events_written);
    drop(journal);
    let (header, mut reader) = Reader::open(&path).expect("readable recording");
    assert_eq!(header.layout.text, "# one target group");
    let events: Vec<Event> = reader.by_ref().collect();
    assert_eq!(reader.stats().garbled, 0);
    (out.text, events, written)
}

#[test]
fn batches_are_recorded_and_changes_reported() {
    let tgs = mock!(Elb::describe_target_groups).then_output(|| {
        DescribeTargetGroupsOutput::builder()
            .target_groups(
                TargetGroup::builder()
                    .target_group_name("BTS-tg")
                    .target_group_arn("arn:tg")
                    .build(),
            )
            .build()
    });
    let health = mock!(Elb::describe_target_health).then_output(|| {
        DescribeTargetHealthOutput::builder()
            .target_health_descriptions(
                TargetHealthDescription::builder()
                    .target(TargetDescription::builder().id("i-1").port(80).build())
                    .target_health(
                        TargetHealth::builder()
                            .state(TargetHealthStateEnum::Healthy)
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let elb = mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        [&tgs, &health]
    );
    let layout = one_target_group();
    let (out, events, written) = run(&layout, clients(elb), "profile prod", 1);
    assert_eq!(out.trim(), "source elbv2:seoul.tg: ok");
    assert_eq!(written, events.len() as u64);
    match &events[..] {
        [status, snapshot, ..] => {
            let EventBody::SourceStatus(s) = &status.body else {
                panic!("first event is {:?}", status.body);
            };
            assert_eq!(
                (s.source.as_str(), s.state),
                ("elbv2:seoul.tg", SourceState::Ok)
            );
            let EventBody::TargetHealth(h) = &snapshot.body else {
                panic!("second event is {:?}", snapshot.body);
            };
            assert_eq!(h.target_group, "seoul.tg");
            assert_eq!(h.targets[0].state, TargetState::Healthy);
        }
        other => panic!("expected status and snapshot, got {other:?}"),
    }
}

#[test]
fn expired_credentials_are_recorded_and_the_profile_named() {
    let expired = mock!(Elb::describe_target_groups).then_error(|| {
        DescribeTargetGroupsError::generic(
            ErrorMetadata::builder()
                .code("ExpiredToken")
                .message("The security token included in the request is expired")
                .build(),
        )
    });
    let elb = mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        [&expired],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let layout = one_target_group();
    let (out, events, _) = run(&layout, clients(elb), "profile prod", 1);
    assert!(
        out.starts_with(
            "source elbv2:seoul.tg: credentials expired (DescribeTargetGroups: ExpiredToken"
        ),
        "{out}"
    );
    let statuses: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SourceStatus(s) => Some(s.state),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [SourceState::CredentialsExpired]);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.body, EventBody::TargetHealth(_))),
        "no data while credentials fail"
    );
}
