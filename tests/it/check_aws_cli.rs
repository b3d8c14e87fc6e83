//! `warroom check --aws` through the real binary: with AWS unreachable every resource is
//! reported as not resolved with the reason, the budget and cost are still printed, and the exit
//! code is 1; a layout error is still exit 2.

use std::process::{Command, Output};

fn check_aws(layout: &str) -> Output {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["check", layout, "--aws"])
        .env(
            "WARROOM_LOG_FILE",
            std::env::temp_dir().join("warroom-test.log"),
        )
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("run warroom check --aws")
}

#[test]
fn unreachable_aws_is_reported_per_resource_with_exit_1() {
    let o = check_aws("layouts/minimal.toml");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("AWS resources (default credentials):"),
        "{out}"
    );
    assert!(out.contains("FAILED   load balancer"), "{out}");
    assert!(out.contains("connection"), "{out}");
    assert!(out.contains("0 of "), "{out}");
    assert!(out.contains("AWS calls per minute"), "{out}");
    assert!(out.contains("per month"), "{out}");
}

#[test]
fn a_layout_error_is_still_exit_2() {
    let o = check_aws("tests/invalid/does-not-exist.toml");
    assert_eq!(o.status.code(), Some(2));
}
