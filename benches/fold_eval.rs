//! Fold and evaluation cost over a 24-hour recording of the reference layout (about 23k events:
//! 45 series at 60 s, target health and Global Accelerator every 30 s, alarms, logs and WAF
//! samples every minute), evaluating after every distinct event time. Prints wall time and
//! peak memory; run with `cargo bench --bench fold_eval`.

#[path = "../tests/it/eval_world.rs"]
mod eval_world;

use std::time::Instant;

use chrono::TimeDelta;
use eval_world::World;
use warroom_core::eval::Evaluator;
use warroom_core::model::{Event, GaHealth, TargetState};
use warroom_core::store::State;

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// A day with trouble in it: load waves, a stretch of unhealthy targets, GA flapping.
fn busy_world() -> World {
    let mut w = World::calm();
    w.value = Box::new(|id, m| {
        let wave = ((m as f64) / 37.0).sin();
        match id {
            "seoul.requests" => Some(1600.0 * (3.0 + 2.0 * wave)),
            "seoul.cpu" => Some(50.0 + 40.0 * wave),
            "seoul.p99" => Some(1.0 + wave),
            "seoul.target_5xx" => Some((100.0 * wave).max(0.0)),
            "seoul.unhealthy_hosts" if m.rem_euclid(120) < 20 => Some(1.0),
            "db.cpu" => Some(60.0 + 30.0 * wave),
            _ => None,
        }
    });
    w.ga = Box::new(|r, s| {
        if r == "ap-northeast-2" && s.rem_euclid(7200) < 900 && (s / 60) % 3 == 0 {
            GaHealth::Unhealthy
        } else {
            GaHealth::Healthy
        }
    });
    w.targets = Box::new(|_, s| {
        let mut t = vec![TargetState::Healthy; 8];
        if s.rem_euclid(7200) < 1200 {
            t[0] = TargetState::Unhealthy;
        }
        t
    });
    w
}

fn main() {
    let w = busy_world();
    let start = Instant::now();
    let mut steps: Vec<(chrono::DateTime<chrono::Utc>, Vec<Event>)> = Vec::new();
    for secs in (-12 * 120..12 * 120).map(|h| h * 30) {
        steps.push((
            w.layout.event.start + TimeDelta::seconds(secs),
            w.events_at(secs),
        ));
    }
    let events: usize = steps.iter().map(|s| s.1.len()).sum();
    println!(
        "generated {events} events at {} instants in {:.2?} (rss {:.1} MiB)",
        steps.len(),
        start.elapsed(),
        rss_mib().unwrap_or(f64::NAN)
    );

    let start = Instant::now();
    let mut state = State::new(&w.layout);
    for (_, evs) in &steps {
        for e in evs {
            state.apply(e);
        }
    }
    println!("fold alone: {:.2?}", start.elapsed());
    let ev = Evaluator::new(&w.layout);
    let at = steps.last().map(|s| s.0).unwrap_or_default();
    let start = Instant::now();
    for _ in 0..steps.len() {
        std::hint::black_box(warroom_core::eval::judge(
            ev.layout(),
            &warroom_core::eval::Index::new(ev.layout()),
            &state,
            at,
        ));
    }
    println!(
        "judge alone (with index rebuild) x{}: {:.2?}",
        steps.len(),
        start.elapsed()
    );

    for round in 0..3 {
        let before = rss_mib().unwrap_or(f64::NAN);
        let start = Instant::now();
        let mut state = State::new(&w.layout);
        let mut ev = Evaluator::new(&w.layout);
        let mut entries = 0;
        for (at, evs) in &steps {
            for e in evs {
                state.apply(e);
            }
            entries += ev.evaluate(&state, *at).timeline.len();
        }
        let took = start.elapsed();
        println!(
            "round {round}: fold + {} evaluations in {took:.2?} ({:.1} us/evaluation), {entries} timeline entries, rss {before:.1} -> {:.1} MiB, peak {:.1} MiB",
            steps.len(),
            took.as_secs_f64() * 1e6 / steps.len() as f64,
            rss_mib().unwrap_or(f64::NAN),
            peak_mib().unwrap_or(f64::NAN),
        );
    }
}
