//! Helpers shared by the integration tests: pseudo-terminals and the AWS emulators.

pub mod emulators;
pub mod pty;
