//! Delivery to a local HTTP receiver (hyper, on 127.0.0.1) under paused tokio time: the Slack
//! and Teams payloads are checked against their documented shapes by the receiver; the
//! receiver is down for 30 simulated minutes while summaries keep coming, then up: every
//! summary reaches every sink, in order, none lost, and every attempt is reported as a
//! `summary_delivery` event; an HTTP 429 with Retry-After is waited out exactly.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::Instant;
use warroom_aws::delivery::sink::secret::UrlSource;
use warroom_aws::delivery::sink::{Sink, WebhookSink};
use warroom_aws::delivery::{Delivery, Policy};
use warroom_core::clock::SharedClock;
use warroom_core::config::layout::WebhookFormat;
use warroom_core::model::{DeliveryState, Event, EventBody, Summary, SummaryDelivery};

/// What the receiver saw: path, seq of the summary (from its id), simulated time.
type Log = Arc<Mutex<Vec<(String, u32, Duration)>>>;

fn summary(seq: u32) -> Summary {
    let mut s: Summary =
        serde_json::from_str(include_str!("../snapshots/summary_shared_db_2030.json"))
            .expect("snapshot summary");
    s.seq = seq;
    s.id = format!("S{seq:03}-test");
    s
}

/// Slack incoming webhook: `text` plus at most 50 blocks of known types within their limits.
fn slack_problems(v: &Value) -> Vec<String> {
    let mut p = Vec::new();
    if !v["text"].is_string() {
        p.push("no fallback text".into());
    }
    let Some(blocks) = v["blocks"].as_array() else {
        return vec!["no blocks".into()];
    };
    if blocks.is_empty() || blocks.len() > 50 {
        p.push(format!("{} blocks", blocks.len()));
    }
    for b in blocks {
        let len = |x: &Value| x.as_str().map_or(usize::MAX, |s| s.chars().count());
        match b["type"].as_str() {
            Some("header") => {
                if b["text"]["type"] != "plain_text" || len(&b["text"]["text"]) > 150 {
                    p.push("bad header".into());
                }
            }
            Some("section") => {
                if let Some(fields) = b["fields"].as_array() {
                    if fields.len() > 10 || fields.iter().any(|f| len(&f["text"]) > 2000) {
                        p.push("bad fields".into());
                    }
                } else if b["text"]["type"] != "mrkdwn" || len(&b["text"]["text"]) > 3000 {
                    p.push("bad section".into());
                }
            }
            Some("divider") => {}
            Some("context") => {
                if b["elements"]
                    .as_array()
                    .is_none_or(|e| e.is_empty() || e.len() > 10)
                {
                    p.push("bad context".into());
                }
            }
            other => p.push(format!("unknown block {other:?}")),
        }
    }
    p
}

/// Teams Workflows webhook: a message whose one attachment is an Adaptive Card.
fn teams_problems(v: &Value) -> Vec<String> {
    let mut p = Vec::new();
    if v["type"] != "message" {
        p.push("not a message".into());
    }
    let attachment = &v["attachments"][0];
    if attachment["contentType"] != "application/vnd.microsoft.card.adaptive" {
        p.push("not an adaptive card attachment".into());
    }
    let card = &attachment["content"];
    if card["type"] != "AdaptiveCard"
        || !card["version"].is_string()
        || !card["$schema"].is_string()
    {
        p.push("bad card header".into());
    }
    match card["body"].as_array() {
        Some(body) if !body.is_empty() => {
            for element in body {
                match element["type"].as_str() {
                    Some("TextBlock") if element["text"].is_string() => {}
                    Some("FactSet")
                        if element["facts"].as_array().is_some_and(|f| {
                            f.iter()
                                .all(|x| x["title"].is_string() && x["value"].is_string())
                        }) => {}
                    other => p.push(format!("bad element {other:?}")),
                }
            }
        }
        _ => p.push("empty body".into()),
    }
    p
}

