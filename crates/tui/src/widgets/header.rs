//! The header line: event name, mode badge, clock in the event's zone and UTC, T-minus/T-plus,
//! phase, overall status (symbol + word), data age. Takes plain values; on a narrow screen the
//! least important segments drop out first and the event name is shortened.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::status::StatusCell;
use crate::format;
use crate::model::Status;
use crate::sanitize;
use crate::theme::Theme;

/// Where the data comes from and how fast time runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeBadge {
    Live,
    Sim { speed: u32 },
    Replay { speed: u32, paused: bool },
}

impl ModeBadge {
    /// `LIVE`, `SIM x10`, `REPLAY x60 PAUSED`.
    pub(crate) fn text(self) -> String {
        match self {
            ModeBadge::Live => "LIVE".to_string(),
            ModeBadge::Sim { speed } => format!("SIM x{speed}"),
            ModeBadge::Replay { speed, paused } => {
                format!("REPLAY x{speed}{}", if paused { " PAUSED" } else { "" })
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct HeaderBar<'a> {
    pub(crate) event: &'a str,
    pub(crate) now: DateTime<Utc>,
    pub(crate) tz: Tz,
    /// T0, the start of the event.
    pub(crate) t0: DateTime<Utc>,
    pub(crate) phase: &'a str,
    pub(crate) status: Status,
    /// Why the status is what it is, when the panels do not say it (`INC-1 critical open`,
    /// `link lost`): shown beside it.
    pub(crate) why: Option<&'a str>,
    /// Age of the newest data; `None` before any arrived.
    pub(crate) data_age: Option<TimeDelta>,
    /// Data older than its sources' staleness limit: the age is dimmed.
    pub(crate) stale: bool,
    pub(crate) mode: ModeBadge,
    /// Who is in the room (attached screens), in joining order; empty for a screen alone.
    pub(crate) room: &'a [String],
    pub(crate) theme: &'a Theme,
}

/// One piece of the header; `rank` 0 is dropped last.
struct Segment {
    rank: u8,
    spans: Vec<Span<'static>>,
    /// Joined to the previous segment without a separator.
    glued: bool,
}

impl HeaderBar<'_> {
    fn segments(&self) -> Vec<Segment> {
        let t = self.theme;
        let seg = |rank, spans, glued| Segment { rank, spans, glued };
        // The age keeps one width (`age  38s`, `age 110s`) so the segments before it, the
        // event name cut to fit, do not shift as it grows.
        let age = match self.data_age {
            Some(a) => format!("age {:>4}", format::age(a)),
            None => "no data ".to_string(),
        };
        let age_style = if self.stale || self.data_age.is_none() {
            t.dim()
        } else {
            ratatui::style::Style::new()
        };
        let mut v = vec![
            seg(
                1,
                vec![Span::styled(format!(" {} ", self.mode.text()), t.badge())],
                false,
            ),
            seg(
                2,
                vec![Span::raw(format::clock_dated(self.now, self.tz, self.t0))],
                false,
            ),
        ];
        if self.tz != chrono_tz::UTC {
            let utc = format::clock_dated(self.now, chrono_tz::UTC, self.t0);
            v.push(seg(6, vec![Span::raw(format!(" ({utc})"))], true));
        }
        v.push(seg(
            3,
            vec![Span::raw(crate::time::t_label(self.now, self.t0))],
            false,
        ));
        v.push(seg(
            5,
            vec![Span::raw(sanitize::sanitize(self.phase, !t.unicode()))],
            false,
        ));
        v.push(seg(0, vec![StatusCell::new(self.status, t).span()], false));
        if let Some(why) = self.why {
            let why = sanitize::sanitize(why, !t.unicode());
            v.push(seg(0, vec![Span::raw(format!(": {why}"))], true));
        }
        v.push(seg(4, vec![Span::styled(age, age_style)], false));
        if !self.room.is_empty() {
            // `4 in room: noc1 noc2 kim park`; the names go before the count when short of room.
            v.push(seg(
                4,
                vec![Span::raw(format!("{} in room", self.room.len()))],
                false,
            ));
            let names = sanitize::sanitize(&self.room.join(" "), !t.unicode());
            v.push(seg(7, vec![Span::raw(format!(": {names}"))], true));
        }
        v
    }
}

fn width(s: &Segment, sep: usize) -> usize {
    s.spans.iter().map(Span::width).sum::<usize>() + if s.glued { 0 } else { sep }
}

impl Widget for HeaderBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let sep = t.separator();
        let sep_w = sep.width();
        let mut segs = self.segments();
        let avail = usize::from(area.width);
        // Drop the highest ranks until the rest fits beside at least a short event name.
        let min_name = 8.min(self.event.chars().count());
        while segs.iter().map(|s| width(s, sep_w)).sum::<usize>() + min_name > avail {
            let Some(worst) = segs
                .iter()
                .enumerate()
                .max_by_key(|(_, s)| s.rank)
                .map(|(i, _)| i)
            else {
                break;
            };
            if segs[worst].rank == 0 {
                break;
            }
            segs.remove(worst);
            // A glued segment cannot outlive the one it belongs to: ranks guarantee that.
        }
        let used: usize = segs.iter().map(|s| width(s, sep_w)).sum();
        let name = sanitize::clean(self.event, avail.saturating_sub(used), !t.unicode());
        let mut spans = vec![Span::styled(name, t.title())];
        for s in segs {
            if !s.glued {
                spans.push(Span::styled(sep, t.border()));
            }
            spans.extend(s.spans);
        }
        Line::from(spans).render(area, buf);
    }
}

#[cfg(test)]
#[path = "header_tests.rs"]
mod tests;
