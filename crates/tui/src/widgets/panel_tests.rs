//! Unit tests of the `panel` module, kept beside it.

use super::*;
use crate::caps::Caps;
use crate::config::layout::{Direction, Unit};
use crate::model::Status;
use ratatui::style::Color;

fn panel() -> PanelModel {
    PanelModel {
        id: "seoul".into(),
        title: "Seoul BTS-ALB".into(),
        short: "Seoul".into(),
        priority: 2,
        status: Status::Red,
        rows: vec![
            PanelRow::Metric(MetricRow {
                label: "requests/min".into(),
                value: Some(28_000.0),
                unit: Unit::Count,
                per_min: false,
                baseline: Some(1_600.0),
                ratio: true,
                age: None,
                live: None,
                status: Status::Green,
                pending: None,
                stale: false,
                buckets: vec![Some(1_600.0), None, Some(28_000.0)],
                provisional: 1,
                threshold: None,
                direction: Direction::Above,
                target: None,
            }),
            PanelRow::Text(TextRow {
                text: "i-0ab unhealthy Target.Timeout\x1b[2J".into(),
                status: Some(Status::Red),
                dim: false,
                zoom_only: false,
            }),
            PanelRow::Text(TextRow {
                text: "third".into(),
                status: None,
                dim: true,
                zoom_only: false,
            }),
        ],
    }
}

fn render(p: &PanelModel, w: u16, h: u16, theme: Theme) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    PanelView {
        panel: p,
        number: 2,
        selected: false,
        zoomed: false,
        axis: None,
        theme: &theme,
    }
    .render(buf.area, &mut buf);
    buf
}

fn lines(buf: &Buffer) -> Vec<String> {
    let w = usize::from(buf.area.width);
    buf.content()
        .chunks(w)
        .map(|r| r.iter().map(ratatui::buffer::Cell::symbol).collect())
        .collect()
}

#[test]
fn rows_and_title() {
    let theme = Theme::new(Caps::FULL);
    let buf = render(&panel(), 60, 5, theme);
    assert_eq!(
        lines(&buf),
        [
            "┌ 2 Seoul BTS-ALB ────────────────────────────────── ✖ RED ┐",
            "│● requests/min                28.0k  x18               ▁ █│",
            "│✖ i-0ab unhealthy Target.Timeout                          │",
            "│third                                                     │",
            "└──────────────────────────────────────────────────────────┘",
        ]
    );
    // The panel status cell is red, the row's value green (its own status).
    assert_eq!(buf[(53, 0)].fg, Color::Red);
    assert_eq!(buf[(33, 1)].fg, Color::Green);
    assert_eq!(buf[(1, 2)].fg, Color::Red);
}

#[test]
fn a_ratio_is_shown_only_where_it_informs() {
    let mut p = panel();
    if let PanelRow::Metric(m) = &mut p.rows[0] {
        m.label = "5xx rate".into();
        m.unit = Unit::Percent;
        m.value = Some(37.8);
        m.baseline = Some(0.1);
        m.ratio = false;
    }
    let l = lines(&render(&p, 60, 5, Theme::new(Caps::FULL)));
    assert_eq!(
        l[1],
        "│● 5xx rate                      38%                    ▁ █│"
    );
}

#[test]
fn a_row_says_its_age_and_when_a_live_source_disagrees() {
    let mut p = panel();
    if let PanelRow::Metric(m) = &mut p.rows[0] {
        m.label = "healthy targets".into();
        m.value = Some(7.0);
        m.ratio = false;
        m.age = Some(chrono::TimeDelta::seconds(130));
        m.live = Some("live 2/10 healthy".into());
    }
    let l = lines(&render(&p, 70, 5, Theme::new(Caps::FULL)));
    assert_eq!(
        l[1],
        "│● healthy targets                     7       2m ≠ live 2/10 healthy│"
    );
}

#[test]
fn overflow_says_how_many_more() {
    let theme = Theme::new(Caps {
        color: false,
        unicode: false,
    });
    let l = lines(&render(&panel(), 60, 4, theme));
    assert!(l[2].starts_with("|+2 more (enter to zoom)"), "{l:?}");
    assert!(l[0].starts_with("+ 2 Seoul BTS-ALB -"), "{l:?}");
    assert!(l[0].ends_with(" X RED +"), "{l:?}");
}

