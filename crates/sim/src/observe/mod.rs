//! The observation layer: polls the simulated world on the schedule the real pollers keep and
//! turns what AWS would answer into `model::Event`s, in time order. Same layout, scenario and
//! seed give byte-identical events.

mod metrics;
mod plan;
mod polls;

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::Layout;
use crate::model::{Event, EventBody, OperatorAction, OperatorEvent};

use super::rng;
use super::scenario::Scenario;
use super::world::World;
use plan::Source;

pub(crate) use metrics::{VISIBLE_AFTER_AT_MOST, provisional_value, visible_after};

/// Who the scripted operator actions are attributed to.
pub(crate) const SIM_OPERATOR: &str = "sim-operator";

/// The simulator: a world plus the polling schedule derived from a layout.
pub struct Simulator {
    world: World,
    sources: Vec<Source>,
    cursor: DateTime<Utc>,
}

impl Simulator {
    /// A simulator of `scenario` for the resources of `layout`, noise from `seed`, emitting
    /// events from `start` on. T0 is the layout's `event.start`.
    pub fn new(layout: &Layout, scenario: Scenario, seed: u64, start: DateTime<Utc>) -> Self {
        let world = World::new(scenario, seed, layout.event.start, layout.event.tz());
        let sources = plan::sources(layout, seed);
        Simulator {
            world,
            sources,
            cursor: start,
        }
    }

    /// The world being observed (for queries by AWS identity).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Where the next `advance_to` starts.
    pub fn cursor(&self) -> DateTime<Utc> {
        self.cursor
    }

    /// Every event with `at` in `[cursor, t)`, in time order (ties: source order of the layout,
    /// then emission order); moves the cursor to `t`.
    pub fn advance_to(&mut self, t: DateTime<Utc>) -> Vec<Event> {
        let from = self.cursor;
        if t <= from {
            return Vec::new();
        }
        let mut out: Vec<(DateTime<Utc>, usize, usize, Event)> = Vec::new();
        for (i, src) in self.sources.iter().enumerate() {
            let period = src.period;
            let mut k = (from.timestamp() - 20).div_euclid(period);
            loop {
                let extra = rng::range(self.world.seed(), &format!("poll:{}", src.stream), k, 0, 2);
                let secs = k * period + src.offset + extra;
                k += 1;
                let Some(at) = DateTime::<Utc>::from_timestamp(secs, 0) else {
                    break;
                };
                if at >= t {
                    break;
                }
                if at < from {
                    continue;
                }
                for (j, body) in polls::poll(&self.world, src, at).into_iter().enumerate() {
                    out.push((at, i, j, Event { at, body }));
                }
            }
        }
        let n = self.sources.len();
        for (j, (at, text)) in self.world.operator_actions(from, t).into_iter().enumerate() {
            let body = EventBody::Operator(OperatorEvent {
                who: SIM_OPERATOR.to_string(),
                user: None,
                post_mortem: false,
                action: OperatorAction::Annotation { text },
            });
            out.push((at, n, j, Event { at, body }));
        }
        out.sort_by_key(|x| (x.0, x.1, x.2));
        self.cursor = t;
        out.into_iter().map(|x| x.3).collect()
    }

    /// Convenience: every event from the cursor to `end`, a minute of event time at a time.
    pub fn run_until(&mut self, end: DateTime<Utc>) -> Vec<Event> {
        let mut all = Vec::new();
        while self.cursor < end {
            let next = (self.cursor + TimeDelta::minutes(1)).min(end);
            all.extend(self.advance_to(next));
        }
        all
    }
}
