//! The room's places, counted when taken and given back when the connection ends, so the caps
//! hold however many screens arrive at once: a connection takes a place among those still
//! saying hello (bounded in all and per Unix account) as it is accepted; a screen that said
//! hello takes a seat (bounded in all, watchers in fewer seats than all, so they never crowd
//! out the operators). Whatever is refused is told why.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Screens attached at most, watchers and operators together.
pub const MAX_SCREENS: usize = 256;
/// Watchers (read-only screens) attached at most: the other seats are kept for operators.
pub const MAX_WATCHERS: usize = 192;
/// Connections still saying hello at most, and per Unix account: with the seats, the room
/// never holds more than a few hundred descriptors (the collector's own work keeps the rest).
pub const MAX_CONNECTING: usize = 64;
pub const MAX_CONNECTING_PER_ACCOUNT: usize = 8;

#[derive(Debug, Default)]
struct Counts {
    connecting: usize,
    connecting_by: HashMap<u32, usize>,
    screens: usize,
    watchers: usize,
}

/// The room's places.
#[derive(Debug, Default)]
pub(crate) struct Places {
    counts: Mutex<Counts>,
}

/// A place among the connections saying hello; given back when dropped.
pub(crate) struct Connecting {
    places: Arc<Places>,
    uid: u32,
}

/// A seat in the room; given back when dropped.
pub(crate) struct Seat {
    places: Arc<Places>,
    watcher: bool,
}

impl Places {
    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A place for a connection of account `uid` to say hello, or why not.
    pub(crate) fn connecting(self: &Arc<Self>, uid: u32) -> Result<Connecting, String> {
        let mut c = self.counts();
        let mine = c.connecting_by.get(&uid).copied().unwrap_or(0);
        if mine >= MAX_CONNECTING_PER_ACCOUNT {
            return Err(format!(
                "too many screens of this account are connecting at once \
                 ({MAX_CONNECTING_PER_ACCOUNT}); try again in a few seconds"
            ));
        }
        if c.connecting >= MAX_CONNECTING {
            return Err(format!(
                "too many screens are connecting at once ({MAX_CONNECTING}); try again in a few \
                 seconds"
            ));
        }
        c.connecting += 1;
        *c.connecting_by.entry(uid).or_default() += 1;
        Ok(Connecting {
            places: Arc::clone(self),
            uid,
        })
    }

    /// A seat for a screen (a watcher, or one that may act), or why not: `the room is full:
    /// 256 screens (192 watchers)`.
    pub(crate) fn seat(self: &Arc<Self>, watcher: bool) -> Result<Seat, String> {
        let mut c = self.counts();
        if c.screens >= MAX_SCREENS {
            return Err(format!(
                "the room is full: {} screens ({} watchers)",
                c.screens, c.watchers
            ));
        }
        if watcher && c.watchers >= MAX_WATCHERS {
            return Err(format!(
                "the room is full for watchers: {} screens ({} watchers, the most it seats; the \
                 other seats are kept for operators)",
                c.screens, c.watchers
            ));
        }
        c.screens += 1;
        c.watchers += usize::from(watcher);
        Ok(Seat {
            places: Arc::clone(self),
            watcher,
        })
    }

    /// Connections saying hello now.
    #[cfg(test)]
    pub(crate) fn connecting_now(&self) -> usize {
        self.counts().connecting
    }

    /// Screens seated now, and of them watchers.
    #[cfg(test)]
    pub(crate) fn seated(&self) -> (usize, usize) {
        let c = self.counts();
        (c.screens, c.watchers)
    }
}

impl Drop for Connecting {
    fn drop(&mut self) {
        let mut c = self.places.counts();
        c.connecting = c.connecting.saturating_sub(1);
        if let Some(n) = c.connecting_by.get_mut(&self.uid) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                c.connecting_by.remove(&self.uid);
            }
        }
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut c = self.places.counts();
        c.screens = c.screens.saturating_sub(1);
        if self.watcher {
            c.watchers = c.watchers.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watchers_never_take_the_operators_seats_and_seats_come_back() {
        let places = Arc::new(Places::default());
        let watchers: Vec<Seat> = (0..MAX_WATCHERS)
            .map(|_| places.seat(true).expect("a watcher's seat"))
            .collect();
        let refused = places.seat(true).err().expect("no more watchers");
        assert!(refused.contains("full for watchers"), "{refused}");
        let operators: Vec<Seat> = (MAX_WATCHERS..MAX_SCREENS)
            .map(|_| places.seat(false).expect("an operator's seat"))
            .collect();
        let full = places.seat(false).err().expect("full");
        assert_eq!(full, "the room is full: 256 screens (192 watchers)");
        drop(watchers);
        drop(operators);
        assert_eq!(places.seated(), (0, 0));
    }

    #[test]
    fn one_account_cannot_take_every_place_to_say_hello() {
        let places = Arc::new(Places::default());
        let mine: Vec<Connecting> = (0..MAX_CONNECTING_PER_ACCOUNT)
            .map(|_| places.connecting(1000).expect("a place"))
            .collect();
        assert!(places.connecting(1000).is_err());
        let others: Vec<Connecting> = (0..MAX_CONNECTING - MAX_CONNECTING_PER_ACCOUNT)
            .map(|i| {
                places
                    .connecting(2000 + u32::try_from(i % 7).unwrap_or(0))
                    .expect("a place")
            })
            .collect();
        assert!(places.connecting(3000).is_err(), "all places taken");
        drop(mine);
        places.connecting(3000).expect("given back");
        drop(others);
    }
}
