//! Plain text (email, the SNS message): what leadership reads on one screen, in their words.
//! Status and headline, the business metrics first, incidents with impact, plan, ETA and owner,
//! what changed since the last update, the return to normal, the next update and the bridge.
//! Runbook step ids, acknowledgements and the operators' actions are left to the detailed
//! formats (Markdown, Slack, Teams), which the last line points to. An hourly text stays under
//! 25 lines; the final one carries the event's recap ahead of the rest.

use std::fmt::Write as _;

use super::{
    availability_text, bridge, changes_text, handover_text, incident_text, metric_text, next_text,
    rtn_text, since_label, status_line, title, tz,
};
use crate::model::{KeyMetric, Status, Summary, SummaryKind};
use crate::sanitize::strip;

/// Key metrics shown at most when the layout marks none for leadership.
const METRICS_SHOWN: usize = 6;

pub fn render(s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", title(s));
    let _ = writeln!(o, "Headline: {}", strip(s.title_line()));
    let _ = writeln!(o, "Status: {}", status_line(s));
    if let Some(a) = availability_text(s) {
        let _ = writeln!(o, "Availability {a}");
    }
    if let Some(n) = &s.note {
        let _ = writeln!(o, "Note: {}", strip(n));
    }
    if let Some(h) = handover_text(s) {
        let _ = writeln!(o, "Hand-over {}", strip(&h));
    }
    if s.kind == SummaryKind::Final {
        for sec in super::recap::sections(s) {
            let _ = writeln!(o, "\n{}:", sec.heading);
            for l in &sec.lines {
                let _ = writeln!(o, "- {l}");
            }
        }
    } else {
        metrics(&mut o, s);
        incidents(&mut o, s);
        let _ = writeln!(o, "\n{}", changes_text(s));
        let _ = writeln!(o, "Return to normal: {}", rtn_text(s));
    }
    let _ = writeln!(o, "Next update: {}", next_text(s));
    if let Some(b) = bridge(s) {
        let _ = writeln!(o, "Bridge: {b}");
    }
    let _ = writeln!(
        o,
        "Summary {}; runbook steps and the room's actions are in the Markdown and Slack detail",
        s.id
    );
    o
}

fn metrics(o: &mut String, s: &Summary) {
    let tz = tz(s);
    let lead: Vec<&KeyMetric> = s.metrics.iter().filter(|m| m.leadership).collect();
    if lead.is_empty() {
        let _ = writeln!(o, "\nKey metrics:");
        for m in s.metrics.iter().take(METRICS_SHOWN) {
            let _ = writeln!(o, "- {}: {}", strip(&m.label), metric_text(m, tz));
        }
        if s.metrics.len() > METRICS_SHOWN {
            let _ = writeln!(
                o,
                "- {} more in the detail",
                s.metrics.len() - METRICS_SHOWN
            );
        }
        return;
    }
    let _ = writeln!(o, "\nBusiness metrics:");
    for m in &lead {
        let _ = writeln!(o, "- {}: {}", strip(&m.label), metric_text(m, tz));
    }
    let others: Vec<&KeyMetric> = s.metrics.iter().filter(|m| !m.leadership).collect();
    if others.is_empty() {
        return;
    }
    let bad: Vec<String> = others
        .iter()
        .filter(|m| m.status != Status::Green)
        .map(|m| match m.now {
            Some(v) if m.status != Status::Unknown => format!(
                "{} {} ({})",
                strip(&m.label),
                super::value(v, &m.unit),
                m.status.word()
            ),
            _ => format!("{} (no current data)", strip(&m.label)),
        })
        .collect();
    if bad.is_empty() {
        let _ = writeln!(o, "Technical: all {} other key metrics GREEN", others.len());
    } else {
        let _ = writeln!(
            o,
            "Technical: {} of {} other key metrics not GREEN: {}",
            bad.len(),
            others.len(),
            bad.join(", ")
        );
    }
}

fn incidents(o: &mut String, s: &Summary) {
    let tz = tz(s);
    let since = since_label(s);
    let _ = writeln!(o, "\nIncidents open: {}", s.incidents_open.len());
    for i in &s.incidents_open {
        let _ = writeln!(
            o,
            "- {}; impact since {}",
            incident_text(i, tz),
            super::local_hm(i.impact_start.unwrap_or(i.opened), tz)
        );
    }
    for i in &s.incidents_resolved {
        let _ = writeln!(o, "- resolved {since}: {}", incident_text(i, tz));
    }
}
