//! Test fixtures: the pollers' small layout (`small.toml`: two regions, a math series, a target
//! group, an accelerator, a regional and a `CloudFront` web ACL, a log group, alarm prefixes) and
//! the quota-watching one, each loaded from its TOML text as `warroom check` loads a file; a
//! series builder and time helpers.

use chrono::{DateTime, Utc};

use crate::config::layout::{Layout, Series, SeriesSource};

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("valid time")
        .with_timezone(&Utc)
}

/// A CloudWatch series `id` of `region` like the small layout's first (an ALB metric, `Sum` or
/// `stat` of `metric`), for tests that build layouts of many series.
pub fn metric(id: &str, region: &str, metric: &str, stat: &str) -> Series {
    let mut s = layout().series[0].clone();
    s.id = id.into();
    s.label = id.into();
    s.region = region.into();
    if let SeriesSource::Metric(q) = &mut s.source {
        q.metric = metric.into();
        q.stat = stat.into();
    }
    s
}

/// The pollers' test layout (`small.toml`, through the product's loader): Seoul has 3 metrics
/// and 1 math series, Virginia 2 metrics, Global Accelerator's metrics in us-west-2 1.
pub fn layout() -> Layout {
    fixture("small.toml", include_str!("small.toml"), None)
}

/// The judgement's test layout (`judged.toml` with its runbook `judged.md`): Seoul and Virginia
/// series with thresholds and baselines, health resources, panels, return-to-normal criteria
/// and two runbook steps.
pub fn judged_layout() -> Layout {
    fixture(
        "judged.toml",
        include_str!("judged.toml"),
        Some(("judged.md", include_str!("judged.md"))),
    )
}

/// A test layout (and runbook) from its text, loaded as `warroom check` loads a file.
pub(crate) fn fixture(path: &str, text: &str, runbook: Option<(&str, &str)>) -> Layout {
    let file = |path: &str, text: &str| crate::model::EmbeddedFile {
        path: path.into(),
        text: text.into(),
    };
    let runbook = runbook.map(|(p, t)| file(p, t));
    crate::config::load_texts(&file(path, text), runbook.as_ref())
        .unwrap_or_else(|e| panic!("the test layout {path} loads: {e}"))
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
    fixture("quota.toml", text, None)
}
