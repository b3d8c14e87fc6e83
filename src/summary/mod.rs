//! Leadership summaries: the summary as data drafted from the evaluated state (`build`), when it
//! is due (`schedule`, `scheduler`), how it looks (`render`), and how it reaches leadership
//! (`deliver` over the `sink`s) with the event log as its outbox. Reference: docs/summary.md.
//!
//! Data flow: pipeline batch -> [`Scheduler::due`] -> `summary` event written to the log ->
//! [`deliver`] task per sink (retries, back-off, HTTP 429 Retry-After) -> `summary_delivery`
//! events back into the log -> folded by `store` (`State::summaries`) for the views.

pub mod build;
pub mod deliver;
pub mod digest;
pub mod headline;
pub mod metrics;
pub mod render;
pub mod schedule;
pub mod scheduler;
pub mod sink;

pub use build::{Inputs, Request, build, summary_id};
pub use deliver::{Clock, Delivery, Policy};
pub use digest::Digest;
pub use render::{Format, render};
pub use scheduler::Scheduler;
