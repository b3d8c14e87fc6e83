//! Test fixtures shared by the crates' tests (feature `testing`): the test layouts, each a TOML
//! file loaded as `warroom check` loads one (`small.toml` for the pollers, `judged.toml` with its
//! runbook for the judgement, a quota-watching one), time helpers, and the ticketing layout with
//! its generated 14-day recording. Never compiled into the product.

mod fortnight;
mod layout;

pub use fortnight::{fortnight, tix_layout, tix_layout_file, tix_runbook_file};
pub use layout::*;
