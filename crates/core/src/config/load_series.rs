//! Builds the layout's series: `CloudWatch` metric queries (namespace, metric, dimensions, stat,
//! period, region) and client-side metric math over other series (inputs must exist, no cycles,
//! region and account inherited from the first input), with units, baselines and thresholds.

use std::collections::HashMap;

use chrono::TimeDelta;
use toml::Spanned;

use super::expr::{Expr, RefTarget};
use super::layout::{
    Absent, Account, Direction, MetricQuery, Series, SeriesSource, Threshold, Unit,
};
use super::load_checks::{self as checks};
use super::loader::Loader;
use super::raw::{RawSeries, RawThreshold, Str};
use super::resolve::{ExprContext, Names, resolve};

/// `GetMetricData` accepts at most 30 dimensions per metric.
const MAX_DIMENSIONS: usize = 30;

/// A math series' expression with where its text starts in the file.
struct MathSrc {
    index: usize,
    text: Str,
}

pub(crate) fn series(
    l: &mut Loader<'_>,
    raw: Vec<Spanned<RawSeries>>,
    accounts: &[Account],
) -> Vec<Series> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    let mut math = Vec::new();
    for s in raw {
        let s = s.into_inner();
        l.unique_id(&s.id, "series", &mut seen);
        super::load_readiness::not_a_quota_id(l, &s.id);
        let source = if let Some(expr) = &s.expr {
            math_source(l, &s, expr, out.len(), &mut math)
        } else {
            metric_source(l, &s)
        };
        let unit = s
            .unit
            .as_ref()
            .and_then(|u| l.check(u, checks::choose("unit", u.get_ref(), &Unit::WORDS)));
        let absent = s.absent.as_ref().and_then(|a| {
            let choices = [("zero", Absent::Zero), ("unknown", Absent::Unknown)];
            l.check(a, checks::choose("absent", a.get_ref(), &choices))
        });
        let threshold = s.threshold.map(|t| threshold(l, t, s.baseline));
        let target = s.target.as_ref().and_then(|t| target(l, t));
        let region = match (&s.region, &source) {
            (Some(r), _) => l.region(r).unwrap_or_default(),
            (None, Some(SeriesSource::Math { .. })) => String::new(),
            // Math whose expression did not parse: that error is the one to read.
            (None, None) if s.expr.is_some() => String::new(),
            (None, _) => {
                l.err(
                    s.id.span().start,
                    format!("series \"{}\" has no region", s.id.get_ref()),
                    s.id.get_ref(),
                    "add `region = \"...\"`: the AWS region CloudWatch is queried in",
                );
                String::new()
            }
        };
        let explicit_account = s.account.is_some();
        let account = l.account(s.account.as_ref(), accounts);
        out.push((
            Series {
                label: s.label.unwrap_or_else(|| s.id.get_ref().clone()),
                id: s.id.into_inner(),
                region,
                account,
                source: source.unwrap_or(SeriesSource::Math {
                    expr: Expr::Number(f64::NAN),
                    text: String::new(),
                    period: 60,
                }),
                unit: unit.unwrap_or(Unit::None),
                absent: absent.unwrap_or(Absent::Unknown),
                baseline: s.baseline,
                threshold: threshold.flatten(),
                target,
            },
            s.region.is_some(),
            explicit_account,
        ));
    }
    let (mut series, inherit): (Vec<Series>, Vec<(bool, bool)>) =
        out.into_iter().map(|(s, r, a)| (s, (r, a))).unzip();
    resolve_math(l, &mut series, &math, &inherit);
    series
}

fn math_source(
    l: &mut Loader<'_>,
    s: &RawSeries,
    expr: &Str,
    index: usize,
    math: &mut Vec<MathSrc>,
) -> Option<SeriesSource> {
    let metric_keys = [
        ("namespace", s.namespace.as_ref().map(|v| v.span().start)),
        ("metric", s.metric.as_ref().map(|v| v.span().start)),
        ("dimensions", s.dimensions.as_ref().map(|v| v.span().start)),
        ("stat", s.stat.as_ref().map(|v| v.span().start)),
        ("period", s.period.as_ref().map(|v| v.span().start)),
    ];
    if let Some((key, Some(at))) = metric_keys.iter().find(|(_, at)| at.is_some()) {
        l.err(
            *at,
            format!("series \"{}\" has both `expr` and \"{key}\"", s.id.get_ref()),
            key,
            "a series is either a CloudWatch metric (namespace, metric, stat...) or metric math (expr), not both",
        );
    }
    match super::expr_parse::parse_expr(expr.get_ref()) {
        Ok(e) => {
            math.push(MathSrc {
                index,
                text: expr.clone(),
            });
            Some(SeriesSource::Math {
                expr: e,
                text: expr.get_ref().clone(),
                period: 60,
            })
        }
        Err(e) => {
            l.expr_err(expr, &e);
            None
        }
    }
}

