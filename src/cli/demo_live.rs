//! The interactive `warroom demo` on the live code path: the history before the opening moment
//! is primed from the in-process simulator, then the real pollers take over against the
//! in-process simulator endpoint on 127.0.0.1 (`live::loopback`), all on one virtual clock
//! starting at `--at` and running `--speed` times real time, shown by the same `LiveSource` as
//! `warroom watch` with the `SIM xN` badge.
//!
//! Why prime instead of a metrics lookback: the first `GetMetricData` of a poller covers the
//! last few buckets only, and the demo opens a few minutes before the drop with an hour of
//! simulated history (the status timeline, the return-to-normal streaks, the sparklines). The
//! simulator makes that history exactly as the headless demo does, in a fraction of a second;
//! from `--at` on, every datapoint, target state, alarm and log line on screen has gone through
//! the SDK clients, the wire protocols and the pollers.

use chrono::{DateTime, Utc};

use super::Failure;
use crate::clock::Clock;
use crate::config::Layout;
use crate::dash::{Feed, LiveSource};
use crate::delivery::at_once::AtOnce;
use crate::journal::{Desk, Fold, Journal, Who};
use crate::live::session;
use crate::loopback;
use crate::pipeline::batches;
use crate::record::Recorder;
use crate::sim::serve::Faults;
use crate::sim::{Scenario, Simulator};
use crate::summary::Scheduler;
use crate::tui::widgets::ModeBadge;

/// What the demo simulates, from when, and how fast.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DemoPlan {
    pub(crate) scenario: Scenario,
    pub(crate) seed: u64,
    /// Start of the primed history (`--from`).
    pub(crate) from: DateTime<Utc>,
    /// The opening moment (`--at`): the pollers start here.
    pub(crate) at: DateTime<Utc>,
    pub(crate) speed: f64,
}

/// The dashboard's source for the demo, pollers running; summaries on the schedule go to the
/// Markdown files of `summaries` (never to the layout's own sinks).
pub fn open(
    layout: &Layout,
    plan: DemoPlan,
    recorder: Option<Recorder>,
    who: &str,
    summaries: std::path::PathBuf,
) -> Result<LiveSource, Failure> {
    let runtime = session::runtime().map_err(|e| Failure::runtime(format!("cannot start: {e}")))?;
    let clock = Clock::starting_at(plan.at).with_speed(plan.speed);
    let opts = loopback::LoopbackOptions {
        scenario: plan.scenario,
        seed: plan.seed,
        clock,
        faults: Faults::default(),
    };
    let live = loopback::start(runtime, layout, opts).map_err(|e| {
        Failure::runtime(format!(
            "cannot start the simulator endpoint on 127.0.0.1: {e}"
        ))
    })?;
    tracing::info!(
        sources = live.session.pollers(),
        speed = plan.speed,
        "demo started"
    );
    let mut journal = Journal::new(Fold::new(layout, live.board(layout)), recorder, None);
    for batch in batches(history(layout, &plan)) {
        let at = batch[0].at;
        if let Some(e) = journal.record(batch, at).error {
            return Err(Failure::runtime(format!("recording: {e}")));
        }
    }
    let desk = Desk::new(
        Scheduler::new(plan.at),
        Box::new(AtOnce::to_directory(summaries)),
    );
    let feed = Feed {
        session: live.session.keep_alive(live.endpoint),
        clock: Some(clock),
    };
    let mode = ModeBadge::Sim {
        speed: plan.speed.round() as u32,
    };
    Ok(LiveSource::new(
        journal.with_desk(desk),
        Some(feed),
        Who::local(who),
        mode,
        plan.at,
    ))
}

/// The simulator's events from `from` up to the minute of `at` (a window ending mid-minute
/// would report the minute in progress as empty; the pollers fetch it).
fn history(layout: &Layout, plan: &DemoPlan) -> Vec<crate::model::Event> {
    let mut sim = Simulator::new(layout, plan.scenario, plan.seed, plan.from);
    let secs = plan.at.timestamp();
    let minute = DateTime::from_timestamp(secs - secs.rem_euclid(60), 0).unwrap_or(plan.at);
    if minute <= plan.from {
        return Vec::new();
    }
    sim.advance_to(minute)
}
