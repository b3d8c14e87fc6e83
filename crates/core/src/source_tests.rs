//! Unit tests of the `source` module, kept beside it.

use super::*;
use crate::testing::{at, layout};

#[test]
fn the_test_layout_starts_these_sources() {
    let names: Vec<String> = layout_sources(&layout())
        .iter()
        .map(ToString::to_string)
        .collect();
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
        assert_eq!(SourceId::parse(n).map(|s| s.to_string()).as_ref(), Some(n));
    }
    assert_eq!(SourceId::parse("nothing"), None);
    assert_eq!(SourceId::parse("sim:x"), None);
}

#[test]
fn watched_quotas_have_a_source_of_their_own_per_region() {
    let l = crate::testing::quota_layout();
    let ids = layout_sources(&l);
    assert_eq!(
        ids,
        [
            SourceId::metrics("ap-northeast-2"),
            SourceId::new(SourceKind::Quotas, "ap-northeast-2"),
        ]
    );
    assert_eq!(ids[1].to_string(), "quotas:ap-northeast-2");
    assert_eq!(
        SourceId::parse("quotas:ap-northeast-2"),
        Some(ids[1].clone())
    );
    assert_eq!(ids[1].kind.period(), Duration::from_mins(5));
    let batch = |ids: &[&str]| {
        EventBody::Metrics(MetricBatch {
            region: "ap-northeast-2".into(),
            start: at("2026-06-13T11:00:00Z"),
            end: at("2026-06-13T11:15:00Z"),
            series: ids
                .iter()
                .map(|id| crate::model::SeriesData {
                    id: (*id).into(),
                    points: Vec::new(),
                    complete: true,
                })
                .collect(),
        })
    };
    // A quota batch freshens the quota source, never the CloudWatch one (and back).
    assert_eq!(
        SourceId::of_event(&batch(&["quota.ec2_vcpu"])),
        Some(ids[1].clone())
    );
    assert_eq!(
        SourceId::of_event(&batch(&["seoul.cpu"])),
        Some(ids[0].clone())
    );
    assert_eq!(SourceId::of_event(&batch(&[])), Some(ids[0].clone()));
}

#[test]
fn the_stable_hash_is_fnv1a() {
    assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
}
