//! Whole-screen tests of the `view` module at the smallest size (80x24), in both themes: what
//! a step's actions look like in the runbook overlay.

use super::*;
use crate::caps::Caps;
use crate::fixture::seoul_degraded;
use crate::keys::{Action, InputMode};
use crate::view_model::{ActionBlock, PanelRow, StepState};

const ASCII: Caps = Caps {
    color: false,
    unicode: false,
};

/// The screen's rows, trailing blanks trimmed.
fn screen(m: &ScreenModel, ui: &UiState, caps: Caps) -> Vec<String> {
    let area = Rect::new(0, 0, 80, 24);
    let mut buf = Buffer::empty(area);
    render(m, ui, Theme::new(caps), area, &mut buf);
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

fn runbook_overlay(m: &ScreenModel, caps: Caps) -> Vec<String> {
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::Runbook, m);
    screen(m, &ui, caps)
}

/// Inside the list overlay's box (rows 2 to 21 and columns 3 to 76 at 80x24), trailing
/// blanks trimmed.
fn inside(rows: &[String]) -> Vec<String> {
    rows.iter()
        .skip(2)
        .take(20)
        .map(|r| {
            let inner: String = r.chars().skip(3).take(74).collect();
            inner.trim_end().to_string()
        })
        .collect()
}

/// RB-03 with the reference runbook's shape: a paragraph of sentences, then a list.
fn prose_then_list() -> ScreenModel {
    let mut m = seoul_degraded();
    m.runbook[0].actions = vec![
        ActionBlock::Prose(
            "Get the reason codes (DescribeTargetHealth, on screen in the Seoul panel). \
             `Target.Timeout` with high CPU: go to RB-02."
                .into(),
        ),
        ActionBlock::Item("Raise desired by 2.".into()),
        ActionBlock::Item(
            "Terminate a target unhealthy for more than 10 minutes and let the ASG replace it."
                .into(),
        ),
    ];
    m
}

#[test]
fn the_runbook_overlay_shows_prose_as_text_and_list_items_as_tick_boxes() {
    let m = prose_then_list();
    for (caps, tick, items) in [
        (
            Caps::FULL,
            "☐",
            [
                "  ☐ Raise desired by 2.",
                "  ☐ Terminate a target unhealthy for more than 10 minutes and let the ASG",
                "    replace it.",
            ],
        ),
        (
            ASCII,
            "[ ]",
            [
                "  [ ] Raise desired by 2.",
                "  [ ] Terminate a target unhealthy for more than 10 minutes and let the",
                "      ASG replace it.",
            ],
        ),
    ] {
        let rows = inside(&runbook_overlay(&m, caps));
        let at = rows
            .iter()
            .position(|r| r == "RB-03 actions (owner: Web on-call):")
            .unwrap_or_else(|| panic!("the actions' title:\n{}", rows.join("\n")));
        // The paragraph is wrapped text without a box, whatever its sentences; each list
        // item has its box, its continuation under its text.
        assert_eq!(
            rows[at + 1..at + 6],
            [
                "  Get the reason codes (DescribeTargetHealth, on screen in the Seoul",
                "  panel). `Target.Timeout` with high CPU: go to RB-02.",
                items[0],
                items[1],
                items[2],
            ],
            "{}",
            rows.join("\n")
        );
        assert_eq!(
            rows.iter().filter(|r| r.contains(tick)).count(),
            2,
            "{}",
            rows.join("\n")
        );
    }
}

/// The fixture's moment with the reference layout's people and runbook: every step with its
/// title, owner and actions as the runbook has them; the first four firing, one skipped with
/// a long reason.
fn reference() -> ScreenModel {
    let layout = crate::config::load_texts(
        &warroom_core::builtin::layout(),
        Some(&warroom_core::builtin::runbook()),
    )
    .expect("the reference layout");
    let mut m = seoul_degraded();
    m.people = crate::view_model::people(&layout);
    let steps = layout.runbook.iter().flat_map(|r| &r.steps);
    m.runbook = steps
        .enumerate()
        .map(|(k, s)| {
            let (state, detail) = match k {
                0..4 => (StepState::Firing, "since 20:07:10".to_string()),
                4 => (
                    StepState::Skipped,
                    "by noc1 20:12: the dials were already at zero when the page came in".into(),
                ),
                _ => (StepState::Idle, String::new()),
            };
            StepModel {
                id: s.id.clone(),
                title: s.title.clone(),
                state,
                owner: s.owner.clone(),
                since: None,
                detail,
                actions: s.actions.clone(),
            }
        })
        .collect();
    m
}

