//! CloudWatch alarms of the world, evaluated once over the whole horizon: `alert` (ASG in
//! service above max - 0.2 over a 300 s period, state change 5 min 48 s after the breaching period starts, as
//! the source report observed), `BTS-Virginia-ECS-CPU-High` and `BTS-RDS-Failover`.

use chrono::{DateTime, Utc};

use crate::model::{AlarmInfo, AlarmKind, AlarmState};

use super::World;
use super::minute::virginia_cpu;

/// Horizon evaluated, seconds from T0.
const FROM: i64 = -6 * 3600;
const TO: i64 = 30 * 3600;
/// When the alarms were last changed before the window (they were created days before).
const CREATED: i64 = -3 * 86_400 + 1234;
/// Threshold of `alert` (max 12 - 0.2, updated before the event as the runbook asks).
const ALERT_THRESHOLD: f64 = 11.8;
/// Seconds from the start of `alert`'s breaching 300 s period to its state change.
const ALERT_LATENCY: i64 = 348;

pub(crate) struct AlarmTrack {
    pub(crate) name: &'static str,
    pub(crate) region: &'static str,
    /// (seconds from T0, state, reason), time order; starts OK at `CREATED`.
    pub(crate) changes: Vec<(i64, AlarmState, String)>,
}

impl AlarmTrack {
    pub(crate) fn info_at(&self, w: &World, t: i64) -> AlarmInfo {
        let (at, state, reason) = self.changes.iter().rev().find(|(s, _, _)| *s <= t).map_or(
            (
                CREATED,
                AlarmState::Ok,
                "Unchecked: Initial alarm creation".to_string(),
            ),
            |(s, st, r)| (*s, *st, r.clone()),
        );
        AlarmInfo {
            name: self.name.to_string(),
            kind: AlarmKind::Metric,
            state,
            reason: Some(reason),
            updated: w.abs(at),
        }
    }
}

fn stamp(w: &World, rel: i64) -> String {
    let t: DateTime<Utc> = w.abs(rel);
    t.format("%d/%m/%y %H:%M:%S").to_string()
}

fn crossed(w: &World, value: f64, bucket: i64, threshold: f64, above: bool) -> String {
    let verb = if above {
        "was greater than"
    } else {
        "was not greater than"
    };
    let transition = if above { "OK -> ALARM" } else { "ALARM -> OK" };
    format!(
        "Threshold Crossed: 1 out of the last 1 datapoints [{value:.1} ({})] {verb} the threshold ({threshold}) (minimum 1 datapoint for {transition} transition).",
        stamp(w, bucket)
    )
}

pub(crate) fn tracks(w: &World) -> Vec<AlarmTrack> {
    vec![alert(w), ecs_cpu(w), rds_failover(w)]
}

/// `alert`: Maximum of GroupInServiceInstances over 300 s periods > 11.8, 1 of 1.
fn alert(w: &World) -> AlarmTrack {
    let fleet = &w.script().seoul;
    let mut changes = Vec::new();
    let mut state = AlarmState::Ok;
    let mut p = FROM;
    while p < TO {
        let max = (0..30)
            .map(|k| fleet.in_service(p + 10 * k))
            .max()
            .unwrap_or(0) as f64;
        let breach = max > ALERT_THRESHOLD;
        let want = if breach {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        };
        if want != state {
            changes.push((
                p + ALERT_LATENCY,
                want,
                crossed(w, max, p, ALERT_THRESHOLD, breach),
            ));
            state = want;
        }
        p += 300;
    }
    AlarmTrack {
        name: "alert",
        region: "ap-northeast-2",
        changes,
    }
}

/// ECS service CPU > 85 for 3 of 3 one-minute datapoints.
fn ecs_cpu(w: &World) -> AlarmTrack {
    let mut changes = Vec::new();
    let mut state = AlarmState::Ok;
    let mut run = 0;
    for m in FROM / 60..TO / 60 {
        let v = virginia_cpu(w.script(), w.seed(), m);
        run = if v > 85.0 { run + 1 } else { 0 };
        let want = if run >= 3 {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        };
        if want != state {
            let reason = if want == AlarmState::Alarm {
                format!(
                    "Threshold Crossed: 3 out of the last 3 datapoints [{v:.1} ({})] were greater than the threshold (85.0) (minimum 3 datapoints for OK -> ALARM transition).",
                    stamp(w, m * 60)
                )
            } else {
                crossed(w, v, m * 60, 85.0, false)
            };
            changes.push((m * 60 + 100, want, reason));
            state = want;
        }
    }
    AlarmTrack {
        name: "BTS-Virginia-ECS-CPU-High",
        region: "us-east-1",
        changes,
    }
}

/// RDS failover: ALARM shortly after the failover starts, OK once writes succeed again.
fn rds_failover(w: &World) -> AlarmTrack {
    let changes = match w.script().rds_failover {
        Some((a, b)) => vec![
            (
                a + 25,
                AlarmState::Alarm,
                "Threshold Crossed: bts-rds-db Multi-AZ failover started (RDS-EVENT-0013)".to_string(),
            ),
            (
                b + 70,
                AlarmState::Ok,
                "Threshold Crossed: bts-rds-db Multi-AZ failover completed, no failover event in the last 60 s".to_string(),
            ),
        ],
        None => Vec::new(),
    };
    AlarmTrack {
        name: "BTS-RDS-Failover",
        region: "ap-northeast-2",
        changes,
    }
}
