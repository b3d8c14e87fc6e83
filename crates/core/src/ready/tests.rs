//! Unit tests of the readiness checks, the after-event list and the renderings, on hand-written
//! facts and a small layout with a `[readiness]` section.

use chrono::{TimeZone, Utc};

use super::facts::*;
use super::*;
use crate::model::EmbeddedFile;

fn layout(readiness: &str) -> Layout {
    crate::config::load_texts(
        &EmbeddedFile {
            path: "t.toml".into(),
            text: layout_text(readiness),
        },
        None,
    )
    .expect("layout")
}

fn layout_text(readiness: &str) -> String {
    format!(
        r#"
[event]
name = "Drop"
start = "2026-06-13T20:00:00+09:00"
end = "2026-06-13T23:00:00+09:00"

[[series]]
id = "web.requests"
region = "ap-northeast-2"
namespace = "AWS/ApplicationELB"
metric = "RequestCount"
dimensions = {{ LoadBalancer = "app/BTS-ALB/1" }}
stat = "Sum"
baseline = 2000

[[series]]
id = "web.unhealthy"
region = "ap-northeast-2"
namespace = "AWS/ApplicationELB"
metric = "UnHealthyHostCount"
dimensions = {{ TargetGroup = "targetgroup/BTS-tg/1", LoadBalancer = "app/BTS-ALB/1" }}
stat = "Maximum"
threshold = {{ crit = 0 }}

[[series]]
id = "db.cpu"
region = "ap-northeast-2"
namespace = "AWS/RDS"
metric = "CPUUtilization"
dimensions = {{ DBInstanceIdentifier = "db" }}
stat = "Average"
threshold = {{ warn = 60, crit = 80 }}

[[target_group]]
id = "web.tg"
name = "BTS-tg"
load_balancer = "BTS-ALB"
region = "ap-northeast-2"

[[web_acl]]
id = "web.waf"
name = "acl"
scope = "REGIONAL"
region = "ap-northeast-2"

[readiness]
{readiness}
"#
    )
}

const TIERS: &str = r#"
peak_multiple = 10
ramp = "2m"
peak_requests_per_ip = 200
dns_names = ["www.example.com"]
[[readiness.tier]]
id = "web"
kind = "asg"
name = "BTS-AS"
region = "ap-northeast-2"
capacity = 10
normal = 2
normal_max = 4
[[readiness.tier]]
id = "db"
kind = "rds"
name = "db"
region = "ap-northeast-2"
capacity = 45
max_connections = 66
"#;

fn asg(max: f64) -> AsgFact {
    AsgFact {
        name: "BTS-AS".into(),
        region: "ap-northeast-2".into(),
        min: 2.0,
        max,
        desired: 2.0,
        health_check_type: "EC2".into(),
        zones: vec!["ap-northeast-2a".into(), "ap-northeast-2c".into()],
        warmup: Some(300),
        instance_types: vec!["t2.micro".into()],
        enabled_metrics: Vec::new(),
        credit_balance: Some(144.0),
    }
}

fn facts() -> Facts {
    Facts {
        quotas: vec![QuotaFact {
            quota: "ec2_vcpu".into(),
            region: "ap-northeast-2".into(),
            value: Some(16.0),
            default: Some(16.0),
            usage: Some(6.0),
            error: None,
        }],
        asgs: vec![asg(4.0)],
        target_groups: vec![TargetGroupFact {
            name: "BTS-tg".into(),
            region: "ap-northeast-2".into(),
            interval: 30,
            timeout: 5,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            path: "/".into(),
        }],
        alarms: vec![AlarmFact {
            name: "unhealthy".into(),
            region: "ap-northeast-2".into(),
            namespace: "AWS/ApplicationELB".into(),
            metric: "UnHealthyHostCount".into(),
            dimensions: vec![
                ("LoadBalancer".into(), "app/BTS-ALB/1".into()),
                ("TargetGroup".into(), "targetgroup/BTS-tg/1".into()),
            ],
            state: "INSUFFICIENT_DATA".into(),
            actions: 1,
        }],
        records: vec![RecordFact {
            name: "www.example.com".into(),
            kind: "CNAME".into(),
            ttl: Some(300),
            alias: false,
        }],
        rds: vec![RdsFact {
            id: "db".into(),
            region: "ap-northeast-2".into(),
            class: "db.t3.micro".into(),
            multi_az: true,
            backup_retention_days: 0,
            replica_of: None,
        }],
        web_acls: vec![WebAclFact {
            name: "acl".into(),
            region: "ap-northeast-2".into(),
            capacity: Some(700),
            rules: vec![WafRuleFact {
                name: "rate".into(),
                count_mode: true,
                rate_limit: Some((300, 300)),
            }],
        }],
        ..Facts::default()
    }
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 12, 0, 0, 0)
        .single()
        .expect("time")
}

