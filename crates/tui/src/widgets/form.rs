//! The incident form box: one line per field with the focused one marked, choices shown as
//! `< major >`, the ETA hint, the last refusal and the key hints. Drawn over the overlays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use crate::incident_form::{Field, IncidentForm, severity_word, state_word};
use crate::layout::centered;
use crate::sanitize;
use crate::theme::Theme;

#[derive(Debug, Clone, Copy)]
pub struct FormBox<'a> {
    pub(crate) form: &'a IncidentForm,
    pub(crate) theme: &'a Theme,
}

impl Widget for FormBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let f = self.form;
        let ascii = !t.unicode();
        let popup = centered(area, area.width.saturating_sub(4).min(90), 13);
        Clear.render(popup, buf);
        let title = match &f.id {
            None => " New incident ".to_string(),
            Some(id) => format!(" Edit {} ", sanitize::sanitize(id, ascii)),
        };
        let block = Block::bordered()
            .border_set(t.caps.border())
            .border_style(t.title())
            .title(Span::styled(title, t.title()));
        let inner = block.inner(popup);
        block.render(popup, buf);
        let cursor = if ascii { "_" } else { "▏" };
        let room = usize::from(inner.width).saturating_sub(14);
        let mut lines: Vec<Line<'_>> = Field::ALL
            .iter()
            .map(|&field| {
                let focused = field == f.focus;
                let marker = if focused { "> " } else { "  " };
                let value = match field {
                    Field::Title => tail(&f.draft.title, room, ascii),
                    Field::Plan => tail(&f.draft.plan, room, ascii),
                    Field::Eta => tail(&f.draft.eta, room, ascii),
                    Field::Owner => tail(&f.draft.owner, room, ascii),
                    Field::Impact => tail(&f.draft.impact, room, ascii),
                    Field::Severity => format!("< {} >", severity_word(f.draft.severity)),
                    Field::State => format!("< {} >", state_word(f.draft.state)),
                };
                let mut spans = vec![
                    Span::styled(format!("{marker}{:<10}", field.label()), t.key()),
                    Span::raw(value),
                ];
                if focused && !field.is_choice() {
                    spans.push(Span::raw(cursor));
                }
                if field == Field::Eta && (focused || f.draft.eta.is_empty()) {
                    spans.push(Span::styled("  +30m, 21:30, T+2h", t.dim()));
                }
                if field == Field::Impact && (focused || f.draft.impact.is_empty()) {
                    spans.push(Span::styled("  20:09, -15m, T+9m", t.dim()));
                }
                Line::from(spans)
            })
            .collect();
        lines.push(Line::default());
        if f.confirm_discard {
            lines.push(Line::styled("discard the changes? (y/n)", t.title()));
        } else if let Some(e) = &f.error {
            lines.push(Line::styled(
                format!("! {}", sanitize::sanitize(e, ascii)),
                t.title(),
            ));
        } else {
            lines.push(Line::default());
        }
        let arrows = if ascii { "<- ->" } else { "← →" };
        lines.push(Line::styled(
            format!("enter save  tab/up/down field  {arrows} choose  esc cancel"),
            t.dim(),
        ));
        for (i, line) in lines.into_iter().enumerate() {
            let Ok(row) = u16::try_from(i) else { break };
            if row >= inner.height {
                break;
            }
            line.render(Rect::new(inner.x, inner.y + row, inner.width, 1), buf);
        }
    }
}

/// The end of a long value, so the cursor stays in view.
fn tail(s: &str, room: usize, ascii: bool) -> String {
    let s = sanitize::sanitize(s, ascii);
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(room)).collect()
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
    fn form_shows_fields_focus_choices_and_errors_in_ascii() {
        let theme = Theme::new(Caps {
            color: false,
            unicode: false,
        });
        let mut form = IncidentForm::new_incident();
        for c in "Seoul 5xx\x1b[2J".chars() {
            form.type_char(c);
        }
        form.error = Some("ETA \"soon\": bad".into());
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        FormBox {
            form: &form,
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        let r = rows(&buf).join("\n");
        assert!(r.contains("New incident"), "{r}");
        assert!(
            r.contains("> Title     Seoul 5xx[2J_"),
            "escape stripped: {r}"
        );
        assert!(r.contains("  Severity  < major >"), "{r}");
        assert!(r.contains("  State     < investigating >"), "{r}");
        assert!(r.contains("! ETA \"soon\": bad"), "{r}");
        assert!(r.contains("<- -> choose"), "{r}");
        assert!(r.is_ascii(), "{r}");
    }
}
