//! The demo makes summaries on the schedule: from the dashboard's opening time, each slot's
//! summary is folded into the state with its delivery, and written as Markdown to the directory.

use warroom::config;
use warroom::dash::DemoSource;
use warroom::model::{DeliveryState, SummaryKind};
use warroom::sim::{Scenario, Simulator};
use warroom::time::parse_time_spec;

#[test]
fn demo_writes_each_slot_once_to_the_directory() {
    let layout = config::load_texts(
        &warroom::builtin::layout(),
        Some(&warroom::builtin::runbook()),
    )
    .expect("layout");
    let (t0, tz) = (layout.event.start, layout.event.tz());
    let at = |s: &str| parse_time_spec(s, t0, tz).expect("time");
    let dir = tempfile::tempdir().expect("tmp");
    let sim = Simulator::new(&layout, Scenario::SharedDb, 42, at("T-60m"));
    let mut src = DemoSource::new(&layout, sim, at("T-5m"), 10.0, None, "noc1".into())
        .with_summaries(dir.path().to_path_buf());
    let mut t = at("T-5m");
    while t < at("21:05") {
        t += chrono::TimeDelta::seconds(20);
        src.advance_to(t);
    }
    let book = src.pipeline().state().summaries();
    let slots: Vec<String> = book
        .entries()
        .iter()
        .map(|e| {
            assert_eq!(e.summary.kind, SummaryKind::Hourly);
            let o = e.sinks.values().next().expect("a delivery outcome");
            assert_eq!(o.state, DeliveryState::Sent);
            let file = dir.path().join(format!("{}.md", e.summary.id));
            let md = std::fs::read_to_string(&file).expect("markdown file");
            assert!(md.starts_with("# HYBRID-BTS"), "{md}");
            e.summary
                .slot
                .expect("slot")
                .with_timezone(&tz)
                .format("%H:%M")
                .to_string()
        })
        .collect();
    assert_eq!(slots, ["20:00", "20:30", "21:00"]);
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        3,
        "no temp files left"
    );
}
