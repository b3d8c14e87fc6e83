//! The session journal: the one per-batch step every mode takes. A process that owns the log
//! (`collect`, `watch`, `demo`) puts every batch from the sources and every operator request
//! through a [`Journal`]: written to the recording, folded (state, evaluation, status board,
//! timeline), summaries made when due; what it did comes back as [`Step`]s. Every other screen
//! (an attached viewer, a follower of the file, a replay) keeps a [`Fold`] of the same log, so
//! one log gives the room one picture.

mod desk;
mod fold;
mod request;
mod resume;
mod writer;

pub use desk::{Desk, Dispatch};
pub use fold::{Fold, TIMELINE_KEPT};
pub use request::{NAME_MAX, Refusal, Request, TEXT_MAX, Who, check, clean};
pub use resume::{Resumed, resume};
pub use writer::{Journal, Step, TICK, Taken};

#[cfg(test)]
mod tests;
