//! Tests of a step's action text as prose and checklist items.

use super::ActionBlock::{Item, Prose};
use super::*;

fn prose(s: &str) -> ActionBlock {
    Prose(s.into())
}

fn item(s: &str) -> ActionBlock {
    Item(s.into())
}

#[test]
fn a_paragraph_then_a_list() {
    let text = "Get the reason codes (on screen).\n`Target.Timeout` with high CPU: go to RB-02. \
                Terminate it\nand let the ASG replace it.\n\n- Raise desired by *2*.\n- Check \
                the `alert` alarm\n  over two lines.\n";
    assert_eq!(
        action_blocks(text),
        [
            // A paragraph is one block of prose, however many sentences: not a checklist.
            prose(
                "Get the reason codes (on screen). `Target.Timeout` with high CPU: go to RB-02. \
                 Terminate it and let the ASG replace it."
            ),
            item("Raise desired by *2*."),
            item("Check the `alert` alarm over two lines."),
        ]
    );
}

#[test]
fn a_list_only() {
    let text = "* [ ] Freeze the ASG max.\n* [x] Enable the read path.\n+ Page the DBA.";
    assert_eq!(
        action_blocks(text),
        [
            item("Freeze the ASG max."),
            item("Enable the read path."),
            item("Page the DBA."),
        ]
    );
}

#[test]
fn prose_only() {
    let text = "Expect 60 to 120 s of database errors. Do not trigger a region failover.\n\n\
                Annotate the timeline.";
    assert_eq!(
        action_blocks(text),
        [
            prose("Expect 60 to 120 s of database errors. Do not trigger a region failover."),
            prose("Annotate the timeline."),
        ]
    );
    assert_eq!(action_blocks(""), []);
    assert_eq!(action_blocks("  \n\n"), []);
}

#[test]
fn numbered_and_nested_lists() {
    let text = "Pin traffic first.\n\n1. Set the dial to 0:\n   - Seoul first\n   - then \
                Virginia\n2. Ramp 25, 50, 100.\n\n   Watch 5xx at each step.\n3) Tell the bridge.\n";
    assert_eq!(
        action_blocks(text),
        [
            prose("Pin traffic first."),
            // The item comes before its sub-items, each one thing to tick.
            item("Set the dial to 0:"),
            item("Seoul first"),
            item("then Virginia"),
            // A loose item's paragraphs stay one item.
            item("Ramp 25, 50, 100. Watch 5xx at each step."),
            item("Tell the bridge."),
        ]
    );
}

#[test]
fn other_blocks_are_prose_and_inline_markdown_reads_as_written() {
    let text = "#### If it is an attack\n\nKeep **blocking**; see [the WAF guide](https://x.test/waf) \
                or `` a`b ``.\n\n```sh\naws wafv2 get-web-acl\n  --name x\n```\n\n\
                <!-- not for the room -->\n\n> Quoted\n> advice.\n\n---\n\nEscaped \\(serverless\\)";
    assert_eq!(
        action_blocks(text),
        [
            prose("If it is an attack"),
            prose("Keep **blocking**; see [the WAF guide](https://x.test/waf) or ``a`b``."),
            prose("aws wafv2 get-web-acl --name x"),
            prose("Quoted advice."),
            prose("Escaped (serverless)"),
        ]
    );
}
