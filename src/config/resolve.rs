//! Binds the names of a parsed expression to the layout (series, target-group counts, Global
//! Accelerator groups, alarms) and checks its types, so `eval` only ever sees well-formed
//! conditions and metric math.

use super::error::ExprError;
use super::expr::{CmpOp, Expr, Func, Ref, RefTarget, TargetCountKind};
use super::expr_lex::is_name_char;
use super::layout::Layout;
use super::suggest::closest_n;

/// Where an expression is used: metric math (numbers over series) or a condition (a runbook
/// `when:`/`verify:`, a return-to-normal criterion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprContext {
    Math,
    Condition,
}

/// The names of a layout that expressions may use.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Series ids with whether they have a baseline.
    pub series: Vec<(String, bool)>,
    pub target_groups: Vec<String>,
    /// Accelerator ids with their endpoint-group regions.
    pub accelerators: Vec<(String, Vec<String>)>,
}

impl Names {
    pub fn from_layout(layout: &Layout) -> Self {
        Names {
            series: layout
                .series
                .iter()
                .map(|s| (s.id.clone(), s.baseline.is_some()))
                .collect(),
            target_groups: layout.target_groups.iter().map(|t| t.id.clone()).collect(),
            accelerators: layout
                .accelerators
                .iter()
                .map(|a| {
                    let regions = a.endpoint_groups.iter().map(|g| g.region.clone()).collect();
                    (a.id.clone(), regions)
                })
                .collect(),
        }
    }

    /// Every name an expression may use (alarms as `alarm.<name>`), for hints.
    pub fn all(&self) -> Vec<String> {
        let mut out: Vec<String> = self.series.iter().map(|(s, _)| s.clone()).collect();
        for tg in &self.target_groups {
            for k in COUNT_KINDS {
                out.push(format!("{tg}.{k}"));
            }
        }
        for (acc, regions) in &self.accelerators {
            for r in regions {
                out.push(format!("{acc}.{r}"));
                out.push(format!("{acc}.{r}.dial"));
            }
        }
        out.push("alarms.firing".into());
        out
    }
}

