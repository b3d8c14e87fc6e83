//! warroom-sim: the simulator, a source of events: a deterministic HYBRID-BTS world (`world`) as a pure
//! function of (scenario, seed, time), and the observation layer (`observe`) that polls it the
//! way the AWS pollers will, producing the `model::Event`s the log records.
//!
//! Randomness comes from one ChaCha8 stream per (seed, stream name, key) (`rng`), so adding a
//! stream never perturbs another and the same seed gives byte-identical events.

// AWS product and API names (CloudWatch, GetMetricData, ChaCha8) are prose in these docs.
#![allow(clippy::doc_markdown)]

mod curve;
mod fleet;
mod observe;
mod rng;
mod scenario;
mod script;
pub mod serve;
mod world;

pub use observe::Simulator;
pub use scenario::{Scenario, UnknownScenario};
use warroom_core::{clock, config, metric_window, model, source, time};

pub use world::{
    AcceleratorRes, AlarmMeta, AsgState, GaGroupState, MetricRes, QuotaState, RuleState,
    TargetGroupRes, WebAclRes, World, ZONE_ID, ZONE_NAME,
};
