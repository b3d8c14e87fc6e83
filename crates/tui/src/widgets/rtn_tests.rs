//! Unit tests of the `rtn` module, kept beside it.

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