const COUNT_KINDS: [&str; 5] = ["healthy", "unhealthy", "initial", "draining", "total"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vocab {
    Ga,
    Alarm,
}

impl Vocab {
    fn of_const(name: &str) -> Vocab {
        if matches!(name, "OK" | "ALARM" | "INSUFFICIENT_DATA") {
            Vocab::Alarm
        } else {
            Vocab::Ga
        }
    }

    fn states(self) -> &'static str {
        match self {
            Vocab::Ga => "HEALTHY, UNHEALTHY or INITIAL",
            Vocab::Alarm => "OK, ALARM or INSUFFICIENT_DATA",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num,
    Bool,
    Health(Vocab),
    State(Vocab),
}

/// Resolves every name of `expr` against `names` and checks it is a well-typed condition or
/// metric math. `text` is the expression's source, used to quote values in errors.
pub fn resolve(
    expr: &mut Expr,
    text: &str,
    names: &Names,
    ctx: ExprContext,
) -> Result<(), ExprError> {
    let c = Checker { text, names, ctx };
    let ty = c.check(expr)?;
    match (ctx, ty) {
        (ExprContext::Condition, Ty::Bool) | (ExprContext::Math, Ty::Num) => Ok(()),
        (ExprContext::Condition, _) => Err(c.err_at(
            expr,
            "is a value, not a condition",
            "a condition compares: `seoul.cpu > 85`, `ga.ap-northeast-2 == HEALTHY`",
        )),
        (ExprContext::Math, _) => Err(c.err_at(
            expr,
            "metric math must compute a number",
            "use + - * / over series ids and numbers",
        )),
    }
}

struct Checker<'a> {
    text: &'a str,
    names: &'a Names,
    ctx: ExprContext,
}

impl Checker<'_> {
    /// The word starting at `at`, for quoting.
    fn word_at(&self, at: usize) -> &str {
        let rest = self.text.get(at..).unwrap_or("");
        let end = rest
            .char_indices()
            .find(|&(_, c)| !(is_name_char(c) || c == '%'))
            .map_or(rest.len(), |(i, _)| i);
        if end == 0 {
            rest.get(..1).unwrap_or("")
        } else {
            &rest[..end]
        }
    }

    fn err_at(&self, e: &Expr, what: &str, hint: &str) -> ExprError {
        let at = first_at(e).unwrap_or(0);
        let value = self.word_at(at).to_string();
        ExprError::new(at, &value, format!("\"{value}\" {what}"), hint)
    }

    fn check(&self, e: &mut Expr) -> Result<Ty, ExprError> {
        let math = self.ctx == ExprContext::Math;
        let no_math = |this: &Self, e: &Expr, what: &str| {
            Err(this.err_at(
                e,
                &format!("starts {what}, which metric math does not allow"),
                "metric math uses + - * / over series ids and numbers",
            ))
        };
        match e {
            Expr::Number(_) => Ok(Ty::Num),
            Expr::Const { name, .. } => {
                if math {
                    return no_math(self, e, "a state");
                }
                Ok(Ty::State(Vocab::of_const(name)))
            }
            Expr::Ref(r) => self.resolve_ref(r),
            Expr::Duration(_) => Err(self.err_at(e, "is a duration", "")),
            Expr::Neg(inner) => {
                self.want(inner, Ty::Num, "cannot be negated")?;
                Ok(Ty::Num)
            }
            Expr::Arith { lhs, rhs, .. } => {
                self.want(lhs, Ty::Num, "is not a number")?;
                self.want(rhs, Ty::Num, "is not a number")?;
                Ok(Ty::Num)
            }
            Expr::Not(_) | Expr::And(..) | Expr::Or(..) | Expr::For { .. } | Expr::Cmp { .. }
                if math =>
            {
                no_math(self, e, "a condition")
            }
            Expr::Not(inner) | Expr::For { expr: inner, .. } => {
                self.want(inner, Ty::Bool, "is not a condition")?;
                Ok(Ty::Bool)
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                self.want(a, Ty::Bool, "is not a condition")?;
                self.want(b, Ty::Bool, "is not a condition")?;
                Ok(Ty::Bool)
            }
            Expr::Cmp { op, lhs, rhs } => self.cmp(*op, lhs, rhs),
            Expr::Call { .. } if math => no_math(self, e, "a function call"),
            Expr::Call { func, args, at } => self.call(*func, args, *at),
        }
    }

    /// Checks `e` has type `want`; the message explains what it is instead.
    fn want(&self, e: &mut Expr, want: Ty, what: &str) -> Result<(), ExprError> {
        let got = self.check(e)?;
        if got == want {
            return Ok(());
        }
        let word = first_at(e)
            .map(|a| self.word_at(a).to_string())
            .unwrap_or_default();
        let hint = match (got, want) {
            (Ty::Num, Ty::Bool) => format!("compare it: `{word} > 0`"),
            (Ty::Health(v), _) => {
                format!("compare it with a state: `{word} == {}`", first_state(v))
            }
            (Ty::State(_), _) => "states are compared with health names: `alarm.x == ALARM`".into(),
            (Ty::Bool, Ty::Num) => {
                "a condition is true or false; use `and` / `or` to combine it".into()
            }
            _ => String::new(),
        };
        Err(self.err_at(e, what, &hint))
    }

    fn cmp(&self, op: CmpOp, lhs: &mut Expr, rhs: &mut Expr) -> Result<Ty, ExprError> {
        let lt = self.check(lhs)?;
        let rt = self.check(rhs)?;
        match (lt, rt) {
            (Ty::Num, Ty::Num) => Ok(Ty::Bool),
            (Ty::Health(v), Ty::State(w)) | (Ty::State(w), Ty::Health(v)) => {
                let (health, state) = if matches!(lt, Ty::Health(_)) {
                    (&*lhs, &*rhs)
                } else {
                    (&*rhs, &*lhs)
                };
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    return Err(self.err_at(
                        health,
                        &format!("is a health state: \"{}\" does not apply", op.as_str()),
                        "health states compare with == or != only",
                    ));
                }
                if v != w {
                    return Err(self.err_at(
                        state,
                        "is not a state of this kind of health",
                        &format!("expected {}", v.states()),
                    ));
                }
                Ok(Ty::Bool)
            }
            (Ty::Health(v), _) => Err(self.err_at(
                lhs,
                "is a health state, not a number",
                &format!("compare it with == or != to {}", v.states()),
            )),
            (_, Ty::Health(v)) => Err(self.err_at(
                rhs,
                "is a health state, not a number",
                &format!("compare it with == or != to {}", v.states()),
            )),
            (Ty::State(_), _) => Err(self.err_at(lhs, "is a state, not a number", STATE_HINT)),
            (_, Ty::State(_)) => Err(self.err_at(rhs, "is a state, not a number", STATE_HINT)),
            (Ty::Bool, _) => Err(self.err_at(lhs, "is a condition, not a value", BOOL_HINT)),
            (_, Ty::Bool) => Err(self.err_at(rhs, "is a condition, not a value", BOOL_HINT)),
        }
    }

    fn call(&self, func: Func, args: &mut [Expr], at: usize) -> Result<Ty, ExprError> {
        let (name, arity, usage) = match func {
            Func::Baseline => ("baseline", 1, "baseline(series)"),
            Func::Changes => ("changes", 2, "changes(health, 10m)"),
        };
        if args.len() != arity {
            return Err(ExprError::new(
                at,
                name,
                format!("\"{name}\" takes {arity} argument(s), {} given", args.len()),
                format!("usage: {usage}"),
            ));
        }
        let Some(Expr::Ref(r)) = args.first_mut() else {
            let e = &args[0];
            return Err(self.err_at(
                e,
                &format!("is not a name: {name}() needs one"),
                &format!("usage: {usage}"),
            ));
        };
        let ty = self.resolve_ref(r)?;
        match func {
            Func::Baseline => {
                let RefTarget::Series(i) = r.target else {
                    return Err(ExprError::new(
                        r.at,
                        &r.name,
                        format!("baseline() needs a series, \"{}\" is not one", r.name),
                        "usage: baseline(series id)",
                    ));
                };
                if !self.names.series[i].1 {
                    return Err(ExprError::new(
                        r.at,
                        &r.name,
                        format!("series \"{}\" has no baseline", r.name),
                        format!(
                            "add `baseline = <normal value>` to the [[series]] \"{}\"",
                            r.name
                        ),
                    ));
                }
            }
            Func::Changes => {
                if !matches!(ty, Ty::Health(_)) {
                    return Err(ExprError::new(
                        r.at,
                        &r.name,
                        format!(
                            "changes() counts health transitions, \"{}\" is not a health state",
                            r.name
                        ),
                        "use an endpoint group (`ga.ap-northeast-2`) or an alarm (`alarm.NAME`)",
                    ));
                }
                match &args[1] {
                    Expr::Duration(d) if *d > chrono::TimeDelta::zero() => {}
                    other => {
                        let at = first_at(other).unwrap_or(at);
                        let value = self.word_at(at).to_string();
                        return Err(ExprError::new(
                            at,
                            &value,
                            format!("the window of changes() must be a duration, not \"{value}\""),
                            "usage: changes(health, 10m)",
                        ));
                    }
                }
            }
        }
        Ok(Ty::Num)
    }

    fn resolve_ref(&self, r: &mut Ref) -> Result<Ty, ExprError> {
        let (target, ty) = self.lookup(&r.name, r.at)?;
        if self.ctx == ExprContext::Math && !matches!(target, RefTarget::Series(_)) {
            return Err(ExprError::new(
                r.at,
                &r.name,
                format!(
                    "\"{}\" is not a series; metric math uses series only",
                    r.name
                ),
                "metric math uses + - * / over series ids and numbers",
            ));
        }
        r.target = target;
        Ok(ty)
    }

    fn lookup(&self, name: &str, at: usize) -> Result<(RefTarget, Ty), ExprError> {
        if let Some(i) = self.names.series.iter().position(|(s, _)| s == name) {
            return Ok((RefTarget::Series(i), Ty::Num));
        }
        if name == "alarms.firing" {
            return Ok((RefTarget::AlarmsFiring, Ty::Num));
        }
        if let Some(alarm) = name.strip_prefix("alarm.").filter(|a| !a.is_empty()) {
            return Ok((
                RefTarget::Alarm(alarm.to_string()),
                Ty::Health(Vocab::Alarm),
            ));
        }
        for (tg, id) in self.names.target_groups.iter().enumerate() {
            let Some(kind) = name
                .strip_prefix(id.as_str())
                .and_then(|r| r.strip_prefix('.'))
            else {
                continue;
            };
            let which = match kind {
                "healthy" => TargetCountKind::Healthy,
                "unhealthy" => TargetCountKind::Unhealthy,
                "initial" => TargetCountKind::Initial,
                "draining" => TargetCountKind::Draining,
                "total" => TargetCountKind::Total,
                _ => continue,
            };
            return Ok((RefTarget::TargetCount { tg, which }, Ty::Num));
        }
        for (acc, (id, regions)) in self.names.accelerators.iter().enumerate() {
            let Some(rest) = name
                .strip_prefix(id.as_str())
                .and_then(|r| r.strip_prefix('.'))
            else {
                continue;
            };
            let (region, dial) = match rest.strip_suffix(".dial") {
                Some(r) => (r, true),
                None => (rest, false),
            };
            if regions.iter().any(|r| r == region) {
                let region = region.to_string();
                return Ok(if dial {
                    (RefTarget::GaGroupDial { acc, region }, Ty::Num)
                } else {
                    (
                        RefTarget::GaGroupHealth { acc, region },
                        Ty::Health(Vocab::Ga),
                    )
                });
            }
            if super::load_checks::looks_like_region(region) {
                return Err(ExprError::new(
                    at,
                    name,
                    format!("accelerator \"{id}\" has no endpoint group in \"{region}\""),
                    format!("its endpoint groups: {}", regions.join(", ")),
                ));
            }
        }
        Err(self.unknown(name, at))
    }

    fn unknown(&self, name: &str, at: usize) -> ExprError {
        let all = self.names.all();
        let close = closest_n(name, all.iter().map(String::as_str), 3);
        let hint = if close.is_empty() {
            let mut kinds = vec!["series ids".to_string()];
            if let Some(tg) = self.names.target_groups.first() {
                kinds.push(format!("{tg}.healthy|unhealthy|initial|draining|total"));
            }
            if let Some((acc, regions)) = self.names.accelerators.first() {
                let r = regions.first().map_or("REGION", String::as_str);
                kinds.push(format!("{acc}.{r} and {acc}.{r}.dial"));
            }
            kinds.push("alarm.NAME, alarms.firing".into());
            format!("names are {}", kinds.join("; "))
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        let what = if self.ctx == ExprContext::Math {
            "series"
        } else {
            "name"
        };
        ExprError::new(at, name, format!("unknown {what} \"{name}\""), hint)
    }
}

const STATE_HINT: &str =
    "states compare with health names: `ga.ap-northeast-2 == HEALTHY`, `alarm.x == ALARM`";
const BOOL_HINT: &str = "combine conditions with `and` / `or`";

fn first_state(v: Vocab) -> &'static str {
    match v {
        Vocab::Ga => "HEALTHY",
        Vocab::Alarm => "ALARM",
    }
}

/// The leftmost known offset inside an expression (numbers carry none).
pub fn first_at(e: &Expr) -> Option<usize> {
    match e {
        Expr::Number(_) | Expr::Duration(_) => None,
        Expr::Const { at, .. } | Expr::Call { at, .. } => Some(*at),
        Expr::Ref(r) => Some(r.at),
        Expr::Neg(x) | Expr::Not(x) | Expr::For { expr: x, .. } => first_at(x),
        Expr::Arith { lhs, rhs, .. } | Expr::Cmp { lhs, rhs, .. } => {
            first_at(lhs).or_else(|| first_at(rhs))
        }
        Expr::And(a, b) | Expr::Or(a, b) => first_at(a).or_else(|| first_at(b)),
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
