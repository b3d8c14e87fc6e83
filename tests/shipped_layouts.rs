//! The shipped layouts and runbooks load cleanly, and `warroom check`'s report covers them.

use std::path::Path;

use warroom::config::{self, load};

#[test]
fn reference_layout_loads() {
    let layout = match load(Path::new("layouts/hybrid-bts.toml")) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(layout.series.len(), 41);
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
        report.lines().count() <= 60,
        "{} lines",
        report.lines().count()
    );
    assert!(report.is_ascii());
}
