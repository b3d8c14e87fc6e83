//! The post-mortem report of each simulated scenario: the timeline from normal to failure to
//! recovery in order, success criteria, response times, incidents, data quality, escaping and
//! determinism.

use crate::report_common;

use chrono::{DateTime, TimeDelta, Utc};
use report_common::{recording, t};
use warroom_core::model::{
    Event, EventBody, IncidentFields, IncidentState, OperatorAction, OperatorEvent, Severity,
};
use warroom_core::report::{self, Category, Report, Verdict};
use warroom_sim::Scenario;

fn report_of(scenario: Scenario) -> Report {
    let (header, events) = recording(scenario);
    report::build(&header, events, None).expect("report builds")
}

/// Asserts that the timeline holds entries matching `expected` (category, text fragment) in
/// this order (other entries may come between).
fn assert_in_order(r: &Report, expected: &[(Category, &str)]) {
    let mut it = r.timeline.iter();
    for (cat, text) in expected {
        let found = it.any(|e| e.category == *cat && e.text.contains(text));
        assert!(
            found,
            "no {cat:?} entry containing {text:?} after the previous one; timeline:\n{}",
            r.timeline
                .iter()
                .map(|e| format!("{} {:?} {}", e.at, e.category, e.text))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn reference_timeline_runs_from_drop_to_failure_to_recovery_to_normal() {
    let r = report_of(Scenario::ArmyDrop);
    assert_in_order(
        &r,
        &[
            (Category::Event, "T0"),
            (Category::Status, "YELLOW -> RED"),
            (Category::Runbook, "RB-03 FIRING"),
            (Category::Targets, "seoul.tg (BTS-tg): 0/10 healthy"),
            (
                Category::Endpoint,
                "marks ap-northeast-2 (BTS-ALB) UNHEALTHY",
            ),
            (Category::Dial, "ap-northeast-2 traffic dial 100 -> 0"),
            (
                Category::Targets,
                "seoul.tg (BTS-tg): 10/10 healthy, 0 unhealthy",
            ),
            (Category::Status, "RED -> YELLOW"),
            (Category::Dial, "dial 0 -> 25"),
            (Category::Dial, "dial 25 -> 50"),
            (Category::Dial, "dial 50 -> 100"),
            (Category::ReturnToNormal, "DECLARED"),
        ],
    );
    // Entries are in event-time order, and the drop is at T0 exactly.
    assert!(r.timeline.windows(2).all(|w| w[0].at <= w[1].at));
    let t0 = r
        .timeline
        .iter()
        .find(|e| e.category == Category::Event)
        .expect("T0");
    assert_eq!(t0.at, t(0));
    // RB-03 fired between T+8m and T+10m (the scenario's expectation).
    let rb03 = r.steps.iter().find(|s| s.id == "RB-03").expect("RB-03");
    let fired = rb03.fired.expect("RB-03 fired");
    assert!(fired >= t(8 * 60) && fired <= t(10 * 60), "{fired}");
    // The red period is shaded on the charts.
    assert!(
        r.shaded
            .iter()
            .any(|s| s.label == "status red" && s.from == t(9 * 60 + 5))
    );
}

#[test]
fn reference_success_criteria_are_judged_where_the_data_allows() {
    let r = report_of(Scenario::ArmyDrop);
    let v: Vec<Verdict> = r.criteria.iter().map(|c| c.verdict).collect();
    assert_eq!(v, [Verdict::NotMet, Verdict::NotMet, Verdict::CannotJudge]);
    assert!(
        r.criteria[1].detail.contains("Seoul p99 latency"),
        "{}",
        r.criteria[1].detail
    );
    let a = r.availability.as_ref().expect("availability");
    let (target, _) = a.target.as_ref().expect("target from the criterion");
    assert!((target - 99.95).abs() < 1e-9);
    // The hour of the collapse is the worst one.
    let worst = a
        .hours
        .iter()
        .filter_map(|(h, t)| t.share().map(|s| (*h, s)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("hours");
    assert_eq!(worst.0, t(0));
    assert!(worst.1 < 99.0, "{worst:?}");
    // Peaks: Seoul requests about ten times the baseline.
    let p = r
        .peaks
        .iter()
        .find(|p| p.id == "seoul.requests")
        .expect("peak");
    let (_, v) = p.worst.expect("data");
    assert!(v / p.baseline.expect("baseline") > 5.0, "{v}");
}

#[test]
fn shared_db_recovers_late_and_fires_database_before_failover() {
    let r = report_of(Scenario::SharedDb);
    assert_in_order(
        &r,
        &[
            (Category::Event, "T0"),
            (Category::Targets, "seoul.tg (BTS-tg): 0/10 healthy"),
            (Category::Runbook, "RB-07 FIRING"),
            (Category::Runbook, "RB-04 FIRING"),
            (
                Category::Endpoint,
                "marks ap-northeast-2 (BTS-ALB) UNHEALTHY",
            ),
            (Category::Dial, "dial 100 -> 0"),
            (Category::Targets, "seoul.tg (BTS-tg): 10/10 healthy"),
            (Category::Dial, "dial 50 -> 100"),
            (Category::ReturnToNormal, "DECLARED"),
        ],
    );
    let healthy = r
        .timeline
        .iter()
        .find(|e| e.text.contains("seoul.tg (BTS-tg): 10/10 healthy") && e.at > t(0))
        .expect("recovery");
    assert!(
        healthy.at > t(40 * 60),
        "Seoul stays down until the database recovers"
    );
}

#[test]
fn ga_fail_open_marks_both_groups_unhealthy_and_never_moves_a_dial() {
    let r = report_of(Scenario::GaFailOpen);
    assert_in_order(
        &r,
        &[
            (Category::Event, "T0"),
            (Category::Targets, "virginia.tg (WEB-tg): 0/2 healthy"),
            (Category::Endpoint, "marks us-east-1 (WEB-ALB) UNHEALTHY"),
            (
                Category::Endpoint,
                "marks ap-northeast-2 (BTS-ALB) UNHEALTHY",
            ),
            (Category::Endpoint, "marks us-east-1 (WEB-ALB) HEALTHY"),
            (Category::Endpoint, "marks ap-northeast-2 (BTS-ALB) HEALTHY"),
            (Category::ReturnToNormal, "DECLARED"),
        ],
    );
    assert!(r.timeline.iter().all(|e| e.category != Category::Dial));
}

#[test]
fn stale_data_shows_throttled_sources_gaps_and_stale_periods() {
    let r = report_of(Scenario::StaleData);
    assert_in_order(
        &r,
        &[
            (Category::Event, "T0"),
            (Category::Source, "cloudwatch:ap-northeast-2 throttled"),
            (Category::Source, "cloudwatch:ap-northeast-2 ok"),
            (Category::Targets, "seoul.tg (BTS-tg): 0/10 healthy"),
        ],
    );
    let q = &r.quality;
    let seoul = q
        .outages
        .iter()
        .find(|(s, _)| s == "cloudwatch:ap-northeast-2")
        .expect("Seoul metrics outage");
    assert!(!seoul.1.open);
    let len = seoul.1.length();
    assert!(
        len >= TimeDelta::minutes(3) && len <= TimeDelta::minutes(5),
        "{len}"
    );
    assert!(
        seoul.1.detail.starts_with("throttled"),
        "{}",
        seoul.1.detail
    );
    // The first poll after the outage asks again for every bucket since the last settled one,
    // as the real poller does: CloudWatch still holds those minutes, the report has no gap.
    assert!(
        !q.gaps
            .iter()
            .any(|g| g.series.iter().any(|s| s == "seoul.p99")),
        "{:?}",
        q.gaps
    );
    assert!(
        q.stale
            .iter()
            .any(|p| p.from >= t(5 * 60) && p.from <= t(9 * 60)),
        "{:?}",
        q.stale
    );
    // The reference has no such problems.
    let clean = report_of(Scenario::ArmyDrop);
    assert!(
        clean.quality.outages.is_empty() && clean.quality.gaps.is_empty(),
        "{:?}",
        clean.quality.gaps
    );
}

#[test]
fn waf_false_positive_shows_the_rule_change_and_blocked_buyers() {
    let r = report_of(Scenario::WafFalsePositive);
    assert_in_order(
        &r,
        &[
            (Category::Event, "T0"),
            (Category::Runbook, "RB-10 FIRING"),
            (Category::Operator, "BTS-RateLimit-PerIP limit 300 -> 2000"),
            (Category::Runbook, "RB-10 CLEARED"),
            (Category::ReturnToNormal, "DECLARED"),
        ],
    );
    assert!(r.timeline.iter().all(|e| e.category != Category::Endpoint));
    let seoul = r
        .waf
        .iter()
        .find(|w| w.id == "seoul.waf")
        .expect("Seoul ACL");
    assert_eq!(
        seoul.blocked_by_rule.first().map(|(rule, _)| rule.as_str()),
        Some("BTS-RateLimit-PerIP")
    );
    assert!(!seoul.top_ips.is_empty() && !seoul.ratio.is_empty());
}

/// WAF samples are a sample: counted as samples, their weights used only for shares, and
/// what the weights extrapolate to said once, apart, as an estimate against the metrics' count.
#[test]
fn waf_samples_are_reconciled_with_the_metrics_never_shown_as_counts() {
    let r = report_of(Scenario::ArmyDrop);
    let seoul = r
        .waf
        .iter()
        .find(|w| w.id == "seoul.waf")
        .expect("Seoul ACL");
    let rows = seoul.reconcile();
    let rate = rows
        .iter()
        .find(|r| r.rule == "BTS-RateLimit-PerIP")
        .expect("rate rule");
    let counted = rate.metrics.expect("the rate rule's metrics");
    // Samples are far fewer than the requests they stand for.
    assert!((rate.samples as f64) < counted / 10.0, "{rate:?}");
    // Weighted shares agree with the metrics' shares (they estimate them) within a few points,
    // where raw sample shares would not.
    let (m, w) = (
        rate.metrics_share.expect("share"),
        rate.weight_share.expect("share"),
    );
    // The metrics' share is of every block (Rule=ALL); the samples only stand for the rules
    // sampled, so they are compared with the rule's share of the watched rules' blocks.
    let watched: f64 = rows.iter().filter_map(|r| r.metrics).sum();
    assert!((100.0 * counted / watched - w).abs() < 5.0, "{rate:?}");
    let all = seoul.blocked_total.expect("total");
    assert!(
        (m - 100.0 * counted / all).abs() < 1e-9 && m < 100.0,
        "{rate:?}"
    );
    // The extrapolation overstates the count: shown once, in the reconciliation, as such.
    assert!(seoul.weighted_blocked as f64 > 2.0 * seoul.blocked_total.expect("total"));
    let md = report::markdown(&r);
    let extrapolated = seoul.weighted_blocked.to_string();
    let mentions: Vec<&str> = md.lines().filter(|l| l.contains(&extrapolated)).collect();
    assert_eq!(mentions.len(), 1, "{mentions:?}");
    assert!(
        mentions[0].starts_with("Reconciliation:") && mentions[0].contains("estimate"),
        "{}",
        mentions[0]
    );
    assert!(
        !md.lines()
            .any(|l| l.starts_with('|') && l.contains(&extrapolated))
    );
    assert!(
        md.contains("These are a sample, not a count"),
        "how samples are weighted"
    );
}

#[test]
fn rds_failover_alarms_without_a_region_failover() {
    let r = report_of(Scenario::RdsMultiAzFailover);
    assert_in_order(
        &r,
        &[
            (Category::Event, "T0"),
            (Category::Alarm, "BTS-RDS-Failover OK -> ALARM"),
            (Category::Runbook, "RB-08 FIRING"),
            (Category::Alarm, "BTS-RDS-Failover ALARM -> OK"),
            (Category::ReturnToNormal, "DECLARED"),
        ],
    );
    assert!(
        r.timeline
            .iter()
            .all(|e| !matches!(e.category, Category::Endpoint | Category::Dial))
    );
}

#[test]
fn alarm_latency_places_the_alarm_at_its_own_time() {
    let r = report_of(Scenario::AlarmLatency);
    assert_in_order(
        &r,
        &[
            (Category::Event, "T0"),
            (Category::Alarm, "alert OK -> ALARM"),
            (Category::Runbook, "RB-01 FIRING"),
            (Category::Alarm, "alert ALARM -> OK"),
            (Category::ReturnToNormal, "DECLARED"),
        ],
    );
    let alarm = r
        .timeline
        .iter()
        .find(|e| e.text.contains("alert OK -> ALARM"))
        .expect("alarm");
    assert_eq!(alarm.at, t(5 * 60 + 48));
}

fn op(at: chrono::DateTime<chrono::Utc>, action: OperatorAction) -> Event {
    Event {
        at,
        body: EventBody::Operator(OperatorEvent {
            who: "noc1".into(),
            user: None,
            post_mortem: false,
            action,
        }),
    }
}

/// The reference recording with operator actions added at their times.
fn with_actions(extra: Vec<Event>) -> Report {
    let (header, mut events) = recording(Scenario::ArmyDrop);
    events.extend(extra);
    events.sort_by_key(|e| e.at);
    report::build(&header, events, None).expect("report builds")
}

#[test]
fn response_times_run_from_fired_to_acknowledged_to_done_and_incidents_resolve() {
    let r = with_actions(vec![
        op(
            t(9 * 60 + 50),
            OperatorAction::RunbookAck {
                step: "RB-03".into(),
            },
        ),
        op(
            t(14 * 60),
            OperatorAction::RunbookDone {
                step: "RB-03".into(),
            },
        ),
        op(
            t(10 * 60),
            OperatorAction::IncidentOpen {
                id: "INC-1".into(),
                fields: IncidentFields {
                    title: Some("Seoul down".into()),
                    severity: Some(Severity::Critical),
                    ..IncidentFields::default()
                },
            },
        ),
        op(
            t(30 * 60),
            OperatorAction::IncidentUpdate {
                id: "INC-1".into(),
                version: None,
                fields: IncidentFields {
                    state: Some(IncidentState::Resolved),
                    ..IncidentFields::default()
                },
            },
        ),
    ]);
    let rb03 = r.steps.iter().find(|s| s.id == "RB-03").expect("RB-03");
    let fired = rb03.fired.expect("fired");
    let acked = rb03.acked.as_ref().expect("acked");
    let done = rb03.done.as_ref().expect("done");
    assert_eq!((acked.at - fired).num_seconds(), 45);
    assert_eq!(done.at, t(14 * 60));
    assert_eq!(acked.who, "noc1");
    // A step that never fired is listed as such.
    assert!(r.steps.iter().any(|s| s.id == "RB-08" && s.fired.is_none()));
    let inc = r
        .incidents
        .iter()
        .find(|i| i.id == "INC-1")
        .expect("incident");
    assert_eq!(inc.resolved, Some(t(30 * 60)));
    assert_eq!(inc.opened.at, t(10 * 60));
    assert!(
        r.shaded
            .iter()
            .any(|s| s.label == "incident INC-1" && s.to == t(30 * 60))
    );
    assert_in_order(
        &r,
        &[
            (Category::Runbook, "RB-03 FIRING"),
            // The one description of an operator action, after who did it.
            (Category::Operator, "noc1: RB-03 acknowledged"),
            (
                Category::Incident,
                "noc1: INC-1 opened (critical): Seoul down",
            ),
            (Category::Operator, "noc1: RB-03 done"),
            (Category::Incident, "noc1: INC-1 resolved"),
        ],
    );
    let md = report::markdown(&r);
    assert!(md.contains("| 45s |"), "fired-to-ack column");
    assert!(md.contains("Steps that never fired:"));
    // Opened at T+10m, resolved at T+30m: the impact ran from when the data went RED.
    let inc = r.incidents.first().expect("incident");
    assert_eq!(inc.impact_start, r.outages[0].from, "impact from the data");
    assert_eq!(inc.time_to_resolve(), Some(t(30 * 60) - r.outages[0].from));
}

#[test]
fn hostile_text_cannot_break_the_markdown() {
    let r = with_actions(vec![op(
        t(60),
        OperatorAction::Annotation {
            text: "<script>alert(1)</script> | [x](javascript:evil) *b*\n# heading\u{1b}[2J".into(),
        },
    )]);
    let md = report::markdown(&r);
    assert!(md.contains("\\<script>") && !md.contains(" <script>"));
    assert!(!md.contains(" [x](javascript"));
    assert!(!md.contains('\u{1b}'));
    let line = md
        .lines()
        .find(|l| l.contains("alert(1)") || l.contains(r"alert\(1\)"))
        .expect("the annotation row");
    assert!(line.starts_with('|') && line.ends_with('|'), "{line}");
    assert!(md.lines().all(|l| !l.starts_with("# heading")));
}

#[test]
fn the_report_is_a_pure_function_of_the_recording() {
    let (header, events) = recording(Scenario::StaleData);
    let a = report::build(&header, events.clone(), None).expect("a");
    let b = report::build(&header, events, None).expect("b");
    assert_eq!(report::markdown(&a), report::markdown(&b));
}

/// The report's incident table lists every outage (the data RED), whether or not the
/// room opened an incident, at the windows the simulator scripts: the reference's Seoul
/// collapse (web tier 5xx from T+9m18s, GA failover, recovered by T+20m) and the shared-DB
/// variant's (RDS at 100% from T+8m to T+38m, recovering by T+42m).
#[test]
fn the_incident_table_lists_the_scripted_outages() {
    let m = |min: i64| chrono::TimeDelta::minutes(min);
    for (scenario, starts, ends) in [
        (Scenario::ArmyDrop, (m(9), m(10)), (m(19), m(25))),
        (Scenario::SharedDb, (m(8), m(10)), (m(40), m(48))),
    ] {
        let r = report_of(scenario);
        assert_eq!(r.outages.len(), 1, "{scenario}: {:?}", r.outages);
        let o = &r.outages[0];
        let (from, to) = (o.from - r.t0, o.to - r.t0);
        assert!(
            from >= starts.0 && from <= starts.1,
            "{scenario}: outage starts T+{from}"
        );
        assert!(
            to >= ends.0 && to <= ends.1,
            "{scenario}: outage ends T+{to}"
        );
        let md = report::markdown(&r);
        assert!(
            md.contains("| Outage (data RED) | From | To | Length |"),
            "{scenario}"
        );
        assert!(md.contains("No incident was opened."), "{scenario}");
    }
}

#[test]
fn time_to_resolve_counts_from_the_impact_not_from_when_the_incident_was_typed_in() {
    let open = |impact: Option<DateTime<Utc>>| {
        op(
            t(14 * 60),
            OperatorAction::IncidentOpen {
                id: "INC-1".into(),
                fields: IncidentFields {
                    title: Some("Seoul down".into()),
                    severity: Some(Severity::Critical),
                    impact_start: impact,
                    ..IncidentFields::default()
                },
            },
        )
    };
    let resolve = op(
        t(30 * 60),
        OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: None,
            fields: IncidentFields {
                state: Some(IncidentState::Resolved),
                cause: Some("php-fpm pool exhausted".into()),
                ..IncidentFields::default()
            },
        },
    );
    let r = with_actions(vec![open(Some(t(9 * 60))), resolve.clone()]);
    let inc = r.incidents.first().expect("incident");
    assert_eq!(inc.opened.at, t(14 * 60));
    assert_eq!(inc.impact_start, t(9 * 60));
    assert_eq!(inc.time_to_resolve(), Some(TimeDelta::minutes(21)));
    let md = report::markdown(&r);
    assert!(md.contains("| 21m |"), "{md}");
    // Without an impact time, the impact starts when the data went RED around the opening
    // (not at the opening, not at a step's firing).
    let r = with_actions(vec![open(None), resolve]);
    let inc = r.incidents.first().expect("incident");
    let red = r
        .outages
        .iter()
        .find(|p| p.from <= inc.opened.at && inc.opened.at <= p.to)
        .expect("the data RED at the opening");
    assert_eq!(inc.impact_start, red.from);
    assert_eq!(inc.time_to_resolve(), Some(t(30 * 60) - red.from));
}

/// Whether a cell of the markdown holds a negative duration (`-7m9s`).
fn negative_cell(md: &str) -> bool {
    md.split('|').any(|c| {
        let c = c.trim();
        c.starts_with('-') && c[1..].starts_with(|d: char| d.is_ascii_digit())
    })
}

#[test]
fn an_ack_made_before_a_firing_does_not_answer_it_and_no_response_time_is_negative() {
    // RB-03 fires at T+9:05; the ack at T+5m was made while it was not firing.
    let r = with_actions(vec![op(
        t(5 * 60),
        OperatorAction::RunbookAck {
            step: "RB-03".into(),
        },
    )]);
    let rb03 = r.steps.iter().find(|s| s.id == "RB-03").expect("RB-03");
    let first = rb03.firings.first().expect("a firing");
    assert!(first.at > t(5 * 60));
    assert!(first.acked.is_none(), "{first:?}");
    assert_eq!(first.earlier.as_ref().map(|a| a.mark.at), Some(t(5 * 60)));
    let md = report::markdown(&r);
    assert!(!negative_cell(&md), "a negative response time:\n{md}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| RB-03"))
        .expect("RB-03's row");
    assert!(
        row.contains("never (acked") && row.contains("before this firing"),
        "{row}"
    );
}
