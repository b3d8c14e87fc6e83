//! Test fixtures for the fold and evaluation: a small hand-built layout shaped like the
//! reference event, expressions resolved against it, and event builders.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::ExprContext;
use crate::config::expr::Expr;
use crate::config::layout::{
    Absent, Accelerator, Alarms, Criterion, Direction, EndpointGroupDef, EventInfo, Layout,
    LogGroup, MetricQuery, Panel, ReturnToNormal, Series, SeriesSource, SummaryConfig, TargetGroup,
    Threshold, Unit, WafScope, WebAcl,
};
use crate::config::runbook::{Runbook, Step};
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

fn metric(id: &str, region: &str, absent: Absent, baseline: Option<f64>) -> Series {
    Series {
        id: id.into(),
        label: id.into(),
        region: region.into(),
        account: "main".into(),
        source: SeriesSource::Metric(MetricQuery {
            namespace: "AWS/Test".into(),
            metric: id.into(),
            dimensions: Vec::new(),
            stat: "Sum".into(),
            period: 60,
        }),
        unit: Unit::Count,
        absent,
        baseline,
        threshold: None,
    }
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

/// Series indices of [`layout`].
pub const REQ: usize = 0;
pub const RATE: usize = 2;
pub const UNHEALTHY: usize = 3;
pub const HEALTHY: usize = 4;
pub const CPU: usize = 5;

/// The test layout: Seoul and Virginia series, one target group, a two-region accelerator, a
/// web ACL, a log group, panels, two runbook steps and two return-to-normal criteria.
#[allow(clippy::too_many_lines)]
pub fn layout() -> Layout {
    let mut series = vec![
        metric("s.req", "ap-northeast-2", Absent::Zero, Some(1600.0)),
        metric("s.t5xx", "ap-northeast-2", Absent::Zero, None),
        metric("s.rate", "ap-northeast-2", Absent::Unknown, Some(0.1)),
        metric("s.unhealthy", "ap-northeast-2", Absent::Unknown, Some(0.0)),
        metric("s.healthy", "ap-northeast-2", Absent::Unknown, Some(2.0)),
        metric("s.cpu", "ap-northeast-2", Absent::Unknown, Some(20.0)),
        metric("v.req", "us-east-1", Absent::Zero, Some(400.0)),
    ];
    series[RATE].threshold = Some(th(Some(0.5), Some(2.0), Direction::Above, 3, 0.1));
    series[UNHEALTHY].threshold = Some(th(Some(0.0), Some(2.0), Direction::Above, 1, 0.0));
    series[HEALTHY].threshold = Some(th(Some(2.0), Some(1.0), Direction::Below, 0, 0.0));
    series[CPU].threshold = Some(th(Some(60.0), Some(85.0), Direction::Above, 5, 2.0));
    let mut l = Layout {
        path: "test.toml".into(),
        text: String::new(),
        event: EventInfo {
            name: "test".into(),
            start: t0(),
            end: t0() + TimeDelta::hours(3),
            time_zones: vec![chrono_tz::Asia::Seoul, chrono_tz::UTC],
            bridge_phone: None,
            bridge_url: None,
            success_criteria: Vec::new(),
            availability_target: None,
            contacts: Vec::new(),
            post_mortem: None,
        },
        accounts: Vec::new(),
        series,
        target_groups: vec![TargetGroup {
            id: "seoul.tg".into(),
            name: "BTS-tg".into(),
            load_balancer: "BTS-ALB".into(),
            region: "ap-northeast-2".into(),
            account: "main".into(),
        }],
        accelerators: vec![Accelerator {
            id: "ga".into(),
            name: "BTS-AGA".into(),
            account: "main".into(),
            endpoint_groups: ["ap-northeast-2", "us-east-1"]
                .iter()
                .map(|r| EndpointGroupDef {
                    region: (*r).into(),
                    endpoint: "alb".into(),
                    dial: 100.0,
                    weight: 128,
                    share: None,
                })
                .collect(),
        }],
        web_acls: vec![WebAcl {
            id: "seoul.waf".into(),
            name: "BTS-WebACL-Seoul-ALB".into(),
            scope: WafScope::Regional,
            region: "ap-northeast-2".into(),
            account: "main".into(),
            sample_rules: Vec::new(),
        }],
        log_groups: vec![LogGroup {
            id: "seoul.httpd".into(),
            name: "/seoul/httpd".into(),
            region: "ap-northeast-2".into(),
            account: "main".into(),
            filter: "ERROR".into(),
        }],
        alarms: Alarms {
            prefixes: vec!["BTS-".into()],
            regions: vec!["ap-northeast-2".into()],
        },
        panels: vec![
            Panel {
                id: "ga".into(),
                title: "GA".into(),
                priority: 1,
                series: Vec::new(),
                health: vec!["ga".into()],
            },
            Panel {
                id: "seoul".into(),
                title: "Seoul".into(),
                priority: 2,
                series: ["s.req", "s.rate", "s.unhealthy", "s.healthy", "s.cpu"]
                    .map(String::from)
                    .to_vec(),
                health: vec!["seoul.tg".into()],
            },
            Panel {
                id: "alarms".into(),
                title: "Alarms".into(),
                priority: 3,
                series: Vec::new(),
                health: vec!["alarms".into(), "seoul.httpd".into()],
            },
        ],
        return_to_normal: ReturnToNormal {
            streak: TimeDelta::minutes(15),
            criteria: Vec::new(),
        },
        summary: SummaryConfig {
            time_zone: chrono_tz::Asia::Seoul,
            cadence: TimeDelta::hours(1),
            red_cadence: None,
            metrics: Vec::new(),
            leadership: Vec::new(),
            sinks: Vec::new(),
        },
        runbook: None,
        readiness: None,
    };
    l.series[RATE].source = SeriesSource::Math {
        expr: Expr::Number(0.0),
        text: String::new(),
        period: 60,
    };
    let rate = crate::config::resolve_expr("100 * s.t5xx / s.req", &l, ExprContext::Math)
        .expect("math expression");
    l.series[RATE].source = SeriesSource::Math {
        expr: rate,
        text: "100 * s.t5xx / s.req".into(),
        period: 60,
    };
    let criteria = [
        ("no unhealthy targets", "s.unhealthy == 0"),
        ("no alarms", "alarms.firing == 0"),
    ];
    l.return_to_normal.criteria = criteria
        .iter()
        .map(|(n, t)| Criterion {
            name: (*n).into(),
            text: (*t).into(),
            expr: expr(&l, t),
        })
        .collect();
    let steps = [
        (
            "RB-03",
            "Seoul targets unhealthy",
            "s.unhealthy > 0 for 3m",
            "s.unhealthy == 0",
        ),
        (
            "RB-04",
            "Seoul down, Global Accelerator failing over",
            "s.healthy == 0 or ga.ap-northeast-2 == UNHEALTHY",
            "v.req > 0",
        ),
    ];
    l.runbook = Some(Runbook {
        path: "rb.md".into(),
        text: String::new(),
        checklist: Vec::new(),
        steps: steps
            .iter()
            .map(|(id, title, when, verify)| Step {
                id: (*id).into(),
                title: (*title).into(),
                when: expr(&l, when),
                when_text: (*when).into(),
                owner: None,
                action: String::new(),
                verify: Some(expr(&l, verify)),
            })
            .collect(),
        return_to_normal: Vec::new(),
    });
    l
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
