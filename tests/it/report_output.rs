//! The written report: every SVG and the HTML page parse as XML documents (the page is
//! XHTML-compatible HTML5), charts carry their baseline and threshold bands and the shaded
//! periods, charts are inline in the page, hostile text stays text, and the output is
//! byte-identical for the same recording.

use crate::report_common;

use std::collections::BTreeMap;
use std::path::Path;

use report_common::{recording, t};
use warroom_core::model::{Event, EventBody, OperatorAction, OperatorEvent};
use warroom_core::report::{self, Report};
use warroom_sim::Scenario;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

fn reference() -> Report {
    let (header, events) = recording(Scenario::ArmyDrop);
    report::build(&header, events, None).expect("report")
}

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in ["", "charts"] {
        for e in std::fs::read_dir(dir.join(sub)).expect("dir") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_file() {
                let file = e.file_name().to_string_lossy().to_string();
                let name = if sub.is_empty() {
                    file
                } else {
                    format!("{sub}/{file}")
                };
                out.insert(name, std::fs::read(e.path()).expect("read"));
            }
        }
    }
    out
}

/// The page starts with `<!DOCTYPE html>`: allow that DTD (it declares nothing).
fn parse_page(text: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, opts).expect("the page parses as XML")
}

fn class_of<'a>(n: &roxmltree::Node<'a, '_>) -> &'a str {
    n.attribute("class").unwrap_or("")
}

#[test]
fn every_svg_and_the_page_are_valid_documents_with_bands() {
    let r = reference();
    let dir = tempfile::tempdir().expect("tmp");
    report::write(&r, dir.path()).expect("written");
    let files = read_dir(dir.path());
    assert!(files.contains_key("index.md") && files.contains_key("index.html"));
    let svgs: Vec<(&String, &Vec<u8>)> = files
        .iter()
        .filter(|(k, _)| {
            Path::new(k.as_str())
                .extension()
                .is_some_and(|e| e == "svg")
        })
        .collect();
    // One chart per series of the layout, plus the WAF block ratios.
    assert!(svgs.len() >= r.charts.len(), "{} charts", svgs.len());
    for (name, bytes) in &svgs {
        let text = std::str::from_utf8(bytes).expect("UTF-8");
        let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{name}");
        assert_eq!(root.tag_name().namespace(), Some(SVG_NS), "{name}");
        assert!(root.attribute("viewBox").is_some(), "{name}");
    }
    // The baseline band of a series with a baseline, on the parsed tree.
    let requests = std::str::from_utf8(&files["charts/seoul_requests.svg"]).expect("utf8");
    let doc = roxmltree::Document::parse(requests).expect("parses");
    let band = doc
        .descendants()
        .find(|n| n.has_tag_name((SVG_NS, "rect")) && class_of(n) == "baseline-band")
        .expect("a baseline band");
    assert_eq!(band.parent().map(|p| class_of(&p)), Some("baseline"));
    let h: f64 = band
        .attribute("height")
        .expect("h")
        .parse()
        .expect("number");
    assert!(h > 0.0);
    let title = band
        .parent()
        .and_then(|g| g.children().find(|c| c.has_tag_name((SVG_NS, "title"))))
        .and_then(|t| t.text())
        .expect("band title");
    assert_eq!(title, "baseline 1600");
    // The collapse is shaded; the series line is drawn.
    assert!(doc.descendants().any(|n| class_of(&n) == "shade"));
    let path = doc
        .descendants()
        .find(|n| class_of(n) == "series")
        .and_then(|n| n.attribute("d"))
        .expect("series path");
    assert!(path.starts_with('M') && path.contains('L'));
    // Thresholds as bands; no baseline band where the layout gives none.
    let p99 = std::str::from_utf8(&files["charts/seoul_p99.svg"]).expect("utf8");
    let doc = roxmltree::Document::parse(p99).expect("parses");
    for class in ["warn-band", "crit-band", "baseline-band"] {
        assert!(doc.descendants().any(|n| class_of(&n) == class), "{class}");
    }
    let t5xx = std::str::from_utf8(&files["charts/seoul_target_5xx.svg"]).expect("utf8");
    let doc = roxmltree::Document::parse(t5xx).expect("parses");
    assert!(!doc.descendants().any(|n| class_of(&n) == "baseline-band"));

    // The page: valid, self-contained, one inline chart per chart file.
    let page = std::str::from_utf8(&files["index.html"]).expect("utf8");
    let doc = parse_page(page);
    assert_eq!(doc.root_element().tag_name().name(), "html");
    let inline = doc
        .descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "svg")))
        .count();
    assert_eq!(inline, svgs.len());
    for tag in ["img", "script", "link", "iframe"] {
        assert!(
            !doc.descendants().any(|n| n.tag_name().name() == tag),
            "{tag}"
        );
    }
    let headings: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "h2")
        .filter_map(|n| n.text())
        .collect();
    for h in [
        "Success criteria",
        "Availability per hour",
        "Peaks against baseline",
        "Timeline",
        "Response times",
        "Charts",
        "WAF",
        "Data quality",
    ] {
        assert!(headings.contains(&h), "{h} in {headings:?}");
    }
    assert!(
        doc.descendants()
            .any(|n| n.text() == Some("T0: the event starts"))
    );
}

#[test]
fn hostile_text_stays_text_in_html_and_svg() {
    let (header, mut events) = recording(Scenario::ArmyDrop);
    let nasty = "<script>alert('x')</script>]]>&amp;\u{0}\u{1b}[2J <img src=x onerror=y>";
    events.push(Event {
        at: t(90),
        body: EventBody::Operator(OperatorEvent {
            who: "<b>mallory</b>".into(),
            user: None,
            post_mortem: false,
            action: OperatorAction::Annotation { text: nasty.into() },
        }),
    });
    events.push(Event {
        at: t(120),
        body: EventBody::Operator(OperatorEvent {
            who: "noc1".into(),
            user: None,
            post_mortem: false,
            action: OperatorAction::IncidentOpen {
                id: "INC-<1>".into(),
                fields: warroom_core::model::IncidentFields {
                    title: Some(nasty.into()),
                    ..Default::default()
                },
            },
        }),
    });
    events.sort_by_key(|e| e.at);
    let r = report::build(&header, events, None).expect("report");
    let page = report::html(&r);
    let doc = parse_page(&page);
    assert!(
        !doc.descendants()
            .any(|n| matches!(n.tag_name().name(), "script" | "img" | "b"))
    );
    let cell = doc
        .descendants()
        .filter_map(|n| n.text())
        .find(|t| t.contains("alert('x')"))
        .expect("the note, as text");
    assert!(
        cell.contains("<script>") && !cell.contains('\u{1b}'),
        "{cell}"
    );
    for (stem, svg) in report::charts(&r) {
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{stem}: {e}"));
        // The incident's label is shaded on every chart, as text.
        assert!(
            doc.descendants()
                .any(|n| n.text() == Some("incident INC-<1>")),
            "{stem}"
        );
    }
}

#[test]
fn same_recording_same_bytes() {
    let (header, events) = recording(Scenario::GaFailOpen);
    let a = tempfile::tempdir().expect("a");
    let b = tempfile::tempdir().expect("b");
    let r1 = report::build(&header, events.clone(), None).expect("r1");
    let r2 = report::build(&header, events, None).expect("r2");
    report::write(&r1, a.path()).expect("write a");
    report::write(&r2, b.path()).expect("write b");
    let (fa, fb) = (read_dir(a.path()), read_dir(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs");
    }
}
