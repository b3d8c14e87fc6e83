//! Tests of `[availability]`: the series it names load as given; an unknown id, a series that
//! is not a count (unit, statistic), a percentage among the errors, a series named twice and an
//! empty list are located errors with the offending value and a hint.

use crate::config::layout::AvailabilitySeries;
use crate::config::{ConfigError, Diagnostic, Layout, load_texts};
use crate::model::event::EmbeddedFile;

/// API Gateway's requests and 5xx, `CloudFront`'s requests and 5xx rate (with the count of
/// failed requests as metric math), and an API latency.
const SERVERLESS: &str = r#"[event]
name = "Flash sale"
start = "2026-06-13T10:00:00Z"
end = "2026-06-13T12:00:00Z"

[[series]]
id = "api.count"
region = "us-east-1"
namespace = "AWS/ApiGateway"
metric = "Count"
dimensions = { ApiName = "flash", Stage = "prod" }
stat = "Sum"
unit = "count"
absent = "zero"

[[series]]
id = "api.5xx"
region = "us-east-1"
namespace = "AWS/ApiGateway"
metric = "5XXError"
dimensions = { ApiName = "flash", Stage = "prod" }
stat = "Sum"
unit = "count"
absent = "zero"

[[series]]
id = "api.latency"
region = "us-east-1"
namespace = "AWS/ApiGateway"
metric = "Latency"
dimensions = { ApiName = "flash", Stage = "prod" }
stat = "Average"
unit = "milliseconds"

[[series]]
id = "api.count_avg"
region = "us-east-1"
namespace = "AWS/ApiGateway"
metric = "Count"
dimensions = { ApiName = "flash", Stage = "prod" }
stat = "Average"
unit = "count"

[[series]]
id = "cf.requests"
region = "us-east-1"
namespace = "AWS/CloudFront"
metric = "Requests"
dimensions = { DistributionId = "E1", Region = "Global" }
stat = "Sum"
unit = "count"
absent = "zero"

[[series]]
id = "cf.5xx_rate"
region = "us-east-1"
namespace = "AWS/CloudFront"
metric = "5xxErrorRate"
dimensions = { DistributionId = "E1", Region = "Global" }
stat = "Average"
unit = "percent"

[[series]]
id = "cf.5xx"
expr = "cf.requests * cf.5xx_rate / 100"
unit = "count"
"#;

fn load(section: &str) -> Result<Layout, ConfigError> {
    let file = EmbeddedFile {
        path: "t.toml".into(),
        text: format!("{SERVERLESS}\n{section}"),
    };
    load_texts(&file, None)
}

/// The first diagnostic of a section that must not load.
fn first(section: &str) -> Diagnostic {
    match load(section) {
        Ok(_) => panic!("loaded: {section}"),
        Err(e) => e.diagnostics.into_iter().next().expect("a diagnostic"),
    }
}

/// Line of the section's `n`th line (1-based) in the file.
fn line(n: usize) -> usize {
    SERVERLESS.lines().count() + 1 + n
}

