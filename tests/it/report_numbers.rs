//! The report's numbers on small hand-made recordings: availability that cannot be judged is
//! said so (report and summary), events dated far outside the recording's window are skipped
//! and counted with time and memory bounded, lines a little out of time order give the same
//! report as in order, and peaks, WAF totals and rule shares are the event window's.

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::model::{
    EmbeddedFile, Event, EventBody, FORMAT_NAME, FORMAT_VERSION, Header, MetricBatch, Point,
    SeriesData, Source,
};
use warroom_core::report::{self, Unjudged, Verdict};

const NO_5XX: &str = r#"
[event]
name = "requests only"
start = "2026-06-13T10:00:00Z"
end = "2026-06-13T11:00:00Z"
success_criteria = ["99.9% of requests succeed"]

[[series]]
id = "web.requests"
region = "eu-west-1"
namespace = "AWS/ApplicationELB"
metric = "RequestCount"
dimensions = { LoadBalancer = "app/web/1" }
stat = "Sum"
absent = "zero"
"#;

const WAF: &str = r#"
[event]
name = "waf window"
start = "2026-06-13T10:00:00Z"
end = "2026-06-13T11:00:00Z"

[[web_acl]]
id = "web.waf"
name = "web-acl"
scope = "REGIONAL"
region = "eu-west-1"

[[series]]
id = "web.blocked"
region = "eu-west-1"
namespace = "AWS/WAFV2"
metric = "BlockedRequests"
dimensions = { WebACL = "web-acl", Rule = "ALL", Region = "eu-west-1" }
stat = "Sum"
absent = "zero"
baseline = 10

[[series]]
id = "web.blocked_rate"
region = "eu-west-1"
namespace = "AWS/WAFV2"
metric = "BlockedRequests"
dimensions = { WebACL = "web-acl", Rule = "RateLimitPerIP", Region = "eu-west-1" }
stat = "Sum"
absent = "zero"
"#;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn header(text: &str) -> Header {
    Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "test".into(),
        created: at("2026-06-13T09:55:00Z"),
        start: at("2026-06-13T09:55:00Z"),
        source: Source::Aws {
            accounts: vec![],
            regions: vec!["eu-west-1".into()],
            profile: None,
        },
        layout: EmbeddedFile {
            path: "t.toml".into(),
            text: text.into(),
        },
        runbook: None,
    }
}

/// A poll at `t` + 70 s of the minute starting at `t` with `v` requests.
fn poll(t: DateTime<Utc>, v: f64) -> Event {
    Event {
        at: t + TimeDelta::seconds(130),
        body: EventBody::Metrics(MetricBatch {
            region: "eu-west-1".into(),
            start: t,
            end: t + TimeDelta::minutes(1),
            series: vec![SeriesData {
                id: "web.requests".into(),
                points: vec![Point { ts: t, v, p: false }],
                complete: true,
            }],
        }),
    }
}

fn polls() -> Vec<Event> {
    (0..30)
        .map(|m| poll(at("2026-06-13T10:00:00Z") + TimeDelta::minutes(m), 100.0))
        .collect()
}

#[test]
fn availability_without_5xx_series_cannot_be_judged_anywhere() {
    let h = header(NO_5XX);
    let r = report::build(&h, polls(), None).expect("report");
    assert_eq!(r.availability.as_ref().err(), Some(&Unjudged::No5xx));
    assert_eq!(r.criteria[0].verdict, Verdict::CannotJudge);
    assert!(
        r.criteria[0]
            .detail
            .contains("the layout has no 5xx series"),
        "{}",
        r.criteria[0].detail
    );
    let md = report::markdown(&r);
    assert!(
        md.contains("Availability cannot be judged: the layout has no 5xx series."),
        "{md}"
    );
    assert!(!md.contains("100.000%"), "{md}");

    // The summary says the same, in every format.
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("r.jsonl");
    let mut rec = warroom_core::record::Recorder::create(&path, &h, false).expect("create");
    for e in polls() {
        rec.write_batch(&[e]).expect("write");
    }
    drop(rec);
    let (_, s) = warroom::cli::summary_of(&path, None).expect("summary");
    let a = s.availability.as_ref().expect("an availability line");
    assert_eq!(a.percent, None);
    let text = warroom_core::summary::render::render(&s, warroom_core::summary::Format::Text);
    assert!(
        text.contains("Availability cannot be judged: the layout has no 5xx series"),
        "{text}"
    );
}

