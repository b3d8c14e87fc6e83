//! The clients a readiness run needs, built from one `SdkConfig` like the pollers' `ClientSet`:
//! per region Auto Scaling, ECS, RDS, ElastiCache and Service Quotas; Route 53 pinned to
//! us-east-1 (its API is global); the pollers' clients (CloudWatch, ELBv2, WAFv2, Global
//! Accelerator in us-west-2, WAF CLOUDFRONT scope in us-east-1) for the rest.

use std::collections::BTreeMap;

use aws_config::SdkConfig;

use crate::sources::ClientSet;
use crate::sources::clients::{load_sdk_config, pinned};

/// Route 53's control plane answers in us-east-1.
pub const ROUTE53_REGION: &str = "us-east-1";

#[derive(Debug, Clone)]
pub struct ReadyRegion {
    pub(crate) autoscaling: aws_sdk_autoscaling::Client,
    pub(crate) ecs: aws_sdk_ecs::Client,
    pub(crate) rds: aws_sdk_rds::Client,
    pub(crate) elasticache: aws_sdk_elasticache::Client,
    pub(crate) quotas: aws_sdk_servicequotas::Client,
}

#[derive(Debug, Clone)]
pub struct ReadyClients {
    /// The pollers' clients (CloudWatch, ELBv2, WAFv2, Global Accelerator).
    pub(crate) base: ClientSet,
    pub(crate) regions: BTreeMap<String, ReadyRegion>,
    pub(crate) route53: aws_sdk_route53::Client,
}

impl ReadyRegion {
    pub(crate) fn new(conf: &SdkConfig, region: &str) -> Self {
        let c = pinned(conf, region);
        ReadyRegion {
            autoscaling: aws_sdk_autoscaling::Client::new(&c),
            ecs: aws_sdk_ecs::Client::new(&c),
            rds: aws_sdk_rds::Client::new(&c),
            elasticache: aws_sdk_elasticache::Client::new(&c),
            quotas: aws_sdk_servicequotas::Client::new(&c),
        }
    }
}

impl ReadyClients {
    /// Credentials from the default chain (`profile` as `--profile`), every client pinned.
    pub(crate) async fn load(profile: Option<&str>, regions: &[String]) -> Self {
        Self::from_sdk_config(&load_sdk_config(profile).await, regions)
    }

    pub fn from_sdk_config(conf: &SdkConfig, regions: &[String]) -> Self {
        ReadyClients {
            base: ClientSet::from_sdk_config(conf, regions),
            regions: regions
                .iter()
                .map(|r| (r.clone(), ReadyRegion::new(conf, r)))
                .collect(),
            route53: aws_sdk_route53::Client::new(&pinned(conf, ROUTE53_REGION)),
        }
    }

    pub(crate) fn region(&self, r: &str) -> Option<&ReadyRegion> {
        self.regions.get(r)
    }
}
