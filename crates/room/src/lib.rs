//! warroom-room: the war room as a team. One collector owns the log (the only writer) and
//! serves it on a Unix socket (`host`); every operator's screen attaches (`viewer`), catches up
//! from the log, folds the same steps the journal takes, and sends its operator actions back as
//! requests, which the collector checks, stamps with who made them, writes and broadcasts. The
//! wire between them is the log's own types as JSON lines (`wire`).

pub mod host;
pub mod viewer;
pub mod wire;

pub use host::{Inbound, Options, RoomHost};
pub use viewer::{Link, LinkOptions, Received};

#[cfg(test)]
mod tests;
