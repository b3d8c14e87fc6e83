//! Continuing a log: a recording continued with `--append` is read back into a fold and a
//! summary scheduler (which makes nothing while it reads), so the journal starts where the log
//! ends: the state, the timeline, the next incident number, the summaries already made and the
//! deliveries still pending.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::fold::Fold;
use crate::board::Board;
use crate::config::Layout;
use crate::pipeline::batches;
use crate::record::{ReadStats, Reader, RecordError};
use crate::summary::Scheduler;

/// A log read back.
pub struct Resumed {
    pub fold: Fold,
    pub scheduler: Scheduler,
    /// What the reader skipped (a torn last line after a crash).
    pub stats: ReadStats,
}

/// Reads `path` (when given and present) into a fold with `board` and a scheduler; `start` is
/// the log's start when there is nothing to read.
pub fn resume(
    layout: &Layout,
    path: Option<&Path>,
    start: DateTime<Utc>,
    board: Board,
) -> Result<Resumed, RecordError> {
    let mut fold = Fold::new(layout, board);
    let Some(path) = path.filter(|p| p.exists()) else {
        return Ok(Resumed {
            fold,
            scheduler: Scheduler::new(start),
            stats: ReadStats::default(),
        });
    };
    let (header, mut reader) = Reader::open(path)?;
    let mut scheduler = Scheduler::new(header.start);
    for batch in batches(reader.by_ref()) {
        scheduler.observe(&fold.apply(&batch).0);
    }
    Ok(Resumed {
        fold,
        scheduler,
        stats: reader.stats().clone(),
    })
}
