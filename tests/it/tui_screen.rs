//! Whole-screen renders of the reference fixture on `TestBackend` at 80x24, 120x40 and 200x60,
//! compared with text snapshots in `tests/snapshots/` (regenerate with
//! `BLESS=1 cargo test --test it tui_screen`), plus properties every size keeps.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use warroom_tui::app::UiState;
use warroom_tui::caps::Caps;
use warroom_tui::fixture;
use warroom_tui::keys::{Action, InputMode};
use warroom_tui::theme::Theme;
use warroom_tui::view;
use warroom_tui::view_model::ScreenModel;

const ASCII_MONO: Caps = Caps {
    color: false,
    unicode: false,
};

fn render(model: &ScreenModel, ui: &UiState, caps: Caps, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| view::draw(f, model, ui, Theme::new(caps)))
        .expect("draw");
    term.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let w = usize::from(buf.area.width);
    let mut out = String::new();
    for row in buf.content().chunks(w) {
        let mut line = String::new();
        let mut skip = 0;
        for cell in row {
            // A wide character's second cell holds an empty symbol; skip it.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn check_snapshot(name: &str, actual: &str) {
    crate::support::golden::check(&format!("tests/snapshots/tui_{name}.txt"), actual);
}

fn live() -> UiState {
    UiState::new(InputMode::Live)
}

#[test]
fn snapshots_at_three_sizes() {
    let m = fixture::seoul_degraded();
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let buf = render(&m, &live(), Caps::FULL, w, h);
        check_snapshot(&format!("seoul_degraded_{w}x{h}"), &text(&buf));
    }
    let buf = render(&m, &live(), ASCII_MONO, 80, 24);
    check_snapshot("seoul_degraded_80x24_ascii", &text(&buf));
    let r = fixture::seoul_degraded_replay();
    let buf = render(&r, &UiState::new(InputMode::Replay), Caps::FULL, 120, 40);
    check_snapshot("seoul_degraded_replay_120x40", &text(&buf));
}

#[test]
fn every_size_shows_status_runbook_rtn_and_keys() {
    let m = fixture::seoul_degraded();
    for (w, h) in [(80, 24), (100, 30), (120, 40), (160, 48), (200, 60)] {
        let s = text(&render(&m, &live(), Caps::FULL, w, h));
        for want in [
            "▲ YELLOW",
            "SIM x10",
            "20:07:42 KST",
            "T+07:42",
            "RB-03 FIRING",
            "RETURN-TO-NORMAL",
            "? help",
        ] {
            assert!(s.contains(want), "{want} missing at {w}x{h}:\n{s}");
        }
        assert!(
            !s.contains('\u{1b}') && !s.contains('\u{202e}'),
            "unsanitised at {w}x{h}"
        );
        // Hidden panels stay reachable: the strip lists every tab when some are hidden.
        if w == 80 {
            assert!(s.contains("7 ● Edge"), "{s}");
        }
    }
}

#[test]
fn ascii_monochrome_has_no_colour_and_no_unicode() {
    let m = fixture::seoul_degraded();
    let buf = render(&m, &live(), ASCII_MONO, 80, 24);
    assert!(text(&buf).is_ascii(), "{}", text(&buf));
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn header_status_cell_is_coloured() {
    let m = fixture::seoul_degraded();
    let buf = render(&m, &live(), Caps::FULL, 120, 40);
    let row: Vec<&str> = (0..120).map(|x| buf[(x, 0)].symbol()).collect();
    let x = row.iter().position(|s| *s == "▲").expect("status symbol") as u16;
    assert_eq!(buf[(x, 0)].fg, Color::Yellow);
}

#[test]
fn below_minimum_says_so() {
    let m = fixture::seoul_degraded();
    for (w, h) in [(79, 24), (80, 23), (40, 12)] {
        let s = text(&render(&m, &live(), Caps::FULL, w, h));
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&format!("need 80x24 (have {w}x{h})")), "{s}");
    }
}

