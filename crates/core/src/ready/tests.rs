//! Unit tests of the readiness checks, the after-event list and the renderings, on hand-written
//! facts and a small layout with a `[readiness]` section.

use chrono::{TimeZone, Utc};

use super::facts::*;
use super::*;
use crate::model::EmbeddedFile;

fn layout(readiness: &str) -> Layout {
    let text = format!(
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
    );
    crate::config::load_texts(
        &EmbeddedFile {
            path: "t.toml".into(),
            text,
        },
        None,
    )
    .expect("layout")
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
