//! A mini-chart of one series' buckets: newest on the right, gaps left blank, the provisional
//! tail dimmed, bars past the threshold in the breach style; from two rows up, a threshold line
//! and a baseline marker. Block characters in UTF-8, an `_.-=#` ramp in ASCII.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::config::layout::Direction;
use crate::theme::Theme;

const BLOCKS: [&str; 8] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
const RAMP: [&str; 5] = ["_", ".", "-", "=", "#"];

#[derive(Debug, Clone, Copy)]
pub(crate) struct Spark<'a> {
    /// Oldest first; `None` is a gap (no data), drawn as a blank column.
    pub(crate) buckets: &'a [Option<f64>],
    /// How many of the newest buckets are provisional (still being aggregated).
    pub(crate) provisional: usize,
    pub(crate) threshold: Option<f64>,
    pub(crate) direction: Direction,
    pub(crate) baseline: Option<f64>,
    pub(crate) theme: &'a Theme,
}

impl<'a> Spark<'a> {
    pub(crate) fn new(buckets: &'a [Option<f64>], theme: &'a Theme) -> Self {
        Spark {
            buckets,
            provisional: 0,
            threshold: None,
            direction: Direction::Above,
            baseline: None,
            theme,
        }
    }

    #[must_use]
    pub(crate) fn provisional(mut self, n: usize) -> Self {
        self.provisional = n;
        self
    }

    #[must_use]
    pub(crate) fn threshold(mut self, t: Option<f64>, direction: Direction) -> Self {
        self.threshold = t;
        self.direction = direction;
        self
    }

    #[must_use]
    pub(crate) fn baseline(mut self, b: Option<f64>) -> Self {
        self.baseline = b;
        self
    }

    fn breaches(&self, v: f64) -> bool {
        self.threshold.is_some_and(|t| match self.direction {
            Direction::Above => v > t,
            Direction::Below => v < t,
        })
    }

    /// The value range drawn: from min(0, data) to the largest of data, threshold, baseline.
    fn range(&self, shown: &[Option<f64>]) -> (f64, f64) {
        let finite = || shown.iter().flatten().copied().filter(|v| v.is_finite());
        let refs = [self.threshold, self.baseline];
        let lo = finite().fold(0.0_f64, f64::min);
        let hi = finite()
            .chain(refs.into_iter().flatten())
            .fold(lo, f64::max);
        if hi > lo { (lo, hi) } else { (lo, lo + 1.0) }
    }
}

impl Widget for Spark<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let width = usize::from(area.width);
        let h = usize::from(area.height);
        let skip = self.buckets.len().saturating_sub(width);
        let shown = &self.buckets[skip..];
        let first_provisional = self.buckets.len().saturating_sub(self.provisional);
        let (lo, hi) = self.range(shown);
        let unicode = self.theme.unicode();
        let per_row = if unicode { BLOCKS.len() } else { RAMP.len() };
        let row_of = |v: f64| (((v - lo) / (hi - lo) * h as f64) as usize).min(h - 1);
        let threshold_row = self.threshold.filter(|_| h > 1).map(row_of);
        let baseline_row = self.baseline.filter(|_| h > 1).map(row_of);
        let x0 = usize::from(area.x) + width - shown.len();
        for (i, bucket) in shown.iter().enumerate() {
            let Some(v) = bucket.filter(|v| v.is_finite()) else {
                continue;
            };
            // Every known value shows at least the lowest mark, so zero differs from a gap.
            let units = ((((v - lo) / (hi - lo)) * (h * per_row) as f64).round() as usize).max(1);
            let mut style = if self.breaches(v) {
                self.theme.breach()
            } else {
                self.theme.chart()
            };
            if skip + i >= first_provisional {
                style = style.patch(self.theme.dim());
            }
            for row in 0..h {
                let fill = units.saturating_sub(row * per_row).min(per_row);
                let (symbol, cell_style) = if fill > 0 {
                    let s = if unicode {
                        BLOCKS[fill - 1]
                    } else {
                        RAMP[fill - 1]
                    };
                    (s, style)
                } else if threshold_row == Some(row) {
                    (if unicode { "╌" } else { "~" }, self.theme.threshold_line())
                } else if baseline_row == Some(row) {
                    (if unicode { "·" } else { ":" }, self.theme.baseline_mark())
                } else {
                    continue;
                };
                let y = area.bottom() - 1 - row as u16;
                if let Some(cell) = buf.cell_mut((x0 as u16 + i as u16, y)) {
                    cell.set_symbol(symbol).set_style(cell_style);
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "spark_tests.rs"]
mod tests;
