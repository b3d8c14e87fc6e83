//! Test fixtures for the fold and evaluation: the judgement's test layout (`testing/judged.toml`,
//! shaped like the reference event), expressions resolved against it, and event builders.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::ExprContext;
use crate::config::expr::Expr;
use crate::config::layout::{Direction, Layout, Threshold};
use crate::model::{
    AlarmInfo, AlarmKind, AlarmSnapshot, AlarmState, Event, EventBody, GaEndpoint, GaEndpointGroup,
    GaHealth, GaSnapshot, MetricBatch, Point, SeriesData, TargetHealthSnapshot, TargetInfo,
    TargetState,
};

/// T0 of the test event: 2026-06-13 20:00 KST.
pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-13T11:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

/// T0 plus `m` minutes.
pub fn tm(m: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(m)
}

/// T0 plus `s` seconds.
pub fn ts(s: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(s)
}

/// A threshold.
pub fn th(
    warn: Option<f64>,
    crit: Option<f64>,
    dir: Direction,
    for_m: i64,
    hyst: f64,
) -> Threshold {
    Threshold {
        warn,
        crit,
        direction: dir,
        for_: TimeDelta::minutes(for_m),
        hysteresis: hyst,
    }
}

/// Series indices of [`layout`] (the order of `judged.toml`).
pub const REQ: usize = 0;
pub const RATE: usize = 2;
pub const UNHEALTHY: usize = 3;
pub const CPU: usize = 5;

/// The test layout: `testing/judged.toml` and its runbook, loaded as `warroom check` loads
/// them.
pub fn layout() -> Layout {
    crate::testing::judged_layout()
}

/// Parses and resolves a condition against the layout with the real parser.
pub fn expr(l: &Layout, text: &str) -> Expr {
    crate::config::resolve_expr(text, l, ExprContext::Condition)
        .unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

// ---- event builders ----

/// Points of one series: (bucket start, value, provisional).
pub type Points<'a> = &'a [(DateTime<Utc>, f64, bool)];

/// A metrics event at `at` over `[start, end)` with one series' points `(bucket start, v, p)`.
pub fn metrics(
    at: DateTime<Utc>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    series: &[(&str, Points<'_>)],
) -> Event {
    Event {
        at,
        body: EventBody::Metrics(MetricBatch {
            region: "ap-northeast-2".into(),
            start,
            end,
            series: series
                .iter()
                .map(|(id, pts)| SeriesData {
                    id: (*id).into(),
                    points: pts
                        .iter()
                        .map(|(ts, v, p)| Point {
                            ts: *ts,
                            v: *v,
                            p: *p,
                        })
                        .collect(),
                    complete: true,
                })
                .collect(),
        }),
    }
}

/// One point per minute for series `id`: `values[i]` at minute `from_m + i` from T0, final,
/// applied with `at` two minutes after the newest bucket.
pub fn minutes(id: &str, from_m: i64, values: &[f64]) -> Event {
    let pts: Vec<(DateTime<Utc>, f64, bool)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (tm(from_m + i as i64), *v, false))
        .collect();
    let end = tm(from_m + values.len() as i64);
    metrics(end + TimeDelta::minutes(1), tm(from_m), end, &[(id, &pts)])
}

/// A target-health snapshot with the given target states.
pub fn targets(at: DateTime<Utc>, states: &[TargetState]) -> Event {
    Event {
        at,
        body: EventBody::TargetHealth(TargetHealthSnapshot {
            target_group: "seoul.tg".into(),
            targets: states
                .iter()
                .enumerate()
                .map(|(i, s)| TargetInfo {
                    id: format!("i-{i}"),
                    port: Some(80),
                    az: Some("ap-northeast-2a".into()),
                    state: s.clone(),
                    reason: (*s != TargetState::Healthy).then(|| "Target.Timeout".into()),
                    description: None,
                })
                .collect(),
        }),
    }
}

/// A GA snapshot: (Seoul health, Seoul dial, Virginia health).
pub fn ga(at: DateTime<Utc>, seoul: GaHealth, dial: f64, virginia: GaHealth) -> Event {
    let group = |region: &str, h, dial| GaEndpointGroup {
        region: region.into(),
        dial,
        endpoints: vec![GaEndpoint {
            id: format!("{region}-alb"),
            weight: 128,
            health: h,
        }],
    };
    Event {
        at,
        body: EventBody::GaEndpoints(GaSnapshot {
            accelerator: "ga".into(),
            groups: vec![
                group("ap-northeast-2", seoul, dial),
                group("us-east-1", virginia, 100.0),
            ],
        }),
    }
}

/// An alarm poll of ap-northeast-2 with the given (name, state) pairs.
pub fn alarms(at: DateTime<Utc>, list: &[(&str, AlarmState)]) -> Event {
    Event {
        at,
        body: EventBody::Alarms(AlarmSnapshot {
            region: "ap-northeast-2".into(),
            alarms: list
                .iter()
                .map(|(n, s)| AlarmInfo {
                    name: (*n).into(),
                    kind: AlarmKind::Metric,
                    state: *s,
                    reason: None,
                    updated: at,
                })
                .collect(),
        }),
    }
}
