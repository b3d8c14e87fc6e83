//! The simulator endpoint as a server under hostile or unlucky clients: a request over the size
//! limit is refused with 413 before its body is read (a head over its limit with 431); a slow head, a slow body and an idle
//! connection are closed after their timeouts while other clients are served; connections over
//! the limit are turned away with 503; GetMetricData, Logs Insights, FilterLogEvents and
//! GetSampledRequests asking for years are answered within AWS's limits (or with AWS's error),
//! through the real SDK clients.

use crate::simserve_common;

use std::time::Duration;

use aws_sdk_cloudwatch::types::MetricDataQuery;
use chrono::{DateTime, TimeDelta, Utc};
use simserve_common::{clients, reference_layout, sdk_config, t};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use warroom_aws::sources::cloudwatch;
use warroom_core::clock::Clock;
use warroom_core::config::Layout;
use warroom_sim::serve::{self, Faults, Limits, ServeHandle, ServeOptions};
use warroom_sim::{Scenario, World};

async fn server_with(layout: &Layout, clock: Clock, limits: Limits) -> ServeHandle {
    serve::spawn_with_limits(
        layout,
        ServeOptions {
            scenario: Scenario::ArmyDrop,
            seed: 42,
            clock,
            faults: Faults::default(),
            addr: "127.0.0.1:0".parse().expect("addr"),
        },
        limits,
    )
    .await
    .expect("endpoint starts")
}

/// The head of a signed-looking Logs request (the endpoint checks the credential scope only).
fn logs_head(extra: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-target: Logs_20140328.FilterLogEvents\r\n\
         content-type: application/x-amz-json-1.1\r\n\
         authorization: AWS4-HMAC-SHA256 Credential=AKID/20260613/ap-northeast-2/logs/aws4_request, SignedHeaders=host, Signature=0\r\n\
         {extra}\r\n"
    )
}

/// Everything the server sends until it closes the connection (or `wait` passes: `None`).
async fn read_to_close(s: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(wait, async {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&got).into_owned())
}

/// An SDK call that must succeed while misbehaving clients hold connections.
async fn described(url: &str) -> bool {
    let conf = sdk_config(
        url,
        "ap-northeast-2",
        Duration::from_secs(2),
        Duration::from_secs(4),
        false,
    )
    .await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&conf);
    warroom_aws::sources::elbv2::resolve_target_group(&elb, "BTS-tg")
        .await
        .is_ok()
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let layout = reference_layout();
    let h = server_with(
        &layout,
        Clock::starting_at(t(&layout, 600)),
        Limits::default(),
    )
    .await;
    // Declares 1 GiB, sends 64 KiB: the 413 comes at once and the connection closes.
    let mut s = TcpStream::connect(h.addr).await.expect("connects");
    let head = logs_head(&format!("content-length: {}\r\n", 1u64 << 30));
    s.write_all(head.as_bytes()).await.expect("head");
    s.write_all(&vec![b'{'; 64 << 10]).await.expect("some body");
    let answer = read_to_close(&mut s, Duration::from_secs(5))
        .await
        .expect("answered and closed without the rest of the body");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("RequestEntityTooLarge"), "{answer}");

    // Chunked, without a length: refused once past 1 MiB, the rest never read.
    let mut s = TcpStream::connect(h.addr).await.expect("connects");
    let head = logs_head("transfer-encoding: chunked\r\n");
    s.write_all(head.as_bytes()).await.expect("head");
    let chunk = vec![b' '; 64 << 10];
    for _ in 0..16 {
        s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await
            .expect("chunk size");
        s.write_all(&chunk).await.expect("chunk");
        s.write_all(b"\r\n").await.expect("chunk end");
    }
    s.write_all(b"1\r\n \r\n").await.expect("the byte over");
    let answer = read_to_close(&mut s, Duration::from_secs(5))
        .await
        .expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // A head over 16 KiB: 431.
    let mut s = TcpStream::connect(h.addr).await.expect("connects");
    let head = logs_head(&format!(
        "x-padding: {}\r\ncontent-length: 2\r\n",
        "a".repeat(20 << 10)
    ));
    s.write_all(head.as_bytes()).await.expect("head");
    let answer = read_to_close(&mut s, Duration::from_secs(5))
        .await
        .expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    // The endpoint still answers the SDK.
    assert!(described(&h.endpoint_url()).await);
    h.shutdown().await;
}

