//! Who is in the room, in the state fold: the screens attached to the collector now (by
//! connection) and the joins and leaves as they happened, bounded.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};

use crate::model::{RoomChange, RoomChangeKind};

/// Changes kept for the timeline.
const CHANGES_KEPT: usize = 1000;
/// Screens counted as present at most (a runaway client cannot grow the state).
const PRESENT_KEPT: usize = 1000;
/// Longest name kept, in bytes.
const NAME_MAX: usize = 64;

/// One attached screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub who: String,
    pub user: String,
    pub read_only: bool,
    pub(crate) since: DateTime<Utc>,
}

/// A join or leave as it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomEntry {
    pub(crate) at: DateTime<Utc>,
    pub who: String,
    pub(crate) user: String,
    pub change: RoomChangeKind,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Room {
    present: BTreeMap<u64, Presence>,
    changes: VecDeque<RoomEntry>,
    /// Changes ever folded (the newest are kept).
    folded: u64,
}

fn clip(s: &str) -> String {
    let mut cut = s.len().min(NAME_MAX);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s[..cut].to_string()
}

impl Room {
    pub(crate) fn apply(&mut self, at: DateTime<Utc>, c: &RoomChange) {
        if c.change == RoomChangeKind::Churned {
            // Screens that came and went: nobody stays because of it.
        } else if c.change == RoomChangeKind::Joined {
            if self.present.len() < PRESENT_KEPT || self.present.contains_key(&c.conn) {
                self.present.insert(
                    c.conn,
                    Presence {
                        who: clip(&c.who),
                        user: clip(&c.user),
                        read_only: c.read_only,
                        since: at,
                    },
                );
            }
        } else {
            self.present.remove(&c.conn);
        }
        if self.changes.len() >= CHANGES_KEPT {
            self.changes.pop_front();
        }
        self.folded += 1;
        self.changes.push_back(RoomEntry {
            at,
            who: clip(&c.who),
            user: clip(&c.user),
            change: c.change,
            reason: c.reason.as_deref().map(clip),
        });
    }

    /// The screens attached now, by connection.
    pub fn present(&self) -> impl Iterator<Item = (u64, &Presence)> {
        self.present.iter().map(|(c, p)| (*c, p))
    }

    /// The names of the people in the room, each once, in the order they joined.
    pub fn names(&self) -> Vec<String> {
        let mut by_time: Vec<&Presence> = self.present.values().collect();
        by_time.sort_by_key(|p| p.since);
        let mut out: Vec<String> = Vec::new();
        for p in by_time {
            if !out.contains(&p.who) {
                out.push(p.who.clone());
            }
        }
        out
    }

    /// Changes ever folded: with [`Room::since`], what a reader has not seen yet.
    pub(crate) fn folded(&self) -> u64 {
        self.folded
    }

    /// The changes after the first `seen` (those still kept), oldest first.
    pub(crate) fn since(&self, seen: u64) -> impl Iterator<Item = &RoomEntry> {
        let first_kept = self.folded - self.changes.len() as u64;
        let skip = usize::try_from(seen.saturating_sub(first_kept)).unwrap_or(usize::MAX);
        self.changes.iter().skip(skip)
    }

    /// Joins and leaves, oldest first.
    pub fn changes(&self) -> impl DoubleEndedIterator<Item = &RoomEntry> {
        self.changes.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::at;

    fn change(conn: u64, who: &str, kind: RoomChangeKind) -> RoomChange {
        RoomChange {
            conn,
            who: who.into(),
            user: format!("u-{who}"),
            change: kind,
            read_only: false,
            reason: None,
        }
    }

    #[test]
    fn names_are_listed_once_in_joining_order_and_leave_with_their_last_screen() {
        let mut r = Room::default();
        r.apply(
            at("2026-06-13T11:00:00Z"),
            &change(1, "noc1", RoomChangeKind::Joined),
        );
        r.apply(
            at("2026-06-13T11:01:00Z"),
            &change(2, "kim", RoomChangeKind::Joined),
        );
        r.apply(
            at("2026-06-13T11:02:00Z"),
            &change(3, "noc1", RoomChangeKind::Joined),
        );
        assert_eq!(r.names(), ["noc1", "kim"]);
        r.apply(
            at("2026-06-13T11:03:00Z"),
            &change(1, "noc1", RoomChangeKind::Left),
        );
        assert_eq!(r.names(), ["kim", "noc1"], "noc1 still has a screen");
        r.apply(
            at("2026-06-13T11:04:00Z"),
            &change(3, "noc1", RoomChangeKind::Left),
        );
        assert_eq!(r.names(), ["kim"]);
        assert_eq!(r.changes().count(), 5);
        assert_eq!(
            r.changes().last().expect("a change").change,
            RoomChangeKind::Left
        );
    }
}
