//! Fills the dashboard's view model from the layout, the folded state and its evaluation:
//! header, panel rows (series with sparklines, health, WAF, alarms, logs), return to normal,
//! runbook strip and incidents. Built once per change by the model sources, never per frame.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::Layout;
use crate::config::runbook::RtnTrack;
use crate::eval::{Evaluation, GA_FAIL_OPEN, HealthKind, HealthStatus, TriggerState};
use crate::model::{IncidentState, Status};
use crate::store::State;
use crate::tui::rows;
use crate::tui::rtn_keys::{Done, RtnCloseModel, RtnStepModel};
use crate::tui::view_model::{
    IncidentModel, MetricRow, PanelRow, ScreenModel, StepModel, StepState, TextRow,
};
use crate::tui::widgets::ModeBadge;

/// How many buckets of history each sparkline carries (the widest chart shows this many).
pub(crate) const SPARK_BUCKETS: i64 = 120;
/// Error-log lines a log group's panel shows, and shows when zoomed.
const LOG_LINES: usize = 3;
const LOG_LINES_ZOOMED: usize = 40;

/// PRE-EVENT before T0, NORMAL once return to normal is declared (RELAPSE when a criterion is
/// false again after that), RECOVERY while the streak runs, PEAK otherwise.
pub(crate) fn phase(t0: DateTime<Utc>, now: DateTime<Utc>, e: Option<&Evaluation>) -> &'static str {
    if now < t0 {
        return "PRE-EVENT";
    }
    match e {
        Some(e) if e.rtn.declared.is_some() && e.rtn.relapsed.is_some() => "RELAPSE",
        Some(e) if e.rtn.declared.is_some() => "NORMAL",
        Some(e) if e.rtn.streak_start.is_some() => "RECOVERY",
        _ => "PEAK",
    }
}

/// The whole model at `now` (timeline, replay bar and footer are the caller's).
pub fn build(
    layout: &Layout,
    state: &State,
    eval: Option<&Evaluation>,
    now: DateTime<Utc>,
    mode: ModeBadge,
) -> ScreenModel {
    let mut m = ScreenModel::skeleton(layout, now, mode);
    m.header.phase = phase(layout.event.start, now, eval).to_string();
    m.header.room = state.room().names();
    m.people.splice(0..0, in_the_room(state));
    let Some(e) = eval else { return m };
    m.header.status = e.overall;
    m.header.why.clone_from(&e.floor);
    m.header.data_age = e.data_age;
    m.header.stale = e.data_age.is_none_or(|a| a > TimeDelta::minutes(3));
    let bucket = common_period(layout);
    let newest = state
        .all_series()
        .iter()
        .filter_map(|b| b.last_index().map(|k| b.start_of(k)))
        .max();
    m.newest_bucket = newest;
    m.bucket = bucket;
    for (panel, (pm, ps)) in layout.panels.iter().zip(m.panels.iter_mut().zip(&e.panels)) {
        pm.status = ps.status;
        pm.rows = panel_rows(layout, state, e, panel, newest);
    }
    m.rtn.criteria = e
        .rtn
        .criteria
        .iter()
        .map(|c| (c.name.clone(), c.truth.is_true()))
        .collect();
    // A streak runs (before a declaration, or after a relapse) while one is expected.
    m.rtn.streak = match (e.rtn.expected, e.rtn.streak_start) {
        (Some(_), Some(s)) => now - s,
        _ => TimeDelta::zero(),
    };
    m.rtn.completes_at = e.rtn.expected;
    m.rtn.declared = e.rtn.declared;
    m.rtn.relapsed = e.rtn.relapsed;
    m.rtn_close = rtn_close(layout, state);
    m.runbook = steps(layout, e);
    m.incidents = state
        .operator()
        .incidents()
        .map(|i| IncidentModel {
            id: i.id.clone(),
            title: i.fields.title.clone().unwrap_or_default(),
            severity: i.fields.severity,
            state: i.fields.state.unwrap_or(IncidentState::Investigating),
            plan: i.fields.plan.clone(),
            eta: i.fields.eta,
            owner: i.fields.owner.clone(),
            opened: i.opened.at,
            opened_by: i.opened.who.clone(),
            updated: i.updated,
            version: i.version,
            impact_start: i.fields.impact_start,
            cause: i.fields.cause.clone(),
        })
        .collect();
    m
}

