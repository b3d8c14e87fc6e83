//! The summary strip, doubling as the tab bar on small screens: every panel's number, status
//! symbol and short name, so a hidden panel's trouble is still visible. Hidden panels are
//! dimmed, the focused one reversed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::fit::fit_line;
use super::status::StatusCell;
use crate::sanitize;
use crate::theme::Theme;
use crate::view_model::PanelModel;

#[derive(Debug, Clone, Copy)]
pub(crate) struct PanelStrip<'a> {
    pub(crate) panels: &'a [PanelModel],
    /// Panel indices in tab order (`1` is the first).
    pub(crate) order: &'a [usize],
    pub(crate) hidden: &'a [usize],
    pub(crate) focus: Option<usize>,
    pub(crate) theme: &'a Theme,
}

impl Widget for PanelStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let mut spans = Vec::new();
        for (n, &i) in self.order.iter().enumerate() {
            let Some(p) = self.panels.get(i) else {
                continue;
            };
            if n > 0 {
                spans.push(Span::raw("  "));
            }
            let mut name_style = if self.hidden.contains(&i) {
                t.dim()
            } else {
                ratatui::style::Style::new()
            };
            if self.focus == Some(i) {
                name_style = name_style.add_modifier(Modifier::REVERSED);
            }
            spans.push(Span::styled(format!("{}", n + 1), t.key()));
            spans.push(Span::raw(" "));
            spans.push(StatusCell::new(p.status, t).symbol_span());
            let short = sanitize::clean(&p.short, 16, !t.unicode());
            spans.push(Span::styled(format!(" {short}"), name_style));
        }
        // Tabs past the edge are cut with the ellipsis, never mid-name without it.
        fit_line(Line::from(spans), usize::from(area.width), t.ellipsis()).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Caps;
    use crate::model::Status;
    use ratatui::style::{Color, Style};

    fn p(short: &str, status: Status) -> PanelModel {
        PanelModel {
            id: short.to_lowercase(),
            title: short.into(),
            short: short.into(),
            priority: 1,
            status,
            rows: Vec::new(),
        }
    }

    #[test]
    fn numbers_statuses_and_names() {
        let theme = Theme::new(Caps::FULL);
        let panels = [p("GA", Status::Green), p("Seoul", Status::Red)];
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        PanelStrip {
            panels: &panels,
            order: &[0, 1],
            hidden: &[1],
            focus: None,
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        let mut want = Buffer::with_lines(["1 ● GA  2 ✖ Seoul   "]);
        let key = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
        want.set_style(Rect::new(0, 0, 1, 1), key);
        want.set_style(Rect::new(2, 0, 1, 1), Style::new().fg(Color::Green));
        want.set_style(Rect::new(8, 0, 1, 1), key);
        want.set_style(
            Rect::new(10, 0, 1, 1),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        );
        want.set_style(
            Rect::new(11, 0, 6, 1),
            Style::new().add_modifier(Modifier::DIM),
        );
        assert_eq!(buf, want);
    }

    #[test]
    fn tabs_past_the_edge_end_with_the_ellipsis() {
        let panels = [
            p("GA", Status::Green),
            p("Seoul", Status::Red),
            p("Virginia", Status::Green),
        ];
        for (caps, want) in [
            (Caps::FULL, "1 ● GA  2 ✖ Seoul  3 ●…"),
            (
                Caps {
                    color: false,
                    unicode: false,
                },
                "1 o GA  2 X Seoul  3 o~",
            ),
        ] {
            let theme = Theme::new(caps);
            let mut buf = Buffer::empty(Rect::new(0, 0, 24, 1));
            PanelStrip {
                panels: &panels,
                order: &[0, 1, 2],
                hidden: &[],
                focus: None,
                theme: &theme,
            }
            .render(buf.area, &mut buf);
            let row: String = buf
                .content()
                .iter()
                .map(ratatui::buffer::Cell::symbol)
                .collect();
            assert_eq!(row.trim_end(), want);
        }
    }
}
