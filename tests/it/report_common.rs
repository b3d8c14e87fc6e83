//! Test helper: simulated recordings (header and events, as `warroom demo --headless --record`
//! writes them) of the reference layout, made with the library.
#![allow(dead_code)]

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::config::Layout;
use warroom_core::model::{Event, FORMAT_NAME, FORMAT_VERSION, Header, Source};
use warroom_sim::{Scenario, Simulator};

pub fn layout() -> Layout {
    warroom_core::config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("the built-in layout loads")
}

pub fn header(from: DateTime<Utc>, scenario: Scenario) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "warroom test".into(),
        created: from,
        start: from,
        source: Source::Simulator {
            scenario: scenario.to_string(),
            seed: 42,
        },
        layout: warroom_core::builtin::layout(),
        runbook: Some(warroom_core::builtin::runbook()),
    }
}

/// The scenario from T-60m to T+3h (the demo's default window).
pub fn recording(scenario: Scenario) -> (Header, Vec<Event>) {
    recording_window(scenario, -60, 180)
}

/// The scenario from T+`from_min` to T+`to_min` minutes.
pub fn recording_window(scenario: Scenario, from_min: i64, to_min: i64) -> (Header, Vec<Event>) {
    let layout = layout();
    let t0 = layout.event.start;
    let from = t0 + TimeDelta::minutes(from_min);
    let mut sim = Simulator::new(&layout, scenario, 42, from);
    let events = sim.run_until(t0 + TimeDelta::minutes(to_min));
    (header(from, scenario), events)
}

/// T0 of the reference layout plus `secs`.
pub fn t(secs: i64) -> DateTime<Utc> {
    layout().event.start + TimeDelta::seconds(secs)
}
