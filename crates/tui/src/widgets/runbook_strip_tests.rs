//! Unit tests of the `runbook_strip` module, kept beside it.

use super::*;
use crate::caps::Caps;

fn step(id: &str, state: StepState) -> StepModel {
    StepModel {
        id: id.into(),
        title: "Seoul target unhealthy".into(),
        state,
        owner: None,
        since: None,
        detail: "1/3 min".into(),
        actions: vec![item("check reason codes"), item("raise desired +2")],
    }
}

fn item(text: &str) -> ActionBlock {
    ActionBlock::Item(text.into())
}

fn lines(steps: &[StepModel], w: u16, h: u16) -> Vec<String> {
    lines_in(Caps::FULL, steps, w, h)
}

fn lines_in(caps: Caps, steps: &[StepModel], w: u16, h: u16) -> Vec<String> {
    let theme = Theme::new(caps);
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    RunbookStrip {
        steps,
        theme: &theme,
    }
    .render(buf.area, &mut buf);
    buf.content()
        .chunks(usize::from(w))
        .map(|r| {
            r.iter()
                .map(ratatui::buffer::Cell::symbol)
                .collect::<String>()
        })
        .map(|s| s.trim_end().to_string())
        .collect()
}

#[test]
fn one_line_puts_firing_first() {
    let steps = [
        step("RB-01", StepState::Done),
        step("RB-02", StepState::Armed),
        step("RB-03", StepState::Firing),
    ];
    assert_eq!(
        lines(&steps, 70, 1),
        ["✖ RB-03 FIRING Seoul target unhealthy (1/3 min)  +1 (r)"]
    );
    assert_eq!(
        lines(&steps[..1], 70, 1),
        ["Runbook: nothing armed or firing"]
    );
    // The steps it cannot show say how many of them fire; the owner follows the title.
    let mut steps = steps.to_vec();
    steps.push(step("RB-04", StepState::Firing));
    steps[2].owner = Some("Web on-call".into());
    assert_eq!(
        lines(&steps, 80, 1),
        ["✖ RB-03 FIRING Seoul target unhealthy · Web on-call (1/3 min)  +1 firing +1 (r)"]
    );
}

#[test]
fn box_lists_actions_of_the_top_step() {
    let steps = [
        step("RB-03", StepState::Firing),
        step("RB-05", StepState::Acked),
    ];
    let l = lines(&steps, 60, 5);
    assert!(l[0].starts_with("┌ RUNBOOK (r) ─"), "{l:?}");
    assert_eq!(
        l[1],
        "│✖ RB-03 FIRING Seoul target unhealthy (1/3 min)           │"
    );
    assert_eq!(
        l[2],
        "│   ☐ check reason codes                                   │"
    );
    assert_eq!(
        l[3],
        "│   ☐ raise desired +2                                     │"
    );
}

#[test]
fn actions_cut_short_end_with_one_mark() {
    let mut long = step("RB-10", StepState::Firing);
    long.actions = vec![
        item("Identify the top rule and the top client IPs."),
        item(
            "If the blocked IPs look like buyers (carrier NAT, many users per IP), raise the \
             limit or set the rule to COUNT; if it is an attack, keep blocking.",
        ),
    ];
    // At every width the second action row is the last shown: it ends with one mark, and
    // a word cut at the edge never adds a second.
    for w in 30..90 {
        let l = lines(std::slice::from_ref(&long), w, 5);
        let last = l[3].trim_end_matches('│').trim_end();
        assert!(last.ends_with(" …"), "width {w}: {l:?}");
        assert!(
            !last.contains("… …") && !last.contains("……"),
            "width {w}: {l:?}"
        );
    }
}

#[test]
fn an_acknowledged_step_still_firing_still_reads_firing() {
    // Acknowledging answers the firing; it does not end it: the word stays FIRING, under the
    // answered symbol, with who acknowledged it.
    let mut s = step("RB-07", StepState::Acked);
    s.detail = "acked by kim 20:12".into();
    assert_eq!(
        lines(&[s], 70, 1),
        ["▲ RB-07 FIRING Seoul target unhealthy (acked by kim 20:12)  (r)"]
    );
}

#[test]
fn prose_is_read_and_list_items_are_ticked() {
    let mut s = step("RB-03", StepState::Firing);
    s.actions = vec![
        ActionBlock::Prose(
            "Get the reason codes (on screen). Target.Timeout with high CPU: go to RB-02.".into(),
        ),
        item("Raise desired by 2."),
    ];
    let l = lines(std::slice::from_ref(&s), 60, 6);
    assert_eq!(
        l[2..5],
        [
            "│   Get the reason codes (on screen). Target.Timeout with  │",
            "│   high CPU: go to RB-02.                                 │",
            "│   ☐ Raise desired by 2.                                  │",
        ]
    );
    let ascii = Caps {
        color: false,
        unicode: false,
    };
    let l = lines_in(ascii, std::slice::from_ref(&s), 60, 6);
    assert_eq!(
        l[2..5],
        [
            "|   Get the reason codes (on screen). Target.Timeout with  |",
            "|   high CPU: go to RB-02.                                 |",
            "|   [ ] Raise desired by 2.                                |",
        ]
    );
}
