//! Whole-screen snapshots of the dashboard built from the real simulator (reference scenario
//! before the drop, Seoul collapsed, recovering; the GA fail-open variant) at 80x24, 120x40 and
//! 200x60, stored under `tests/snapshots/dash_*.txt` (rewrite with `BLESS=1`).

use crate::support::sim_source::SimSource;
use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom_core::config::{self, Layout};
use warroom_core::time::parse_time_spec;
use warroom_sim::{Scenario, Simulator};
use warroom_tui::app::UiState;
use warroom_tui::caps::Caps;
use warroom_tui::keys::InputMode;
use warroom_tui::run::ModelSource;
use warroom_tui::theme::Theme;
use warroom_tui::view;
use warroom_tui::view_model::ScreenModel;

fn layout() -> Layout {
    let (l, r) = (
        warroom_core::builtin::layout(),
        warroom_core::builtin::runbook(),
    );
    config::load_texts(&l, Some(&r)).expect("builtin layout")
}

fn source(scenario: &str, at: &str) -> SimSource {
    let layout = layout();
    let (t0, tz) = (layout.event.start, layout.event.tz());
    let from: DateTime<Utc> = parse_time_spec("T-60m", t0, tz).expect("from");
    let at = parse_time_spec(at, t0, tz).expect("at");
    let scenario: Scenario = scenario.parse().expect("scenario");
    let sim = Simulator::new(&layout, scenario, 42, from);
    SimSource::new(&layout, sim, at, 10.0, None, "noc1")
}

fn screen(src: &SimSource, w: u16, h: u16) -> String {
    draw(src.model(), &UiState::new(InputMode::Live), w, h)
}

/// The screen of `model` with `ui`, as text.
pub fn draw(model: &ScreenModel, ui: &UiState, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("backend");
    term.draw(|f| view::draw(f, model, ui, Theme::new(Caps::FULL)))
        .expect("draw");
    let buf = term.backend().buffer();
    let mut out = String::new();
    for row in buf.content().chunks(usize::from(w)) {
        let mut line = String::new();
        let mut skip = 0;
        for cell in row {
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

/// Compares with `tests/snapshots/dash_<name>.txt` (written with `BLESS=1`).
pub fn check(name: &str, actual: &str) {
    crate::support::golden::check(&format!("tests/snapshots/dash_{name}.txt"), actual);
}

fn moments(scenario: &str, name: &str, at: &str) -> Vec<String> {
    let src = source(scenario, at);
    let mut screens = Vec::new();
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let s = screen(&src, w, h);
        check(&format!("{name}_{w}x{h}"), &s);
        screens.push(s);
    }
    screens
}

#[test]
fn before_the_drop() {
    let s = moments("army-drop-2000kst", "before_drop", "T-5m");
    assert!(s[2].contains("PRE-EVENT"), "{}", s[2]);
    // Each endpoint group's traffic share, from the series the layout names for it.
    assert!(
        s[2].contains("BTS-ALB  HEALTHY   dial 100 w128  share 81%")
            && s[2].contains("WEB-ALB  HEALTHY   dial 100 w128  share 19%"),
        "{}",
        s[2]
    );
}

#[test]
fn seoul_collapsed() {
    let s = moments("army-drop-2000kst", "seoul_collapsed", "T+10m30s");
    assert!(s[2].contains("PEAK") && s[2].contains("RED"), "{}", s[2]);
    assert!(
        s[2].contains("Target.Timeout"),
        "reason codes shown:\n{}",
        s[2]
    );
}

#[test]
fn recovering() {
    let s = moments("army-drop-2000kst", "recovering", "T+28m");
    assert!(s[2].contains("RETURN-TO-NORMAL"), "{}", s[2]);
}

#[test]
fn ga_fail_open_is_called_out() {
    let s = moments("ga-fail-open", "ga_fail_open", "T+12m");
    for screen in &s[1..] {
        assert!(
            screen.contains("GA FAIL-OPEN: no healthy endpoints"),
            "{screen}"
        );
    }
}

#[test]
fn during_ga_fail_open_firing_steps_lead_the_strip_and_the_overlay_with_their_owners() {
    use warroom_tui::view_model::StepState;
    let src = source("ga-fail-open", "T+12m");
    let m = src.model();
    let firing: Vec<_> = m
        .runbook
        .iter()
        .take_while(|s| s.state == StepState::Firing)
        .collect();
    assert!(firing.len() >= 2, "{:#?}", m.runbook);
    assert!(
        m.runbook[firing.len()..]
            .iter()
            .all(|s| s.state != StepState::Firing),
        "{:#?}",
        m.runbook
    );
    assert!(
        m.runbook.iter().all(|s| s.owner.is_some()),
        "{:#?}",
        m.runbook
    );
    let s = screen(&src, 80, 24);
    let strip = s
        .lines()
        .find(|l| l.contains("(r)"))
        .unwrap_or_else(|| panic!("a runbook strip:\n{s}"));
    assert!(
        strip.contains(&format!("{} FIRING", firing[0].id)),
        "{strip}"
    );
    assert!(
        strip.contains(&format!("+{} firing", firing.len() - 1)),
        "{strip}"
    );
    let ui = UiState {
        overlay: Some(warroom_tui::keys::Overlay::Runbook),
        ..UiState::new(InputMode::Live)
    };
    let o = draw(m, &ui, 120, 40);
    let first_step = o
        .lines()
        .find(|l| l.contains("RB-"))
        .unwrap_or_else(|| panic!("steps listed:\n{o}"));
    assert!(first_step.contains("FIRING"), "{o}");
    assert!(o.contains("actions (owner: "), "{o}");
}

#[test]
fn a_lagging_metric_row_says_its_age_and_what_the_live_source_says() {
    use warroom_tui::view_model::PanelRow;
    let src = source("army-drop-2000kst", "T+10m30s");
    let rows: Vec<_> = src
        .model()
        .panels
        .iter()
        .flat_map(|p| &p.rows)
        .filter_map(|r| match r {
            PanelRow::Metric(m) => Some(m),
            PanelRow::Text(_) => None,
        })
        .collect();
    let ga = rows
        .iter()
        .find(|m| m.label == "GA unhealthy endpoints")
        .expect("GA unhealthy endpoints row");
    assert_eq!(ga.value, Some(0.0), "CloudWatch has not caught up yet");
    assert_eq!(ga.live.as_deref(), Some("live 1 unhealthy"));
    assert!(
        ga.age.is_some_and(|a| a.num_seconds() >= 60),
        "{:?}",
        ga.age
    );
}

#[test]
fn p_shows_the_bridge_the_contacts_and_each_steps_owner() {
    let src = source("army-drop-2000kst", "T+10m30s");
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(warroom_tui::keys::Action::People, src.model());
    let s = draw(src.model(), &ui, 120, 40);
    for want in [
        "Bridge: +82-2-0000-0000 pin 4471#  https://bridge.example.com/hybridbts-warroom",
        "Incident commander: Event IC on rotation  +82-2-0000-0001",
        "Runbook owners",
        "Incident commander: RB-04, RB-05, RB-09  (Event IC on rotation  +82-2-0000-0001)",
        "DBA on-call: RB-07, RB-08, RB-11",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
}

#[test]
fn at_80_columns_the_people_overlay_wraps_the_bridge_never_cuts_it() {
    let src = source("army-drop-2000kst", "T+10m30s");
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(warroom_tui::keys::Action::People, src.model());
    let s = draw(src.model(), &ui, 80, 24);
    let joined: String = s
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '|' || c == '│' || c == ' ' || c == '+'))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains("https://bridge.example.com/hybridbts-warroom")
            && joined.contains("+82-2-0000-0001"),
        "an address or a number is cut:\n{s}"
    );
}

