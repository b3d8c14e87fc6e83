//! Error logs in the state fold: the most recent lines and the per-minute error counts of each
//! log group, bounded.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};

use crate::model::{LogBatch, LogLine};

/// Lines kept per log group.
pub const LINES_KEPT: usize = 200;
/// Per-minute counts kept per log group (24 h).
pub const COUNTS_KEPT: usize = 1440;
/// Longest message kept, in bytes (longer ones are cut).
const MESSAGE_MAX: usize = 4096;

/// One log group as last polled.
#[derive(Debug, Clone, Default)]
pub struct LogGroupState {
    /// Time of the last batch, None before any.
    pub(crate) at: Option<DateTime<Utc>>,
    lines: VecDeque<LogLine>,
    counts: BTreeMap<DateTime<Utc>, u64>,
}

impl LogGroupState {
    pub(crate) fn apply(&mut self, at: DateTime<Utc>, b: &LogBatch) {
        self.at = Some(self.at.map_or(at, |p| p.max(at)));
        // Batches list newest first; insert oldest first so equal times keep their order.
        for line in b.lines.iter().rev() {
            let mut line = line.clone();
            if line.message.len() > MESSAGE_MAX {
                let mut cut = MESSAGE_MAX;
                while !line.message.is_char_boundary(cut) {
                    cut -= 1;
                }
                line.message.truncate(cut);
            }
            if self
                .lines
                .iter()
                .any(|l| l.ts == line.ts && l.message == line.message && l.stream == line.stream)
            {
                continue;
            }
            let pos = self.lines.partition_point(|l| l.ts <= line.ts);
            if pos == 0 && self.lines.len() >= LINES_KEPT {
                continue;
            }
            self.lines.insert(pos, line);
            while self.lines.len() > LINES_KEPT {
                self.lines.pop_front();
            }
        }
        for c in &b.counts {
            self.counts.insert(c.ts, c.count);
        }
        while self.counts.len() > COUNTS_KEPT {
            self.counts.pop_first();
        }
    }

    /// The kept lines, oldest first.
    pub fn lines(&self) -> impl DoubleEndedIterator<Item = &LogLine> {
        self.lines.iter()
    }

    /// The newest per-minute count.
    pub fn latest_count(&self) -> Option<(DateTime<Utc>, u64)> {
        self.counts.last_key_value().map(|(t, c)| (*t, *c))
    }
}
