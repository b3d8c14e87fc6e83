//! The emulator test harness: independent AWS emulators (ministack for CloudWatch over CBOR,
//! moto_server for ELBv2, WAFv2, Logs and SNS) found or started on loopback, SDK clients pointed
//! at them with static test credentials, seed helpers, and a recorder that runs warroom's real
//! pollers into a recording and reads it back. See docs/testing.md.
//!
//! An emulator test is `#[ignore = "needs the AWS emulators: ..."]` (plain `cargo test` reports
//! it ignored) and starts with `let url = emulators::url(Emulator::Moto);`: the URL comes from
//! `WARROOM_TEST_<NAME>_URL` (set by `scripts/emulators.sh run`, which `scripts/test.sh` and
//! `.ci/run` use), else the emulator is started from the virtualenv by `scripts/emulators.sh
//! serve`; without the virtualenv the test fails, saying how to install it.

pub mod clients;
pub mod cloudwatch;
pub mod fixture;
pub mod moto;
pub mod recording;
pub mod server;

pub use clients::{client_set, region_clients, sdk_config};
pub use recording::{Recording, record};
pub use server::{Emulator, run_id, url};
