//! Success criteria judged from the data (how each is judged: `eval::success`): a `when`
//! condition against every evaluation inside the event window, an availability percentage
//! ("99.95% of requests succeed") against the requests without 5xx in the event window, a
//! latency bound ("p99 latency under 2 s in Seoul") against the one p99 series the criterion
//! names. Anything else is said plainly to need a person's judgement.

use chrono::{DateTime, Utc};

use super::entries::num;
use crate::config::Layout;
use crate::eval::availability::{Availability, Unjudged};
use crate::eval::success::{self, Held, Method};
use crate::store::State;
use crate::time::{format_duration, t_label};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    /// Not judged automatically: the report says why.
    CannotJudge,
}

impl Verdict {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "NOT met",
            Verdict::CannotJudge => "cannot be judged automatically",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionResult {
    pub(crate) text: String,
    pub verdict: Verdict,
    pub detail: String,
}

pub fn judge(
    layout: &Layout,
    state: &State,
    avail: Result<&Availability, Unjudged>,
    held: &[Option<Held>],
) -> Vec<CriterionResult> {
    layout
        .event
        .success_criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (verdict, detail) = match success::method(layout, c) {
                Method::When(text) => {
                    when_verdict(layout, &text, held.get(i).and_then(Option::as_ref))
                }
                Method::Availability(target) => {
                    availability_verdict(target, avail, layout.event.tz())
                }
                Method::Latency { series, limit } => latency_verdict(layout, state, series, limit),
                Method::ByHand(_) => (
                    Verdict::CannotJudge,
                    "the recording does not say; judge it by hand".to_string(),
                ),
            };
            CriterionResult {
                text: c.text.clone(),
                verdict,
                detail,
            }
        })
        .collect()
}

/// A `when` condition: met when it was never false at an evaluation inside the event window.
fn when_verdict(layout: &Layout, text: &str, held: Option<&Held>) -> (Verdict, String) {
    let Some(h) = held.filter(|h| h.true_n + h.false_n > 0) else {
        return (
            Verdict::CannotJudge,
            format!("`{text}` could not be judged in the event window (no data)"),
        );
    };
    let unknown = match (h.unknown_n, h.unknown_for > chrono::TimeDelta::zero()) {
        (0, _) => String::new(),
        (_, true) => format!(
            "; could not be judged for {}",
            format_duration(h.unknown_for)
        ),
        (n, false) => format!("; could not be judged at {n} evaluation(s)"),
    };
    match h.first_false {
        None => (
            Verdict::Met,
            format!("`{text}` held throughout the event window{unknown}"),
        ),
        Some(first) => (
            Verdict::NotMet,
            format!(
                "`{text}` was false for {} from {} ({} evaluations){unknown}",
                format_duration(h.false_for),
                t_label(first, layout.event.start),
                h.false_n
            ),
        ),
    }
}

fn availability_verdict(
    target: f64,
    avail: Result<&Availability, Unjudged>,
    tz: chrono_tz::Tz,
) -> (Verdict, String) {
    let a = match avail {
        Ok(a) => a,
        Err(why) => {
            return (
                Verdict::CannotJudge,
                format!("cannot be judged: {}", why.reason()),
            );
        }
    };
    let w = &a.window;
    let Some(share) = w.share() else {
        return (
            Verdict::CannotJudge,
            "no requests recorded in the event window".into(),
        );
    };
    let coverage = if w.known < w.expected {
        format!("; data for {} of {} request buckets", w.known, w.expected)
    } else {
        String::new()
    };
    let verdict = if share >= target {
        Verdict::Met
    } else {
        Verdict::NotMet
    };
    (
        verdict,
        format!(
            "{share:.3}% of {} requests without 5xx in the event window {} ({} with 5xx), target {}%{coverage}",
            num(w.requests.round()),
            w.through_words(tz),
            num(w.errors.round()),
            num(target)
        ),
    )
}

fn latency_verdict(layout: &Layout, state: &State, i: usize, limit: f64) -> (Verdict, String) {
    let s = &layout.series[i];
    let worst: Option<(DateTime<Utc>, f64)> = state
        .series(i)
        .iter_window(layout.event.start, layout.event.end)
        .filter_map(|x| x.value().map(|v| (x.ts, v)))
        .fold(None, |acc, (t, v)| match acc {
            Some((_, w)) if w >= v => acc,
            _ => Some((t, v)),
        });
    let Some((at, v)) = worst else {
        return (
            Verdict::CannotJudge,
            format!("no data for {} in the event window", s.id),
        );
    };
    // The limit is in seconds; a series in milliseconds is compared as seconds.
    let v = match s.unit.human(v) {
        (crate::config::layout::Unit::Seconds, secs) => secs,
        _ => v,
    };
    let verdict = if v < limit {
        Verdict::Met
    } else {
        Verdict::NotMet
    };
    (
        verdict,
        format!(
            "{} peaked at {} s at {} (limit {} s)",
            s.label,
            num(v),
            t_label(at, layout.event.start),
            num(limit)
        ),
    )
}
