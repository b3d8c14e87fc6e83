//! Helpers shared by the integration tests: pseudo-terminals, the AWS emulators, and the direct
//! simulator as a dashboard model source.

pub mod demo;
pub mod emulators;
pub mod golden;
pub mod pty;
// Shared with the render benchmark, which uses parts the tests do not.
#[allow(dead_code)]
pub mod sim_source;
