//! A generated long event for tests: the ticketing site of `tix.toml` (one region, 5-minute
//! series, a namespace of its own, no Global Accelerator) recorded for 14 days as a collector
//! would have: every 150 s a metrics poll (the last three 5-minute buckets, the newest
//! provisional and only there once CloudWatch has it, 2 minutes after it ends; the first poll
//! with 3 hours of history, so buckets start before the first event), target health and alarms. The story: the on-sale
//! opens at T0 and goes RED (latency, 5xx, checkout queue), the room works RB-01 and an incident,
//! return to normal is declared; a 25-minute metrics outage on day 6; on day 10 an instance is
//! stopped (`unused`) and 5xx come back: a relapse after return to normal. Deterministic, no
//! randomness, about 20,000 events (10 MB): generated in the test, never committed.

use chrono::{DateTime, TimeDelta, Timelike, Utc};

use crate::config::Layout;
use crate::model::{
    AlarmInfo, AlarmKind, AlarmSnapshot, AlarmState, EmbeddedFile, Event, EventBody, FORMAT_NAME,
    FORMAT_VERSION, Header, IncidentFields, IncidentState, MetricBatch, OperatorAction,
    OperatorEvent, Point, SeriesData, Severity, Source, SourceState, SourceStatus,
    TargetHealthSnapshot, TargetInfo, TargetState,
};

/// The layout (`tix.toml`) as a recording's header embeds it.
pub fn tix_layout_file() -> EmbeddedFile {
    EmbeddedFile {
        path: "tests/tix.toml".into(),
        text: include_str!("tix.toml").into(),
    }
}

/// The runbook (`tix.md`).
pub fn tix_runbook_file() -> EmbeddedFile {
    EmbeddedFile {
        path: "tests/tix.md".into(),
        text: include_str!("tix.md").into(),
    }
}

/// The ticketing layout with its runbook.
pub fn tix_layout() -> Layout {
    crate::config::load_texts(&tix_layout_file(), Some(&tix_runbook_file()))
        .expect("the tix fixture is a valid layout")
}

const REGION: &str = "eu-west-1";
const PERIOD: i64 = 300;
/// Every source is polled this often (10 s past a multiple of it).
const TICK: i64 = 150;
/// Where the recording starts, before T0.
const LEAD: TimeDelta = TimeDelta::hours(2);
/// The metrics outage on day 6: from, to.
const OUTAGE: (i64, i64) = (6 * 1440 + 4 * 60, 6 * 1440 + 4 * 60 + 25);
/// The stopped instance on day 10 (minutes after T0): from, to.
const STOPPED: (i64, i64) = (10 * 1440 + 5 * 60, 10 * 1440 + 11 * 60);
/// The relapse's 5xx burst (minutes after T0).
const RELAPSE_5XX: (i64, i64) = (10 * 1440 + 5 * 60, 10 * 1440 + 5 * 60 + 25);

/// The 14-day recording: its header and events, in time order.
pub fn fortnight() -> (Header, Vec<Event>) {
    let layout = tix_layout();
    let t0 = layout.event.start;
    let from = t0 - LEAD;
    let end = layout.event.end;
    let mut events = Vec::new();
    let mut t = from + TimeDelta::seconds(10);
    let mut first_poll = true;
    while t <= end {
        if !in_minutes((t - t0).num_minutes(), OUTAGE) {
            events.push(metrics(t, t0, first_poll));
            first_poll = false;
        }
        events.push(targets(t, t0));
        events.push(alarms(t, t0));
        t += TimeDelta::seconds(TICK);
    }
    events.extend(outage(t0));
    events.extend(operator(t0));
    events.sort_by_key(|e| e.at);
    let header = Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "warroom test fixture".into(),
        created: from,
        start: from,
        source: Source::Aws {
            accounts: vec!["default".into()],
            regions: vec![REGION.into()],
            profile: None,
        },
        layout: tix_layout_file(),
        runbook: Some(tix_runbook_file()),
    };
    (header, events)
}