#[test]
fn a_web_acl_row_does_not_repeat_a_series_row() {
    use warroom_tui::view_model::PanelRow;
    let src = source("army-drop-2000kst", "T+10m30s");
    let m = src.model();
    let waf = m.panels.iter().find(|p| p.id == "waf").expect("waf panel");
    let labels: Vec<&str> = waf
        .rows
        .iter()
        .filter_map(|r| match r {
            PanelRow::Metric(x) => Some(x.label.as_str()),
            PanelRow::Text(_) => None,
        })
        .collect();
    for r in &waf.rows {
        if let PanelRow::Text(t) = r {
            let repeats = labels.iter().any(|l| t.text.starts_with(l));
            // A row may name a series only to say why it is not green.
            assert!(
                !repeats || t.text.contains("above") || t.text.contains("below"),
                "{} repeats a series row",
                t.text
            );
        }
    }
}

#[test]
fn the_runbook_overlay_says_each_steps_state_once() {
    let src = source("army-drop-2000kst", "T-5m");
    let ui = UiState {
        overlay: Some(warroom_tui::keys::Overlay::Runbook),
        ..UiState::new(InputMode::Live)
    };
    let s = draw(src.model(), &ui, 120, 40);
    let line = s
        .lines()
        .find(|l| l.contains("RB-01") && l.contains("Seoul ASG at its maximum"))
        .unwrap_or_else(|| panic!("RB-01 listed:\n{s}"));
    assert_eq!(line.to_lowercase().matches("idle").count(), 1, "{line}");
    // A firing step says since when, not "firing" again.
    let src = source("army-drop-2000kst", "T+10m30s");
    let s = draw(src.model(), &ui, 120, 40);
    let firing: Vec<&str> = s.lines().filter(|l| l.contains("FIRING")).collect();
    assert!(!firing.is_empty(), "{s}");
    for l in firing {
        assert_eq!(l.to_lowercase().matches("firing").count(), 1, "{l}");
    }
}

#[test]
fn a_zoomed_log_panel_shows_more_than_the_newest_three_lines() {
    let src = source("army-drop-2000kst", "T+12m");
    let m = src.model();
    let (i, panel) = m
        .panels
        .iter()
        .enumerate()
        .find(|(_, p)| {
            p.rows.iter().any(|r| {
                matches!(r, warroom_tui::view_model::PanelRow::Text(t) if t.text.starts_with("seoul.httpd:"))
            })
        })
        .expect("a panel with the Seoul error log");
    let log_lines = |s: &str| s.lines().filter(|l| l.contains("AH01071")).count();
    let unzoomed = draw(m, &UiState::new(InputMode::Live), 200, 60);
    assert!(log_lines(&unzoomed) <= 3, "{unzoomed}");
    let zoomed = draw(
        m,
        &UiState {
            focus: Some(i),
            zoom: true,
            ..UiState::new(InputMode::Live)
        },
        200,
        60,
    );
    assert!(
        log_lines(&zoomed) > 3,
        "{} of {} rows:\n{zoomed}",
        log_lines(&zoomed),
        panel.rows.len()
    );
}
