//! `warroom sim serve` as a process under pressure: SIGTERM or SIGINT in the middle of requests
//! (one held by a `slow` fault, one over years of logs) ends it within a second with exit 0; out
//! of file descriptors it neither spins nor floods its log, and serves again once they free up.

use crate::simserve_common::{reference_layout, sdk_config, t};

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::TimeDelta;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// The endpoint URL from the first line the endpoint prints.
fn url_of(child: &mut Child) -> String {
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    assert!(
        first.starts_with("warroom simulator endpoint: http://127.0.0.1:"),
        "{first}"
    );
    // Keep reading (and dropping) the rest so the banner never blocks.
    std::thread::spawn(move || for _ in lines {});
    first.split_whitespace().nth(3).expect("url").to_string()
}

/// Waits for `child` to exit, at most `limit`: its exit code and how long it took.
fn exit_within(child: &mut Child, limit: Duration) -> (Option<i32>, Duration) {
    let t0 = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("status") {
            return (status.code(), t0.elapsed());
        }
        if t0.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (None, t0.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn stops_mid_request(signal: &str) {
    let mut child = Command::new(BIN)
        .args(["sim", "serve", "--port", "0", "--at", "T+10m"])
        .args(["--faults", "cloudwatch:slow@T-1h..T+2h"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let url = url_of(&mut child);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let took = rt.block_on(async {
        let conf = sdk_config(
            &url,
            "ap-northeast-2",
            Duration::from_mins(1),
            Duration::from_mins(1),
            false,
        )
        .await;
        // A GetMetricData the `slow` fault holds for 25 s.
        let cw = aws_sdk_cloudwatch::Client::new(&conf);
        let q = aws_sdk_cloudwatch::types::MetricDataQuery::builder()
            .id("m0")
            .expression("SUM(METRICS())")
            .build();
        let slow = tokio::spawn(
            cw.get_metric_data()
                .start_time(aws_smithy_types::DateTime::from_secs(0))
                .end_time(aws_smithy_types::DateTime::from_secs(4_102_444_800))
                .metric_data_queries(q)
                .send(),
        );
        // Logs Insights over two years.
        let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
        let now = t(&reference_layout(), 600).timestamp();
        let heavy = tokio::spawn(async move {
            let id = logs
                .start_query()
                .log_group_names("/hybridbts/seoul/httpd/error_log")
                .start_time(now - TimeDelta::days(2 * 365).num_seconds())
                .end_time(now)
                .query_string("stats count(*) by bin(1m)")
                .send()
                .await
                .ok()?;
            logs.get_query_results()
                .query_id(id.query_id().unwrap_or_default())
                .send()
                .await
                .ok()
        });
        tokio::time::sleep(Duration::from_millis(500)).await;
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let (code, took) = exit_within(&mut child, Duration::from_secs(30));
        slow.abort();
        heavy.abort();
        assert_eq!(code, Some(0), "exit status after {signal}");
        took
    });
    // It stops within 200 ms of the signal (the watcher's period); the bound leaves room for
    // a loaded test machine. Before, it never stopped (the 30 s above ran out).
    assert!(
        took < Duration::from_secs(3),
        "{signal} honoured after {took:?}"
    );
}

#[test]
fn sigterm_mid_request_ends_it_within_a_second() {
    stops_mid_request("TERM");
}

#[test]
fn sigint_mid_request_ends_it_within_a_second() {
    stops_mid_request("INT");
}

/// CPU time (user + system) the process `pid` has used, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime")
}

fn ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
}

#[test]
fn out_of_descriptors_it_neither_spins_nor_floods_its_log() {
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("serve.log");
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 48 && exec \"$0\" \"$@\"", BIN])
        .args(["sim", "serve", "--port", "0"])
        .env("WARROOM_LOG_FILE", &log)
        .env("WARROOM_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let url = url_of(&mut child);
    let addr = url.trim_start_matches("http://").to_string();
    // Far more connections than the process may open descriptors.
    let conns: Vec<std::net::TcpStream> = (0..120)
        .filter_map(|_| std::net::TcpStream::connect(&addr).ok())
        .collect();
    assert!(conns.len() > 100, "{} connected", conns.len());
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(child.id());
    std::thread::sleep(Duration::from_secs(2));
    let used = (cpu_ticks(child.id()) - before) as f64 / ticks_per_second() as f64;
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let lines = text.lines().filter(|l| l.contains("accept failed")).count();
    let log_bytes = text.len();

    // Descriptors free up: served again.
    drop(conns);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let served = rt.block_on(async {
        let conf = sdk_config(
            &url,
            "ap-northeast-2",
            Duration::from_secs(3),
            Duration::from_secs(5),
            true,
        )
        .await;
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&conf);
        for _ in 0..20 {
            if warroom_aws::sources::elbv2::resolve_target_group(&elb, "BTS-tg")
                .await
                .is_ok()
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        false
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(used < 0.5, "{used:.2} s of CPU in 2 s out of descriptors");
    assert!((1..=3).contains(&lines), "{lines} accept-failure lines");
    assert!(log_bytes < 64 << 10, "{log_bytes} bytes of log");
    assert!(served, "served again once descriptors are free");
}