fn in_minutes(m: i64, (a, b): (i64, i64)) -> bool {
    (a..b).contains(&m)
}

/// 0 at 04:00, 1 at 16:00 UTC (Dublin keeps UTC in winter).
fn daily(ts: DateTime<Utc>) -> f64 {
    let h = f64::from(ts.hour()) + f64::from(ts.minute()) / 60.0;
    0.5 - 0.5 * (std::f64::consts::TAU * (h - 4.0) / 24.0).cos()
}

/// Every series' value for the bucket starting at `ts` (minutes after T0: `m`).
fn values(ts: DateTime<Utc>, m: i64) -> [(&'static str, f64); 9] {
    let d = daily(ts);
    let onsale = match m {
        0..60 => 5.0,
        60..180 => 5.0 - 4.0 * (m - 60) as f64 / 120.0,
        _ => 1.0,
    };
    let requests = (6000.0 * (0.3 + 0.9 * d) * onsale).round();
    let rate = if in_minutes(m, (15, 45)) {
        0.03
    } else if in_minutes(m, RELAPSE_5XX) {
        0.015
    } else {
        0.0003
    };
    let p99 = if in_minutes(m, (10, 50)) {
        1.8
    } else {
        0.28 + 0.1 * d
    };
    let cpu = if in_minutes(m, (5, 55)) {
        95.0
    } else {
        25.0 + 30.0 * d
    };
    let queue = match m {
        5..60 => 2600.0,
        60..70 => 300.0,
        _ => (5.0 + 10.0 * d).round(),
    };
    [
        ("tix.requests", requests),
        ("tix.target_5xx", (requests * rate).round()),
        ("tix.elb_5xx", (requests * 0.0001).round()),
        ("tix.p99", (p99 * 1000.0_f64).round() / 1000.0),
        ("tix.web_cpu", (cpu * 10.0_f64).round() / 10.0),
        ("tix.net_in", requests * 150_000.0),
        (
            "tix.db_cpu",
            if in_minutes(m, (0, 60)) {
                80.0
            } else {
                (20.0 + 25.0 * d).round()
            },
        ),
        ("tix.orders", (requests * 0.065).round()),
        ("tix.queue", queue),
    ]
}

/// A metrics poll at `at`: the last three whole buckets, the newest provisional and empty until
/// 2 minutes after it ends (CloudWatch publishes late); the first poll reaches back 3 hours.
fn metrics(at: DateTime<Utc>, t0: DateTime<Utc>, first: bool) -> Event {
    let end = DateTime::from_timestamp(at.timestamp() - at.timestamp().rem_euclid(PERIOD), 0)
        .expect("a time");
    let start = end
        - if first {
            TimeDelta::hours(3)
        } else {
            TimeDelta::seconds(3 * PERIOD)
        };
    let published = at - end >= TimeDelta::minutes(2);
    let mut series: Vec<SeriesData> = Vec::new();
    let mut ts = start;
    while ts < end {
        let provisional = ts + TimeDelta::seconds(PERIOD) == end;
        if provisional && !published {
            break;
        }
        for (id, v) in values(ts, (ts - t0).num_minutes()) {
            let k = series.iter().position(|s| s.id == id).unwrap_or_else(|| {
                series.push(SeriesData {
                    id: id.into(),
                    points: Vec::new(),
                    complete: true,
                });
                series.len() - 1
            });
            // Counters are only published when nonzero.
            if v != 0.0 || !id.contains("5xx") {
                series[k].points.push(Point {
                    ts,
                    v,
                    p: provisional,
                });
            }
        }
        ts += TimeDelta::seconds(PERIOD);
    }
    Event {
        at,
        body: EventBody::Metrics(MetricBatch {
            region: REGION.into(),
            start,
            end,
            series,
        }),
    }
}

fn targets(at: DateTime<Utc>, t0: DateTime<Utc>) -> Event {
    let m = (at - t0).num_minutes();
    let targets = (0..4)
        .map(|i| {
            let stopped = i == 3 && in_minutes(m, STOPPED);
            TargetInfo {
                id: format!("i-0tix00000000000{i}"),
                port: Some(8080),
                az: Some(format!("eu-west-1{}", ['a', 'b', 'c', 'a'][i])),
                state: if stopped {
                    TargetState::Unused
                } else {
                    TargetState::Healthy
                },
                reason: stopped.then(|| "Target.InvalidState".to_string()),
                description: stopped.then(|| "Target is in the stopped state".to_string()),
            }
        })
        .collect();
    Event {
        at,
        body: EventBody::TargetHealth(TargetHealthSnapshot {
            target_group: "tix.tg".into(),
            targets,
        }),
    }
}

fn alarms(at: DateTime<Utc>, t0: DateTime<Utc>) -> Event {
    let m = (at - t0).num_minutes();
    let spans = [(15, 50), RELAPSE_5XX];
    let firing = spans.iter().find(|s| in_minutes(m, **s));
    // When the state last changed: the start or end of the latest span before `at`.
    let updated = spans
        .iter()
        .flat_map(|(a, b)| [*a, *b])
        .filter(|x| *x <= m)
        .max()
        .map_or(t0 - LEAD, |x| t0 + TimeDelta::minutes(x));
    Event {
        at,
        body: EventBody::Alarms(AlarmSnapshot {
            region: REGION.into(),
            alarms: vec![AlarmInfo {
                name: "tix-5xx-high".into(),
                kind: AlarmKind::Metric,
                state: if firing.is_some() {
                    AlarmState::Alarm
                } else {
                    AlarmState::Ok
                },
                reason: Some(if firing.is_some() {
                    "Threshold Crossed: 1 datapoint was greater than the threshold (100.0)".into()
                } else {
                    "Threshold Crossed: no datapoint was greater than the threshold".into()
                }),
                updated,
            }],
        }),
    }
}

fn outage(t0: DateTime<Utc>) -> Vec<Event> {
    let status = |m: i64, state, detail: Option<&str>| Event {
        at: t0 + TimeDelta::minutes(m) + TimeDelta::seconds(10),
        body: EventBody::SourceStatus(SourceStatus {
            source: format!("cloudwatch:{REGION}"),
            state,
            detail: detail.map(str::to_string),
        }),
    };
    vec![
        status(
            OUTAGE.0,
            SourceState::Throttled,
            Some("ThrottlingException: Rate exceeded"),
        ),
        status(OUTAGE.1, SourceState::Ok, None),
    ]
}

fn operator(t0: DateTime<Utc>) -> Vec<Event> {
    let op = |m: i64, who: &str, action| Event {
        at: t0 + TimeDelta::minutes(m) + TimeDelta::seconds(7),
        body: EventBody::Operator(OperatorEvent {
            who: who.into(),
            user: None,
            post_mortem: false,
            action,
        }),
    };
    let incident = |state, title: Option<&str>| IncidentFields {
        title: title.map(str::to_string),
        severity: Some(Severity::Major),
        state: Some(state),
        owner: Some("web on-call".into()),
        ..IncidentFields::default()
    };
    vec![
        op(
            0,
            "noc-ana",
            OperatorAction::Annotation {
                text: "on-sale open".into(),
            },
        ),
        op(
            18,
            "ic-sean",
            OperatorAction::IncidentOpen {
                id: "INC-1".into(),
                fields: incident(
                    IncidentState::Investigating,
                    Some("Checkout slow at on-sale open"),
                ),
            },
        ),
        op(
            24,
            "noc-ana",
            OperatorAction::RunbookAck {
                step: "RB-01".into(),
            },
        ),
        op(
            65,
            "noc-ana",
            OperatorAction::RunbookDone {
                step: "RB-01".into(),
            },
        ),
        op(
            100,
            "ic-sean",
            OperatorAction::IncidentUpdate {
                id: "INC-1".into(),
                version: None,
                fields: incident(IncidentState::Resolved, None),
            },
        ),
    ]
}
