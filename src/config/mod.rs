//! Configuration: the layout (TOML) and the runbook (Markdown) it names, parsed and validated
//! into the typed `Layout` every later stage reads. Errors name file, line and column.

pub mod expr;
pub mod layout;
pub mod runbook;

pub use layout::Layout;

/// Global Accelerator's control plane and metrics live in us-west-2 only.
pub const GA_API_REGION: &str = "us-west-2";
