//! `warroom sim serve` as a process: a bad fault spec exits 2 naming the token; a good run
//! prints the endpoint and environment, answers the SDK, and exits 0 on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
}

/// An ELBv2 client for the endpoint at `url`, in Seoul, with test credentials.
async fn elb_client(url: &str) -> aws_sdk_elasticloadbalancingv2::Client {
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("ap-northeast-2"))
        .credentials_provider(aws_credential_types::Credentials::for_tests())
        .endpoint_url(url)
        .load()
        .await;
    aws_sdk_elasticloadbalancingv2::Client::new(&conf)
}

#[test]
fn bad_fault_spec_exits_2_with_the_token() {
    let out = bin()
        .args([
            "sim",
            "serve",
            "--port",
            "0",
            "--faults",
            "logs:slow@T+1m..later",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"later\""), "{err}");
}

#[test]
fn serves_until_sigterm() {
    let mut child = bin()
        .args([
            "sim", "serve", "--port", "0", "--speed", "10x", "--at", "T+10m",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    assert!(
        first.starts_with("warroom simulator endpoint: http://127.0.0.1:"),
        "{first}"
    );
    let url = first.split_whitespace().nth(3).expect("url").to_string();
    let _ = lines.next();
    let env = lines.next().expect("env").expect("utf-8");
    assert!(env.contains(&format!("AWS_ENDPOINT_URL={url}")), "{env}");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let targets = rt.block_on(async {
        let elb = elb_client(&url).await;
        let arn = warroom_aws::sources::elbv2::resolve_target_group(&elb, "BTS-tg")
            .await
            .expect("resolves");
        warroom_aws::sources::elbv2::target_health(&elb, "seoul.tg", &arn)
            .await
            .expect("health")
            .targets
            .len()
    });
    assert!(targets > 0);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    assert_eq!(child.wait().expect("exits").code(), Some(0));
}

#[test]
fn a_closed_stdout_does_not_bring_the_endpoint_down() {
    // A free port, then a reader that is gone before the banner is written (`| head -0`).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = bin()
        .args(["sim", "serve", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    drop(child.stdout.take());
    // Time to write the banner into the closed pipe.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let url = format!("http://127.0.0.1:{port}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let listed = rt.block_on(async {
        let elb = elb_client(&url).await;
        // The endpoint may still be starting: a few tries over two seconds.
        for _ in 0..20 {
            if let Ok(arn) = warroom_aws::sources::elbv2::resolve_target_group(&elb, "BTS-tg").await
            {
                return Some(arn);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        None
    });
    let alive = child.try_wait().expect("status").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(alive, "the endpoint exited when its stdout closed");
    assert!(
        listed.is_some(),
        "the endpoint answered after its stdout closed"
    );
}

#[test]
fn check_aws_finds_every_resource_of_the_reference_layout_in_the_simulated_world() {
    let mut child = bin()
        .args(["sim", "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let env = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.trim_start().starts_with("export "))
        .expect("the export line");
    let mut check = bin();
    check
        .args(["check", "layouts/hybrid-bts.toml", "--aws"])
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env(
            "WARROOM_LOG_FILE",
            std::env::temp_dir().join("warroom-test.log"),
        );
    for kv in env
        .trim_start()
        .trim_start_matches("export ")
        .split_whitespace()
    {
        let (k, v) = kv.split_once('=').expect("KEY=value");
        check.env(k, v);
    }
    let out = check.output().expect("runs check --aws");
    let _ = child.kill();
    let _ = child.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("12 of 12 resources resolved."), "{text}");
    for word in ["MISSING", "FAILED", "DENIED", "REGION ", "not served"] {
        assert!(!text.contains(word), "{word}:\n{text}");
    }
    assert!(
        text.contains("found    log group      /hybridbts/seoul/httpd/error_log"),
        "{text}"
    );
}
