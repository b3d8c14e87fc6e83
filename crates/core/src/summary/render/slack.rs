//! Slack Block Kit for an incoming webhook: `{"text": fallback, "blocks": [...]}` within Slack's
//! documented limits (50 blocks, header 150 characters, section text 3000, at most 10 fields of
//! 2000), with `&`, `<` and `>` escaped in every text taken from the summary.

use serde_json::{Value, json};

use super::{
    availability_text, bridge, incident_text, local_hm, metric_text, next_text, rtn_text,
    since_label, status_line, step_text, title, tz,
};
use crate::model::Summary;
use crate::sanitize::strip;

pub const MAX_BLOCKS: usize = 50;
pub(crate) const MAX_HEADER: usize = 150;
pub(crate) const MAX_SECTION: usize = 3000;
pub(crate) const MAX_FIELDS: usize = 10;
pub(crate) const MAX_FIELD: usize = 2000;

/// Escapes Slack's control characters in mrkdwn and plain text.
pub(crate) fn escape(s: &str) -> String {
    strip(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// At most `max` characters, an ellipsis marking a cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    // Never leave half an escape sequence (`&am`) at the end.
    if let Some(amp) = out.rfind('&')
        && !out[amp..].contains(';')
    {
        out.truncate(amp);
    }
    out.push('…');
    out
}

fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}})
}

/// Lines joined into as few sections as fit the section limit.
fn sections(lines: &[String], blocks: &mut Vec<Value>) {
    let mut cur = String::new();
    for l in lines {
        if !cur.is_empty() && cur.chars().count() + l.chars().count() + 1 > MAX_SECTION {
            blocks.push(section(&cur));
            cur.clear();
        }
        if !cur.is_empty() {
            cur.push('\n');
        }
        cur.push_str(l);
    }
    if !cur.is_empty() {
        blocks.push(section(&cur));
    }
}

/// The first section: headline, status, availability, note, hand-over, what changed.
fn lead(s: &Summary) -> String {
    let mut out = format!(
        "*{}*\nOverall: *{}*",
        escape(s.title_line()),
        escape(&status_line(s))
    );
    let lines = [
        availability_text(s).map(|a| format!("Availability {a}")),
        s.note.as_ref().map(|n| format!("Note: {n}")),
        super::handover_text(s).map(|h| format!("Hand-over {h}")),
        (s.kind != crate::model::SummaryKind::Final).then(|| super::changes_text(s)),
    ];
    for l in lines.into_iter().flatten() {
        out.push('\n');
        out.push_str(&escape(&l));
    }
    out
}

/// The webhook payload.
pub fn payload(s: &Summary) -> Value {
    let tz = tz(s);
    let since = since_label(s);
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": clip(&strip(&title(s)), MAX_HEADER), "emoji": false}}),
        section(&lead(s)),
    ];
    for sec in super::recap::sections(s) {
        let mut lines = vec![format!("*{}*", sec.heading)];
        lines.extend(sec.lines.iter().map(|l| format!("• {}", escape(l))));
        sections(&lines, &mut blocks);
    }
    let fields: Vec<Value> = s
        .metrics
        .iter()
        .take(MAX_FIELDS)
        .map(|m| {
            json!({"type": "mrkdwn", "text": clip(&format!("*{}*\n{}", escape(&m.label), escape(&metric_text(m, tz))), MAX_FIELD)})
        })
        .collect();
    if !fields.is_empty() {
        blocks.push(json!({"type": "section", "fields": fields}));
    }
    blocks.push(json!({"type": "divider"}));
    let mut lines = vec![format!("*Incidents open: {}*", s.incidents_open.len())];
    lines.extend(
        s.incidents_open
            .iter()
            .map(|i| format!("• {}", escape(&incident_text(i, tz)))),
    );
    lines.extend(
        s.incidents_resolved
            .iter()
            .map(|i| format!("• resolved {since}: {}", escape(&incident_text(i, tz)))),
    );
    sections(&lines, &mut blocks);
    let mut lines = vec![format!(
        "*Runbook steps fired and actions {since}: {}*",
        s.steps_fired.len() + s.actions.len()
    )];
    lines.extend(
        s.steps_fired
            .iter()
            .map(|st| format!("• {}", escape(&step_text(st, tz)))),
    );
    lines.extend(s.actions.iter().map(|a| {
        let who = if a.who.is_empty() {
            String::new()
        } else {
            format!("{}: ", escape(&a.who))
        };
        format!("• {} {who}{}", local_hm(a.at, tz), escape(&a.text))
    }));
    sections(&lines, &mut blocks);
    blocks.push(section(&format!(
        "*Return to normal:* {}",
        escape(&rtn_text(s))
    )));
    let mut ctx = Vec::new();
    if let Some(b) = bridge(s) {
        ctx.push(
            json!({"type": "mrkdwn", "text": clip(&format!("Bridge: {}", escape(&b)), MAX_FIELD)}),
        );
    }
    ctx.push(json!({"type": "mrkdwn", "text": format!("Next update: {} · {}", escape(&next_text(s)), escape(&s.id))}));
    // Keep the context (bridge, next update) as the last block whatever was cut before it.
    blocks.truncate(MAX_BLOCKS - 1);
    blocks.push(json!({"type": "context", "elements": ctx}));
    json!({
        "text": clip(&escape(&format!("{} | {}", title(s), s.title_line())), MAX_SECTION),
        "blocks": blocks,
    })
}
