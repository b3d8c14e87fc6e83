//! The wall and virtual clocks: UTC time that follows tokio's clock, optionally `speed` times
//! faster than it. Pollers, the simulator endpoint, the live dashboard and the summaries'
//! delivery read one such value, so in a demo or a game day they agree on virtual time.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::time::Instant;

/// The one clock pollers and the simulator endpoint read: UTC time that follows tokio's clock
/// (so paused-time tests control it), optionally running `speed` times faster than it.
///
/// Three uses, one abstraction:
/// - **wall clock** (`Clock::system()`, speed 1): live AWS; `now` is the system time at start
///   plus tokio's elapsed time, sleeps are real.
/// - **virtual clock** (`starting_at(t).with_speed(n)`): the simulator at N x speed;
///   `now = start + elapsed * n`, and a wait of `d` of clock time sleeps `d / n` of real time.
///   The simulator endpoint (`sim::serve`) and the pollers that query it share one such clock
///   value, so both read the same virtual time.
/// - the **recording clock** of a replay is the other [`EventClock`](super::EventClock):
///   [`ReplayClock`](super::ReplayClock).
///
/// At speed 1 the arithmetic is exactly the wall clock's (no float scaling).
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    wall: DateTime<Utc>,
    base: Instant,
    speed: f64,
}

/// A poll deadline scaled by a fast clock never drops below this much real time, so a
/// loopback call is never cut short by virtual time alone.
pub const MIN_REAL_DEADLINE: Duration = Duration::from_secs(2);

impl Clock {
    /// A clock reading `wall` now, at real speed.
    pub fn starting_at(wall: DateTime<Utc>) -> Self {
        Clock {
            wall,
            base: Instant::now(),
            speed: 1.0,
        }
    }

    pub fn system() -> Self {
        Self::starting_at(Utc::now())
    }

    /// The same clock running `speed` times faster than real time from its start (values that
    /// are not finite and positive are taken as 1).
    #[must_use]
    pub fn with_speed(self, speed: f64) -> Self {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        Clock { speed, ..self }
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    fn real_speed(&self) -> bool {
        (self.speed - 1.0).abs() < f64::EPSILON
    }

    /// Clock time elapsed for `real` elapsed real time.
    fn scaled(&self, real: Duration) -> Duration {
        if self.real_speed() {
            real
        } else {
            real.mul_f64(self.speed)
        }
    }

    /// Real time a wait of `d` of clock time takes.
    pub fn real(&self, d: Duration) -> Duration {
        if self.real_speed() {
            d
        } else {
            d.div_f64(self.speed)
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.wall
            + TimeDelta::from_std(self.scaled(self.base.elapsed())).unwrap_or(TimeDelta::zero())
    }

    /// The tokio instant at which this clock reads `t` (now if `t` is past).
    pub fn instant_at(&self, t: DateTime<Utc>) -> Instant {
        let ahead = (t - self.now()).to_std().unwrap_or(Duration::ZERO);
        Instant::now() + self.real(ahead)
    }

    /// The real-time deadline of a poll whose deadline is `d` of clock time.
    pub fn deadline(&self, d: Duration) -> Duration {
        if self.real_speed() {
            d
        } else {
            self.real(d).max(MIN_REAL_DEADLINE)
        }
    }
}

impl super::EventClock for Clock {
    fn now(&self) -> DateTime<Utc> {
        Clock::now(self)
    }
}
