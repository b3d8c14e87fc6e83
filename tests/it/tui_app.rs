//! The UI update: actions in, effects out, with the reference fixture as the view model.

use chrono::TimeDelta;
use warroom_core::model::{IncidentFields, IncidentState, OperatorAction, Severity};
use warroom_tui::app::{Answer, Effect, ReplayCommand, UiState};
use warroom_tui::fixture;
use warroom_tui::keys::{Action, InputMode, Overlay};

fn live() -> UiState {
    UiState::new(InputMode::Live)
}

#[test]
fn overlays_open_toggle_and_close_in_order() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    assert_eq!(ui.handle(Action::Runbook, &m), [Effect::Redraw]);
    assert_eq!(ui.overlay, Some(Overlay::Runbook));
    ui.handle(Action::Help, &m);
    assert!(ui.help);
    assert_eq!(ui.key_context().overlay, Some(Overlay::Help));
    // Esc closes help first, then the runbook, then nothing is left.
    ui.handle(Action::Close, &m);
    assert!(!ui.help && ui.overlay == Some(Overlay::Runbook));
    ui.handle(Action::Close, &m);
    assert_eq!(ui.overlay, None);
    assert_eq!(ui.handle(Action::Close, &m), []);
    // The same key twice closes.
    ui.handle(Action::Incidents, &m);
    ui.handle(Action::Incidents, &m);
    assert_eq!(ui.overlay, None);
    // The timeline opens on its newest entry.
    ui.handle(Action::Timeline, &m);
    assert_eq!(ui.selected, m.timeline.len() - 1);
}

#[test]
fn runbook_ack_done_and_note_target_the_selected_step() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Runbook, &m);
    ui.handle(Action::Down, &m);
    let ack = ui.handle(Action::Ack, &m);
    assert_eq!(
        ack,
        [Effect::Operator(OperatorAction::RunbookAck {
            step: "RB-05".into()
        })]
    );
    ui.handle(Action::Up, &m);
    let done = ui.handle(Action::Done, &m);
    assert_eq!(
        done,
        [Effect::Operator(OperatorAction::RunbookDone {
            step: "RB-03".into()
        })]
    );
    ui.handle(Action::Note, &m);
    assert!(ui.key_context().text_input);
    for c in "scaled +2".chars() {
        ui.handle(Action::Char(c), &m);
    }
    ui.handle(Action::Backspace, &m);
    ui.handle(Action::Char('2'), &m);
    let note = ui.handle(Action::Submit, &m);
    assert_eq!(
        note[0],
        Effect::Operator(OperatorAction::RunbookNote {
            step: "RB-03".into(),
            text: "scaled +2".into()
        })
    );
    assert_eq!(ui.input, None);
    ui.handle(Action::Bottom, &m);
    assert_eq!(ui.selected, m.runbook.len() - 1);
}

#[test]
fn x_skips_the_selected_step_with_the_reason_typed() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Runbook, &m);
    ui.handle(Action::Down, &m);
    ui.handle(Action::Skip, &m);
    assert!(ui.key_context().text_input);
    // An empty reason sends nothing.
    assert_eq!(ui.handle(Action::Submit, &m), [Effect::Redraw]);
    ui.handle(Action::Skip, &m);
    for c in "pool already raised".chars() {
        ui.handle(Action::Char(c), &m);
    }
    let skip = ui.handle(Action::Submit, &m);
    assert_eq!(
        skip[0],
        Effect::Operator(OperatorAction::RunbookSkip {
            step: "RB-05".into(),
            reason: Some("pool already raised".into()),
        })
    );
}

