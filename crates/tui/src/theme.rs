//! Styles for everything drawn, derived from [`Caps`]: status colours from the 16 named ANSI
//! colours, always paired with a symbol and a word; a no-colour variant using bold, reverse and
//! dim only. Widgets take `&Theme`; nothing reads the environment at render time.

use ratatui::style::{Color, Modifier, Style};

use super::caps::Caps;
use crate::model::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub(crate) caps: Caps,
}

// Every style is asked of the theme, also the few that read the same in colour and without.
#[allow(clippy::unused_self)]
impl Theme {
    pub fn new(caps: Caps) -> Theme {
        Theme { caps }
    }

    pub(crate) fn unicode(self) -> bool {
        self.caps.unicode
    }

    /// Style of a status cell (symbol + word).
    pub(crate) fn status(self, status: Status) -> Style {
        if self.caps.color {
            let fg = match status {
                Status::Green => Color::Green,
                Status::Unknown => Color::Gray,
                Status::Yellow => Color::Yellow,
                Status::Blind => Color::Magenta,
                Status::Red => Color::Red,
            };
            let s = Style::new().fg(fg);
            if matches!(status, Status::Red | Status::Blind) {
                s.add_modifier(Modifier::BOLD)
            } else {
                s
            }
        } else {
            match status {
                Status::Green => Style::new(),
                Status::Unknown => Style::new().add_modifier(Modifier::DIM),
                Status::Yellow => Style::new().add_modifier(Modifier::BOLD),
                Status::Blind => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                Status::Red => Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            }
        }
    }

    /// The status symbol in this terminal's character set.
    pub fn symbol(self, status: Status) -> &'static str {
        if self.caps.unicode {
            status.symbol()
        } else {
            status.ascii_symbol()
        }
    }

    /// The symbol of a status a value is heading for but has not held for its `for`: the
    /// hollow shape of the status's (`△` for `▲`, `✕` for `✖`; ASCII `^` for `!`, `x` for `X`),
    /// so it never reads as the status itself, with or without colour.
    pub fn pending_symbol(self, status: Status) -> &'static str {
        match (status, self.caps.unicode) {
            (Status::Red, true) => "✕",
            (Status::Red, false) => "x",
            (Status::Yellow, true) => "△",
            (Status::Yellow, false) => "^",
            (other, _) => self.symbol(other),
        }
    }

    /// Provisional buckets and stale values.
    pub(crate) fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    /// Chart bars in their normal state.
    pub(crate) fn chart(self) -> Style {
        if self.caps.color {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new()
        }
    }

    /// Chart bars past the threshold.
    pub(crate) fn breach(self) -> Style {
        if self.caps.color {
            Style::new().fg(Color::Red)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub(crate) fn threshold_line(self) -> Style {
        if self.caps.color {
            Style::new().fg(Color::Red).add_modifier(Modifier::DIM)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub(crate) fn baseline_mark(self) -> Style {
        if self.caps.color {
            Style::new().fg(Color::Blue)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub(crate) fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub(crate) fn border(self) -> Style {
        if self.caps.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    /// A key name in hints and help (`?`, `r`).
    pub(crate) fn key(self) -> Style {
        if self.caps.color {
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// The mode badge (`LIVE`, `SIM x10`, `REPLAY x60 PAUSED`).
    pub(crate) fn badge(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Ellipsis for truncated text.
    pub(crate) fn ellipsis(self) -> &'static str {
        if self.caps.unicode { "…" } else { "~" }
    }

    /// Separator between header segments.
    pub(crate) fn separator(self) -> &'static str {
        if self.caps.unicode { " · " } else { " | " }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_COLOR: Caps = Caps {
        color: false,
        unicode: true,
    };

    #[test]
    fn colours_are_named_ansi_only() {
        let t = Theme::new(Caps::FULL);
        for s in [
            Status::Green,
            Status::Unknown,
            Status::Yellow,
            Status::Blind,
            Status::Red,
        ] {
            let fg = t.status(s).fg.expect("coloured");
            assert!(!matches!(fg, Color::Rgb(..) | Color::Indexed(_)), "{fg:?}");
        }
        assert_eq!(t.status(Status::Red).fg, Some(Color::Red));
    }

    #[test]
    fn no_colour_uses_modifiers_only_and_keeps_statuses_apart() {
        let t = Theme::new(NO_COLOR);
        let styles: Vec<Style> = [
            Status::Green,
            Status::Unknown,
            Status::Yellow,
            Status::Blind,
            Status::Red,
        ]
        .into_iter()
        .map(|s| t.status(s))
        .collect();
        for s in &styles {
            assert_eq!((s.fg, s.bg), (None, None));
        }
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a, b);
            }
        }
        for s in [
            t.chart(),
            t.breach(),
            t.border(),
            t.key(),
            t.threshold_line(),
        ] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
    }

    #[test]
    fn ascii_symbols_in_ascii_mode() {
        let t = Theme::new(Caps {
            color: true,
            unicode: false,
        });
        assert_eq!(t.symbol(Status::Green), "o");
        assert_eq!(t.symbol(Status::Red), "X");
        assert!(t.ellipsis().is_ascii() && t.separator().is_ascii());
    }
}
