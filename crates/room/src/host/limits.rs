//! The room's places, counted when taken and given back when the connection ends, so the caps
//! hold however many screens arrive at once: a connection takes a place among those still
//! saying hello (bounded in all and per Unix account) as it is accepted; a screen that said
//! hello takes a seat (bounded in all, watchers in fewer seats than all, so they never crowd
//! out the operators). How many of each the room gives are its [`Caps`]. Whatever is refused
//! is told why.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::caps::Caps;

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
    caps: Caps,
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
    pub(crate) fn new(caps: Caps) -> Places {
        Places {
            caps,
            counts: Mutex::default(),
        }
    }

    pub(crate) fn caps(&self) -> Caps {
        self.caps
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A place for a connection of account `uid` to say hello, or why not.
    pub(crate) fn connecting(self: &Arc<Self>, uid: u32) -> Result<Connecting, String> {
        let mut c = self.counts();
        let caps = &self.caps;
        let mine = c.connecting_by.get(&uid).copied().unwrap_or(0);
        if mine >= caps.connecting_per_account {
            return Err(format!(
                "too many screens of this account are connecting at once ({}){}; try again in a \
                 few seconds",
                caps.connecting_per_account,
                caps.why_fewer()
            ));
        }
        if c.connecting >= caps.connecting {
            return Err(format!(
                "too many screens are connecting at once ({}){}; try again in a few seconds",
                caps.connecting,
                caps.why_fewer()
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
        let caps = &self.caps;
        if c.screens >= caps.screens {
            return Err(format!(
                "the room is full: {} screens ({} watchers){}",
                c.screens,
                c.watchers,
                caps.why_fewer()
            ));
        }
        if watcher && c.watchers >= caps.watchers {
            return Err(format!(
                "the room is full for watchers: {} screens ({} watchers, the most it seats; the \
                 other seats are kept for operators){}",
                c.screens,
                c.watchers,
                caps.why_fewer()
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
    use crate::host::caps::{
        MAX_CONNECTING, MAX_CONNECTING_PER_ACCOUNT, MAX_SCREENS, MAX_WATCHERS,
    };

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
