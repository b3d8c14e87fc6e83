//! `ListMetrics` against `sim serve`: every metric of the world, filtered by namespace, metric
//! name and dimensions, over the real SDK client (RPC v2 CBOR, its paginator following
//! `NextToken`) and over the AWS CLI's protocols (AWS JSON 1.0 and the query protocol), so a
//! layout can be written against what the simulated world lists.

use std::time::Duration;

use aws_sdk_cloudwatch::types::DimensionFilter;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use warroom_core::clock::Clock;
use warroom_sim::serve::Faults;
use warroom_sim::{Scenario, World};

use crate::simserve_common::{reference_layout, sdk_config, server};

/// (namespace, metric, sorted dimensions) of every metric a `ListMetrics` paginator returns.
async fn listed(
    cw: &aws_sdk_cloudwatch::Client,
    namespace: Option<&str>,
    filter: Option<DimensionFilter>,
) -> Vec<(String, String, Vec<(String, String)>)> {
    let mut pages = cw
        .list_metrics()
        .set_namespace(namespace.map(ToString::to_string))
        .set_dimensions(filter.map(|f| vec![f]))
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        for m in page.expect("ListMetrics").metrics() {
            let mut dims: Vec<(String, String)> = m
                .dimensions()
                .iter()
                .map(|d| {
                    (
                        d.name().unwrap_or_default().to_string(),
                        d.value().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            dims.sort();
            out.push((
                m.namespace().unwrap_or_default().to_string(),
                m.metric_name().unwrap_or_default().to_string(),
                dims,
            ));
        }
    }
    out
}

/// One raw request (the endpoint checks the credential scope, not the signature); the reply.
async fn raw(addr: &str, headers: &str, body: &str) -> String {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "POST / HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\nauthorization: AWS4-HMAC-SHA256 Credential=AKID/20260613/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0\r\n{headers}content-length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut got))
        .await
        .expect("answered in time")
        .expect("read");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_metrics_lists_the_worlds_metrics_over_the_sdk_and_the_cli_protocols() {
    let layout = reference_layout();
    let h = server(
        &layout,
        Clock::starting_at(layout.event.start),
        Faults::default(),
    )
    .await;
    let url = h.endpoint_url();
    let conf = sdk_config(
        &url,
        "us-east-1",
        Duration::from_secs(5),
        Duration::from_secs(10),
        false,
    )
    .await;
    let cw = aws_sdk_cloudwatch::Client::new(&conf);
    let world = World::new(
        Scenario::ArmyDrop,
        42,
        layout.event.start,
        layout.event.tz(),
    );
    // Everything of the region, as the world has it.
    let all = listed(&cw, None, None).await;
    let want: Vec<_> = world
        .metrics()
        .into_iter()
        .filter(|m| m.region == "us-east-1")
        .map(|m| {
            (
                m.namespace.to_string(),
                m.metric.to_string(),
                m.dimensions
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(all, want);
    // The reference's Virginia ALB, by namespace; a dimension name alone filters too.
    let alb = listed(&cw, Some("AWS/ApplicationELB"), None).await;
    assert!(!alb.is_empty());
    assert!(alb.iter().all(|(_, _, d)| {
        d.iter()
            .any(|(k, v)| k == "LoadBalancer" && v == "app/WEB-ALB/8e2a7c41b96d03f5")
    }));
    let by_tg = listed(
        &cw,
        Some("AWS/ApplicationELB"),
        Some(DimensionFilter::builder().name("TargetGroup").build()),
    )
    .await;
    assert_eq!(
        by_tg.iter().map(|m| m.1.as_str()).collect::<Vec<_>>(),
        [
            "HTTPCode_Target_5XX_Count",
            "HealthyHostCount",
            "RequestCount",
            "TargetResponseTime",
            "UnHealthyHostCount"
        ]
    );
    // Every listed metric answers GetMetricData-style queries in the world.
    for m in world.metrics() {
        let dims: Vec<(String, String)> = m
            .dimensions
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect();
        let any = (0..240).any(|k| {
            let at = layout.event.start + chrono::TimeDelta::minutes(k);
            world
                .metric(m.region, m.namespace, m.metric, &dims, "Maximum", at)
                .is_some()
        });
        assert!(any, "listed but never answered: {m:?}");
    }
    // The AWS CLI v2's JSON 1.0 and the query protocol (older CLIs, boto).
    let addr = url.trim_start_matches("http://");
    let json = raw(
        addr,
        "x-amz-target: GraniteServiceVersion20100801.ListMetrics\r\ncontent-type: application/x-amz-json-1.0\r\n",
        r#"{"Namespace":"AWS/ApplicationELB","MetricName":"RequestCount"}"#,
    )
    .await;
    assert!(json.starts_with("HTTP/1.1 200"), "{json}");
    assert!(json.contains(r#""MetricName":"RequestCount""#), "{json}");
    assert!(json.contains("app/WEB-ALB/8e2a7c41b96d03f5"), "{json}");
    let xml = raw(
        addr,
        "content-type: application/x-www-form-urlencoded; charset=utf-8\r\n",
        "Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FApplicationELB&Dimensions.member.1.Name=TargetGroup",
    )
    .await;
    assert!(xml.starts_with("HTTP/1.1 200"), "{xml}");
    assert!(xml.contains("<ListMetricsResponse"), "{xml}");
    assert_eq!(xml.matches("<MetricName>").count(), 5, "{xml}");
    assert!(
        xml.contains("<Value>targetgroup/WEB-tg/a81c2f0b7e3d4c19</Value>"),
        "{xml}"
    );
    // What is not served over the CLI's protocols says so, in the protocol it was asked in.
    let other = raw(
        addr,
        "x-amz-target: GraniteServiceVersion20100801.DescribeAlarms\r\ncontent-type: application/x-amz-json-1.0\r\n",
        "{}",
    )
    .await;
    assert!(other.starts_with("HTTP/1.1 400"), "{other}");
    assert!(other.contains(r#""__type":"InvalidAction""#), "{other}");
    h.shutdown().await;
}
