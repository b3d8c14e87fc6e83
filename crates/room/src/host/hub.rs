//! The screens attached now, each with a bounded queue of lines to write. The journal's owner
//! publishes every step here without ever waiting: a screen whose queue is full (a frozen SSH
//! session that stopped reading) is dropped, with a message, and catches up from the log when
//! it comes back; it never slows the collector or the other screens.

use std::collections::BTreeMap;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{mpsc, watch};

use super::Inbound;

/// Lines queued for one screen at most (a few minutes of steps).
pub const QUEUE: usize = 512;

/// One screen's queue, and the word that it was dropped (its task stops even mid-write).
pub(crate) struct Viewer {
    queue: mpsc::Sender<Arc<str>>,
    dropped: watch::Sender<bool>,
}

impl Viewer {
    fn take(&self, line: Arc<str>) -> bool {
        let ok = self.queue.try_send(line).is_ok();
        if !ok {
            let _ = self.dropped.send(true);
        }
        ok
    }
}

pub(crate) struct Hub {
    viewers: Mutex<BTreeMap<u64, Viewer>>,
    /// Events published so far: the log position every screen has been sent. Written only
    /// under the `viewers` lock, so a screen that registers gets every event either from the
    /// log on disk (before this position) or from its queue (after it).
    published: AtomicU64,
    next_conn: AtomicU64,
    inbound: mpsc::UnboundedSender<Inbound>,
    /// Written on every inbound message, so a screen's event loop wakes at once.
    wake: UnixStream,
    /// Raised when the room closes: every screen is told, then its link closed.
    closing: watch::Sender<bool>,
}

impl Hub {
    pub(crate) fn new(
        published: u64,
        first_conn: u64,
        inbound: mpsc::UnboundedSender<Inbound>,
        wake: UnixStream,
    ) -> Self {
        Hub {
            viewers: Mutex::new(BTreeMap::new()),
            published: AtomicU64::new(published),
            next_conn: AtomicU64::new(first_conn),
            inbound,
            wake,
            closing: watch::channel(false).0,
        }
    }

    /// Tells every screen the room closes.
    pub(crate) fn close(&self) {
        let _ = self.closing.send(true);
    }

    /// The word that the room closes.
    pub(crate) fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    fn viewers(&self) -> MutexGuard<'_, BTreeMap<u64, Viewer>> {
        // A poisoned lock only means a panic elsewhere: the map itself is still whole.
        self.viewers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn next_conn(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Adds a screen: its queue, the word that it was dropped, and the log position up to
    /// which it must read the log itself.
    pub(crate) fn register(
        &self,
        conn: u64,
    ) -> (u64, mpsc::Receiver<Arc<str>>, watch::Receiver<bool>) {
        let (queue, rx) = mpsc::channel(QUEUE);
        let (dropped, gone) = watch::channel(false);
        let mut v = self.viewers();
        v.insert(conn, Viewer { queue, dropped });
        (self.published.load(Ordering::Acquire), rx, gone)
    }

    pub(crate) fn unregister(&self, conn: u64) {
        self.viewers().remove(&conn);
    }

    /// The log position every screen has been sent.
    pub(crate) fn published(&self) -> u64 {
        self.published.load(Ordering::Acquire)
    }

    #[cfg(test)]
    pub(crate) fn attached(&self) -> usize {
        self.viewers().len()
    }

    /// Queues `lines` for every screen; `published` is the log position after them. A screen
    /// whose queue is full is dropped (its task says why and closes the link).
    pub(crate) fn publish(&self, lines: &[Arc<str>], published: u64) {
        let mut v = self.viewers();
        v.retain(|conn, q| {
            let kept = lines.iter().all(|l| q.take(l.clone()));
            if !kept {
                tracing::warn!(
                    conn,
                    "a screen fell behind; dropped, it catches up from the log"
                );
            }
            kept
        });
        self.published.store(published, Ordering::Release);
    }

    /// Queues `line` for one screen (an answer).
    pub(crate) fn send_to(&self, conn: u64, line: Arc<str>) {
        let mut v = self.viewers();
        if let Some(q) = v.get(&conn)
            && !q.take(line)
        {
            v.remove(&conn);
        }
    }

    /// Hands a screen's message to the journal's owner and wakes it.
    pub(crate) fn push(&self, msg: Inbound) {
        if self.inbound.send(msg).is_err() {
            tracing::debug!("the journal's owner has gone");
        }
        // Non-blocking: a full wake pipe already says "wake up".
        let _ = std::io::Write::write(&mut &self.wake, &[1]);
    }
}
