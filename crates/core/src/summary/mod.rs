//! Leadership summaries: the summary as data drafted from the evaluated state (`build`), when it
//! is due (`schedule`, `scheduler`) and how it looks (`render`). How it reaches leadership (the
//! sinks, retries, the log as outbox) is `warroom_aws::delivery`. Reference: docs/summary.md.
//!
//! Data flow: pipeline batch -> [`Scheduler::due`] -> `summary` event written to the log ->
//! delivery task per sink -> `summary_delivery` events back into the log -> folded by `store`
//! (`State::summaries`) for the views.

pub mod build;
pub mod digest;
pub mod headline;
pub mod metrics;
pub mod recap;
pub mod render;
pub mod schedule;
pub mod scheduler;

pub use build::{Inputs, Request, build, edited, summary_id};
pub use digest::Digest;
pub use render::{Format, render};
pub use scheduler::Scheduler;
