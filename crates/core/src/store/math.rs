//! Metric-math series in the state fold: computed bucket by bucket from their input series when
//! a batch touches those inputs (division by zero or a missing input gives a missing bucket; any
//! provisional input makes the result provisional).

use chrono::{DateTime, Utc};

use super::series::{Bucket, SeriesBuf};
use crate::config::expr::{ArithOp, Expr, Func, RefTarget};
use crate::config::layout::{Layout, SeriesSource};

/// Which math series exist, in an order where inputs come first, and what they read.
#[derive(Debug, Clone, Default)]
pub(crate) struct MathPlan {
    /// (math series index, expression, base input series indices).
    items: Vec<(usize, Expr, Vec<usize>)>,
    baselines: Vec<Option<f64>>,
}

impl MathPlan {
    pub(crate) fn new(layout: &Layout) -> Self {
        let n = layout.series.len();
        let direct: Vec<Vec<usize>> = layout
            .series
            .iter()
            .map(|s| match &s.source {
                SeriesSource::Math { expr, .. } => series_refs(expr),
                SeriesSource::Metric(_) => Vec::new(),
            })
            .collect();
        // Depth-first order; a cycle (rejected by config validation) is cut, not followed.
        let mut order = Vec::new();
        let mut state = vec![0u8; n];
        for i in 0..n {
            visit(i, &direct, &mut state, &mut order);
        }
        let items = order
            .into_iter()
            .filter_map(|i| match &layout.series[i].source {
                SeriesSource::Math { expr, .. } => {
                    let mut base = Vec::new();
                    collect_base(i, &direct, &mut base, 0);
                    base.sort_unstable();
                    base.dedup();
                    Some((i, expr.clone(), base))
                }
                SeriesSource::Metric(_) => None,
            })
            .collect();
        MathPlan {
            items,
            baselines: layout.series.iter().map(|s| s.baseline).collect(),
        }
    }

    /// Recomputes every math series reading one of `touched` over `[from, to)`.
    pub(crate) fn recompute(
        &self,
        bufs: &mut [SeriesBuf],
        touched: &[bool],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) {
        for (m, expr, base) in &self.items {
            if !base
                .iter()
                .any(|b| touched.get(*b).copied().unwrap_or(false))
            {
                continue;
            }
            let Some(buf) = bufs.get(*m) else { continue };
            let p = buf.period_secs();
            let cap = buf.capacity() as i64;
            let k1 = super::series::ceil_div(to.timestamp(), p);
            let k0 = from.timestamp().div_euclid(p).max(k1 - cap);
            for k in k0..k1 {
                let Some(buf) = bufs.get(*m) else { break };
                let t = buf.start_of(k);
                let b = match eval(expr, bufs, &self.baselines, t) {
                    Some((v, p)) => Bucket::new(v, p),
                    None => Bucket::Missing,
                };
                if let Some(buf) = bufs.get_mut(*m)
                    && (b != Bucket::Missing || buf.get(k) != Bucket::Missing)
                {
                    buf.set(k, b);
                }
            }
        }
    }
}

fn visit(i: usize, direct: &[Vec<usize>], state: &mut [u8], order: &mut Vec<usize>) {
    if state.get(i).copied().unwrap_or(2) != 0 {
        return;
    }
    state[i] = 1;
    for &d in &direct[i] {
        visit(d, direct, state, order);
    }
    state[i] = 2;
    order.push(i);
}

fn collect_base(i: usize, direct: &[Vec<usize>], out: &mut Vec<usize>, depth: usize) {
    if depth > 16 {
        return;
    }
    for &d in direct.get(i).map_or(&[][..], Vec::as_slice) {
        if direct.get(d).is_some_and(|x| !x.is_empty()) {
            collect_base(d, direct, out, depth + 1);
        }
        out.push(d);
    }
}

fn series_refs(e: &Expr) -> Vec<usize> {
    e.refs()
        .into_iter()
        .filter_map(|r| match r.target {
            RefTarget::Series(i) => Some(i),
            _ => None,
        })
        .collect()
}

/// The value of a math expression at the bucket covering `t`, with its provisional flag.
#[allow(clippy::many_single_char_names)]
pub(crate) fn eval(
    e: &Expr,
    bufs: &[SeriesBuf],
    baselines: &[Option<f64>],
    t: DateTime<Utc>,
) -> Option<(f64, bool)> {
    let r = match e {
        Expr::Number(n) => (*n, false),
        Expr::Ref(r) => match r.target {
            RefTarget::Series(i) => {
                let b = bufs.get(i)?.bucket_at(t);
                (b.value()?, b.is_provisional())
            }
            _ => return None,
        },
        Expr::Neg(x) => {
            let (v, p) = eval(x, bufs, baselines, t)?;
            (-v, p)
        }
        Expr::Arith { op, lhs, rhs } => {
            let (a, pa) = eval(lhs, bufs, baselines, t)?;
            let (b, pb) = eval(rhs, bufs, baselines, t)?;
            let v = match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div if b == 0.0 => return None,
                ArithOp::Div => a / b,
            };
            (v, pa || pb)
        }
        Expr::Call {
            func: Func::Baseline,
            args,
            ..
        } => match args.first() {
            Some(Expr::Ref(r)) => match r.target {
                RefTarget::Series(i) => ((*baselines.get(i)?)?, false),
                _ => return None,
            },
            _ => return None,
        },
        _ => return None,
    };
    r.0.is_finite().then_some(r)
}
