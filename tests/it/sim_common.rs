//! Test helper: the reference layout (loaded with the real `config::load`), simulator runs cached
//! per (scenario, seed), and lookups of observed points.
#![allow(dead_code)]

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::config::Layout;
use warroom_core::model::Event;
use warroom_sim::{Scenario, Simulator};

pub fn reference_layout() -> Layout {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/hybrid-bts.toml");
    warroom_core::config::load(&path).expect("the reference layout loads")
}

/// T0 of the reference layout plus `secs`.
pub fn t(layout: &Layout, secs: i64) -> DateTime<Utc> {
    layout.event.start + TimeDelta::seconds(secs)
}

/// Every event of `scenario` from T-60m to T+3h (the demo's default window), computed once per
/// (scenario, seed) per test binary.
pub fn run(scenario: Scenario, seed: u64) -> (Layout, std::sync::Arc<Vec<Event>>) {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Runs = Mutex<HashMap<(Scenario, u64), Arc<Vec<Event>>>>;
    static RUNS: OnceLock<Runs> = OnceLock::new();
    let layout = reference_layout();
    let cache = RUNS.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(e) = cache.lock().expect("lock").get(&(scenario, seed)) {
        return (layout, Arc::clone(e));
    }
    let mut sim = Simulator::new(&layout, scenario, seed, t(&layout, -3600));
    let events = Arc::new(sim.run_until(t(&layout, 3 * 3600)));
    cache
        .lock()
        .expect("lock")
        .insert((scenario, seed), Arc::clone(&events));
    (layout, events)
}

/// Every observation of series `id`: (poll time, point).
pub fn observed(events: &[Event], id: &str) -> Vec<(DateTime<Utc>, warroom_core::model::Point)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            warroom_core::model::EventBody::Metrics(b) => Some((e.at, b)),
            _ => None,
        })
        .flat_map(|(at, b)| {
            b.series
                .iter()
                .filter(|s| s.id == id)
                .flat_map(move |s| s.points.iter().map(move |p| (at, *p)))
        })
        .collect()
}

/// The final (non-provisional) value of series `id` for the bucket `minute` minutes after T0.
pub fn final_value(layout: &Layout, events: &[Event], id: &str, minute: i64) -> Option<f64> {
    let ts = t(layout, minute * 60);
    observed(events, id)
        .into_iter()
        .rev()
        .find(|(_, p)| p.ts == ts && !p.p)
        .map(|(_, p)| p.v)
}

/// Seconds from T0 of `at`.
pub fn rel(layout: &Layout, at: DateTime<Utc>) -> i64 {
    (at - layout.event.start).num_seconds()
}