/// The confirmation or refusal of the return to normal, and the runbook's procedure to tick:
/// operational steps first, then technical, each in runbook order.
fn rtn_close(layout: &Layout, state: &State) -> RtnCloseModel {
    let op = state.operator();
    let done = |m: &crate::store::Mark| Done {
        who: m.who.clone(),
        at: m.at,
    };
    let mut procedure: Vec<RtnStepModel> = layout
        .runbook
        .as_ref()
        .map(|rb| {
            rb.return_to_normal
                .iter()
                .enumerate()
                .map(|(k, item)| {
                    let id = crate::config::runbook::Runbook::rtn_id(k);
                    RtnStepModel {
                        done: op.step(&id).and_then(|p| p.done.as_ref()).map(done),
                        id,
                        text: item.text.clone(),
                        track: item.track.word(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // Stable: runbook order within each track.
    procedure.sort_by_key(|s| s.track != RtnTrack::Operational.word());
    RtnCloseModel {
        confirmed: op.rtn_confirmed().map(done),
        refused: op
            .rtn_refused()
            .filter(|_| op.rtn_confirmed().is_none())
            .map(|(m, why)| (done(m), why.to_string())),
        procedure,
    }
}

/// The period most of the layout's series have (the shorter on a tie): one column of the
/// zoomed time axis. A layout of 5-minute series has a 5-minute axis.
fn common_period(layout: &Layout) -> TimeDelta {
    let mut counts: Vec<(u32, usize)> = Vec::new();
    for s in &layout.series {
        match counts.iter_mut().find(|(p, _)| *p == s.period()) {
            Some((_, n)) => *n += 1,
            None => counts.push((s.period(), 1)),
        }
    }
    let p = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map_or(60, |(p, _)| p);
    TimeDelta::seconds(i64::from(p))
}

fn panel_rows(
    layout: &Layout,
    state: &State,
    e: &Evaluation,
    panel: &crate::config::layout::Panel,
    newest: Option<DateTime<Utc>>,
) -> Vec<PanelRow> {
    let mut out = Vec::new();
    for id in &panel.series {
        let Some(i) = layout.series.iter().position(|s| &s.id == id) else {
            continue;
        };
        out.push(PanelRow::Metric(metric(layout, state, e, i, newest)));
    }
    let tz = layout.event.tz();
    for hid in &panel.health {
        out.extend(health_rows(layout, state, e, hid, tz));
    }
    out
}

fn metric(
    layout: &Layout,
    state: &State,
    eval: &Evaluation,
    index: usize,
    newest: Option<DateTime<Utc>>,
) -> MetricRow {
    let series = &layout.series[index];
    let judged = &eval.series[index];
    let buf = state.series(index);
    let (buckets, provisional) = match newest {
        Some(n) => {
            let from = n - buf.period() * (SPARK_BUCKETS as i32 - 1);
            let mut v = Vec::with_capacity(SPARK_BUCKETS as usize);
            let mut prov = 0;
            let mut k = buf.index_of(from);
            let last = buf.index_of(n);
            while k <= last {
                let b = buf.get(k);
                v.push(b.value());
                prov = if b.is_provisional() { prov + 1 } else { 0 };
                k += 1;
            }
            (v, prov)
        }
        None => (Vec::new(), 0),
    };
    let threshold = series.threshold.as_ref();
    MetricRow {
        label: series.label.clone(),
        value: judged.value,
        unit: series.unit,
        per_min: false,
        baseline: series.baseline,
        ratio: series.ratio_informs(),
        age: judged.age,
        live: crate::eval::lag::live_disagrees(layout, state, index, judged.value, eval.at),
        status: judged.status,
        pending: judged.pending,
        stale: judged.stale,
        buckets,
        provisional,
        threshold: threshold.and_then(|t| t.warn.or(t.crit)),
        direction: threshold.map_or(crate::config::layout::Direction::Above, |t| t.direction),
        target: series.target,
    }
}

fn text(text: String, status: Option<Status>) -> TextRow {
    TextRow {
        text,
        status,
        dim: false,
        zoom_only: false,
    }
}

fn health_rows(
    layout: &Layout,
    state: &State,
    e: &Evaluation,
    hid: &str,
    tz: chrono_tz::Tz,
) -> Vec<PanelRow> {
    let Some(h) = e.health(hid) else {
        return Vec::new();
    };
    let out = match h.kind {
        HealthKind::TargetGroup => target_group_rows(layout, state, hid),
        HealthKind::Accelerator => accelerator_rows(layout, state, h, hid),
        HealthKind::WebAcl => web_acl_rows(layout, state, h, hid),
        HealthKind::LogGroup => log_group_rows(layout, state, h, hid, tz),
        HealthKind::Alarms => alarm_rows(state, tz),
    };
    out.into_iter().map(PanelRow::Text).collect()
}

/// A target group's counts by state and its targets that are not healthy.
fn target_group_rows(layout: &Layout, state: &State, hid: &str) -> Vec<TextRow> {
    let i = layout.target_groups.iter().position(|t| t.id == hid);
    match i.and_then(|i| state.target_group(i)) {
        Some(tg) => rows::targets(&tg.targets, 3),
        None => vec![text(format!("{hid}: no target health yet"), None)],
    }
}

/// The people overlay's first lines when screens are attached: who is in the room, those who
/// only watch marked so (the header has no room for the names at 80 columns).
fn in_the_room(state: &State) -> Vec<String> {
    let room = state.room();
    let names = room.names();
    if names.is_empty() {
        return Vec::new();
    }
    let watching = |name: &str| room.present().all(|(_, p)| p.who != name || p.read_only);
    let who: Vec<String> = names
        .iter()
        .map(|n| {
            if watching(n) {
                format!("{n} (watching)")
            } else {
                n.clone()
            }
        })
        .collect();
    vec![
        format!("In the room: {}", names.len()),
        format!("  {}", who.join("  ")),
        String::new(),
    ]
}

/// An accelerator's endpoint groups (health, dial, weight, traffic share), fail-open first.
fn accelerator_rows(layout: &Layout, state: &State, h: &HealthStatus, hid: &str) -> Vec<TextRow> {
    let mut out = Vec::new();
    if h.fail_open {
        out.push(text(GA_FAIL_OPEN.to_string(), Some(Status::Red)));
    }
    let i = layout.accelerators.iter().position(|a| a.id == hid);
    let (Some(i), Some(ga)) = (i, i.and_then(|i| state.accelerator(i))) else {
        return out;
    };
    let acc = &layout.accelerators[i];
    for (g, gs) in ga.groups.iter().zip(&h.groups) {
        let def = acc.endpoint_groups.iter().find(|d| d.region == g.region);
        let name = def.map_or("", |d| d.endpoint.as_str());
        // The group's traffic share: the series the layout names for it.
        let share = def
            .and_then(|d| d.share.as_deref())
            .and_then(|id| state.series_by_id(id))
            .and_then(crate::store::SeriesBuf::latest)
            .and_then(|s| s.value());
        out.push(rows::ga_group(&rows::GaGroupRow {
            region: &g.region,
            endpoint: name,
            dial: g.dial,
            expected_dial: gs.expected_dial,
            endpoints: &g.endpoints,
            share,
        }));
    }
    out
}

/// A web ACL: its status (or, when green, where its samples come from), then the top rules and
/// clients among its sampled requests.
fn web_acl_rows(layout: &Layout, state: &State, h: &HealthStatus, hid: &str) -> Vec<TextRow> {
    let i = layout.web_acls.iter().position(|a| a.id == hid);
    // A green ACL's reason is only its worst series, already a row of the panel: name the ACL
    // the samples below come from instead of repeating it.
    let head = match i.map(|i| &layout.web_acls[i]) {
        Some(acl) if h.status == Status::Green => format!("{} sampled requests", acl.name),
        _ => h.reason.clone(),
    };
    let mut out = vec![text(head, Some(h.status))];
    if let Some(w) = i.and_then(|i| state.waf(i)) {
        out.extend(rows::waf_top(&w.requests, 3));
    }
    out
}

/// A log group's errors per minute and its newest lines (more when zoomed).
fn log_group_rows(
    layout: &Layout,
    state: &State,
    h: &HealthStatus,
    hid: &str,
    tz: chrono_tz::Tz,
) -> Vec<TextRow> {
    let mut out = Vec::new();
    let i = layout.log_groups.iter().position(|l| l.id == hid);
    if let Some(lg) = i.and_then(|i| state.log_group(i)) {
        // No count came back: unknown is not zero.
        let count = lg.latest_count().map_or_else(
            || "errors/min unknown".to_string(),
            |(_, c)| format!("{c} errors/min"),
        );
        out.push(text(format!("{hid}: {count}"), Some(h.status)));
        // The newest three on the dashboard; the zoomed panel shows more.
        let lines: Vec<_> = lg.lines().rev().take(LOG_LINES_ZOOMED).collect();
        for (k, l) in lines.into_iter().enumerate().rev() {
            let mut row = rows::log_line(l, tz);
            row.zoom_only = k >= LOG_LINES;
            out.push(row);
        }
    }
    out
}

/// The alarms in ALARM (the first four), or that there are none.
fn alarm_rows(state: &State, tz: chrono_tz::Tz) -> Vec<TextRow> {
    let firing: Vec<_> = state.alarms().firing().collect();
    let mut out = Vec::new();
    if firing.is_empty() {
        out.push(text("no alarms in ALARM".to_string(), Some(Status::Green)));
    }
    for a in firing.into_iter().take(4) {
        out.push(rows::alarm(&a.info, tz));
    }
    out
}

/// The runbook's steps for the strip and the overlay, in the order the room acts on them:
/// firing (the newest firing first), armed, acknowledged, then the rest, each group in runbook
/// order.
fn steps(layout: &Layout, e: &Evaluation) -> Vec<StepModel> {
    let Some(rb) = &layout.runbook else {
        return Vec::new();
    };
    let tz = layout.event.tz();
    let mut out: Vec<(StepModel, Option<DateTime<Utc>>)> = rb
        .steps
        .iter()
        .zip(&e.steps)
        .map(|(step, st)| {
            let model = StepModel {
                id: step.id.clone(),
                title: step.title.clone(),
                state: step_state(st),
                owner: step.owner.clone(),
                since: st.firing_since,
                detail: step_detail(st, tz),
                actions: step.actions.clone(),
            };
            (model, st.firing_since)
        })
        .collect();
    let rank = |s: StepState| match s {
        StepState::Firing => 0,
        StepState::Armed => 1,
        StepState::Acked => 2,
        _ => 3,
    };
    out.sort_by_key(|(m, since)| (rank(m.state), std::cmp::Reverse(*since)));
    out.into_iter().map(|(m, _)| m).collect()
}

fn step_state(st: &crate::eval::StepState) -> StepState {
    if st.done.is_some() {
        StepState::Done
    } else if st.skipped.is_some() {
        StepState::Skipped
    } else if st.acked.is_some() && st.trigger == TriggerState::Firing {
        StepState::Acked
    } else {
        match st.trigger {
            TriggerState::Firing => StepState::Firing,
            TriggerState::Armed => StepState::Armed,
            TriggerState::Idle | TriggerState::Unknown => StepState::Idle,
        }
    }
}

/// What the state word does not say already: who answered this firing (and why a step was
/// skipped), since when it fires, how long it has held, that data is missing; and an answer
/// to an earlier firing, as history, while this one is unanswered.
fn step_detail(st: &crate::eval::StepState, tz: chrono_tz::Tz) -> String {
    let hm = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    let now = step_answer(st, tz);
    let Some(a) = &st.earlier else {
        return now;
    };
    let which = if st.trigger == TriggerState::Firing {
        "before this firing"
    } else {
        "before the last firing"
    };
    let history = format!(
        "{} by {} {} ({which})",
        a.kind.word(),
        a.mark.who,
        hm(a.mark.at)
    );
    if now.is_empty() {
        history
    } else {
        format!("{now}; {history}")
    }
}

/// The current episode's part of [`step_detail`].
fn step_answer(st: &crate::eval::StepState, tz: chrono_tz::Tz) -> String {
    let hm = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    match (&st.done, &st.skipped, &st.acked, st.trigger) {
        (Some(m), _, _, _) => format!("by {} {}", m.who, hm(m.at)),
        (None, Some(m), _, _) => match &st.skip_reason {
            Some(r) => format!("by {} {}: {r}", m.who, hm(m.at)),
            None => format!("by {} {}", m.who, hm(m.at)),
        },
        (None, None, Some(m), _) => format!("acked by {} {}", m.who, hm(m.at)),
        (None, None, _, TriggerState::Firing) => st
            .firing_since
            .map_or_else(String::new, |t| format!("since {}", hm(t))),
        (None, None, _, TriggerState::Armed) => {
            format!("held {}", crate::time::format_duration(st.when.held()))
        }
        (None, None, _, TriggerState::Unknown) => "no data".to_string(),
        (None, None, _, TriggerState::Idle) => String::new(),
    }
}
