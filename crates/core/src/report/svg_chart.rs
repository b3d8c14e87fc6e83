//! Per-series SVG charts: the series over the recording as a line broken at gaps, its baseline
//! as a band, its event target as a dashed line over the event window, its warn and crit zones
//! as bands, the periods the overall status was red and the incidents open shaded, and time
//! labels on the event's clock. Written with the `svg` crate; only numbers and fixed class names
//! go into attributes, and text nodes are cleaned of control characters (the crate escapes
//! markup).

use chrono::{DateTime, Utc};
use svg::Document;
use svg::node::element::{Group, Path, Rectangle as Rect, Text, Title};

use super::entries::num;
use super::fmt::{clock, value};
use super::model::{Chart, Report, Shade};
use crate::config::layout::Direction;
use crate::sanitize::strip;
use crate::time::t_label;

pub(crate) const WIDTH: f64 = 720.0;
pub(crate) const HEIGHT: f64 = 220.0;
pub(crate) const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 30.0;

/// One decimal: compact and stable coordinates.
fn c(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Maps times and values to the plot area.
struct Scale {
    t0: i64,
    t1: i64,
    lo: f64,
    hi: f64,
}

impl Scale {
    fn x(&self, t: DateTime<Utc>) -> f64 {
        let span = (self.t1 - self.t0).max(1) as f64;
        let f = ((t.timestamp() - self.t0) as f64 / span).clamp(0.0, 1.0);
        c(LEFT + f * (WIDTH - LEFT - RIGHT))
    }

    fn y(&self, v: f64) -> f64 {
        let f = ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        c(HEIGHT - BOTTOM - f * (HEIGHT - TOP - BOTTOM))
    }
}

fn rect(class: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
    Rect::new()
        .set("class", class)
        .set("x", c(x0.min(x1)))
        .set("y", c(y0.min(y1)))
        .set("width", c((x1 - x0).abs()))
        .set("height", c((y1 - y0).abs()))
}

/// The value range shown: the data, the baseline, target and thresholds, and zero for non-negative data.
fn range(chart: &Chart) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut take = |v: f64| {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    };
    chart.points.iter().filter_map(|p| p.1).for_each(&mut take);
    chart.baseline.into_iter().for_each(&mut take);
    chart.target.into_iter().for_each(&mut take);
    if let Some(th) = &chart.threshold {
        th.warn.into_iter().chain(th.crit).for_each(&mut take);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if lo > 0.0 {
        lo = 0.0;
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    (lo, hi + (hi - lo) * 0.05)
}

/// The chart as an SVG document; `span` is the time axis (every chart of a report shares it).
pub(crate) fn chart(
    chart: &Chart,
    span: (DateTime<Utc>, DateTime<Utc>),
    shades: &[Shade],
    report: &Report,
) -> Document {
    let (lo, hi) = range(chart);
    let s = Scale {
        t0: span.0.timestamp(),
        t1: span.1.timestamp(),
        lo,
        hi,
    };
    let (px0, px1) = (LEFT, WIDTH - RIGHT);
    let (py0, py1) = (TOP, HEIGHT - BOTTOM);
    let title = strip(&chart.title);
    let mut doc = Document::new()
        .set("viewBox", (0, 0, WIDTH, HEIGHT))
        .set("width", WIDTH)
        .set("height", HEIGHT)
        .set("class", "chart")
        .set("font-family", "sans-serif")
        .set("font-size", 11)
        .add(Title::new(format!("{title} ({})", strip(&chart.id))))
        .add(
            rect("plot", px0, py0, px1, py1)
                .set("fill", "#fafafa")
                .set("stroke", "#ccc"),
        );
    for sh in shades {
        let r = rect("shade", s.x(sh.from), py0, s.x(sh.to), py1)
            .set("fill", "#888")
            .set("fill-opacity", 0.18)
            .add(Title::new(strip(&sh.label)));
        doc = doc.add(r);
    }
    if let Some(th) = &chart.threshold {
        doc = doc.add(bands(&s, th.direction, th.warn, th.crit, (px0, px1)));
    }
    if let Some(b) = chart.baseline {
        let half = ((py1 - py0) * 0.015).max(1.5);
        let y = s.y(b);
        doc = doc.add(
            Group::new()
                .set("class", "baseline")
                .add(Title::new(format!("baseline {}", value(b, chart.unit))))
                .add(
                    rect("baseline-band", px0, y - half, px1, y + half)
                        .set("fill", "#3b6fd8")
                        .set("fill-opacity", 0.25),
                ),
        );
    }
    if let Some(t) = chart.target {
        doc = doc.add(target(&s, t, (report.t0, report.end), chart));
    }
    doc = doc.add(
        Path::new()
            .set("class", "series")
            .set("d", line_path(chart, &s))
            .set("fill", "none")
            .set("stroke", "#222")
            .set("stroke-width", 1.2),
    );
    doc = doc
        .add(label(4.0, 16.0, "start", &title).set("font-weight", "bold"))
        .add(label(px0 - 4.0, py0 + 4.0, "end", &value(hi, chart.unit)))
        .add(label(px0 - 4.0, py1, "end", &value(lo, chart.unit)));
    let mut ticks = vec![span.0, span.1];
    if report.t0 > span.0 && report.t0 < span.1 {
        ticks.insert(1, report.t0);
    }
    for (i, t) in ticks.iter().enumerate() {
        let anchor = match i {
            0 => "start",
            n if n + 1 == ticks.len() => "end",
            _ => "middle",
        };
        let text = format!("{} {}", clock(report, *t), t_label(*t, report.t0));
        doc = doc.add(label(s.x(*t), HEIGHT - 10.0, anchor, &text));
    }
    doc
}

/// The event target: a dashed line over the event window (T0 to the end, where the chart
/// shows it), labelled at its right end.
fn target(s: &Scale, t: f64, window: (DateTime<Utc>, DateTime<Utc>), chart: &Chart) -> Group {
    let name = format!("target {}", value(t, chart.unit));
    let (x0, x1, y) = (s.x(window.0), s.x(window.1), s.y(t));
    let mut g = Group::new()
        .set("class", "target")
        .add(Title::new(name.clone()));
    if x1 - x0 < 1.0 {
        // The recording does not reach the event window: nothing to draw the target over.
        return g;
    }
    g = g
        .add(
            Path::new()
                .set("d", format!("M{x0} {y} L{x1} {y}"))
                .set("fill", "none")
                .set("stroke", "#1a7f37")
                .set("stroke-width", 1.2)
                .set("stroke-dasharray", "6 4"),
        )
        .add(label(x1 - 4.0, y - 3.0, "end", &name).set("fill", "#1a7f37"));
    g
}

fn label(x: f64, y: f64, anchor: &str, text: &str) -> Text {
    Text::new(strip(text))
        .set("x", c(x))
        .set("y", c(y))
        .set("text-anchor", anchor.to_string())
}

/// The warn and crit zones.
fn bands(s: &Scale, dir: Direction, warn: Option<f64>, crit: Option<f64>, xs: (f64, f64)) -> Group {
    let mut g = Group::new().set("class", "thresholds");
    let (top, bottom) = (s.hi, s.lo);
    let zone = |from: f64, to: f64, class: &str, colour: &str, name: &str, v: f64| {
        rect(class, xs.0, s.y(from), xs.1, s.y(to))
            .set("fill", colour)
            .set("fill-opacity", 0.14)
            .add(Title::new(format!("{name} {}", num(v))))
    };
    match dir {
        Direction::Above => {
            if let Some(w) = warn {
                g = g.add(zone(
                    w,
                    crit.unwrap_or(top).max(w),
                    "warn-band",
                    "#e0a000",
                    "warn above",
                    w,
                ));
            }
            if let Some(cr) = crit {
                g = g.add(zone(
                    cr,
                    top.max(cr),
                    "crit-band",
                    "#d02020",
                    "crit above",
                    cr,
                ));
            }
        }
        Direction::Below => {
            if let Some(w) = warn {
                g = g.add(zone(
                    crit.unwrap_or(bottom).min(w),
                    w,
                    "warn-band",
                    "#e0a000",
                    "warn below",
                    w,
                ));
            }
            if let Some(cr) = crit {
                g = g.add(zone(
                    bottom.min(cr),
                    cr,
                    "crit-band",
                    "#d02020",
                    "crit below",
                    cr,
                ));
            }
        }
    }
    g
}

/// `M x y L x y ...`, a new `M` after every gap; a lone point is a short dash.
fn line_path(chart: &Chart, s: &Scale) -> String {
    use std::fmt::Write as _;
    let mut d = String::new();
    let mut pen_down = false;
    for (t, v) in &chart.points {
        match v {
            Some(v) => {
                let _ = write!(
                    d,
                    "{}{} {} ",
                    if pen_down { "L" } else { "M" },
                    s.x(*t),
                    s.y(*v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if d.is_empty() {
        // An empty path still parses; "M0 0" draws nothing.
        d.push_str("M0 0");
    }
    d.trim_end().to_string()
}
