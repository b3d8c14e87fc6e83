//! The screen layout engine: from the terminal size and the panels' priorities and heights,
//! decides what is shown where. All panels in a grid on a big screen; on a small one the
//! header, a summary/tab strip and the top-priority panels, the rest reachable as tabs; below
//! 80x24 only the too-small message. Pure, so every size is table-tested.

use ratatui::layout::Rect;

/// The smallest screen the dashboard draws on.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// What the engine needs to know of one panel. Its position in the slice is its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelSpec {
    /// 1 is shown first and kept longest.
    pub priority: u32,
    /// Rows (borders included) below which the panel is not worth drawing.
    pub min_height: u16,
    /// Rows it would use to show everything.
    pub want_height: u16,
}

impl PanelSpec {
    /// A bordered panel of `rows` content lines: at least 4 of them shown, or all if fewer.
    pub fn for_rows(priority: u32, rows: usize) -> PanelSpec {
        let rows = u16::try_from(rows).unwrap_or(u16::MAX - 2);
        PanelSpec {
            priority,
            min_height: 2 + rows.clamp(1, 4),
            want_height: 2 + rows.max(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    TooSmall { width: u16, height: u16 },
    Screen(ScreenPlan),
}

/// Where each part of the dashboard goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenPlan {
    pub header: Rect,
    /// The source-failure banner's own row under the header (when there is one), so it never
    /// covers a panel's title.
    pub banner: Option<Rect>,
    /// Every panel's number, status and name; present when some panels are hidden, and then the
    /// tab bar (`1`..`9`).
    pub strip: Option<Rect>,
    /// Panel index (into the specs) and its area, in drawing order.
    pub panels: Vec<(usize, Rect)>,
    /// Panels not on screen, by priority: reachable as tabs.
    pub hidden: Vec<usize>,
    /// Runbook strip: steps armed or firing now.
    pub runbook: Rect,
    /// Return-to-normal bar.
    pub rtn: Rect,
    pub replay: Option<Rect>,
    pub footer: Rect,
}

/// Columns of the panel grid for a screen width.
pub fn columns(width: u16) -> usize {
    match width {
        0..100 => 1,
        100..200 => 2,
        _ => 3,
    }
}

/// Rows of the runbook strip for a screen height.
pub fn runbook_height(height: u16) -> u16 {
    match height {
        0..30 => 1,
        30..40 => 3,
        _ => 5,
    }
}

/// Lays out the screen. `focus` (a panel index chosen with `1`..`9`) is placed first, the rest
/// by priority; `replay` reserves a line for the replay bar.
pub fn plan(
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
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
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
mod tests {
    use super::*;

    /// The reference layout's panels: GA, Seoul, Virginia, WAF, data, alarms, edge.
    fn reference() -> Vec<PanelSpec> {
        [(1, 4), (2, 11), (3, 6), (4, 8), (5, 6), (6, 6), (7, 2)]
            .into_iter()
            .map(|(p, rows)| PanelSpec::for_rows(p, rows))
            .collect()
    }

    fn screen(w: u16, h: u16, focus: Option<usize>, replay: bool) -> ScreenPlan {
        match plan(w, h, &reference(), focus, replay, false) {
            Plan::Screen(s) => s,
            Plan::TooSmall { .. } => panic!("too small at {w}x{h}"),
        }
    }

    fn assert_tiles(s: &ScreenPlan, w: u16, h: u16) {
        let mut all: Vec<Rect> = s.panels.iter().map(|(_, r)| *r).collect();
        all.extend([s.header, s.runbook, s.rtn, s.footer]);
        all.extend(s.strip);
        all.extend(s.replay);
        let screen = Rect::new(0, 0, w, h);
        for (i, a) in all.iter().enumerate() {
            assert!(
                screen.contains(a.as_position()) && a.right() <= w && a.bottom() <= h,
                "{a:?}"
            );
            assert!(!a.is_empty(), "{a:?}");
            for b in &all[i + 1..] {
                assert!(!a.intersects(*b), "{a:?} overlaps {b:?} at {w}x{h}");
            }
        }
        assert_eq!(s.footer.bottom(), h);
        assert_eq!(s.header.y, 0);
    }

    #[test]
    fn sizes() {
        // (w, h, columns, panels shown, strip)
        let cases = [
            (80, 24, 1, 3, true),
            (100, 30, 2, 7, false),
            (120, 40, 2, 7, false),
            (160, 48, 2, 7, false),
            (200, 60, 3, 7, false),
        ];
        for (w, h, cols, shown, strip) in cases {
            let s = screen(w, h, None, false);
            assert_eq!(columns(w), cols, "{w}x{h}");
            assert_eq!(s.panels.len(), shown, "{w}x{h}: {s:?}");
            assert_eq!(s.strip.is_some(), strip, "{w}x{h}");
            assert_eq!(s.panels.len() + s.hidden.len(), 7);
            assert_tiles(&s, w, h);
            // Top priority first, hidden ones the lowest priorities.
            let shown_ids: Vec<usize> = s.panels.iter().map(|(i, _)| *i).collect();
            assert_eq!(shown_ids, (0..shown).collect::<Vec<_>>(), "{w}x{h}");
            assert_eq!(s.hidden, (shown..7).collect::<Vec<_>>(), "{w}x{h}");
            // The grid uses the whole body.
            let last = s.panels.iter().map(|(_, r)| r.bottom()).max().unwrap_or(0);
            assert_eq!(last, s.runbook.y, "{w}x{h}");
        }
    }

    #[test]
    fn focus_brings_a_hidden_panel_forward() {
        let s = screen(80, 24, Some(5), false);
        assert_eq!(s.panels[0].0, 5);
        assert!(!s.hidden.contains(&5));
        assert!(s.hidden.contains(&2), "{s:?}");
        assert_tiles(&s, 80, 24);
    }

    #[test]
    fn replay_bar_takes_a_line() {
        let s = screen(80, 24, None, true);
        assert_eq!(s.replay.map(|r| r.y), Some(22));
        assert_tiles(&s, 80, 24);
        assert_tiles(&screen(200, 60, None, true), 200, 60);
    }

    #[test]
    fn too_small_below_80x24_only() {
        for (w, h) in [(79, 24), (80, 23), (40, 10), (0, 0)] {
            assert_eq!(
                plan(w, h, &reference(), None, false, false),
                Plan::TooSmall {
                    width: w,
                    height: h
                }
            );
        }
        // Never a refusal at or above the minimum, with any number of panels.
        for n in [0, 1, 20] {
            let specs = vec![PanelSpec::for_rows(1, 30); n];
            assert!(matches!(
                plan(80, 24, &specs, None, false, false),
                Plan::Screen(_)
            ));
        }
    }

    #[test]
    fn centred_overlay() {
        assert_eq!(
            centered(Rect::new(0, 0, 80, 24), 40, 10),
            Rect::new(20, 7, 40, 10)
        );
        assert_eq!(
            centered(Rect::new(0, 0, 80, 24), 100, 30),
            Rect::new(0, 0, 80, 24)
        );
    }
}