#[test]
fn events_dated_far_outside_the_window_are_skipped_and_counted() {
    let h = header(NO_5XX);
    let mut events = polls();
    // A year-9999 event, one in 0001 and one in 2100: time and memory must not follow them.
    for year in [
        "9999-12-31T23:59:00Z",
        "0001-01-01T00:00:00Z",
        "2100-01-01T00:00:00Z",
    ] {
        events.push(poll(at(year), 5.0));
    }
    let mut far_window = poll(at("2026-06-13T10:40:00Z"), 7.0);
    if let EventBody::Metrics(b) = &mut far_window.body {
        b.start = at("0001-01-01T00:00:00Z");
    }
    events.push(far_window);
    let r = report::build(&h, events, Some("skipped 1 unreadable line(s)".into())).expect("report");
    let skipped = r.quality.skipped.as_deref().expect("a note");
    assert!(
        skipped.starts_with("skipped 1 unreadable line(s); skipped 4 event(s) dated outside"),
        "{skipped}"
    );
    let (from, to) = r.reach.expect("reach");
    assert!(
        from >= at("2026-06-13T10:00:00Z") && to <= at("2026-06-13T10:33:00Z"),
        "{from} {to}"
    );
    let a = r.availability.as_ref().err();
    assert_eq!(a, Some(&Unjudged::No5xx));
    assert!(
        r.charts[0].points.len() <= 40,
        "{}",
        r.charts[0].points.len()
    );
}

#[test]
fn lines_a_little_out_of_order_report_as_in_order() {
    let h = header(NO_5XX);
    let sorted = polls();
    let mut shuffled = sorted.clone();
    for pair in shuffled.chunks_mut(2) {
        pair.reverse();
    }
    let a = report::markdown(&report::build(&h, sorted, None).expect("report"));
    let b = report::markdown(&report::build(&h, shuffled, None).expect("report"));
    assert_eq!(a, b);
}

#[test]
fn a_stale_period_beginning_at_the_last_event_is_not_listed() {
    let h = header(NO_5XX);
    let mut events = polls();
    // The last poll's bucket starts at 10:29; at 10:40 the series is stale, and the recording
    // ends there: a period of no length.
    events.push(Event {
        at: at("2026-06-13T10:40:00Z"),
        body: EventBody::Operator(warroom_core::model::OperatorEvent {
            who: "noc".into(),
            user: None,
            post_mortem: false,
            action: warroom_core::model::OperatorAction::Annotation { text: "end".into() },
        }),
    });
    let r = report::build(&h, events, None).expect("report");
    assert!(
        r.quality
            .stale
            .iter()
            .all(|p| p.length() > TimeDelta::zero()),
        "{:?}",
        r.quality.stale
    );
    let md = report::markdown(&r);
    assert!(md.contains("No series went stale."), "{md}");
}

/// Blocks before T0 (the first poll reaches hours back) are not the event's: the peak, the
/// blocked total and the rule's share are the event window's, the share of the ACL's total.
#[test]
fn peaks_totals_and_shares_are_the_event_windows() {
    let t0 = at("2026-06-13T10:00:00Z");
    // 09:00-09:59: 100 blocked a minute, all by the rate rule; from T0 30 minutes of 20 blocked,
    // 15 of them by the rate rule.
    let batch = |m: i64| {
        let t = t0 + TimeDelta::minutes(m);
        let (all, rate) = if m < 0 { (100.0, 100.0) } else { (20.0, 15.0) };
        let pt = |v| vec![Point { ts: t, v, p: false }];
        Event {
            at: t + TimeDelta::seconds(130),
            body: EventBody::Metrics(MetricBatch {
                region: "eu-west-1".into(),
                start: t,
                end: t + TimeDelta::minutes(1),
                series: vec![
                    SeriesData {
                        id: "web.blocked".into(),
                        points: pt(all),
                        complete: true,
                    },
                    SeriesData {
                        id: "web.blocked_rate".into(),
                        points: pt(rate),
                        complete: true,
                    },
                ],
            }),
        }
    };
    let r = report::build(&header(WAF), (-60..30).map(batch).collect(), None).expect("report");
    let peak = r
        .peaks
        .iter()
        .find(|p| p.id == "web.blocked")
        .expect("peak");
    assert_eq!(peak.worst.map(|w| w.1), Some(20.0), "{peak:?}");
    let w = r.waf.first().expect("the ACL's section");
    assert_eq!(w.blocked_total, Some(600.0));
    let rate = w
        .reconcile()
        .into_iter()
        .find(|r| r.rule == "RateLimitPerIP")
        .expect("rule");
    assert_eq!(rate.metrics, Some(450.0));
    assert_eq!(
        rate.metrics_share,
        Some(75.0),
        "of the ACL's 600, not of the rules' sum"
    );
}
