//! warroom-core: the event log and everything computed from it, with no AWS SDK and no terminal.
//!
//! Data flow (docs/architecture.md): layout + runbook -> `config`; sources append
//! `model::Event`s to one log (`record`); the state is a fold over that log (`store`, driven by
//! `pipeline`); `eval` judges it (status, runbook triggers, return to normal); leadership
//! summaries (`summary`) and the post-mortem report (`report`) read the result; `ready` judges
//! the workload's readiness for the event from plain facts (read from AWS by `warroom-aws`).
//! Time comes from one of three clocks behind one trait (`clock`). The other crates bring the
//! events (AWS pollers, the simulator) and show them (the dashboard).

pub mod board;
pub mod builtin;
pub mod clock;
pub mod config;
pub mod eval;
pub mod journal;
pub mod metric_retention;
pub mod metric_window;
pub mod model;
pub mod pipeline;
pub mod ready;
pub mod record;
pub mod report;
pub mod sanitize;
pub mod source;
pub mod store;
pub mod summary;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time;
