//! The key-hint footer: the keys that matter in the current context, left; a status text
//! (data age, source, the answer to the last action), right. The status text is kept (cut with
//! an ellipsis if it must be) and hints that do not fit beside it are dropped from the end;
//! the first hint (`? help`) always stays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::keys::{InputMode, Overlay};
use crate::sanitize;
use crate::theme::Theme;

/// (key, what) pairs for the footer.
pub(crate) type Hint = (&'static str, &'static str);

const DASHBOARD: &[Hint] = &[
    ("?", "help"),
    ("q", "quit"),
    ("r", "runbook"),
    ("i", "incidents"),
    ("t", "timeline"),
    ("m", "mark"),
    ("s", "summary"),
    ("p", "people"),
    ("1-9", "panel"),
];
const REPLAY: &[Hint] = &[
    ("?", "help"),
    ("q", "quit"),
    ("space", "pause"),
    ("+/-", "speed"),
    ("</>", "seek"),
    ("[/]", "entries"),
    ("g", "go to"),
    ("r", "runbook"),
    ("t", "timeline"),
];
const RUNBOOK: &[Hint] = &[
    ("a", "ack"),
    ("d", "done"),
    ("n", "note"),
    ("j/k", "step"),
    ("esc", "close"),
];
const INCIDENTS: &[Hint] = &[
    ("n", "new"),
    ("e", "edit"),
    ("x", "resolve"),
    ("j/k", "select"),
    ("esc", "close"),
];
const CLOSE: &[Hint] = &[("j/k", "scroll"), ("esc", "close"), ("?", "help")];
/// A read-only screen: no action keys offered.
const WATCHING: &[Hint] = &[
    ("?", "help"),
    ("q", "quit"),
    ("r", "runbook"),
    ("i", "incidents"),
    ("t", "timeline"),
    ("s", "summary"),
    ("p", "people"),
    ("1-9", "panel"),
];

/// The hints for a context (`read_only`: a screen that only watches is offered no action).
pub(crate) fn hints_for(
    mode: InputMode,
    overlay: Option<Overlay>,
    read_only: bool,
) -> &'static [Hint] {
    match overlay {
        Some(Overlay::Runbook | Overlay::Incidents) if read_only => CLOSE,
        None if read_only && mode == InputMode::Live => WATCHING,
        Some(Overlay::Runbook) => RUNBOOK,
        Some(Overlay::Incidents) => INCIDENTS,
        Some(_) => CLOSE,
        None if mode == InputMode::Replay => REPLAY,
        None => DASHBOARD,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct KeyHints<'a> {
    pub(crate) hints: &'a [Hint],
    /// Right-aligned text, e.g. `source CloudWatch 60s`; cut when space is short.
    pub(crate) right: &'a str,
    pub(crate) theme: &'a Theme,
}

impl Widget for KeyHints<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let avail = usize::from(area.width);
        let ascii = !self.theme.unicode();
        let first = self
            .hints
            .first()
            .map_or(0, |(k, w)| k.width() + 1 + w.width());
        let right = sanitize::sanitize(self.right, ascii);
        let right = cut(&right, avail.saturating_sub(first + 2), ascii);
        let room = if right.is_empty() {
            avail
        } else {
            avail.saturating_sub(right.width() + 2)
        };
        let mut spans = Vec::new();
        let mut used = 0;
        for (i, (key, what)) in self.hints.iter().enumerate() {
            let sep = usize::from(i > 0) * 2;
            let w = sep + key.width() + 1 + what.width();
            if used + w > room {
                break;
            }
            if sep > 0 {
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled(*key, self.theme.key()));
            spans.push(Span::raw(format!(" {what}")));
            used += w;
        }
        Line::from(spans).render(area, buf);
        let rw = right.width();
        if !right.is_empty() && rw <= avail {
            let x = area.x + (avail - rw) as u16;
            buf.set_string(x, area.y, right, self.theme.dim());
        }
    }
}

/// `text` in at most `max` columns, its end replaced by an ellipsis when cut.
fn cut(text: &str, max: usize, ascii: bool) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let ell = if ascii { "~" } else { "…" };
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push_str(ell);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Caps;
    use ratatui::style::{Color, Modifier, Style};

    #[test]
    fn hints_with_styled_keys_and_right_text() {
        let theme = Theme::new(Caps::FULL);
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 1));
        KeyHints {
            hints: &[("?", "help"), ("q", "quit")],
            right: "age 38s",
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        let mut want = Buffer::with_lines(["? help  q quit         age 38s"]);
        let key = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
        want.set_style(Rect::new(0, 0, 1, 1), key);
        want.set_style(Rect::new(8, 0, 1, 1), key);
        want.set_style(
            Rect::new(23, 0, 7, 1),
            Style::new().add_modifier(Modifier::DIM),
        );
        assert_eq!(buf, want);
    }

    #[test]
    fn only_keys_that_do_something_are_offered() {
        // `:` once opened a palette whose commands nothing carried out.
        assert!(DASHBOARD.iter().all(|(k, _)| *k != ":"));
    }

    #[test]
    fn drops_what_does_not_fit() {
        let theme = Theme::new(Caps::FULL);
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        KeyHints {
            hints: hints_for(InputMode::Live, None, false),
            right: "a long right text",
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        let text: String = buf
            .content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect();
        assert_eq!(
            text, "? help  a long righ…",
            "the status text is cut, not dropped"
        );
    }

    #[test]
    fn contexts() {
        assert_eq!(
            hints_for(InputMode::Replay, None, false)[2],
            ("space", "pause")
        );
        assert_eq!(
            hints_for(InputMode::Live, Some(Overlay::Runbook), false)[0],
            ("a", "ack")
        );
        assert_eq!(
            hints_for(InputMode::Live, Some(Overlay::Help), false),
            CLOSE
        );
    }
}
