//! `warroom check --aws` through the real binary: with AWS unreachable every resource is
//! reported as not resolved with the reason, the budget and cost are still printed, and the exit
//! code is 1; a layout error is still exit 2.

use std::process::{Command, Output};

/// `warroom check LAYOUT --aws` with `env` (an endpoint and credentials) and no AWS config.
fn check_aws_with(layout: &std::path::Path, env: Vec<(String, String)>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("check")
        .arg(layout)
        .arg("--aws")
        .envs(env)
        .env(
            "WARROOM_LOG_FILE",
            std::env::temp_dir().join("warroom-test.log"),
        )
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

/// With AWS unreachable: an endpoint on a port nobody listens on.
fn check_aws(layout: &str) -> Output {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let env = [
        ("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}")),
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE".into()),
        ("AWS_SECRET_ACCESS_KEY", "test-secret".into()),
        ("AWS_REGION", "us-east-1".into()),
    ];
    check_aws_with(
        std::path::Path::new(layout),
        env.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    )
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

/// Against the simulator endpoint: the reference layout's every metric series has data; one
/// dimension value misspelt (`RDS bts-rds-db` as `bts-rds-bd`) is NO DATA with the value that
/// has data to paste, and the exit code is 1 (an `absent = "zero"` series would otherwise read
/// a healthy zero all event).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_series_is_looked_for_in_cloudwatch_and_a_typo_gets_the_value_with_data() {
    use crate::simserve_common::{reference_layout, server};
    let layout = reference_layout();
    let h = server(
        &layout,
        warroom_core::clock::Clock::starting_at(layout.event.start),
        warroom_sim::serve::Faults::default(),
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string("layouts/hybrid-bts.toml").expect("the layout");
    std::fs::create_dir(dir.path().join("layouts")).expect("mkdir");
    std::fs::create_dir(dir.path().join("runbooks")).expect("mkdir");
    std::fs::copy(
        "runbooks/hybrid-bts.md",
        dir.path().join("runbooks/hybrid-bts.md"),
    )
    .expect("the runbook");
    let typo = dir.path().join("layouts/typo.toml");
    std::fs::write(
        &typo,
        text.replacen(
            "DBInstanceIdentifier = \"bts-rds-db\"",
            "DBInstanceIdentifier = \"bts-rds-bd\"",
            1,
        ),
    )
    .expect("write");
    let run = |layout: std::path::PathBuf| {
        let env = h.env();
        async move {
            tokio::task::spawn_blocking(move || check_aws_with(&layout, env))
                .await
                .expect("joined")
        }
    };
    let whole = run(std::path::PathBuf::from("layouts/hybrid-bts.toml")).await;
    let out = String::from_utf8_lossy(&whole.stdout).to_string();
    let metric_series = layout
        .series
        .iter()
        .filter(|s| {
            matches!(
                s.source,
                warroom_core::config::layout::SeriesSource::Metric(_)
            )
        })
        .count();
    let want = format!("{metric_series} of {metric_series} metric series have data in CloudWatch");
    assert!(out.contains(&want), "{out}");
    let broken = run(typo).await;
    h.shutdown().await;
    let out = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{out}");
    assert!(out.contains("NO DATA  series"), "{out}");
    assert!(
        out.contains("nearest with data: DBInstanceIdentifier=bts-rds-db"),
        "{out}"
    );
    assert!(
        out.contains("DBInstanceIdentifier = \"bts-rds-db\"   (layout has \"bts-rds-bd\""),
        "{out}"
    );
}
