//! The screen layout engine: from the terminal size and the panels' priorities and heights,
//! decides what is shown where. All panels in a grid on a big screen; on a small one the
//! header, a summary/tab strip and the top-priority panels, the rest reachable as tabs; below
//! 80x24 only the too-small message. Pure, so every size is table-tested.

use ratatui::layout::Rect;

/// The smallest screen the dashboard draws on.
pub(crate) const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// What the engine needs to know of one panel. Its position in the slice is its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelSpec {
    /// 1 is shown first and kept longest.
    pub priority: u32,
    /// Rows (borders included) below which the panel is not worth drawing.
    pub(crate) min_height: u16,
    /// Rows it would use to show everything.
    pub(crate) want_height: u16,
}

impl PanelSpec {
    /// A bordered panel of `rows` content lines: at least 4 of them shown, or all if fewer.
    pub(crate) fn for_rows(priority: u32, rows: usize) -> PanelSpec {
        let rows = u16::try_from(rows).unwrap_or(u16::MAX - 2);
        PanelSpec {
            priority,
            min_height: 2 + rows.clamp(1, 4),
            want_height: 2 + rows.max(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    TooSmall { width: u16, height: u16 },
    Screen(ScreenPlan),
}

/// Where each part of the dashboard goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScreenPlan {
    pub(crate) header: Rect,
    /// The source-failure banner's own row under the header (when there is one), so it never
    /// covers a panel's title.
    pub(crate) banner: Option<Rect>,
    /// Every panel's number, status and name; present when some panels are hidden, and then the
    /// tab bar (`1`..`9`).
    pub(crate) strip: Option<Rect>,
    /// Panel index (into the specs) and its area, in drawing order.
    pub(crate) panels: Vec<(usize, Rect)>,
    /// Panels not on screen, by priority: reachable as tabs.
    pub(crate) hidden: Vec<usize>,
    /// Runbook strip: steps armed or firing now.
    pub(crate) runbook: Rect,
    /// Return-to-normal bar.
    pub(crate) rtn: Rect,
    pub(crate) replay: Option<Rect>,
    pub(crate) footer: Rect,
}

/// Columns of the panel grid for a screen width.
pub(crate) fn columns(width: u16) -> usize {
    match width {
        0..100 => 1,
        100..200 => 2,
        _ => 3,
    }
}

/// Rows of the runbook strip for a screen height.
pub(crate) fn runbook_height(height: u16) -> u16 {
    match height {
        0..30 => 1,
        30..40 => 3,
        _ => 5,
    }
}

/// Lays out the screen. `focus` (a panel index chosen with `1`..`9`) is placed first, the rest
/// by priority; `replay` reserves a line for the replay bar.
pub(crate) fn plan(
    width: u16,
    height: u16,
    specs: &[PanelSpec],
    focus: Option<usize>,
    replay: bool,
    banner: bool,
) -> Plan {
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Plan::TooSmall { width, height };
    }
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| (specs[i].priority, i));
    if let Some(f) = focus.filter(|&f| f < specs.len()) {
        order.retain(|&i| i != f);
        order.insert(0, f);
    }
    let bottom = 2 + u16::from(replay) + runbook_height(height);
    let body_top = 1 + u16::from(banner);
    let body = height - body_top - bottom;
    let (mut panels, mut hidden) = grid(width, body_top, body, specs, &order);
    let mut strip = None;
    if !hidden.is_empty() {
        strip = Some(Rect::new(0, body_top, width, 1));
        (panels, hidden) = grid(width, body_top + 1, body - 1, specs, &order);
    }
    hidden.sort_by_key(|&i| (specs[i].priority, i));
    let mut y = height - bottom;
    let mut take = |h: u16| {
        let r = Rect::new(0, y, width, h);
        y += h;
        r
    };
    let runbook = take(runbook_height(height));
    let rtn = take(1);
    let replay = replay.then(|| take(1));
    let footer = take(1);
    Plan::Screen(ScreenPlan {
        header: Rect::new(0, 0, width, 1),
        banner: banner.then(|| Rect::new(0, 1, width, 1)),
        strip,
        panels,
        hidden,
        runbook,
        rtn,
        replay,
        footer,
    })
}

/// Fills rows of `columns(width)` panels in `order` while their minimum heights fit in `body`
/// rows from `top`; spare rows go first to panels that want more, then evenly.
fn grid(
    width: u16,
    top: u16,
    body: u16,
    specs: &[PanelSpec],
    order: &[usize],
) -> (Vec<(usize, Rect)>, Vec<usize>) {
    let cols = columns(width);
    let mut rows: Vec<&[usize]> = Vec::new();
    let mut used = 0;
    for chunk in order.chunks(cols) {
        let need = chunk
            .iter()
            .map(|&i| specs[i].min_height)
            .max()
            .unwrap_or(0);
        if used + need > body {
            break;
        }
        used += need;
        rows.push(chunk);
    }
    let shown: usize = rows.iter().map(|r| r.len()).sum();
    let hidden = order[shown..].to_vec();
    let mut heights: Vec<u16> = rows
        .iter()
        .map(|r| r.iter().map(|&i| specs[i].min_height).max().unwrap_or(0))
        .collect();
    let mut spare = body - used;
    for (h, r) in heights.iter_mut().zip(&rows) {
        let want = r.iter().map(|&i| specs[i].want_height).max().unwrap_or(0);
        let more = want.saturating_sub(*h).min(spare);
        *h += more;
        spare -= more;
    }
    let n = heights.len() as u16;
    for (k, h) in heights.iter_mut().enumerate() {
        *h += spare / n.max(1) + u16::from((k as u16) < spare % n.max(1));
    }
    let mut out = Vec::new();
    let mut y = top;
    for (row, row_h) in rows.iter().zip(heights) {
        let count = row.len() as u16;
        let mut x = 0;
        for (j, &panel) in row.iter().enumerate() {
            let col_w = width / count + u16::from((j as u16) < width % count);
            out.push((panel, Rect::new(x, y, col_w, row_h)));
            x += col_w;
        }
        y += row_h;
    }
    (out, hidden)
}

/// A `w` x `h` rectangle centred in `area` (clamped to it), for overlays.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
