//! Plain text (email, the SNS message): short labelled lines, one item per line.

use std::fmt::Write as _;

use super::{
    availability_text, bridge, handover_text, incident_text, metric_text, next_text, rtn_text,
    since_label, status_line, step_text, title, tz,
};
use crate::model::Summary;
use crate::sanitize::strip;

pub fn render(s: &Summary) -> String {
    let tz = tz(s);
    let since = since_label(s);
    let mut o = String::new();
    let _ = writeln!(o, "{}", title(s));
    let _ = writeln!(o, "Headline: {}", strip(s.title_line()));
    let _ = writeln!(o, "Overall: {}", status_line(s));
    if let Some(a) = availability_text(s) {
        let _ = writeln!(o, "Availability {a}");
    }
    if let Some(n) = &s.note {
        let _ = writeln!(o, "Note: {}", strip(n));
    }
    if let Some(h) = handover_text(s) {
        let _ = writeln!(o, "Hand-over {}", strip(&h));
    }
    for sec in super::recap::sections(s) {
        let _ = writeln!(o, "\n{}:", sec.heading);
        for l in &sec.lines {
            let _ = writeln!(o, "- {l}");
        }
    }
    let _ = writeln!(o, "\nKey metrics:");
    for m in &s.metrics {
        let _ = writeln!(o, "- {}: {}", strip(&m.label), metric_text(m, tz));
    }
    let _ = writeln!(o, "\nIncidents open: {}", s.incidents_open.len());
    for i in &s.incidents_open {
        let _ = writeln!(o, "- {}", incident_text(i, tz));
    }
    if !s.incidents_resolved.is_empty() {
        let _ = writeln!(o, "Resolved {since}:");
        for i in &s.incidents_resolved {
            let _ = writeln!(o, "- {}", incident_text(i, tz));
        }
    }
    let _ = writeln!(o, "\nRunbook steps fired {since}: {}", s.steps_fired.len());
    for st in &s.steps_fired {
        let _ = writeln!(o, "- {}", step_text(st, tz));
    }
    let _ = writeln!(o, "Actions taken {since}: {}", s.actions.len());
    for a in &s.actions {
        let who = if a.who.is_empty() {
            String::new()
        } else {
            format!("{}: ", strip(&a.who))
        };
        let _ = writeln!(o, "- {} {who}{}", super::local_hm(a.at, tz), strip(&a.text));
    }
    let _ = writeln!(o, "\nReturn to normal: {}", rtn_text(s));
    if let Some(b) = bridge(s) {
        let _ = writeln!(o, "Bridge: {b}");
    }
    let _ = writeln!(o, "Next update: {}", next_text(s));
    let _ = writeln!(o, "Summary {}", s.id);
    o
}
