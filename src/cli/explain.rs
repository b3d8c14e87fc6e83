//! `replay --headless --at TIME`: what the room saw at one moment, as text: overall and region
//! status, everything not green and why, runbook steps in play, return-to-normal criteria.

use std::fmt::Write;

use chrono_tz::Tz;

use crate::config::Layout;
use crate::eval::{Evaluation, Tri, TriggerState};
use crate::model::Status;
use crate::time::t_label;

pub(crate) fn explain(layout: &Layout, e: &Evaluation, tz: Tz) -> String {
    let mut s = String::new();
    let local = e.at.with_timezone(&tz);
    let _ = writeln!(
        s,
        "{} {}  {}  overall {}",
        local.format("%Y-%m-%d %H:%M:%S"),
        local.format("%Z"),
        t_label(e.at, layout.event.start),
        e.overall
    );
    if let Some(why) = &e.floor {
        // An open incident holds the status above the data's: say so, and what the data says.
        let _ = writeln!(
            s,
            "{}: {} (the data alone: {})",
            e.overall,
            crate::sanitize::strip(why),
            e.data_overall
        );
    }
    let regions: Vec<String> = e
        .regions
        .iter()
        .map(|(r, st)| format!("{r} {st}"))
        .collect();
    let _ = writeln!(s, "regions: {}", regions.join(", "));
    for (panel, p) in layout.panels.iter().zip(&e.panels) {
        if p.status != Status::Green {
            let _ = writeln!(s, "panel {} {}: {}", panel.id, p.status, p.reason);
        }
    }
    for (series, st) in layout.series.iter().zip(&e.series) {
        if st.status != Status::Green {
            let _ = writeln!(s, "  series {} {}: {}", series.id, st.status, st.reason);
        }
    }
    for h in &e.health {
        if h.status != Status::Green {
            let _ = writeln!(s, "  health {} {}: {}", h.id, h.status, h.reason);
        }
    }
    for step in &e.steps {
        if step.trigger != TriggerState::Idle {
            let _ = writeln!(s, "runbook {} {:?}", step.id, step.trigger);
        }
    }
    let _ = writeln!(
        s,
        "return to normal: {}/{} criteria met",
        e.rtn.met, e.rtn.total
    );
    for c in &e.rtn.criteria {
        if c.truth.value != Tri::True {
            let _ = writeln!(s, "  not met: {} ({:?})", c.name, c.truth.value);
        }
    }
    s
}
