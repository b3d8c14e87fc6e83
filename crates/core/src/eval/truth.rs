//! Expression truth: the trigger language evaluated over the state with three-valued logic.
//! Each node yields a [`Truth`]: True/False/Unknown plus the interval over which it has held
//! (`since`..`until`), which is what `for` measures. Series comparisons read the run of recent
//! buckets with the same truth; snapshot comparisons walk back over their operands' changes
//! while the comparison keeps its truth. See docs/evaluation.md for the rules.

use chrono::{DateTime, TimeDelta, Utc};

use super::scalar::{Val, for_each_change, for_each_series, scalar};
use super::threshold::is_stale;
use crate::config::expr::{CmpOp, Expr};
use crate::config::layout::Layout;
use crate::store::State;

/// Buckets a series comparison looks back at most (beyond what `for` needs none are read).
const MAX_SCAN: i64 = 24 * 60;

/// A three-valued truth value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }
}

/// A truth value with the interval it has held over: `since` is the start of the oldest
/// bucket (or the transition) of the run, `until` the end of the newest bucket (or now).
/// `since` is `DateTime::<Utc>::MIN_UTC` when the value never changed (constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truth {
    pub value: Tri,
    pub(crate) since: DateTime<Utc>,
    pub(crate) until: DateTime<Utc>,
}

impl Truth {
    fn unknown(now: DateTime<Utc>) -> Truth {
        Truth {
            value: Tri::Unknown,
            since: now,
            until: now,
        }
    }

    pub fn is_true(&self) -> bool {
        self.value == Tri::True
    }

    /// How long the value has held (`until - since`), zero for Unknown.
    pub fn held(&self) -> TimeDelta {
        if self.value == Tri::Unknown {
            TimeDelta::zero()
        } else {
            self.until.signed_duration_since(self.since)
        }
    }
}

/// What an evaluation reads.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub(crate) layout: &'a Layout,
    pub(crate) state: &'a State,
    pub(crate) now: DateTime<Utc>,
    /// Treat every `for` as zero (to tell an armed trigger from an idle one).
    pub(crate) ignore_for: bool,
    /// Read snapshots as they were at this instant (None: as they are now); freshness is
    /// still judged at `now`.
    pub(crate) as_of: Option<DateTime<Utc>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(layout: &'a Layout, state: &'a State, now: DateTime<Utc>) -> Self {
        Ctx {
            layout,
            state,
            now,
            ignore_for: false,
            as_of: None,
        }
    }

    /// The same context with every `for` treated as zero.
    #[must_use]
    pub(crate) fn armed(self) -> Self {
        Ctx {
            ignore_for: true,
            ..self
        }
    }
}

/// How far back a series run is followed at least. A `for` extends it to its duration, which
/// is all `since` is needed for; a run longer than the horizon reports the horizon's start.
/// Kept short because every comparison of every trigger is judged after every batch.
pub(crate) const RUN_HORIZON: TimeDelta = TimeDelta::zero();

/// The truth of a boolean expression. Non-boolean expressions are Unknown.
pub fn truth(e: &Expr, cx: &Ctx<'_>) -> Truth {
    let horizon = if cx.ignore_for {
        TimeDelta::zero()
    } else {
        RUN_HORIZON
    };
    eval(e, cx, horizon)
}

fn eval(e: &Expr, cx: &Ctx<'_>, horizon: TimeDelta) -> Truth {
    match e {
        Expr::Cmp { op, lhs, rhs } => compare(*op, lhs, rhs, cx, horizon),
        Expr::Not(x) => {
            let t = eval(x, cx, horizon);
            let value = match t.value {
                Tri::True => Tri::False,
                Tri::False => Tri::True,
                Tri::Unknown => Tri::Unknown,
            };
            Truth { value, ..t }
        }
        Expr::And(a, b) => and(eval(a, cx, horizon), eval(b, cx, horizon), cx.now),
        Expr::Or(a, b) => or(eval(a, cx, horizon), eval(b, cx, horizon), cx.now),
        Expr::For { expr, dur } => {
            if cx.ignore_for {
                return eval(expr, cx, horizon);
            }
            let t = eval(expr, cx, horizon.max(*dur));
            match t.value {
                Tri::True if t.held() >= *dur => Truth {
                    since: t.since.checked_add_signed(*dur).unwrap_or(t.since),
                    ..t
                },
                Tri::True => Truth {
                    value: Tri::False,
                    ..t
                },
                _ => t,
            }
        }
        _ => Truth::unknown(cx.now),
    }
}

fn and(a: Truth, b: Truth, now: DateTime<Utc>) -> Truth {
    match (a.value, b.value) {
        (Tri::True, Tri::True) => Truth {
            value: Tri::True,
            since: a.since.max(b.since),
            until: a.until.min(b.until),
        },
        (Tri::False, Tri::False) => Truth {
            value: Tri::False,
            since: a.since.min(b.since),
            until: a.until.max(b.until),
        },
        (Tri::False, _) => a,
        (_, Tri::False) => b,
        _ => Truth::unknown(now),
    }
}

