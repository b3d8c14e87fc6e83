//! The help overlay (`?`): every key binding from `keys`, in one column when the screen is
//! tall enough and two otherwise; drawn over everything else.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use crate::keys::{
    Binding, GLOBAL_KEYS, INCIDENT_KEYS, InputMode, REPLAY_KEYS, RUNBOOK_KEYS, SUMMARY_KEYS,
    TEXT_KEYS,
};
use crate::sanitize;
use crate::theme::Theme;

#[derive(Debug, Clone, Copy)]
pub(crate) struct HelpOverlay<'a> {
    pub(crate) mode: InputMode,
    /// A screen that only watches: the overlays' action keys are not listed.
    pub(crate) read_only: bool,
    pub(crate) theme: &'a Theme,
}

type Section = (&'static str, Vec<Binding>);

impl HelpOverlay<'_> {
    fn sections(&self) -> Vec<Section> {
        let replay = if self.mode == InputMode::Replay {
            "Replay"
        } else {
            "Replay (warroom replay)"
        };
        if self.read_only {
            // No key that acts, nor the overlays' action keys.
            let watching = GLOBAL_KEYS.iter().filter(|b| !b.acts()).copied().collect();
            return vec![
                ("Dashboard (read-only screen: actions are off)", watching),
                (replay, REPLAY_KEYS.to_vec()),
            ];
        }
        vec![
            ("Dashboard", GLOBAL_KEYS.to_vec()),
            ("Runbook overlay (r)", RUNBOOK_KEYS.to_vec()),
            ("Incidents overlay (i)", INCIDENT_KEYS.to_vec()),
            ("Summary overlay (s)", SUMMARY_KEYS.to_vec()),
            ("Text fields and forms", TEXT_KEYS.to_vec()),
            (replay, REPLAY_KEYS.to_vec()),
        ]
    }

    fn lines(&self, sections: &[Section], width: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let key_w = sections
            .iter()
            .flat_map(|(_, b)| b.iter())
            .map(|b| b.keys.width())
            .max()
            .unwrap_or(0)
            + 2;
        let mut out = Vec::new();
        for (i, (title, bindings)) in sections.iter().enumerate() {
            if i > 0 {
                out.push(Line::default());
            }
            out.push(Line::from(Span::styled(*title, t.title())));
            for b in bindings {
                let what = sanitize::truncate(b.what, width.saturating_sub(key_w), t.ellipsis());
                out.push(Line::from(vec![
                    Span::styled(format!("{:<key_w$}", b.keys), t.key()),
                    Span::raw(what),
                ]));
            }
        }
        out
    }
}

/// The sections split into as few columns as fit `height` rows, in order (a section is never
/// cut): ranges of `sections`.
fn columns(sections: &[Section], height: usize) -> Vec<std::ops::Range<usize>> {
    let rows = |(_, b): &Section| b.len() + 1;
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, s) in sections.iter().enumerate() {
        let need = rows(s) + usize::from(i > start);
        if i > start && used + need > height {
            out.push(start..i);
            start = i;
            used = rows(s);
        } else {
            used += need;
        }
    }
    out.push(start..sections.len());
    out
}

impl Widget for HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let sections = self.sections();
        let groups = columns(&sections, usize::from(area.height.saturating_sub(2)));
        let n = groups.len().max(1);
        let inner = if n == 1 {
            usize::MAX
        } else {
            usize::from(area.width.saturating_sub(4)).saturating_sub(3 * (n - 1)) / n
        };
        let cols: Vec<Vec<Line<'static>>> = groups
            .iter()
            .map(|g| self.lines(&sections[g.clone()], inner))
            .collect();
        let col_w = |c: &Vec<Line<'_>>| c.iter().map(Line::width).max().unwrap_or(0) as u16;
        let content_w: u16 = cols.iter().map(col_w).sum::<u16>() + 3 * (cols.len() as u16 - 1);
        let content_h = cols.iter().map(Vec::len).max().unwrap_or(0) as u16;
        let popup_w = (content_w + 4).min(area.width);
        let popup_h = (content_h + 2).min(area.height);
        let popup = Rect::new(
            area.x + (area.width - popup_w) / 2,
            area.y + (area.height - popup_h) / 2,
            popup_w,
            popup_h,
        );
        Clear.render(popup, buf);
        let block = Block::bordered()
            .border_set(self.theme.caps.border())
            .border_style(self.theme.border())
            .title(Span::styled(" Keys (esc to close) ", self.theme.title()));
        let inner = block.inner(popup);
        block.render(popup, buf);
        let mut x = inner.x + 1;
        for col in cols {
            let cw = col_w(&col);
            for (i, line) in col.into_iter().enumerate() {
                let y = inner.y + i as u16;
                if y >= inner.bottom() || x >= inner.right() {
                    break;
                }
                let r = Rect::new(x, y, cw.min(inner.right() - x), 1);
                line.render(r, buf);
            }
            x = x.saturating_add(cw + 3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Caps;

    fn screen(w: u16, h: u16, caps: Caps) -> String {
        let theme = Theme::new(caps);
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        HelpOverlay {
            mode: InputMode::Replay,
            read_only: false,
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        buf.content()
            .chunks(usize::from(w))
            .map(|row| {
                row.iter()
                    .map(ratatui::buffer::Cell::symbol)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn lists_every_key_at_80x24() {
        let s = screen(80, 24, Caps::FULL);
        for b in GLOBAL_KEYS
            .iter()
            .chain(RUNBOOK_KEYS)
            .chain(INCIDENT_KEYS)
            .chain(SUMMARY_KEYS)
            .chain(TEXT_KEYS)
            .chain(REPLAY_KEYS)
        {
            assert!(s.contains(b.keys), "{} missing:\n{s}", b.keys);
        }
        for title in ["Summary overlay (s)", "Text fields and forms", "Replay"] {
            assert!(s.contains(title), "{title} missing:\n{s}");
        }
    }

    #[test]
    fn one_column_when_tall_and_ascii_borders() {
        let s = screen(
            120,
            48,
            Caps {
                color: true,
                unicode: false,
            },
        );
        assert!(s.contains("+ Keys (esc to close) -"), "{s}");
        assert!(s.contains("| Dashboard"), "{s}");
        assert!(s.contains("ack the selected step"), "{s}");
        assert!(s.is_ascii());
    }
}
