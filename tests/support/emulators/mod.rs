//! The emulator test harness: independent AWS emulators (ministack for CloudWatch over CBOR,
//! moto_server for ELBv2, WAFv2, Logs and SNS) found or started on loopback, SDK clients pointed
//! at them with static test credentials, seed helpers, and a recorder that runs warroom's real
//! pollers into a recording and reads it back. See docs/testing.md.
//!
//! A test starts with `let Some(url) = emulators::url(Emulator::Moto, "test name") else {
//! return };`: the URL comes from `WARROOM_TEST_<NAME>_URL` (set by `scripts/emulators.sh run`
//! and `.ci/run`), else the emulator is started from the virtualenv by `scripts/emulators.sh
//! serve`; when there is no virtualenv the test prints a loud notice, records it, and returns
//! (or fails, with `WARROOM_TEST_EMULATORS=require`).

// Each test binary includes this module and uses only part of it.
#![allow(dead_code, unused_imports)]

pub mod clients;
pub mod cloudwatch;
pub mod fixture;
pub mod moto;
pub mod recording;
pub mod server;

pub use clients::{client_set, region_clients, sdk_config};
pub use recording::{Recording, record};
pub use server::{Emulator, run_id, url};
