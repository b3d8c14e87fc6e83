//! One dashboard panel: a titled box with the panel's status, one line per series (status,
//! label, value, ratio to baseline, share of the event target where it fits, sparkline) or
//! health/alarm/log line. Zoomed, each series gets a taller chart with its threshold line and
//! baseline marker.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::spark::Spark;
use super::status::StatusCell;
use super::time_axis::TimeAxis;
use crate::format;
use crate::theme::Theme;
use crate::view_model::{MetricRow, PanelModel, PanelRow, TextRow};
use crate::{eval, sanitize};

#[derive(Debug, Clone, Copy)]
pub(crate) struct PanelView<'a> {
    pub(crate) panel: &'a PanelModel,
    /// Its tab number (`1`..), shown in the title.
    pub(crate) number: usize,
    pub(crate) selected: bool,
    /// Full-screen: taller charts.
    pub(crate) zoomed: bool,
    /// Drawn under the charts when zoomed.
    pub(crate) axis: Option<TimeAxis<'a>>,
    pub(crate) theme: &'a Theme,
}

const VALUE_W: u16 = 10;
const RATIO_W: u16 = 5;
/// The row's lag behind now (`2m`), blank under a minute.
const AGE_W: u16 = 4;
/// The fewest columns a chart beside the line keeps when the target's share takes its place.
const SPARK_MIN: u16 = 8;

impl PanelView<'_> {
    fn block(&self) -> Block<'static> {
        let t = self.theme;
        let ascii = !t.unicode();
        let title = format!(
            " {} {} ",
            self.number,
            sanitize::sanitize(&self.panel.title, ascii)
        );
        let border = if self.selected { t.title() } else { t.border() };
        Block::bordered()
            .border_set(t.caps.border())
            .border_style(border)
            .title(Span::styled(title, t.title()))
            .title_top(
                Line::from(vec![
                    Span::raw(" "),
                    StatusCell::new(self.panel.status, t).span(),
                    Span::raw(" "),
                ])
                .right_aligned(),
            )
    }

    fn metric_line(&self, m: &MetricRow, inline_chart: bool, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let row_style = if m.stale { t.dim() } else { Style::new() };
        let label_w = label_width(area.width);
        let value = if m.per_min {
            format::per_min(m.value)
        } else {
            format::value(m.value, m.unit)
        };
        let ratio = if m.ratio {
            format::ratio(m.value, m.baseline).unwrap_or_default()
        } else {
            String::new()
        };
        let label = sanitize::clean(&m.label, usize::from(label_w), !t.unicode());
        // A value past a threshold it has not yet held long enough shows the status it is
        // heading for, dimmed, in place of the one it still has.
        let (symbol, status) = match m.pending {
            Some(p) => (StatusCell::new(p, t).pending_span(), t.status(p)),
            None => (
                StatusCell::new(m.status, t).symbol_span(),
                t.status(m.status),
            ),
        };
        let line = Line::from(vec![
            symbol,
            Span::raw(" "),
            Span::raw(format!("{label:<w$}", w = usize::from(label_w))),
            Span::styled(format!("{value:>w$}", w = usize::from(VALUE_W)), status),
            Span::styled(format!("{ratio:>w$}", w = usize::from(RATIO_W)), t.dim()),
            Span::styled(
                format!("{:>w$}", lag(m.age), w = usize::from(AGE_W)),
                t.dim(),
            ),
        ])
        .style(row_style);
        line.render(area, buf);
        let used = inline_chart_x(area.width);
        if area.width <= used + 3 {
            return;
        }
        let rest = Rect::new(area.x + used, area.y, area.width - used, 1);
        if let Some(live) = &m.live {
            // A faster source says otherwise now: say so instead of drawing the lagging line.
            let mark = if t.unicode() { "≠ " } else { "!= " };
            let text = sanitize::clean(
                &format!("{mark}{live}"),
                usize::from(rest.width),
                !t.unicode(),
            );
            Line::styled(text, t.status(crate::model::Status::Yellow)).render(rest, buf);
        } else {
            // The share of the event target where it fits: before a chart beside the line
            // (which keeps `SPARK_MIN` columns), or alone when the chart is drawn below it.
            let mut x = rest.x;
            if let Some(text) = target_text(m) {
                let w = text.len() as u16;
                let keep = if inline_chart { SPARK_MIN + 1 } else { 0 };
                if rest.width >= w + keep {
                    Line::styled(text, t.dim()).render(Rect::new(x, rest.y, w, 1), buf);
                    x += w + 1;
                }
            }
            if inline_chart && x < area.right() {
                let chart = Rect::new(x, area.y, area.right() - x, area.height);
                self.spark(m).render(chart, buf);
            }
        }
    }

    fn spark<'m>(&'m self, m: &'m MetricRow) -> Spark<'m> {
        Spark::new(&m.buckets, self.theme)
            .provisional(m.provisional)
            .threshold(m.threshold, m.direction)
            .baseline(m.baseline)
    }

    fn text_line(&self, r: &TextRow, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let mut spans = Vec::new();
        let mut room = usize::from(area.width);
        if let Some(s) = r.status {
            spans.push(StatusCell::new(s, t).symbol_span());
            spans.push(Span::raw(" "));
            room = room.saturating_sub(2);
        }
        spans.push(Span::raw(sanitize::clean(&r.text, room, !t.unicode())));
        let style = if r.dim { t.dim() } else { Style::new() };
        Line::from(spans).style(style).render(area, buf);
    }
}

