//! `warroom check LAYOUT --aws`: resolves every resource of the layout in AWS and prints what
//! was found and what was not (and why), the dimension values to paste, the AWS calls per
//! minute the layout will make and the estimated monthly GetMetricData cost. Exit 0 when
//! everything resolved, 1 when something did not.

use std::fmt::Write as _;

use super::Failure;
use crate::config::layout::Layout;
use crate::live::resolve::{Outcome, Report};
use crate::live::{accounts, resolve, session};
use crate::sanitize::sanitize;
use crate::sources::budget::{self, Budget};

pub fn run(layout: &Layout, profile: Option<&str>) -> Result<(), Failure> {
    let runtime = session::runtime().map_err(|e| Failure::runtime(format!("cannot start: {e}")))?;
    let report = runtime.block_on(async {
        let routes = accounts::connect(layout, profile).await;
        resolve::resolve(layout, &routes).await
    });
    let used = accounts::default_profile(layout, profile);
    print!(
        "{}",
        render(&report, &budget::calls_per_minute(layout), used)
    );
    match verdict(&report) {
        None => Ok(()),
        Some(why) => Err(Failure::runtime(why)),
    }
}

/// Why `check --aws` fails (exit 1), in the words of what went wrong; None when all is well.
pub fn verdict(report: &Report) -> Option<String> {
    let missing = report
        .items
        .iter()
        .filter(|i| !i.outcome.is_found())
        .count();
    let fixes = report.fixes.len();
    match (missing, fixes) {
        (0, 0) => None,
        (0, n) => Some(format!(
            "{n} dimension value(s) in the layout differ from AWS: paste the values above"
        )),
        (m, 0) => Some(format!("{m} resource(s) did not resolve (see above)")),
        (m, n) => Some(format!(
            "{m} resource(s) did not resolve and {n} dimension value(s) differ (see above)"
        )),
    }
}

fn word(o: &Outcome) -> (&'static str, String) {
    match o {
        Outcome::Found(d) => ("found", d.clone()),
        Outcome::Missing => ("MISSING", "not found".into()),
        Outcome::WrongRegion(r) => (
            "REGION",
            format!("not in this region; found in {r}: fix the layout's region"),
        ),
        Outcome::AccessDenied(d) => ("DENIED", d.clone()),
        Outcome::Failed(d) => ("FAILED", d.clone()),
        Outcome::NoData(d) => ("NO DATA", d.clone()),
    }
}

/// The report as printed.
pub(crate) fn render(report: &Report, b: &Budget, profile: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "AWS resources ({}):",
        profile.map_or_else(
            || "default credentials".to_string(),
            |p| format!("profile {p}")
        )
    );
    for i in &report.items {
        let (w, detail) = word(&i.outcome);
        let _ = writeln!(
            s,
            "  {w:<8} {:<14} {:<32} {:<20} {}",
            i.kind,
            sanitize(&i.name, false),
            i.region,
            sanitize(&detail, false)
        );
    }
    if !report.fixes.is_empty() {
        let _ = writeln!(s, "\nDimension values to paste into the layout:");
        for f in &report.fixes {
            let _ = writeln!(
                s,
                "  {} = \"{}\"   (layout has \"{}\"; series {})",
                f.key,
                sanitize(&f.real_value, false),
                sanitize(&f.layout_value, false),
                f.series.join(", ")
            );
        }
    }
    let resources: Vec<_> = report.items.iter().filter(|i| i.kind != "series").collect();
    let found = resources.iter().filter(|i| i.outcome.is_found()).count();
    let _ = writeln!(
        s,
        "\n{found} of {} resources resolved{}.",
        resources.len(),
        if report.fixes.is_empty() {
            String::new()
        } else {
            format!(", {} dimension value(s) to fix", report.fixes.len())
        }
    );
    let without = report.items.len() - resources.len();
    let _ = writeln!(
        s,
        "{} of {} metric series have data in CloudWatch (ListMetrics, the last two weeks).",
        report.series_checked - without,
        report.series_checked
    );
    if !report.never_nonzero.is_empty() {
        let _ = writeln!(
            s,
            "  of which never nonzero (CloudWatch lists a counter once it has been; its resource \
             has data): {}",
            report.never_nonzero.join(", ")
        );
    }
    budget_lines(&mut s, b);
    s
}

