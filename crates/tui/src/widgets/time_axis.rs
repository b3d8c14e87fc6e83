//! A time axis under the zoomed charts: one column per bucket, newest on the right (as the
//! charts draw them), `HH:MM` labels in the event's time zone at round times, spaced so they
//! never touch.

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::theme::Theme;

#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeAxis<'a> {
    /// Start of the newest bucket (the rightmost column).
    pub(crate) newest: DateTime<Utc>,
    pub(crate) bucket: TimeDelta,
    pub(crate) tz: Tz,
    pub(crate) theme: &'a Theme,
}

/// Label spacing candidates, in minutes.
const STEPS: [i64; 9] = [1, 2, 5, 10, 15, 30, 60, 120, 360];
/// Columns a label takes (`HH:MM` plus a space).
const LABEL: usize = 6;

impl TimeAxis<'_> {
    /// The first step whose labels are at least `LABEL` columns apart.
    fn step_minutes(&self) -> i64 {
        let per_col = self.bucket.num_seconds().max(1);
        STEPS
            .into_iter()
            .find(|m| m * 60 / per_col >= LABEL as i64)
            .unwrap_or(360)
    }
}

impl Widget for TimeAxis<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let step = self.step_minutes();
        let width = usize::from(area.width);
        let tick = if self.theme.unicode() { "╵" } else { "'" };
        // Walk columns right to left; a label starts at its tick and must fit before the
        // previous label (to its right) and inside the area.
        let mut limit = width;
        for col in (0..width).rev() {
            let back = (width - 1 - col) as i32;
            let t = self.newest - self.bucket * back;
            let local = t.with_timezone(&self.tz);
            let minute = i64::from(local.hour() * 60 + local.minute());
            if local.second() != 0 || minute % step != 0 {
                continue;
            }
            let x = area.x + col as u16;
            if col + LABEL <= limit {
                buf.set_string(
                    x,
                    area.y,
                    local.format("%H:%M").to_string(),
                    self.theme.dim(),
                );
                limit = col;
            } else if col < limit {
                buf.set_string(x, area.y, tick, self.theme.dim());
                limit = col;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Caps;

    fn render(newest: &str, width: u16, bucket: i64) -> String {
        let theme = Theme::new(Caps::FULL);
        let mut buf = Buffer::empty(Rect::new(0, 0, width, 1));
        TimeAxis {
            newest: DateTime::parse_from_rfc3339(newest)
                .expect("valid")
                .with_timezone(&Utc),
            bucket: TimeDelta::seconds(bucket),
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
    fn labels_at_round_minutes_aligned_to_columns() {
        // Newest bucket 20:07 KST in the last column; 10-minute labels (one-minute buckets).
        let s = render("2026-06-13T11:07:00Z", 30, 60);
        assert_eq!(s, "  19:40     19:50     20:00   ");
        // A label starts at its bucket's column: 20:00 is 7 columns left of the last.
        assert_eq!(s.find("20:00"), Some(29 - 7));
    }

    #[test]
    fn coarser_steps_for_wider_buckets() {
        // Five-minute buckets: 30-minute labels; 20:00 in the last column has no room for its
        // label, so it gets a tick.
        let s = render("2026-06-13T11:00:00Z", 20, 300);
        assert_eq!(s, " 18:30 19:00 19:30 ╵");
    }
}
