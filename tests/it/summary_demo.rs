//! The demo makes summaries on the schedule: from the dashboard's opening time, each slot's
//! summary is folded into the state with its delivery, and written as Markdown to the directory.

use crate::support::sim_source::SimSource;
use warroom_core::config;
use warroom_core::model::{DeliveryState, SummaryKind};
use warroom_core::time::parse_time_spec;
use warroom_sim::{Scenario, Simulator};

#[test]
fn demo_writes_each_slot_once_to_the_directory() {
    let layout = config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("layout");
    let (t0, tz) = (layout.event.start, layout.event.tz());
    let at = |s: &str| parse_time_spec(s, t0, tz).expect("time");
    let dir = tempfile::tempdir().expect("tmp");
    let sim = Simulator::new(&layout, Scenario::SharedDb, 42, at("T-60m"));
    let mut src = SimSource::new(&layout, sim, at("T-5m"), 10.0, None, "noc1")
        .with_summaries(dir.path().to_path_buf());
    let mut t = at("T-5m");
    while t < at("21:05") {
        t += chrono::TimeDelta::seconds(20);
        src.advance_to(t);
    }
    let book = src.journal().fold().pipeline().state().summaries();
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

#[test]
fn sending_from_the_overlay_writes_the_edited_summary_then_its_delivery() {
    use warroom_core::model::EventBody;
    use warroom_tui::app::Effect;
    use warroom_tui::run::ModelSource;
    let layout = config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("layout");
    let (t0, tz) = (layout.event.start, layout.event.tz());
    let at = |s: &str| parse_time_spec(s, t0, tz).expect("time");
    let dir = tempfile::tempdir().expect("tmp");
    let rec_path = dir.path().join("r.jsonl");
    let header = warroom_core::record::live::aws_header(&layout, None, at("T-60m"));
    let rec = warroom_core::record::Recorder::create(&rec_path, &header, false).expect("recorder");
    let out = dir.path().join("summaries");
    let sim = Simulator::new(&layout, Scenario::SharedDb, 42, at("T-60m"));
    let mut src = SimSource::new(&layout, sim, at("20:10"), 10.0, Some(rec), "noc1")
        .with_summaries(out.clone());
    src.advance_to(at("20:12"));
    assert!(
        src.model()
            .summary_preview
            .contains("Delivery of recent summaries")
    );
    assert!(!src.model().summary_headline.is_empty());
    src.apply(Effect::SendSummary {
        headline: Some("Seoul DB failing over".into()),
        note: Some("ETA 20:40".into()),
    });
    drop(src);
    let (_, reader) = warroom_core::record::Reader::open(&rec_path).expect("read");
    let events: Vec<_> = reader
        .filter(|e| {
            matches!(
                e.body,
                EventBody::Summary(_) | EventBody::SummaryDelivery(_)
            )
        })
        .collect();
    let [summary, delivery] = &events[..] else {
        panic!("expected a summary then its delivery: {events:?}");
    };
    let EventBody::Summary(r) = &summary.body else {
        panic!("first is not the summary");
    };
    assert_eq!(r.summary.kind, SummaryKind::OnDemand);
    assert_eq!(
        r.summary.headline_override.as_deref(),
        Some("Seoul DB failing over")
    );
    assert_eq!(r.summary.note.as_deref(), Some("ETA 20:40"));
    assert_eq!(r.summary.sent_by.as_deref(), Some("noc1"));
    let EventBody::SummaryDelivery(d) = &delivery.body else {
        panic!("second is not the delivery");
    };
    assert_eq!(
        (d.id.as_str(), d.state),
        (r.summary.id.as_str(), DeliveryState::Sent)
    );
    let md = std::fs::read_to_string(out.join(format!("{}.md", r.summary.id))).expect("md");
    assert!(md.contains("Seoul DB failing over"), "{md}");
}
