//! What a screen that just attached lacks, read from the recording on disk: the events from its
//! position up to where the journal had published when it registered, in batches of one time
//! as a replay folds them. Read and serialised on a blocking thread, written by the screen's own
//! task, so a long log slows nobody else. A few readers run at once in the whole room (a screen
//! past them waits for one to end), each a bounded number of bytes ahead of its screen, so
//! hundreds of screens attaching at once hold a few threads and a few hundred KiB, not hundreds
//! of threads each with its own read-ahead (memory a process keeps at its peak afterwards).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use warroom_core::journal::Step;
use warroom_core::pipeline::batches;
use warroom_core::record::Reader;

use crate::wire::{self, FromRoom};

/// Catch-up readers at once in the whole room: each holds a thread, the recording open and its
/// read-ahead.
pub const CATCH_UP_READERS: usize = 4;
/// Bytes of serialised lines one reader holds ahead of its screen's writer; a longer line is
/// read ahead alone.
pub const AHEAD_BYTES: usize = 256 * 1024;
/// Lines one reader holds ahead at most, however short.
const AHEAD_LINES: usize = 64;

/// The room's catch-up readers: the permits, and how many run (for the tests, the most ever).
pub(crate) struct Readers {
    permits: Arc<Semaphore>,
    running: AtomicUsize,
    peak: AtomicUsize,
}

impl Default for Readers {
    fn default() -> Self {
        Readers {
            permits: Arc::new(Semaphore::new(CATCH_UP_READERS)),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }
}

impl Readers {
    /// The most readers that ever ran at once.
    #[cfg(test)]
    pub(crate) fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// A reader running: counted until it ends, then its permit goes to the next screen.
struct Running {
    readers: Arc<Readers>,
    _permit: OwnedSemaphorePermit,
}

impl Running {
    fn start(readers: Arc<Readers>, permit: OwnedSemaphorePermit) -> Running {
        let now = readers.running.fetch_add(1, Ordering::SeqCst) + 1;
        readers.peak.fetch_max(now, Ordering::SeqCst);
        Running {
            readers,
            _permit: permit,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Before the permit is given back (fields drop after this body).
        self.readers.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One line read ahead, holding its share of the read-ahead until the screen's task drops it.
pub(crate) struct Ahead {
    pub(crate) line: Arc<str>,
    _bytes: OwnedSemaphorePermit,
}

/// Starts reading `recording`'s events `[from, to)` once one of the room's `readers` is free;
/// the lines come on the returned channel, which closes when done (or with an error line's
/// absence: the screen then reconnects). A screen that leaves while waiting gives up its turn.
pub(crate) fn read(
    readers: &Arc<Readers>,
    recording: PathBuf,
    from: u64,
    to: u64,
) -> mpsc::Receiver<Ahead> {
    let (tx, rx) = mpsc::channel(AHEAD_LINES);
    let readers = Arc::clone(readers);
    tokio::spawn(async move {
        let permit = tokio::select! {
            p = Arc::clone(&readers.permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => return,
            },
            () = tx.closed() => return,
        };
        let running = Running::start(readers, permit);
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let _running = running;
            let Ok((_, mut reader)) = Reader::open(&recording) else {
                tracing::error!(path = %recording.display(), "cannot read the recording for a screen");
                return;
            };
            let budget = Arc::new(Semaphore::new(AHEAD_BYTES));
            let count = usize::try_from(to.saturating_sub(from)).unwrap_or(usize::MAX);
            let skip = usize::try_from(from).unwrap_or(usize::MAX);
            let mut seq = from;
            for events in batches(reader.by_ref().skip(skip).take(count)) {
                let n = events.len() as u64;
                let line: Arc<str> =
                    wire::line(&FromRoom::Step(Step::Batch { seq, events })).into();
                seq += n;
                let share = u32::try_from(line.len().min(AHEAD_BYTES)).unwrap_or(u32::MAX);
                let bytes = runtime.block_on(async {
                    tokio::select! {
                        b = Arc::clone(&budget).acquire_many_owned(share) => b.ok(),
                        () = tx.closed() => None,
                    }
                });
                let Some(bytes) = bytes else { return };
                if tx
                    .blocking_send(Ahead {
                        line,
                        _bytes: bytes,
                    })
                    .is_err()
                {
                    return;
                }
            }
        });
    });
    rx
}
