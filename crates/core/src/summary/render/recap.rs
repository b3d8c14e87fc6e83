//! The final summary's recap in words, shared by every renderer: outages, incidents with their
//! impact window and resolution, availability against the target, the success criteria, the
//! return to normal and what follows. Plain text, stripped; each renderer escapes it its way.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::{DayClock, extreme_word, incident_text, local_hm, local_hm_z, ratio, tz, value};
use crate::model::{Summary, Window};
use crate::sanitize::strip;
use crate::time::format_duration;

/// A titled group of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    pub(crate) heading: &'static str,
    pub(crate) lines: Vec<String>,
}

/// A duration to the minute, as leadership reads it: `14m`, `1h37m`, `under 1m`.
pub(crate) fn minutes(d: chrono::TimeDelta) -> String {
    let m = (d.num_seconds() + 30).div_euclid(60);
    if m <= 0 {
        return "under 1m".into();
    }
    format_duration(chrono::TimeDelta::minutes(m))
}

fn span(from: DateTime<Utc>, to: DateTime<Utc>, tz: DayClock) -> String {
    format!(
        "{}-{} ({})",
        local_hm(from, tz),
        local_hm(to, tz),
        minutes(to - from)
    )
}

fn window(w: &Window, tz: DayClock) -> String {
    if w.open {
        format!(
            "since {} ({}, still RED)",
            local_hm(w.from, tz),
            minutes(w.to - w.from)
        )
    } else {
        span(w.from, w.to, tz)
    }
}

/// `1 outage, 14m RED in all`: the headline's words for the outages.
pub(crate) fn outage_words(s: &Summary) -> Option<String> {
    let r = s.recap.as_ref()?;
    let n = r.outages.len();
    if n == 0 {
        return Some("no outage".into());
    }
    let total = r
        .outages
        .iter()
        .fold(chrono::TimeDelta::zero(), |a, w| a + (w.to - w.from));
    let tz = tz(s);
    Some(if n == 1 {
        format!("1 outage, RED {}", window(&r.outages[0], tz))
    } else {
        format!("{n} outages, RED {} in all", minutes(total))
    })
}

/// The recap's sections (none for a summary that is not final).
pub(crate) fn sections(s: &Summary) -> Vec<Section> {
    let Some(r) = &s.recap else {
        return Vec::new();
    };
    let tz = tz(s);
    let mut out = Vec::new();
    let mut lines: Vec<String> = r.outages.iter().map(|w| window(w, tz)).collect();
    if lines.is_empty() {
        lines.push("none: the overall status was never RED".into());
    }
    out.push(Section {
        heading: "Outages (data RED)",
        lines,
    });
    let mut lines: Vec<String> = r
        .incidents
        .iter()
        .map(|i| {
            let mut t = incident_text(&i.line, tz);
            let start = i.line.impact_start.unwrap_or(i.line.opened);
            match i.resolved {
                Some(end) => {
                    let _ = write!(t, "; impact {}", span(start, end, tz));
                }
                None => {
                    let _ = write!(t, "; impact since {}, NOT resolved", local_hm(start, tz));
                }
            }
            t
        })
        .collect();
    if lines.is_empty() {
        lines.push("none opened by the room".into());
    }
    out.push(Section {
        heading: "Incidents",
        lines,
    });
    out.push(Section {
        heading: "Success criteria",
        lines: criteria_lines(s),
    });
    out.push(Section {
        heading: "Peak figures",
        lines: s
            .metrics
            .iter()
            .filter_map(|m| {
                let (p, at) = (m.peak?, m.peak_at?);
                let mut t = format!(
                    "{}: {} {} at {}",
                    strip(&m.label),
                    extreme_word(m),
                    value(p, &m.unit),
                    local_hm(at, tz)
                );
                if let Some(base) = m.baseline.filter(|b| b.abs() > f64::EPSILON) {
                    let times = if m.ratio_hidden {
                        String::new()
                    } else {
                        format!("{} ", ratio(p / base))
                    };
                    let _ = write!(t, " ({times}baseline {})", value(base, &m.unit));
                }
                if let (Some(target), Some(w)) = (m.target, super::reached_word(m)) {
                    let _ = write!(t, "; target {} {w}", value(target, &m.unit));
                }
                Some(t)
            })
            .collect(),
    });
    out.push(Section {
        heading: "Closing",
        lines: closing_lines(s),
    });
    out
}

fn criteria_lines(s: &Summary) -> Vec<String> {
    let Some(r) = &s.recap else {
        return Vec::new();
    };
    let mut lines: Vec<String> = r
        .criteria
        .iter()
        .map(|c| format!("{}: {} ({})", strip(&c.text), c.verdict, strip(&c.detail)))
        .collect();
    if lines.is_empty() {
        lines.push("none in the layout".into());
    }
    lines
}

fn closing_lines(s: &Summary) -> Vec<String> {
    let tz = tz(s);
    let mut lines = Vec::new();
    let rtn = &s.rtn;
    match rtn.declared {
        Some(d) => {
            let mut t = format!(
                "Return to normal declared {}, {} after T0",
                local_hm_z(d, tz),
                minutes(d - s.t0)
            );
            if let Some(last) = s
                .recap
                .as_ref()
                .and_then(|r| r.outages.last())
                .filter(|w| !w.open && w.to <= d)
            {
                let _ = write!(t, " and {} after the last outage", minutes(d - last.to));
            }
            match (&rtn.confirmed_by, rtn.confirmed_at) {
                (Some(w), Some(at)) => {
                    let _ = write!(t, "; confirmed by {} at {}", strip(w), local_hm(at, tz));
                }
                (Some(w), None) => {
                    let _ = write!(t, "; confirmed by {}", strip(w));
                }
                _ => match &rtn.refused {
                    Some(r) => {
                        let _ = write!(
                            t,
                            "; not confirmed: {} refused at {} ({})",
                            strip(&r.who),
                            local_hm(r.at, tz),
                            strip(&r.text)
                        );
                    }
                    None => t.push_str("; not confirmed by the room"),
                },
            }
            lines.push(t);
        }
        None => lines.push(format!(
            "Return to normal not reached: {}/{} criteria met",
            rtn.met, rtn.total
        )),
    }
    lines.push(match s.recap.as_ref().and_then(|r| r.post_mortem) {
        Some(p) => format!("Post-mortem: {}", super::local_date_hm_z(p, tz)),
        None => "Post-mortem: not scheduled yet (the layout's [event] post_mortem)".into(),
    });
    lines
}
