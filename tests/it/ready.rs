//! `warroom ready` end to end: the reference layout against the in-process simulator endpoint
//! (the real SDK clients over the real wire protocols: the ASG max of 4 against the drop's 10
//! is red, and every other check as the HYBRID-BTS world has it; after the event, what is left
//! raised), and a seeded workload in moto (Auto Scaling, RDS, Route 53, ECS, ElastiCache,
//! ELBv2, WAFv2; Service Quotas only serves VPC quotas there and CloudWatch needs CBOR, so
//! those checks must come out "not checked") with some checks failing and others passing.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::TimeDelta;
use warroom_aws::ready_aws::{self, ReadyClients};
use warroom_core::clock::Clock;
use warroom_core::model::readiness::ReadinessReport;
use warroom_core::model::{EventBody, Status};
use warroom_core::record::Reader;
use warroom_core::source::{SourceId, SourceKind};
use warroom_sim::serve::Faults;

use crate::simserve_common;
use crate::support::emulators::{self, Emulator};

fn statuses(r: &ReadinessReport) -> BTreeMap<String, Status> {
    r.checks.iter().map(|c| (c.id.clone(), c.status)).collect()
}

fn number<'a>(r: &'a ReadinessReport, id: &str) -> &'a str {
    r.checks
        .iter()
        .find(|c| c.id == id)
        .map_or("", |c| c.number.as_str())
}

