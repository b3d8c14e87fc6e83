//! Unit tests of the `app` module, kept beside it: keys land on the step or incident the
//! operator saw selected, whatever the list did between two keys.

use super::*;
use crate::caps::Caps;
use crate::fixture::seoul_degraded;
use crate::theme::Theme;
use crate::view_model::StepState;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The model after the data changed: `id` now fires and sorts first (the strip's order).
fn fires_first(m: &ScreenModel, id: &str) -> ScreenModel {
    let mut m = m.clone();
    let k = m.runbook.iter().position(|s| s.id == id).expect("the step");
    let mut s = m.runbook.remove(k);
    s.state = StepState::Firing;
    m.runbook.insert(0, s);
    m
}

fn typed(ui: &mut UiState, m: &ScreenModel, text: &str) -> Vec<Effect> {
    for c in text.chars() {
        ui.handle(Action::Char(c), m);
    }
    ui.handle(Action::Submit, m)
}

fn screen(m: &ScreenModel, ui: &UiState, w: u16, h: u16) -> String {
    let theme = Theme::new(Caps {
        color: false,
        unicode: false,
    });
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    crate::view::render(m, ui, theme, area, &mut buf);
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_ack_lands_on_the_step_selected_when_the_list_re_sorts_between_keys() {
    let m = seoul_degraded();
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::Runbook, &m);
    ui.handle(Action::Down, &m);
    assert_eq!(ui.selected_id.as_deref(), Some("RB-05"));
    // RB-05 fires and moves to the top; RB-03 is on the row RB-05 was on.
    let resorted = fires_first(&m, "RB-05");
    assert_eq!(resorted.runbook[1].id, "RB-03");
    assert_eq!(ui.selected_row(&resorted), 0, "the cursor follows RB-05");
    assert_eq!(
        ui.handle(Action::Ack, &resorted),
        vec![Effect::Operator(OperatorAction::RunbookAck {
            step: "RB-05".into()
        })]
    );
    // Still on RB-05, whose row it is now: `j` moves to the step under it.
    ui.handle(Action::Down, &resorted);
    assert_eq!(ui.selected_id.as_deref(), Some("RB-03"));
}

#[test]
fn a_note_goes_to_the_step_its_prompt_named_whatever_happens_while_typing() {
    let m = seoul_degraded();
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::Runbook, &m);
    ui.handle(Action::Down, &m);
    ui.handle(Action::Note, &m);
    let label = ui.input.as_ref().map(|i| i.purpose.label());
    assert_eq!(label.as_deref(), Some("note on RB-05"));
    // The list re-sorts twice while the operator types.
    let resorted = fires_first(&m, "RB-01");
    ui.handle(Action::Char('W'), &resorted);
    let again = fires_first(&resorted, "RB-03");
    let sent = typed(&mut ui, &again, "AF rule");
    assert_eq!(
        sent.first(),
        Some(&Effect::Operator(OperatorAction::RunbookNote {
            step: "RB-05".into(),
            text: "WAF rule".into()
        }))
    );
    // Skipping asks why, naming the step.
    ui.handle(Action::Skip, &again);
    let label = ui.input.as_ref().map(|i| i.purpose.label());
    assert_eq!(label.as_deref(), Some("skip RB-05 because"));
}

#[test]
fn resolving_follows_the_incident_not_the_row() {
    let mut m = seoul_degraded();
    let mut second = m.incidents[0].clone();
    second.id = "INC-2".into();
    m.incidents.push(second);
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::Incidents, &m);
    ui.handle(Action::Down, &m);
    assert_eq!(ui.selected_id.as_deref(), Some("INC-2"));
    // The list changes order: INC-2 is first now.
    let mut reordered = m.clone();
    reordered.incidents.reverse();
    ui.handle(Action::ResolveIncident, &reordered);
    assert_eq!(
        ui.input.as_ref().map(|i| i.purpose.label()).as_deref(),
        Some("resolve INC-2; cause")
    );
    let sent = typed(&mut ui, &m, "pool exhausted");
    assert!(
        matches!(sent.first(), Some(Effect::Operator(OperatorAction::IncidentUpdate { id, .. })) if id == "INC-2"),
        "{sent:?}"
    );
    // Editing opens the form on the incident selected, named in its title.
    ui.handle(Action::EditIncident, &reordered);
    assert_eq!(
        ui.form.as_ref().and_then(|f| f.id.as_deref()),
        Some("INC-2")
    );
}