#[test]
fn a_value_past_its_threshold_but_not_for_long_enough_shows_where_it_is_heading() {
    let mut p = panel();
    if let PanelRow::Metric(m) = &mut p.rows[0] {
        m.pending = Some(Status::Red);
    }
    let buf = render(&p, 60, 5, Theme::new(Caps::FULL));
    assert!(
        lines(&buf)[1].starts_with("│✕ requests/min"),
        "{:?}",
        lines(&buf)
    );
    assert_eq!(buf[(1, 1)].fg, Color::Red);
    assert!(buf[(1, 1)].modifier.contains(ratatui::style::Modifier::DIM));
    assert_eq!(
        buf[(33, 1)].fg,
        Color::Red,
        "the value in the pending colour"
    );
    // Without colour or Unicode the symbol still says it, never as the status itself: an x
    // where Red would be an X.
    let mono = render(
        &p,
        60,
        5,
        Theme::new(Caps {
            color: false,
            unicode: false,
        }),
    );
    assert!(
        lines(&mono)[1].starts_with("|x requests/min"),
        "{:?}",
        lines(&mono)
    );
    assert!(
        mono[(1, 1)]
            .modifier
            .contains(ratatui::style::Modifier::DIM)
    );
}

#[test]
fn the_zoomed_time_axis_spans_the_charts_beside_the_lines_not_the_whole_panel() {
    // Too many series for charts of their own (80x24): each chart is beside its line, so the
    // axis is under those columns only.
    let PanelRow::Metric(row) = panel().rows[0].clone() else {
        panic!("a metric row")
    };
    let mut p = panel();
    p.rows = (0..10).map(|_| PanelRow::Metric(row.clone())).collect();
    let theme = Theme::new(Caps {
        color: false,
        unicode: false,
    });
    let newest = chrono::DateTime::parse_from_rfc3339("2026-06-13T11:07:00Z")
        .map(|d| d.with_timezone(&chrono::Utc))
        .expect("time");
    let (w, h) = (80, 12);
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    PanelView {
        panel: &p,
        number: 1,
        selected: true,
        zoomed: true,
        axis: Some(TimeAxis {
            newest,
            bucket: chrono::TimeDelta::minutes(1),
            tz: chrono_tz::UTC,
            theme: &theme,
        }),
        theme: &theme,
    }
    .render(buf.area, &mut buf);
    let axis_row: String = (0..w).map(|x| buf[(x, h - 2)].symbol()).collect();
    let start = 1 + usize::from(inline_chart_x(w - 2));
    assert!(
        axis_row[1..start].trim().is_empty(),
        "nothing under the labels and values: {axis_row:?}"
    );
    assert!(
        axis_row[start..].contains(":00") || axis_row[start..].contains('\''),
        "{axis_row:?}"
    );
}

#[test]
fn a_row_says_its_share_of_the_event_target_where_it_fits() {
    let mut p = panel();
    if let PanelRow::Metric(m) = &mut p.rows[0] {
        m.label = "orders/min".into();
        m.value = Some(900.0);
        m.baseline = Some(500.0);
        m.target = Some(2_000.0);
    }
    let ascii = || {
        Theme::new(Caps {
            color: false,
            unicode: false,
        })
    };
    // 80 columns (one column of panels at 80x24): the share, then the chart beside the line.
    let l = lines(&render(&p, 80, 5, ascii()));
    assert_eq!(
        l[1],
        "|o orders/min                         900 x1.8     45% of target            _ #|"
    );
    // A narrow panel (two columns at 100 wide) keeps its chart: no room for the share.
    let l = lines(&render(&p, 50, 5, ascii()));
    assert!(!l[1].contains("target"), "{l:?}");
    // With charts under the lines, the share stands alone after the row's figures.
    p.rows.truncate(1);
    let l = lines(&render(&p, 80, 7, ascii()));
    assert!(
        l[1].ends_with("x1.8     45% of target               |"),
        "{l:?}"
    );
    // Past the target; without one, nothing is said.
    if let PanelRow::Metric(m) = &mut p.rows[0] {
        m.value = Some(2_310.0);
    }
    assert!(lines(&render(&p, 80, 7, ascii()))[1].contains("116% of target"));
    if let PanelRow::Metric(m) = &mut p.rows[0] {
        m.target = None;
    }
    assert!(!lines(&render(&p, 80, 7, ascii()))[1].contains("target"));
}
