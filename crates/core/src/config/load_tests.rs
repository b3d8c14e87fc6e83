//! Tests of layout loading: defaults, derived values, and the shape of TOML and semantic errors.

use crate::config::layout::{Absent, Direction, SeriesSource, Sink, Unit, WafScope, WebhookFormat};
use crate::config::{ConfigError, Layout, load_texts};
use crate::model::event::EmbeddedFile;

const EVENT: &str = r#"
[event]
name = "T"
start = "2026-06-13T20:00:00+09:00"
end = "2026-06-13T23:00:00+09:00"
"#;

fn metric(id: &str, region: &str) -> String {
    format!(
        "[[series]]\nid = \"{id}\"\nregion = \"{region}\"\nnamespace = \"AWS/X\"\nmetric = \"M\"\nstat = \"Sum\"\n"
    )
}

fn try_load(body: &str) -> Result<Layout, ConfigError> {
    let file = EmbeddedFile {
        path: "t.toml".into(),
        text: format!("{EVENT}{body}"),
    };
    load_texts(&file, None)
}

fn ok(body: &str) -> Layout {
    try_load(body).unwrap_or_else(|e| panic!("{e}"))
}

fn errors(body: &str) -> Vec<String> {
    match try_load(body) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.diagnostics.iter().map(|d| d.message.clone()).collect(),
    }
}

#[test]
fn defaults() {
    let l = ok(&metric("a", "eu-west-1"));
    assert_eq!(l.accounts[0].id, "default");
    let s = &l.series[0];
    assert_eq!((s.account.as_str(), s.label.as_str()), ("default", "a"));
    assert_eq!(
        (s.unit, s.absent, s.period()),
        (Unit::None, Absent::Unknown, 60)
    );
    assert_eq!(l.event.time_zones, vec![chrono_tz::UTC]);
    assert_eq!(l.return_to_normal.streak, chrono::TimeDelta::minutes(15));
    assert_eq!(l.summary.cadence, chrono::TimeDelta::hours(1));
}

#[test]
fn dimensions_keep_file_order() {
    let l = ok(&format!(
        "{}dimensions = {{ Z = \"1\", A = \"2\", M = \"3\" }}\n",
        metric("a", "eu-west-1")
    ));
    let SeriesSource::Metric(q) = &l.series[0].source else {
        panic!("metric")
    };
    let names: Vec<&str> = q.dimensions.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["Z", "A", "M"]);
}

#[test]
fn math_inherits_region_and_account_through_chains() {
    let body = format!(
        "[[account]]\nid = \"a1\"\n[[account]]\nid = \"a2\"\n{}account = \"a2\"\n{}\
         [[series]]\nid = \"r2\"\nexpr = \"r1 * 2\"\n\
         [[series]]\nid = \"r1\"\nexpr = \"x + y\"\n",
        metric("x", "eu-west-1"),
        metric("y", "us-east-1"),
    );
    let l = ok(&body);
    let r2 = l.series_by_id("r2").expect("r2");
    assert_eq!(
        (r2.region.as_str(), r2.account.as_str()),
        ("eu-west-1", "a2")
    );
    assert_eq!(
        l.regions(),
        vec!["eu-west-1".to_string(), "us-east-1".to_string()]
    );
}

#[test]
fn thresholds() {
    let l = ok(&format!(
        "{}threshold = {{ warn = 10, crit = 5, direction = \"below\", for = \"1h30m\", hysteresis = 1 }}\n",
        metric("a", "eu-west-1")
    ));
    let t = l.series[0].threshold.as_ref().expect("threshold");
    assert_eq!(t.direction, Direction::Below);
    assert_eq!(t.for_, chrono::TimeDelta::minutes(90));
    let e = errors(&format!("{}threshold = {{ }}\n", metric("a", "eu-west-1")));
    assert!(e[0].contains("neither warn nor crit"), "{e:?}");
}