async fn sim_report(at: TimeDelta, after: bool) -> ReadinessReport {
    let layout = simserve_common::reference_layout();
    let t = layout.event.start + at;
    let server = simserve_common::server(&layout, Clock::starting_at(t), Faults::default()).await;
    let conf = simserve_common::sdk_config(
        &server.endpoint_url(),
        "us-east-1",
        Duration::from_secs(5),
        Duration::from_secs(10),
        false,
    )
    .await;
    let clients = ReadyClients::from_sdk_config(&conf, &ready_aws::regions(&layout));
    let report = ready_aws::report(&layout, &clients, t, after).await;
    server.shutdown().await;
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_event_two_hours_before_the_drop_has_its_asg_red() {
    let r = sim_report(TimeDelta::hours(-2), false).await;
    let s = statuses(&r);
    let red: Vec<&str> = s
        .iter()
        .filter(|(_, v)| **v == Status::Red)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        red,
        [
            "alarms.coverage.seoul.unhealthy_hosts",
            "data.rds.bts-rds-db.connections",
            "failover.ga.BTS-AGA.us-east-1.ports",
            "people.checklist",
            "people.owners.dba-on-call",
            "people.owners.security-on-call",
            "scaling.asg.BTS-AS",
            "scaling.asg.BTS-AS.credits",
            "scaling.asg.BTS-AS.metrics",
            "scaling.ecs.WEB-BTS-CLUSTER.service",
        ],
        "{r:#?}"
    );
    // What a lead's readiness review caught and the first checks missed, each with its number.
    assert_eq!(
        number(&r, "scaling.asg.BTS-AS.credits"),
        "t2.micro, standard credit mode (the family's default): at 75% CPU an instance spends 45 credits/h and earns 6; the 2 running hold 147 (3.7 h), the 8 launched for the peak start with 30 (46 min); the event lasts 3 h"
    );
    assert_eq!(
        number(&r, "scaling.asg.BTS-AS.metrics"),
        "group metrics off: the layout reads GroupDesiredCapacity, GroupInServiceInstances, GroupMaxSize from them"
    );
    assert_eq!(
        number(&r, "failover.ga.BTS-AGA.us-east-1.ports"),
        "the accelerator listens on 443; WEB-ALB has no listener on 443 (listeners: HTTP:80)"
    );
    assert_eq!(
        number(&r, "failover.ga.BTS-AGA.ap-northeast-2.ports"),
        "the accelerator listens on 443; BTS-ALB listens on it"
    );
    assert_eq!(
        number(&r, "data.rds.bts-rds-db.connections"),
        "64 connections at the peak of max_connections 66 (97%): seoul.web 10 x 4, virginia.web 6 x 4 from us-east-1"
    );
    assert_eq!(
        number(&r, "people.owners.dba-on-call"),
        "DBA on-call: RB-07, RB-08, RB-11, with no contact (no phone or e-mail for the role)"
    );
    assert_eq!(
        number(&r, "people.owners.security-on-call"),
        "Security on-call: RB-10, with no contact (no phone or e-mail for the role)"
    );
    assert!(
        number(&r, "people.checklist").starts_with(
            "12 of 12 items open, 9 past their time: T-24h: change freeze; snapshot GA dials"
        ),
        "{}",
        number(&r, "people.checklist")
    );
    assert_eq!(
        number(&r, "scaling.asg.BTS-AS"),
        "max 4 < 10 needed at the peak; min 2 / desired 2"
    );
    let yellow: Vec<&str> = s
        .iter()
        .filter(|(_, v)| **v == Status::Yellow)
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        yellow,
        [
            "dns.ttl.kr.hybridbts.com",
            "failover.ga.BTS-AGA.us-east-1",
            "failover.tg.WEB-tg",
            "scaling.asg.BTS-AS.health",
            "scaling.asg.BTS-AS.warmup",
            "waf.rate.BTS-CloudFront-WebACL",
            "waf.rate.BTS-WebACL-Seoul-ALB.BTS-RateLimit-PerIP",
            "waf.rate.BTS-WebACL-Virginia-ALB.BTS-RateLimit-PerIP",
        ]
    );
    // The Virginia ACL's rate rule blocks, as the world's WAF metrics count (one world).
    assert_eq!(
        s.get("waf.count.BTS-WebACL-Virginia-ALB"),
        Some(&Status::Green)
    );
    assert_eq!(r.count(Status::Green), 28, "{r:#?}");
    // Quota usage came from GetMetricData with SERVICE_QUOTA(), the counts from the lists.
    assert_eq!(
        number(&r, "limits.ec2_vcpu.ap-northeast-2"),
        "6 of 64 in use now (9%), 14 at the peak (22%)"
    );
    assert_eq!(
        number(&r, "limits.alb.us-east-1"),
        "1 of 50 in use (2%), the same at the peak"
    );
    assert_eq!(
        number(&r, "failover.tg.BTS-tg"),
        "an unhealthy target is noticed after 60 s (2 x 30 s checks), back in service after 150 s; tolerance 90 s"
    );
    assert_eq!(
        number(&r, "dns.ttl.www.hybridbts.com"),
        "A alias: answers carry the target's TTL"
    );
    assert!(r.peak.starts_with("10x baseline: 20,000 requests/min"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_scheduled_scale_out_the_asg_has_headroom() {
    let r = sim_report(TimeDelta::minutes(-5), false).await;
    let s = statuses(&r);
    assert_eq!(s["scaling.asg.BTS-AS"], Status::Green);
    assert_eq!(
        number(&r, "scaling.asg.BTS-AS"),
        "max 12 for 10 needed at the peak (headroom 2); min 6 / desired 8"
    );
    // The scheduled action turned group metrics on with the scale-out.
    assert_eq!(s["scaling.asg.BTS-AS.metrics"], Status::Green);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_event_the_raised_quota_and_ecs_hosts_are_listed_with_their_cost() {
    let r = sim_report(TimeDelta::hours(4), true).await;
    let what: Vec<(&str, f64, f64)> = r
        .leftovers
        .iter()
        .map(|l| (l.what.as_str(), l.now, l.normal))
        .collect();
    assert_eq!(
        what,
        [
            ("quota EC2 On-Demand vCPUs", 64.0, 32.0),
            ("ECS WEB-BTS-CLUSTER/service tasks", 6.0, 2.0),
        ]
    );
    assert!((r.leftover_cost_per_day() - 4.0 * 0.0116 * 24.0).abs() < 1e-9);
}

/// `warroom collect` of the reference layout in game-day mode against the endpoint two hours
/// before the drop: the session's journal records the readiness report as its first batch,
/// before any poll (so the room's screens and the post-mortem report have it), and stderr says
/// what was red.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_records_the_readiness_report_as_the_journals_first_batch() {
    let layout = simserve_common::reference_layout();
    let t = layout.event.start - TimeDelta::hours(2);
    let server = simserve_common::server(&layout, Clock::starting_at(t), Faults::default()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("live.jsonl");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["collect", &layout.path, "--record"])
        .arg(&record)
        .current_dir(dir.path())
        .env("WARROOM_LOG_FILE", dir.path().join("warroom.log"))
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in server.env() {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("start warroom collect");
    // Wait (bounded) for the first poll after the report.
    let deadline = std::time::Instant::now() + Duration::from_mins(1);
    let kinds = loop {
        let kinds: Vec<String> = Reader::open(&record)
            .map(|(_, r)| r.map(|e| e.body.kind().to_string()).collect())
            .unwrap_or_default();
        if kinds.len() > 1 || std::time::Instant::now() > deadline {
            break kinds;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    server.shutdown().await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(kinds.len() > 1, "{kinds:?}\n{stderr}");
    assert_eq!(kinds[0], "readiness", "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "readiness").count(), 1);
    let (_, mut reader) = Reader::open(&record).expect("valid recording");
    let first = reader.next().expect("an event");
    let EventBody::Readiness(r) = first.body else {
        panic!("not the readiness report: {first:?}");
    };
    assert_eq!(statuses(&r)["scaling.asg.BTS-AS"], Status::Red);
    assert!(
        stderr.contains("warroom collect: readiness at start: RED (10 red"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_usage_is_polled_live_as_percent_of_the_quota() {
    let layout = warroom_core::testing::quota_layout();
    let series = layout.series_by_id("quota.ec2_vcpu").expect("quota series");
    assert_eq!(series.period(), 300);
    // The metrics poller leaves it to the quota source, which the budget counts.
    let plan = warroom_core::metric_window::plan(&layout);
    assert_eq!(plan["ap-northeast-2"].series, ["seoul.cpu"]);
    let budget = warroom_aws::sources::budget::calls_per_minute(&layout);
    let quota_calls = budget
        .ops
        .iter()
        .find(|o| o.op == "GetMetricData (quotas)")
        .map(|o| o.per_minute);
    assert_eq!(quota_calls, Some(0.2));
    let sources = warroom_core::source::layout_sources(&layout);
    assert_eq!(
        sources,
        [
            SourceId::metrics("ap-northeast-2"),
            SourceId::new(SourceKind::Quotas, "ap-northeast-2"),
        ]
    );
    assert_eq!(sources[1].to_string(), "quotas:ap-northeast-2");
    assert_eq!(sources[1].kind.period(), Duration::from_mins(5));

    let reference = simserve_common::reference_layout();
    let t = reference.event.start - TimeDelta::hours(2);
    let server =
        simserve_common::server(&reference, Clock::starting_at(t), Faults::default()).await;
    let clients = simserve_common::clients(&server.endpoint_url(), &layout).await;
    let q = &warroom_core::metric_window::quota_plan(&layout)["ap-northeast-2"];
    let cw = &clients.region("ap-northeast-2").expect("client").cloudwatch;
    let b = warroom_aws::sources::quotas::poll(cw, q, t)
        .await
        .expect("poll");
    server.shutdown().await;
    assert_eq!(b.series.len(), 1);
    let last = b.series[0].points.last().expect("a point");
    // 2 instances of the ASG + 4 others, of the 64 vCPUs applied in ap-northeast-2.
    assert!((last.v - 100.0 * 6.0 / 64.0).abs() < 1e-9, "{:?}", b.series);
}

/// The layout naming the moto workload seeded by `moto_seed.py readiness`.
fn moto_layout(run: &str, region: &str) -> warroom_core::config::Layout {
    let text = format!(
        r#"
[event]
name = "moto readiness"
start = "2026-06-13T20:00:00+09:00"
end = "2026-06-13T23:00:00+09:00"

[[series]]
id = "web.unhealthy"
region = "{region}"
namespace = "AWS/ApplicationELB"
metric = "UnHealthyHostCount"
dimensions = {{ TargetGroup = "targetgroup/tg-{run}/1", LoadBalancer = "app/lb-{run}/1" }}
stat = "Maximum"
threshold = {{ crit = 0 }}

[[target_group]]
id = "web.tg"
name = "tg-{run}"
load_balancer = "lb-{run}"
region = "{region}"

[[web_acl]]
id = "web.waf"
name = "acl-{run}"
scope = "REGIONAL"
region = "{region}"

[readiness]
peak_multiple = 3
peak_requests_per_ip = 60
dns_names = ["www.ready-{run}.example.com", "api.ready-{run}.example.com"]

[[readiness.tier]]
id = "small"
kind = "asg"
name = "small-{run}"
region = "{region}"
capacity = 6

[[readiness.tier]]
id = "big"
kind = "asg"
name = "big-{run}"
region = "{region}"
capacity = 6

[[readiness.tier]]
id = "web.tasks"
kind = "ecs"
cluster = "c-{run}"
name = "web"
region = "{region}"
capacity = 4

[[readiness.tier]]
id = "db.single"
kind = "rds"
name = "single-{run}"
region = "{region}"

[[readiness.tier]]
id = "db.multi"
kind = "rds"
name = "multi-{run}"
region = "{region}"

[[readiness.tier]]
id = "redis"
kind = "cache"
name = "r{run}"
region = "{region}"
"#
    );
    warroom_core::config::load_texts(
        &warroom_core::model::EmbeddedFile {
            path: "moto.toml".into(),
            text,
        },
        None,
    )
    .expect("layout")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn a_seeded_moto_workload_fails_some_checks_and_passes_others() {
    let url = emulators::url(Emulator::Moto);
    let region = "eu-west-1";
    let run = emulators::run_id();
    emulators::moto::seed("readiness", &url, region, &[run]);
    let layout = moto_layout(run, region);
    let conf = emulators::sdk_config(&url, region);
    let clients = ReadyClients::from_sdk_config(&conf, &ready_aws::regions(&layout));
    let now = chrono::Utc::now();
    let r = ready_aws::report(&layout, &clients, now, false).await;
    let s = statuses(&r);
    let want = [
        (format!("scaling.asg.small-{run}"), Status::Red),
        (format!("scaling.asg.small-{run}.zones"), Status::Red),
        (format!("scaling.asg.small-{run}.health"), Status::Yellow),
        (format!("scaling.asg.big-{run}"), Status::Green),
        (format!("scaling.asg.big-{run}.zones"), Status::Green),
        (format!("scaling.asg.big-{run}.health"), Status::Green),
        (format!("scaling.ecs.c-{run}.web"), Status::Red),
        (format!("data.rds.single-{run}.multi_az"), Status::Red),
        (format!("data.rds.single-{run}.backups"), Status::Red),
        (format!("data.rds.multi-{run}.multi_az"), Status::Green),
        (format!("data.rds.multi-{run}.backups"), Status::Green),
        (
            format!("dns.ttl.www.ready-{run}.example.com"),
            Status::Yellow,
        ),
        (
            format!("dns.ttl.api.ready-{run}.example.com"),
            Status::Green,
        ),
        (format!("failover.tg.tg-{run}"), Status::Red),
        (format!("waf.count.acl-{run}"), Status::Yellow),
        (format!("waf.rate.acl-{run}.rate"), Status::Red),
        // moto serves CloudWatch only over the Query protocol, not the SDK's CBOR, and Service
        // Quotas only for VPC: those checks must say they were not checked, never pass.
        ("alarms.coverage.web.unhealthy".to_string(), Status::Yellow),
        (format!("limits.ec2_vcpu.{region}"), Status::Yellow),
        (format!("limits.asg.{region}"), Status::Yellow),
    ];
    for (id, status) in &want {
        assert_eq!(s.get(id), Some(status), "{id}: {r:#?}");
    }
    // The replication group is read (moto lists no member clusters for it, so no replica).
    assert!(!number(&r, &format!("data.cache.r{run}")).starts_with("not checked"));
    assert!(number(&r, "alarms.coverage.web.unhealthy").starts_with("not checked: DescribeAlarms"));
    assert!(
        number(&r, &format!("limits.asg.{region}")).starts_with("not checked: GetServiceQuota")
    );
    assert_eq!(
        number(&r, &format!("failover.tg.tg-{run}")),
        "an unhealthy target is noticed after 300 s (10 x 30 s checks), back in service after 150 s; tolerance 90 s"
    );
    assert_eq!(
        number(&r, &format!("scaling.asg.small-{run}")),
        "max 2 < 6 needed at the peak; min 1 / desired 1"
    );
    println!("{}", warroom_core::ready::render::text(&r));
}

/// `warroom demo --readiness` exits as `warroom ready` does on the same report: 1 with a red
/// check (two hours before the drop the ASG max is red), and its stdout says why.
#[test]
fn demo_readiness_exits_one_on_a_red_report_as_ready_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["demo", "--readiness", "--at", "T-2h"])
        .current_dir(dir.path())
        .env("WARROOM_LOG_FILE", dir.path().join("warroom.log"))
        .stdin(Stdio::null())
        .output()
        .expect("run warroom demo --readiness");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("RED: "), "{stdout}");
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("not ready: "), "{stderr}");
}