#[test]
fn mark_and_incident_forms() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Mark, &m);
    for c in "doors open".chars() {
        ui.handle(Action::Char(c), &m);
    }
    let e = ui.handle(Action::Submit, &m);
    assert_eq!(
        e[0],
        Effect::Operator(OperatorAction::Annotation {
            text: "doors open".into()
        })
    );
    // An empty submission emits nothing.
    ui.handle(Action::Mark, &m);
    assert_eq!(ui.handle(Action::Submit, &m), [Effect::Redraw]);

    ui.handle(Action::Incidents, &m);
    ui.handle(Action::NewIncident, &m);
    assert!(ui.form.is_some() && ui.key_context().text_input);
    // Saving without a title is refused in the form, which stays open.
    assert_eq!(ui.handle(Action::Submit, &m), [Effect::Redraw]);
    let err = ui.form.as_ref().and_then(|f| f.error.clone());
    assert_eq!(err.as_deref(), Some("a title is needed"));
    for c in "RDS saturated".chars() {
        ui.handle(Action::Char(c), &m);
    }
    ui.handle(Action::Down, &m); // severity
    ui.handle(Action::Right, &m); // major -> critical
    ui.handle(Action::Down, &m); // state
    ui.handle(Action::Down, &m); // plan
    for c in "fail over to Virginia".chars() {
        ui.handle(Action::Char(c), &m);
    }
    ui.handle(Action::Down, &m); // ETA
    for c in "+20m".chars() {
        ui.handle(Action::Char(c), &m);
    }
    match &ui.handle(Action::Submit, &m)[0] {
        Effect::Operator(OperatorAction::IncidentOpen { id, fields }) => {
            assert_eq!(id, "");
            assert_eq!(fields.title.as_deref(), Some("RDS saturated"));
            assert_eq!(fields.severity, Some(Severity::Critical));
            assert_eq!(fields.state, Some(IncidentState::Investigating));
            assert_eq!(fields.plan.as_deref(), Some("fail over to Virginia"));
            assert_eq!(fields.eta, Some(m.header.now + TimeDelta::minutes(20)));
        }
        other => panic!("{other:?}"),
    }
    assert!(ui.form.is_none(), "saved forms close");
    // Edit opens the form filled with the selected incident; only changes are sent.
    ui.handle(Action::EditIncident, &m);
    let form = ui.form.as_ref().expect("edit form");
    assert_eq!(form.id.as_deref(), Some("INC-1"));
    assert_eq!(form.draft.title, m.incidents[0].title);
    assert_eq!(form.draft.plan, "drain Seoul: GA dial to 0");
    for _ in 0..5 {
        ui.handle(Action::Down, &m); // title -> owner
    }
    ui.handle(Action::Char('2'), &m);
    let saved = ui.handle(Action::Submit, &m);
    assert_eq!(ui.form.as_ref().and_then(|f| f.error.clone()), None);
    assert_eq!(
        saved[0],
        Effect::Operator(OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: Some(2),
            fields: IncidentFields {
                owner: Some("noc12".into()),
                ..IncidentFields::default()
            }
        })
    );
    // Esc with unsaved changes asks before discarding them.
    ui.handle(Action::EditIncident, &m);
    ui.handle(Action::Char('!'), &m);
    ui.handle(Action::Close, &m);
    assert!(ui.form.as_ref().is_some_and(|f| f.confirm_discard));
    ui.handle(Action::Char('n'), &m);
    assert!(ui.form.is_some(), "n keeps the form");
    ui.handle(Action::Close, &m);
    ui.handle(Action::Char('y'), &m);
    assert!(ui.form.is_none(), "y discards");
    // x resolves the selected incident, asking first what caused it.
    assert_eq!(ui.handle(Action::ResolveIncident, &m), [Effect::Redraw]);
    assert!(ui.key_context().text_input);
    for c in "php-fpm pool".chars() {
        ui.handle(Action::Char(c), &m);
    }
    assert_eq!(
        ui.handle(Action::Submit, &m)[0],
        Effect::Operator(OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: Some(2),
            fields: IncidentFields {
                state: Some(IncidentState::Resolved),
                cause: Some("php-fpm pool".into()),
                ..IncidentFields::default()
            }
        })
    );
}

#[test]
fn a_new_incidents_impact_starts_with_the_first_trigger_still_firing() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Incidents, &m);
    ui.handle(Action::NewIncident, &m);
    assert_eq!(
        ui.form.as_ref().map(|f| f.draft.impact.as_str()),
        Some("20:07:10")
    );
}

#[test]
fn ctrl_w_deletes_the_word_before_the_cursor_and_ctrl_u_the_line() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Mark, &m);
    for c in "doors open  now ".chars() {
        ui.handle(Action::Char(c), &m);
    }
    ui.handle(Action::DeleteWord, &m);
    assert_eq!(
        ui.input.as_ref().map(|i| i.text.as_str()),
        Some("doors open  ")
    );
    ui.handle(Action::DeleteWord, &m);
    assert_eq!(ui.input.as_ref().map(|i| i.text.as_str()), Some("doors "));
    ui.handle(Action::ClearLine, &m);
    assert_eq!(ui.input.as_ref().map(|i| i.text.as_str()), Some(""));
    // The same in the incident form's text fields.
    ui.handle(Action::Close, &m);
    ui.handle(Action::Incidents, &m);
    ui.handle(Action::NewIncident, &m);
    for c in "Seoul 5xx".chars() {
        ui.handle(Action::Char(c), &m);
    }
    ui.handle(Action::DeleteWord, &m);
    assert_eq!(
        ui.form.as_ref().map(|f| f.draft.title.as_str()),
        Some("Seoul ")
    );
    ui.handle(Action::ClearLine, &m);
    assert_eq!(ui.form.as_ref().map(|f| f.draft.title.as_str()), Some(""));
}

