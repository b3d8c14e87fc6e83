//! The fold and evaluation never panic and stay bounded whatever the log holds: random events
//! with unknown ids, absurd times and windows, non-finite values, huge and hostile strings.

use crate::eval_world;

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use warroom_core::eval::Evaluator;
use warroom_core::model::{
    AlarmInfo, AlarmKind, AlarmSnapshot, AlarmState, Event, EventBody, GaEndpoint, GaEndpointGroup,
    GaHealth, GaSnapshot, IncidentFields, LogBatch, LogCount, LogLine, MetricBatch, OperatorAction,
    OperatorEvent, Point, SeriesData, SourceState, SourceStatus, TargetHealthSnapshot, TargetInfo,
    TargetState, WafRequest, WafSampleBatch,
};
use warroom_core::store::State;

fn pick<'a>(r: &mut ChaCha8Rng, xs: &[&'a str]) -> &'a str {
    xs[r.random_range(0..xs.len())]
}

fn time(r: &mut ChaCha8Rng, t0: DateTime<Utc>) -> DateTime<Utc> {
    match r.random_range(0..10) {
        0 => t0 + TimeDelta::days(r.random_range(-3650..3650)),
        _ => t0 + TimeDelta::seconds(r.random_range(-7200..7200)),
    }
}

fn value(r: &mut ChaCha8Rng) -> f64 {
    match r.random_range(0..12) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -1e300,
        _ => r.random_range(-10.0..5000.0),
    }
}

fn text(r: &mut ChaCha8Rng) -> String {
    match r.random_range(0..4) {
        0 => "\u{1b}[2J\u{7}evil\r\n".repeat(r.random_range(1..500)),
        1 => String::new(),
        _ => "é".repeat(r.random_range(1..5000)),
    }
}

