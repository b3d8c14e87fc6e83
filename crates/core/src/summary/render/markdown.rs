//! Markdown (the directory sink's files), the detailed summary: headings, a key-metric table
//! (leadership's business metrics first), lists of incidents, runbook steps and actions.

use std::fmt::Write as _;

use super::{
    availability_text, bridge, extreme_word, incident_text, local_hm, next_text, ratio, rtn_text,
    since_label, status_line, step_text, title, tz, value,
};
use crate::model::Summary;

use crate::report::escape::md;

/// The final summary's recap, a section per part.
fn recap(o: &mut String, s: &Summary) {
    for sec in super::recap::sections(s) {
        let _ = writeln!(o, "\n## {}\n", sec.heading);
        for l in &sec.lines {
            let _ = writeln!(o, "- {}", md(l));
        }
    }
}

/// The key-metric table; a `target` column only where a metric has a target, so other
/// summaries keep their table.
fn key_metrics(o: &mut String, s: &Summary, tz: super::DayClock) {
    let _ = writeln!(o, "\n## Key metrics\n");
    let targets = s.metrics.iter().any(|m| m.target.is_some());
    let (tcol, tsep) = if targets {
        (" target |", " --- |")
    } else {
        ("", "")
    };
    let _ = writeln!(
        o,
        "| metric | now | baseline | ratio | peak or low | at |{tcol}"
    );
    let _ = writeln!(o, "| --- | ---: | ---: | ---: | ---: | --- |{tsep}");
    for m in &s.metrics {
        let f = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| value(v, &m.unit));
        let _ = write!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            if m.unjudged {
                md(&m.label)
            } else {
                format!("{} {}", m.status.word(), md(&m.label))
            },
            f(m.now),
            f(m.baseline),
            m.ratio.map_or_else(|| "-".into(), ratio),
            m.peak.map_or_else(
                || "-".into(),
                |p| format!("{} {}", extreme_word(m), value(p, &m.unit))
            ),
            m.peak_at.map_or_else(|| "-".into(), |t| local_hm(t, tz)),
        );
        if targets {
            let cell = target_cell(m).map_or_else(|| "-".into(), |c| md(&c));
            let _ = write!(o, " {cell} |");
        }
        o.push('\n');
    }
}

pub fn render(s: &Summary) -> String {
    let tz = tz(s);
    let since = since_label(s);
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&title(s)));
    let _ = writeln!(o, "**{}**\n", md(s.title_line()));
    let _ = writeln!(o, "- Overall: **{}**", md(&status_line(s)));
    if let Some(a) = availability_text(s) {
        let _ = writeln!(o, "- Availability {}", md(&a));
    }
    if let Some(n) = &s.note {
        let _ = writeln!(o, "- Note: {}", md(n));
    }
    if let Some(h) = super::handover_text(s) {
        let _ = writeln!(o, "- Hand-over {}", md(&h));
    }
    if s.kind != crate::model::SummaryKind::Final {
        let _ = writeln!(o, "- {}", md(&super::changes_text(s)));
    }
    recap(&mut o, s);
    key_metrics(&mut o, s, tz);
    let _ = writeln!(o, "\n## Incidents\n");
    if s.incidents_open.is_empty() {
        let _ = writeln!(o, "- None open.");
    }
    for i in &s.incidents_open {
        let _ = writeln!(
            o,
            "- {}; impact since {}",
            md(&incident_text(i, tz)),
            local_hm(i.impact_start.unwrap_or(i.opened), tz)
        );
    }
    for i in &s.incidents_resolved {
        let _ = writeln!(o, "- Resolved {since}: {}", md(&incident_text(i, tz)));
    }
    let _ = writeln!(o, "\n## Runbook steps fired and actions {since}\n");
    if s.steps_fired.is_empty() && s.actions.is_empty() {
        let _ = writeln!(o, "- None.");
    }
    for st in &s.steps_fired {
        let _ = writeln!(o, "- Step {}", md(&step_text(st, tz)));
    }
    for a in &s.actions {
        let who = if a.who.is_empty() {
            String::new()
        } else {
            format!("{}: ", md(&a.who))
        };
        let _ = writeln!(o, "- {} {who}{}", local_hm(a.at, tz), md(&a.text));
    }
    let _ = writeln!(o, "\n## Return to normal\n\n{}\n", md(&rtn_text(s)));
    if let Some(b) = bridge(s) {
        let _ = writeln!(o, "Bridge: {}  ", md(&b));
    }
    let _ = writeln!(o, "Next update: {}  ", next_text(s));
    let _ = writeln!(o, "Summary {}", s.id);
    o
}

/// `45% of 2,000; not reached (best 92%)`, `2,000` without a current value; None without a
/// target.
fn target_cell(m: &crate::model::KeyMetric) -> Option<String> {
    let t = m.target?;
    let now = m
        .now
        .filter(|_| m.status != crate::model::Status::Unknown)
        .map(|v| format!("{} of ", crate::eval::format::target_share(v, t)));
    let mut cell = format!("{}{}", now.unwrap_or_default(), value(t, &m.unit));
    if let Some(r) = super::reached_word(m) {
        cell.push_str("; ");
        cell.push_str(&r);
    }
    Some(cell)
}
