//! Success criteria judged from the data where the wording allows it: an availability
//! percentage ("99.95% of requests succeed") against the requests without 5xx in the event
//! window, and a latency bound ("p99 latency under 2 s in Seoul") against the one p99 series the
//! criterion names. Anything else is said plainly to need a person's judgement.

use chrono::{DateTime, Utc};

use super::entries::num;
use crate::config::Layout;
use crate::eval::availability::{Availability, criterion_target};
use crate::store::State;
use crate::time::t_label;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    /// Not judged automatically: the report says why.
    CannotJudge,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "NOT met",
            Verdict::CannotJudge => "cannot be judged automatically",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionResult {
    pub text: String,
    pub verdict: Verdict,
    pub detail: String,
}

pub fn judge(layout: &Layout, state: &State, avail: Option<&Availability>) -> Vec<CriterionResult> {
    layout
        .event
        .success_criteria
        .iter()
        .map(|c| {
            let (verdict, detail) = if let Some(target) = criterion_target(c) {
                availability_verdict(target, avail)
            } else if let Some(limit) = latency_limit(c) {
                latency_verdict(layout, state, c, limit)
            } else {
                (
                    Verdict::CannotJudge,
                    "the recording does not say; judge it by hand".to_string(),
                )
            };
            CriterionResult {
                text: c.clone(),
                verdict,
                detail,
            }
        })
        .collect()
}

fn availability_verdict(target: f64, avail: Option<&Availability>) -> (Verdict, String) {
    let Some(a) = avail else {
        return (
            Verdict::CannotJudge,
            "the layout has no load-balancer request and 5xx series".into(),
        );
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
            "{share:.3}% of {} requests without 5xx in the event window ({} with 5xx), target {}%{coverage}",
            num(w.requests.round()),
            num(w.errors.round()),
            num(target)
        ),
    )
}

/// Seconds from "under 2 s", "below 800 ms", "< 1.5s".
pub fn latency_limit(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    if !(lower.contains("p99") || lower.contains("latency")) {
        return None;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| matches!(*w, "under" | "below" | "<" | "<=" | "within"))?;
    let mut rest = words[at + 1..].join(" ");
    rest.retain(|c| c != ' ');
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let v: f64 = digits.parse().ok()?;
    let unit = &rest[digits.len()..];
    if unit.starts_with("ms") {
        Some(v / 1000.0)
    } else if unit.starts_with('s') {
        Some(v)
    } else {
        None
    }
}

fn latency_verdict(layout: &Layout, state: &State, text: &str, limit: f64) -> (Verdict, String) {
    let lower = text.to_lowercase();
    let candidates: Vec<usize> = layout
        .series
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let label = s.label.to_lowercase();
            (s.id.contains("p99") || label.contains("p99"))
                && label
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() > 2 && *w != "p99" && *w != "latency")
                    .any(|w| lower.contains(w))
        })
        .map(|(i, _)| i)
        .collect();
    let [i] = candidates.as_slice() else {
        return (
            Verdict::CannotJudge,
            format!(
                "{} p99 series match the wording; judge it by hand",
                candidates.len()
            ),
        );
    };
    let s = &layout.series[*i];
    let worst: Option<(DateTime<Utc>, f64)> = state
        .series(*i)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_limits_parse_seconds_and_milliseconds() {
        assert_eq!(
            latency_limit("Checkout p99 latency under 2 s in Seoul"),
            Some(2.0)
        );
        assert_eq!(latency_limit("p99 below 800ms"), Some(0.8));
        assert_eq!(latency_limit("No data-tier failover needed"), None);
        assert_eq!(latency_limit("latency under control"), None);
    }
}
