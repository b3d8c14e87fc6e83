//! Operand values of the trigger language: numbers and state words read from the state at one
//! instant (series at a given bucket, snapshots at now), each with the time it took its value.

use chrono::{DateTime, TimeDelta, Utc};

use super::truth::Ctx;
use crate::config::expr::{ArithOp, Expr, Func, Ref, RefTarget, TargetCountKind};
use crate::store::TargetGroupState;

/// Snapshots (target health, Global Accelerator, alarms) older than this are Unknown.
pub(crate) const SNAPSHOT_STALE: TimeDelta = TimeDelta::minutes(3);

/// A number or a state word (`HEALTHY`, `ALARM`, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val<'a> {
    Num(f64),
    Sym(&'a str),
}

/// An operand value and since when it holds (`MIN_UTC` for constants and series buckets,
/// whose runs the comparison measures itself).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scalar<'a> {
    pub(crate) v: Val<'a>,
    pub(crate) since: DateTime<Utc>,
}

const FOREVER: DateTime<Utc> = DateTime::<Utc>::MIN_UTC;

fn num(v: f64, since: DateTime<Utc>) -> Option<Scalar<'static>> {
    v.is_finite().then_some(Scalar {
        v: Val::Num(v),
        since,
    })
}

/// Series indices an expression reads, in source order (duplicates possible).
pub(crate) fn series_refs(e: &Expr) -> Vec<usize> {
    let mut out = Vec::new();
    for_each_series(e, &mut |i| out.push(i));
    out
}

/// Calls `f` with every series index `e` reads, without allocating.
pub(crate) fn for_each_series(e: &Expr, f: &mut impl FnMut(usize)) {
    match e {
        Expr::Ref(Ref {
            target: RefTarget::Series(i),
            ..
        }) => f(*i),
        Expr::Neg(x) | Expr::Not(x) | Expr::For { expr: x, .. } => for_each_series(x, f),
        Expr::Arith { lhs, rhs, .. } | Expr::Cmp { lhs, rhs, .. } => {
            for_each_series(lhs, f);
            for_each_series(rhs, f);
        }
        Expr::And(a, b) | Expr::Or(a, b) => {
            for_each_series(a, f);
            for_each_series(b, f);
        }
        // `baseline(series)` reads the layout, not the series' data.
        Expr::Call {
            func: Func::Changes,
            args,
            ..
        } => args.iter().for_each(|a| for_each_series(a, f)),
        _ => {}
    }
}

fn fresh(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at >= now - SNAPSHOT_STALE
}

/// The value of `e`; series read at the bucket covering the instant `t` (seconds since the
/// Unix epoch; None: their newest bucket). None when anything it needs is missing, stale or
/// not a value.
#[allow(clippy::many_single_char_names)]
pub(crate) fn scalar<'a>(e: &'a Expr, cx: &Ctx<'a>, t: Option<i64>) -> Option<Scalar<'a>> {
    match e {
        Expr::Number(n) => num(*n, FOREVER),
        Expr::Const { name, .. } => Some(Scalar {
            v: Val::Sym(name.as_str()),
            since: FOREVER,
        }),
        Expr::Ref(r) => reference(r, cx, t),
        Expr::Neg(x) => match scalar(x, cx, t)? {
            Scalar {
                v: Val::Num(v),
                since,
            } => num(-v, since),
            Scalar { .. } => None,
        },
        Expr::Arith { op, lhs, rhs } => {
            let (a, b) = (scalar(lhs, cx, t)?, scalar(rhs, cx, t)?);
            let (Val::Num(x), Val::Num(y)) = (a.v, b.v) else {
                return None;
            };
            let v = match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div if y == 0.0 => return None,
                ArithOp::Div => x / y,
            };
            num(v, a.since.max(b.since))
        }
        Expr::Call { func, args, .. } => call(*func, args, cx),
        _ => None,
    }
}

