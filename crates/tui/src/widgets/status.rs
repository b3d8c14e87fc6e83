//! A status cell: symbol, word and colour together (`● GREEN`, ASCII `o GREEN`), so the status
//! reads the same on a monochrome terminal or to a colour-blind operator.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::Status;
use crate::theme::Theme;

#[derive(Debug, Clone, Copy)]
pub(crate) struct StatusCell<'a> {
    pub(crate) status: Status,
    pub(crate) theme: &'a Theme,
}

impl<'a> StatusCell<'a> {
    pub(crate) fn new(status: Status, theme: &'a Theme) -> Self {
        StatusCell { status, theme }
    }

    /// `● GREEN` as one styled span, for embedding in a line.
    pub fn span(self) -> Span<'static> {
        Span::styled(
            format!("{} {}", self.theme.symbol(self.status), self.status.word()),
            self.theme.status(self.status),
        )
    }

    /// The symbol of a status not yet reached (past a threshold, not yet for its `for`):
    /// hollow and dimmed, so it reads as "coming" beside the solid symbols, in colour or not.
    pub(crate) fn pending_span(self) -> Span<'static> {
        Span::styled(
            self.theme.pending_symbol(self.status),
            self.theme
                .status(self.status)
                .add_modifier(ratatui::style::Modifier::DIM),
        )
    }

    /// The symbol alone (`●`), for dense strips where the word follows elsewhere.
    pub(crate) fn symbol_span(self) -> Span<'static> {
        Span::styled(
            self.theme.symbol(self.status),
            self.theme.status(self.status),
        )
    }
}

impl Widget for StatusCell<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Line::from(self.span()).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Caps;
    use ratatui::style::{Color, Modifier, Style};

    fn render(status: Status, theme: Theme, width: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, 1));
        StatusCell::new(status, &theme).render(buf.area, &mut buf);
        buf
    }

    #[test]
    fn colour_symbol_and_word() {
        let theme = Theme::new(Caps::FULL);
        let cases = [
            (
                Status::Green,
                "● GREEN   ",
                7,
                Style::new().fg(Color::Green),
            ),
            (
                Status::Yellow,
                "▲ YELLOW  ",
                8,
                Style::new().fg(Color::Yellow),
            ),
            (
                Status::Red,
                "✖ RED     ",
                5,
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ),
            (
                Status::Unknown,
                "? UNKNOWN ",
                9,
                Style::new().fg(Color::Gray),
            ),
        ];
        for (status, text, len, style) in cases {
            let mut want = Buffer::with_lines([text]);
            want.set_style(Rect::new(0, 0, len, 1), style);
            assert_eq!(render(status, theme, 10), want, "{status:?}");
        }
    }

    #[test]
    fn ascii_and_no_colour() {
        let theme = Theme::new(Caps {
            color: false,
            unicode: false,
        });
        let mut want = Buffer::with_lines(["X RED"]);
        want.set_style(
            Rect::new(0, 0, 5, 1),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        );
        assert_eq!(render(Status::Red, theme, 5), want);
        assert_eq!(
            render(Status::Green, theme, 7),
            Buffer::with_lines(["o GREEN"])
        );
    }
}