#[test]
fn web_acls_and_sinks() {
    let l = ok(r#"
[[web_acl]]
id = "edge"
name = "e"
scope = "CLOUDFRONT"

[summary]
time_zone = "Asia/Seoul"
red_cadence = "15m"

[[summary.sink]]
kind = "webhook"
format = "teams"
url_file = "/run/secrets/teams"

[[summary.sink]]
kind = "sns"
topic_arn = "arn:aws:sns:ap-northeast-2:123456789012:warroom"
"#);
    assert_eq!(l.web_acls[0].scope, WafScope::Cloudfront);
    assert_eq!(l.web_acls[0].region, "us-east-1");
    assert_eq!(l.summary.time_zone, chrono_tz::Asia::Seoul);
    assert!(matches!(
        &l.summary.sinks[0],
        Sink::Webhook {
            format: WebhookFormat::Teams,
            url_file: Some(_),
            url_env: None
        }
    ));
    assert!(matches!(&l.summary.sinks[1], Sink::Sns { region, .. } if region == "ap-northeast-2"));
}

#[test]
fn collects_several_errors_in_file_order() {
    let body = format!(
        "{}period = 7\n{}\n[[panel]]\nid = \"p\"\ntitle = \"P\"\nseries = [\"nope\"]\n",
        metric("a", "eu-west-1"),
        metric("a", "xx"),
    );
    let e = errors(&body);
    assert_eq!(e.len(), 4, "{e:?}");
    assert!(e[0].starts_with("invalid period"), "{e:?}");
    assert!(e[1].starts_with("duplicate series id"), "{e:?}");
    assert!(e[2].starts_with("invalid AWS region"), "{e:?}");
    assert!(e[3].starts_with("unknown series"), "{e:?}");
}

#[test]
fn misc_errors() {
    let e = errors(&format!("{}expr = \"a\"\n", metric("a", "eu-west-1")));
    assert!(e[0].contains("both `expr` and"), "{e:?}");
    let e = errors("[[series]]\nid = \"a\"\nunit = \"count\"\n");
    assert!(e[0].contains("is missing namespace, metric, stat"), "{e:?}");
    let e = errors("[[series]]\nid = \"Bad Id\"\nexpr = \"1\"\n");
    assert!(e[0].starts_with("invalid id"), "{e:?}");
    let e = errors("[[account]]\nid = \"a\"\naccount_id = \"12\"\n");
    assert!(e[0].starts_with("invalid AWS account id"), "{e:?}");
    let e = errors(
        "[[accelerator]]\nid = \"ga\"\nname = \"g\"\nendpoint_group = [{ region = \"us-east-1\", endpoint = \"x\", dial = 120 }]\n",
    );
    assert!(e[0].contains("out of range"), "{e:?}");
    let e = errors("[[web_acl]]\nid = \"w\"\nname = \"w\"\nscope = \"REGIONAL\"\n");
    assert!(e[0].contains("needs a region"), "{e:?}");
    let e = errors("[[summary.sink]]\nkind = \"directory\"\nurl_env = \"X\"\npath = \"s\"\n");
    assert!(e[0].contains("does not apply"), "{e:?}");
    let e = errors("[return_to_normal]\ncriteria = [{ name = \"x\", when = \"alarms.firing\" }]\n");
    assert!(e[0].contains("not a condition"), "{e:?}");
}

#[test]
fn expression_positions_survive_escapes() {
    // Offsets inside the decoded string map back through the escapes.
    let body = "[return_to_normal]\ncriteria = [{ name = \"x\", when = \"\\u00e9 > 1 \\\"x\" }]\n";
    let e = try_load(body).expect_err("invalid");
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col, d.value.as_str()), (7, 35, "\u{e9}"), "{d}");
    let body = "[return_to_normal]\ncriteria = [{ name = \"x\", when = \"\\u0031 > nope\" }]\n";
    let e = try_load(body).expect_err("invalid");
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col, d.value.as_str()), (7, 44, "nope"), "{d}");
    let body =
        "[return_to_normal]\ncriteria = [{ name = \"x\", when = '''\nalarms.firing >''' }]\n";
    let e = try_load(body).expect_err("invalid");
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col), (8, 15), "{d}");
}

fn first(text: &str) -> String {
    let file = EmbeddedFile {
        path: "t.toml".into(),
        text: text.into(),
    };
    match load_texts(&file, None) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.diagnostics[0].to_string(),
    }
}

#[test]
fn toml_error_shapes() {
    let cases: [(String, &str); 11] = [
        (
            String::new(),
            "t.toml:1:1: error: missing key \"event\" in the top level",
        ),
        (
            "[event]\nname = 1\n".into(),
            "t.toml:2:8: error: wrong type for \"name\" in [event]: \"1\" is an integer",
        ),
        (
            format!("{EVENT}series = 3\n"),
            "t.toml:6:1: error: unknown key \"series\" in [event]",
        ),
        (
            format!("{EVENT}[[series]]\nid = \"a\"\ndimensions = {{ A = 1 }}\n"),
            "t.toml:8:20: error: wrong type for \"A\" in dimensions of [[series]]: \"1\" is an integer",
        ),
        (
            format!("{EVENT}name = \"x\"\n"),
            "t.toml:6:1: error: duplicate key \"name\" in [event]",
        ),
        (
            format!("{EVENT}[event]\n"),
            "t.toml:6:2: error: duplicate key \"event\" in the top level",
        ),
        (
            format!("{EVENT}[[event.contact]]\nrole = \"x\"\ntel = \"1\"\n"),
            "t.toml:8:1: error: unknown key \"tel\" in [[event.contact]]",
        ),
        (
            format!("{EVENT}[[series]]\nid = \"a\"\nthreshold = {{ warn = \"1\" }}\n"),
            "t.toml:8:22: error: wrong type for \"warn\" in threshold of [[series]]: \"1\" is a string",
        ),
        (
            format!("{EVENT}[alarms]\nprefixes = \"a\"\n"),
            "t.toml:7:12: error: wrong type for \"prefixes\" in [alarms]: \"a\" is a string",
        ),
        (
            "[event\n".into(),
            "t.toml:1:7: error: invalid TOML: unclosed table, expected ] in \"[event\"",
        ),
        (
            "x = [1,\n".into(),
            "t.toml:1:8: error: invalid TOML: unclosed array, expected ] in \"x = [1,\"",
        ),
    ];
    for (text, want) in cases {
        let got = first(&text);
        assert_eq!(got.lines().next(), Some(want), "{text}");
        assert!(got.contains("\n  hint: "), "{got}");
    }
}

