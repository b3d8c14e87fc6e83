//! The readiness report as text (the terminal: every string sanitised, colours as words),
//! Markdown (for the event's runbook: the readiness checklist as tables) and JSON (for CI).

use std::fmt::Write as _;

use super::num;
use crate::model::Status;
use crate::model::readiness::{CheckGroup, ReadinessMode, ReadinessReport};
use crate::report::escape;
use crate::sanitize::sanitize;

/// Output formats of `warroom ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

pub fn render(r: &ReadinessReport, f: Format) -> String {
    match f {
        Format::Text => text(r),
        Format::Markdown => markdown(r),
        Format::Json => json(r),
    }
}

fn t(s: &str) -> String {
    sanitize(s, false)
}

fn tally(r: &ReadinessReport) -> String {
    format!(
        "{}: {} red, {} yellow, {} green",
        r.overall().word(),
        r.count(Status::Red),
        r.count(Status::Yellow),
        r.count(Status::Green)
    )
}

fn cost(c: Option<f64>) -> String {
    c.map_or_else(|| "cost unknown".into(), |c| format!("${c:.2}/day"))
}

pub fn text(r: &ReadinessReport) -> String {
    let mut s = String::new();
    let at = r.at.format("%Y-%m-%d %H:%M UTC");
    if r.mode == ReadinessMode::After {
        let _ = writeln!(s, "After the event: {} (read {at})", t(&r.event));
        if r.leftovers.is_empty() {
            let _ = writeln!(s, "  nothing the event raised is left above normal");
        }
        for l in &r.leftovers {
            let _ = writeln!(
                s,
                "  {:<32} {:<16} now {:>6}, normal {:>6}  {}\n      -> {}",
                t(&l.what),
                t(&l.region),
                num(l.now),
                num(l.normal),
                cost(l.cost_per_day),
                t(&l.action)
            );
        }
        let _ = writeln!(
            s,
            "{} item(s) left raised, ${:.2} per day if left",
            r.leftovers.len(),
            r.leftover_cost_per_day()
        );
        return s;
    }
    let _ = writeln!(s, "Readiness of {} (read {at})", t(&r.event));
    if !r.peak.is_empty() {
        let _ = writeln!(s, "Expected peak: {}", t(&r.peak));
    }
    for g in CheckGroup::ALL {
        let checks: Vec<_> = r.checks.iter().filter(|c| c.group == g).collect();
        if checks.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{}", g.title());
        for c in checks {
            let _ = writeln!(
                s,
                "  {:<6} {}: {}",
                c.status.word(),
                t(&c.title),
                t(&c.number)
            );
            if !c.action.is_empty() {
                let _ = writeln!(s, "         -> {}", t(&c.action));
            }
        }
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(s, "\nSkipped: {}", t(&r.skipped.join(", ")));
    }
    let _ = writeln!(s, "\n{}", tally(r));
    s
}

pub fn markdown(r: &ReadinessReport) -> String {
    let mut s = String::new();
    let at = r.at.format("%Y-%m-%d %H:%M UTC");
    if r.mode == ReadinessMode::After {
        let _ = writeln!(
            s,
            "# After the event: {}\n\nRead {at}.\n",
            escape::md(&r.event)
        );
        let _ = writeln!(s, "| What | Region | Now | Normal | Cost if left | To do |");
        let _ = writeln!(s, "|---|---|---:|---:|---|---|");
        for l in &r.leftovers {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                escape::md(&l.what),
                escape::md(&l.region),
                num(l.now),
                num(l.normal),
                cost(l.cost_per_day),
                escape::md(&l.action)
            );
        }
        let _ = writeln!(
            s,
            "\n{} item(s) left raised, ${:.2} per day if left.",
            r.leftovers.len(),
            r.leftover_cost_per_day()
        );
        return s;
    }
    let _ = writeln!(s, "# Readiness checklist: {}\n", escape::md(&r.event));
    let _ = writeln!(s, "Read {at}. **{}**.", tally(r));
    if !r.peak.is_empty() {
        let _ = writeln!(s, "Expected peak: {}.", escape::md(&r.peak));
    }
    for g in CheckGroup::ALL {
        let checks: Vec<_> = r.checks.iter().filter(|c| c.group == g).collect();
        if checks.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n## {}\n", g.title());
        let _ = writeln!(s, "| Status | Check | Number | To do |");
        let _ = writeln!(s, "|---|---|---|---|");
        for c in checks {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                c.status.word(),
                escape::md(&c.title),
                escape::md(&c.number),
                escape::md(&c.action)
            );
        }
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(s, "\nSkipped: {}.", escape::md(&r.skipped.join(", ")));
    }
    s
}

pub fn json(r: &ReadinessReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
