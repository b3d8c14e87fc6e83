//! `warroom check` through the real binary: the reference layouts pass with a summary of what
//! would be watched; every invalid fixture prints its file:line:col diagnostic and exits 2.

use std::process::{Command, Output};

fn check(path: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["check", path])
        .env(
            "WARROOM_LOG_FILE",
            std::env::temp_dir().join("warroom-test.log"),
        )
        .output()
        .expect("run warroom check")
}

#[test]
fn reference_layout_checks_clean_with_a_summary() {
    let o = check("layouts/hybrid-bts.toml");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for needle in [
        "ap-northeast-2",
        "us-east-1",
        "us-west-2",
        "BTS-tg",
        "BTS-AGA",
        "BTS-CloudFront-WebACL",
        "RB-03",
        "RB-12",
        "15m",
        "12 checklist items (0 done)",
    ] {
        assert!(out.contains(needle), "summary lacks {needle}:\n{out}");
    }
    assert!(
        out.lines().count() <= 70,
        "one screen, not {} lines",
        out.lines().count()
    );
}

#[test]
fn minimal_layout_checks_clean() {
    let o = check("layouts/minimal.toml");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn every_invalid_fixture_fails_with_its_diagnostic_and_exit_code_2() {
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir("tests/invalid")
        .expect("fixtures")
        .flatten()
        .collect();
    entries.sort_by_key(std::fs::DirEntry::path);
    for entry in entries {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let shown = path.to_str().expect("utf-8 path");
        let expected =
            std::fs::read_to_string(path.with_extension("expected")).expect("expected file");
        let o = check(shown);
        assert_eq!(o.status.code(), Some(2), "{shown}");
        // Paths shown resolved (absolute) are written relative to the repository in the
        // fixtures.
        let repo = format!("{}/", std::env::current_dir().expect("cwd").display());
        let err = String::from_utf8_lossy(&o.stderr).replace(&repo, "$REPO/");
        let first_two: Vec<&str> = err.lines().take(2).collect();
        let want: Vec<&str> = expected.lines().take(2).collect();
        assert_eq!(first_two, want, "{shown}");
        assert!(o.stdout.is_empty(), "{shown}: nothing on stdout on error");
        seen += 1;
    }
    assert!(seen >= 20, "only {seen} invalid fixtures");
}

#[test]
fn a_missing_layout_file_is_an_input_error() {
    let o = check("layouts/does-not-exist.toml");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"layouts/does-not-exist.toml\""));
}

#[test]
fn check_says_how_each_success_criterion_is_judged_and_dates_a_long_window() {
    let o = check("crates/core/src/testing/tix.toml");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for needle in [
        "2026-11-23 09:00 -> 2026-12-07 09:00 UTC",
        "success criteria 3 (2 judged from the data, 1 by a person)",
        "judged by its condition: tix.p99 < 1",
        "judged on the requests without 5xx in the event window (target 99.9%)",
        "not judged automatically",
    ] {
        assert!(out.contains(needle), "check lacks {needle}:\n{out}");
    }
}
