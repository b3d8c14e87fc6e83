//! Tests of runbook Markdown parsing: structure, keys, positions of errors.

use super::*;
use crate::config::runbook::ActionBlock;

fn names() -> Names {
    Names {
        series: vec![("seoul.cpu".into(), true), ("seoul.p99".into(), false)],
        target_groups: vec![],
        accelerators: vec![("ga".into(), vec!["ap-northeast-2".into()])],
    }
}

fn run(text: &str) -> Result<Runbook, Vec<Diagnostic>> {
    parse(
        &EmbeddedFile {
            path: "rb.md".into(),
            text: text.into(),
        },
        &names(),
    )
}

const GOOD: &str = "# Title here

Intro.

## Pre-event checklist

- [ ] first thing
- [x] done thing
  over two lines

## Steps

### RB-01: CPU high

- when: `seoul.cpu > 85 for 5m`
- owner: Web on-call
- verify: seoul.cpu < 75 * 1

Raise desired by *2*.

More text.

### RB-02: Group down

- when: ga.ap-northeast-2 == UNHEALTHY

## Return to normal

1. Announce.
2. Restore dials.

Then rest.
";

#[test]
fn parses_a_runbook() {
    let rb = run(GOOD).expect("parses");
    assert_eq!(rb.checklist.len(), 2);
    assert_eq!(rb.checklist[1].text, "done thing over two lines");
    assert!(rb.checklist[1].done && !rb.checklist[0].done);
    assert_eq!(rb.steps.len(), 2);
    let s = &rb.steps[0];
    assert_eq!((s.id.as_str(), s.title.as_str()), ("RB-01", "CPU high"));
    assert_eq!(s.when_text, "seoul.cpu > 85 for 5m");
    assert_eq!(s.owner.as_deref(), Some("Web on-call"));
    assert!(s.verify.is_some());
    assert_eq!(s.action, "Raise desired by *2*.\n\nMore text.");
    assert_eq!(
        s.actions,
        [
            ActionBlock::Prose("Raise desired by *2*.".into()),
            ActionBlock::Prose("More text.".into())
        ]
    );
    assert_eq!(rb.steps[1].action, "");
    assert_eq!(
        rb.return_to_normal
            .iter()
            .map(|i| i.text.as_str())
            .collect::<Vec<_>>(),
        vec!["Announce.", "Restore dials.", "Then rest."]
    );
    // Under no track heading, the words decide: announcing is operational.
    assert_eq!(rb.return_to_normal[0].track, RtnTrack::Operational);
    assert_eq!(rb.return_to_normal[1].track, RtnTrack::Technical);
    assert!(rb.knows("RTN-3") && !rb.knows("RTN-4") && !rb.knows("RTN-0"));
}

#[test]
fn return_to_normal_tracks_follow_their_headings() {
    let rb = run("# T\n\n## Return to normal\n\n### Operational\n\n- Close the bridge.\n- Restore limits? no: tell the bridge.\n\n### Technical\n\n- Announce the WAF is back to COUNT.\n")
        .expect("valid");
    let tracks: Vec<RtnTrack> = rb.return_to_normal.iter().map(|i| i.track).collect();
    assert_eq!(
        tracks,
        [
            RtnTrack::Operational,
            RtnTrack::Operational,
            RtnTrack::Technical
        ],
        "a heading wins over the words"
    );
}

#[test]
fn a_steps_checklist_follows_its_keys_under_another_marker() {
    let rb = run("# T\n\n## Steps\n\n### RB-01: x\n\n- when: seoul.cpu > 1\n- owner: me\n\n1. Raise desired.\n2. Tell the bridge.\n\nThen wait.\n\n### RB-02: y\n\n- when: seoul.cpu > 2\n\nRead first.\n\n* [ ] check\n")
        .expect("valid");
    assert_eq!(
        rb.steps[0].actions,
        [
            ActionBlock::Item("Raise desired.".into()),
            ActionBlock::Item("Tell the bridge.".into()),
            ActionBlock::Prose("Then wait.".into()),
        ]
    );
    assert_eq!(
        rb.steps[1].actions,
        [
            ActionBlock::Prose("Read first.".into()),
            ActionBlock::Item("check".into())
        ]
    );
    // The same marker as the keys' joins the key list: refused, saying why.
    let e = first_err("# T\n## Steps\n### RB-01: x\n- when: seoul.cpu > 1\n\n- Raise desired.\n");
    assert!(e.hint.contains("another marker"), "{}", e.hint);
}

fn first_err(text: &str) -> Diagnostic {
    run(text).expect_err("invalid").remove(0)
}

#[test]
fn expression_errors_point_into_the_file() {
    let e = first_err("# T\n\n## Steps\n\n### RB-01: x\n\n- when: `seoul.cpx > 1`\n");
    assert_eq!((e.line, e.col), (7, 10));
    assert_eq!(e.value, "seoul.cpx");
    let e = first_err("# T\n\n## Steps\n\n### RB-01: x\n\n- when:   seoul.cpu >\n");
    assert_eq!((e.line, e.col, e.value.as_str()), (7, 21, ">"));
}

#[test]
fn structural_errors() {
    let e = first_err("# T\n## Steps\n### RB-1: x\n- when: seoul.cpu > 1\n");
    assert_eq!((e.line, e.col, e.value.as_str()), (3, 5, "RB-1"));
    let e = first_err(
        "# T\n## Steps\n### RB-01: x\n- when: seoul.cpu > 1\n### RB-01: y\n- when: seoul.cpu > 1\n",
    );
    assert_eq!(
        (e.line, e.message.as_str()),
        (5, "duplicate step id \"RB-01\"")
    );
    let e = first_err("# T\n## Steps\n### RB-01: x\n- when: seoul.cpu > 1\n- trigger: x\n");
    assert_eq!((e.line, e.col, e.value.as_str()), (5, 3, "trigger"));
    let e = first_err("# T\n## Steps\n### RB-01: x\n- owner: me\n");
    assert!(e.message.contains("has no \"when\""), "{}", e.message);
    let e = first_err("# T\n## Steps\n### RB-01: x\n\nText first.\n");
    assert!(e.message.contains("no key list"), "{}", e.message);
    let e = first_err("no title\n");
    assert_eq!((e.line, e.col), (1, 1));
}