fn or(a: Truth, b: Truth, now: DateTime<Utc>) -> Truth {
    match (a.value, b.value) {
        (Tri::True, Tri::True) => Truth {
            value: Tri::True,
            since: a.since.min(b.since),
            until: a.until.max(b.until),
        },
        (Tri::False, Tri::False) => Truth {
            value: Tri::False,
            since: a.since.max(b.since),
            until: a.until.min(b.until),
        },
        (Tri::True, _) => a,
        (_, Tri::True) => b,
        _ => Truth::unknown(now),
    }
}

const EPS: f64 = 1e-9;

fn cmp_vals(op: CmpOp, a: &Val<'_>, b: &Val<'_>) -> Option<bool> {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => {
            let eq = (x - y).abs() <= EPS * x.abs().max(y.abs()).max(1.0);
            Some(match op {
                CmpOp::Lt => x < y && !eq,
                CmpOp::Le => x < y || eq,
                CmpOp::Gt => x > y && !eq,
                CmpOp::Ge => x > y || eq,
                CmpOp::Eq => eq,
                CmpOp::Ne => !eq,
            })
        }
        (Val::Sym(x), Val::Sym(y)) => match op {
            CmpOp::Eq => Some(x.eq_ignore_ascii_case(y)),
            CmpOp::Ne => Some(!x.eq_ignore_ascii_case(y)),
            _ => None,
        },
        _ => None,
    }
}

/// The comparison at one instant: `t` selects series buckets, `cx.as_of` snapshots.
fn cmp_at(op: CmpOp, lhs: &Expr, rhs: &Expr, cx: &Ctx<'_>, t: Option<i64>) -> Option<bool> {
    cmp_vals(op, &scalar(lhs, cx, t)?, &scalar(rhs, cx, t)?)
}

/// Snapshots as they were just before `t` (the value a change at `t` replaced).
fn before<'a>(cx: &Ctx<'a>, t: DateTime<Utc>) -> Ctx<'a> {
    Ctx {
        as_of: Some(t - TimeDelta::nanoseconds(1)),
        ..*cx
    }
}

/// A comparison of snapshots and constants at now. Its `since` is how long its truth has held:
/// the operands' changes are walked back, newest first, while the comparison keeps its value
/// (3 alarms firing becoming 4 does not restart `alarms.firing > 0`). Constants only: forever.
fn compare_snapshots(op: CmpOp, lhs: &Expr, rhs: &Expr, cx: &Ctx<'_>) -> Truth {
    let Some(value) = cmp_at(op, lhs, rhs, cx, None) else {
        return Truth::unknown(cx.now);
    };
    let mut times = Vec::new();
    for_each_change(lhs, cx, &mut |t| times.push(t));
    for_each_change(rhs, cx, &mut |t| times.push(t));
    times.sort_unstable_by(|a, b| b.cmp(a));
    times.dedup();
    let mut since = DateTime::<Utc>::MIN_UTC;
    for t in times {
        since = t;
        if cmp_at(op, lhs, rhs, &before(cx, t), None) != Some(value) {
            break;
        }
    }
    Truth {
        value: Tri::from_bool(value),
        since: since.min(cx.now),
        until: cx.now,
    }
}

fn compare(op: CmpOp, lhs: &Expr, rhs: &Expr, cx: &Ctx<'_>, horizon: TimeDelta) -> Truth {
    // Align on the newest bucket every referenced series has; stale data is Unknown.
    let (mut anchor, mut step, mut any, mut stale) = (i64::MAX, 1, false, false);
    let mut visit = |i: usize| {
        any = true;
        let buf = cx.state.series(i);
        match buf.latest() {
            Some(latest) if !is_stale(buf, cx.now) => {
                anchor = anchor.min(latest.ts.timestamp());
                step = step.max(buf.period_secs());
            }
            _ => stale = true,
        }
    };
    for_each_series(lhs, &mut visit);
    for_each_series(rhs, &mut visit);
    if !any {
        return compare_snapshots(op, lhs, rhs, cx);
    }
    if stale {
        return Truth::unknown(cx.now);
    }
    let at = |secs: i64| DateTime::from_timestamp(secs, 0).unwrap_or(cx.now);
    let until = at(anchor.saturating_add(step));
    let Some(value) = cmp_at(op, lhs, rhs, cx, Some(anchor)) else {
        return Truth {
            value: Tri::Unknown,
            since: at(anchor),
            until,
        };
    };
    // Older buckets are compared with the snapshots (if any) as they were at each bucket's end.
    let want = (horizon.num_seconds().max(0) + step - 1) / step + 1;
    let mut since = anchor;
    for j in 1..=want.min(MAX_SCAN) {
        let t = anchor - step * j;
        let then = Ctx {
            as_of: Some(at(t + step).min(cx.now)),
            ..*cx
        };
        match cmp_at(op, lhs, rhs, &then, Some(t)) {
            Some(v) if v == value => since = t,
            _ => break,
        }
    }
    Truth {
        value: Tri::from_bool(value),
        since: at(since),
        until,
    }
}