fn status(r: &ReadinessReport, id: &str) -> Status {
    r.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}: {:#?}", r.checks))
        .status
}

#[test]
fn asg_max_below_the_peak_is_red_and_the_rest_is_judged() {
    let l = layout(TIERS);
    let r = evaluate(&l, &facts(), at());
    assert_eq!(status(&r, "scaling.asg.BTS-AS"), Status::Red);
    assert_eq!(status(&r, "scaling.asg.BTS-AS.health"), Status::Yellow);
    assert_eq!(status(&r, "scaling.asg.BTS-AS.zones"), Status::Green);
    assert_eq!(status(&r, "scaling.asg.BTS-AS.warmup"), Status::Yellow);
    // 6 vCPUs now + 8 t2.micro to launch = 14 of 16: red at the peak.
    let vcpu = r
        .checks
        .iter()
        .find(|c| c.id == "limits.ec2_vcpu.ap-northeast-2");
    let vcpu = vcpu.expect("vcpu");
    assert_eq!(vcpu.status, Status::Red);
    assert!(
        vcpu.number.contains("14 at the peak (88%)"),
        "{}",
        vcpu.number
    );
    assert_eq!(status(&r, "failover.tg.BTS-tg"), Status::Green);
    assert_eq!(status(&r, "alarms.coverage.web.unhealthy"), Status::Green);
    assert_eq!(status(&r, "alarms.coverage.db.cpu"), Status::Red);
    assert_eq!(status(&r, "alarms.state.unhealthy"), Status::Yellow);
    assert_eq!(status(&r, "dns.ttl.www.example.com"), Status::Yellow);
    assert_eq!(status(&r, "data.rds.db.multi_az"), Status::Green);
    assert_eq!(status(&r, "data.rds.db.backups"), Status::Red);
    assert_eq!(status(&r, "data.rds.db.connections"), Status::Yellow);
    assert_eq!(status(&r, "waf.count.acl"), Status::Yellow);
    // 300 per 300 s = 60/min < 200/min per IP.
    assert_eq!(status(&r, "waf.rate.acl.rate"), Status::Red);
    assert_eq!(r.overall(), Status::Red);
    assert!(r.peak.contains("20,000 requests/min"), "{}", r.peak);
}

#[test]
fn headroom_skips_and_gaps() {
    let l = layout(&format!("skip = [\"waf\", \"limits\"]\n{TIERS}"));
    let mut f = facts();
    f.asgs = vec![asg(12.0)];
    f.gaps.push(Gap {
        prefix: "failover.tg.BTS-tg".into(),
        detail: "AccessDenied".into(),
    });
    let r = evaluate(&l, &f, at());
    assert_eq!(status(&r, "scaling.asg.BTS-AS"), Status::Green);
    assert!(r.checks.iter().all(|c| !c.id.starts_with("waf.")));
    assert!(r.skipped.iter().any(|s| s == "waf.count.acl"));
    let fo = r.checks.iter().find(|c| c.id == "failover.tg.BTS-tg");
    let fo = fo.expect("failover");
    assert_eq!(fo.status, Status::Yellow);
    assert!(fo.number.starts_with("not checked: AccessDenied"));
}

#[test]
fn after_the_event_lists_what_is_left_raised_with_its_cost() {
    let l = layout(TIERS);
    let mut f = facts();
    let mut a = asg(12.0);
    a.desired = 8.0;
    a.min = 6.0;
    f.asgs = vec![a];
    f.quotas[0].value = Some(64.0);
    let r = evaluate_after(&l, &f, at());
    let whats: Vec<&str> = r.leftovers.iter().map(|x| x.what.as_str()).collect();
    assert_eq!(
        whats,
        [
            "quota EC2 On-Demand vCPUs",
            "ASG BTS-AS desired",
            "ASG BTS-AS max"
        ]
    );
    // 6 extra t2.micro at $0.0116/h.
    let cost = r.leftover_cost_per_day();
    assert!((cost - 6.0 * 0.0116 * 24.0).abs() < 1e-9, "{cost}");
    let text = render::text(&r);
    assert!(text.contains("$1.67 per day if left"), "{text}");
    // Nothing left raised costs nothing, not `$-0.00`.
    let mut none = r.clone();
    none.leftovers.clear();
    assert_eq!(none.leftover_cost_per_day().to_string(), "0");
    let text = render::text(&none);
    assert!(text.contains("$0.00 per day"), "{text}");
    assert!(!text.contains("$-0.00"), "{text}");
}