#[test]
fn timestamps_may_be_toml_datetimes() {
    let l = ok_text(
        "[event]\nname = \"x\"\nstart = 2026-06-13T20:00:00+09:00\nend = 2026-06-13T14:00:00Z\n",
    );
    assert_eq!(l.event.start.to_rfc3339(), "2026-06-13T11:00:00+00:00");
    let e =
        first("[event]\nname = \"x\"\nstart = 2026-06-13T20:00:00\nend = 2026-06-13T14:00:00Z\n");
    assert!(
        e.starts_with("t.toml:3:9: error: invalid timestamp \"2026-06-13T20:00:00\""),
        "{e}"
    );
    let e = first("[event]\nname = \"x\"\nstart = 3\nend = 2026-06-13T14:00:00Z\n");
    assert!(
        e.starts_with("t.toml:3:9: error: wrong type for \"start\""),
        "{e}"
    );
}

#[test]
fn out_of_range_integers() {
    let e = first(&format!(
        "{EVENT}[[accelerator]]\nid = \"g\"\nname = \"n\"\nendpoint_group = [{{ region = \"us-east-1\", endpoint = \"e\", weight = -1 }}]\n"
    ));
    assert!(
        e.starts_with("t.toml:9:68: error: invalid value for \"weight\" in endpoint_group of [[accelerator]]: \"-1\""),
        "{e}"
    );
}

