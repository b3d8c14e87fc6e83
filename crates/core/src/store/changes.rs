//! A bounded history of one snapshot value's changes (target counts, the firing-alarm count, an
//! endpoint group's health and dial, an alarm's state), so that evaluation can tell how long a
//! comparison's truth has held, not only how long the value has been unchanged.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

/// Changes kept per value by default (a count polled every 30 s changing at every poll keeps
/// two hours of history).
pub(crate) const CHANGES_KEPT: usize = 256;

/// The values a snapshot took and when, oldest first: only changes are recorded, a snapshot
/// repeating the current value adds nothing.
#[derive(Debug, Clone)]
pub struct Changes<T> {
    /// The current value and when it was taken.
    cur: (DateTime<Utc>, T),
    /// The values before it, oldest first, at most `cap - 1`.
    earlier: VecDeque<(DateTime<Utc>, T)>,
    cap: usize,
}

impl<T: Copy + PartialEq> Changes<T> {
    /// The first value seen, at `at`; at most `cap` values are kept (the oldest dropped).
    pub(crate) fn new(at: DateTime<Utc>, v: T, cap: usize) -> Self {
        Changes {
            cur: (at, v),
            earlier: VecDeque::new(),
            cap: cap.max(1),
        }
    }

    /// Records the value seen at `at` (not older than the current one's); true if it changed.
    pub(crate) fn record(&mut self, at: DateTime<Utc>, v: T) -> bool {
        if self.cur.1 == v {
            return false;
        }
        if self.earlier.len() + 1 >= self.cap {
            self.earlier.pop_front();
        }
        let at = at.max(self.cur.0);
        if self.cap > 1 {
            self.earlier.push_back(self.cur);
        }
        self.cur = (at, v);
        true
    }

    /// The current value.
    pub(crate) fn current(&self) -> T {
        self.cur.1
    }

    fn newest_first(&self) -> impl Iterator<Item = &(DateTime<Utc>, T)> {
        std::iter::once(&self.cur).chain(self.earlier.iter().rev())
    }

    /// The value held at `t`; None before the oldest value kept.
    pub(crate) fn as_of(&self, t: DateTime<Utc>) -> Option<T> {
        self.newest_first().find(|c| c.0 <= t).map(|c| c.1)
    }

    /// When each value kept was taken, newest first.
    pub(crate) fn times(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.newest_first().map(|c| c.0)
    }

    /// Since when `holds` has been true of every value up to the current one (when the newest
    /// run of values it holds for began); None if it does not hold of the current value.
    pub(crate) fn held_since(&self, holds: impl Fn(T) -> bool) -> Option<DateTime<Utc>> {
        let mut since = None;
        for &(at, v) in self.newest_first() {
            if !holds(v) {
                break;
            }
            since = Some(at);
        }
        since
    }
}
