//! Operand values of the trigger language: numbers and state words read from the state at one
//! instant (series at a given bucket, snapshots at now or as they were at an earlier instant),
//! and the instants at which snapshot operands changed value.

use chrono::{DateTime, TimeDelta, Utc};

use super::truth::Ctx;
use crate::config::expr::{ArithOp, Expr, Func, Ref, RefTarget, TargetCountKind};
use crate::store::{AlarmEntry, Changes, GaGroupState, TargetCounts};

/// Snapshots (target health, Global Accelerator, alarms) older than this are Unknown.
pub(crate) const SNAPSHOT_STALE: TimeDelta = TimeDelta::minutes(3);

/// A number or a state word (`HEALTHY`, `ALARM`, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val<'a> {
    Num(f64),
    Sym(&'a str),
}

fn num(v: f64) -> Option<Val<'static>> {
    v.is_finite().then_some(Val::Num(v))
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
/// Unix epoch; None: their newest bucket), snapshots as they were at `cx.as_of` (None: now).
/// None when anything it needs is missing, stale or not a value.
pub(crate) fn scalar<'a>(e: &'a Expr, cx: &Ctx<'a>, t: Option<i64>) -> Option<Val<'a>> {
    match e {
        Expr::Number(n) => num(*n),
        Expr::Const { name, .. } => Some(Val::Sym(name.as_str())),
        Expr::Ref(r) => reference(r, cx, t),
        Expr::Neg(x) => match scalar(x, cx, t)? {
            Val::Num(v) => num(-v),
            Val::Sym(_) => None,
        },
        Expr::Arith { op, lhs, rhs } => {
            let (Val::Num(x), Val::Num(y)) = (scalar(lhs, cx, t)?, scalar(rhs, cx, t)?) else {
                return None;
            };
            num(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div if y == 0.0 => return None,
                ArithOp::Div => x / y,
            })
        }
        Expr::Call { func, args, .. } => call(*func, args, cx),
        _ => None,
    }
}

fn reference<'a>(r: &'a Ref, cx: &Ctx<'a>, t: Option<i64>) -> Option<Val<'a>> {
    let (state, now) = (cx.state, cx.now);
    match &r.target {
        RefTarget::Series(i) => {
            let buf = state.all_series().get(*i)?;
            num(match t {
                Some(t) => buf.bucket_at_secs(t).value()?,
                None => buf.latest()?.value()?,
            })
        }
        RefTarget::TargetCount { tg, which } => {
            let s = state.target_group(*tg).filter(|s| fresh(s.at, now))?;
            let counts = as_of(&s.history, cx)?;
            num(count(counts, *which) as f64)
        }
        RefTarget::GaGroupHealth { acc, region } => {
            let ga = state.accelerator(*acc).filter(|g| fresh(g.at, now))?;
            let g = ga.group(region).filter(|g| g.present)?;
            Some(Val::Sym(as_of(&g.healths, cx)?.as_str()))
        }
        RefTarget::GaGroupDial { acc, region } => {
            let ga = state.accelerator(*acc).filter(|g| fresh(g.at, now))?;
            let g = ga.group(region).filter(|g| g.present)?;
            num(as_of(&g.dials, cx)?)
        }
        RefTarget::Alarm(name) => {
            let a = alarm(name, cx)?;
            Some(Val::Sym(as_of(&a.states, cx)?.as_str()))
        }
        RefTarget::AlarmsFiring => num(as_of(alarms_firing(cx)?, cx)? as f64),
        RefTarget::Unresolved => None,
    }
}

/// A snapshot value now, or as it was at `cx.as_of`.
fn as_of<T: Copy + PartialEq>(h: &Changes<T>, cx: &Ctx<'_>) -> Option<T> {
    match cx.as_of {
        None => Some(h.current()),
        Some(t) => h.as_of(t),
    }
}

/// A named alarm whose region was polled within [`SNAPSHOT_STALE`].
fn alarm<'a>(name: &str, cx: &Ctx<'a>) -> Option<&'a AlarmEntry> {
    let alarms = cx.state.alarms();
    let a = alarms.get(name)?;
    alarms
        .polled(&a.region)
        .is_some_and(|p| fresh(p, cx.now))
        .then_some(a)
}

/// The firing-alarm count's history, when every region was polled within [`SNAPSHOT_STALE`].
fn alarms_firing<'a>(cx: &Ctx<'a>) -> Option<&'a Changes<usize>> {
    let alarms = cx.state.alarms();
    if !alarms.oldest_poll().is_some_and(|p| fresh(p, cx.now)) {
        return None;
    }
    alarms.firing_count()
}

