//! The simulator endpoint through the real SDK clients: every operation the pollers call (and
//! the few `check --aws` needs), pagination, region from the credential scope, and answers
//! equal to the world's at the virtual time each call was served.

// Short names (h endpoint, w world, a/b window ends, g group) as in the AWS docs' examples.
#![allow(clippy::many_single_char_names)]

use crate::simserve_common;

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_cloudwatch::types::{AlarmType, ScanBy};
use chrono::{DateTime, TimeDelta, Utc};
use simserve_common::{clients, reference_layout, sdk_config, server, t};
use warroom_aws::sources::cloudwatch::{self, Merged};
use warroom_aws::sources::{alarms, elbv2, ga, logs, waf};
use warroom_core::clock::Clock;
use warroom_core::config::layout::WafScope;
use warroom_core::model::{AlarmState, GaHealth};
use warroom_sim::serve::{Faults, Service};
use warroom_sim::{Scenario, World};

fn to_aws_time(t: DateTime<Utc>) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_secs(t.timestamp())
}

fn world(layout: &warroom_core::config::Layout) -> World {
    World::new(
        Scenario::ArmyDrop,
        42,
        layout.event.start,
        layout.event.tz(),
    )
}

fn last_at(h: &warroom_sim::serve::ServeHandle, op: &str) -> DateTime<Utc> {
    h.calls()
        .iter()
        .rev()
        .find(|c| c.op == op)
        .map(|c| c.at)
        .expect("call journaled")
}

#[tokio::test]
async fn get_metric_data_pages_merge_to_the_one_shot_answer() {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 630));
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let plan = warroom_core::metric_window::plan(&layout);
    let seoul = &plan["ap-northeast-2"];
    let client = &set.region("ap-northeast-2").expect("seoul").cloudwatch;
    let now = clock.now();
    let batch = cloudwatch::poll(client, seoul, now).await.expect("poll");
    assert_eq!(batch.series.len(), seoul.series.len());
    assert!(batch.series.iter().all(|s| s.complete));
    // A bucket two minutes old is final: exactly the world's value (or absent when it is).
    let w = world(&layout);
    let b = t(&layout, 420);
    let mut with_points = 0;
    for (s, q) in batch.series.iter().zip(&seoul.queries) {
        let want = w.metric(
            "ap-northeast-2",
            &q.namespace,
            &q.metric,
            &q.dimensions,
            &q.stat,
            b,
        );
        let got = s.points.iter().find(|p| p.ts == b).map(|p| p.v);
        assert_eq!(got, want, "{} at T+7m", s.id);
        with_points += usize::from(got.is_some());
    }
    assert!(with_points > 5, "most Seoul series have data");

    // The same queries in pages of 5 datapoints, oldest first, merge to the same points.
    let (start, end) = warroom_core::metric_window::window(now, seoul.period);
    let mut merged_pages: BTreeMap<String, Merged> = BTreeMap::new();
    let mut pages = client
        .get_metric_data()
        .start_time(to_aws_time(start))
        .end_time(to_aws_time(end))
        .set_metric_data_queries(Some(cloudwatch::chunks(seoul).remove(0)))
        .max_datapoints(5)
        .scan_by(ScanBy::TimestampAscending)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(p) = pages.next().await {
        cloudwatch::merge_page(&mut merged_pages, p.expect("page").metric_data_results());
        n += 1;
    }
    assert!(n > 3, "paginated into {n} pages");
    let again = cloudwatch::to_batch(seoul, &merged_pages, start, end);
    for (a, b) in again.series.iter().zip(&batch.series) {
        let pa: Vec<_> = a.points.iter().map(|p| (p.ts, p.v)).collect();
        let pb: Vec<_> = b.points.iter().map(|p| (p.ts, p.v)).collect();
        assert_eq!(pa, pb, "{}", a.id);
        assert!(a.complete, "{} complete after the last page", a.id);
    }

    // More than 500 queries is refused as AWS does.
    let q = cloudwatch::chunks(seoul).remove(0).remove(0);
    let many: Vec<_> = (0..501)
        .map(|i| {
            let mut x = q.clone();
            x.id = Some(format!("q{i}"));
            x
        })
        .collect();
    let err = client
        .get_metric_data()
        .start_time(to_aws_time(start))
        .end_time(to_aws_time(end))
        .set_metric_data_queries(Some(many))
        .send()
        .await
        .expect_err("too many queries");
    let meta = aws_smithy_types::error::metadata::ProvideErrorMetadata::code(&err);
    assert_eq!(meta, Some("ValidationError"));
    h.shutdown().await;
}

