//! warroom-aws: where events come from on AWS, and where summaries go. The pollers
//! (`sources`) read CloudWatch, ELBv2, Global Accelerator, WAF and Logs through the real AWS SDK
//! and send `warroom_core::model::Event` batches; `live` runs them for a layout (credentials,
//! routes, the session drained by `collect` and `watch`, `check --aws`); `backfill` builds a
//! recording from CloudWatch history; `delivery` sends leadership summaries to their sinks;
//! `ready_aws` reads the workload a layout names (Auto Scaling, ECS, RDS, ElastiCache, Route 53,
//! Service Quotas and the pollers' services) into the facts `warroom_core::ready` judges.

pub mod backfill;
pub mod delivery;
pub mod live;
pub mod ready_aws;
pub mod sources;

#[cfg(test)]
use warroom_core::{board, pipeline, record};
use warroom_core::{
    clock, config, journal, metric_window, model, ready, sanitize, source, store, summary,
};
