//! Health, WAF, alarm and log rows formatted from observation types.

use chrono::{DateTime, Utc};
use warroom_core::model::{
    AlarmInfo, AlarmKind, AlarmState, GaEndpoint, GaHealth, LogLine, Status, TargetHealthSnapshot,
    TargetInfo, TargetState, WafRequest, WafSampleBatch,
};
use warroom_tui::rows;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

fn endpoints(health: &[GaHealth]) -> Vec<GaEndpoint> {
    health
        .iter()
        .map(|&h| GaEndpoint {
            id: "arn:alb".into(),
            weight: 128,
            health: h,
        })
        .collect()
}

fn group<'a>(region: &'a str, dial: f64, endpoints: &'a [GaEndpoint]) -> rows::GaGroupRow<'a> {
    rows::GaGroupRow {
        region,
        endpoint: if region == "ap-northeast-2" {
            "BTS-ALB"
        } else {
            "WEB-ALB"
        },
        dial,
        expected_dial: 100.0,
        endpoints,
        share: None,
    }
}

#[test]
fn ga_groups() {
    let healthy = endpoints(&[GaHealth::Healthy]);
    let r = rows::ga_group(&rows::GaGroupRow {
        share: Some(82.4),
        ..group("ap-northeast-2", 100.0, &healthy)
    });
    assert_eq!(
        r.text,
        "ap-northeast-2  BTS-ALB  HEALTHY   dial 100 w128  share 82%"
    );
    assert_eq!(r.status, Some(Status::Green));
    // A dial that is not the expected one is a manual override: yellow.
    assert_eq!(
        rows::ga_group(&group("us-east-1", 0.0, &healthy)).status,
        Some(Status::Yellow)
    );
    let mixed = endpoints(&[GaHealth::Healthy, GaHealth::Unhealthy]);
    let r = rows::ga_group(&group("us-east-1", 100.0, &mixed));
    assert_eq!(r.status, Some(Status::Red));
    assert!(r.text.contains("UNHEALTHY"), "{}", r.text);
    let r = rows::ga_group(&group("us-east-1", 100.0, &[]));
    assert_eq!(r.status, Some(Status::Unknown));
    assert!(r.text.contains("NO ENDPOINT"), "{}", r.text);
}

fn target(id: &str, state: TargetState, reason: Option<&str>) -> TargetInfo {
    TargetInfo {
        id: id.into(),
        port: Some(80),
        az: Some("ap-northeast-2c".into()),
        state,
        reason: reason.map(String::from),
        description: None,
    }
}

#[test]
fn target_summary_and_non_healthy_targets() {
    let s = TargetHealthSnapshot {
        target_group: "seoul.tg".into(),
        targets: vec![
            target("i-0a", TargetState::Healthy, None),
            target("i-0b", TargetState::Unhealthy, Some("Target.Timeout")),
            target(
                "i-0c",
                TargetState::Initial,
                Some("Elb.InitialHealthChecking"),
            ),
        ],
    };
    let r = rows::targets(&s.targets, 5);
    let texts: Vec<&str> = r.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "targets healthy 1/3  unhealthy 1  initial 1",
            "i-0b (2c) unhealthy Target.Timeout",
            "i-0c (2c) initial Elb.InitialHealthChecking",
        ]
    );
    assert_eq!(r[0].status, Some(Status::Red));
    assert_eq!(r[2].status, Some(Status::Yellow));
    assert_eq!(rows::targets(&s.targets, 1).len(), 2);
}

fn req(ip: &str, country: &str, rule: Option<&str>, action: &str, weight: u64) -> WafRequest {
    WafRequest {
        ts: at("2026-06-13T11:05:00Z"),
        client_ip: ip.into(),
        country: Some(country.into()),
        method: "GET".into(),
        uri: "/".into(),
        rule: rule.map(String::from),
        action: action.into(),
        weight,
        headers: Vec::new(),
    }
}

#[test]
fn waf_top_rules_and_clients_among_blocked() {
    let b = WafSampleBatch {
        acl: "seoul.waf".into(),
        start: at("2026-06-13T11:04:00Z"),
        end: at("2026-06-13T11:05:00Z"),
        population: 1000,
        requests: vec![
            req("203.0.113.7", "KR", Some("BTS-RateLimit-PerIP"), "BLOCK", 6),
            req("198.51.100.2", "US", Some("BTS-SQLiRuleSet"), "BLOCK", 2),
            req("203.0.113.7", "KR", Some("BTS-RateLimit-PerIP"), "BLOCK", 2),
            req("192.0.2.1", "JP", None, "ALLOW", 50),
        ],
    };
    let r = rows::waf_top(&b.requests, 2);
    assert_eq!(
        r[0].text,
        "top rules: BTS-RateLimit-PerIP 80%, BTS-SQLiRuleSet 20%"
    );
    assert_eq!(
        r[1].text,
        "top clients: 203.0.113.7 (KR) 80%, 198.51.100.2 (US) 20%"
    );
}

#[test]
fn alarms_and_log_lines_in_the_event_zone() {
    let a = AlarmInfo {
        name: "alert".into(),
        kind: AlarmKind::Metric,
        state: AlarmState::Alarm,
        reason: Some("Threshold Crossed\x1b[2J".into()),
        updated: at("2026-06-13T11:07:10Z"),
    };
    let r = rows::alarm(&a, chrono_tz::Asia::Seoul);
    assert_eq!(
        r.text, "20:07:10 ALARM alert: Threshold Crossed\x1b[2J",
        "raw: the widget sanitises"
    );
    assert_eq!(r.status, Some(Status::Red));
    let l = LogLine {
        ts: at("2026-06-13T11:07:31Z"),
        stream: None,
        message: "[error] timeout".into(),
    };
    assert_eq!(
        rows::log_line(&l, chrono_tz::Asia::Seoul).text,
        "20:07:31 [error] timeout"
    );
}