/// `45% of target`: the value's share of the series' event target (ASCII, whatever the
/// terminal); None without a target or a value.
fn target_text(m: &MetricRow) -> Option<String> {
    let (v, t) = (m.value?, m.target?);
    (v.is_finite() && t > 0.0).then(|| format!("{} of target", eval::format::target_share(v, t)))
}

/// Columns a series' label takes on a line `width` wide.
fn label_width(width: u16) -> u16 {
    (width * 2 / 5).clamp(8, 28)
}

/// Where a chart drawn beside a series' line starts, on a line `width` wide (after the
/// symbol, label, value, ratio and age).
fn inline_chart_x(width: u16) -> u16 {
    2 + label_width(width) + VALUE_W + RATIO_W + AGE_W + 1
}

/// `2m`, `1h`: how long ago the newest value was, when a minute or more.
fn lag(age: Option<chrono::TimeDelta>) -> String {
    match age.map(|a| a.num_minutes()) {
        Some(m) if m >= 60 => format!("{}h", m / 60),
        Some(m) if m >= 1 => format!("{m}m"),
        _ => String::new(),
    }
}

impl Widget for PanelView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = self.block();
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.is_empty() {
            return;
        }
        // Zoomed charts get a time axis on the last row, aligned with the chart columns.
        let axis = self.axis.filter(|_| self.zoomed && inner.height >= 3);
        let body = if axis.is_some() {
            Rect {
                height: inner.height - 1,
                ..inner
            }
        } else {
            inner
        };
        let rows: Vec<&PanelRow> = self.panel.rows(self.zoomed).collect();
        let metrics = rows
            .iter()
            .filter(|r| matches!(r, PanelRow::Metric(_)))
            .count() as u16;
        let texts = rows.len() as u16 - metrics;
        // With room to spare every series gets a chart below its line: up to 4 rows on the
        // dashboard, all the room when zoomed.
        let room = inner
            .height
            .saturating_sub(texts)
            .checked_div(metrics)
            .map_or(0, |h| h.saturating_sub(1));
        let chart_h = if self.zoomed { room } else { room.min(4) };
        if let Some(a) = axis {
            // Under the charts' columns only: the charts below each line start two columns
            // in; those beside the lines (too many series for charts of their own) start
            // after the line's text.
            let x = if chart_h >= 2 {
                2
            } else {
                inline_chart_x(inner.width)
            };
            if inner.width > x {
                let row = Rect::new(inner.x + x, inner.bottom() - 1, inner.width - x, 1);
                a.render(row, buf);
            }
        }
        let fits = rows.len() <= usize::from(body.height);
        let shown = if fits {
            rows.len()
        } else {
            usize::from(body.height) - 1
        };
        let mut y = body.y;
        for row in rows.iter().take(shown) {
            if y >= body.bottom() {
                break;
            }
            let line = Rect::new(body.x, y, body.width, 1);
            match row {
                PanelRow::Metric(m) => {
                    self.metric_line(m, chart_h < 2, line, buf);
                    y += 1;
                    if chart_h >= 2 {
                        let h = chart_h.min(body.bottom() - y);
                        let chart = Rect::new(body.x + 2, y, body.width.saturating_sub(2), h);
                        self.spark(m).render(chart, buf);
                        y += h;
                    }
                }
                PanelRow::Text(r) => {
                    self.text_line(r, line, buf);
                    y += 1;
                }
            }
        }
        if !fits && y < body.bottom() {
            let more = format!("+{} more (enter to zoom)", rows.len() - shown);
            buf.set_string(body.x, y, more, self.theme.dim());
        }
    }
}

#[cfg(test)]
#[path = "panel_tests.rs"]
mod tests;
