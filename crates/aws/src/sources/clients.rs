//! The AWS clients the pollers use, built once from one `SdkConfig`: per region `CloudWatch`,
//! `ELBv2`, Logs and `WAFv2`; Global Accelerator pinned to us-west-2; WAF CLOUDFRONT scope pinned to
//! us-east-1.
//!
//! Credentials come from the default chain (environment, profile (`--profile`), SSO, web
//! identity, container, IMDS); `AWS_ENDPOINT_URL` (and the per-service variants) are honoured
//! by aws-config, which is how the simulator endpoint is reached. Per-account role assumption
//! (`Account.role_arn`) builds one `ClientSet` per account: see `live::accounts`.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::config::GA_API_REGION;
use crate::config::layout::WafScope;

/// WAF for `CloudFront`: "For all calls, use the Region endpoint us-east-1".
pub(crate) const WAF_CLOUDFRONT_REGION: &str = "us-east-1";

pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub(crate) const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(20);

/// The clients of one region.
#[derive(Debug, Clone)]
pub struct RegionClients {
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub elbv2: aws_sdk_elasticloadbalancingv2::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub wafv2: aws_sdk_wafv2::Client,
}

/// Every client the layout needs. Fields are public so tests and the simulator can assemble
/// one from mock or loopback clients.
#[derive(Debug, Clone)]
pub struct ClientSet {
    pub regions: BTreeMap<String, RegionClients>,
    /// Global Accelerator, pinned to us-west-2.
    pub ga: aws_sdk_globalaccelerator::Client,
    /// `WAFv2` for the CLOUDFRONT scope, pinned to us-east-1.
    pub(crate) waf_cloudfront: aws_sdk_wafv2::Client,
}

/// Timeouts of every call: connect 3 s, one attempt 10 s, the whole operation 20 s.
pub fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// Standard retry with two attempts per call (the second after at most a second of jittered
/// back-off); the scheduler backs off between polls itself, on the pollers' clock.
///
/// Not adaptive: its client-side rate limiter, once AWS throttles, makes the retry of a
/// throttled call wait for 10 tokens refilled at 0.5 a second (up to 20 s of real time), and
/// keeps the next calls waiting after the throttling ended. Those waits are real time, while a
/// game day's poll deadline is virtual time: at `--speed 10` a poll has 4.8 s, so the throttled
/// call timed out and the source read `slow` instead of `throttled`, and stayed `slow` while
/// the limiter's backlog lasted. At speed 1 the wait could outlast the operation timeout too.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(2)
}

/// Loads the shared config from the default chain, with warroom's timeouts and retry.
pub(crate) async fn load_sdk_config(profile: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeout_config())
        .retry_config(retry_config());
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

impl RegionClients {
    pub fn new(conf: &SdkConfig, region: &str) -> Self {
        let conf = pinned(conf, region);
        RegionClients {
            cloudwatch: aws_sdk_cloudwatch::Client::new(&conf),
            elbv2: aws_sdk_elasticloadbalancingv2::Client::new(&conf),
            logs: aws_sdk_cloudwatchlogs::Client::new(&conf),
            wafv2: aws_sdk_wafv2::Client::new(&conf),
        }
    }
}

impl ClientSet {
    /// Loads credentials and region settings (`profile` as `--profile`) and builds the clients
    /// of `regions` (usually `Layout::regions()`).
    pub async fn load(profile: Option<&str>, regions: &[String]) -> Self {
        Self::from_sdk_config(&load_sdk_config(profile).await, regions)
    }

    /// Builds the clients of `regions` from an existing config (credentials, endpoint,
    /// timeouts and retry are kept; only the region is pinned per client).
    pub fn from_sdk_config(conf: &SdkConfig, regions: &[String]) -> Self {
        ClientSet {
            regions: regions
                .iter()
                .map(|r| (r.clone(), RegionClients::new(conf, r)))
                .collect(),
            ga: aws_sdk_globalaccelerator::Client::new(&pinned(conf, GA_API_REGION)),
            waf_cloudfront: aws_sdk_wafv2::Client::new(&pinned(conf, WAF_CLOUDFRONT_REGION)),
        }
    }

    pub fn region(&self, region: &str) -> Option<&RegionClients> {
        self.regions.get(region)
    }

    /// The `WAFv2` client for a web ACL: the us-east-1 one for CLOUDFRONT, else its region's.
    pub fn waf(&self, scope: WafScope, region: &str) -> Option<&aws_sdk_wafv2::Client> {
        match scope {
            WafScope::Cloudfront => Some(&self.waf_cloudfront),
            WafScope::Regional => self.region(region).map(|c| &c.wafv2),
        }
    }
}

/// `conf` with its region set to `region` (credentials, endpoint, timeouts and retry kept).
pub(crate) fn pinned(conf: &SdkConfig, region: &str) -> SdkConfig {
    conf.to_builder()
        .region(Region::new(region.to_string()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_config::BehaviorVersion;
    use aws_credential_types::Credentials;
    use aws_credential_types::provider::SharedCredentialsProvider;

    fn conf() -> SdkConfig {
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::for_tests()))
            .timeout_config(timeout_config())
            .retry_config(retry_config())
            .build()
    }

    fn region_of(c: &aws_sdk_wafv2::Client) -> String {
        c.config()
            .region()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    #[test]
    fn clients_are_pinned_to_their_regions() {
        let regions = vec!["ap-northeast-2".to_string(), "us-east-1".to_string()];
        let set = ClientSet::from_sdk_config(&conf(), &regions);
        assert_eq!(set.regions.len(), 2);
        let seoul = set.region("ap-northeast-2").expect("seoul");
        assert_eq!(
            seoul.cloudwatch.config().region().map(ToString::to_string),
            Some("ap-northeast-2".into())
        );
        assert_eq!(
            seoul.elbv2.config().region().map(ToString::to_string),
            Some("ap-northeast-2".into())
        );
        assert_eq!(
            set.ga.config().region().map(ToString::to_string),
            Some("us-west-2".into())
        );
        let cf = set.waf(WafScope::Cloudfront, "ap-northeast-2").expect("cf");
        assert_eq!(region_of(cf), "us-east-1");
        let regional = set.waf(WafScope::Regional, "ap-northeast-2").expect("r");
        assert_eq!(region_of(regional), "ap-northeast-2");
        assert!(set.waf(WafScope::Regional, "eu-central-1").is_none());
    }

    #[test]
    fn timeouts_and_retry_are_kept() {
        let set = ClientSet::from_sdk_config(&conf(), &["us-east-1".to_string()]);
        let c = set.ga.config();
        let t = c.timeout_config().expect("timeouts");
        assert_eq!(t.connect_timeout(), Some(CONNECT_TIMEOUT));
        assert_eq!(t.operation_attempt_timeout(), Some(ATTEMPT_TIMEOUT));
        assert_eq!(t.operation_timeout(), Some(OPERATION_TIMEOUT));
        let r = c.retry_config().expect("retry");
        assert_eq!(r.mode(), aws_smithy_types::retry::RetryMode::Standard);
        assert_eq!(r.max_attempts(), 2);
    }
}
