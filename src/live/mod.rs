//! Live mode: the AWS pollers started for a layout (one route per account), their batches
//! drained by `collect` into a recording or by `watch` into the dashboard, and the status board
//! that says which sources are fine, failing or stale. `loopback` runs the same pollers against
//! the in-process simulator endpoint for `warroom demo`.

pub mod accounts;
pub mod board;
pub mod collector;
pub mod loopback;
pub mod names;
pub mod outbox;
pub mod readiness;
pub mod recording;
pub mod resolve;
pub mod routes;
pub mod session;
pub mod sim_clock;

pub use board::Board;
pub use routes::Route;
pub use session::{LiveSession, Next};
