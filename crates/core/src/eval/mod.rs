//! Evaluation: pure judgement of a `State` against the `Layout`: series, health group, panel,
//! region and overall status; the truth of trigger expressions; runbook step states; the
//! return-to-normal streak; and the timeline of what changed between evaluations.
//! Rules: docs/evaluation.md.

pub(crate) mod availability;
pub mod detail;
pub mod evaluator;
pub mod format;
pub mod health;
pub mod impact;
pub mod lag;
pub mod rollup;
pub mod rtn;
pub mod runbook;
pub mod scalar;
pub mod success;
pub mod threshold;
pub mod timeline;
pub mod truth;

pub use detail::{Seen, Turned, detail_entries};
pub use evaluator::{Evaluation, Evaluator, judge};
pub use health::{GA_FAIL_OPEN, GaGroupStatus, HealthKind, HealthStatus};
pub use rollup::{Index, PanelStatus};
pub use rtn::{CriterionState, RtnStatus};
pub use runbook::{StepState, TriggerState};
pub use threshold::{SeriesStatus, is_stale, series_status};
pub use timeline::{TimelineEntry, TimelineKind, TimelineLine};
pub use truth::{Ctx, Tri, Truth, truth};

#[cfg(test)]
mod status_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod threshold_tests;
#[cfg(test)]
mod truth_tests;
