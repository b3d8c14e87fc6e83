//! Availability from the series a layout's `[availability]` names: API Gateway's `Count` and
//! `5XXError`, and `CloudFront`'s requests with their failed share as metric math, judged per
//! hour, over the event window and against the target as the report and summaries read them;
//! a layout without the section keeps the load balancers' automatic choice.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Basis, Tally, Unjudged, counted, event_so_far};
use crate::model::{
    EmbeddedFile, Event, EventBody, FORMAT_NAME, FORMAT_VERSION, Header, MetricBatch, Point,
    SeriesData, Source,
};
use crate::report::{self, Report, Verdict};

/// A flash sale on API Gateway behind `CloudFront`, T0 10:00 UTC, two hours; the section is
/// appended.
const SALE: &str = r#"[event]
name = "Flash sale"
start = "2026-06-13T10:00:00Z"
end = "2026-06-13T12:00:00Z"
success_criteria = ["99.5% of requests succeed (no 5xx)"]

[[series]]
id = "api.count"
label = "API requests"
region = "us-east-1"
namespace = "AWS/ApiGateway"
metric = "Count"
dimensions = { ApiName = "flash", Stage = "prod" }
stat = "Sum"
unit = "count"
absent = "zero"

[[series]]
id = "api.5xx"
label = "API 5xx"
region = "us-east-1"
namespace = "AWS/ApiGateway"
metric = "5XXError"
dimensions = { ApiName = "flash", Stage = "prod" }
stat = "Sum"
unit = "count"
absent = "zero"

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

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn header(section: &str) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "test".into(),
        created: at("2026-06-13T09:25:00Z"),
        start: at("2026-06-13T09:25:00Z"),
        source: Source::Aws {
            accounts: vec![],
            regions: vec!["us-east-1".into()],
            profile: None,
        },
        layout: EmbeddedFile {
            path: "sale.toml".into(),
            text: format!("{SALE}\n{section}"),
        },
        runbook: None,
    }
}

/// A poll of the minute starting at `t`, 130 s later: 1,000 requests at both doors; from 09:30
/// to T0 50 of them fail, from 11:00 to 11:10 100 of them (10%).
fn poll(t: DateTime<Utc>) -> Event {
    let failing = if t < at("2026-06-13T10:00:00Z") {
        50.0
    } else if t >= at("2026-06-13T11:00:00Z") && t < at("2026-06-13T11:10:00Z") {
        100.0
    } else {
        0.0
    };
    let series = [
        ("api.count", 1000.0),
        ("api.5xx", failing),
        ("cf.requests", 1000.0),
        ("cf.5xx_rate", failing / 10.0),
    ];
    Event {
        at: t + TimeDelta::seconds(130),
        body: EventBody::Metrics(MetricBatch {
            region: "us-east-1".into(),
            start: t,
            end: t + TimeDelta::minutes(1),
            series: series
                .iter()
                .map(|(id, v)| SeriesData {
                    id: (*id).into(),
                    points: vec![Point {
                        ts: t,
                        v: *v,
                        p: false,
                    }],
                    complete: true,
                })
                .collect(),
        }),
    }
}

/// Every minute from 09:30 to the end of the event.
fn polls() -> Vec<Event> {
    (0..150)
        .map(|m| poll(at("2026-06-13T09:30:00Z") + TimeDelta::minutes(m)))
        .collect()
}

fn report(section: &str) -> Report {
    report::build(&header(section), polls(), None).unwrap_or_else(|e| panic!("{e}"))
}

/// (hour, requests, errors) of the report's first three hours.
fn hours(r: &Report) -> Vec<(DateTime<Utc>, f64, f64)> {
    let a = r.availability.as_ref().expect("judged");
    a.hours
        .iter()
        .take(3)
        .map(|(h, t)| (*h, t.requests, t.errors))
        .collect()
}