/// The words the screens below may show whole, as `ascii` draws them.
fn words(m: &ScreenModel, ascii: bool) -> std::collections::HashSet<String> {
    let mut texts: Vec<String> = m.people.clone();
    for s in &m.runbook {
        texts.extend([s.id.clone(), s.title.clone(), s.detail.clone()]);
        texts.extend(s.owner.clone());
        texts.extend(s.actions.iter().map(|a| a.text().to_string()));
    }
    texts.extend(crate::rtn_keys::lines(m, &UiState::new(InputMode::Live)).0);
    texts
        .iter()
        .flat_map(|t| {
            sanitize::sanitize(t, ascii)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every row of the overlay's box that reaches its right edge ends with a whole word or the
/// ellipsis: text is wrapped between words or cut with the ellipsis, never cut bare.
fn assert_nothing_cut_bare(rows: &[String], words: &std::collections::HashSet<String>, ell: &str) {
    for r in inside(rows) {
        // Short of the edge, or the rule above the selected item in full.
        if r.chars().count() < 74 || r.chars().all(|c| c == '─' || c == '-') {
            continue;
        }
        let last = r.split_whitespace().last().unwrap_or_default();
        assert!(
            last.ends_with(ell) || words.contains(last),
            "a row cut inside \"{last}\":\n{r}\n\n{}",
            rows.join("\n")
        );
    }
}

#[test]
fn at_80_columns_the_reference_overlays_cut_nothing_bare() {
    let mut m = reference();
    // The owner, on a step whose line does not fit at 80 columns.
    m.runbook[1].owner = Some("Data on-call".into());
    for caps in [Caps::FULL, ASCII] {
        let ascii = !caps.unicode;
        let ell = Theme::new(caps).ellipsis();
        let words = words(&m, ascii);
        let mut ui = UiState::new(InputMode::Live);
        ui.handle(Action::Runbook, &m);
        for _ in 0..m.runbook.len() {
            let rows = screen(&m, &ui, caps);
            assert_nothing_cut_bare(&rows, &words, ell);
            ui.handle(Action::Down, &m);
        }
        for overlay in [Action::People, Action::RtnOverlay] {
            let mut ui = UiState::new(InputMode::Live);
            ui.handle(overlay, &m);
            assert_nothing_cut_bare(&screen(&m, &ui, caps), &words, ell);
        }
    }
}

#[test]
fn at_80_columns_a_steps_title_gives_way_to_its_owner_and_is_shown_whole_when_selected() {
    let mut m = reference();
    m.runbook[1].owner = Some("Data on-call".into());
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::Runbook, &m);
    ui.handle(Action::Down, &m);
    let rows = inside(&screen(&m, &ui, Caps::FULL));
    assert!(
        rows.contains(
            &"✖ RB-02  FIRING   Seoul web CPU saturated… · Data on-call  since 20:07:10"
                .to_string()
        ),
        "{}",
        rows.join("\n")
    );
    // Under the list, the selected step's line in full, wrapped between words.
    let at = rows
        .iter()
        .position(|r| r.starts_with("RB-02  FIRING   Seoul web CPU saturated or credits"))
        .unwrap_or_else(|| panic!("the step in full:\n{}", rows.join("\n")));
    assert_eq!(
        rows[at + 1],
        "on-call  since 20:07:10",
        "{}",
        rows.join("\n")
    );
    assert_eq!(rows[at].split_whitespace().last(), Some("Data"));
    // The people overlay wraps a long owner line between words; the return-to-normal overlay
    // says the whole sentence.
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::People, &m);
    let rows = inside(&screen(&m, &ui, Caps::FULL));
    assert!(
        rows.contains(
            &"  Incident commander: RB-04, RB-05, RB-09  (Event IC on rotation".to_string()
        ) && rows.contains(&"    +82-2-0000-0001)".to_string()),
        "{}",
        rows.join("\n")
    );
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::RtnOverlay, &m);
    let rows = inside(&screen(&m, &ui, Caps::FULL));
    assert_eq!(
        rows[0],
        "Not declared yet (1/7 criteria hold): the procedure shows once declared"
    );
}

#[test]
fn at_80x24_a_series_with_an_event_target_says_its_share_of_it() {
    let mut m = seoul_degraded();
    let row = m
        .panels
        .iter_mut()
        .flat_map(|p| p.rows.iter_mut())
        .find_map(|r| match r {
            PanelRow::Metric(m) => Some(m),
            PanelRow::Text(_) => None,
        })
        .expect("a series row");
    let label = row.label.clone();
    // 900 a minute against an event target of 2,000.
    row.value = Some(900.0);
    row.target = Some(2_000.0);
    let rows = screen(&m, &UiState::new(InputMode::Live), ASCII);
    let line = rows
        .iter()
        .find(|r| r.contains(label.as_str()))
        .expect("the row on screen");
    assert!(line.contains(" 45% of target "), "{rows:#?}");
    // The chart beside the line keeps its place after it.
    let after = &line[line.find("45% of target").unwrap_or(0) + 13..];
    assert!(after.trim().len() >= 4, "{line}");
}