#[test]
fn renderings_sanitise_and_escape() {
    let l = layout(TIERS);
    let mut f = facts();
    f.asgs = vec![asg(4.0)];
    f.records[0].kind = "CNAME\u{1b}[31m".into();
    let r = evaluate(&l, &f, at());
    let text = render::text(&r);
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("Scaling headroom"), "{text}");
    assert!(
        text.contains("RED    ASG BTS-AS (ap-northeast-2) max: max 4 < 10 needed at the peak"),
        "{text}"
    );
    let md = render::markdown(&r);
    assert!(md.contains("## Service limits"), "{md}");
    assert!(!md.contains('\u{1b}'));
    let js = render::json(&r);
    let back: ReadinessReport = serde_json::from_str(&js).expect("json");
    assert_eq!(back, r);
}

#[test]
fn numbers_read_like_people_write_them() {
    assert_eq!(num(20_000.0), "20,000");
    assert_eq!(num(2.5), "2.5");
    assert_eq!(num(-1234.0), "-1,234");
    assert_eq!(num(0.25), "0.25");
}

#[test]
fn the_readiness_event_round_trips_through_the_log() {
    let l = layout(TIERS);
    let r = evaluate(&l, &facts(), at());
    let e = crate::model::Event {
        at: at(),
        body: crate::model::EventBody::Readiness(r.clone()),
    };
    let line = serde_json::to_string(&e).expect("json");
    assert!(line.contains("\"kind\":\"readiness\""), "{line}");
    let back: crate::model::Event = serde_json::from_str(&line).expect("read back");
    assert_eq!(back, e);
}

fn number<'a>(r: &'a ReadinessReport, id: &str) -> &'a str {
    r.checks
        .iter()
        .find(|c| c.id == id)
        .map_or("", |c| c.number.as_str())
}

const SHARED: &str = r#"
peak_multiple = 10
[[readiness.tier]]
id = "seoul.web"
kind = "asg"
name = "BTS-AS"
region = "ap-northeast-2"
capacity = 10
uses = { db = 4 }
[[readiness.tier]]
id = "virginia.web"
kind = "ecs"
cluster = "C"
name = "service"
region = "us-east-1"
capacity = 6
uses = { db = 4 }
[[readiness.tier]]
id = "db"
kind = "rds"
name = "db"
region = "ap-northeast-2"
max_connections = 66
"#;

#[test]
fn burstable_standard_instances_that_run_out_before_the_event_ends_are_red() {
    let l = layout(SHARED);
    let r = evaluate(&l, &facts(), at());
    assert_eq!(status(&r, "scaling.asg.BTS-AS.credits"), Status::Red);
    assert_eq!(
        number(&r, "scaling.asg.BTS-AS.credits"),
        "t2.micro, standard credit mode (the family's default): at 75% CPU an instance spends 45 credits/h and earns 6; the 2 running hold 144 (3.6 h), the 8 launched for the peak start with 30 (46 min); the event lasts 3 h"
    );
    // Unlimited (as the tier says), or a type that is not burstable: no credit to run out of.
    let l = layout(&SHARED.replace(
        "uses = { db = 4 }\n[[readiness.tier]]\nid = \"virginia.web\"",
        "credit_mode = \"unlimited\"\nuses = { db = 4 }\n[[readiness.tier]]\nid = \"virginia.web\"",
    ));
    let r = evaluate(&l, &facts(), at());
    assert_eq!(status(&r, "scaling.asg.BTS-AS.credits"), Status::Green);
    let mut f = facts();
    f.asgs[0].instance_types = vec!["m5.large".into()];
    let r = evaluate(&layout(SHARED), &f, at());
    assert!(
        r.checks
            .iter()
            .all(|c| c.id != "scaling.asg.BTS-AS.credits")
    );
}

#[test]
fn group_metrics_off_are_red_when_the_layout_reads_them() {
    let mut l = layout(SHARED);
    let r = evaluate(&l, &facts(), at());
    assert_eq!(status(&r, "scaling.asg.BTS-AS.metrics"), Status::Yellow);
    l.series.push(crate::config::layout::Series {
        id: "asg.in_service".into(),
        source: crate::config::layout::SeriesSource::Metric(crate::config::layout::MetricQuery {
            namespace: "AWS/AutoScaling".into(),
            metric: "GroupInServiceInstances".into(),
            dimensions: vec![("AutoScalingGroupName".into(), "BTS-AS".into())],
            stat: "Maximum".into(),
            period: 60,
        }),
        ..l.series[0].clone()
    });
    let r = evaluate(&l, &facts(), at());
    assert_eq!(status(&r, "scaling.asg.BTS-AS.metrics"), Status::Red);
    assert_eq!(
        number(&r, "scaling.asg.BTS-AS.metrics"),
        "group metrics off: the layout reads GroupInServiceInstances from them"
    );
    let mut f = facts();
    f.asgs[0].enabled_metrics = vec!["GroupInServiceInstances".into()];
    let r = evaluate(&l, &f, at());
    assert_eq!(status(&r, "scaling.asg.BTS-AS.metrics"), Status::Green);
}

