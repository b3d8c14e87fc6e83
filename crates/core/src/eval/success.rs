//! Success criteria: how each is judged over the event window (its `when` condition; else an
//! availability percentage or a p99 latency bound read from its words; else by a person), and
//! the record of a `when` condition across the evaluations of a pass over the recording. Read by
//! `warroom check` (which criteria are judged, and how) and by the post-mortem report.

use chrono::{DateTime, TimeDelta, Utc};

use super::availability::criterion_target;
use super::truth::Tri;
use crate::config::Layout;
use crate::config::layout::SuccessCriterion;

/// How a success criterion is judged.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Method {
    /// Its `when` condition, at every evaluation inside the event window.
    When(String),
    /// The share of requests without 5xx over the event window, against this percentage.
    Availability(f64),
    /// The worst value of this p99 series (layout index) in the event window, against this
    /// bound in seconds.
    Latency { series: usize, limit: f64 },
    /// Not judged automatically: why.
    ByHand(String),
}

impl Method {
    /// `judged by its condition: tix.p99 < 1`, for `warroom check`.
    pub(crate) fn describe(&self, layout: &Layout) -> String {
        match self {
            Method::When(text) => format!("judged by its condition: {text}"),
            Method::Availability(t) => match super::availability::counted(layout) {
                Ok(_) => {
                    format!("judged on the requests without 5xx in the event window (target {t}%)")
                }
                Err(why) => format!("cannot be judged: {}", why.reason()),
            },
            Method::Latency { series, limit } => format!(
                "judged on the worst {} in the event window (limit {limit} s)",
                layout.series[*series].id
            ),
            Method::ByHand(why) => format!("not judged automatically: {why}"),
        }
    }

    /// Whether the report judges it from the data (an availability percentage only when the
    /// layout has series to count).
    pub(crate) fn is_automatic(&self, layout: &Layout) -> bool {
        match self {
            Method::ByHand(_) => false,
            Method::Availability(_) => super::availability::counted(layout).is_ok(),
            Method::When(_) | Method::Latency { .. } => true,
        }
    }
}

/// How `c` is judged in `layout`.
pub(crate) fn method(layout: &Layout, c: &SuccessCriterion) -> Method {
    if let Some((text, _)) = &c.when {
        return Method::When(text.clone());
    }
    if let Some(t) = criterion_target(&c.text) {
        return Method::Availability(t);
    }
    let Some(limit) = latency_limit(&c.text) else {
        return Method::ByHand("no percentage, latency bound or `when` condition".into());
    };
    match latency_series(layout, &c.text).as_slice() {
        [series] => Method::Latency {
            series: *series,
            limit,
        },
        found => Method::ByHand(format!(
            "{} p99 series match its words (a `when` condition would say which)",
            found.len()
        )),
    }
}

/// Seconds from "under 2 s", "below 800 ms", "< 1.5s" in a criterion about p99 or latency.
pub(crate) fn latency_limit(text: &str) -> Option<f64> {
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

/// The p99 series a criterion's words point at: those whose label shares a word with it
/// (`Seoul p99 latency` for "... in Seoul"); when none does and the layout has exactly one p99
/// series, that one.
fn latency_series(layout: &Layout, text: &str) -> Vec<usize> {
    let lower = text.to_lowercase();
    let p99: Vec<usize> = layout
        .series
        .iter()
        .enumerate()
        .filter(|(_, s)| s.id.contains("p99") || s.label.to_lowercase().contains("p99"))
        .map(|(i, _)| i)
        .collect();
    let named: Vec<usize> = p99
        .iter()
        .copied()
        .filter(|&i| {
            layout.series[i]
                .label
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 2 && *w != "p99" && *w != "latency")
                .any(|w| lower.contains(w))
        })
        .collect();
    if named.is_empty() && p99.len() == 1 {
        p99
    } else {
        named
    }
}

/// A `when` condition followed across the evaluations inside the event window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Held {
    /// Evaluations at which it was true, false, unknown.
    pub(crate) true_n: usize,
    pub(crate) false_n: usize,
    pub(crate) unknown_n: usize,
    /// When it was first false.
    pub(crate) first_false: Option<DateTime<Utc>>,
    /// How long it was false (from each false evaluation to the next one).
    pub(crate) false_for: TimeDelta,
    /// How long it could not be judged.
    pub(crate) unknown_for: TimeDelta,
    last: Option<(DateTime<Utc>, Tri)>,
}

impl Held {
    /// Takes in the condition's value at one evaluation (in time order).
    pub(crate) fn observe(&mut self, at: DateTime<Utc>, value: Tri) {
        self.close(at);
        match value {
            Tri::True => self.true_n += 1,
            Tri::False => {
                self.false_n += 1;
                self.first_false.get_or_insert(at);
            }
            Tri::Unknown => self.unknown_n += 1,
        }
        self.last = Some((at, value));
    }

    /// Ends the record at `end` (the end of the window, or of the recording before it).
    pub(crate) fn finish(&mut self, end: DateTime<Utc>) {
        self.close(end);
        self.last = None;
    }

    fn close(&mut self, at: DateTime<Utc>) {
        if let Some((from, v)) = self.last
            && at > from
        {
            match v {
                Tri::False => self.false_for += at - from,
                Tri::Unknown => self.unknown_for += at - from,
                Tri::True => {}
            }
        }
    }
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

    #[test]
    fn a_condition_is_held_when_never_false() {
        let t = |m: i64| DateTime::from_timestamp(1_800_000_000 + m * 60, 0).expect("time");
        let mut h = Held::default();
        h.observe(t(0), Tri::True);
        h.observe(t(1), Tri::False);
        h.observe(t(4), Tri::Unknown);
        h.observe(t(5), Tri::True);
        h.finish(t(10));
        assert_eq!((h.true_n, h.false_n, h.unknown_n), (2, 1, 1));
        assert_eq!(h.first_false, Some(t(1)));
        assert_eq!(h.false_for, TimeDelta::minutes(3));
        assert_eq!(h.unknown_for, TimeDelta::minutes(1));
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    #[test]
    fn the_one_p99_series_judges_a_latency_criterion_and_when_wins() {
        let layout = crate::testing::tix_layout();
        let p99 = layout
            .series
            .iter()
            .position(|s| s.id == "tix.p99")
            .expect("p99");
        let words = SuccessCriterion::words("p99 latency under 1 s at the tix ALB");
        assert_eq!(
            method(&layout, &words),
            Method::Latency {
                series: p99,
                limit: 1.0
            }
        );
        let m: Vec<Method> = layout
            .event
            .success_criteria
            .iter()
            .map(|c| method(&layout, c))
            .collect();
        assert_eq!(m[0], Method::Availability(99.9));
        assert_eq!(m[1], Method::When("tix.p99 < 1".into()));
        assert!(matches!(m[2], Method::ByHand(_)), "{:?}", m[2]);
    }
}