#[tokio::test]
async fn slow_and_idle_clients_are_dropped_while_others_are_served() {
    let layout = reference_layout();
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let h = server_with(&layout, Clock::starting_at(t(&layout, 600)), limits).await;
    // A head sent one byte every 100 ms, forever.
    let slow_head = TcpStream::connect(h.addr).await.expect("connects");
    let (mut head_rx, mut head_tx) = slow_head.into_split();
    let trickle = tokio::spawn(async move {
        for b in logs_head("x-padding: ")
            .bytes()
            .chain(std::iter::repeat(b'a'))
        {
            if head_tx.write_all(&[b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    // A body that stops after 10 of its 100 bytes.
    let mut slow_body = TcpStream::connect(h.addr).await.expect("connects");
    slow_body
        .write_all(logs_head("content-length: 100\r\n").as_bytes())
        .await
        .expect("head");
    slow_body.write_all(b"{\"logGrou").await.expect("some body");
    // A connection that never says anything.
    let mut idle = TcpStream::connect(h.addr).await.expect("connects");

    // Meanwhile the others are served.
    for _ in 0..3 {
        assert!(
            described(&h.endpoint_url()).await,
            "served during the stall"
        );
    }
    let wait = Duration::from_secs(5);
    let mut buf = [0u8; 64];
    let head_closed = tokio::time::timeout(wait, async {
        while let Ok(n) = head_rx.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
    assert!(
        head_closed.is_ok(),
        "a head trickled byte by byte is cut off"
    );
    trickle.abort();
    let body_answer = read_to_close(&mut slow_body, wait)
        .await
        .expect("a stalled body is cut off");
    assert!(body_answer.starts_with("HTTP/1.1 408"), "{body_answer}");
    assert!(
        read_to_close(&mut idle, wait).await.is_some(),
        "an idle connection is closed"
    );
    assert!(described(&h.endpoint_url()).await, "still serving");
    h.shutdown().await;
}

#[tokio::test]
async fn connections_over_the_limit_are_turned_away() {
    let layout = reference_layout();
    let limits = Limits {
        max_connections: 3,
        ..Limits::default()
    };
    let h = server_with(&layout, Clock::starting_at(t(&layout, 600)), limits).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(h.addr).await.expect("connects"));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut fourth = TcpStream::connect(h.addr)
        .await
        .expect("the kernel accepts");
    let answer = read_to_close(&mut fourth, Duration::from_secs(3))
        .await
        .expect("turned away at once");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 503"),
        "{answer}"
    );
    // A place frees up: served again.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        described(&h.endpoint_url()).await,
        "served once a place is free"
    );
    h.shutdown().await;
}

fn to_aws(at: DateTime<Utc>) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_secs(at.timestamp())
}

/// `n` copies of the first Seoul query of the reference layout, with their own ids and
/// `period`.
fn copies(layout: &Layout, n: usize, period: i32) -> Vec<MetricDataQuery> {
    let plan = warroom_core::metric_window::plan(layout);
    let q = cloudwatch::chunks(&plan["ap-northeast-2"])
        .remove(0)
        .remove(0);
    (0..n)
        .map(|i| {
            let mut x = q.clone();
            x.id = Some(format!("q{i}"));
            if let Some(stat) = x.metric_stat.as_mut() {
                stat.period = Some(period);
            }
            x
        })
        .collect()
}

#[tokio::test]
async fn get_metric_data_over_years_stays_within_aws_limits() {
    let layout = reference_layout();
    let h = server_with(
        &layout,
        Clock::starting_at(t(&layout, 600)),
        Limits::default(),
    )
    .await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let client = &set.region("ap-northeast-2").expect("seoul").cloudwatch;
    let now = layout.event.start + TimeDelta::seconds(600);
    let years = TimeDelta::days(3650);

    // 500 daily queries over twenty years: what CloudWatch keeps (455 days), one page of at
    // most 100,800 datapoints at a time.
    let out = client
        .get_metric_data()
        .start_time(to_aws(now - years))
        .end_time(to_aws(now + years))
        .set_metric_data_queries(Some(copies(&layout, 500, 86_400)))
        .max_datapoints(1_000_000_000)
        .send()
        .await
        .expect("answered");
    let stamps: Vec<i64> = out
        .metric_data_results()
        .iter()
        .flat_map(|r| r.timestamps().iter().map(aws_smithy_types::DateTime::secs))
        .collect();
    assert!(!stamps.is_empty());
    assert!(stamps.len() <= 100_800, "{} datapoints", stamps.len());
    assert!(
        out.next_token().is_some(),
        "the rest follows on later pages"
    );
    let kept = (now - TimeDelta::days(455)).timestamp();
    assert!(
        stamps
            .iter()
            .all(|s| *s >= kept - 3600 && *s <= now.timestamp())
    );

    // Three one-minute queries from two days ago to ten years ahead, every page: the minutes
    // up to now, no more.
    let mut pages = client
        .get_metric_data()
        .start_time(to_aws(now - TimeDelta::days(2)))
        .end_time(to_aws(now + years))
        .set_metric_data_queries(Some(copies(&layout, 3, 60)))
        .into_paginator()
        .send();
    let (mut n, mut points) = (0, 0);
    while let Some(p) = pages.next().await {
        let p = p.expect("page");
        n += 1;
        for r in p.metric_data_results() {
            points += r.timestamps().len();
            assert!(r.timestamps().iter().all(|s| s.secs() <= now.timestamp()));
        }
    }
    assert!(n <= 2, "{n} pages");
    assert!(
        points > 0 && points <= 3 * (60 * 24 * 2 + 1),
        "{points} datapoints"
    );

    // A start 20 days ago: a one-minute period returns nothing (AWS), five minutes does.
    for (period, some) in [(60, false), (300, true)] {
        let out = client
            .get_metric_data()
            .start_time(to_aws(now - TimeDelta::days(20)))
            .end_time(to_aws(now))
            .set_metric_data_queries(Some(copies(&layout, 1, period)))
            .send()
            .await
            .expect("answered");
        let r = &out.metric_data_results()[0];
        assert_eq!(!r.timestamps().is_empty(), some, "period {period}");
        assert_eq!(
            r.status_code(),
            Some(&aws_sdk_cloudwatch::types::StatusCode::Complete)
        );
    }
    h.shutdown().await;
}

#[tokio::test]
async fn logs_queries_over_years_stay_within_aws_limits() {
    let layout = reference_layout();
    let h = server_with(
        &layout,
        Clock::starting_at(t(&layout, 600)),
        Limits::default(),
    )
    .await;
    // A week of minutes takes seconds in a debug build.
    let conf = sdk_config(
        &h.endpoint_url(),
        "ap-northeast-2",
        Duration::from_mins(1),
        Duration::from_mins(1),
        false,
    )
    .await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let group = "/hybridbts/seoul/httpd/error_log";
    let now = layout.event.start + TimeDelta::seconds(600);
    let retained = (now - TimeDelta::days(7)).timestamp();
    let q = "stats count(*) as n by bin(1m) as minute";

    // 1970 to 2100: answered at once, over what the group keeps (7 days), at most 10,000 rows.
    let id = logs
        .start_query()
        .log_group_names(group)
        .start_time(0)
        .end_time(4_102_444_800)
        .query_string(q)
        .send()
        .await
        .expect("started")
        .query_id()
        .expect("id")
        .to_string();
    let out = logs
        .get_query_results()
        .query_id(id)
        .send()
        .await
        .expect("results");
    assert_eq!(
        out.status(),
        Some(&aws_sdk_cloudwatchlogs::types::QueryStatus::Complete)
    );
    assert!(!out.results().is_empty());
    assert!(
        out.results().len() <= 10_000,
        "{} rows",
        out.results().len()
    );
    for row in out.results() {
        let bin = row
            .iter()
            .find(|f| f.field() == Some("minute"))
            .and_then(|f| f.value())
            .expect("bin");
        let at = chrono::NaiveDateTime::parse_from_str(bin, "%Y-%m-%d %H:%M:%S%.3f")
            .expect("time")
            .and_utc();
        assert!(at.timestamp() >= retained - 60, "{bin}");
    }

    // FilterLogEvents from 1970 to 2100: the newest lines, none older than the retention.
    let out = logs
        .filter_log_events()
        .log_group_name(group)
        .start_time(0)
        .end_time(4_102_444_800_000)
        .start_from_head(false)
        .limit(50)
        .send()
        .await
        .expect("lines");
    assert_eq!(out.events().len(), 50);
    assert!(
        out.events()
            .iter()
            .all(|e| e.timestamp().unwrap_or(0) >= retained * 1000)
    );
    h.shutdown().await;
}

#[tokio::test]
async fn sampled_requests_reach_back_three_hours_as_aws_does() {
    let layout = reference_layout();
    let h = server_with(
        &layout,
        Clock::starting_at(t(&layout, 600)),
        Limits::default(),
    )
    .await;
    let set = clients(&h.endpoint_url(), &layout).await;
    let acl = &layout.web_acls[0];
    let client = set.waf(acl.scope, &acl.region).expect("client");
    let arn = warroom_aws::sources::waf::find_web_acl(client, &acl.name, acl.scope)
        .await
        .expect("acl");
    let rule = &acl.sample_rules[0];
    let now = layout.event.start + TimeDelta::seconds(600);
    let window = |a: DateTime<Utc>, b: DateTime<Utc>| {
        aws_sdk_wafv2::types::TimeWindow::builder()
            .start_time(to_aws(a))
            .end_time(to_aws(b))
            .build()
            .expect("window")
    };
    let call = |w| {
        client
            .get_sampled_requests()
            .web_acl_arn(&arn)
            .rule_metric_name(rule)
            .scope(warroom_aws::sources::waf::scope(acl.scope))
            .time_window(w)
            .max_items(100)
            .send()
    };
    // Twenty years around now: the three hours up to now are sampled, and the answer says so.
    let years = TimeDelta::days(3650);
    let out = call(window(now - years, now + years))
        .await
        .expect("answered");
    let at = h
        .calls()
        .iter()
        .rev()
        .find(|c| c.op == "GetSampledRequests")
        .map(|c| c.at)
        .expect("journaled");
    let tw = out.time_window().expect("window");
    let secs = |d: &aws_smithy_types::DateTime| d.as_nanos() as f64 / 1e9;
    let at_secs = at.timestamp_millis() as f64 / 1000.0;
    assert!((secs(tw.start_time()) - (at_secs - 3.0 * 3600.0)).abs() < 0.002);
    assert!((secs(tw.end_time()) - at_secs).abs() < 0.002);
    let world = World::new(
        Scenario::ArmyDrop,
        42,
        layout.event.start,
        layout.event.tz(),
    );
    let (population, _) = world
        .sampled_requests(&acl.name, rule, at - TimeDelta::hours(3), at, 100)
        .expect("rule");
    assert_eq!(out.population_size(), population as i64);
    // A window that ends more than three hours ago: AWS's error.
    let err = call(window(now - TimeDelta::hours(5), now - TimeDelta::hours(4)))
        .await
        .expect_err("too old");
    assert_eq!(
        aws_sdk_wafv2::error::ProvideErrorMetadata::code(&err),
        Some("WAFInvalidParameterException")
    );
    h.shutdown().await;
}

#[tokio::test]
async fn logs_queries_beyond_aws_limits_get_aws_errors() {
    let layout = reference_layout();
    let h = server_with(
        &layout,
        Clock::starting_at(t(&layout, 600)),
        Limits::default(),
    )
    .await;
    let conf = sdk_config(
        &h.endpoint_url(),
        "ap-northeast-2",
        Duration::from_secs(5),
        Duration::from_secs(10),
        false,
    )
    .await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let group = "/hybridbts/seoul/httpd/error_log";
    let now = layout.event.start + TimeDelta::seconds(600);
    let retained = (now - TimeDelta::days(7)).timestamp();
    let q = "stats count(*) as n by bin(1m) as minute";
    // AWS's errors: an end before the retention, 51 groups, a query string over 10,000
    // characters, a negative time.
    let code = |e: &aws_sdk_cloudwatchlogs::error::SdkError<
        aws_sdk_cloudwatchlogs::operation::start_query::StartQueryError,
    >| {
        aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata::code(e)
            .unwrap_or_default()
            .to_string()
    };
    let base = || {
        logs.start_query()
            .start_time(now.timestamp() - 600)
            .end_time(now.timestamp())
            .query_string(q)
    };
    let old = logs
        .start_query()
        .log_group_names(group)
        .start_time(retained - 7200)
        .end_time(retained - 3600)
        .query_string(q)
        .send()
        .await
        .expect_err("before the retention");
    assert_eq!(code(&old), "MalformedQueryException");
    let many = base()
        .set_log_group_names(Some(vec![group.to_string(); 51]))
        .send()
        .await
        .expect_err("51 groups");
    assert_eq!(code(&many), "InvalidParameterException");
    let long = base()
        .log_group_names(group)
        .query_string(format!("{q} {}", " ".repeat(10_000)))
        .send()
        .await
        .expect_err("a long query");
    assert_eq!(code(&long), "InvalidParameterException");
    let negative = base()
        .log_group_names(group)
        .start_time(-1)
        .send()
        .await
        .expect_err("a negative time");
    assert_eq!(code(&negative), "InvalidParameterException");

    h.shutdown().await;
}