#[test]
fn overlays_draw_over_the_dashboard() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Runbook, &m);
    let s = text(&render(&m, &ui, Caps::FULL, 80, 24));
    assert!(
        s.contains("Runbook  a ack  d done  n note  x skip (esc to close)"),
        "{s}"
    );
    assert!(s.contains("RB-05  ARMED"), "{s}");
    assert!(
        s.contains("RB-03 actions (owner: Web on-call):") && s.contains("☐ check reason codes"),
        "{s}"
    );
    assert!(s.contains("a ack"), "footer hints follow the overlay:\n{s}");
    ui.handle(Action::Help, &m);
    let s = text(&render(&m, &ui, Caps::FULL, 80, 24));
    assert!(
        s.contains("Keys (esc to close)")
            && s.contains("S-left/right")
            && s.contains("Summary overlay (s)"),
        "{s}"
    );
    // With room, every description is whole.
    let s = text(&render(&m, &ui, Caps::FULL, 160, 48));
    assert!(
        s.contains("seek 10 minutes") && s.contains("send to leadership now"),
        "{s}"
    );
    let mut ui = live();
    ui.handle(Action::Timeline, &m);
    let s = text(&render(&m, &ui, Caps::FULL, 120, 40));
    assert!(s.contains("20:07:10 ✖ RB-03 firing"), "{s}");
    let mut ui = live();
    ui.handle(Action::Incidents, &m);
    ui.handle(Action::NewIncident, &m);
    ui.handle(Action::Char('x'), &m);
    let s = text(&render(&m, &ui, Caps::FULL, 120, 40));
    assert!(
        s.contains("New incident") && s.contains("> Title     x▏") && s.contains("< major >"),
        "{s}"
    );
}

#[test]
fn zoom_and_tabs_on_a_small_screen() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Tab(6), &m);
    let s = text(&render(&m, &ui, Caps::FULL, 80, 24));
    assert!(s.contains("6 Alarms and error logs"), "{s}");
    ui.handle(Action::Tab(2), &m);
    ui.handle(Action::Zoom, &m);
    let s = text(&render(&m, &ui, Caps::FULL, 120, 40));
    assert!(
        s.contains("2 Seoul") && !s.contains("1 Global Accelerator"),
        "{s}"
    );
}

#[test]
fn any_size_and_state_renders_without_panic() {
    let live = fixture::seoul_degraded();
    let replay = fixture::seoul_degraded_replay();
    let mut states = vec![(live.clone(), UiState::new(InputMode::Live))];
    for actions in [
        vec![Action::Help],
        vec![Action::Runbook, Action::Bottom],
        vec![Action::Timeline],
        vec![Action::Tab(7), Action::Zoom],
        vec![Action::Incidents, Action::NewIncident, Action::Char('x')],
        vec![Action::SummaryPreview],
    ] {
        let mut ui = UiState::new(InputMode::Live);
        for a in actions {
            ui.handle(a, &live);
        }
        states.push((live.clone(), ui));
    }
    states.push((replay, UiState::new(InputMode::Replay)));
    let mut empty = live.clone();
    empty.panels.clear();
    empty.runbook.clear();
    empty.rtn.criteria.clear();
    states.push((empty, UiState::new(InputMode::Live)));
    let widths = [0, 40, 79, 80, 100, 160, 230];
    let heights = [0, 12, 23, 24, 30, 48, 72];
    for (k, (m, ui)) in states.iter().enumerate() {
        let caps: &[Caps] = if k == 0 {
            &[Caps::FULL, ASCII_MONO]
        } else {
            &[Caps::FULL]
        };
        for (&w, &h) in widths
            .iter()
            .flat_map(|w| heights.iter().map(move |h| (w, h)))
        {
            for &c in caps {
                let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h));
                view::render(m, ui, Theme::new(c), buf.area, &mut buf);
            }
        }
    }
}

#[test]
fn zoom_has_a_time_axis() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Tab(2), &m);
    ui.handle(Action::Zoom, &m);
    let s = text(&render(&m, &ui, Caps::FULL, 120, 40));
    assert!(s.contains("19:50") && s.contains("20:00"), "{s}");
}