/// Calls `f` with every instant at or before now at which a snapshot operand of `e` changed
/// value (target counts, endpoint group health and dial, alarm states, the firing count, a
/// `changes()` count). Series and constants add none: a series comparison follows its buckets.
pub(crate) fn for_each_change(e: &Expr, cx: &Ctx<'_>, f: &mut impl FnMut(DateTime<Utc>)) {
    let (state, now) = (cx.state, cx.now);
    let mut each = |times: &mut dyn Iterator<Item = DateTime<Utc>>| {
        times.filter(|t| *t <= now).for_each(&mut *f);
    };
    match e {
        Expr::Ref(r) => match &r.target {
            RefTarget::TargetCount { tg, .. } => {
                if let Some(s) = state.target_group(*tg) {
                    each(&mut s.history.times());
                }
            }
            RefTarget::GaGroupHealth { acc, region } | RefTarget::GaGroupDial { acc, region } => {
                if let Some(g) = state.accelerator(*acc).and_then(|a| a.group(region)) {
                    match r.target {
                        RefTarget::GaGroupDial { .. } => each(&mut g.dials.times()),
                        _ => each(&mut g.healths.times()),
                    }
                }
            }
            RefTarget::Alarm(name) => {
                if let Some(a) = state.alarms().get(name) {
                    each(&mut a.states.times());
                }
            }
            RefTarget::AlarmsFiring => {
                if let Some(h) = state.alarms().firing_count() {
                    each(&mut h.times());
                }
            }
            RefTarget::Series(_) | RefTarget::Unresolved => {}
        },
        Expr::Neg(x) => for_each_change(x, cx, f),
        Expr::Arith { lhs, rhs, .. } => {
            for_each_change(lhs, cx, f);
            for_each_change(rhs, cx, f);
        }
        Expr::Call {
            func: Func::Changes,
            args,
            ..
        } => {
            if let (Some(Expr::Ref(r)), Some(Expr::Duration(d))) = (args.first(), args.get(1)) {
                change_times(r, *d, cx, &mut |t| {
                    if t <= now {
                        f(t);
                    }
                });
            }
        }
        _ => {}
    }
}

fn count(c: TargetCounts, which: TargetCountKind) -> usize {
    match which {
        TargetCountKind::Healthy => c.healthy,
        TargetCountKind::Unhealthy => c.unhealthy,
        TargetCountKind::Initial => c.initial,
        TargetCountKind::Draining => c.draining,
        TargetCountKind::Total => c.total,
        TargetCountKind::Unused => c.unused,
    }
}

fn call<'a>(func: Func, args: &'a [Expr], cx: &Ctx<'a>) -> Option<Val<'a>> {
    match func {
        Func::Baseline => {
            let Some(Expr::Ref(Ref {
                target: RefTarget::Series(i),
                ..
            })) = args.first()
            else {
                return None;
            };
            num(cx.layout.series.get(*i)?.baseline?)
        }
        Func::Changes => {
            let (Some(Expr::Ref(r)), Some(Expr::Duration(d))) = (args.first(), args.get(1)) else {
                return None;
            };
            num(changes(r, *d, cx)? as f64)
        }
    }
}

/// Health transitions of an endpoint group in `(at - d, at]`, `at` being `cx.as_of` or now.
pub(crate) fn changes(r: &Ref, d: TimeDelta, cx: &Ctx<'_>) -> Option<usize> {
    let g = ga_group(r, cx)?;
    let at = cx.as_of.unwrap_or(cx.now);
    let from = at - d;
    Some(
        g.transitions()
            .filter(|tr| tr.at > from && tr.at <= at)
            .count(),
    )
}

/// The instants at which `changes(r, d)` changes: a transition entering the window, or one
/// leaving it at `at + d`.
fn change_times(r: &Ref, d: TimeDelta, cx: &Ctx<'_>, f: &mut impl FnMut(DateTime<Utc>)) {
    if let Some(g) = ga_group(r, cx) {
        for tr in g.transitions() {
            f(tr.at);
            if let Some(left) = tr.at.checked_add_signed(d) {
                f(left);
            }
        }
    }
}

/// The endpoint group `r` names, from a fresh snapshot.
fn ga_group<'a>(r: &Ref, cx: &Ctx<'a>) -> Option<&'a GaGroupState> {
    let RefTarget::GaGroupHealth { acc, region } = &r.target else {
        return None;
    };
    let ga = cx.state.accelerator(*acc).filter(|g| fresh(g.at, cx.now))?;
    ga.group(region)
}
