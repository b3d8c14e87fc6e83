//! Microsoft Teams: an Adaptive Card for a Workflows "When a Teams webhook request is received"
//! flow, which takes Adaptive Cards only (Office 365 connectors are being retired). The payload
//! is a message with one attachment of content type `application/vnd.microsoft.card.adaptive`.

use serde_json::{Value, json};

use super::{
    availability_text, bridge, incident_text, local_hm, metric_text, next_text, rtn_text,
    since_label, status_line, step_text, title, tz,
};
use crate::model::{Status, Summary};
use crate::sanitize::strip;

fn color(s: Status) -> &'static str {
    match s {
        Status::Green => "Good",
        Status::Yellow | Status::Unknown | Status::Blind => "Warning",
        Status::Red => "Attention",
    }
}

fn text(t: &str) -> Value {
    json!({"type": "TextBlock", "text": strip(t), "wrap": true})
}

fn heading(t: &str) -> Value {
    json!({"type": "TextBlock", "text": strip(t), "weight": "Bolder", "wrap": true, "spacing": "Medium"})
}

/// The card (the attachment's `content`).
pub(crate) fn card(s: &Summary) -> Value {
    let tz = tz(s);
    let since = since_label(s);
    let mut body = vec![
        json!({"type": "TextBlock", "text": strip(&title(s)), "size": "Medium", "weight": "Bolder", "wrap": true, "style": "heading"}),
        json!({"type": "TextBlock", "text": strip(s.title_line()), "wrap": true, "color": color(s.overall)}),
        json!({"type": "FactSet", "facts": std::iter::once(json!({"title": "Overall", "value": strip(&status_line(s))}))
            .chain(availability_text(s).map(|a| json!({"title": "Availability", "value": strip(&a)})))
            .collect::<Vec<_>>()}),
    ];
    if let Some(n) = &s.note {
        body.push(text(&format!("Note: {n}")));
    }
    if let Some(h) = super::handover_text(s) {
        body.push(text(&format!("Hand-over {h}")));
    }
    for sec in super::recap::sections(s) {
        body.push(heading(sec.heading));
        for l in &sec.lines {
            body.push(text(&format!("- {l}")));
        }
    }
    body.push(heading("Key metrics"));
    body.push(json!({"type": "FactSet", "facts": s.metrics.iter().map(|m| json!({"title": strip(&m.label), "value": strip(&metric_text(m, tz))})).collect::<Vec<_>>()}));
    body.push(heading(&format!(
        "Incidents open: {}",
        s.incidents_open.len()
    )));
    for i in &s.incidents_open {
        body.push(text(&format!("- {}", incident_text(i, tz))));
    }
    for i in &s.incidents_resolved {
        body.push(text(&format!(
            "- resolved {since}: {}",
            incident_text(i, tz)
        )));
    }
    body.push(heading(&format!("Runbook steps fired and actions {since}")));
    for st in &s.steps_fired {
        body.push(text(&format!("- {}", step_text(st, tz))));
    }
    for a in &s.actions {
        let who = if a.who.is_empty() {
            String::new()
        } else {
            format!("{}: ", a.who)
        };
        body.push(text(&format!("- {} {who}{}", local_hm(a.at, tz), a.text)));
    }
    let mut facts = vec![json!({"title": "Return to normal", "value": strip(&rtn_text(s))})];
    if let Some(b) = bridge(s) {
        facts.push(json!({"title": "Bridge", "value": b}));
    }
    facts.push(json!({"title": "Next update", "value": next_text(s)}));
    facts.push(json!({"title": "Summary", "value": s.id}));
    body.push(json!({"type": "FactSet", "facts": facts, "spacing": "Medium"}));
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    });
    if let Some(url) = &s.bridge_url {
        card["actions"] =
            json!([{"type": "Action.OpenUrl", "title": "Join the bridge", "url": strip(url)}]);
    }
    card
}

/// The webhook payload.
pub fn payload(s: &Summary) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card(s),
        }]
    })
}
