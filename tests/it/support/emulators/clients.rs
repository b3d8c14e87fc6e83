//! SDK clients for an emulator: the SDK config warroom's pollers use (timeouts,
//! retry) with the emulator as `endpoint_url` and static test credentials. Nothing is read from
//! the environment or profiles, and only loopback endpoints are accepted, so these clients can
//! never reach real AWS.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use warroom_aws::sources::clients::{retry_config, timeout_config};
use warroom_aws::sources::{ClientSet, RegionClients};

/// The shared config of every client pointed at `url` (a loopback emulator), in `region`.
pub fn sdk_config(url: &str, region: &str) -> SdkConfig {
    assert!(
        url.starts_with("http://127.0.0.1:") || url.starts_with("http://localhost:"),
        "emulator tests only talk to loopback endpoints, not {url:?}"
    );
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(region.to_string()))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "test",
            "test",
            None,
            None,
            "warroom-emulator-tests",
        )))
        .timeout_config(timeout_config())
        .retry_config(retry_config())
        .build()
}

/// warroom's client set for `regions`, every client pointed at `url`.
pub fn client_set(url: &str, regions: &[String]) -> ClientSet {
    let first = regions.first().map_or("us-east-1", String::as_str);
    ClientSet::from_sdk_config(&sdk_config(url, first), regions)
}

/// The clients of one region, pointed at `url`.
pub fn region_clients(url: &str, region: &str) -> RegionClients {
    RegionClients::new(&sdk_config(url, region), region)
}