#[allow(clippy::too_many_lines)]
fn event(r: &mut ChaCha8Rng, t0: DateTime<Utc>) -> Event {
    let at = time(r, t0);
    let series = [
        "seoul.requests",
        "seoul.target_5xx",
        "seoul.unhealthy_hosts",
        "seoul.5xx_rate",
        "seoul.cpu",
        "db.cpu",
        "nope",
        "",
    ];
    let body = match r.random_range(0..9) {
        0..=2 => {
            let start = time(r, t0);
            let end = start + TimeDelta::seconds(r.random_range(-600..100_000_000));
            EventBody::Metrics(MetricBatch {
                region: pick(r, &["ap-northeast-2", "us-east-1", "mars-1"]).into(),
                start,
                end,
                series: (0..r.random_range(0..6))
                    .map(|_| SeriesData {
                        id: pick(r, &series).into(),
                        points: (0..r.random_range(0..5))
                            .map(|_| Point {
                                ts: time(r, t0),
                                v: value(r),
                                p: r.random_bool(0.3),
                            })
                            .collect(),
                        complete: r.random_bool(0.8),
                    })
                    .collect(),
            })
        }
        3 => EventBody::TargetHealth(TargetHealthSnapshot {
            target_group: pick(r, &["seoul.tg", "virginia.tg", "x"]).into(),
            targets: (0..r.random_range(0..1200))
                .map(|i| TargetInfo {
                    id: format!("i-{i}"),
                    port: None,
                    az: None,
                    state: TargetState::from(
                        pick(r, &["healthy", "unhealthy", "draining", "??"]).to_string(),
                    ),
                    reason: (i % 100 == 0).then(|| text(r)),
                    description: None,
                })
                .collect(),
        }),
        4 => EventBody::GaEndpoints(GaSnapshot {
            accelerator: pick(r, &["ga", "other"]).into(),
            groups: (0..r.random_range(0..50))
                .map(|i| GaEndpointGroup {
                    region: pick(r, &["ap-northeast-2", "us-east-1", &format!("r{i}")]).into(),
                    dial: value(r),
                    endpoints: (0..r.random_range(0..3))
                        .map(|_| GaEndpoint {
                            id: "e".into(),
                            weight: 1,
                            health: [GaHealth::Healthy, GaHealth::Unhealthy, GaHealth::Initial]
                                [r.random_range(0..3)],
                        })
                        .collect(),
                })
                .collect(),
        }),
        5 => EventBody::Alarms(AlarmSnapshot {
            region: pick(r, &["ap-northeast-2", "us-east-1", "x"]).into(),
            alarms: (0..r.random_range(0..2500))
                .map(|i| AlarmInfo {
                    name: format!("BTS-{i}"),
                    kind: AlarmKind::Metric,
                    state: [
                        AlarmState::Ok,
                        AlarmState::Alarm,
                        AlarmState::InsufficientData,
                    ][r.random_range(0..3)],
                    reason: (i % 100 == 0).then(|| text(r)),
                    updated: time(r, t0),
                })
                .collect(),
        }),
        6 => EventBody::Logs(LogBatch {
            group: pick(r, &["seoul.httpd", "/ecs/bts-web", "x"]).into(),
            lines: (0..r.random_range(0..250))
                .map(|_| LogLine {
                    ts: time(r, t0),
                    stream: None,
                    message: text(r),
                })
                .collect(),
            counts: (0..r.random_range(0..100))
                .map(|_| LogCount {
                    ts: time(r, t0),
                    count: r.random(),
                })
                .collect(),
        }),
        7 => EventBody::WafSample(WafSampleBatch {
            acl: pick(r, &["seoul.waf", "BTS-CloudFront-WebACL", "x"]).into(),
            start: time(r, t0),
            end: time(r, t0),
            population: r.random(),
            requests: (0..r.random_range(0..600))
                .map(|_| WafRequest {
                    ts: time(r, t0),
                    client_ip: "203.0.113.9".into(),
                    country: None,
                    method: "GET".into(),
                    uri: text(r),
                    rule: Some("r".into()),
                    action: "BLOCK".into(),
                    weight: r.random(),
                    headers: Vec::new(),
                })
                .collect(),
        }),
        _ => {
            let step = pick(r, &["RB-03", "RB-99", ""]).to_string();
            let action = match r.random_range(0..7) {
                0 => OperatorAction::RunbookAck { step },
                1 => OperatorAction::RunbookNote {
                    step,
                    text: text(r),
                },
                2 => OperatorAction::IncidentOpen {
                    id: text(r),
                    fields: IncidentFields::default(),
                },
                3 => OperatorAction::IncidentUpdate {
                    id: "x".into(),
                    version: None,
                    fields: IncidentFields::default(),
                },
                4 => OperatorAction::Annotation { text: text(r) },
                5 => OperatorAction::RtnConfirm,
                _ => {
                    return Event {
                        at,
                        body: EventBody::SourceStatus(SourceStatus {
                            source: text(r),
                            state: SourceState::Throttled,
                            detail: Some(text(r)),
                        }),
                    };
                }
            };
            EventBody::Operator(OperatorEvent {
                who: text(r),
                user: None,
                post_mortem: r.random_bool(0.2),
                action,
            })
        }
    };
    Event { at, body }
}

#[test]
fn random_logs_never_panic_and_stay_bounded() {
    let layout = eval_world::reference_layout();
    let t0 = layout.event.start;
    let mut r = ChaCha8Rng::seed_from_u64(7);
    let mut state = State::new(&layout);
    let mut ev = Evaluator::new(&layout);
    for i in 0..2000 {
        let e = event(&mut r, t0);
        state.apply(&e);
        if i % 10 == 0 {
            let now = time(&mut r, t0);
            let out = ev.evaluate(&state, now);
            for t in &out.timeline {
                let line = t.line(layout.event.tz());
                assert!(!line.chars().any(char::is_control), "{line:?}");
            }
        }
    }
    for (i, s) in layout.series.iter().enumerate() {
        assert!(
            state.series(i).len() <= state.series(i).capacity(),
            "{}",
            s.id
        );
    }
    assert!(state.alarms().iter().count() <= 2000);
    assert!(state.operator().annotations().count() <= 1000);
    assert!(state.log_group(0).is_some_and(|g| g.lines().count() <= 200));
    assert!(state.stats().unknown_ids > 0);
}