#[test]
fn quit_asks_first_when_a_form_holds_text() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    assert_eq!(ui.handle(Action::Quit, &m), [Effect::Quit]);
    ui.handle(Action::Mark, &m);
    ui.handle(Action::Char('x'), &m);
    // In a text field `q` is text; the key map sends Quit only from outside, but a Quit that
    // does reach a non-empty form asks first.
    assert_eq!(ui.handle(Action::Quit, &m), [Effect::Redraw]);
    assert!(ui.confirm.is_some() && ui.key_context().text_input);
    assert_eq!(ui.handle(Action::Char('n'), &m), [Effect::Redraw]);
    assert!(ui.confirm.is_none() && ui.input.is_some());
    ui.handle(Action::Quit, &m);
    assert_eq!(ui.handle(Action::Char('y'), &m), [Effect::Quit]);
    // Ctrl-C always quits.
    let mut ui = live();
    ui.handle(Action::Mark, &m);
    assert_eq!(ui.handle(Action::Interrupt, &m), [Effect::Quit]);
}

#[test]
fn tabs_focus_and_zoom() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Tab(6), &m);
    assert_eq!(ui.focus, Some(5));
    assert_eq!(ui.handle(Action::Tab(9), &m), []);
    ui.handle(Action::Right, &m);
    assert_eq!(ui.focus, Some(6));
    ui.handle(Action::Right, &m);
    assert_eq!(ui.focus, Some(0));
    ui.handle(Action::Left, &m);
    assert_eq!(ui.focus, Some(6));
    ui.handle(Action::Zoom, &m);
    assert!(ui.zoom);
    ui.handle(Action::Close, &m);
    assert!(!ui.zoom);
    // Enter inside an overlay does not zoom the panel behind it.
    ui.handle(Action::Timeline, &m);
    assert_eq!(ui.handle(Action::Zoom, &m), []);
    assert!(!ui.zoom);
}

#[test]
fn replay_commands() {
    let m = fixture::seoul_degraded_replay();
    let mut ui = UiState::new(InputMode::Replay);
    let cases = [
        (Action::TogglePause, ReplayCommand::TogglePause),
        (Action::Faster, ReplayCommand::Speed(120)),
        (Action::Slower, ReplayCommand::Speed(30)),
        (Action::Seek(-600), ReplayCommand::Seek(-600)),
        (Action::PrevEntry, ReplayCommand::PrevEntry),
        (Action::NextEntry, ReplayCommand::NextEntry),
    ];
    for (action, cmd) in cases {
        assert_eq!(ui.handle(action, &m), [Effect::Replay(cmd)], "{action:?}");
    }
    ui.handle(Action::GoToTime, &m);
    for c in "20:05".chars() {
        ui.handle(Action::Char(c), &m);
    }
    assert_eq!(
        ui.handle(Action::Submit, &m)[0],
        Effect::Replay(ReplayCommand::GoTo("20:05".into()))
    );
}

#[test]
fn summary_overlay_edits_headline_and_note_then_sends_them() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::SummaryPreview, &m);
    assert_eq!(ui.overlay, Some(Overlay::Summary));
    // `e`: a prompt pre-filled with the drafted headline.
    ui.handle(Action::SummaryHeadline, &m);
    let input = ui.input.clone().expect("headline prompt");
    assert_eq!(input.text, m.summary_headline);
    assert!(ui.key_context().text_input);
    for _ in 0..input.text.chars().count() {
        ui.handle(Action::Backspace, &m);
    }
    for c in "Seoul recovering".chars() {
        ui.handle(Action::Char(c), &m);
    }
    assert_eq!(ui.handle(Action::Submit, &m), [Effect::Redraw]);
    assert_eq!(ui.summary.headline.as_deref(), Some("Seoul recovering"));
    // `n`: a note.
    ui.handle(Action::SummaryNote, &m);
    for c in "DB failover at 20:40".chars() {
        ui.handle(Action::Char(c), &m);
    }
    ui.handle(Action::Submit, &m);
    // `S` asks once, naming the recipients; `y`: one send effect with both; the draft is spent.
    assert_eq!(ui.handle(Action::SummarySend, &m), [Effect::Redraw]);
    assert!(ui.confirm.is_some());
    assert_eq!(
        ui.handle(Action::Char('y'), &m),
        [
            Effect::SendSummary {
                headline: Some("Seoul recovering".into()),
                note: Some("DB failover at 20:40".into()),
            },
            Effect::Redraw
        ]
    );
    assert_eq!(
        ui.summary,
        warroom_tui::summary_keys::SummaryDraft::default()
    );
}

