//! Test fixtures: a small hand-built `Layout` (two regions, a math series, a target group, an
//! accelerator, a regional and a `CloudFront` web ACL, a log group, alarm prefixes) and time helpers.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::expr::Expr;
use crate::config::layout::{
    Absent, Accelerator, Account, Alarms, EndpointGroupDef, EventInfo, Layout, LogGroup,
    MetricQuery, ReturnToNormal, Series, SeriesSource, SummaryConfig, TargetGroup, Unit, WafScope,
    WebAcl,
};

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("valid time")
        .with_timezone(&Utc)
}

pub fn metric(id: &str, region: &str, metric: &str, stat: &str) -> Series {
    Series {
        id: id.into(),
        label: id.into(),
        region: region.into(),
        account: "main".into(),
        source: SeriesSource::Metric(MetricQuery {
            namespace: "AWS/ApplicationELB".into(),
            metric: metric.into(),
            dimensions: vec![("LoadBalancer".into(), "app/BTS-ALB/50dc6c495c0c9188".into())],
            stat: stat.into(),
            period: 60,
        }),
        unit: Unit::Count,
        absent: Absent::Zero,
        baseline: None,
        threshold: None,
    }
}

fn math(id: &str, region: &str) -> Series {
    Series {
        source: SeriesSource::Math {
            expr: Expr::Number(1.0),
            text: "1".into(),
            period: 60,
        },
        unit: Unit::Percent,
        ..metric(id, region, "", "")
    }
}

#[allow(clippy::too_many_lines)] // a fixture: one literal, read as a whole
/// Seoul: 3 metrics + 1 math series, Virginia: 2 metrics, GA metrics in us-west-2: 1.
pub fn layout() -> Layout {
    let seoul = "ap-northeast-2";
    let virginia = "us-east-1";
    Layout {
        path: "test.toml".into(),
        text: String::new(),
        event: EventInfo {
            name: "test".into(),
            start: at("2026-06-13T11:00:00Z"),
            end: at("2026-06-13T14:00:00Z"),
            time_zones: vec![chrono_tz::UTC],
            bridge_phone: None,
            bridge_url: None,
            success_criteria: vec![],
            availability_target: None,
            contacts: vec![],
            post_mortem: None,
        },
        accounts: vec![Account {
            id: "main".into(),
            account_id: None,
            profile: None,
            role_arn: None,
        }],
        series: vec![
            metric("seoul.requests", seoul, "RequestCount", "Sum"),
            metric("seoul.5xx", seoul, "HTTPCode_Target_5XX_Count", "Sum"),
            math("seoul.rate", seoul),
            metric("seoul.p99", seoul, "TargetResponseTime", "p99"),
            metric("virginia.requests", virginia, "RequestCount", "Sum"),
            metric("virginia.5xx", virginia, "HTTPCode_Target_5XX_Count", "Sum"),
            metric("ga.flows", "us-west-2", "NewFlowCount", "Sum"),
        ],
        target_groups: vec![TargetGroup {
            id: "seoul.tg".into(),
            name: "BTS-tg".into(),
            load_balancer: "BTS-ALB".into(),
            region: seoul.into(),
            account: "main".into(),
        }],
        accelerators: vec![Accelerator {
            id: "ga".into(),
            name: "BTS-AGA".into(),
            account: "main".into(),
            endpoint_groups: vec![EndpointGroupDef {
                region: seoul.into(),
                endpoint: "BTS-ALB".into(),
                dial: 100.0,
                weight: 128,
                share: None,
            }],
        }],
        web_acls: vec![
            WebAcl {
                id: "seoul.waf".into(),
                name: "BTS-WebACL-Seoul-ALB".into(),
                scope: WafScope::Regional,
                region: seoul.into(),
                account: "main".into(),
                sample_rules: vec!["BTS-RateLimit-PerIP".into(), "BTS-SQLiRuleSet".into()],
            },
            WebAcl {
                id: "edge.waf".into(),
                name: "BTS-CloudFront-WebACL".into(),
                scope: WafScope::Cloudfront,
                region: virginia.into(),
                account: "main".into(),
                sample_rules: vec!["BTS-AMAZONIPREPUTATIONLIST".into()],
            },
        ],
        log_groups: vec![LogGroup {
            id: "seoul.httpd".into(),
            name: "/hybridbts/seoul/httpd/error_log".into(),
            region: seoul.into(),
            account: "main".into(),
            filter: "?ERROR ?Fatal".into(),
        }],
        alarms: Alarms {
            prefixes: vec!["alert".into(), "BTS-".into()],
            regions: vec![seoul.into(), virginia.into()],
        },
        panels: vec![],
        return_to_normal: ReturnToNormal {
            streak: TimeDelta::minutes(15),
            criteria: vec![],
        },
        summary: SummaryConfig {
            time_zone: chrono_tz::UTC,
            cadence: TimeDelta::hours(1),
            red_cadence: None,
            metrics: Vec::new(),
            leadership: Vec::new(),
            sinks: vec![],
        },
        runbook: None,
        readiness: None,
    }
}

/// A layout watching the EC2 vCPU quota of ap-northeast-2 live (`quota.ec2_vcpu`, from
/// `[readiness] quotas`, in a panel and a return-to-normal criterion) beside one CloudWatch
/// series of the same region.
pub fn quota_layout() -> Layout {
    let text = r#"
[event]
name = "quota watch"
start = "2026-06-13T20:00:00+09:00"
end = "2026-06-13T23:00:00+09:00"

[[series]]
id = "seoul.cpu"
region = "ap-northeast-2"
namespace = "AWS/EC2"
metric = "CPUUtilization"
dimensions = { AutoScalingGroupName = "BTS-AS" }
stat = "Average"

[[panel]]
id = "limits"
title = "Limits"
series = ["quota.ec2_vcpu", "seoul.cpu"]

[return_to_normal]
criteria = [{ name = "vCPU quota under 80%", when = "quota.ec2_vcpu < 80" }]

[readiness]
quotas = [{ quota = "ec2_vcpu", region = "ap-northeast-2" }]
"#;
    crate::config::load_texts(
        &crate::model::EmbeddedFile {
            path: "quota.toml".into(),
            text: text.into(),
        },
        None,
    )
    .expect("the quota layout loads")
}
