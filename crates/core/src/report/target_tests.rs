//! Tests of an event target in the report: the peaks table's target column and the dashed line
//! on the series' chart.

use crate::eval::test_support::minutes;
use crate::model::{EmbeddedFile, FORMAT_NAME, FORMAT_VERSION, Header, Source};

/// The judged test layout with Seoul's requests expecting `target` a minute, recorded with
/// `per_minute` from T0 (and a few minutes before it, far above the target: not the event's).
fn report(target: Option<&str>, per_minute: &[f64]) -> super::Report {
    let mut text = include_str!("../testing/judged.toml").to_string();
    if let Some(t) = target {
        text = text.replacen(
            "baseline = 1600\n",
            &format!("baseline = 1600\ntarget = {t}\n"),
            1,
        );
    }
    let t0 = crate::eval::test_support::t0();
    let header = Header {
        format: FORMAT_NAME.into(),
        version: FORMAT_VERSION,
        writer: "test".into(),
        created: t0,
        start: t0,
        source: Source::Simulator {
            scenario: "test".into(),
            seed: 1,
        },
        layout: EmbeddedFile {
            path: "judged.toml".into(),
            text,
        },
        runbook: None,
    };
    let events = vec![
        minutes("s.req", -5, &[9000.0, 9000.0]),
        minutes("s.req", 0, per_minute),
    ];
    super::build(&header, events, None).expect("a report")
}

fn peaks_table(r: &super::Report) -> String {
    let md = super::markdown::render(r);
    let from = md
        .find("## Peaks against baseline")
        .expect("the peaks table");
    let to = md[from..].find("\n## ").map_or(md.len(), |i| from + i);
    md[from..to].to_string()
}

#[test]
fn the_peaks_table_says_whether_the_target_was_reached_in_the_event_window() {
    let r = report(Some("2000"), &[1200.0, 1850.0, 1500.0]);
    let table = peaks_table(&r);
    assert!(table.contains("| Threshold | Target |"), "{table}");
    // 9,000 a minute before T0 is not the event's: the best of the window is 1,850.
    let row = table
        .lines()
        .find(|l| l.contains("(s.req)"))
        .expect("Seoul's requests");
    assert!(row.ends_with("| 2000: not reached (best 92%) |"), "{row}");
    let other = table
        .lines()
        .find(|l| l.contains("(s.rate)"))
        .expect("the 5xx rate");
    assert!(other.ends_with("| - |"), "{other}");
    let r = report(Some("2000"), &[1200.0, 2310.0, 1500.0]);
    assert!(
        peaks_table(&r).contains("| 2000: reached (116%) |"),
        "{}",
        peaks_table(&r)
    );
    // Without a target the table keeps its columns.
    let table = peaks_table(&report(None, &[1200.0, 2310.0, 1500.0]));
    assert!(
        table.contains("| Threshold |\n") && !table.contains("Target"),
        "{table}"
    );
}

#[test]
fn a_series_chart_draws_its_target_as_a_dashed_line_over_the_event_window() {
    let r = report(Some("2000"), &[1200.0, 1850.0, 1500.0]);
    let charts = super::charts(&r);
    let svg = charts.get("s_req").expect("Seoul's requests' chart");
    assert!(svg.contains("class=\"target\""), "{svg}");
    assert!(svg.contains("stroke-dasharray=\"6 4\""), "{svg}");
    assert!(svg.contains("target 2000"), "{svg}");
    // The line starts at T0, not at the start of the recording (5 minutes earlier).
    let d = svg
        .split("class=\"target\"")
        .nth(1)
        .and_then(|g| g.split("d=\"M").nth(1))
        .and_then(|d| d.split(' ').next())
        .expect("the target's path");
    let x0: f64 = d.parse().expect("a coordinate");
    assert!(x0 > super::svg_chart::LEFT + 1.0, "{d}");
    let other = charts.get("s_rate").expect("the 5xx rate's chart");
    assert!(!other.contains("class=\"target\""));
}
