//! How many places the room gives, from the collector's open-file limit: the soft limit is
//! raised to the hard one when the room opens; the default caps hold when their descriptors
//! (every screen, every connection saying hello, the catch-up readers) fit under it with a
//! reserve kept for the collector's own work, else they are lowered in proportion to fit, and
//! the room says so.

use nix::sys::resource::{Resource, getrlimit, setrlimit};

use super::catch_up::CATCH_UP_READERS;

/// Screens attached at most, watchers and operators together.
pub const MAX_SCREENS: usize = 256;
/// Watchers (read-only screens) attached at most: the other seats are kept for operators.
pub const MAX_WATCHERS: usize = 192;
/// Connections still saying hello at most, and per Unix account.
pub const MAX_CONNECTING: usize = 64;
pub const MAX_CONNECTING_PER_ACCOUNT: usize = 8;
/// Descriptors the room never takes: the collector's own work (the recording and its lock, the
/// pollers' sockets, summary deliveries, the runtime, standard streams).
pub const FD_RESERVE: u64 = 128;

/// The room's caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub screens: usize,
    pub watchers: usize,
    pub connecting: usize,
    pub connecting_per_account: usize,
    /// The open-file limit the caps were lowered to fit; None: the defaults.
    pub lowered_for: Option<u64>,
}

impl Caps {
    /// The room's places in words, for the collector's start: `the room seats 256 screens (192
    /// watchers at most), 64 connecting (8 per account)`, and why when lowered.
    pub fn describe(&self) -> String {
        let lowered = self.lowered_for.map_or_else(String::new, |limit| {
            format!("; lowered: the collector may open only {limit} files (raise LimitNOFILE)")
        });
        format!(
            "the room seats {} screens ({} watchers at most), {} connecting ({} per account){lowered}",
            self.screens, self.watchers, self.connecting, self.connecting_per_account
        )
    }
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            screens: MAX_SCREENS,
            watchers: MAX_WATCHERS,
            connecting: MAX_CONNECTING,
            connecting_per_account: MAX_CONNECTING_PER_ACCOUNT,
            lowered_for: None,
        }
    }
}

/// Descriptors the default caps need, the reserve included.
pub const FDS_NEEDED: u64 = (MAX_SCREENS + MAX_CONNECTING + CATCH_UP_READERS) as u64 + FD_RESERVE;

impl Caps {
    /// The caps under an open-file limit of `limit`: the defaults when [`FDS_NEEDED`] fit,
    /// else screens and connections saying hello in the defaults' proportions (watchers and each
    /// account's share too) within what the reserve and the catch-up readers leave, at least
    /// one of each.
    #[must_use]
    pub fn for_open_files(limit: u64) -> Caps {
        if limit >= FDS_NEEDED {
            return Caps::default();
        }
        let left = limit.saturating_sub(FD_RESERVE + CATCH_UP_READERS as u64);
        let left = usize::try_from(left).unwrap_or(usize::MAX);
        let screens = (left * MAX_SCREENS / (MAX_SCREENS + MAX_CONNECTING)).max(1);
        let connecting = left.saturating_sub(screens).max(1);
        Caps {
            screens,
            watchers: screens * MAX_WATCHERS / MAX_SCREENS,
            connecting,
            connecting_per_account: (connecting * MAX_CONNECTING_PER_ACCOUNT / MAX_CONNECTING)
                .max(1),
            lowered_for: Some(limit),
        }
    }

    /// What a refusal adds when the caps were lowered: why the room seats so few.
    pub(crate) fn why_fewer(&self) -> String {
        self.lowered_for.map_or_else(String::new, |limit| {
            format!(
                "; the collector may open only {limit} files (it needs {FDS_NEEDED} for the full \
                 room)"
            )
        })
    }

