//! The drafted one-line headline: status, trend and the one thing leadership should know first
//! (the worst open incident, else the panels that are not green, else "all signals normal").
//! Operators may replace it; the draft is kept beside their text.

use std::fmt::Write as _;

use crate::config::layout::Layout;
use crate::eval::Evaluation;
use crate::model::{Status, Summary, SummaryKind, Trend};

use super::render::local_hm;

fn status_phrase(s: Status) -> &'static str {
    match s {
        Status::Green => "GREEN, normal",
        Status::Yellow => "YELLOW, issues",
        Status::Red => "RED, major issues",
        Status::Unknown => "UNKNOWN, data incomplete",
        Status::Blind => "BLIND, data missing",
    }
}

/// Drafts the headline of `s` (every other field already filled).
pub(crate) fn draft(s: &Summary, layout: &Layout, eval: &Evaluation) -> String {
    let tz = super::render::tz(s);
    if s.kind == SummaryKind::Final {
        return final_headline(s, &why_not_green(s, layout, eval));
    }
    let mut out = status_phrase(s.overall).to_string();
    if matches!(s.trend, Trend::Improving | Trend::Worsening) {
        out.push_str(", ");
        out.push_str(s.trend.word());
    }
    let worst = s
        .incidents_open
        .iter()
        .max_by_key(|i| (i.severity, std::cmp::Reverse(i.opened)));
    if let Some(i) = worst {
        let state = i.state.map_or("open", crate::model::IncidentState::word);
        let _ = write!(out, ": {} ({state})", i.title);
    } else if s.overall != Status::Green {
        let titles = panels_at(s.overall, layout, eval);
        if !titles.is_empty() {
            let _ = write!(out, ": {}", titles.join(", "));
        }
    } else if s.worst > Status::Green && s.previous.is_some() {
        let _ = write!(
            out,
            ": recovered (worst {}: {})",
            super::render::since_label(s),
            s.worst.word()
        );
    } else {
        out.push_str(": all signals normal");
    }
    if let (Some(d), Some(r)) = (s.rtn.declared, s.rtn.relapsed) {
        let _ = write!(
            out,
            "; relapse since {} after the return to normal of {}",
            local_hm(r, tz),
            local_hm(d, tz)
        );
    } else if let Some(d) = s.rtn.declared {
        let _ = write!(out, "; back to normal since {}", local_hm(d, tz));
    } else if let Some(e) = s.rtn.expected {
        let _ = write!(out, "; return to normal expected {}", local_hm(e, tz));
    } else if s.t0 <= s.at && s.rtn.total > 0 {
        let _ = write!(
            out,
            "; return to normal {}/{} criteria",
            s.rtn.met, s.rtn.total
        );
    }
    out
}

/// The names of the first two panels at `status` (a panel's name without the resources its
/// title lists after two spaces: `Seoul  BTS-ALB / BTS-tg` is `Seoul`).
fn panels_at<'a>(status: Status, layout: &'a Layout, eval: &Evaluation) -> Vec<&'a str> {
    layout
        .panels
        .iter()
        .zip(&eval.panels)
        .filter(|(_, p)| p.status == status)
        .map(|(l, _)| l.title.split("  ").next().unwrap_or_default().trim())
        .filter(|t| !t.is_empty())
        .take(2)
        .collect()
}

/// Why the status is not GREEN, in a few words: the incident that holds it, else the panels at
/// that status (`YELLOW: Seoul`); empty when GREEN.
fn why_not_green(s: &Summary, layout: &Layout, eval: &Evaluation) -> String {
    if s.overall == Status::Green {
        return String::new();
    }
    let why = match &s.floor {
        Some(f) => f.clone(),
        None => panels_at(s.overall, layout, eval).join(", "),
    };
    if why.is_empty() {
        s.overall.word().to_string()
    } else {
        format!("{}: {why}", s.overall.word())
    }
}

/// The final summary's headline: back to normal (or not), why the status is not GREEN when it
/// is not, the outages and the incidents.
fn final_headline(s: &Summary, why: &str) -> String {
    let tz = super::render::tz(s);
    let open = s.incidents_open.len();
    let total = s.recap.as_ref().map_or(open, |r| r.incidents.len());
    let incidents = match (total, open) {
        (0, _) => "no incident opened".to_string(),
        (1, 0) => "1 incident, resolved".to_string(),
        (n, 0) => format!("{n} incidents, all resolved"),
        (_, 1) => "1 incident still open".to_string(),
        (_, n) => format!("{n} incidents still open"),
    };
    let outages = super::render::recap::outage_words(s).unwrap_or_default();
    match (s.rtn.declared, s.rtn.relapsed) {
        (Some(d), None) if !why.is_empty() => format!(
            "Final: back to normal since {} {} (status now {why}); {outages}; {incidents}",
            local_hm(d, tz),
            tz_abbrev(d, tz.zone)
        ),
        (Some(d), None) => format!(
            "Final: back to normal since {} {}; {outages}; {incidents}",
            local_hm(d, tz),
            tz_abbrev(d, tz.zone)
        ),
        (Some(_), Some(r)) => format!(
            "Final: relapse since {} {}, not back to normal; {outages}; {incidents}",
            local_hm(r, tz),
            tz_abbrev(r, tz.zone)
        ),
        (None, _) => format!(
            "Final: event ended {}; {outages}; {incidents}",
            s.overall.word()
        ),
    }
}

fn tz_abbrev(t: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    t.with_timezone(&tz).format("%Z").to_string()
}
