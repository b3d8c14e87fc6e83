//! `replay --headless --at TIME`: what the room saw at one moment, as text: overall and region
//! status, everything not green and why, runbook steps in play, return-to-normal criteria, and
//! the room's own state then (answers to the steps, open incidents, who was in the room).

use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::Layout;
use crate::eval::{Evaluation, Tri, TriggerState};
use crate::model::{IncidentState, Status};
use crate::store::State;
use crate::time::t_label;

pub(crate) fn explain(layout: &Layout, state: &State, e: &Evaluation, tz: Tz) -> String {
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
    room(&mut s, state, e, tz);
    s
}

/// The room's state at the moment: who answered which step (this firing's answers, and an
/// earlier firing's while this one is unanswered), the open incidents, who was in the room.
fn room(s: &mut String, state: &State, e: &Evaluation, tz: Tz) {
    let hm = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M:%S").to_string();
    let clean = |t: &str| crate::sanitize::sanitize(t, false);
    let names = state.room().names();
    if names.is_empty() {
        let _ = writeln!(s, "in the room: no screen attached");
    } else {
        let names: Vec<String> = names.iter().map(|n| clean(n)).collect();
        let _ = writeln!(s, "in the room: {}", names.join(", "));
    }
    for st in &e.steps {
        let mut said = Vec::new();
        for (word, m) in [
            ("acked", &st.acked),
            ("done", &st.done),
            ("skipped", &st.skipped),
        ] {
            if let Some(m) = m {
                said.push(format!("{word} by {} {}", clean(&m.who), hm(m.at)));
            }
        }
        if let (Some(r), true) = (&st.skip_reason, st.skipped.is_some()) {
            said.push(format!("because {}", clean(r)));
        }
        if st.trigger == TriggerState::Firing && !st.answered() {
            said.push("unanswered".into());
        }
        if let Some(a) = &st.earlier {
            said.push(format!(
                "{} by {} {} (before the current firing)",
                a.kind.word(),
                clean(&a.mark.who),
                hm(a.mark.at)
            ));
        }
        if !said.is_empty() {
            let _ = writeln!(s, "step {}: {}", st.id, said.join("; "));
        }
    }
    let open: Vec<_> = state
        .operator()
        .incidents()
        .filter(|i| i.fields.state != Some(IncidentState::Resolved))
        .collect();
    if open.is_empty() {
        let _ = writeln!(s, "incidents: none open");
    }
    for i in open {
        let f = &i.fields;
        let _ = writeln!(
            s,
            "incident {} {} {}: {}; owner {}, ETA {}, opened {} by {}",
            clean(&i.id),
            f.severity.map_or("-", |v| v.word()),
            f.state.unwrap_or(IncidentState::Investigating).word(),
            clean(f.title.as_deref().unwrap_or("")),
            clean(f.owner.as_deref().unwrap_or("-")),
            f.eta.map_or_else(|| "-".to_string(), hm),
            hm(i.opened.at),
            clean(&i.opened.who),
        );
    }
}
