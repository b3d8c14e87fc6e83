//! Time, read through one trait by everything that needs "now": the **wall clock** (live AWS),
//! the **virtual clock** at N times real speed (the demo and game days against `sim serve`),
//! both [`Clock`], and the **recording's own clock** ([`ReplayClock`]: pause, speed, seek). All
//! of them read UTC; the screen shows the event's time zone and UTC side by side.

mod replay;
mod run;
pub mod sim;

use chrono::{DateTime, Utc};

pub use replay::ReplayClock;
pub use run::{Clock, MIN_REAL_DEADLINE};

/// What reads the time of the event being watched, recorded or replayed.
pub trait EventClock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// An [`EventClock`] shared between tasks (summary delivery stamps its outcomes with it): the
/// wall clock live, the virtual clock in a game day, a closure in a test.
pub type SharedClock = std::sync::Arc<dyn EventClock>;

/// Any `Fn() -> DateTime<Utc>` is a clock (`Utc::now`, or a test's own).
impl<F> EventClock for F
where
    F: Fn() -> DateTime<Utc> + Send + Sync,
{
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}