#[test]
fn the_notice_leads_the_footer_status_at_80_columns() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.notice = Some("marked: doors open".into());
    let screen = text(&render(&m, &ui, ASCII_MONO, 80, 24));
    let footer = screen.lines().last().expect("footer");
    assert!(footer.starts_with("? help"), "{footer}");
    assert!(footer.contains("marked: doors open"), "{footer}");
}

#[test]
fn a_long_incident_title_gives_way_to_owner_and_eta_at_80_columns() {
    let mut m = fixture::seoul_degraded();
    m.incidents[0].title =
        "Seoul checkout failing for buyers behind carrier NAT after the rate rule".into();
    let mut ui = live();
    ui.handle(Action::Incidents, &m);
    let s = text(&render(&m, &ui, ASCII_MONO, 80, 24));
    let row = s
        .lines()
        .find(|l| l.contains(&m.incidents[0].id))
        .unwrap_or_else(|| panic!("no incident row:\n{s}"));
    assert!(row.contains("Seoul checkout"), "{row}");
    assert!(row.contains("~  owner noc1  ETA "), "{row}");
}

#[test]
fn the_source_failure_banner_has_its_own_row_and_leaves_panel_titles_whole() {
    let mut m = fixture::seoul_degraded();
    for (w, h) in [(80, 24), (160, 48)] {
        m.banner = None;
        let before = text(&render(&m, &live(), Caps::FULL, w, h));
        let title = before
            .lines()
            .find(|l| l.contains("Global Accelerator") || l.contains("1 GA"))
            .map_or_else(
                || panic!("a first row under the header:\n{before}"),
                str::to_string,
            );
        m.banner = Some("AWS credentials expired: profile hybridbts".into());
        let s = text(&render(&m, &live(), Caps::FULL, w, h));
        let lines: Vec<&str> = s.lines().collect();
        assert!(lines[1].contains("AWS credentials expired"), "{s}");
        assert!(
            s.contains(title.trim_end()),
            "{title} covered by the banner:\n{s}"
        );
    }
}

#[test]
fn an_eta_gone_by_is_flagged_and_the_impact_start_shown() {
    let mut m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Incidents, &m);
    let s = text(&render(&m, &ui, ASCII_MONO, 80, 24));
    assert!(!s.contains("PASSED"), "{s}");
    assert!(s.contains("impact from: (not given: e to add)"), "{s}");
    m.incidents[0].eta = Some(m.header.now - chrono::TimeDelta::minutes(1));
    m.incidents[0].impact_start = Some(m.header.t0 + chrono::TimeDelta::minutes(7));
    let s = text(&render(&m, &ui, ASCII_MONO, 80, 24));
    let row = s
        .lines()
        .find(|l| l.contains("INC-1"))
        .unwrap_or_else(|| panic!("no incident row:\n{s}"));
    assert!(row.contains("ETA 20:06 KST PASSED"), "{row}");
    assert!(s.contains("impact from: 20:07:00"), "{s}");
}

#[test]
fn the_selected_timeline_entry_is_shown_in_full_under_the_list() {
    let mut m = fixture::seoul_degraded();
    let long = "INC-1 opened (critical, investigating, plan: scale out the Seoul ASG to 12 and \
                pin the GA dial, ETA 20:45, owner noc2): Seoul checkout failing behind carrier NAT";
    m.timeline.last_mut().expect("an entry").text = long.into();
    let mut ui = live();
    ui.handle(Action::Timeline, &m);
    let s = text(&render(&m, &ui, ASCII_MONO, 80, 24));
    // Cut on its line in the list, whole (wrapped) under the rule.
    assert!(s.contains("and pin the GA dial, ETA 20:45"), "{s}");
    assert!(s.contains("carrier NAT"), "{s}");
    // A short entry selected: no detail rows.
    ui.handle(Action::Up, &m);
    let s = text(&render(&m, &ui, ASCII_MONO, 80, 24));
    assert!(!s.contains("carrier NAT"), "{s}");
}
