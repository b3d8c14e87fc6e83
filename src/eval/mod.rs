//! Evaluation: pure judgement of a `State` against the `Layout`: series, health group, panel,
//! region and overall status; the truth of trigger expressions; runbook step states; the
//! return-to-normal streak; and the timeline of what changed between evaluations.

pub mod format;
pub mod scalar;
pub mod threshold;
pub mod truth;

#[cfg(test)]
pub(crate) mod test_support;

pub use threshold::{SeriesStatus, is_stale, series_status};
pub use truth::{Ctx, Tri, Truth, truth};

#[cfg(test)]
mod tests_threshold;
#[cfg(test)]
mod tests_truth;