fn metric_source(l: &mut Loader<'_>, s: &RawSeries) -> Option<SeriesSource> {
    let mut missing = Vec::new();
    if s.namespace.is_none() {
        missing.push("namespace");
    }
    if s.metric.is_none() {
        missing.push("metric");
    }
    if s.stat.is_none() {
        missing.push("stat");
    }
    if !missing.is_empty() {
        l.err(
            s.id.span().start,
            format!(
                "series \"{}\" is missing {}",
                s.id.get_ref(),
                missing.join(", ")
            ),
            s.id.get_ref(),
            "a series needs namespace, metric and stat (a CloudWatch metric) or expr (metric math)",
        );
        return None;
    }
    let stat = s.stat.as_ref()?;
    l.check(stat, checks::check_stat(stat.get_ref()));
    let period = match &s.period {
        None => Some(60),
        Some(period) => match checks::check_period(*period.get_ref()) {
            Ok(v) => Some(v),
            Err((message, hint)) => {
                let value = period.get_ref().to_string();
                l.err(period.span().start, message, &value, hint);
                None
            }
        },
    };
    let mut dimensions: Vec<(Str, Str)> = s
        .dimensions
        .as_ref()
        .map(|d| {
            d.get_ref()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    dimensions.sort_by_key(|(k, _)| k.span().start);
    if let Some(dims) = &s.dimensions
        && dims.get_ref().len() > MAX_DIMENSIONS
    {
        let n = dims.get_ref().len();
        l.err(
            dims.span().start,
            format!("too many dimensions: \"{n}\""),
            &n.to_string(),
            "CloudWatch metrics have at most 30 dimensions",
        );
    }
    for (k, v) in &dimensions {
        if v.get_ref().is_empty() {
            l.err(
                v.span().start,
                format!("empty value for dimension \"{}\"", k.get_ref()),
                k.get_ref(),
                "dimension values must match the metric exactly; remove the dimension to aggregate",
            );
        }
    }
    Some(SeriesSource::Metric(MetricQuery {
        namespace: s.namespace.as_ref()?.get_ref().clone(),
        metric: s.metric.as_ref()?.get_ref().clone(),
        dimensions: dimensions
            .into_iter()
            .map(|(k, v)| (k.into_inner(), v.into_inner()))
            .collect(),
        stat: stat.get_ref().clone(),
        period: period?,
    }))
}

fn threshold(
    l: &mut Loader<'_>,
    t: Spanned<RawThreshold>,
    baseline: Option<f64>,
) -> Option<Threshold> {
    let at = t.span().start;
    let t = t.into_inner();
    let scale = scale(l, &t, baseline)?;
    let direction = match &t.direction {
        None => Direction::Above,
        Some(d) => {
            let choices = [("above", Direction::Above), ("below", Direction::Below)];
            l.check(d, checks::choose("direction", d.get_ref(), &choices))?
        }
    };
    let for_ = match &t.for_ {
        None => TimeDelta::zero(),
        Some(f) => l.duration(f, "duration")?,
    };
    let hysteresis = t.hysteresis.as_ref().map_or(0.0, |h| *h.get_ref());
    if let Some(h) = t.hysteresis.as_ref().filter(|h| *h.get_ref() < 0.0) {
        l.err(
            h.span().start,
            format!("negative hysteresis \"{}\"", h.get_ref()),
            &h.get_ref().to_string(),
            "hysteresis is how far back past the threshold the value must come: 0 or more",
        );
    }
    match (&t.warn, &t.crit) {
        (None, None) => {
            let value = super::error::clip(l.src.line_at(at));
            l.err(
                at,
                format!("threshold \"{value}\" has neither warn nor crit"),
                &value,
                "set warn (Yellow), crit (Red) or both",
            );
            return None;
        }
        (Some(w), Some(c)) => {
            let (wv, cv) = (*w.get_ref(), *c.get_ref());
            let bad = match direction {
                Direction::Above => wv > cv,
                Direction::Below => wv < cv,
            };
            if bad {
                let (dir, rel) = match direction {
                    Direction::Above => ("above", "at most"),
                    Direction::Below => ("below", "at least"),
                };
                l.err(
                    w.span().start,
                    format!("warn \"{wv}\" is past crit \"{cv}\" for direction \"{dir}\""),
                    &wv.to_string(),
                    format!("with direction = \"{dir}\", warn must be {rel} crit; set direction = \"below\" for values that are bad when low"),
                );
            }
        }
        _ => {}
    }
    Some(Threshold {
        warn: t.warn.map(|w| w.into_inner() * scale),
        crit: t.crit.map(|c| c.into_inner() * scale),
        direction,
        for_,
        hysteresis,
    })
}

/// An event target: a level to reach, so a positive, finite number in the series' unit.
fn target(l: &mut Loader<'_>, t: &Spanned<f64>) -> Option<f64> {
    let v = *t.get_ref();
    if v.is_finite() && v > 0.0 {
        return Some(v);
    }
    l.err(
        t.span().start,
        format!("invalid target \"{v}\""),
        &v.to_string(),
        "target is the level the event expects the series to reach: a positive number in the series' unit (`target = 2000`)",
    );
    None
}

/// What warn and crit are multiplied by: 1, or the series' baseline with `of = "baseline"`
/// (`warn = 0.5, crit = 0.1, direction = "below", of = "baseline"`: Yellow under half the
/// baseline, Red under a tenth of it). None after an error.
fn scale(l: &mut Loader<'_>, t: &RawThreshold, baseline: Option<f64>) -> Option<f64> {
    let Some(of) = &t.of else { return Some(1.0) };
    l.check(of, checks::choose("of", of.get_ref(), &[("baseline", ())]))?;
    match baseline {
        Some(b) if b > 0.0 => Some(b),
        _ => {
            l.err(
                of.span().start,
                "threshold of = \"baseline\" on a series without a positive baseline".to_string(),
                of.get_ref(),
                "set `baseline = ...` on the series, or give warn and crit as values",
            );
            None
        }
    }
}

/// Resolves math inputs, rejects cycles, and gives math series the region and account of their
/// first input (unless set) and the period of their coarsest input (a rate over 5-minute
/// counters is a 5-minute series, judged stale on its own period).
fn resolve_math(
    l: &mut Loader<'_>,
    series: &mut [Series],
    math: &[MathSrc],
    inherit: &[(bool, bool)],
) {
    let names = Names {
        series: series
            .iter()
            .map(|s| (s.id.clone(), s.baseline.is_some()))
            .collect(),
        ..Names::default()
    };
    let mut ok = vec![true; series.len()];
    for m in math {
        let SeriesSource::Math { expr, .. } = &mut series[m.index].source else {
            continue;
        };
        if let Err(e) = resolve(expr, m.text.get_ref(), &names, ExprContext::Math) {
            l.expr_err(&m.text, &e);
            ok[m.index] = false;
        }
    }
    // Depth-first over math inputs: 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; series.len()];
    for m in math {
        if !ok[m.index] {
            continue;
        }
        let mut stack = Vec::new();
        if let Err(cycle) = visit(series, m.index, &mut state, &mut stack) {
            let ids: Vec<&str> = cycle.iter().map(|&i| series[i].id.as_str()).collect();
            let id = series[m.index].id.as_str();
            let at = l.offset_in(&m.text, 0);
            l.err(
                at,
                format!("metric math cycle through \"{id}\": {}", ids.join(" -> ")),
                id,
                "a math series cannot depend on itself, directly or through others",
            );
            return;
        }
    }
    // Inputs are done before their users, so one pass in dependency order suffices.
    let mut order = Vec::new();
    let mut done = vec![false; series.len()];
    for m in math {
        post_order(series, m.index, &mut done, &mut order);
    }
    for i in order {
        let inputs = math_inputs(&series[i]);
        let coarsest = inputs.iter().map(|&j| series[j].period()).max();
        if let (SeriesSource::Math { period, .. }, Some(p)) = (&mut series[i].source, coarsest) {
            *period = p;
        }
        let Some(first) = inputs.first().copied() else {
            continue;
        };
        let (region, account) = (series[first].region.clone(), series[first].account.clone());
        if !inherit[i].0 {
            series[i].region = region;
        }
        if !inherit[i].1 {
            series[i].account = account;
        }
    }
}

fn math_inputs(s: &Series) -> Vec<usize> {
    match &s.source {
        SeriesSource::Math { expr, .. } => expr
            .refs()
            .iter()
            .filter_map(|r| match r.target {
                RefTarget::Series(i) => Some(i),
                _ => None,
            })
            .collect(),
        SeriesSource::Metric(_) => Vec::new(),
    }
}

fn visit(
    series: &[Series],
    i: usize,
    state: &mut [u8],
    stack: &mut Vec<usize>,
) -> Result<(), Vec<usize>> {
    match state[i] {
        2 => return Ok(()),
        1 => {
            let from = stack.iter().position(|&j| j == i).unwrap_or(0);
            let mut cycle = stack[from..].to_vec();
            cycle.push(i);
            return Err(cycle);
        }
        _ => {}
    }
    state[i] = 1;
    stack.push(i);
    for j in math_inputs(&series[i]) {
        visit(series, j, state, stack)?;
    }
    stack.pop();
    state[i] = 2;
    Ok(())
}

fn post_order(series: &[Series], i: usize, done: &mut [bool], order: &mut Vec<usize>) {
    if done[i] {
        return;
    }
    done[i] = true;
    for j in math_inputs(&series[i]) {
        post_order(series, j, done, order);
    }
    order.push(i);
}
