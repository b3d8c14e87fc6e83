//! Live mode: the AWS pollers started for a layout (one route per account), their batches
//! drained by `collect` into a recording or by `watch` into the dashboard, the leadership
//! summaries' outbox, the readiness report recorded at the start, and `check --aws` resolution.

pub mod accounts;
pub mod outbox;
mod probe;
pub mod readiness;
pub mod resolve;
pub mod routes;
pub mod session;

pub use routes::Route;
pub use session::{LiveSession, Next};
