//! Each fault kind of the simulator endpoint reaches the pollers' wrappers as the SDK error
//! `sources::classify` turns into the source state the room sees: throttled, error, credentials
//! expired, slow; and the call after the window ends is answered normally.

// Short names (h endpoint, w world, a/b window ends, g group) as in the AWS docs' examples.
#![allow(clippy::many_single_char_names)]

use crate::simserve_common;

use std::time::Duration;

use simserve_common::{reference_layout, sdk_config, server, t};
use warroom_aws::sources::{cloudwatch, elbv2, logs};
use warroom_core::clock::Clock;
use warroom_core::model::SourceState;
use warroom_sim::serve::{FaultKind, Faults, Service};

async fn state_under(spec: &str) -> Vec<(Service, SourceState)> {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 600));
    let mut faults = Faults::parse(spec, layout.event.start, layout.event.tz()).expect("spec");
    faults.slow_delay = Duration::from_secs(3);
    let h = server(&layout, clock, faults).await;
    let url = h.endpoint_url();
    let attempt = Duration::from_millis(700);
    let op = Duration::from_millis(1500);
    let seoul = sdk_config(&url, "ap-northeast-2", attempt, op, false).await;
    let now = clock.now();
    let mut out = vec![];

    let cw = aws_sdk_cloudwatch::Client::new(&seoul);
    let plan = warroom_core::metric_window::plan(&layout)
        .remove("ap-northeast-2")
        .expect("plan");
    let s = match cloudwatch::poll(&cw, &plan, now).await {
        Ok(_) => SourceState::Ok,
        Err(e) => e.call().state,
    };
    out.push((Service::CloudWatch, s));

    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&seoul);
    let s = match elbv2::resolve_target_group(&elb, "BTS-tg").await {
        Ok(_) => SourceState::Ok,
        Err(e) => e.state(),
    };
    out.push((Service::Elbv2, s));

    let lg = aws_sdk_cloudwatchlogs::Client::new(&seoul);
    let g = &layout.log_groups[0];
    let s = match logs::recent_lines(&lg, &g.name, &g.filter, now).await {
        Ok(_) => SourceState::Ok,
        Err(e) => e.state(),
    };
    out.push((Service::Logs, s));
    let faulted = h.calls().iter().filter(|c| c.fault.is_some()).count();
    assert!(
        faulted >= 3 || spec.contains("T+1h"),
        "{faulted} faulted calls journaled"
    );
    h.shutdown().await;
    out
}

fn all(state: SourceState) -> Vec<(Service, SourceState)> {
    vec![
        (Service::CloudWatch, state),
        (Service::Elbv2, state),
        (Service::Logs, state),
    ]
}

#[tokio::test]
async fn throttling_is_throttled_in_every_protocol() {
    assert_eq!(
        state_under("*:throttle@T+9m..T+11m").await,
        all(SourceState::Throttled)
    );
}

#[tokio::test]
async fn server_errors_and_malformed_bodies_are_errors() {
    assert_eq!(
        state_under("*:5xx@T+9m..T+11m").await,
        all(SourceState::Error)
    );
    assert_eq!(
        state_under("*:malformed@T+9m..T+11m").await,
        all(SourceState::Error)
    );
}

#[tokio::test]
async fn dropped_connections_are_errors() {
    assert_eq!(
        state_under("*:drop@T+9m..T+11m").await,
        all(SourceState::Error)
    );
}

#[tokio::test]
async fn expired_tokens_are_credentials_expired() {
    assert_eq!(
        state_under("*:expired@T+9m..T+11m").await,
        all(SourceState::CredentialsExpired)
    );
}

#[tokio::test]
async fn answers_slower_than_the_client_timeout_are_slow() {
    assert_eq!(
        state_under("*:slow@T+9m..T+11m").await,
        all(SourceState::Slow)
    );
}

#[tokio::test]
async fn outside_its_window_a_fault_does_nothing() {
    assert_eq!(
        state_under("*:throttle@T+1h..T+2h").await,
        all(SourceState::Ok)
    );
}

#[tokio::test]
async fn faults_are_per_service_and_journaled() {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 600)).with_speed(60.0);
    let faults = Faults::parse(
        "elbv2:throttle@T+9m..T+11m",
        layout.event.start,
        layout.event.tz(),
    )
    .expect("spec");
    let h = server(&layout, clock, faults).await;
    let conf = sdk_config(
        &h.endpoint_url(),
        "ap-northeast-2",
        Duration::from_secs(2),
        Duration::from_secs(4),
        false,
    )
    .await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&conf);
    let err = elbv2::resolve_target_group(&elb, "BTS-tg")
        .await
        .expect_err("throttled");
    assert_eq!(err.state(), SourceState::Throttled);
    let cw = aws_sdk_cloudwatch::Client::new(&conf);
    let plan = warroom_core::metric_window::plan(&layout)
        .remove("ap-northeast-2")
        .expect("plan");
    cloudwatch::poll(&cw, &plan, clock.now())
        .await
        .expect("cloudwatch unaffected");
    // At 60x the window ends a second of real time after the start; then calls are answered.
    let left = (t(&layout, 660) - clock.now()).to_std().unwrap_or_default();
    tokio::time::sleep(clock.real(left) + Duration::from_millis(100)).await;
    elbv2::resolve_target_group(&elb, "BTS-tg")
        .await
        .expect("recovered");
    let calls = h.calls();
    assert_eq!(calls[0].fault, Some(FaultKind::Throttle));
    assert_eq!(calls.last().map(|c| c.fault), Some(None));
    h.shutdown().await;
}
