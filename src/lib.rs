//! warroom: a terminal dashboard for event-day war rooms on AWS.
//!
//! Data flow (see docs/architecture.md): layout + runbook -> `config`; sources (the AWS pollers,
//! or the `sim` scenario directly or behind its AWS endpoint) append `model::Event`s to one log
//! (`record`); the state is a fold over that log (`store`); `eval` judges it (status, runbook
//! triggers, return to normal); views, summaries and reports read the result. Time comes from
//! one of three clocks behind one trait (`clock`).

pub mod backfill;
pub mod builtin;
pub mod cli;
pub mod clock;
pub mod config;
pub mod dash;
pub mod eval;
pub mod live;
pub mod logging;
pub mod model;
pub mod pipeline;
pub mod ready;
pub mod ready_aws;
pub mod record;
pub mod report;
pub mod sim;
pub mod sources;
pub mod store;
pub mod summary;
pub mod time;
pub mod tui;
