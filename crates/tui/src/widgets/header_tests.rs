//! Unit tests of the `header` module, kept beside it.

use super::*;
use crate::caps::Caps;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

fn header(theme: &Theme) -> HeaderBar<'_> {
    HeaderBar {
        event: "HYBRID-BTS ARMY photocard drop",
        now: at("2026-06-13T11:07:42Z"),
        tz: chrono_tz::Asia::Seoul,
        t0: at("2026-06-13T11:00:00Z"),
        phase: "PEAK",
        status: Status::Yellow,
        why: None,
        data_age: Some(TimeDelta::seconds(38)),
        stale: false,
        mode: ModeBadge::Sim { speed: 10 },
        room: &[],
        theme,
    }
}

fn text(buf: &Buffer) -> String {
    buf.content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect()
}

fn render(h: HeaderBar<'_>, w: u16) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, 1));
    h.render(buf.area, &mut buf);
    buf
}

#[test]
fn wide_header_has_everything() {
    let theme = Theme::new(Caps::FULL);
    let got = text(&render(header(&theme), 120));
    assert_eq!(
        got.trim_end(),
        "HYBRID-BTS ARMY photocard drop ·  SIM x10  · 20:07:42 KST (11:07:42 UTC) · T+07:42 · PEAK · ▲ YELLOW · age  38s"
    );
}

#[test]
fn a_growing_age_does_not_shift_the_header() {
    let theme = Theme::new(Caps::FULL);
    let mut h = header(&theme);
    let line = |h: HeaderBar<'_>| text(&render(h, 80)).trim_end().to_string();
    let young = line(h);
    h.data_age = Some(TimeDelta::seconds(110));
    let old = line(h);
    assert!(
        young.ends_with("age  38s") && old.ends_with("age 110s"),
        "{young}\n{old}"
    );
    // Everything before the age is the same, the event name cut at the same place.
    assert_eq!(young[..young.len() - 4], old[..old.len() - 4]);
}

#[test]
fn narrow_header_keeps_status_mode_and_clock() {
    let theme = Theme::new(Caps::FULL);
    let got = text(&render(header(&theme), 60));
    assert_eq!(
        got.trim_end(),
        "HYBRID-BTS… ·  SIM x10  · 20:07:42 KST · T+07:42 · ▲ YELLOW"
    );
    let got = text(&render(header(&theme), 30));
    assert!(got.contains("▲ YELLOW"), "{got}");
}

#[test]
fn status_cell_is_coloured_and_badge_reversed() {
    let theme = Theme::new(Caps::FULL);
    let buf = render(header(&theme), 120);
    let x = text(&buf).find("▲").expect("symbol");
    // `find` counts bytes; the line before the symbol is ASCII except for `·` (2 bytes).
    let col = text(&buf)[..x].chars().count() as u16;
    assert_eq!(buf[(col, 0)].fg, ratatui::style::Color::Yellow);
    assert_eq!(buf[(col + 2, 0)].symbol(), "Y");
    let chars: Vec<char> = text(&buf).chars().collect();
    let badge = chars
        .windows(3)
        .position(|w| w == ['S', 'I', 'M'])
        .expect("badge") as u16;
    assert!(
        buf[(badge, 0)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn badges_and_ascii() {
    assert_eq!(ModeBadge::Live.text(), "LIVE");
    assert_eq!(
        ModeBadge::Replay {
            speed: 60,
            paused: true
        }
        .text(),
        "REPLAY x60 PAUSED"
    );
    let theme = Theme::new(Caps {
        color: false,
        unicode: false,
    });
    let mut h = header(&theme);
    h.data_age = None;
    h.now = at("2026-06-13T10:54:48Z");
    let got = text(&render(h, 120));
    assert!(got.is_ascii(), "{got}");
    assert!(got.contains(" | T-05:12 | "), "{got}");
    assert!(got.contains("! YELLOW | no data"), "{got}");
}

#[test]
fn the_status_says_why_when_an_incident_holds_it_or_the_link_is_lost() {
    let theme = Theme::new(Caps::FULL);
    let h = HeaderBar {
        status: Status::Red,
        why: Some("INC-1 critical open"),
        ..header(&theme)
    };
    let t = text(&render(h, 160));
    assert!(t.contains("RED: INC-1 critical open"), "{t}");
    let h = HeaderBar {
        status: Status::Blind,
        why: Some("link lost"),
        ..header(&theme)
    };
    let t = text(&render(h, 160));
    assert!(t.contains("BLIND: link lost"), "{t}");
}
