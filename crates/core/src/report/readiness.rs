//! The post-mortem report's "Readiness at the start" section and timeline line: the readiness
//! report a live session recorded when it started (event kind `readiness`), so the report says
//! what was known to be red before the event.

use std::fmt::Write as _;

use super::escape::md;
use crate::model::Status;
use crate::model::readiness::ReadinessReport;

/// `readiness at start: RED (2 red, 10 yellow, 25 green); red: ...`.
pub fn timeline_line(r: &ReadinessReport) -> String {
    let red: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| c.status == Status::Red)
        .map(|c| c.title.as_str())
        .collect();
    let mut s = format!(
        "readiness at start: {} ({} red, {} yellow, {} green)",
        r.overall(),
        r.count(Status::Red),
        r.count(Status::Yellow),
        r.count(Status::Green)
    );
    if !red.is_empty() {
        let _ = write!(s, "; red: {}", red.join("; "));
    }
    s
}

/// The section: every red and yellow check with its number and what was to be done.
pub(crate) fn section(out: &mut String, r: Option<&ReadinessReport>) {
    let Some(r) = r else { return };
    out.push_str("## Readiness at the start\n\n");
    let _ = writeln!(
        out,
        "Checked {}: **{}** ({} red, {} yellow, {} green).\n",
        md(&r.at.format("%Y-%m-%d %H:%M UTC").to_string()),
        r.overall(),
        r.count(Status::Red),
        r.count(Status::Yellow),
        r.count(Status::Green)
    );
    let open: Vec<_> = r
        .checks
        .iter()
        .filter(|c| c.status != Status::Green)
        .collect();
    if open.is_empty() {
        out.push_str("Every check was green.\n\n");
        return;
    }
    out.push_str("| Status | Check | Number | To do |\n|---|---|---|---|\n");
    for c in open {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.status,
            md(&c.title),
            md(&c.number),
            md(&c.action)
        );
    }
    out.push('\n');
}
