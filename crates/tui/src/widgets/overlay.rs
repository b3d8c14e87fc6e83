//! Overlays drawn over the dashboard: a scrollable list box (runbook, incidents, timeline,
//! summary preview) and a one-line text prompt (note, mark, go to time, confirm).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use super::fit::{fit_line, with_mark};
use crate::layout::centered;
use crate::sanitize;
use crate::theme::Theme;

/// A titled box over most of the screen with one line per item; the selected line is reversed
/// and kept in view. A line wider than the box ends with the theme's ellipsis, and the last row
/// with ` …` when more lines follow below. `detail` (the selected item in full, when its line is cut) takes the
/// bottom rows, under a rule.
#[derive(Debug, Clone)]
pub(crate) struct ListOverlay<'a> {
    pub(crate) title: &'a str,
    pub(crate) lines: Vec<Line<'a>>,
    pub(crate) selected: Option<usize>,
    pub(crate) detail: Vec<Line<'a>>,
    pub(crate) theme: &'a Theme,
}

/// Rows the detail may take at most.
const DETAIL_ROWS: usize = 4;

impl ListOverlay<'_> {
    fn popup(area: Rect) -> Rect {
        centered(
            area,
            area.width.saturating_sub(4).max(area.width / 10 * 9),
            area.height.saturating_sub(2),
        )
    }

    /// Columns inside the box drawn over `area` (for wrapping long lines).
    pub fn inner_width(area: Rect) -> u16 {
        Self::popup(area).width.saturating_sub(2)
    }
}

impl Widget for ListOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let popup = Self::popup(area);
        Clear.render(popup, buf);
        let title = format!(
            " {} (esc to close) ",
            sanitize::sanitize(self.title, !t.unicode())
        );
        let block = Block::bordered()
            .border_set(t.caps.border())
            .border_style(t.title())
            .title(Span::styled(title, t.title()));
        let mut inner = block.inner(popup);
        block.render(popup, buf);
        // The detail and its rule, when the list keeps at least three rows.
        let detail_h = self.detail.len().min(DETAIL_ROWS);
        if detail_h > 0 && usize::from(inner.height) >= detail_h + 4 {
            let rows = detail_h as u16;
            let top = inner.bottom() - rows;
            let rule = if t.unicode() { "─" } else { "-" };
            buf.set_string(
                inner.x,
                top - 1,
                rule.repeat(usize::from(inner.width)),
                t.dim(),
            );
            for (k, line) in self.detail.into_iter().take(detail_h).enumerate() {
                fit_line(line, usize::from(inner.width), t.ellipsis())
                    .render(Rect::new(inner.x, top + k as u16, inner.width, 1), buf);
            }
            inner.height -= rows + 1;
        }
        let h = usize::from(inner.height);
        if h == 0 {
            return;
        }
        let first = self.selected.map_or(0, |s| s.saturating_sub(h - 1));
        // A line longer than the box ends with the ellipsis; the last row says when more
        // lines follow below it.
        let width = usize::from(inner.width);
        let more_below = self.lines.len() > first + h;
        let more = format!(" {}", t.ellipsis());
        for (row, (i, line)) in self
            .lines
            .into_iter()
            .enumerate()
            .skip(first)
            .take(h)
            .enumerate()
        {
            let r = Rect::new(inner.x, inner.y + row as u16, inner.width, 1);
            let line = if more_below && row + 1 == h {
                with_mark(line, width, &more)
            } else {
                fit_line(line, width, t.ellipsis())
            };
            let line = if self.selected == Some(i) {
                line.patch_style(ratatui::style::Style::new().add_modifier(Modifier::REVERSED))
            } else {
                line
            };
            line.render(r, buf);
        }
    }
}

/// A one-line input box near the bottom: `label: text_` .
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prompt<'a> {
    pub(crate) label: &'a str,
    pub(crate) text: &'a str,
    pub(crate) theme: &'a Theme,
}

impl Widget for Prompt<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let w = area.width.saturating_sub(8).min(100);
        let popup = Rect::new(
            area.x + (area.width - w) / 2,
            area.bottom().saturating_sub(6).max(area.y),
            w,
            3.min(area.height),
        );
        Clear.render(popup, buf);
        let block = Block::bordered()
            .border_set(t.caps.border())
            .border_style(t.title());
        let inner = block.inner(popup);
        block.render(popup, buf);
        let cursor = if t.unicode() { "▏" } else { "_" };
        let label = format!("{}: ", self.label);
        let room = usize::from(inner.width).saturating_sub(label.len() + 1);
        // Keep the end of a long input in view.
        let text = sanitize::sanitize(self.text, !t.unicode());
        let chars: Vec<char> = text.chars().collect();
        let mut shown = String::new();
        let mut width = 0;
        for c in chars.iter().rev() {
            let cw = unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            if width + cw > room {
                break;
            }
            width += cw;
            shown.insert(0, *c);
        }
        Line::from(vec![
            Span::styled(label, t.key()),
            Span::raw(shown),
            Span::raw(cursor),
        ])
        .render(inner, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Caps;

    fn rows(buf: &Buffer) -> Vec<String> {
        buf.content()
            .chunks(usize::from(buf.area.width))
            .map(|r| r.iter().map(ratatui::buffer::Cell::symbol).collect())
            .collect()
    }

    #[test]
    fn list_scrolls_to_the_selection() {
        let theme = Theme::new(Caps::FULL);
        let mut buf = Buffer::empty(Rect::new(0, 0, 40, 6));
        let lines = (0..10).map(|i| Line::raw(format!("item {i}"))).collect();
        ListOverlay {
            detail: Vec::new(),
            title: "Timeline",
            lines,
            selected: Some(7),
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        let r = rows(&buf);
        assert!(r[1].contains("Timeline (esc to close)"), "{r:?}");
        assert!(r[2].contains("item 6") && r[3].contains("item 7"), "{r:?}");
        // Items 8 and 9 follow below: the last row says so.
        assert!(r[3].contains("item 7 …"), "{r:?}");
        let x = r[3].find("item 7").expect("shown");
        let col = r[3][..x].chars().count() as u16;
        assert!(buf[(col, 3)].modifier.contains(Modifier::REVERSED));
        assert!(!buf[(col, 2)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn a_line_wider_than_the_box_ends_with_the_ellipsis() {
        let theme = Theme::new(Caps::FULL);
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 6));
        let lines = vec![
            Line::raw("RB-05 Global Accelerator endpoint flapping · Data on-call"),
            Line::raw("short"),
        ];
        ListOverlay {
            detail: Vec::new(),
            title: "Runbook",
            lines,
            selected: Some(1),
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        let r = rows(&buf);
        assert_eq!(r[2], " │RB-05 Global Accelerator…│  ");
        assert!(r[3].contains("short") && !r[3].contains('…'), "{r:?}");
    }

    #[test]
    fn prompt_shows_the_tail_of_long_input_and_strips_escapes() {
        let theme = Theme::new(Caps {
            color: true,
            unicode: false,
        });
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 8));
        Prompt {
            label: "note",
            text: "abcdefghijklmnopqrstuvwxyz\x1b[2J",
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        let r = rows(&buf);
        assert_eq!(r[3], "    |note: nopqrstuvwxyz_|    ");
    }
}