#[tokio::test]
async fn alarms_are_filtered_by_prefix_and_paginated() {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 1800));
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let client = &set.region("ap-northeast-2").expect("seoul").cloudwatch;
    let prefixes = layout.alarms.prefixes.clone();
    let snap = alarms::describe(client, "ap-northeast-2", &prefixes, clock.now())
        .await
        .expect("alarms");
    let at = last_at(&h, "DescribeAlarms");
    let mut want: Vec<_> = world(&layout)
        .alarms("ap-northeast-2", at)
        .into_iter()
        .filter(|a| prefixes.iter().any(|p| a.name.starts_with(p.as_str())))
        .collect();
    want.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!want.is_empty());
    assert_eq!(snap.alarms, want);
    assert!(
        snap.alarms
            .iter()
            .any(|a| a.state == AlarmState::Alarm || a.state == AlarmState::Ok)
    );

    let mut pages = client
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .max_records(1)
        .into_paginator()
        .send();
    let mut names = vec![];
    while let Some(p) = pages.next().await {
        let p = p.expect("page");
        assert!(p.metric_alarms().len() <= 1);
        names.extend(
            p.metric_alarms()
                .iter()
                .filter_map(|a| a.alarm_name().map(String::from)),
        );
    }
    let all = world(&layout).alarms("ap-northeast-2", at).len();
    assert_eq!(names.len(), all, "every alarm, one per page");
    h.shutdown().await;
}

#[tokio::test]
async fn target_health_by_region_from_the_credential_scope() {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 600));
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let seoul = &set.region("ap-northeast-2").expect("seoul").elbv2;
    let arn = elbv2::resolve_target_group(seoul, "BTS-tg")
        .await
        .expect("arn");
    assert!(
        arn.contains(":ap-northeast-2:") && arn.contains("targetgroup/BTS-tg/6d0ecf831eec9f09")
    );
    let snap = elbv2::target_health(seoul, "seoul.tg", &arn)
        .await
        .expect("health");
    let at = last_at(&h, "DescribeTargetHealth");
    let want = world(&layout)
        .target_health("BTS-tg", at)
        .expect("world tg");
    assert!(!want.is_empty());
    assert_eq!(snap.targets, want);
    assert_eq!(
        h.calls().last().map(|c| c.region.clone()),
        Some("ap-northeast-2".into())
    );

    // The same name in another region does not exist.
    let virginia = &set.region("us-east-1").expect("virginia").elbv2;
    let err = elbv2::resolve_target_group(virginia, "BTS-tg")
        .await
        .expect_err("wrong region");
    assert!(matches!(err, elbv2::Elbv2Error::NotFound { .. }), "{err}");

    let lbs = seoul
        .describe_load_balancers()
        .names("BTS-ALB")
        .send()
        .await
        .expect("load balancers");
    assert_eq!(
        lbs.load_balancers()[0].load_balancer_arn(),
        Some(
            "arn:aws:elasticloadbalancing:ap-northeast-2:489851543453:loadbalancer/app/BTS-ALB/50dc6c495c0c9188"
        )
    );
    h.shutdown().await;
}

#[tokio::test]
async fn global_accelerator_only_in_us_west_2_and_paginated() {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 900));
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let arn = ga::find_accelerator(&set.ga, "BTS-AGA")
        .await
        .expect("accelerator");
    let snap = ga::endpoints(&set.ga, "ga", &arn).await.expect("groups");
    let at = last_at(&h, "ListEndpointGroups");
    let want = world(&layout).ga_groups(at);
    assert_eq!(snap.groups.len(), want.len());
    for (g, w) in snap.groups.iter().zip(&want) {
        assert_eq!(g.region, w.region);
        assert!((g.dial - w.dial).abs() < 1e-3, "{} dial", g.region);
        assert_eq!(g.endpoints[0].id, w.endpoint);
        assert_eq!(g.endpoints[0].weight, w.weight);
        assert_eq!(g.endpoints[0].health, w.health);
    }
    assert!(
        snap.groups
            .iter()
            .all(|g| g.endpoints[0].health != GaHealth::Initial)
    );

    let listener = ga::listeners(&set.ga, &arn)
        .await
        .expect("listeners")
        .remove(0);
    let mut pages = set
        .ga
        .list_endpoint_groups()
        .listener_arn(&listener)
        .max_results(1)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(p) = pages.next().await {
        n += p.expect("page").endpoint_groups().len();
    }
    assert_eq!(n, 2);

    let conf = sdk_config(
        &h.endpoint_url(),
        "ap-northeast-2",
        Duration::from_secs(5),
        Duration::from_secs(10),
        false,
    )
    .await;
    let elsewhere = aws_sdk_globalaccelerator::Client::new(&conf);
    let err = ga::find_accelerator(&elsewhere, "BTS-AGA")
        .await
        .expect_err("not us-west-2");
    assert!(err.to_string().contains("us-west-2"), "{err}");
    h.shutdown().await;
}

