//! The summary as data: a pure function of the layout, the folded state and its evaluation at
//! T, what happened since the previous summary (the [`Digest`]) and that previous summary.

use chrono::{DateTime, Utc};

use super::digest::Digest;
use super::headline::draft;
use super::metrics::key_metrics;
use super::schedule;
use crate::config::layout::Layout;
use crate::eval::{Evaluation, TriggerState};
use crate::model::{
    ActionLine, AvailabilityLine, IncidentLine, IncidentState, OperatorAction, RtnLine, StepLine,
    Summary, SummaryKind, Trend,
};
use crate::store::{Incident, State};

/// Actions listed at most (the newest kept).
const ACTIONS_KEPT: usize = 20;

/// What a summary is made from.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub(crate) layout: &'a Layout,
    pub(crate) state: &'a State,
    pub(crate) eval: &'a Evaluation,
    pub(crate) digest: &'a Digest,
    pub(crate) prev: Option<&'a Summary>,
}

/// Which summary to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub(crate) kind: SummaryKind,
    pub(crate) at: DateTime<Utc>,
    pub(crate) slot: Option<DateTime<Utc>>,
}

/// The id of the `seq`th summary made at `at`.
pub fn summary_id(seq: u32, at: DateTime<Utc>) -> String {
    format!("S{seq:03}-{}", at.format("%Y%m%dT%H%M%SZ"))
}

fn rank(s: crate::model::Status) -> u8 {
    use crate::model::Status;
    match s {
        Status::Green => 0,
        Status::Unknown | Status::Yellow | Status::Blind => 1,
        Status::Red => 2,
    }
}

/// The direction now: against the last summary, except that coming down from something worse
/// since then is improving (GREEN at 20:00, RED at 20:10, YELLOW at 20:30 is improving).
fn trend(
    prev: Option<crate::model::Status>,
    worst: crate::model::Status,
    now: crate::model::Status,
) -> Trend {
    match prev {
        None => Trend::First,
        Some(_) if rank(worst) > rank(now) => Trend::Improving,
        Some(p) if rank(now) < rank(p) => Trend::Improving,
        Some(p) if rank(now) > rank(p) => Trend::Worsening,
        Some(_) => Trend::Steady,
    }
}

/// An incident as a summary lists it; its impact start from [`impact_start`] over the periods
/// the data was RED, as the report counts it.
///
/// [`impact_start`]: crate::eval::impact::impact_start
pub(super) fn incident_line(i: &Incident, digest: &Digest, at: DateTime<Utc>) -> IncidentLine {
    IncidentLine {
        id: i.id.clone(),
        title: i.fields.title.clone().unwrap_or_else(|| i.id.clone()),
        severity: i.fields.severity,
        state: i.fields.state,
        plan: i.fields.plan.clone(),
        eta: i.fields.eta,
        owner: i.fields.owner.clone(),
        opened: i.opened.at,
        updated: i.updated,
        impact_start: Some(crate::eval::impact::impact_start(
            i,
            digest.red_periods(at).iter().map(|w| (w.from, w.to)),
        )),
    }
}

