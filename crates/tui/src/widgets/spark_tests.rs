//! Unit tests of the `spark` module, kept beside it.

use super::*;
use crate::caps::Caps;
use ratatui::style::{Color, Modifier, Style};

fn render(spark: Spark<'_>, w: u16, h: u16) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    spark.render(buf.area, &mut buf);
    buf
}

const CHART: Style = Style::new().fg(Color::Cyan);

#[test]
fn one_row_with_gap_and_zero() {
    let theme = Theme::new(Caps::FULL);
    let data = [Some(0.0), Some(4.0), None, Some(8.0)];
    let mut want = Buffer::with_lines(["▁▄ █"]);
    for x in [0, 1, 3] {
        want.set_style(Rect::new(x, 0, 1, 1), CHART);
    }
    assert_eq!(render(Spark::new(&data, &theme), 4, 1), want);
}

#[test]
fn newest_on_the_right_and_oldest_dropped() {
    let theme = Theme::new(Caps::FULL);
    let data = [Some(8.0), Some(8.0), Some(8.0)];
    let mut want = Buffer::with_lines(["  ██"]);
    want.set_style(Rect::new(2, 0, 2, 1), CHART);
    assert_eq!(render(Spark::new(&data[1..], &theme), 4, 1), want);
    let mut want = Buffer::with_lines(["██"]);
    want.set_style(Rect::new(0, 0, 2, 1), CHART);
    assert_eq!(render(Spark::new(&data, &theme), 2, 1), want);
}

#[test]
fn breach_and_provisional_styles() {
    let theme = Theme::new(Caps::FULL);
    let data = [Some(2.0), Some(8.0), Some(8.0)];
    let spark = Spark::new(&data, &theme)
        .threshold(Some(6.0), Direction::Above)
        .provisional(1);
    let mut want = Buffer::with_lines(["▂██"]);
    want.set_style(Rect::new(0, 0, 1, 1), CHART);
    want.set_style(Rect::new(1, 0, 1, 1), Style::new().fg(Color::Red));
    want.set_style(
        Rect::new(2, 0, 1, 1),
        Style::new().fg(Color::Red).add_modifier(Modifier::DIM),
    );
    assert_eq!(render(spark, 3, 1), want);
}

#[test]
fn threshold_line_and_baseline_marker_from_two_rows() {
    let theme = Theme::new(Caps::FULL);
    // Range 0..8 over 4 rows: the threshold 6 sits in row 3 (top), the baseline 1 in row 0.
    let data = [Some(2.0), None, Some(8.0)];
    let spark = Spark::new(&data, &theme)
        .threshold(Some(6.0), Direction::Above)
        .baseline(Some(1.0));
    let buf = render(spark, 3, 4);
    let mut want = Buffer::with_lines(["╌ █", "  █", "  █", "█ █"]);
    let threshold = Style::new().fg(Color::Red).add_modifier(Modifier::DIM);
    want.set_style(Rect::new(0, 0, 1, 1), threshold);
    want.set_style(Rect::new(0, 3, 1, 1), CHART);
    want.set_style(Rect::new(2, 0, 1, 4), Style::new().fg(Color::Red));
    assert_eq!(buf, want);
}

#[test]
fn below_direction_and_ascii_ramp() {
    let theme = Theme::new(Caps {
        color: false,
        unicode: false,
    });
    let data = [Some(1.0), Some(5.0), Some(10.0)];
    let spark = Spark::new(&data, &theme)
        .threshold(Some(6.0), Direction::Below)
        .baseline(Some(9.0));
    let buf = render(spark, 3, 3);
    let mut want = Buffer::with_lines(["::#", "~-#", ".##"]);
    let dim = Style::new().add_modifier(Modifier::DIM);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    want.set_style(Rect::new(0, 0, 2, 1), dim);
    want.set_style(Rect::new(0, 1, 1, 1), dim);
    want.set_style(Rect::new(1, 1, 1, 2), bold);
    want.set_style(Rect::new(0, 2, 1, 1), bold);
    assert_eq!(buf, want);
}
