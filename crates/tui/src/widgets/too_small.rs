//! The screen drawn below the minimum size: what is needed and what we have, wrapped and
//! centred, instead of a garbled dashboard.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Paragraph, Widget, Wrap};

#[derive(Debug, Clone, Copy)]
pub(crate) struct TooSmall {
    pub(crate) need: (u16, u16),
    pub(crate) have: (u16, u16),
}

impl TooSmall {
    pub(crate) fn message(self) -> String {
        format!(
            "terminal too small: need {}x{} (have {}x{})",
            self.need.0, self.need.1, self.have.0, self.have.1
        )
    }
}

impl Widget for TooSmall {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let text = self.message();
        let lines = text.len().div_ceil(usize::from(area.width.max(1))) as u16;
        let top = area.height.saturating_sub(lines) / 2;
        let area = Rect {
            y: area.y + top,
            height: area.height - top,
            ..area
        };
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centred_message() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 50, 3));
        TooSmall {
            need: (80, 24),
            have: (50, 3),
        }
        .render(buf.area, &mut buf);
        assert_eq!(
            buf,
            Buffer::with_lines([
                "                                                  ",
                "    terminal too small: need 80x24 (have 50x3)    ",
                "                                                  ",
            ])
        );
    }

    #[test]
    fn wraps_on_a_tiny_terminal() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 4));
        TooSmall {
            need: (80, 24),
            have: (20, 4),
        }
        .render(buf.area, &mut buf);
        let all: String = buf
            .content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect();
        assert!(all.contains("need 80x24"), "{all}");
    }
}
