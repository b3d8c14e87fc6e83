//! The runbook strip: the steps firing or armed now (firing first) with the action to take.
//! One line on a small screen; a box with the top step's actions when there is room: the
//! runbook's list items behind tick boxes, its paragraphs as prose.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use unicode_width::UnicodeWidthStr;

use super::fit::{fit_line, with_mark};
use super::status::StatusCell;
use crate::sanitize;
use crate::theme::Theme;
use crate::view_model::{ActionBlock, StepModel, StepState};

#[derive(Debug, Clone, Copy)]
pub(crate) struct RunbookStrip<'a> {
    pub(crate) steps: &'a [StepModel],
    pub(crate) theme: &'a Theme,
}

impl RunbookStrip<'_> {
    /// Live steps, firing before armed before acked, then in runbook order.
    pub(crate) fn live(&self) -> Vec<&StepModel> {
        let rank = |s: StepState| match s {
            StepState::Firing => 0,
            StepState::Armed => 1,
            _ => 2,
        };
        let mut v: Vec<&StepModel> = self.steps.iter().filter(|s| s.state.is_live()).collect();
        v.sort_by_key(|s| rank(s.state));
        v
    }

    fn step_line(&self, s: &StepModel, width: usize) -> Line<'static> {
        let t = self.theme;
        let ascii = !t.unicode();
        let text = format!(
            " {} {} {}{}{}",
            sanitize::sanitize(&s.id, ascii),
            s.state.word(),
            sanitize::sanitize(&s.title, ascii),
            s.owner_text(ascii),
            if s.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", sanitize::sanitize(&s.detail, ascii))
            }
        );
        fit_line(
            Line::from(vec![
                StatusCell::new(s.state.status(), t).symbol_span(),
                Span::raw(text),
            ]),
            width,
            t.ellipsis(),
        )
    }
}

/// A step's actions wrapped to `width` columns after `margin`: an item behind a tick box (`☐`,
/// `[ ]` in ASCII), its lines under its text; prose as plain lines from the box's column. Lines
/// break between words (a phone number or a time is never split at its hyphens).
pub(crate) fn action_lines(
    actions: &[ActionBlock],
    width: usize,
    margin: &str,
    theme: Theme,
) -> Vec<String> {
    let ascii = !theme.unicode();
    let tick = format!("{margin}{}", if ascii { "[ ] " } else { "☐ " });
    let under_tick = " ".repeat(tick.width());
    let width = width.max(20);
    let wrap = |text: &str, first: &str, rest: &str| {
        let opts = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        textwrap::wrap(&sanitize::sanitize(text, ascii), &opts)
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect::<Vec<_>>()
    };
    actions
        .iter()
        .flat_map(|a| match a {
            ActionBlock::Item(text) => wrap(text, &tick, &under_tick),
            ActionBlock::Prose(text) => wrap(text, margin, margin),
        })
        .collect()
}

impl Widget for RunbookStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let live = self.live();
        if area.height < 3 {
            let strip = match live.first() {
                None => Line::from(Span::styled("Runbook: nothing armed or firing", t.dim())),
                Some(s) => {
                    let more = more_steps(&live[1..]);
                    let mut l =
                        self.step_line(s, usize::from(area.width).saturating_sub(more.len()));
                    l.push_span(Span::styled(more, t.dim()));
                    l
                }
            };
            strip.render(area, buf);
            return;
        }
        let block = Block::bordered()
            .border_set(t.caps.border())
            .border_style(t.border())
            .title(Span::styled(" RUNBOOK (r) ", t.title()));
        let inner = block.inner(area);
        block.render(area, buf);
        let width = usize::from(inner.width);
        let mut lines: Vec<Line<'static>> = Vec::new();
        if let Some(first) = live.first() {
            lines.push(self.step_line(first, width));
            // The actions, wrapped: at least two rows of them, more when the other live steps
            // leave room; steps that do not fit are counted on the last row.
            let rows = usize::from(inner.height).saturating_sub(1);
            let wrapped = action_lines(&first.actions, width, "   ", *t);
            let others = live.len() - 1;
            let action_rows = wrapped
                .len()
                .min(rows.saturating_sub(others))
                .max(wrapped.len().min(2).min(rows));
            let cut = wrapped.len() > action_rows;
            for (i, l) in wrapped.into_iter().take(action_rows).enumerate() {
                if cut && i + 1 == action_rows {
                    // One mark that more follows (the overlay, `r`, has it all), not a second
                    // ellipsis after a cut word's.
                    let more = format!(" {}", t.ellipsis());
                    lines.push(with_mark(Line::raw(l), width, &more));
                } else {
                    lines.push(Line::raw(l));
                }
            }
            let step_rows = rows - action_rows;
            let shown = if others > step_rows {
                step_rows.saturating_sub(1)
            } else {
                others
            };
            for s in &live[1..=shown] {
                lines.push(self.step_line(s, width));
            }
            if shown < others && step_rows > 0 {
                lines.push(Line::from(Span::styled(
                    format!("+{} more steps (r)", others - shown),
                    t.dim(),
                )));
            }
        } else {
            lines.push(Line::from(Span::styled("nothing armed or firing", t.dim())));
        }
        for (i, line) in lines
            .into_iter()
            .take(usize::from(inner.height))
            .enumerate()
        {
            line.render(Rect::new(inner.x, inner.y + i as u16, inner.width, 1), buf);
        }
    }
}

/// What the one-line strip says of the live steps it cannot show: `  +3 firing +1 (r)`.
fn more_steps(rest: &[&StepModel]) -> String {
    let firing = rest.iter().filter(|s| s.state == StepState::Firing).count();
    let other = rest.len() - firing;
    match (firing, other) {
        (0, 0) => "  (r)".to_string(),
        (f, 0) => format!("  +{f} firing (r)"),
        (0, o) => format!("  +{o} (r)"),
        (f, o) => format!("  +{f} firing +{o} (r)"),
    }
}

#[cfg(test)]
#[path = "runbook_strip_tests.rs"]
mod tests;
