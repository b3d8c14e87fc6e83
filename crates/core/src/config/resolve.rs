//! Binds the names of a parsed expression to the layout (series, target-group counts, Global
//! Accelerator groups, alarms) and checks its types, so `eval` only ever sees well-formed
//! conditions and metric math.

use std::collections::HashMap;

use super::error::ExprError;
use super::expr::{CmpOp, Expr, Func, Ref, RefTarget};
use super::expr_lex::{Tok, is_name_char, lex};
pub use super::names::Names;
use super::names::{Vocab, lookup};

/// Where an expression is used: metric math (numbers over series) or a condition (a runbook
/// `when:`/`verify:`, a return-to-normal criterion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprContext {
    Math,
    Condition,
}

/// The names of a layout that expressions may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num,
    Bool,
    Health(Vocab),
    State(Vocab),
}

/// Resolves every name of `expr` against `names` and checks it is a well-typed condition or
/// metric math. `text` is the expression's source, used to quote values in errors.
pub(crate) fn resolve(
    expr: &mut Expr,
    text: &str,
    names: &Names,
    ctx: ExprContext,
) -> Result<(), ExprError> {
    let c = Checker {
        text,
        names,
        ctx,
        leaves: leaf_positions(expr, text),
    };
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
    /// Offsets of number and duration leaves, keyed by node address (see `leaf_positions`).
    leaves: HashMap<usize, usize>,
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
        let at = self.first_at(e).unwrap_or(0);
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
            Expr::Duration(_) => Err(self.err_at(
                e,
                "is a duration",
                "durations go after `for` or as the window of changes()",
            )),
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
        let word = self
            .first_at(e)
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
                        let at = self.first_at(other).unwrap_or(at);
                        let value = self.word_at(at).to_string();
                        return Err(ExprError::new(
                            at,
                            &value,
                            format!(
                                "the window of changes() must be a positive duration, not \"{value}\""
                            ),
                            "usage: changes(health, 10m)",
                        ));
                    }
                }
            }
        }
        Ok(Ty::Num)
    }

    fn resolve_ref(&self, r: &mut Ref) -> Result<Ty, ExprError> {
        let (target, vocab) = lookup(self.names, &r.name, r.at, self.ctx == ExprContext::Math)?;
        let ty = vocab.map_or(Ty::Num, Ty::Health);
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

impl Checker<'_> {
    /// The leftmost offset inside an expression.
    fn first_at(&self, e: &Expr) -> Option<usize> {
        match e {
            Expr::Number(_) | Expr::Duration(_) => self.leaves.get(&node_key(e)).copied(),
            Expr::Const { at, .. } | Expr::Call { at, .. } => Some(*at),
            Expr::Ref(r) => Some(r.at),
            Expr::Neg(x) | Expr::Not(x) | Expr::For { expr: x, .. } => self.first_at(x),
            Expr::Arith { lhs, rhs, .. } | Expr::Cmp { lhs, rhs, .. } => {
                self.first_at(lhs).or_else(|| self.first_at(rhs))
            }
            Expr::And(a, b) | Expr::Or(a, b) => self.first_at(a).or_else(|| self.first_at(b)),
        }
    }
}

/// Number and duration leaves carry no offset in the tree. Leaves appear in source order when
/// the tree is walked left to right, so the k-th number leaf is the k-th number token (and the
/// k-th duration leaf the k-th duration not after `for`). Nodes do not move while they are
/// checked, so their addresses identify them.
fn leaf_positions(e: &Expr, text: &str) -> HashMap<usize, usize> {
    let tokens = lex(text).unwrap_or_default();
    let mut nums = tokens
        .iter()
        .filter(|t| matches!(t.tok, Tok::Num(_)))
        .map(|t| t.at);
    let mut durs = tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| matches!(t.tok, Tok::Dur(_)) && (*i == 0 || tokens[i - 1].tok != Tok::For))
        .map(|(_, t)| t.at);
    let mut out = HashMap::new();
    let mut leaves = Vec::new();
    collect_leaves(e, &mut leaves);
    for leaf in leaves {
        let at = match leaf {
            Expr::Number(_) => nums.next(),
            _ => durs.next(),
        };
        if let Some(at) = at {
            out.insert(node_key(leaf), at);
        }
    }
    out
}

fn collect_leaves<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Number(_) | Expr::Duration(_) => out.push(e),
        Expr::Const { .. } | Expr::Ref(_) => {}
        Expr::Neg(x) | Expr::Not(x) | Expr::For { expr: x, .. } => collect_leaves(x, out),
        Expr::Arith { lhs, rhs, .. } | Expr::Cmp { lhs, rhs, .. } => {
            collect_leaves(lhs, out);
            collect_leaves(rhs, out);
        }
        Expr::And(a, b) | Expr::Or(a, b) => {
            collect_leaves(a, out);
            collect_leaves(b, out);
        }
        Expr::Call { args, .. } => args.iter().for_each(|a| collect_leaves(a, out)),
    }
}

fn node_key(e: &Expr) -> usize {
    std::ptr::from_ref(e) as usize
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
