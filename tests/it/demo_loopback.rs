//! `warroom demo` runs the live code path: in a pseudo-terminal at 60x, the recording holds the
//! history primed from the simulator up to the opening moment, then what the real pollers
//! fetched from the in-process simulator endpoint over loopback: a `source_status` from every
//! poller (the in-process simulator never reports target-health, Global Accelerator, WAF, alarm
//! or log sources), and metric batches of every region after the opening moment. The user's AWS
//! settings are pointed at a dead endpoint and a missing profile: the demo must not use them.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::support::pty;

/// The reference layout's `--at T-5m`: 19:55 KST.
const OPENING: &str = "2026-06-13T10:55:00Z";

#[test]
fn demo_dashboard_is_fed_by_the_pollers_over_loopback() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("demo.jsonl");
    let mut cmd = pty::command(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["demo", "--operator", "pty-op", "--speed", "60", "--record"]);
    cmd.arg(&rec);
    cmd.arg("--summaries");
    cmd.arg(dir.path().join("summaries"));
    cmd.env("WARROOM_LOG_FILE", dir.path().join("warroom.log"));
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    cmd.env("AWS_PROFILE", "no-such-profile");
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/aws/config");
    cmd.env(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/aws/credentials",
    );
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    let mut s = pty::Session::start(cmd);
    s.wait_for("the dashboard", |sc| {
        sc.alternate_screen() && sc.contents().contains("SIM x60")
    });
    // Every poller has answered once: no source is waiting, none failing.
    s.wait_for("every source ok", |sc| {
        let c = sc.contents();
        c.contains("sources: ") && c.contains(" ok") && !c.contains("waiting")
    });
    assert!(
        !s.parser.screen().contents().contains("SOURCES:"),
        "no failing source on the banner:\n{}",
        s.parser.screen().contents()
    );
    // About three simulated minutes more, so metrics are polled again after the opening.
    let until = Instant::now() + Duration::from_secs(4);
    while Instant::now() < until {
        if let Ok(b) = s.bytes.recv_timeout(Duration::from_millis(100)) {
            s.parser.process(&b);
        }
    }
    s.press(b"q");
    assert!(s.wait_exit(), "did not exit on q");
    s.assert_restored();

    let text = std::fs::read_to_string(&rec).expect("recording");
    let opening: chrono::DateTime<chrono::Utc> = OPENING.parse().expect("time");
    let mut ok_sources = BTreeSet::new();
    let mut live_metrics = BTreeSet::new();
    let mut primed = 0usize;
    for line in text.lines().skip(1) {
        let v: serde_json::Value = serde_json::from_str(line).expect("event JSON");
        let at: chrono::DateTime<chrono::Utc> =
            v["at"].as_str().expect("at").parse().expect("time");
        match v["kind"].as_str().expect("kind") {
            "source_status" => {
                let src = v["source"].as_str().expect("source");
                assert_eq!(v["state"], "ok", "{line}");
                assert!(at >= opening, "pollers start at the opening: {line}");
                ok_sources.insert(src.to_string());
            }
            "metrics" if at > opening => {
                let n = v["series"].as_array().expect("series").len();
                assert!(n > 0, "{line}");
                live_metrics.insert((v["region"].as_str().expect("region").to_string(), at));
            }
            "metrics" => primed += 1,
            _ => {}
        }
    }
    assert!(primed >= 50, "the history is primed: {primed} batches");
    // Every poller of the reference layout reported, and only pollers report sources.
    let want: BTreeSet<String> = [
        "alarms:ap-northeast-2",
        "alarms:us-east-1",
        "cloudwatch:ap-northeast-2",
        "cloudwatch:us-east-1",
        "cloudwatch:us-west-2",
        "elbv2:seoul.tg",
        "elbv2:virginia.tg",
        "ga:ga",
        "logs:seoul.httpd",
        "logs:virginia.web",
        "waf:edge.waf",
        "waf:seoul.waf",
        "waf:virginia.waf",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(ok_sources, want);
    for region in ["ap-northeast-2", "us-east-1", "us-west-2"] {
        let polls = live_metrics.iter().filter(|(r, _)| r == region).count();
        assert!(
            polls >= 2,
            "{region}: {polls} metric polls after the opening"
        );
    }
}

/// The library side of the same path: `loopback::start` serves the reference layout on
/// 127.0.0.1 and its pollers call it on the shared virtual clock; every metric batch received
/// is one `GetMetricData` call in the endpoint's journal (one per region per tick), answered at
/// or after the opening moment.
#[test]
fn loopback_session_polls_the_endpoint() {
    use warroom::loopback;
    use warroom_aws::live::Next;
    use warroom_core::clock::Clock;
    use warroom_core::model::EventBody;

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/hybrid-bts.toml");
    let layout = warroom_core::config::load(&path).expect("the reference layout loads");
    let opening: chrono::DateTime<chrono::Utc> = OPENING.parse().expect("time");
    let clock = Clock::starting_at(opening).with_speed(60.0);
    let runtime = warroom_aws::live::session::runtime().expect("runtime");
    let opts = loopback::LoopbackOptions {
        scenario: warroom_sim::Scenario::ArmyDrop,
        seed: 42,
        clock,
        faults: warroom_sim::serve::Faults::default(),
    };
    let live = loopback::start(runtime, &layout, opts).expect("endpoint and pollers");
    assert!(live.label().starts_with("simulator 127.0.0.1:"));
    let (mut session, endpoint) = (live.session, live.endpoint);
    let mut metric_batches = 0usize;
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        if let Next::Batch(b) = session.next_within(Duration::from_millis(100)) {
            metric_batches += b
                .iter()
                .filter(|e| matches!(e.body, EventBody::Metrics(_)))
                .count();
        }
    }
    // Calls answered after the last batch was taken are not counted on either side.
    let calls = endpoint.calls();
    let rest = session.stop();
    metric_batches += rest
        .iter()
        .flatten()
        .filter(|e| matches!(e.body, EventBody::Metrics(_)))
        .count();
    let gmd: Vec<_> = calls.iter().filter(|c| c.op == "GetMetricData").collect();
    assert!(gmd.iter().all(|c| c.at >= opening && c.fault.is_none()));
    for region in ["ap-northeast-2", "us-east-1", "us-west-2"] {
        let n = gmd.iter().filter(|c| c.region == region).count();
        assert!(n >= 2, "{region}: {n} GetMetricData calls");
    }
    assert!(
        metric_batches.abs_diff(gmd.len()) <= 3,
        "{metric_batches} batches for {} calls",
        gmd.len()
    );
    for tg in &layout.target_groups {
        assert!(
            calls
                .iter()
                .any(|c| c.op == "DescribeTargetHealth" && c.resource.contains(&tg.name)),
            "{}",
            tg.name
        );
    }
}
