//! Test fixtures for the fold and evaluation: a small hand-built layout shaped like the
//! reference event, a tiny expression parser resolving names against it, and event builders.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::expr::{ArithOp, CmpOp, Expr, Func, Ref, RefTarget, TargetCountKind};
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
            contacts: Vec::new(),
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
            sinks: Vec::new(),
        },
        runbook: None,
    };
    l.series[RATE].source = SeriesSource::Math {
        expr: Expr::Number(0.0),
        text: String::new(),
    };
    let rate = expr(&l, "100 * s.t5xx / s.req");
    l.series[RATE].source = SeriesSource::Math {
        expr: rate,
        text: "100 * s.t5xx / s.req".into(),
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
        title: "test".into(),
        checklist: Vec::new(),
        steps: steps
            .iter()
            .enumerate()
            .map(|(i, (id, title, when, verify))| Step {
                id: (*id).into(),
                title: (*title).into(),
                when: expr(&l, when),
                when_text: (*when).into(),
                owner: None,
                action: String::new(),
                verify: Some(expr(&l, verify)),
                verify_text: Some((*verify).into()),
                line: i + 1,
            })
            .collect(),
        return_to_normal: Vec::new(),
    });
    l
}

// ---- a tiny expression parser for tests (the real one lives in config) ----

struct P<'a> {
    toks: Vec<String>,
    pos: usize,
    layout: &'a Layout,
}

fn lex(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if "()+*/,".contains(c) || (c == '-' && cs.get(i + 1) == Some(&' ')) {
            out.push(c.to_string());
            i += 1;
        } else if "<>=!".contains(c) {
            let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
            if ["<=", ">=", "==", "!="].contains(&two.as_str()) {
                out.push(two);
                i += 2;
            } else {
                out.push(c.to_string());
                i += 1;
            }
        } else {
            let st = i;
            while i < cs.len() && (cs[i].is_alphanumeric() || "._-".contains(cs[i])) {
                i += 1;
            }
            out.push(cs[st..i].iter().collect());
        }
    }
    out
}

fn duration(t: &str) -> Option<TimeDelta> {
    let (n, unit) = t.split_at(t.len().checked_sub(1)?);
    let n: i64 = n.parse().ok()?;
    match unit {
        "s" => Some(TimeDelta::seconds(n)),
        "m" => Some(TimeDelta::minutes(n)),
        "h" => Some(TimeDelta::hours(n)),
        _ => None,
    }
}

impl P<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(String::as_str)
    }
    fn next(&mut self) -> String {
        self.pos += 1;
        self.toks
            .get(self.pos - 1)
            .cloned()
            .expect("unexpected end")
    }
    fn or(&mut self) -> Expr {
        let mut e = self.and();
        while self.peek() == Some("or") {
            self.next();
            e = Expr::Or(Box::new(e), Box::new(self.and()));
        }
        e
    }
    fn and(&mut self) -> Expr {
        let mut e = self.not();
        while self.peek() == Some("and") {
            self.next();
            e = Expr::And(Box::new(e), Box::new(self.not()));
        }
        e
    }
    fn not(&mut self) -> Expr {
        if self.peek() == Some("not") {
            self.next();
            return Expr::Not(Box::new(self.not()));
        }
        let e = self.cmp();
        if self.peek() == Some("for") {
            self.next();
            let d = duration(&self.next()).expect("duration");
            return Expr::For {
                expr: Box::new(e),
                dur: d,
            };
        }
        e
    }
    fn cmp(&mut self) -> Expr {
        let lhs = self.sum();
        let op = match self.peek() {
            Some("<") => CmpOp::Lt,
            Some("<=") => CmpOp::Le,
            Some(">") => CmpOp::Gt,
            Some(">=") => CmpOp::Ge,
            Some("==") => CmpOp::Eq,
            Some("!=") => CmpOp::Ne,
            _ => return lhs,
        };
        self.next();
        Expr::Cmp {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(self.sum()),
        }
    }
    fn sum(&mut self) -> Expr {
        let mut e = self.prod();
        while let Some(op) = match self.peek() {
            Some("+") => Some(ArithOp::Add),
            Some("-") => Some(ArithOp::Sub),
            _ => None,
        } {
            self.next();
            e = Expr::Arith {
                op,
                lhs: Box::new(e),
                rhs: Box::new(self.prod()),
            };
        }
        e
    }
    fn prod(&mut self) -> Expr {
        let mut e = self.atom();
        while let Some(op) = match self.peek() {
            Some("*") => Some(ArithOp::Mul),
            Some("/") => Some(ArithOp::Div),
            _ => None,
        } {
            self.next();
            e = Expr::Arith {
                op,
                lhs: Box::new(e),
                rhs: Box::new(self.atom()),
            };
        }
        e
    }
    fn atom(&mut self) -> Expr {
        let t = self.next();
        if t == "(" {
            let e = self.or();
            assert_eq!(self.next(), ")");
            return e;
        }
        if t == "-" {
            return Expr::Neg(Box::new(self.atom()));
        }
        if let Ok(n) = t.parse::<f64>() {
            return Expr::Number(n);
        }
        if let Some(d) = duration(&t).filter(|_| t.starts_with(|c: char| c.is_ascii_digit())) {
            return Expr::Duration(d);
        }
        if self.peek() == Some("(") {
            self.next();
            let func = match t.as_str() {
                "baseline" => Func::Baseline,
                "changes" => Func::Changes,
                other => panic!("unknown function {other}"),
            };
            let mut args = vec![self.or()];
            while self.peek() == Some(",") {
                self.next();
                args.push(self.or());
            }
            assert_eq!(self.next(), ")");
            return Expr::Call { func, args, at: 0 };
        }
        if t.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            return Expr::Const { name: t, at: 0 };
        }
        Expr::Ref(Ref {
            target: resolve(self.layout, &t),
            name: t,
            at: 0,
        })
    }
}

fn resolve(l: &Layout, name: &str) -> RefTarget {
    if let Some(i) = l.series_index(name) {
        return RefTarget::Series(i);
    }
    if name == "alarms.firing" {
        return RefTarget::AlarmsFiring;
    }
    if let Some(a) = name.strip_prefix("alarm.") {
        return RefTarget::Alarm(a.into());
    }
    if let Some((tg, kind)) = name.rsplit_once('.')
        && let Some(tg) = l.target_group_index(tg)
    {
        let which = match kind {
            "healthy" => TargetCountKind::Healthy,
            "unhealthy" => TargetCountKind::Unhealthy,
            "initial" => TargetCountKind::Initial,
            "draining" => TargetCountKind::Draining,
            _ => TargetCountKind::Total,
        };
        return RefTarget::TargetCount { tg, which };
    }
    for (acc, a) in l.accelerators.iter().enumerate() {
        if let Some(rest) = name.strip_prefix(&format!("{}.", a.id)) {
            if let Some(region) = rest.strip_suffix(".dial") {
                return RefTarget::GaGroupDial {
                    acc,
                    region: region.into(),
                };
            }
            return RefTarget::GaGroupHealth {
                acc,
                region: rest.into(),
            };
        }
    }
    RefTarget::Unresolved
}

/// Parses and resolves an expression against the layout (test grammar).
pub fn expr(l: &Layout, text: &str) -> Expr {
    let mut p = P {
        toks: lex(text),
        pos: 0,
        layout: l,
    };
    let e = p.or();
    assert!(p.peek().is_none(), "trailing tokens in {text}");
    e
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