fn ok_text(text: &str) -> Layout {
    let file = EmbeddedFile {
        path: "t.toml".into(),
        text: text.into(),
    };
    load_texts(&file, None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn errors_are_reported_in_file_order() {
    let body = format!(
        "[[panel]]\nid = \"p\"\ntitle = \"P\"\nseries = [\"nope\"]\n\n{}\n[[series]]\nid = \"m\"\nexpr = \"a + zz\"\n",
        metric("a", "xx"),
    );
    let file = EmbeddedFile {
        path: "t.toml".into(),
        text: format!("{EVENT}{body}"),
    };
    let e = load_texts(&file, None).expect_err("invalid");
    let lines: Vec<usize> = e.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![9, 13, 20], "{e}");
}

#[test]
fn success_criteria_are_words_or_words_with_a_condition() {
    let text = format!(
        "{EVENT}success_criteria = [\"No seat sold twice\", {{ name = \"p99 under 1 s\", when = \"a > 0 for 5m\" }}]\n{}",
        metric("a", "eu-west-1")
    );
    let file = EmbeddedFile {
        path: "t.toml".into(),
        text,
    };
    let l = load_texts(&file, None).unwrap_or_else(|e| panic!("{e}"));
    let c = &l.event.success_criteria;
    assert_eq!(c.len(), 2);
    assert_eq!(
        (c[0].text.as_str(), c[0].when.is_none()),
        ("No seat sold twice", true)
    );
    assert_eq!(c[1].text, "p99 under 1 s");
    assert_eq!(
        c[1].when.as_ref().map(|w| w.0.as_str()),
        Some("a > 0 for 5m")
    );
}

#[test]
fn a_success_condition_is_checked_like_any_other() {
    let load = |criterion: &str| {
        let text = format!(
            "{EVENT}success_criteria = [{criterion}]\n{}",
            metric("a", "eu-west-1")
        );
        let file = EmbeddedFile {
            path: "t.toml".into(),
            text,
        };
        match load_texts(&file, None) {
            Ok(_) => panic!("loaded {criterion}"),
            Err(e) => e.to_string(),
        }
    };
    let e = load(r#"{ name = "x", when = "b > 1" }"#);
    assert!(
        e.contains("t.toml:6:") && e.contains("unknown name \"b\""),
        "{e}"
    );
    let e = load(r#"{ name = "x", when = "a > 1", wen = "" }"#);
    assert!(e.contains("t.toml:6:") && e.contains("wen"), "{e}");
}

#[test]
fn an_endpoint_groups_share_names_a_series() {
    let acc = |share: &str| {
        format!(
            "{}[[accelerator]]\nid = \"ga\"\nname = \"G\"\nendpoint_group = [{{ region = \"us-east-1\", endpoint = \"alb\", share = \"{share}\" }}]\n",
            metric("ga.share", "us-west-2")
        )
    };
    let l = ok(&acc("ga.share"));
    assert_eq!(
        l.accelerators[0].endpoint_groups[0].share.as_deref(),
        Some("ga.share")
    );
    let e = errors(&acc("ga.shar"));
    assert!(
        e.iter().any(|m| m.contains("unknown series \"ga.shar\"")),
        "{e:?}"
    );
}

#[test]
fn math_has_the_period_of_its_coarsest_input() {
    let l = ok(&format!(
        "{}period = 300\n{}period = 60\n[[series]]\nid = \"r\"\nexpr = \"a / b\"\n[[series]]\nid = \"s\"\nexpr = \"2 * b\"\n",
        metric("a", "eu-west-1"),
        metric("b", "eu-west-1")
    ));
    let periods: Vec<u32> = l
        .series
        .iter()
        .map(crate::config::layout::Series::period)
        .collect();
    assert_eq!(periods, [300, 60, 300, 60]);
}

#[test]
fn ratios_to_baseline_only_for_counts_against_a_real_baseline() {
    let l = crate::config::load_texts(&crate::builtin::layout(), Some(&crate::builtin::runbook()))
        .expect("reference layout");
    let informs = |id: &str| l.series_by_id(id).expect(id).ratio_informs();
    assert!(informs("seoul.requests"));
    assert!(informs("seoul.waf.blocked"));
    for id in [
        "seoul.5xx_rate",
        "seoul.cpu_credits",
        "seoul.cpu",
        "seoul.p99",
        "seoul.healthy_hosts",
        "virginia.waf.blocked",
    ] {
        assert!(!informs(id), "{id}");
    }
}

/// CloudWatch's units are accepted as written (API Gateway and Lambda report milliseconds), and
/// a series keeps its values and thresholds in its unit; TM99 and percentile ranks as stats.
#[test]
fn milliseconds_and_other_cloudwatch_units_and_statistics() {
    use crate::config::layout::Unit;
    let mut body = String::new();
    for (i, unit) in [
        "milliseconds",
        "microseconds",
        "kilobytes",
        "megabytes",
        "gigabytes",
        "bits",
        "count/second",
    ]
    .iter()
    .enumerate()
    {
        body.push_str(&metric(&format!("s{i}"), "eu-west-1"));
        body.push_str("unit = \"");
        body.push_str(unit);
        body.push_str("\"\n");
    }
    body.push_str(&metric("lat", "eu-west-1").replace("stat = \"Sum\"", "stat = \"TM99\""));
    body.push_str("unit = \"milliseconds\"\nthreshold = { warn = 800, crit = 1500 }\n");
    body.push_str(&metric("pr", "eu-west-1").replace("stat = \"Sum\"", "stat = \"PR(:300)\""));
    let l = ok(&body);
    assert_eq!(l.series[0].unit, Unit::Milliseconds);
    assert_eq!(l.series[6].unit, Unit::CountPerSecond);
    let lat = &l.series[7];
    assert_eq!(lat.threshold.as_ref().and_then(|t| t.crit), Some(1500.0));
    assert_eq!(Unit::Milliseconds.human(1250.0), (Unit::Seconds, 1.25));
    let e = errors(&format!("{}unit = \"msec\"\n", metric("a", "eu-west-1")));
    assert!(e[0].starts_with("invalid unit"), "{e:?}");
    let e = errors(&metric("a", "eu-west-1").replace("stat = \"Sum\"", "stat = \"TM(90%:10%)\""));
    assert!(e[0].starts_with("invalid statistic"), "{e:?}");
}

/// An event target is a level to reach: a positive, finite number, refused where it is written.
#[test]
fn a_target_is_a_positive_level_in_the_series_unit() {
    let l = ok(&format!(
        "{}unit = \"count\"\nbaseline = 500\ntarget = 2000\n",
        metric("orders", "eu-west-1")
    ));
    assert_eq!(l.series[0].target, Some(2000.0));
    assert!(
        l.series[0].threshold.is_none(),
        "a target sets no threshold"
    );
    assert_eq!(ok(&metric("a", "eu-west-1")).series[0].target, None);
    for bad in ["0", "-5", "nan", "inf"] {
        let text = format!("{EVENT}{}target = {bad}\n", metric("a", "eu-west-1"));
        let e = first(&text);
        assert!(
            e.starts_with("t.toml:12:10: error: invalid target"),
            "{bad}: {e}"
        );
        assert!(e.contains("hint: target is the level"), "{e}");
    }
}
