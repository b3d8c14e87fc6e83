//! Test fixtures shared by the crates' tests (feature `testing`): a small hand-built layout and
//! time helpers. Never compiled into the product.

mod layout;

pub use layout::*;