fn reference<'a>(r: &'a Ref, cx: &Ctx<'a>, t: Option<i64>) -> Option<Scalar<'a>> {
    let (state, now) = (cx.state, cx.now);
    match &r.target {
        RefTarget::Series(i) => {
            let buf = state.all_series().get(*i)?;
            let v = match t {
                Some(t) => buf.bucket_at_secs(t).value()?,
                None => buf.latest()?.value()?,
            };
            num(v, FOREVER)
        }
        RefTarget::TargetCount { tg, which } => {
            let s = state.target_group(*tg).filter(|s| fresh(s.at, now))?;
            let (n, idx) = count(s, *which);
            num(n as f64, s.count_since(idx))
        }
        RefTarget::GaGroupHealth { acc, region } => {
            let ga = state.accelerator(*acc).filter(|g| fresh(g.at, now))?;
            let g = ga.group(region).filter(|g| g.present)?;
            Some(Scalar {
                v: Val::Sym(g.health.as_str()),
                since: g.health_since,
            })
        }
        RefTarget::GaGroupDial { acc, region } => {
            let ga = state.accelerator(*acc).filter(|g| fresh(g.at, now))?;
            let g = ga.group(region).filter(|g| g.present)?;
            num(g.dial, g.dial_since)
        }
        RefTarget::Alarm(name) => {
            let a = state.alarms().get(name)?;
            if !state
                .alarms()
                .polled(&a.region)
                .is_some_and(|p| fresh(p, now))
            {
                return None;
            }
            Some(Scalar {
                v: Val::Sym(a.info.state.as_str()),
                since: a.info.updated.min(now),
            })
        }
        RefTarget::AlarmsFiring => {
            let alarms = state.alarms();
            if !alarms.oldest_poll().is_some_and(|p| fresh(p, now)) {
                return None;
            }
            let (n, since) = alarms.firing_count()?;
            num(n as f64, since)
        }
        RefTarget::Unresolved => None,
    }
}

fn count(s: &TargetGroupState, which: TargetCountKind) -> (usize, usize) {
    let c = s.counts;
    match which {
        TargetCountKind::Healthy => (c.healthy, 0),
        TargetCountKind::Unhealthy => (c.unhealthy, 1),
        TargetCountKind::Initial => (c.initial, 2),
        TargetCountKind::Draining => (c.draining, 3),
        TargetCountKind::Total => (c.total, 4),
        TargetCountKind::Unused => (c.unused, 5),
    }
}

fn call<'a>(func: Func, args: &'a [Expr], cx: &Ctx<'a>) -> Option<Scalar<'a>> {
    match func {
        Func::Baseline => {
            let Some(Expr::Ref(Ref {
                target: RefTarget::Series(i),
                ..
            })) = args.first()
            else {
                return None;
            };
            num(cx.layout.series.get(*i)?.baseline?, FOREVER)
        }
        Func::Changes => {
            let (Some(Expr::Ref(r)), Some(Expr::Duration(d))) = (args.first(), args.get(1)) else {
                return None;
            };
            let (n, since) = changes(r, *d, cx)?;
            num(n as f64, since)
        }
    }
}

/// Health transitions of an endpoint group in `(now - d, now]`, and since when that count
/// holds (a transition entering the window, or one leaving it at `at + d`).
pub(crate) fn changes(r: &Ref, d: TimeDelta, cx: &Ctx<'_>) -> Option<(usize, DateTime<Utc>)> {
    let RefTarget::GaGroupHealth { acc, region } = &r.target else {
        return None;
    };
    let now = cx.now;
    let ga = cx.state.accelerator(*acc).filter(|g| fresh(g.at, now))?;
    let g = ga.group(region)?;
    let from = now - d;
    let mut n = 0;
    let (mut entered, mut left) = (FOREVER, None);
    for tr in g.transitions() {
        if tr.at > from && tr.at <= now {
            n += 1;
        }
        if tr.at <= now {
            entered = entered.max(tr.at);
        }
        if tr.at <= from {
            left = Some(tr.at);
        }
    }
    let left = left
        .and_then(|l| l.checked_add_signed(d))
        .unwrap_or(FOREVER);
    Some((n, entered.max(left)))
}