#[test]
fn the_prompt_names_the_step_on_screen_and_the_cursor_is_on_it_after_a_re_sort() {
    let m = seoul_degraded();
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::Runbook, &m);
    ui.handle(Action::Down, &m);
    let resorted = fires_first(&m, "RB-05");
    let text = screen(&resorted, &ui, 80, 24);
    // The selected line is drawn reversed; the actions shown are the selected step's.
    assert!(
        text.contains("RB-05 actions (owner: DBA on-call):"),
        "{text}"
    );
    ui.handle(Action::Note, &resorted);
    let text = screen(&resorted, &ui, 80, 24);
    assert!(text.contains("note on RB-05:"), "{text}");
}

#[test]
fn quitting_the_screen_that_serves_the_room_asks_first_naming_the_screens() {
    let mut m = seoul_degraded();
    let mut ui = UiState::new(InputMode::Live);
    assert_eq!(ui.handle(Action::Quit, &m), vec![Effect::Quit]);
    m.attached = 3;
    assert_eq!(ui.handle(Action::Quit, &m), vec![Effect::Redraw]);
    let text = screen(&m, &ui, 80, 24);
    assert!(
        text.contains("3 screens are attached: close the room? y/n"),
        "{text}"
    );
    // Anything but `y` keeps the room; `y` closes it.
    assert_eq!(ui.handle(Action::Char('q'), &m), vec![Effect::Redraw]);
    assert_eq!(ui.confirm, None);
    ui.handle(Action::Quit, &m);
    assert_eq!(ui.handle(Action::Char('y'), &m), vec![Effect::Quit]);
}

#[test]
fn confirming_the_return_to_normal_says_what_happens_and_waits_for_y() {
    let mut m = seoul_degraded();
    m.rtn.declared = Some(m.header.now);
    m.summary_recipients = vec!["directory:summaries".into(), "sns:a".into(), "sns:b".into()];
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::RtnOverlay, &m);
    assert_eq!(ui.handle(Action::RtnConfirm, &m), vec![Effect::Redraw]);
    let text = screen(&m, &ui, 100, 30);
    assert!(
        text.contains("confirm return to normal and send the final summary to 3 recipients? y/n"),
        "{text}"
    );
    assert_eq!(
        ui.handle(Action::Char('y'), &m),
        vec![Effect::Operator(OperatorAction::RtnConfirm), Effect::Redraw]
    );
}

#[test]
fn a_read_only_screen_answers_every_acting_key_the_same_and_offers_none() {
    let m = seoul_degraded();
    let mut ui = UiState::new(InputMode::Live).watching_only();
    let text = screen(&m, &ui, 80, 24);
    let footer = text.lines().last().unwrap_or_default().to_string();
    assert!(
        !footer.contains("m mark") && footer.contains("r runbook"),
        "{footer}"
    );
    // `m` and `h` open no prompt: the same answer as every other acting key.
    for key in [Action::Mark, Action::Handover] {
        assert_eq!(ui.handle(key, &m), vec![Effect::Redraw]);
        assert_eq!(ui.input, None);
        assert_eq!(ui.notice.as_deref(), Some(READ_ONLY));
    }
    ui.handle(Action::Runbook, &m);
    let text = screen(&m, &ui, 80, 24);
    assert!(
        text.contains("Runbook (read-only screen)") && !text.contains("a ack"),
        "{text}"
    );
    for key in [Action::Ack, Action::Done, Action::Note, Action::Skip] {
        assert_eq!(ui.handle(key, &m), vec![Effect::Redraw], "{key:?}");
        assert_eq!(
            (ui.input.as_ref(), ui.notice.as_deref()),
            (None, Some(READ_ONLY))
        );
    }
    ui.handle(Action::Incidents, &m);
    for key in [
        Action::NewIncident,
        Action::EditIncident,
        Action::ResolveIncident,
    ] {
        assert_eq!(ui.handle(key, &m), vec![Effect::Redraw], "{key:?}");
        assert!(ui.form.is_none() && ui.input.is_none());
        assert_eq!(ui.notice.as_deref(), Some(READ_ONLY));
    }
    // Moving and looking still work.
    ui.handle(Action::Down, &m);
    assert_eq!(ui.notice, None);
}

#[test]
fn before_the_declaration_the_return_to_normal_overlay_lists_the_criteria() {
    let mut m = seoul_degraded();
    m.rtn.criteria = vec![("5xx < 0.5%".into(), true), ("no alarms".into(), false)];
    let mut ui = UiState::new(InputMode::Live);
    ui.handle(Action::RtnOverlay, &m);
    let text = screen(&m, &ui, 80, 24);
    let failing = text.find("NOT YET no alarms");
    let holding = text.find("holds   5xx < 0.5%");
    assert!(failing.is_some() && holding > failing, "{text}");
}