    /// The caps under this process's open-file limit, its soft limit raised to the hard one
    /// first; a warning when they are lowered. The defaults when the limit cannot be read.
    pub(crate) fn of_this_process() -> Caps {
        let Some(limit) = raise_open_files() else {
            return Caps::default();
        };
        let caps = Caps::for_open_files(limit);
        if caps.lowered_for.is_some() {
            tracing::warn!(
                limit,
                needed = FDS_NEEDED,
                screens = caps.screens,
                watchers = caps.watchers,
                connecting = caps.connecting,
                "the open-file limit is too small for the room: its caps are lowered to fit \
                 (raise the limit: LimitNOFILE= in the systemd unit, ulimit -n)"
            );
        }
        caps
    }
}

/// Raises this process's soft open-file limit to its hard limit (at most 2^20, the kernel's
/// usual ceiling); the soft limit now, None when it cannot be read.
fn raise_open_files() -> Option<u64> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
    let target = hard.min(1 << 20);
    if soft >= target {
        return Some(soft);
    }
    match setrlimit(Resource::RLIMIT_NOFILE, target, hard) {
        Ok(()) => Some(target),
        Err(e) => {
            tracing::debug!(error = %e, soft, hard, "cannot raise the open-file limit");
            Some(soft)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fds(c: &Caps) -> u64 {
        (c.screens + c.connecting + CATCH_UP_READERS) as u64 + FD_RESERVE
    }

    #[test]
    fn the_defaults_hold_when_they_fit_with_the_reserve() {
        for limit in [FDS_NEEDED, 1024, 65_536, u64::MAX] {
            assert_eq!(Caps::for_open_files(limit), Caps::default(), "{limit}");
        }
        assert_eq!(FDS_NEEDED, 452);
    }

    #[test]
    fn under_a_small_limit_the_caps_are_lowered_to_fit_and_say_why() {
        let caps = Caps::for_open_files(256);
        assert_eq!(
            caps,
            Caps {
                screens: 99,
                watchers: 74,
                connecting: 25,
                connecting_per_account: 3,
                lowered_for: Some(256),
            }
        );
        assert_eq!(fds(&caps), 256);
        assert_eq!(
            caps.why_fewer(),
            "; the collector may open only 256 files (it needs 452 for the full room)"
        );
        assert_eq!(Caps::default().why_fewer(), "");
        assert_eq!(
            Caps::default().describe(),
            "the room seats 256 screens (192 watchers at most), 64 connecting (8 per account)"
        );
        assert!(
            caps.describe().starts_with("the room seats 99 screens")
                && caps
                    .describe()
                    .ends_with("only 256 files (raise LimitNOFILE)"),
            "{}",
            caps.describe()
        );
    }

    #[test]
    fn every_limit_gets_caps_within_it_and_the_defaults_never_exceeded() {
        let mut last = Caps::for_open_files(0);
        for limit in 0..=FDS_NEEDED + 10 {
            let c = Caps::for_open_files(limit);
            let fewest = FD_RESERVE + CATCH_UP_READERS as u64 + 2;
            if limit >= fewest {
                assert!(fds(&c) <= limit, "{limit}: {c:?}");
            }
            assert!(c.screens >= 1 && c.connecting >= 1 && c.connecting_per_account >= 1);
            assert!(
                c.screens <= MAX_SCREENS && c.connecting <= MAX_CONNECTING,
                "{c:?}"
            );
            assert!(
                c.watchers < c.screens || c.watchers == MAX_WATCHERS,
                "{c:?}"
            );
            assert!(c.connecting_per_account <= c.connecting.min(MAX_CONNECTING_PER_ACCOUNT));
            assert!(c.screens >= last.screens && c.connecting >= last.connecting);
            last = c;
        }
    }

    #[test]
    fn the_room_raises_its_own_soft_limit_to_the_hard_one() {
        let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE).expect("the limit");
        let target = hard.min(1 << 20);
        // One below: no other test running alongside can miss it.
        setrlimit(Resource::RLIMIT_NOFILE, target - 1, hard).expect("lowered");
        let caps = Caps::of_this_process();
        let (soft, _) = getrlimit(Resource::RLIMIT_NOFILE).expect("the limit");
        assert_eq!(soft, target);
        assert_eq!(caps, Caps::for_open_files(target));
    }
}