#[test]
fn the_named_series_load_in_file_order() {
    let l = load("[availability]\nrequests = [\"api.count\"]\nerrors = [\"api.5xx\"]\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        l.availability,
        Some(AvailabilitySeries {
            requests: vec!["api.count".into()],
            errors: vec!["api.5xx".into()],
        })
    );
    // A math series in counts is a count: CloudFront's failed requests from its 5xx rate.
    let l = load("[availability]\nrequests = [\"cf.requests\", \"api.count\"]\nerrors = [\"cf.5xx\", \"api.5xx\"]\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let a = l.availability.expect("section");
    assert_eq!(a.requests, ["cf.requests", "api.count"]);
    assert_eq!(a.errors, ["cf.5xx", "api.5xx"]);
    // Without the section, none.
    assert!(load("").expect("loads").availability.is_none());
}

#[test]
fn an_unknown_series_is_located_with_the_closest_ids() {
    let d = first("[availability]\nrequests = [\"api.cuont\"]\nerrors = [\"api.5xx\"]\n");
    assert_eq!(d.message, "unknown series \"api.cuont\"");
    assert_eq!((d.line, d.col), (line(2), 13));
    assert_eq!(d.value, "api.cuont");
    assert_eq!(d.hint, "did you mean api.count?");
}

#[test]
fn a_series_that_is_not_a_count_is_refused() {
    let d = first("[availability]\nrequests = [\"api.count\"]\nerrors = [\"api.latency\"]\n");
    assert_eq!(
        d.message,
        "[availability] errors \"api.latency\" is not a count (unit \"milliseconds\")"
    );
    assert_eq!((d.line, d.col), (line(3), 11));
    assert!(d.hint.contains("unit = \"count\""), "{}", d.hint);
    // In counts but averaged: 1 request per request.
    let d = first("[availability]\nrequests = [\"api.count_avg\"]\nerrors = [\"api.5xx\"]\n");
    assert_eq!(
        d.message,
        "[availability] requests \"api.count_avg\" is not a count per bucket (stat \"Average\")"
    );
    assert!(d.hint.contains("stat = \"Sum\""), "{}", d.hint);
}

#[test]
fn a_percentage_among_the_errors_points_at_metric_math() {
    let d = first("[availability]\nrequests = [\"cf.requests\"]\nerrors = [\"cf.5xx_rate\"]\n");
    assert_eq!(
        d.message,
        "[availability] errors \"cf.5xx_rate\" is a percentage, not a count"
    );
    assert_eq!((d.line, d.col), (line(3), 11));
    assert!(
        d.hint
            .contains("expr = \"cf.requests * cf.5xx_rate / 100\" with unit = \"count\""),
        "{}",
        d.hint
    );
}

#[test]
fn a_series_counts_once_and_lists_are_not_empty() {
    let d = first("[availability]\nrequests = [\"api.count\"]\nerrors = [\"api.count\"]\n");
    assert_eq!(
        d.message,
        "series \"api.count\" is named twice in [availability]"
    );
    assert_eq!((d.line, d.col), (line(3), 11));
    let d = first("[availability]\nrequests = [\"api.count\"]\nerrors = []\n");
    assert_eq!(d.message, "[availability] \"errors\" is empty");
    assert_eq!((d.line, d.col), (line(3), 10));
    assert!(d.hint.contains("errors = [\"api.5xx\"]"), "{}", d.hint);
    let d = first("[availability]\nrequests = [\"api.count\"]\n");
    assert_eq!(d.message, "missing key \"errors\" in [availability]");
}

/// `warroom check`'s lines about availability: its own (wrapped lines joined) and the success
/// criterion's.
fn check_lines(l: &Layout) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in crate::config::check_report(l).lines() {
        let wrapped = s.strip_prefix(&" ".repeat(17));
        match (wrapped, out.last_mut()) {
            (Some(rest), Some(last)) if last.starts_with("availability") => {
                last.push(' ');
                last.push_str(rest);
            }
            _ if s.contains("availability") || s.contains("judged") => out.push(s.into()),
            _ => {}
        }
    }
    out
}

#[test]
fn check_names_the_series_availability_is_judged_on_or_why_it_cannot_be() {
    let with = |section: &str| {
        let file = EmbeddedFile {
            path: "t.toml".into(),
            text: SERVERLESS.replace(
                "end = \"2026-06-13T12:00:00Z\"\n",
                "end = \"2026-06-13T12:00:00Z\"\nsuccess_criteria = [\"99.5% of requests succeed\"]\n",
            ) + section,
        };
        load_texts(&file, None).unwrap_or_else(|e| panic!("{e}"))
    };
    let l = with(
        "[availability]\nrequests = [\"api.count\", \"cf.requests\"]\nerrors = [\"api.5xx\", \"cf.5xx\"]\n",
    );
    assert_eq!(
        check_lines(&l),
        [
            "availability     requests api.count, cf.requests; errors api.5xx, cf.5xx; target 99.5%",
            "success criteria 1 (1 judged from the data, 0 by a person)",
            "    judged on the requests without 5xx in the event window (target 99.5%)",
        ]
    );
    // No load balancer and no section: check promises nothing the report will not do.
    let reason = "the layout has no load-balancer request series and no [availability] section";
    assert_eq!(
        check_lines(&with("")),
        [
            format!("availability     cannot be judged: {reason}"),
            "success criteria 1 (0 judged from the data, 1 by a person)".into(),
            format!("    cannot be judged: {reason}"),
        ]
    );
    // The load balancers' automatic choice, named.
    let reference = crate::config::load_texts(&crate::builtin::layout(), None).expect("loads");
    assert_eq!(
        check_lines(&reference)[0],
        "availability     RequestCount and 5xx counts of load balancers BTS-ALB, WEB-ALB; target 99.95%"
    );
}
