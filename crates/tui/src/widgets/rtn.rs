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
pub struct RtnBar<'a> {
    pub rtn: &'a RtnModel,
    pub tz: Tz,
    pub theme: &'a Theme,
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
mod tests {
    use super::*;
    use crate::caps::Caps;
    use chrono::{DateTime, TimeDelta, Utc};

    fn rtn(ok: [bool; 3]) -> RtnModel {
        RtnModel {
            criteria: vec![
                ("5xx < 0.5%".into(), ok[0]),
                ("no alarms".into(), ok[1]),
                ("p99 <= 1.2x baseline".into(), ok[2]),
            ],
            streak: TimeDelta::minutes(4),
            need: TimeDelta::minutes(15),
            completes_at: DateTime::parse_from_rfc3339("2026-06-13T13:31:00Z")
                .ok()
                .map(|d| d.with_timezone(&Utc)),
            declared: None,
            relapsed: None,
        }
    }

    fn text(r: &RtnModel, w: u16, caps: Caps) -> String {
        let theme = Theme::new(caps);
        let mut buf = Buffer::empty(Rect::new(0, 0, w, 1));
        RtnBar {
            rtn: r,
            tz: chrono_tz::Asia::Seoul,
            theme: &theme,
        }
        .render(buf.area, &mut buf);
        buf.content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect()
    }

    #[test]
    fn failing_first_then_holding() {
        let s = text(&rtn([true, false, true]), 100, Caps::FULL);
        assert_eq!(
            s.trim_end(),
            "RETURN-TO-NORMAL ▲ 2/3 04:00/15:00  ✗ no alarms  ✓ 5xx < 0.5%  ✓ p99 <= 1.2x baseline"
        );
    }

    #[test]
    fn all_holding_shows_completion_and_narrow_counts_the_rest() {
        let s = text(&rtn([true; 3]), 100, Caps::FULL);
        assert!(
            s.starts_with("RETURN-TO-NORMAL ● 3/3 04:00/15:00 done 22:31 KST  ✓"),
            "{s}"
        );
        let s = text(
            &rtn([false; 3]),
            52,
            Caps {
                color: false,
                unicode: false,
            },
        );
        assert_eq!(
            s.trim_end(),
            "RETURN-TO-NORMAL ! 0/3 04:00/15:00  x 5xx < 0.5%  +2"
        );
    }

    #[test]
    fn a_relapse_after_the_declaration_says_so_and_no_streak_runs() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        };
        let mut r = rtn([true, false, true]);
        r.streak = TimeDelta::hours(252);
        r.declared = at("2026-06-13T12:37:00Z");
        r.relapsed = at("2026-06-23T05:00:00Z");
        let s = text(&r, 120, Caps::FULL);
        assert!(
            s.starts_with(
                "RETURN-TO-NORMAL ✖ 2/3 RELAPSE since 23 Jun 14:00 KST (declared 13 Jun 21:37)  ✗ no alarms"
            ),
            "{s}"
        );
        r.relapsed = None;
        r.criteria[1].1 = true;
        let s = text(&r, 120, Caps::FULL);
        assert!(
            s.starts_with("RETURN-TO-NORMAL ● 3/3 declared 13 Jun 21:37 KST  ✓"),
            "{s}"
        );
    }
}
