//! The recording's own clock for a replay: it starts at the recording's start, runs `speed`
//! times faster than real time (1x to 3600x), pauses, and jumps when the analyst seeks; it never
//! reads past the recording's end.

use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};

/// Slowest and fastest replay speeds.
pub(crate) const SPEEDS: (u32, u32) = (1, 3600);

#[derive(Debug, Clone, Copy)]
pub struct ReplayClock {
    /// The real instant at which the clock read the event time beside it.
    anchor: (Instant, DateTime<Utc>),
    speed: u32,
    paused: bool,
    end: DateTime<Utc>,
}

impl ReplayClock {
    /// Reading `start`, playing at `speed`, never past `end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, speed: u32) -> Self {
        ReplayClock {
            anchor: (Instant::now(), start),
            speed: speed.clamp(SPEEDS.0, SPEEDS.1),
            paused: false,
            end: end.max(start),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        if self.paused {
            return self.anchor.1;
        }
        let ms = i64::try_from(self.anchor.0.elapsed().as_millis()).unwrap_or(i64::MAX);
        let ahead = TimeDelta::milliseconds(ms.saturating_mul(i64::from(self.speed)));
        (self.anchor.1 + ahead).min(self.end).max(self.anchor.1)
    }

    pub fn speed(&self) -> u32 {
        self.speed
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    /// Pauses, or resumes from where it stopped.
    pub fn toggle_pause(&mut self) {
        self.anchor = (Instant::now(), self.now());
        self.paused = !self.paused;
    }

    /// Changes speed from the time it reads now (clamped to 1x..3600x).
    pub fn set_speed(&mut self, speed: u32) {
        self.anchor = (Instant::now(), self.now());
        self.speed = speed.clamp(SPEEDS.0, SPEEDS.1);
    }

    /// Reads `t` from now on (paused or not).
    pub fn seek(&mut self, t: DateTime<Utc>) {
        self.anchor = (Instant::now(), t.min(self.end));
    }
}

impl super::EventClock for ReplayClock {
    fn now(&self) -> DateTime<Utc> {
        ReplayClock::now(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + TimeDelta::minutes(min)
    }

    #[test]
    fn pauses_seeks_clamps_and_stops_at_the_end() {
        let mut c = ReplayClock::new(at(0), at(60), 60);
        c.toggle_pause();
        assert!(c.paused());
        let held = c.now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(c.now(), held, "a paused clock does not move");
        c.seek(at(30));
        assert_eq!(c.now(), at(30));
        c.seek(at(90));
        assert_eq!(c.now(), at(60), "never past the end");
        c.set_speed(10_000);
        assert_eq!(c.speed(), 3600);
        c.set_speed(0);
        assert_eq!(c.speed(), 1);
        c.seek(at(10));
        c.set_speed(3600);
        c.toggle_pause();
        std::thread::sleep(std::time::Duration::from_millis(20));
        // 20 ms at 3600x is over a minute of event time.
        assert!(c.now() >= at(11), "{}", c.now());
        assert!(c.now() <= at(60));
    }
}