/// Availability since the previous summary (the first: since T0, or the hour before `at` ahead
/// of T0), and over the event so far (the one tally the report also reads) when that starts well
/// before or the period has no data of its own; said plainly when the layout cannot judge it.
fn availability(
    layout: &Layout,
    state: &State,
    since: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Option<AvailabilityLine> {
    use crate::eval::availability::{Unjudged, between, event_so_far, target};
    let t0 = layout.event.start;
    let from = since.unwrap_or(if at > t0 {
        t0
    } else {
        at - chrono::TimeDelta::hours(1)
    });
    let target = target(layout).map(|t| t.0);
    let period = match between(layout, state, from, at) {
        Ok(t) => t,
        // Nothing to count and nothing asked for: no line. A target the layout sets is
        // answered, even if only to say why it cannot be judged.
        Err(Unjudged::NoRequests) if target.is_none() => return None,
        Err(why) => {
            return Some(AvailabilityLine {
                from,
                to: at,
                requests: 0.0,
                errors: 0.0,
                percent: None,
                event_percent: None,
                through: None,
                target,
                unjudged: Some(why.reason().to_string()),
            });
        }
    };
    // Rounded like every number of a summary, so the recorded JSON reads back equal.
    let percent = period.share().map(super::metrics::r4);
    // A period that starts a few seconds after T0 (the T0 summary's own time) is the event.
    let event = (at > t0 && (from > t0 + chrono::TimeDelta::minutes(5) || percent.is_none()))
        .then(|| event_so_far(layout, state, at).ok())
        .flatten()
        .filter(|t| t.share().is_some());
    let event_percent = event.and_then(|t| t.share()).map(super::metrics::r4);
    let through = event.map_or(period.through, |t| t.through.max(period.through));
    if percent.is_none() && event_percent.is_none() {
        return None;
    }
    Some(AvailabilityLine {
        from,
        to: at,
        requests: period.requests,
        errors: period.errors,
        percent,
        event_percent,
        through,
        target,
        unjudged: None,
    })
}

fn after(t: DateTime<Utc>, since: Option<DateTime<Utc>>, at: DateTime<Utc>) -> bool {
    t <= at && since.is_none_or(|s| t > s)
}

/// Every action the room took in `(since, at]`, from the log's journal of accepted actions: who
/// did it (the log's `who`) and what they said (a note, a plan or ETA, a skip's reason, a
/// resolution's cause), in the words every view uses. Post-mortem notes are not the room's.
/// The newest [`ACTIONS_KEPT`] are listed; the second value counts them all.
fn actions(
    inp: &Inputs<'_>,
    since: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> (Vec<ActionLine>, usize) {
    let tz = inp.layout.event.tz();
    let mut out: Vec<ActionLine> = inp
        .state
        .operator()
        .journal()
        .filter(|l| !l.post_mortem && after(l.at, since, at))
        .map(|l| ActionLine {
            at: l.at,
            who: if l.who.is_empty() {
                "someone unnamed".to_string()
            } else {
                l.who.clone()
            },
            text: action_words(inp.layout, &l.action, tz),
        })
        .collect();
    out.sort_by_key(|a| a.at);
    let total = out.len();
    if out.len() > ACTIONS_KEPT {
        out.drain(..out.len() - ACTIONS_KEPT);
    }
    (out, total)
}

/// An action in the words every view uses, with the title of the step acknowledged or done
/// (a skip says its reason instead, a note its text).
fn action_words(layout: &Layout, action: &OperatorAction, tz: chrono_tz::Tz) -> String {
    let words = action.describe(tz);
    let (OperatorAction::RunbookAck { step } | OperatorAction::RunbookDone { step }) = action
    else {
        return words;
    };
    let title = layout.runbook.as_ref().and_then(|rb| {
        rb.steps
            .iter()
            .find(|s| s.id == *step)
            .map(|s| s.title.as_str())
            .or_else(|| {
                rb.return_to_normal
                    .iter()
                    .enumerate()
                    .find(|(k, _)| crate::config::runbook::Runbook::rtn_id(*k) == *step)
                    .map(|(_, item)| item.text.as_str())
            })
    });
    match title {
        Some(t) => format!("{words}: {t}"),
        None => words,
    }
}

fn steps_fired(inp: &Inputs<'_>, since: Option<DateTime<Utc>>, at: DateTime<Utc>) -> Vec<StepLine> {
    let Some(rb) = &inp.layout.runbook else {
        return Vec::new();
    };
    let mut fired: Vec<(String, String, DateTime<Utc>)> = inp
        .digest
        .fired_since(since)
        .into_iter()
        .filter(|f| f.at <= at)
        .map(|f| (f.step, f.title, f.at))
        .collect();
    // Steps still firing that fired before the period are reported too, with when they fired:
    // still an issue.
    for (step, st) in rb.steps.iter().zip(&inp.eval.steps) {
        if st.trigger == TriggerState::Firing && !fired.iter().any(|f| f.0 == step.id) {
            let since = st.firing_since.unwrap_or(st.when.since);
            fired.push((step.id.clone(), step.title.clone(), since.min(at)));
        }
    }
    fired.sort_by_key(|f| f.2);
    fired
        .into_iter()
        .map(|(id, title, t)| {
            let st = inp.eval.step(&id);
            StepLine {
                firing: st.is_some_and(|s| s.trigger == TriggerState::Firing),
                acked_by: st.and_then(|s| s.acked.as_ref()).map(|m| m.who.clone()),
                done_by: st.and_then(|s| s.done.as_ref()).map(|m| m.who.clone()),
                id,
                title,
                fired: t,
            }
        })
        .collect()
}

/// Builds the summary.
pub fn build(inp: &Inputs<'_>, req: Request) -> Summary {
    let (layout, eval) = (inp.layout, inp.eval);
    let at = req.at;
    let since = inp.prev.map(|p| p.at);
    let seq = inp.prev.map_or(1, |p| p.seq + 1);
    let overall = eval.overall;
    let previous = inp.prev.map(|p| p.overall);
    let worst = inp
        .digest
        .worst_since(since)
        .map_or(overall, |w| w.max(overall));
    let incidents: Vec<&Incident> = inp
        .state
        .operator()
        .incidents()
        .filter(|i| i.opened.at <= at)
        .collect();
    let incidents_open = incidents
        .iter()
        .filter(|i| i.fields.state != Some(IncidentState::Resolved))
        .map(|i| incident_line(i, inp.digest, at))
        .collect();
    let incidents_resolved = incidents
        .iter()
        .filter(|i| i.fields.state == Some(IncidentState::Resolved) && after(i.updated, since, at))
        .map(|i| incident_line(i, inp.digest, at))
        .collect();
    let rtn = rtn_line(inp, at);
    let (actions, actions_total) = actions(inp, since, at);
    let next_update = match req.kind {
        SummaryKind::Final => None,
        _ => schedule::next_update(layout, req.slot.unwrap_or(at), overall),
    };
    let mut s = Summary {
        id: summary_id(seq, at),
        seq,
        kind: req.kind,
        at,
        slot: req.slot,
        schedule: (req.kind == SummaryKind::Hourly).then(|| schedule::describe(layout, overall)),
        event: layout.event.name.clone(),
        time_zone: layout.summary.time_zone.name().to_string(),
        t0: layout.event.start,
        since,
        overall,
        floor: eval.floor.clone(),
        previous,
        trend: trend(previous, worst, overall),
        worst,
        headline: String::new(),
        headline_override: None,
        sent_by: None,
        note: None,
        handover: handover(inp.state, since),
        availability: availability(layout, inp.state, since, at),
        metrics: key_metrics(layout, inp.state, eval, at),
        incidents_open,
        incidents_resolved,
        steps_fired: steps_fired(inp, since, at),
        actions,
        actions_total: (actions_total > ACTIONS_KEPT).then_some(actions_total),
        rtn,
        bridge_phone: layout.event.bridge_phone.clone(),
        bridge_url: layout.event.bridge_url.clone(),
        next_update,
        recap: (req.kind == SummaryKind::Final)
            .then(|| super::recap::recap(layout, inp.state, inp.digest, at)),
    };
    s.headline = draft(&s, layout, eval);
    s
}

/// `s` with the room's edits: its headline replaced (`headline_override`) and a note added,
/// cleaned as every operator's text is. The one way both the summary sent and the dashboard's
/// preview of it ("as it would be sent now") are made.
pub fn edited(s: &Summary, headline: Option<&str>, note: Option<&str>) -> Summary {
    use crate::journal::{TEXT_MAX, clean};
    let mut s = s.clone();
    s.headline_override = headline.map(|h| clean(h, TEXT_MAX));
    s.note = note.map(|n| clean(n, TEXT_MAX));
    s
}

/// Where the return to normal stands at `at`: criteria, streak, declaration, and the room's
/// confirmation or (while not confirmed) its newest refusal.
fn rtn_line(inp: &Inputs<'_>, at: DateTime<Utc>) -> RtnLine {
    let rtn = &inp.eval.rtn;
    RtnLine {
        met: rtn.met,
        total: rtn.total,
        pending: rtn
            .criteria
            .iter()
            .filter(|c| !c.truth.is_true())
            .map(|c| c.name.clone())
            .collect(),
        streak_secs: rtn.streak.num_seconds(),
        streak_start: rtn.streak_start,
        expected: rtn.expected,
        declared: rtn.declared,
        confirmed_by: rtn.confirmed.as_ref().map(|m| m.who.clone()),
        confirmed_at: rtn.confirmed.as_ref().map(|m| m.at),
        refused: inp
            .state
            .operator()
            .rtn_refused()
            .filter(|(m, _)| m.at <= at && rtn.confirmed.is_none())
            .map(|(m, why)| ActionLine {
                at: m.at,
                who: m.who.clone(),
                text: why.to_string(),
            }),
        relapsed: rtn.relapsed,
    }
}

/// The newest hand-over note, when written after `since` (the previous summary).
fn handover(state: &State, since: Option<DateTime<Utc>>) -> Option<ActionLine> {
    let h = state.operator().handover()?;
    since.is_none_or(|s| h.at > s).then(|| ActionLine {
        at: h.at,
        who: h.who.clone(),
        text: h.text.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status::{Green, Red, Yellow};

    #[test]
    fn trend_is_the_direction_now() {
        assert_eq!(trend(None, Green, Green), Trend::First);
        assert_eq!(trend(Some(Green), Green, Green), Trend::Steady);
        assert_eq!(trend(Some(Green), Red, Red), Trend::Worsening);
        assert_eq!(trend(Some(Green), Yellow, Yellow), Trend::Worsening);
        assert_eq!(trend(Some(Red), Red, Yellow), Trend::Improving);
        // Worse than the last summary, but coming down from RED since: improving.
        assert_eq!(trend(Some(Green), Red, Yellow), Trend::Improving);
        assert_eq!(trend(Some(Yellow), Red, Yellow), Trend::Improving);
        assert_eq!(trend(Some(Green), Red, Green), Trend::Improving);
    }

    /// A shop's orders and failed orders from a custom namespace, target 99.9%, T0 11:00 UTC;
    /// `section` appended.
    fn shop(section: &str) -> Layout {
        let series = |id: &str, metric: &str| {
            format!(
                "[[series]]\nid = \"{id}\"\nregion = \"us-east-1\"\nnamespace = \"Shop\"\n\
                 metric = \"{metric}\"\nstat = \"Sum\"\nunit = \"count\"\nabsent = \"zero\"\n"
            )
        };
        let text = format!(
            "[event]\nname = \"Sale\"\nstart = \"2026-06-13T11:00:00Z\"\n\
             end = \"2026-06-13T13:00:00Z\"\navailability_target = 99.9\n{}{}{section}",
            series("shop.orders", "Orders"),
            series("shop.failed", "FailedOrders"),
        );
        crate::testing::fixture("shop.toml", &text, None)
    }

    #[test]
    fn availability_is_counted_on_the_series_the_layout_names() {
        use crate::eval::test_support::{minutes, tm};

        let l = shop("[availability]\nrequests = [\"shop.orders\"]\nerrors = [\"shop.failed\"]\n");
        assert_eq!(l.event.start, tm(0));
        let mut state = State::new(&l);
        state.apply(&minutes("shop.orders", 0, &[1000.0; 30]));
        state.apply(&minutes("shop.failed", 0, &[2.0; 30]));
        let at = tm(31);
        let a = availability(&l, &state, None, at).expect("a line");
        assert_eq!((a.requests, a.errors), (30_000.0, 60.0));
        assert_eq!(a.percent, Some(99.8));
        assert_eq!(a.unjudged, None);
        // The same layout without the section: its target is answered, with why not.
        let l = shop("");
        let a = availability(&l, &State::new(&l), None, at).expect("a line");
        assert_eq!(
            a.unjudged.as_deref(),
            Some("the layout has no load-balancer request series and no [availability] section")
        );
    }
}