#[tokio::test]
async fn waf_acls_by_scope_and_sampled_requests() {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 600));
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let now = clock.now();
    let w = world(&layout);
    for acl in &layout.web_acls {
        let client = set.waf(acl.scope, &acl.region).expect("client");
        let arn = waf::find_web_acl(client, &acl.name, acl.scope)
            .await
            .expect("acl");
        let (start, end) = (now - TimeDelta::seconds(60), now);
        let batch = waf::sample(
            client,
            &acl.id,
            &arn,
            acl.scope,
            &acl.sample_rules,
            start,
            end,
        )
        .await
        .expect("samples");
        let mut population = 0;
        let mut want = vec![];
        for r in &acl.sample_rules {
            let (p, reqs) = w
                .sampled_requests(&acl.name, r, start, end, 100)
                .expect("rule");
            population += p;
            want.extend(reqs);
        }
        assert_eq!(batch.population, population, "{}", acl.id);
        assert_eq!(batch.requests.len(), want.len(), "{}", acl.id);
        for (g, e) in batch.requests.iter().zip(&want) {
            assert!((g.ts - e.ts).num_milliseconds().abs() <= 1, "{} ts", acl.id);
            assert_eq!(
                (&g.client_ip, &g.uri, &g.method, &g.action, g.weight),
                (&e.client_ip, &e.uri, &e.method, &e.action, e.weight)
            );
            assert_eq!(
                (&g.country, &g.headers, &g.rule),
                (&e.country, &e.headers, &e.rule)
            );
        }
    }
    // A regional ACL is not found from another region; CLOUDFRONT answers only in us-east-1.
    let seoul = set
        .waf(WafScope::Regional, "ap-northeast-2")
        .expect("seoul");
    assert!(
        waf::find_web_acl(seoul, "BTS-WebACL-Virginia-ALB", WafScope::Regional)
            .await
            .is_err()
    );
    assert!(
        waf::find_web_acl(seoul, "BTS-CloudFront-WebACL", WafScope::Cloudfront)
            .await
            .is_err()
    );
    let page = seoul
        .list_web_acls()
        .scope(aws_sdk_wafv2::types::Scope::Regional)
        .limit(1)
        .send()
        .await
        .expect("list");
    assert_eq!(page.web_acls().len(), 1);
    assert_eq!(page.next_marker(), None, "one regional ACL in Seoul");
    let calls = h.calls();
    assert!(
        calls
            .iter()
            .any(|c| c.service == Service::Waf && c.region == "us-east-1")
    );
    h.shutdown().await;
}

#[tokio::test]
async fn logs_lines_counts_and_pages() {
    let layout = reference_layout();
    let clock = Clock::starting_at(t(&layout, 900));
    let h = server(&layout, clock, Faults::default()).await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let g = &layout.log_groups[0];
    let client = &set.region(&g.region).expect("region").logs;
    let now = clock.now();
    let batch = logs::poll(client, &g.id, &g.name, &g.filter, now)
        .await
        .expect("logs");
    let w = world(&layout);
    let want = w
        .log_lines(&g.name, now - logs::LINES_WINDOW, now, 20)
        .expect("group");
    assert_eq!(batch.lines.len(), want.len());
    for (a, b) in batch.lines.iter().zip(&want) {
        assert_eq!(a.ts.timestamp_millis(), b.ts.timestamp_millis());
        assert_eq!((&a.stream, &a.message), (&b.stream, &b.message));
    }
    assert!(batch.counts.len() > 10, "{} bins", batch.counts.len());
    for c in &batch.counts[1..batch.counts.len() - 1] {
        assert_eq!(Some(c.count), w.log_errors(&g.name, c.ts), "bin {}", c.ts);
    }
    // Oldest first in pages of 25 lines.
    let (a, b) = (now - TimeDelta::seconds(90), now);
    let mut token: Option<String> = None;
    let mut got = vec![];
    for _ in 0..100 {
        let out = client
            .filter_log_events()
            .log_group_name(&g.name)
            .start_time(a.timestamp_millis())
            .end_time(b.timestamp_millis())
            .limit(25)
            .set_next_token(token.take())
            .send()
            .await
            .expect("page");
        got.extend(
            out.events()
                .iter()
                .filter_map(|e| e.message().map(String::from)),
        );
        match out.next_token() {
            Some(t) => token = Some(t.into()),
            None => break,
        }
    }
    let mut all: Vec<String> = w
        .log_lines(&g.name, a, b, 10_000)
        .expect("lines")
        .into_iter()
        .map(|l| l.message)
        .collect();
    all.reverse();
    assert!(all.len() > 25, "several pages: {}", all.len());
    assert_eq!(got.len(), all.len(), "page total");
    assert_eq!(got, all);
    // The group exists only in its own region.
    let other = &set.region("us-east-1").expect("virginia").logs;
    assert!(
        logs::recent_lines(other, &g.name, &g.filter, now)
            .await
            .is_err()
    );
    h.shutdown().await;
}