/// Hours, the event window and the success criterion's verdict of a sale whose counts are the
/// same at both doors: 150,000 requests recorded, 120,000 in the event window of which 1,000
/// failed (99.167%, under the 99.5% target); the 1,500 failures before T0 are not the event's.
fn judged_like_the_sale(r: &Report) {
    assert_eq!(
        hours(r),
        [
            (at("2026-06-13T09:00:00Z"), 30_000.0, 1_500.0),
            (at("2026-06-13T10:00:00Z"), 60_000.0, 0.0),
            (at("2026-06-13T11:00:00Z"), 60_000.0, 1_000.0),
        ]
    );
    let a = r.availability.as_ref().expect("judged");
    let w = a.window;
    assert_eq!((w.requests, w.errors), (120_000.0, 1_000.0));
    assert_eq!((w.known, w.expected), (120, 120));
    assert_eq!(a.target.as_ref().map(|t| t.0), Some(99.5));
    let c = &r.criteria[0];
    assert_eq!(c.verdict, Verdict::NotMet, "{}", c.detail);
    assert!(
        c.detail
            .starts_with("99.167% of 120000 requests without 5xx in the event window"),
        "{}",
        c.detail
    );
}

#[test]
fn api_gateway_counts_named_in_the_layout_judge_availability() {
    let r = report("[availability]\nrequests = [\"api.count\"]\nerrors = [\"api.5xx\"]\n");
    judged_like_the_sale(&r);
    let a = r.availability.as_ref().expect("judged");
    assert_eq!(
        a.basis,
        Basis::Series {
            requests: vec![("api.count".into(), "API requests".into())],
            errors: vec![("api.5xx".into(), "API 5xx".into())],
        }
    );
    // The report names them, in place of load balancers.
    let md = report::markdown(&r);
    assert!(
        md.contains(
            "Share of requests without a 5xx, on the series the layout's `[availability]` names: \
             requests API requests (api.count); errors API 5xx (api.5xx).\n"
        ),
        "{md}"
    );
    assert!(!md.contains("load balancers:"), "{md}");
    // The layout alone has no load balancer: without the section nothing can be judged.
    let without = report("");
    assert_eq!(
        without.availability.as_ref().err(),
        Some(&Unjudged::NoRequests)
    );
    assert_eq!(without.criteria[0].verdict, Verdict::CannotJudge);
}

#[test]
fn cloudfront_failed_requests_from_its_5xx_rate_judge_availability() {
    let r = report("[availability]\nrequests = [\"cf.requests\"]\nerrors = [\"cf.5xx\"]\n");
    judged_like_the_sale(&r);
    assert!(
        report::markdown(&r).contains("requests cf.requests; errors cf.5xx.\n"),
        "{}",
        report::markdown(&r)
    );
}

#[test]
fn the_event_so_far_of_a_summary_is_the_reports_window() {
    let h = header("[availability]\nrequests = [\"api.count\"]\nerrors = [\"api.5xx\"]\n");
    let layout = crate::config::load_texts(&h.layout, None).expect("loads");
    let mut state = crate::store::State::new(&layout);
    for e in polls() {
        state.apply(&e);
    }
    let t: Tally = event_so_far(&layout, &state, at("2026-06-13T11:30:00Z")).expect("judged");
    assert_eq!((t.requests, t.errors), (90_000.0, 1_000.0));
    assert_eq!(t.through, Some(at("2026-06-13T11:30:00Z")));
}

#[test]
fn without_the_section_the_load_balancers_are_counted_as_before() {
    let layout = crate::testing::tix_layout();
    let c = counted(&layout).expect("judged");
    assert!(
        matches!(&c.basis, Basis::LoadBalancers(lbs) if !lbs.is_empty()),
        "{:?}",
        c.basis
    );
    assert_eq!(c.requests.len(), 1);
    assert!(!c.errors.is_empty());
    // The report names the load balancers, as it always has.
    let (header, events) = crate::testing::fortnight();
    let r = report::build(&header, events, None).expect("report");
    assert!(
        report::markdown(&r).contains(
            "Share of requests without a 5xx (target and load-balancer 5xx over `RequestCount`), \
             load balancers: app/"
        ),
        "{}",
        report::markdown(&r)
    );
}
