//! The simulator through the real fold and evaluation (`pipeline`): the runbook steps the
//! scenarios are written to exercise fire in their windows, and return to normal is declared
//! 15 minutes after the T+80m bucket arrives.

use crate::sim_common;

use sim_common::{rel, run};
use warroom_core::eval::TimelineKind;
use warroom_core::pipeline::{Pipeline, batches};
use warroom_sim::Scenario;

/// (seconds from T0, timeline entry body) of every timeline entry, and whether any evaluation
/// showed Global Accelerator failing open.
fn timeline(scenario: Scenario, seed: u64) -> (Vec<(i64, String)>, bool) {
    let (layout, events) = run(scenario, seed);
    let mut p = Pipeline::new(&layout);
    let mut out = Vec::new();
    let mut fail_open = false;
    for batch in batches(events.iter().cloned()) {
        for e in p.ingest(&batch) {
            if !matches!(
                e.kind,
                TimelineKind::Health { .. }
                    | TimelineKind::Alarm { .. }
                    | TimelineKind::Operator { .. }
            ) {
                out.push((rel(&layout, e.at), e.body()));
            }
        }
        fail_open |= p
            .evaluation()
            .is_some_and(warroom_core::eval::Evaluation::fail_open);
    }
    (out, fail_open)
}

fn first(t: &[(i64, String)], words: &[&str]) -> Option<i64> {
    t.iter()
        .find(|(_, b)| words.iter().all(|w| b.contains(w)))
        .map(|(s, _)| *s)
}

#[test]
fn reference_runbook_steps_fire_in_their_windows_and_rtn_is_declared() {
    for seed in [42, 7] {
        let (t, _) = timeline(Scenario::ArmyDrop, seed);
        let at = |w: &[&str]| {
            first(&t, w).unwrap_or_else(|| panic!("seed {seed}: {w:?} missing: {t:#?}"))
        };
        assert!(
            (8 * 60..=10 * 60).contains(&at(&["RB-03", "FIRING"])),
            "{t:#?}"
        );
        assert!(
            (9 * 60..=11 * 60).contains(&at(&["RB-04", "FIRING"])),
            "{t:#?}"
        );
        assert!(
            (12 * 60..=13 * 60).contains(&at(&["RB-05", "FIRING"])),
            "{t:#?}"
        );
        assert!(
            (10 * 60..=14 * 60).contains(&at(&["RB-07", "FIRING"])),
            "{t:#?}"
        );
        let declared = at(&["RETURN-TO-NORMAL", "DECLARED"]);
        assert!((95 * 60..=98 * 60).contains(&declared), "{t:#?}");
        assert!(
            first(&t, &["RETURN-TO-NORMAL", "broken"]).is_none(),
            "{t:#?}"
        );
    }
}

#[test]
fn variants_trigger_their_own_steps() {
    let (t, fail_open) = timeline(Scenario::GaFailOpen, 42);
    assert!(fail_open, "fail-open is visible to the evaluation");
    assert!(
        first(&t, &["RB-05", "FIRING"]).is_none(),
        "no flapping when GA fails open: {t:#?}"
    );
    let (t, _) = timeline(Scenario::SharedDb, 42);
    assert!(
        first(&t, &["RB-07", "FIRING"]).is_some_and(|s| s < 11 * 60),
        "{t:#?}"
    );
    assert!(
        first(&t, &["RB-09", "FIRING"]).is_some(),
        "30 minutes of a saturated DB: {t:#?}"
    );
    let (t, _) = timeline(Scenario::RdsMultiAzFailover, 42);
    assert!(
        first(&t, &["RB-08", "FIRING"]).is_some_and(|s| (5 * 60..7 * 60).contains(&s)),
        "{t:#?}"
    );
    assert!(
        first(&t, &["RB-04", "FIRING"]).is_none(),
        "no region failover: {t:#?}"
    );
    let (t, _) = timeline(Scenario::AlarmLatency, 42);
    assert!(first(&t, &["RB-01", "FIRING"]).is_some(), "{t:#?}");
    assert!(
        first(&t, &["RETURN-TO-NORMAL", "DECLARED"]).is_some_and(|s| s > 2 * 3600),
        "the alarm holds RTN until it clears: {t:#?}"
    );
}