#[test]
fn a_shared_database_counts_the_connections_every_tier_brings() {
    let r = evaluate(&layout(SHARED), &facts(), at());
    assert_eq!(status(&r, "data.rds.db.connections"), Status::Red);
    assert_eq!(
        number(&r, "data.rds.db.connections"),
        "64 connections at the peak of max_connections 66 (97%): seoul.web 10 x 4, virginia.web 6 x 4 from us-east-1"
    );
}

#[test]
fn an_accelerator_port_an_endpoint_does_not_listen_on_is_red() {
    let mut f = facts();
    let arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/WEB-ALB/8e";
    f.ga_groups.push(GaGroupFact {
        accelerator: "AGA".into(),
        region: "us-east-1".into(),
        interval: 30,
        threshold: 3,
        alb_endpoints: true,
        ports: vec![(443, 443)],
        endpoints: vec![arn.into()],
    });
    f.albs.push(AlbFact {
        arn: arn.into(),
        name: "WEB-ALB".into(),
        region: "us-east-1".into(),
        listeners: vec![(80, "HTTP".into())],
    });
    let c = check_failover::ga_ports(&f, "AGA", "us-east-1").expect("a check");
    assert_eq!(c.status, Status::Red);
    assert_eq!(
        c.number,
        "the accelerator listens on 443; WEB-ALB has no listener on 443 (listeners: HTTP:80)"
    );
    f.albs[0].listeners.push((443, "HTTPS".into()));
    let c = check_failover::ga_ports(&f, "AGA", "us-east-1").expect("a check");
    assert_eq!(c.status, Status::Green);
}

const RUNBOOK: &str = "# Drop\n\n## Pre-event checklist\n\n- [ ] T-24h: raise the ASG max\n- [x] T-2h: dials 100/100\n- [ ] T+1h: post-mortem booked\n\n## Steps\n\n### RB-01: DB slow\n\n- when: `web.unhealthy > 0`\n- owner: DBA on-call\n\nLook.\n\n### RB-02: Web down\n\n- when: `web.unhealthy > 1`\n- owner: Web on-call\n\nLook.\n\n### RB-03: DB down\n\n- when: `web.unhealthy > 2`\n- owner: DBA on-call\n\nLook.\n";

#[test]
fn owners_without_a_contact_and_open_checklist_items_are_listed() {
    let l = crate::config::load_texts(
        &EmbeddedFile {
            path: "t.toml".into(),
            text: layout_text(SHARED),
        },
        Some(&EmbeddedFile {
            path: "rb.md".into(),
            text: RUNBOOK.into(),
        }),
    );
    let mut l = l.expect("layout");
    l.event.contacts = vec![
        crate::config::layout::Contact {
            role: "Web on-call".into(),
            name: None,
            phone: None,
            email: Some("web@example.com".into()),
        },
        crate::config::layout::Contact {
            role: "DBA on-call".into(),
            name: Some("someone".into()),
            phone: None,
            email: None,
        },
    ];
    // Two hours before the event: the T-24h item is past its time, the T+1h one is not.
    let r = evaluate(&l, &facts(), l.event.start - chrono::TimeDelta::hours(2));
    assert_eq!(status(&r, "people.owners.web-on-call"), Status::Green);
    assert_eq!(status(&r, "people.owners.dba-on-call"), Status::Red);
    assert_eq!(
        number(&r, "people.owners.dba-on-call"),
        "DBA on-call: RB-01, RB-03, with no contact (no phone or e-mail for the role)"
    );
    assert_eq!(status(&r, "people.checklist"), Status::Red);
    assert_eq!(
        number(&r, "people.checklist"),
        "2 of 3 items open, 1 past their time: T-24h: raise the ASG max; T+1h: post-mortem booked"
    );
}

/// A serverless layout: the report says what it did not check and what to check by hand, in
/// text, Markdown and JSON; no red is never "all checked".
#[test]
fn what_ready_does_not_check_is_listed() {
    let l = crate::config::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../layouts/serverless-sale.toml"
    )))
    .expect("the serverless layout");
    let r = evaluate(&l, &Facts::default(), at());
    assert_eq!(r.unchecked.len(), 4, "{:#?}", r.unchecked);
    let text = render::text(&r);
    assert!(
        text.contains("Not checked:\n  - Lambda (flash-checkout"),
        "{text}"
    );
    let md = render::markdown(&r);
    assert!(md.contains("## Not checked\n\n- Lambda"), "{md}");
    assert!(render::json(&r).contains("\"unchecked\""));
}
