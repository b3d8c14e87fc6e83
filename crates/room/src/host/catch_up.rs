//! What a screen that just attached lacks, read from the recording on disk: the events from its
//! position up to where the journal had published when it registered, in batches of one time
//! as a replay folds them. Read and serialised on a blocking thread, written by the screen's own
//! task, so a long log slows nobody else.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;
use warroom_core::journal::Step;
use warroom_core::pipeline::batches;
use warroom_core::record::Reader;

use crate::wire::{self, FromRoom};

/// Lines read ahead of the writer.
const AHEAD: usize = 64;

/// Starts reading `recording`'s events `[from, to)`; the lines come on the returned channel,
/// which closes when done (or with an error line's absence: the screen then reconnects).
pub(crate) fn read(recording: PathBuf, from: u64, to: u64) -> mpsc::Receiver<Arc<str>> {
    let (tx, rx) = mpsc::channel(AHEAD);
    tokio::task::spawn_blocking(move || {
        let Ok((_, mut reader)) = Reader::open(&recording) else {
            tracing::error!(path = %recording.display(), "cannot read the recording for a screen");
            return;
        };
        let count = usize::try_from(to.saturating_sub(from)).unwrap_or(usize::MAX);
        let skip = usize::try_from(from).unwrap_or(usize::MAX);
        let mut seq = from;
        for events in batches(reader.by_ref().skip(skip).take(count)) {
            let n = events.len() as u64;
            let line: Arc<str> = wire::line(&FromRoom::Step(Step::Batch { seq, events })).into();
            seq += n;
            if tx.blocking_send(line).is_err() {
                return;
            }
        }
    });
    rx
}
