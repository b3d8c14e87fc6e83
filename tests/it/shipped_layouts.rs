//! The shipped layouts and runbooks load cleanly, and `warroom check`'s report covers them.

use std::path::Path;

use warroom_core::config::{self, load};

#[test]
fn reference_layout_loads() {
    let layout = match load(Path::new("layouts/hybrid-bts.toml")) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(layout.series.len(), 43);
    let rb = layout.runbook.as_ref().expect("runbook");
    assert_eq!(rb.steps.len(), 12);
    assert_eq!(rb.path, "runbooks/hybrid-bts.md");
    assert_eq!(layout.return_to_normal.criteria.len(), 11);
    let share = layout.series_by_id("ga.seoul.share").expect("math series");
    assert_eq!(share.region, "us-west-2");
    let rate = layout.series_by_id("seoul.5xx_rate").expect("math series");
    assert_eq!(
        (rate.region.as_str(), rate.account.as_str()),
        ("ap-northeast-2", "main")
    );
    let report = config::check_report(&layout);
    println!("{report}");
    for s in &rb.steps {
        assert!(report.contains(&s.id), "{} missing", s.id);
    }
    for c in &layout.return_to_normal.criteria {
        assert!(report.contains(&c.name), "{} missing", c.name);
    }
    assert!(
        report.lines().count() <= 61,
        "{} lines",
        report.lines().count()
    );
    assert!(report.is_ascii());
}

#[test]
fn minimal_layout_loads() {
    let layout = match load(Path::new("layouts/minimal.toml")) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(layout.accounts.len(), 1);
    assert_eq!(layout.accounts[0].id, "default");
    assert_eq!(layout.regions(), vec!["us-east-1".to_string()]);
    let rb = layout.runbook.as_ref().expect("runbook");
    assert_eq!(rb.steps.len(), 2);
    assert_eq!(rb.checklist.len(), 2);
    assert_eq!(rb.return_to_normal.len(), 2);
    assert_eq!(layout.return_to_normal.criteria.len(), 3);
    let report = config::check_report(&layout);
    assert!(report.contains("RB-02"), "{report}");
}

/// The serverless sale (CloudFront + WAF, API Gateway, Lambda, DynamoDB, SQS, a custom
/// business metric): milliseconds, availability from API Gateway's counts, an event target on
/// orders, prose and lists in its runbook.
#[test]
fn serverless_layout_loads() {
    let layout = match load(Path::new("layouts/serverless-sale.toml")) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(layout.regions(), vec!["us-east-1".to_string()]);
    let rb = layout.runbook.as_ref().expect("runbook");
    assert_eq!(rb.steps.len(), 5);
    let orders = layout.series_by_id("orders").expect("orders");
    assert_eq!(orders.target, Some(2000.0));
    let report = config::check_report(&layout);
    assert!(
        report.contains("availability     requests api.count; errors api.5xx; target 99.9%"),
        "{report}"
    );
    assert!(
        report.contains("event targets    orders 2000 (reached or not"),
        "{report}"
    );
    for s in &rb.steps {
        assert!(report.contains(&s.id), "{} missing", s.id);
    }
}

#[test]
fn embedded_texts_load_without_the_disk() {
    use warroom_core::model::event::EmbeddedFile;
    let text = std::fs::read_to_string("layouts/hybrid-bts.toml").expect("layout");
    let rb = std::fs::read_to_string("runbooks/hybrid-bts.md").expect("runbook");
    let layout_file = EmbeddedFile {
        path: "recorded/layout.toml".into(),
        text,
    };
    let rb_file = EmbeddedFile {
        path: "recorded/runbook.md".into(),
        text: rb,
    };
    let layout = config::load_texts(&layout_file, Some(&rb_file)).expect("loads");
    assert_eq!(layout.path, "recorded/layout.toml");
    assert_eq!(
        layout.runbook.as_ref().map(|r| r.path.as_str()),
        Some("recorded/runbook.md")
    );
    let without = config::load_texts(&layout_file, None).expect("loads");
    assert!(without.runbook.is_none());
}

#[test]
fn runbook_error_hint_suggests_close_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("layouts")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("runbooks")).expect("mkdir");
    std::fs::copy(
        "layouts/minimal.toml",
        dir.path().join("layouts/minimal.toml"),
    )
    .expect("copy");
    let rb = std::fs::read_to_string("runbooks/minimal.md")
        .expect("runbook")
        .replace("web.5xx_rate > 1 for 3m", "web.reqests > 1 for 3m");
    std::fs::write(dir.path().join("runbooks/minimal.md"), rb).expect("write");
    let err = load(&dir.path().join("layouts/minimal.toml")).expect_err("invalid");
    let d = &err.diagnostics[0];
    assert!(d.file.ends_with("runbooks/minimal.md"), "{d}");
    assert_eq!((d.line, d.col), (14, 10), "{d}");
    assert_eq!(d.message, "unknown name \"web.reqests\"");
    assert_eq!(d.hint, "did you mean web.requests?");
}
