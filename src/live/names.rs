//! Source names as the pollers report them (`cloudwatch:<region>`, `elbv2:<tg>`, ...): which
//! sources a layout will start, which source an observation came from, and each source's poll
//! period. The live status board and `collect` use these to tell a quiet source from a stale one.

use crate::config::layout::Layout;
use crate::model::EventBody;
use crate::sources::scheduler::SourceKind;

/// Every source `sources::pollers::spawn_layout` starts for `layout`, in start order, with its
/// kind. Web ACLs without `sample_rules` are not polled (their counters come from CloudWatch).
pub fn layout_sources(layout: &Layout) -> Vec<(String, SourceKind)> {
    let mut out = Vec::new();
    for region in crate::sources::cloudwatch::plan(layout).keys() {
        out.push((crate::model::cloudwatch_source(region), SourceKind::Metrics));
    }
    for tg in &layout.target_groups {
        out.push((format!("elbv2:{}", tg.id), SourceKind::TargetHealth));
    }
    for a in &layout.accelerators {
        out.push((format!("ga:{}", a.id), SourceKind::GlobalAccelerator));
    }
    for acl in layout
        .web_acls
        .iter()
        .filter(|a| !a.sample_rules.is_empty())
    {
        out.push((format!("waf:{}", acl.id), SourceKind::WafSamples));
    }
    if !layout.alarms.prefixes.is_empty() {
        for region in &layout.alarms.regions {
            out.push((format!("alarms:{region}"), SourceKind::Alarms));
        }
    }
    for g in &layout.log_groups {
        out.push((format!("logs:{}", g.id), SourceKind::Logs));
    }
    for region in crate::sources::quotas::plan(layout).keys() {
        out.push((format!("quotas:{region}"), SourceKind::Quotas));
    }
    out
}

/// The kind of a source, from its name's prefix.
pub fn kind_of(source: &str) -> Option<SourceKind> {
    let (prefix, _) = source.split_once(':')?;
    Some(match prefix {
        "cloudwatch" => SourceKind::Metrics,
        "elbv2" => SourceKind::TargetHealth,
        "ga" => SourceKind::GlobalAccelerator,
        "waf" => SourceKind::WafSamples,
        "alarms" => SourceKind::Alarms,
        "logs" => SourceKind::Logs,
        "quotas" => SourceKind::Quotas,
        _ => return None,
    })
}

/// The source whose successful poll produced this observation (None for status, operator and
/// summary events).
pub fn source_of(body: &EventBody) -> Option<String> {
    Some(match body {
        EventBody::Metrics(b) => crate::model::cloudwatch_source(&b.region),
        EventBody::TargetHealth(s) => format!("elbv2:{}", s.target_group),
        EventBody::GaEndpoints(s) => format!("ga:{}", s.accelerator),
        EventBody::WafSample(b) => format!("waf:{}", b.acl),
        EventBody::Alarms(s) => format!("alarms:{}", s.region),
        EventBody::Logs(b) => format!("logs:{}", b.group),
        EventBody::SourceStatus(_)
        | EventBody::Operator(_)
        | EventBody::Summary(_)
        | EventBody::SummaryDelivery(_)
        | EventBody::Readiness(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::testutil::layout;

    #[test]
    fn the_test_layout_starts_these_sources() {
        let names: Vec<String> = layout_sources(&layout()).into_iter().map(|s| s.0).collect();
        assert_eq!(
            names,
            [
                "cloudwatch:ap-northeast-2",
                "cloudwatch:us-east-1",
                "cloudwatch:us-west-2",
                "elbv2:seoul.tg",
                "ga:ga",
                "waf:seoul.waf",
                "waf:edge.waf",
                "alarms:ap-northeast-2",
                "alarms:us-east-1",
                "logs:seoul.httpd",
            ]
        );
        for n in &names {
            assert!(kind_of(n).is_some(), "{n}");
        }
        assert_eq!(kind_of("nothing"), None);
        assert_eq!(kind_of("sim:x"), None);
    }
}
