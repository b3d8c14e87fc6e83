//! Unit tests of the `layout` module, kept beside it.

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
