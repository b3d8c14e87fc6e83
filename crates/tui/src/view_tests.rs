//! Whole-screen tests of the `view` module at the smallest size (80x24), in both themes: what
//! a step's actions look like in the runbook overlay.

use super::*;
use crate::caps::Caps;
use crate::fixture::seoul_degraded;
use crate::keys::{Action, InputMode};
use crate::view_model::ActionBlock;

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

/// Inside the list overlay's box (columns 3 to 76 at 80 wide), trailing blanks trimmed.
fn inside(rows: &[String]) -> Vec<String> {
    rows.iter()
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
