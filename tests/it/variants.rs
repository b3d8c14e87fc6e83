//! Each simulated variant through the real pipeline (simulator -> fold -> evaluation), checked
//! after every batch against what the room must never be told.

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::config::{self, Layout};
use warroom_core::model::{EventBody, GaHealth, SourceState, Status};
use warroom_core::pipeline::{Pipeline, batches};
use warroom_sim::{Scenario, Simulator};

fn layout() -> Layout {
    config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("reference layout")
}

/// Runs `scenario` from T-10m to `to` and calls `check` after every batch with the batch's time,
/// the batch, and the pipeline.
fn play(
    scenario: Scenario,
    to: TimeDelta,
    mut check: impl FnMut(DateTime<Utc>, &[warroom_core::model::Event], &Pipeline),
) {
    let layout = layout();
    let t0 = layout.event.start;
    let mut sim = Simulator::new(&layout, scenario, 42, t0 - TimeDelta::minutes(10));
    let mut pipeline = Pipeline::new(&layout);
    for batch in batches(sim.advance_to(t0 + to)) {
        pipeline.ingest(&batch);
        check(batch[0].at, &batch, &pipeline);
    }
}

#[test]
fn ga_fail_open_is_never_green_while_no_endpoint_is_healthy() {
    let mut all_unhealthy_seen = 0;
    let mut no_healthy = false;
    play(
        Scenario::GaFailOpen,
        TimeDelta::minutes(40),
        |at, batch, p| {
            for e in batch {
                if let EventBody::GaEndpoints(s) = &e.body {
                    no_healthy = s
                        .groups
                        .iter()
                        .flat_map(|g| &g.endpoints)
                        .all(|ep| ep.health != GaHealth::Healthy);
                }
            }
            if no_healthy {
                all_unhealthy_seen += 1;
                let ev = p.evaluation().expect("evaluated");
                assert_ne!(
                    ev.overall,
                    Status::Green,
                    "GREEN at {at} with no healthy endpoint"
                );
                assert!(ev.fail_open(), "fail-open not flagged at {at}");
            }
        },
    );
    assert!(
        all_unhealthy_seen > 10,
        "the variant must produce a fail-open window ({all_unhealthy_seen} batches)"
    );
}

#[test]
fn stale_data_panels_are_unknown_not_green_during_the_gap() {
    let layout = layout();
    let mut incomplete_seen = false;
    let mut failing = false;
    let mut failing_batches = 0;
    play(
        Scenario::StaleData,
        TimeDelta::minutes(30),
        |at, batch, p| {
            for e in batch {
                match &e.body {
                    EventBody::Metrics(m) => {
                        incomplete_seen |= m.series.iter().any(|s| !s.complete);
                    }
                    EventBody::SourceStatus(s) if s.source == "cloudwatch:ap-northeast-2" => {
                        failing = s.state != SourceState::Ok;
                    }
                    _ => {}
                }
            }
            let ev = p.evaluation().expect("evaluated");
            // Whenever a series has no fresh data, its status is Unknown, never Green.
            for (series, st) in layout.series.iter().zip(&ev.series) {
                if st.stale || st.value.is_none() {
                    assert_eq!(
                        st.status,
                        Status::Unknown,
                        "{} judged without fresh data at {at}",
                        series.id
                    );
                }
            }
            // While CloudWatch fails, the Seoul metric panels keep their last values but never read
            // as Green.
            if failing {
                failing_batches += 1;
                for (panel, ps) in layout.panels.iter().zip(&ev.panels) {
                    if panel.id == "seoul" || panel.id == "data" {
                        assert_ne!(
                            ps.status,
                            Status::Green,
                            "panel {} green during the gap at {at}",
                            panel.id
                        );
                    }
                }
                let rate = layout.series_index("seoul.5xx_rate").expect("series");
                assert_eq!(
                    ev.series[rate].status,
                    Status::Unknown,
                    "5xx rate during the gap at {at}"
                );
            }
        },
    );
    assert!(
        incomplete_seen,
        "the gap must be recorded as incomplete series data"
    );
    assert!(
        failing_batches > 5,
        "the source must be seen failing ({failing_batches} batches)"
    );
}

#[test]
fn shared_db_failover_does_not_read_as_recovered() {
    let layout = layout();
    let t0 = layout.event.start;
    play(Scenario::SharedDb, TimeDelta::minutes(30), |at, _, p| {
        let ev = p.evaluation().expect("evaluated");
        if at > t0 + TimeDelta::minutes(13) && at < t0 + TimeDelta::minutes(30) {
            assert_eq!(
                ev.overall,
                Status::Red,
                "shared-db must stay red after the GA failover, at {at}"
            );
        }
    });
}

#[test]
fn every_variant_plays_deterministically() {
    let layout = layout();
    let t0 = layout.event.start;
    for s in Scenario::list() {
        let run = || {
            let mut sim = Simulator::new(&layout, *s, 9, t0 - TimeDelta::minutes(5));
            let events = sim.advance_to(t0 + TimeDelta::minutes(20));
            serde_json::to_string(&events).expect("json")
        };
        assert_eq!(run(), run(), "{s}");
    }
}
