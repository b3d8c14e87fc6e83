//! Test helper: the simulator endpoint on an ephemeral loopback port and a `ClientSet` of real
//! SDK clients pointed at it (static test credentials, `endpoint_url`).
#![allow(dead_code)]

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use chrono::{DateTime, TimeDelta, Utc};
use warroom_aws::sources::ClientSet;
use warroom_core::clock::Clock;
use warroom_core::config::Layout;
use warroom_sim::Scenario;
use warroom_sim::serve::{self, Faults, ServeHandle, ServeOptions};

pub fn reference_layout() -> Layout {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/hybrid-bts.toml");
    warroom_core::config::load(&path).expect("the reference layout loads")
}

pub fn t(layout: &Layout, secs: i64) -> DateTime<Utc> {
    layout.event.start + TimeDelta::seconds(secs)
}

pub async fn server(layout: &Layout, clock: Clock, faults: Faults) -> ServeHandle {
    serve::spawn(
        layout,
        ServeOptions {
            scenario: Scenario::ArmyDrop,
            seed: 42,
            clock,
            faults,
            addr: "127.0.0.1:0".parse().expect("addr"),
        },
    )
    .await
    .expect("endpoint starts")
}

/// An SDK config for the endpoint: region `region`, one attempt (so faults show at once) unless
/// `retries`, attempt and operation timeouts as given.
pub async fn sdk_config(
    url: &str,
    region: &str,
    attempt: Duration,
    operation: Duration,
    retries: bool,
) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new(
            serve::ACCESS_KEY_ID,
            serve::SECRET_ACCESS_KEY,
            None,
            None,
            "static",
        ))
        .endpoint_url(url)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(attempt)
                .operation_timeout(operation)
                .build(),
        )
        .retry_config(if retries {
            RetryConfig::standard()
        } else {
            RetryConfig::standard().with_max_attempts(1)
        })
        .load()
        .await
}

pub async fn clients(url: &str, layout: &Layout) -> ClientSet {
    let conf = sdk_config(
        url,
        "us-east-1",
        Duration::from_secs(5),
        Duration::from_secs(10),
        true,
    )
    .await;
    ClientSet::from_sdk_config(&conf, &layout.regions())
}
