//! Recursive-descent parser of the expression language (runbook triggers, `verify:`,
//! return-to-normal criteria, metric math) into `config::expr::Expr`. Names stay unresolved
//! here; `config::resolve` binds them to the layout and checks types.
//!
//! Precedence, loosest first: `or`, `and`, `not`, comparison (`< <= > >= == !=`, not chained)
//! with an optional postfix `for <duration>`, `+ -`, `* /`, unary minus, primary.
//! A minus between two names needs spaces (`a - b`): `a-b` is one name, because layout names
//! such as `ga.ap-northeast-2` contain dashes.

use super::error::ExprError;
use super::expr::{ArithOp, CmpOp, Expr, Func, Ref, RefTarget};
use super::expr_lex::{Tok, Token, lex};

/// Longest expression, in tokens: far beyond any condition or metric math a person writes, and
/// a bound on the work of every later stage.
pub(crate) const MAX_TOKENS: usize = 2_000;
/// Deepest nesting of parentheses, `not`, unary minus and call arguments the parser descends
/// into (each level is a few frames of its recursion).
pub(crate) const MAX_NESTING: usize = 100;
/// Deepest syntax tree accepted (a flat sum of n terms is n deep): resolution and evaluation
/// walk it recursively, so its depth bounds their stack.
pub(crate) const MAX_DEPTH: usize = 200;

const SIMPLER_HINT: &str =
    "split it: define parts as metric math series (`expr = ...`) and refer to them by id";

/// Parses an expression; names are left `RefTarget::Unresolved`.
pub(crate) fn parse_expr(text: &str) -> Result<Expr, ExprError> {
    let toks = lex(text)?;
    if toks.is_empty() {
        return Err(ExprError::new(
            0,
            text.trim(),
            "empty expression \"\"",
            "write a condition such as `seoul.cpu > 85 for 5m`",
        ));
    }
    if let Some(t) = toks.get(MAX_TOKENS) {
        return Err(ExprError::new(
            t.at,
            &t.text,
            format!(
                "expression too long: more than {MAX_TOKENS} tokens, the first one over is \"{}\"",
                t.text
            ),
            SIMPLER_HINT,
        ));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        nesting: 0,
    };
    let e = p.or_expr()?;
    if let Some(deep) = e.deeper_than(MAX_DEPTH) {
        let at = deep.first_at().unwrap_or(0);
        let value = p
            .toks
            .iter()
            .find(|t| t.at == at)
            .map_or_else(String::new, |t| t.text.clone());
        return Err(ExprError::new(
            at,
            &value,
            format!("expression nested too deeply: more than {MAX_DEPTH} levels at \"{value}\""),
            SIMPLER_HINT,
        ));
    }
    if let Some(t) = p.peek() {
        let hint = if matches!(t.tok, Tok::Num(_)) && t.text.starts_with('-') {
            "put spaces around `-` to subtract"
        } else {
            "join conditions with `and` / `or`; a minus between names needs spaces (`a - b`: `a-b` is one name)"
        };
        return Err(ExprError::new(
            t.at,
            &t.text,
            format!("unexpected \"{}\" after a complete expression", t.text),
            hint,
        ));
    }
    Ok(e)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    /// Levels of recursion into sub-expressions, bounded by [`MAX_NESTING`].
    nesting: usize,
}