#[test]
fn summary_headline_left_unchanged_is_no_override_and_replay_does_not_send() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::SummaryPreview, &m);
    ui.handle(Action::SummaryHeadline, &m);
    ui.handle(Action::Submit, &m);
    assert_eq!(ui.summary.headline, None);
    let mut replay = UiState::new(InputMode::Replay);
    replay.handle(Action::SummaryPreview, &m);
    assert_eq!(replay.handle(Action::SummarySend, &m), []);
    assert_eq!(replay.handle(Action::SummaryHeadline, &m), []);
    assert!(replay.input.is_none());
}

#[test]
fn the_footer_answers_an_operator_action_once_the_source_took_it_until_the_next_key() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Mark, &m);
    assert_eq!(ui.notice, None, "opening the prompt records nothing");
    for c in "doors open".chars() {
        ui.handle(Action::Char(c), &m);
    }
    let effects = ui.handle(Action::Submit, &m);
    assert!(
        effects.contains(&Effect::Operator(OperatorAction::Annotation {
            text: "doors open".into()
        }))
    );
    assert_eq!(ui.notice, None, "nothing is said before the log took it");
    ui.answer(Answer::said("marked: doors open"), &m);
    assert_eq!(ui.notice.as_deref(), Some("marked: doors open"));
    ui.handle(Action::Runbook, &m);
    assert_eq!(ui.notice, None);
}

#[test]
fn a_refused_edit_reopens_the_form_over_the_current_incident_with_the_changes_kept() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Incidents, &m);
    let mine = OperatorAction::IncidentUpdate {
        id: "INC-1".into(),
        version: Some(1),
        fields: IncidentFields {
            owner: Some("park".into()),
            ..IncidentFields::default()
        },
    };
    ui.answer(
        Answer {
            text: "not saved: kim changed INC-1".into(),
            reopen: Some(mine),
        },
        &m,
    );
    let form = ui.form.as_ref().expect("the form is open again");
    assert_eq!(form.version, Some(2), "made on the version now shown");
    assert_eq!(form.draft.owner, "park", "the operator's change is kept");
    assert_eq!(
        form.draft.plan, "drain Seoul: GA dial to 0",
        "over the current state"
    );
    assert!(form.dirty());
    assert_eq!(form.error.as_deref(), Some("not saved: kim changed INC-1"));
    // Saving again sends the kept change on the current version.
    let saved = ui.handle(Action::Submit, &m);
    assert_eq!(
        saved[0],
        Effect::Operator(OperatorAction::IncidentUpdate {
            id: "INC-1".into(),
            version: Some(2),
            fields: IncidentFields {
                owner: Some("park".into()),
                ..IncidentFields::default()
            }
        })
    );
}

#[test]
fn a_read_only_screen_answers_operator_keys_and_sends_nothing() {
    let m = fixture::seoul_degraded();
    let mut ui = live().watching_only();
    ui.handle(Action::Runbook, &m);
    assert_eq!(ui.handle(Action::Ack, &m), [Effect::Redraw]);
    assert_eq!(
        ui.notice.as_deref(),
        Some("read-only screen: actions are off")
    );
    // The hand-over note is answered the same way, at once: no prompt to type into.
    ui.handle(Action::Close, &m);
    assert_eq!(ui.handle(Action::Handover, &m), [Effect::Redraw]);
    assert!(ui.input.is_none());
    assert_eq!(
        ui.notice.as_deref(),
        Some("read-only screen: actions are off")
    );
}

#[test]
fn h_writes_a_hand_over_note() {
    let m = fixture::seoul_degraded();
    let mut ui = live();
    ui.handle(Action::Handover, &m);
    assert_eq!(
        ui.input.as_ref().map(|i| i.purpose.label()).as_deref(),
        Some("hand-over note")
    );
    for c in "kim takes over; INC-1 with park".chars() {
        ui.handle(Action::Char(c), &m);
    }
    assert_eq!(
        ui.handle(Action::Submit, &m)[0],
        Effect::Operator(OperatorAction::Handover {
            text: "kim takes over; INC-1 with park".into()
        })
    );
}
