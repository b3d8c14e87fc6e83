//! Tests of name resolution and type checking of expressions.

use super::*;
use crate::config::expr::TargetCountKind;
use crate::config::expr_parse::parse_expr;

fn names() -> Names {
    Names {
        series: vec![
            ("seoul.requests".into(), true),
            ("seoul.p99".into(), false),
            ("ga.seoul.share".into(), true),
        ],
        target_groups: vec!["seoul.tg".into()],
        accelerators: vec![(
            "ga".into(),
            vec!["ap-northeast-2".into(), "us-east-1".into()],
        )],
    }
}

fn ok(text: &str, ctx: ExprContext) -> Expr {
    let mut e = parse_expr(text).expect(text);
    resolve(&mut e, text, &names(), ctx).expect(text);
    e
}

fn bad(text: &str) -> ExprError {
    let mut e = parse_expr(text).expect(text);
    resolve(&mut e, text, &names(), ExprContext::Condition).expect_err(text)
}

#[test]
fn resolves_every_kind_of_name() {
    let e = ok(
        "seoul.requests > 0 and seoul.tg.unhealthy == 0 and ga.ap-northeast-2 == HEALTHY \
         and ga.us-east-1.dial == 100 and alarm.BTS-x == ALARM and alarms.firing == 0 \
         and ga.seoul.share > 50",
        ExprContext::Condition,
    );
    let targets: Vec<RefTarget> = e.refs().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        vec![
            RefTarget::Series(0),
            RefTarget::TargetCount {
                tg: 0,
                which: TargetCountKind::Unhealthy
            },
            RefTarget::GaGroupHealth {
                acc: 0,
                region: "ap-northeast-2".into()
            },
            RefTarget::GaGroupDial {
                acc: 0,
                region: "us-east-1".into()
            },
            RefTarget::Alarm("BTS-x".into()),
            RefTarget::AlarmsFiring,
            RefTarget::Series(2),
        ]
    );
}

#[test]
fn functions_and_math() {
    ok(
        "changes(ga.ap-northeast-2, 10m) >= 3",
        ExprContext::Condition,
    );
    ok("changes(alarm.x, 1h) == 0", ExprContext::Condition);
    ok(
        "seoul.requests < 2 * baseline(seoul.requests)",
        ExprContext::Condition,
    );
    ok(
        "(seoul.requests > 1 or seoul.p99 > 2) for 5m",
        ExprContext::Condition,
    );
    ok("100 * seoul.p99 / (seoul.requests + 1)", ExprContext::Math);
}

#[test]
fn unknown_names_suggest_close_ones() {
    let e = bad("seoul.reqests > 1");
    assert_eq!(
        (e.at, e.message.as_str()),
        (0, "unknown name \"seoul.reqests\"")
    );
    assert!(e.hint.contains("seoul.requests"), "{}", e.hint);
    let e = bad("seoul.tg.healty > 1");
    assert!(e.hint.contains("seoul.tg.healthy"), "{}", e.hint);
    let e = bad("ga.eu-west-1 == HEALTHY");
    assert!(e.hint.contains("ap-northeast-2, us-east-1"), "{}", e.hint);
    let e = bad("zzzz > 1");
    assert!(e.hint.starts_with("names are"), "{}", e.hint);
}

#[test]
fn type_errors_point_at_the_culprit() {
    let e = bad("ga.ap-northeast-2 > 1");
    assert_eq!(e.at, 0);
    assert!(e.message.contains("health state"), "{}", e.message);
    let e = bad("ga.ap-northeast-2 == 1");
    assert_eq!(e.value, "ga.ap-northeast-2");
    let e = bad("ga.ap-northeast-2 == OK");
    assert_eq!((e.at, e.value.as_str()), (21, "OK"));
    let e = bad("alarm.x == HEALTHY");
    assert_eq!(e.value, "HEALTHY");
    let e = bad("seoul.p99 == HEALTHY");
    assert_eq!(e.value, "HEALTHY");
    let e = bad("seoul.requests + 1");
    assert!(e.message.contains("not a condition"), "{}", e.message);
    let e = bad("seoul.requests and seoul.p99 > 1");
    assert_eq!(e.value, "seoul.requests");
    let e = bad("seoul.p99 < baseline(seoul.p99)");
    assert_eq!(
        (e.at, e.message.as_str()),
        (21, "series \"seoul.p99\" has no baseline")
    );
    let e = bad("changes(seoul.p99, 10m) > 1");
    assert_eq!(e.at, 8);
    let e = bad("changes(ga.us-east-1) > 1");
    assert_eq!(e.at, 0);
    let e = bad("baseline(ga.us-east-1) > 1");
    assert_eq!(e.at, 9);
    let e = bad("(seoul.p99 > 1 for 3m) > 2");
    assert!(e.message.contains("condition"), "{}", e.message);
}

#[test]
fn math_rejects_conditions_and_non_series() {
    let mut e = parse_expr("seoul.tg.healthy * 2").expect("parses");
    let err = resolve(&mut e, "seoul.tg.healthy * 2", &names(), ExprContext::Math).expect_err("tg");
    assert!(err.message.contains("not a series"), "{}", err.message);
    let mut e = parse_expr("seoul.p99 > 1").expect("parses");
    assert!(resolve(&mut e, "seoul.p99 > 1", &names(), ExprContext::Math).is_err());
    let mut e = parse_expr("seoul.nope + 1").expect("parses");
    let err = resolve(&mut e, "seoul.nope + 1", &names(), ExprContext::Math).expect_err("unknown");
    assert_eq!(err.message, "unknown series \"seoul.nope\"");
}

#[test]
fn numbers_are_located_in_errors() {
    let e = bad("seoul.p99 > 0 and 1");
    assert_eq!((e.at, e.value.as_str()), (18, "1"));
    let e = bad("changes(ga.us-east-1, 5) > 1");
    assert_eq!((e.at, e.value.as_str()), (22, "5"));
    let e = bad("2 > 1 for 3m and changes(ga.us-east-1, 10m) > 0 and 7");
    assert_eq!((e.at, e.value.as_str()), (52, "7"));
    let e = bad("1 + 2");
    assert_eq!(e.at, 0);
}