const FUNCTIONS_HINT: &str = "functions are baseline(series) and changes(health, 10m)";

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn peek_tok(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek_tok() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or_expr(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.and_expr()?;
        while self.peek_tok() == Some(&Tok::Or) {
            let op = self.next();
            let rhs = self.operand_after(op.as_ref(), Self::and_expr)?;
            lhs = Expr::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn and_expr(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.not_expr()?;
        while self.peek_tok() == Some(&Tok::And) {
            let op = self.next();
            let rhs = self.operand_after(op.as_ref(), Self::not_expr)?;
            lhs = Expr::And(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn not_expr(&mut self) -> Result<Expr, ExprError> {
        if self.peek_tok() == Some(&Tok::Not) {
            let op = self.next();
            let e = self.operand_after(op.as_ref(), Self::not_expr)?;
            return Ok(Expr::Not(Box::new(e)));
        }
        self.cmp_expr()
    }

    fn cmp_expr(&mut self) -> Result<Expr, ExprError> {
        let lhs = self.add_expr()?;
        let mut e = match self.peek_tok().and_then(cmp_op) {
            Some(op) => {
                let op_tok = self.next();
                let rhs = self.operand_after(op_tok.as_ref(), Self::add_expr)?;
                if let Some(t) = self.peek().filter(|t| cmp_op(&t.tok).is_some()) {
                    return Err(ExprError::new(
                        t.at,
                        &t.text,
                        format!("comparisons cannot be chained: \"{}\"", t.text),
                        "join two comparisons with `and`: `a < b and b < c`",
                    ));
                }
                Expr::Cmp {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                }
            }
            None => lhs,
        };
        if self.peek_tok() == Some(&Tok::For) {
            let for_tok = self.next();
            let dur = match self.next() {
                Some(Token {
                    tok: Tok::Dur(d), ..
                }) if d > chrono::TimeDelta::zero() => d,
                Some(
                    t @ Token {
                        tok: Tok::Dur(_), ..
                    },
                ) => {
                    return Err(ExprError::new(
                        t.at,
                        &t.text,
                        format!(
                            "the duration after \"for\" must be positive, not \"{}\"",
                            t.text
                        ),
                        "drop `for` to test the latest value only",
                    ));
                }
                other => {
                    return Err(missing(
                        other,
                        for_tok.as_ref(),
                        "a duration",
                        DURATION_HINT,
                    ));
                }
            };
            e = Expr::For {
                expr: Box::new(e),
                dur,
            };
            if let Some(t) = self.peek().filter(|t| t.tok == Tok::For) {
                return Err(ExprError::new(
                    t.at,
                    &t.text,
                    "a second \"for\"",
                    "one `for` per condition; group with parentheses to combine",
                ));
            }
        }
        Ok(e)
    }

    fn add_expr(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.mul_expr()?;
        loop {
            let op = match self.peek_tok() {
                Some(Tok::Plus) => ArithOp::Add,
                Some(Tok::Minus) => ArithOp::Sub,
                _ => return Ok(lhs),
            };
            let op_tok = self.next();
            let rhs = self.operand_after(op_tok.as_ref(), Self::mul_expr)?;
            lhs = Expr::Arith {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            };
        }
    }

    fn mul_expr(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek_tok() {
                Some(Tok::Star) => ArithOp::Mul,
                Some(Tok::Slash) => ArithOp::Div,
                _ => return Ok(lhs),
            };
            let op_tok = self.next();
            let rhs = self.operand_after(op_tok.as_ref(), Self::unary)?;
            lhs = Expr::Arith {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            };
        }
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.peek_tok() == Some(&Tok::Minus) {
            let op = self.next();
            let e = self.operand_after(op.as_ref(), Self::unary)?;
            return Ok(Expr::Neg(Box::new(e)));
        }
        self.primary()
    }

    /// Parses the operand that must follow `op`, with a message naming `op` if there is none.
    fn operand_after(
        &mut self,
        op: Option<&Token>,
        f: fn(&mut Self) -> Result<Expr, ExprError>,
    ) -> Result<Expr, ExprError> {
        match self.peek() {
            Some(t) if self.nesting >= MAX_NESTING => Err(ExprError::new(
                t.at,
                &t.text,
                format!(
                    "expression nested too deeply: more than {MAX_NESTING} levels at \"{}\"",
                    t.text
                ),
                SIMPLER_HINT,
            )),
            Some(t) if starts_operand(&t.tok) => {
                self.nesting += 1;
                let e = f(self);
                self.nesting -= 1;
                e
            }
            other => {
                let other = other.cloned();
                Err(missing(other, op, "a value", VALUE_HINT))
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let Some(t) = self.next() else {
            let last = self.toks.last().cloned();
            return Err(missing(None, last.as_ref(), "a value", VALUE_HINT));
        };
        match t.tok {
            Tok::Num(v) => Ok(Expr::Number(v)),
            Tok::Const(name) => Ok(Expr::Const { name, at: t.at }),
            Tok::Name(name) if self.peek_tok() == Some(&Tok::LParen) => self.call(&name, t.at),
            Tok::Name(name) => Ok(Expr::Ref(Ref {
                name,
                at: t.at,
                target: RefTarget::Unresolved,
            })),
            Tok::LParen => {
                let e = self.operand_after(Some(&t), Self::or_expr)?;
                if !self.eat(&Tok::RParen) {
                    return Err(unclosed(&t, self.peek()));
                }
                Ok(e)
            }
            Tok::Dur(_) => Err(ExprError::new(
                t.at,
                &t.text,
                format!("a duration \"{}\" is not a value", t.text),
                "durations go after `for` (`x > 1 for 3m`) or as the window of changes(health, 10m)",
            )),
            _ => Err(ExprError::new(
                t.at,
                &t.text,
                format!("expected a value, found \"{}\"", t.text),
                VALUE_HINT,
            )),
        }
    }

    fn call(&mut self, name: &str, at: usize) -> Result<Expr, ExprError> {
        let func = match name {
            "baseline" => Func::Baseline,
            "changes" => Func::Changes,
            _ => {
                return Err(ExprError::new(
                    at,
                    name,
                    format!("unknown function \"{name}\""),
                    FUNCTIONS_HINT,
                ));
            }
        };
        let open = self.next();
        let mut args = Vec::new();
        if !self.eat(&Tok::RParen) {
            loop {
                let is_dur_arg = matches!(self.peek_tok(), Some(Tok::Dur(_)))
                    && matches!(
                        self.toks.get(self.pos + 1).map(|t| &t.tok),
                        Some(Tok::Comma | Tok::RParen) | None
                    );
                if is_dur_arg {
                    if let Some(
                        t @ Token {
                            tok: Tok::Dur(d), ..
                        },
                    ) = self.next()
                    {
                        if d <= chrono::TimeDelta::zero() {
                            return Err(ExprError::new(
                                t.at,
                                &t.text,
                                format!("the window \"{}\" must be positive", t.text),
                                "e.g. changes(ga.us-east-1, 10m)",
                            ));
                        }
                        args.push(Expr::Duration(d));
                    }
                } else {
                    args.push(self.operand_after(open.as_ref(), Self::or_expr)?);
                }
                if self.eat(&Tok::Comma) {
                    continue;
                }
                if self.eat(&Tok::RParen) {
                    break;
                }
                let Some(open) = open.as_ref() else { break };
                return Err(unclosed(open, self.peek()));
            }
        }
        Ok(Expr::Call { func, args, at })
    }
}

const VALUE_HINT: &str = "a value is a number, a layout name, a state (HEALTHY, ALARM, ...), a function call or a parenthesised expression";
const DURATION_HINT: &str = "durations look like 90s, 3m, 1h, 1h30m";

fn cmp_op(t: &Tok) -> Option<CmpOp> {
    Some(match t {
        Tok::Lt => CmpOp::Lt,
        Tok::Le => CmpOp::Le,
        Tok::Gt => CmpOp::Gt,
        Tok::Ge => CmpOp::Ge,
        Tok::EqEq => CmpOp::Eq,
        Tok::Ne => CmpOp::Ne,
        _ => return None,
    })
}

fn starts_operand(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Num(_) | Tok::Const(_) | Tok::Name(_) | Tok::LParen | Tok::Minus | Tok::Not
    )
}

/// "expected X after OP" at the token found instead (or at OP when the text ended).
fn missing(found: Option<Token>, after: Option<&Token>, what: &str, hint: &str) -> ExprError {
    let after_text = after.map_or("", |t| t.text.as_str());
    match found {
        Some(t) => ExprError::new(
            t.at,
            &t.text,
            format!(
                "expected {what} after \"{after_text}\", found \"{}\"",
                t.text
            ),
            hint,
        ),
        None => ExprError::new(
            after.map_or(0, |t| t.at),
            after_text,
            format!("expected {what} after \"{after_text}\""),
            hint,
        ),
    }
}

fn unclosed(open: &Token, found: Option<&Token>) -> ExprError {
    match found {
        Some(t) => ExprError::new(
            t.at,
            &t.text,
            format!("expected \")\" or an operator, found \"{}\"", t.text),
            "close the parenthesis, or join conditions with `and` / `or`",
        ),
        None => ExprError::new(open.at, "(", "unclosed \"(\"", "add the matching `)`"),
    }
}

#[cfg(test)]
#[path = "expr_parse_tests.rs"]
mod tests;
