//! The return-to-normal bar: each criterion holding or not (failing ones first, so they stay
//! visible on a narrow screen), the streak against what is needed, and when it would complete;
//! once declared, when it was, and a relapse (a criterion false again) as such.

use std::fmt::Write as _;

use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::format;
use crate::model::Status;
use crate::sanitize;
use crate::theme::Theme;
use crate::view_model::RtnModel;

#[derive(Debug, Clone, Copy)]
pub(crate) struct RtnBar<'a> {
    pub(crate) rtn: &'a RtnModel,
    pub(crate) tz: Tz,
    pub(crate) theme: &'a Theme,
}

impl Widget for RtnBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let r = self.rtn;
        let holding = r.criteria.iter().filter(|(_, ok)| *ok).count();
        let all = holding == r.criteria.len();
        let local = |at: chrono::DateTime<chrono::Utc>, fmt: &str| {
            at.with_timezone(&self.tz).format(fmt).to_string()
        };
        let (head_status, tail) = match (r.declared, r.relapsed) {
            (Some(d), Some(since)) => (
                Status::Red,
                format!(
                    " RELAPSE since {} (declared {})",
                    local(since, "%d %b %H:%M %Z"),
                    local(d, "%d %b %H:%M")
                ),
            ),
            (Some(d), None) => (
                if all { Status::Green } else { Status::Yellow },
                format!(" declared {}", local(d, "%d %b %H:%M %Z")),
            ),
            (None, _) => {
                let mut tail = format!(
                    " {}/{}",
                    format::duration(r.streak),
                    format::duration(r.need)
                );
                if let (true, Some(at)) = (all, r.completes_at) {
                    let _ = write!(tail, " done {}", local(at, "%H:%M %Z"));
                }
                (if all { Status::Green } else { Status::Yellow }, tail)
            }
        };
        let mut spans = vec![
            Span::styled("RETURN-TO-NORMAL", t.title()),
            Span::styled(
                format!(" {} {holding}/{}", t.symbol(head_status), r.criteria.len()),
                t.status(head_status),
            ),
            Span::raw(tail),
        ];
        let (yes, no) = if t.unicode() {
            ("✓", "✗")
        } else {
            ("+", "x")
        };
        let mut used: usize = spans.iter().map(Span::width).sum();
        let avail = usize::from(area.width);
        let mut ordered: Vec<&(String, bool)> = r.criteria.iter().filter(|(_, ok)| !ok).collect();
        ordered.extend(r.criteria.iter().filter(|(_, ok)| *ok));
        for (k, (name, ok)) in ordered.iter().enumerate() {
            let name = sanitize::sanitize(name, !t.unicode());
            let item = format!("  {} {name}", if *ok { yes } else { no });
            let rest = ordered.len() - k;
            let more = format!("  +{rest}");
            let fits_with_more = used + item.width() + if rest > 1 { more.width() } else { 0 };
            if fits_with_more > avail {
                if used + more.width() <= avail {
                    spans.push(Span::styled(more, t.dim()));
                }
                break;
            }
            used += item.width();
            let style = t.status(if *ok { Status::Green } else { Status::Red });
            spans.push(Span::styled(item, style));
        }
        Line::from(spans).render(area, buf);
    }
}

#[cfg(test)]
#[path = "rtn_tests.rs"]
mod tests;