/// Serves until the listener task is aborted. `busy` answers that many 429s first.
async fn serve(listener: TcpListener, log: Log, origin: Instant, busy: Arc<Mutex<u32>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let (log, busy) = (log.clone(), busy.clone());
        tokio::spawn(async move {
            let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let (log, busy) = (log.clone(), busy.clone());
                async move {
                    let path = req.uri().path().to_string();
                    let body = req.into_body().collect().await.expect("body").to_bytes();
                    let v: Value = serde_json::from_slice(&body).expect("json body");
                    let problems = match path.as_str() {
                        "/slack" => slack_problems(&v),
                        "/teams" => teams_problems(&v),
                        _ => vec!["unknown path".into()],
                    };
                    let mut b = busy.lock().expect("lock");
                    let resp = if !problems.is_empty() {
                        hyper::Response::builder()
                            .status(400)
                            .body(Full::new(Bytes::from(problems.join("; "))))
                    } else if *b > 0 {
                        *b -= 1;
                        hyper::Response::builder()
                            .status(429)
                            .header("retry-after", "120")
                            .body(Full::new(Bytes::from("rate_limited")))
                    } else {
                        let text = v.to_string();
                        let seq = text
                            .split("S0")
                            .nth(1)
                            .and_then(|r| r.get(..2))
                            .and_then(|d| d.parse().ok())
                            .expect("summary id in the payload");
                        log.lock()
                            .expect("lock")
                            .push((path, seq, origin.elapsed()));
                        hyper::Response::builder()
                            .status(200)
                            .body(Full::new(Bytes::from("ok")))
                    };
                    Ok::<_, std::convert::Infallible>(resp.expect("response"))
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

fn sinks(dir: &std::path::Path, addr: SocketAddr) -> Vec<Sink> {
    [
        ("slack", WebhookFormat::Slack),
        ("teams", WebhookFormat::Teams),
    ]
    .into_iter()
    .map(|(name, f)| {
        let file = dir.join(name);
        std::fs::write(&file, format!("http://{addr}/{name}?token=SECRET1234")).expect("url");
        Sink::Webhook(Box::new(WebhookSink::new(
            format!("webhook:{name}"),
            f,
            UrlSource::File(file),
        )))
    })
    .collect()
}

fn sim_clock(origin: Instant) -> (SharedClock, DateTime<Utc>) {
    let t0 = DateTime::parse_from_rfc3339("2026-06-13T20:00:00+09:00")
        .expect("t0")
        .with_timezone(&Utc);
    let clock: SharedClock =
        Arc::new(move || t0 + TimeDelta::from_std(origin.elapsed()).expect("elapsed"));
    (clock, t0)
}

fn deliveries(rx: &mut mpsc::UnboundedReceiver<Event>) -> Vec<(DateTime<Utc>, SummaryDelivery)> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        if let EventBody::SummaryDelivery(d) = e.body {
            out.push((e.at, d));
        }
    }
    out
}

#[tokio::test(start_paused = true)]
async fn receiver_down_for_30_minutes_then_everything_arrives_in_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let probe = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = probe.local_addr().expect("addr");
    drop(probe); // down: connections are refused
    let origin = Instant::now();
    let (clock, _) = sim_clock(origin);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let policy = Policy::default();
    let delivery = Delivery::start(sinks(dir.path(), addr), policy, &clock, &tx);
    let log: Log = Arc::default();
    // Summaries every 5 simulated minutes while the receiver is down, and two after.
    for seq in 1..=8u32 {
        delivery.enqueue(&summary(seq));
        if seq == 6 {
            tokio::time::sleep_until(origin + Duration::from_mins(30)).await;
            let listener = TcpListener::bind(addr).await.expect("rebind");
            tokio::spawn(serve(listener, log.clone(), origin, Arc::default()));
        } else {
            tokio::time::sleep(Duration::from_mins(5)).await;
        }
    }
    tokio::time::sleep(Duration::from_mins(15)).await;
    let seen = log.lock().expect("lock").clone();
    for path in ["/slack", "/teams"] {
        let seqs: Vec<u32> = seen
            .iter()
            .filter(|(p, ..)| p == path)
            .map(|(_, s, _)| *s)
            .collect();
        assert_eq!(
            seqs,
            (1..=8).collect::<Vec<_>>(),
            "{path}: all, in order, once"
        );
    }
    assert!(
        seen.iter().all(|(.., t)| *t >= Duration::from_mins(30)),
        "nothing arrived while down"
    );
    // The longest back-off (5 min) bounds how late the first one arrives after the outage.
    let first = seen.iter().map(|(.., t)| *t).min().expect("some");
    assert!(first <= Duration::from_mins(35), "{first:?}");
    let events = deliveries(&mut rx);
    for sink in ["webhook:slack", "webhook:teams"] {
        for seq in 1..=8u32 {
            let id = format!("S{seq:03}-test");
            let mine: Vec<_> = events
                .iter()
                .filter(|(_, d)| d.sink == sink && d.id == id)
                .collect();
            let sent: Vec<_> = mine
                .iter()
                .filter(|(_, d)| d.state == DeliveryState::Sent)
                .collect();
            assert_eq!(sent.len(), 1, "{sink} {id} sent once");
            for (at, d) in mine
                .iter()
                .filter(|(_, d)| d.state == DeliveryState::Failed)
            {
                assert!(
                    d.next_retry.is_some_and(|n| n > *at),
                    "a retry is scheduled"
                );
                let detail = d.detail.as_deref().unwrap_or_default();
                assert!(!detail.contains("SECRET1234"), "redacted: {detail}");
            }
        }
    }
    assert!(
        events
            .iter()
            .any(|(_, d)| d.id == "S001-test" && d.state == DeliveryState::Failed && d.attempt > 3),
        "the first summary was retried through the outage"
    );
    delivery.abort();
}

#[tokio::test(start_paused = true)]
async fn http_429_retry_after_is_honoured() {
    let dir = tempfile::tempdir().expect("tmp");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let origin = Instant::now();
    let log: Log = Arc::default();
    // Two 429s: one for each sink's first attempt.
    tokio::spawn(serve(
        listener,
        log.clone(),
        origin,
        Arc::new(Mutex::new(2)),
    ));
    let (clock, t0) = sim_clock(origin);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let delivery = Delivery::start(sinks(dir.path(), addr), Policy::default(), &clock, &tx);
    delivery.enqueue(&summary(1));
    tokio::time::sleep(Duration::from_mins(10)).await;
    let seen = log.lock().expect("lock").clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    for (_, _, t) in &seen {
        // Retry-After 120 s, not the 5 s first back-off.
        assert!(
            *t >= Duration::from_mins(2) && *t < Duration::from_secs(121),
            "{t:?}"
        );
    }
    let events = deliveries(&mut rx);
    let failed: Vec<_> = events
        .iter()
        .filter(|(_, d)| d.state == DeliveryState::Failed)
        .collect();
    assert_eq!(failed.len(), 2);
    for (at, d) in failed {
        assert!(d.detail.as_deref().is_some_and(|x| x.contains("429")));
        assert_eq!(d.next_retry, Some(*at + TimeDelta::seconds(120)));
        assert!(*at < t0 + TimeDelta::seconds(1));
    }
    delivery.abort();
}
