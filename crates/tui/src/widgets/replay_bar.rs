//! The replay bar: where the playhead is in the recording's window, how fast it plays, and
//! whether it is paused. Plain values in; drawn above the footer in replay mode.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::theme::Theme;

#[derive(Debug, Clone, Copy)]
pub(crate) struct ReplayBar<'a> {
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    pub(crate) pos: DateTime<Utc>,
    pub(crate) speed: u32,
    pub(crate) paused: bool,
    pub(crate) tz: Tz,
    pub(crate) theme: &'a Theme,
}

impl ReplayBar<'_> {
    /// Playhead position as a fraction of the window, 0..=1.
    pub(crate) fn fraction(&self) -> f64 {
        let total = (self.end - self.start).num_milliseconds();
        if total <= 0 {
            return 1.0;
        }
        ((self.pos - self.start).num_milliseconds() as f64 / total as f64).clamp(0.0, 1.0)
    }
}

impl Widget for ReplayBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let u = t.unicode();
        let state = match (self.paused, u) {
            (true, true) => "‖ PAUSED",
            (true, false) => "|| PAUSED",
            (false, true) => "▶ PLAY",
            (false, false) => "> PLAY",
        };
        // A recording over several days shows dates.
        let dated = crate::time::crosses_day(self.start, self.end, self.tz);
        let (day, day_hm) = if dated {
            ("%d %b ", "%d %b %H:%M")
        } else {
            ("", "%H:%M")
        };
        let local = |d: DateTime<Utc>| d.with_timezone(&self.tz).format(day_hm).to_string();
        let left = format!(
            "REPLAY x{} {state} {} ",
            self.speed,
            self.pos
                .with_timezone(&self.tz)
                .format(&format!("{day}%H:%M:%S %Z"))
        );
        let right = format!(" {}-{}", local(self.start), local(self.end));
        let avail = usize::from(area.width);
        let track_w = avail.saturating_sub(left.width() + right.width() + 1);
        let mut spans = vec![Span::styled(left, t.badge())];
        if track_w >= 5 {
            let head = (self.fraction() * (track_w - 1) as f64).round() as usize;
            let (done, todo, mark) = if u {
                ("━", "─", "●")
            } else {
                ("=", "-", "|")
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(done.repeat(head), t.chart()));
            spans.push(Span::styled(mark, t.title()));
            spans.push(Span::styled(todo.repeat(track_w - 1 - head), t.dim()));
            spans.push(Span::raw(right));
        }
        Line::from(spans).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Caps;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn bar(theme: &Theme, paused: bool) -> ReplayBar<'_> {
        ReplayBar {
            start: at("2026-06-13T10:30:00Z"),
            end: at("2026-06-13T12:30:00Z"),
            pos: at("2026-06-13T11:30:00Z"),
            speed: 60,
            paused,
            tz: chrono_tz::Asia::Seoul,
            theme,
        }
    }

    fn text(b: ReplayBar<'_>, w: u16) -> String {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, 1));
        b.render(buf.area, &mut buf);
        buf.content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect()
    }

    #[test]
    fn playhead_in_the_middle() {
        let theme = Theme::new(Caps::FULL);
        assert!((bar(&theme, false).fraction() - 0.5).abs() < 1e-9);
        assert_eq!(
            text(bar(&theme, false), 60),
            "REPLAY x60 ▶ PLAY 20:30:00 KST  ━━━━━━━━●─────── 19:30-21:30"
        );
    }

    #[test]
    fn ascii_paused() {
        let theme = Theme::new(Caps {
            color: false,
            unicode: false,
        });
        let s = text(bar(&theme, true), 60);
        assert_eq!(
            s,
            "REPLAY x60 || PAUSED 20:30:00 KST  ======|------ 19:30-21:30"
        );
    }

    #[test]
    fn narrow_drops_the_track() {
        let theme = Theme::new(Caps::FULL);
        let s = text(bar(&theme, true), 30);
        assert!(s.starts_with("REPLAY x60 ‖ PAUSED"), "{s}");
    }
}
