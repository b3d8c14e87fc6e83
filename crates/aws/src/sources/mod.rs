//! Live sources: pollers over the AWS SDK, each a thin wrapper returning `model` events, and the
//! scheduler that runs them (period-aligned, jittered, with timeouts and back-off) and sends
//! every poll batch to the log writer over a channel.
//!
//! Per-account role assumption (one `ClientSet` per account) is built by `live::accounts`;
//! not yet here: `CloudWatch` cross-account observability (`AccountId` per query).

pub mod alarms;
pub mod budget;
pub mod classify;
pub mod clients;
pub mod cloudwatch;
pub mod elbv2;
pub mod ga;
pub mod logs;
pub mod lookup;
pub mod pollers;
pub mod quotas;
pub mod scheduler;
pub mod waf;

use chrono::{DateTime, Utc};

pub use classify::CallError;
pub use clients::{ClientSet, RegionClients};

/// An SDK timestamp as UTC, if representable.
pub(crate) fn to_utc(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// A UTC time as an SDK timestamp.
pub(crate) fn to_aws(t: DateTime<Utc>) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_secs_and_nanos(t.timestamp(), t.timestamp_subsec_nanos())
}
