//! Test fixtures shared by the crates' tests (feature `testing`): a small hand-built layout and
//! time helpers, and the ticketing layout with its generated 14-day recording. Never compiled
//! into the product.

mod fortnight;
mod layout;

pub use fortnight::{fortnight, tix_layout, tix_layout_file, tix_runbook_file};
pub use layout::*;
