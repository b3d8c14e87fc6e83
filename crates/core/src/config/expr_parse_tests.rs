//! Tests of the expression parser: precedence, `for`, calls, and error offsets.

use super::*;
use chrono::TimeDelta;

#[allow(clippy::unnecessary_box_returns)]
fn name_at(name: &str, at: usize) -> Box<Expr> {
    Box::new(Expr::Ref(Ref {
        name: name.into(),
        at,
        target: RefTarget::Unresolved,
    }))
}

#[allow(clippy::unnecessary_box_returns)]
fn num(v: f64) -> Box<Expr> {
    Box::new(Expr::Number(v))
}

fn err(text: &str) -> ExprError {
    parse_expr(text).expect_err(text)
}

#[test]
fn for_binds_to_the_comparison() {
    let e = parse_expr("a > 0 for 3m and b == HEALTHY").expect("parses");
    let want = Expr::And(
        Box::new(Expr::For {
            expr: Box::new(Expr::Cmp {
                op: CmpOp::Gt,
                lhs: name_at("a", 0),
                rhs: num(0.0),
            }),
            dur: TimeDelta::minutes(3),
        }),
        Box::new(Expr::Cmp {
            op: CmpOp::Eq,
            lhs: name_at("b", 17),
            rhs: Box::new(Expr::Const {
                name: "HEALTHY".into(),
                at: 22,
            }),
        }),
    );
    assert_eq!(e, want);
}

#[test]
fn for_binds_to_a_group() {
    let e = parse_expr("(a > 1 or b > 2) for 5m").expect("parses");
    let Expr::For { expr, dur } = e else {
        panic!("not a for: {e:?}")
    };
    assert_eq!(dur, TimeDelta::minutes(5));
    assert!(matches!(*expr, Expr::Or(..)));
}

#[test]
fn precedence() {
    let e = parse_expr("100 * (a + b) / c - -d").expect("parses");
    let want = Expr::Arith {
        op: ArithOp::Sub,
        lhs: Box::new(Expr::Arith {
            op: ArithOp::Div,
            lhs: Box::new(Expr::Arith {
                op: ArithOp::Mul,
                lhs: num(100.0),
                rhs: Box::new(Expr::Arith {
                    op: ArithOp::Add,
                    lhs: name_at("a", 7),
                    rhs: name_at("b", 11),
                }),
            }),
            rhs: name_at("c", 16),
        }),
        rhs: Box::new(Expr::Neg(name_at("d", 21))),
    };
    assert_eq!(e, want);
    let e = parse_expr("not a > 1 or b < 2% and c >= 3").expect("parses");
    let Expr::Or(l, rr) = e else { panic!() };
    assert!(matches!(*l, Expr::Not(_)));
    assert!(matches!(*rr, Expr::And(..)));
}

#[test]
fn calls() {
    let e = parse_expr("changes(ga.ap-northeast-2, 10m) >= 3").expect("parses");
    let Expr::Cmp { lhs, .. } = e else { panic!() };
    assert_eq!(
        *lhs,
        Expr::Call {
            func: Func::Changes,
            args: vec![
                *name_at("ga.ap-northeast-2", 8),
                Expr::Duration(TimeDelta::minutes(10))
            ],
            at: 0
        }
    );
    assert!(parse_expr("a < 2 * baseline(a)").is_ok());
}

#[test]
fn reference_runbook_expressions_parse() {
    for t in [
        "seoul.asg_inservice >= seoul.asg_max for 5m",
        "seoul.cpu > 85 for 5m or seoul.cpu_credits < 10",
        "ga.ap-northeast-2.dial == 100 and changes(ga.ap-northeast-2, 15m) == 0",
        "alarm.BTS-RDS-Failover == ALARM",
        "seoul.waf.blocked > 10 * baseline(seoul.waf.blocked) for 3m",
    ] {
        parse_expr(t).expect(t);
    }
}

#[test]
fn errors() {
    let e = err("a >");
    assert_eq!(
        (e.at, e.message.as_str()),
        (2, "expected a value after \">\"")
    );
    let e = err("a > and b");
    assert_eq!(e.at, 4);
    let e = err("foo(a) > 1");
    assert_eq!((e.at, e.message.as_str()), (0, "unknown function \"foo\""));
    let e = err("a > 1 for");
    assert_eq!(e.message, "expected a duration after \"for\"");
    let e = err("a > 1 for 3");
    assert_eq!(e.at, 10);
    let e = err("(a > 1");
    assert_eq!((e.at, e.message.as_str()), (0, "unclosed \"(\""));
    let e = err("a > 1 b");
    assert_eq!(e.at, 6);
    let e = err("a < b < c");
    assert_eq!(e.at, 6);
    let e = err("a > 3m");
    assert_eq!(e.at, 4);
    let e = err("   ");
    assert_eq!(e.at, 0);
    let e = err("a > 1 for 0s");
    assert_eq!(e.at, 10);
    let e = err("changes(a, 10m");
    assert_eq!(e.message, "unclosed \"(\"");
}

#[test]
fn deep_nesting_is_an_error_at_the_level_too_many() {
    // 2,500 parentheses overflowed the parser's stack (an abort, exit 134); now they are more
    // tokens than an expression may have.
    let text = format!("{}a{}", "(".repeat(2_500), ")".repeat(2_500));
    assert!(err(&text).message.contains("too long"));
    let n = MAX_NESTING + 50;
    let text = format!("{}a{}", "(".repeat(n), ")".repeat(n));
    let e = err(&text);
    assert!(e.message.contains("nested too deeply"), "{e:?}");
    assert_eq!(e.at, MAX_NESTING + 1, "the first level over the limit");
    assert!(e.message.contains(&format!("\"{}\"", e.value)), "{e:?}");
    for text in [
        format!("{}a", "not ".repeat(n)),
        format!("{}1", "- ".repeat(n)),
        format!("{}a{}", "baseline(".repeat(n), ")".repeat(n)),
    ] {
        assert!(
            err(&text).message.contains("nested too deeply"),
            "{text:.30}"
        );
    }
    let ok = format!("{}a{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    parse_expr(&ok).expect("nesting at the limit parses");
}

#[test]
fn long_and_deep_flat_expressions_are_errors() {
    // A flat sum of 20,000 terms: a tree 20,000 deep that later stages walk recursively.
    let sum = vec!["a"; 20_000].join(" + ");
    let e = err(&sum);
    assert!(e.message.contains("too long"), "{e:?}");
    assert_eq!(
        e.at,
        sum.match_indices(['a', '+'])
            .nth(MAX_TOKENS)
            .map_or(0, |m| m.0)
    );
    // Under the token limit, still deeper than the tree may be.
    let sum = vec!["a"; MAX_DEPTH + 1].join(" + ");
    let e = err(&sum);
    assert!(e.message.contains("nested too deeply"), "{e:?}");
    assert_eq!(e.value, "a");
    let sum = vec!["a"; MAX_DEPTH / 2].join(" + ");
    parse_expr(&sum).expect("a long sum under the limits parses");
}
