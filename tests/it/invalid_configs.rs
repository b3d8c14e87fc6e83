//! Invalid layouts and runbooks under `tests/invalid/` must fail to load with the exact first
//! diagnostic in the fixture's `.expected` file (error line, then hint line).
//! `BLESS=1 cargo test --test it invalid_configs` rewrites the `.expected` files from the output.

use std::path::Path;

use warroom_core::config::{Diagnostic, load};

use crate::support::golden;

const DIR: &str = "tests/invalid";

fn first_diagnostic(stem: &str) -> Diagnostic {
    let path = format!("{DIR}/{stem}.toml");
    match load(Path::new(&path)) {
        Ok(_) => panic!("{path} loaded but is invalid"),
        Err(e) => e
            .diagnostics
            .into_iter()
            .next()
            .expect("at least one diagnostic"),
    }
}

fn check(stem: &str, location: &str) {
    let d = first_diagnostic(stem);
    // Paths shown resolved (absolute) are written relative to the repository in the fixtures.
    let cwd = format!("{}/", std::env::current_dir().expect("cwd").display());
    let shown = d.to_string().replace(&cwd, "$REPO/");
    golden::check(&format!("{DIR}/{stem}.expected"), &format!("{shown}\n"));
    // The parts every diagnostic must carry.
    let prefix = format!("{DIR}/{location}: error: ");
    assert!(
        shown.starts_with(&prefix),
        "{stem}: {shown}\n  wanted prefix {prefix}"
    );
    assert!(
        d.message.contains(&format!("\"{}\"", d.value)),
        "{stem}: value {:?} not quoted in {:?}",
        d.value,
        d.message
    );
    assert!(!d.hint.is_empty(), "{stem}: no hint");
    assert!(shown.contains("\n  hint: "), "{stem}: {shown}");
}

macro_rules! invalid {
    ($($name:ident: $stem:literal at $loc:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($stem, $loc);
            }
        )*

        const STEMS: &[&str] = &[$($stem),*];
    };
}

invalid! {
    unknown_top_level_key: "unknown-top-level-key" at "unknown-top-level-key.toml:16:2",
    readiness_unknown_skip: "readiness-unknown-skip" at "readiness-unknown-skip.toml:8:9",
    readiness_tier_kind: "readiness-tier-kind" at "readiness-tier-kind.toml:9:8",
    readiness_quota_not_watchable: "readiness-quota-not-watchable" at "readiness-quota-not-watchable.toml:7:21",
    unknown_series_key: "unknown-series-key" at "unknown-series-key.toml:15:1",
    unknown_threshold_key: "unknown-threshold-key" at "unknown-threshold-key.toml:15:25",
    bad_type: "bad-type" at "bad-type.toml:15:12",
    toml_syntax: "toml-syntax" at "toml-syntax.toml:12:8",
    missing_event_key: "missing-event-key" at "missing-event-key.toml:1:1",
    duplicate_series_id: "duplicate-series-id" at "duplicate-series-id.toml:17:6",
    math_unknown_series: "math-unknown-series" at "math-unknown-series.toml:18:15",
    math_cycle: "math-cycle" at "math-cycle.toml:18:9",
    math_syntax: "math-syntax" at "math-syntax.toml:18:31",
    bad_region: "bad-region" at "bad-region.toml:8:10",
    bad_period: "bad-period" at "bad-period.toml:15:10",
    bad_stat: "bad-stat" at "bad-stat.toml:12:8",
    bad_unit: "bad-unit" at "bad-unit.toml:13:8",
    warn_crit_order: "warn-crit-order" at "warn-crit-order.toml:15:22",
    bad_threshold_duration: "bad-threshold-duration" at "bad-threshold-duration.toml:15:41",
    bad_time_zone: "bad-time-zone" at "bad-time-zone.toml:5:15",
    bad_availability_target: "bad-availability-target" at "bad-availability-target.toml:6:23",
    availability_unit: "availability-unit" at "availability-unit.toml:27:13",
    start_after_end: "start-after-end" at "start-after-end.toml:4:7",
    unknown_account: "unknown-account" at "unknown-account.toml:18:11",
    panel_unknown_series: "panel-unknown-series" at "panel-unknown-series.toml:19:27",
    panel_unknown_health: "panel-unknown-health" at "panel-unknown-health.toml:25:21",
    cloudfront_acl_region: "cloudfront-acl-region" at "cloudfront-acl-region.toml:20:10",
    webhook_url_twice: "webhook-url-twice" at "webhook-url-twice.toml:23:12",
    missing_runbook: "missing-runbook" at "missing-runbook.toml:5:11",
    health_ref_vs_number: "health-ref-vs-number" at "health-ref-vs-number.toml:22:39",
    baseline_without_baseline: "baseline-without-baseline" at "baseline-without-baseline.toml:17:76",
    unknown_state: "unknown-state" at "unknown-state.toml:22:55",
    criterion_syntax: "criterion-syntax" at "criterion-syntax.toml:19:51",
    runbook_unknown_series: "runbook-unknown-series" at "runbook-unknown-series.md:14:10",
    runbook_when_syntax: "runbook-when-syntax" at "runbook-when-syntax.md:7:25",
    runbook_unknown_step_key: "runbook-unknown-step-key" at "runbook-unknown-step-key.md:9:3",
    runbook_duplicate_step: "runbook-duplicate-step" at "runbook-duplicate-step.md:9:5",
    runbook_bad_step_id: "runbook-bad-step-id" at "runbook-bad-step-id.md:5:5",
    runbook_unknown_function: "runbook-unknown-function" at "runbook-unknown-function.md:7:10",
    runbook_health_vs_number: "runbook-health-vs-number" at "runbook-health-vs-number.md:7:10",
    runbook_verify_type: "runbook-verify-type" at "runbook-verify-type.md:8:12",
}

/// Every layout fixture in the directory is exercised above.
#[test]
fn every_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(DIR)
        .expect("fixture dir")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = STEMS.iter().map(|s| (*s).to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    assert!(listed.len() >= 24);
}

/// Every diagnostic, not only the first, quotes its value and carries a hint.
#[test]
fn every_diagnostic_quotes_its_value_and_hints() {
    for stem in STEMS {
        let Err(e) = load(Path::new(&format!("{DIR}/{stem}.toml"))) else {
            panic!("{stem} loaded");
        };
        for d in &e.diagnostics {
            assert!(
                d.message.contains(&format!("\"{}\"", d.value)),
                "{stem}: {d}"
            );
            assert!(!d.hint.is_empty(), "{stem}: {d}");
            assert!(d.line >= 1 && d.col >= 1, "{stem}: {d}");
        }
    }
}