/// What the layout's polling costs: calls per minute and the monthly GetMetricData bill.
fn budget_lines(s: &mut String, b: &Budget) {
    let _ = writeln!(s, "\nAWS calls per minute (steady state):");
    for op in b.ops.iter().filter(|o| o.per_minute > 0.0) {
        let _ = writeln!(s, "  {:<22} {:>6.1}", op.op, op.per_minute);
    }
    let _ = writeln!(
        s,
        "  {:<22} {:>6.1}   (one GetMetricStatistics per series instead: {:.1})",
        "total", b.total_per_minute, b.naive_total_per_minute
    );
    let _ = writeln!(
        s,
        "GetMetricData: {} metric series, {:.0} metrics requested per 30 days, about ${:.2} per month",
        b.metric_queries, b.metrics_requested_per_month, b.get_metric_data_usd_per_month
    );
    let _ = writeln!(
        s,
        "These are the collector's: {:.1} calls a minute and ${:.2} a month with 0, 1 or 50 \
         screens attached (`collect --serve`, `warroom attach`); each `watch` polls on its own.",
        b.total_per_minute, b.get_metric_data_usd_per_month
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::resolve::{DimensionFix, Resolution};
    use warroom_core::testing::layout;

    #[test]
    fn the_report_says_why_and_what_to_paste() {
        let report = Report {
            items: vec![
                Resolution {
                    kind: "load balancer",
                    name: "BTS-ALB".into(),
                    region: "ap-northeast-2".into(),
                    outcome: Outcome::Found("app/BTS-ALB/1111".into()),
                },
                Resolution {
                    kind: "log group",
                    name: "/x\u{1b}[31m".into(),
                    region: "ap-northeast-2".into(),
                    outcome: Outcome::WrongRegion("us-east-1".into()),
                },
            ],
            fixes: vec![DimensionFix {
                series: vec!["seoul.requests".into()],
                key: "LoadBalancer".into(),
                layout_value: "app/BTS-ALB/50dc".into(),
                real_value: "app/BTS-ALB/1111".into(),
            }],
            series_checked: 6,
            never_nonzero: Vec::new(),
        };
        let text = render(&report, &budget::calls_per_minute(&layout()), Some("prod"));
        assert!(text.contains("profile prod"), "{text}");
        assert!(text.contains("REGION"), "{text}");
        assert!(text.contains("found in us-east-1"), "{text}");
        assert!(!text.contains('\u{1b}'), "hostile names sanitised");
        assert!(
            text.contains("LoadBalancer = \"app/BTS-ALB/1111\"   (layout has \"app/BTS-ALB/50dc\"; series seoul.requests)"),
            "{text}"
        );
        assert!(
            text.contains("1 of 2 resources resolved, 1 dimension value(s) to fix"),
            "{text}"
        );
        assert!(text.contains("GetMetricData: 6 metric series"), "{text}");
        assert!(
            text.contains("6 of 6 metric series have data in CloudWatch"),
            "{text}"
        );
        assert_eq!(
            verdict(&report).as_deref(),
            Some("1 resource(s) did not resolve and 1 dimension value(s) differ (see above)")
        );
        // Everything found, values to paste: the failure says that, not "did not resolve".
        let only_fixes = Report {
            items: vec![report.items[0].clone()],
            fixes: report.fixes.clone(),
            series_checked: 6,
            never_nonzero: Vec::new(),
        };
        assert_eq!(
            verdict(&only_fixes).as_deref(),
            Some("1 dimension value(s) in the layout differ from AWS: paste the values above")
        );
        assert!(text.contains("$2.59 per month"), "{text}");
    }
}
