//! Availability: the share of requests without a 5xx, per hour and over the event window, from
//! the count series the layout's `[availability]` names (requests and errors: API Gateway
//! `Count` and `5XXError`, a custom namespace's orders and failures), else from each load
//! balancer's `RequestCount` and its `HTTPCode_Target_5XX_Count` and `HTTPCode_ELB_5XX_Count`
//! (all `Sum`, matched by the `LoadBalancer` dimension), against the layout's target:
//! `availability_target`, or one read from a success criterion such as "99.95% of requests
//! succeed (no 5xx)". A layout without 5xx series cannot be judged ([`Unjudged`]), never
//! "100%". Read by the post-mortem report (per hour, event window), by the leadership summaries
//! (the period since the last one, and the event so far: one tally, [`event_so_far`]) and by
//! `warroom check` (what the report will count, [`counted`]).

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::Layout;
use crate::config::layout::SeriesSource;
use crate::store::State;

/// Where the target came from.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetOrigin {
    /// `availability_target` in the layout's `[event]`.
    Layout,
    /// Read from this success criterion.
    Criterion(String),
}

/// Requests and 5xx over a span.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tally {
    pub requests: f64,
    pub errors: f64,
    /// Request buckets with a known value, and how many there were.
    pub known: usize,
    pub expected: usize,
    /// The end of the newest request bucket with a value: what the tally counts through (a
    /// summary made at 21:00 counts through 20:58; the report, later, through more).
    pub through: Option<DateTime<Utc>>,
}

impl Tally {
    /// `through 20:58 KST` on the clock of `tz`, or empty without data.
    pub(crate) fn through_words(&self, tz: chrono_tz::Tz) -> String {
        self.through.map_or_else(String::new, |t| {
            format!("through {}", t.with_timezone(&tz).format("%H:%M %Z"))
        })
    }
}

impl Tally {
    /// Percent of requests without 5xx, None without requests.
    pub fn share(&self) -> Option<f64> {
        (self.requests > 0.0).then(|| 100.0 * (1.0 - (self.errors / self.requests).min(1.0)))
    }
}

/// The series availability is tallied over (layout indices), and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counted {
    pub(crate) requests: Vec<usize>,
    pub(crate) errors: Vec<usize>,
    pub(crate) basis: Basis,
}

/// Where the counted series came from: what the report and `warroom check` name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// The load balancers counted (their `LoadBalancer` dimension values): each one's
    /// `RequestCount` and 5xx counts, found by metric name.
    LoadBalancers(Vec<String>),
    /// The layout's `[availability]`: its request and error series, as (id, label).
    Series {
        requests: Vec<(String, String)>,
        errors: Vec<(String, String)>,
    },
}

/// A load balancer's request series and its 5xx series, by layout index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Balancer {
    /// The `LoadBalancer` dimension value.
    name: String,
    requests: usize,
    errors: Vec<usize>,
}

/// Every load balancer with a `RequestCount` series, with its 5xx series (none when the layout
/// has none). Series with more dimensions than `LoadBalancer` (per target group) are left out,
/// so nothing is counted twice.
fn balancers(layout: &Layout) -> Vec<Balancer> {
    let metric = |i: usize| match &layout.series[i].source {
        SeriesSource::Metric(q)
            if q.namespace == "AWS/ApplicationELB" && q.stat.eq_ignore_ascii_case("Sum") =>
        {
            let lb = q
                .dimensions
                .iter()
                .find(|(k, _)| k == "LoadBalancer")
                .map(|(_, v)| v.clone())?;
            (q.dimensions.len() == 1).then(|| (q.metric.clone(), lb))
        }
        _ => None,
    };
    let mut out: Vec<Balancer> = Vec::new();
    for i in 0..layout.series.len() {
        if let Some((m, lb)) = metric(i)
            && m == "RequestCount"
            && !out.iter().any(|b| b.name == lb)
        {
            let errors = (0..layout.series.len())
                .filter(|&j| {
                    metric(j).is_some_and(|(m, l)| {
                        l == lb
                            && (m == "HTTPCode_Target_5XX_Count" || m == "HTTPCode_ELB_5XX_Count")
                    })
                })
                .collect();
            out.push(Balancer {
                name: lb,
                requests: i,
                errors,
            });
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    pub target: Option<(f64, TargetOrigin)>,
    /// The series counted: the load balancers', or those the layout's `[availability]` names.
    pub basis: Basis,
    /// One row per hour of the recording: (hour start, tally).
    pub hours: Vec<(DateTime<Utc>, Tally)>,
    /// The event window `[start, end)`: the same tally as a summary's "event so far".
    pub window: Tally,
}

/// Why availability cannot be judged for a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unjudged {
    /// No `[availability]` and no `RequestCount` series of a load balancer.
    NoRequests,
    /// Requests, but no 5xx series of the same load balancer: "100%" would be a guess.
    No5xx,
}

impl Unjudged {
    /// `the layout has no 5xx series`.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Unjudged::NoRequests => {
                "the layout has no load-balancer request series and no [availability] section"
            }
            Unjudged::No5xx => "the layout has no 5xx series",
        }
    }
}

/// The series availability is tallied over: those the layout's `[availability]` names, else
/// the load balancers with 5xx series; or why there are none.
pub(crate) fn counted(layout: &Layout) -> Result<Counted, Unjudged> {
    if let Some(a) = &layout.availability {
        let indices = |ids: &[String]| -> Vec<usize> {
            ids.iter()
                .filter_map(|id| layout.series_index(id))
                .collect()
        };
        let named = |ids: &[String]| -> Vec<(String, String)> {
            ids.iter()
                .filter_map(|id| layout.series_by_id(id))
                .map(|s| (s.id.clone(), s.label.clone()))
                .collect()
        };
        return Ok(Counted {
            requests: indices(&a.requests),
            errors: indices(&a.errors),
            basis: Basis::Series {
                requests: named(&a.requests),
                errors: named(&a.errors),
            },
        });
    }
    let all = balancers(layout);
    if all.is_empty() {
        return Err(Unjudged::NoRequests);
    }
    let counted: Vec<Balancer> = all.into_iter().filter(|b| !b.errors.is_empty()).collect();
    if counted.is_empty() {
        return Err(Unjudged::No5xx);
    }
    Ok(Counted {
        requests: counted.iter().map(|b| b.requests).collect(),
        errors: counted.iter().flat_map(|b| b.errors.clone()).collect(),
        basis: Basis::LoadBalancers(counted.into_iter().map(|b| b.name).collect()),
    })
}

/// Requests and 5xx of the buckets the ring holds in `[from, to)`.
fn tally(state: &State, c: &Counted, from: DateTime<Utc>, to: DateTime<Utc>) -> Tally {
    let mut t = Tally::default();
    for &r in &c.requests {
        let period = state.series(r).period();
        for s in state.series(r).iter_window(from, to) {
            t.expected += 1;
            let Some(v) = s.value() else { continue };
            t.known += 1;
            t.requests += v;
            t.through = t.through.max(Some(s.ts + period));
        }
    }
    for &e in &c.errors {
        t.errors += state
            .series(e)
            .iter_window(from, to)
            .filter_map(|s| s.value())
            .sum::<f64>();
    }
    t
}

/// The target: the layout's, else the first success criterion that reads like one.
pub(crate) fn target(layout: &Layout) -> Option<(f64, TargetOrigin)> {
    if let Some(t) = layout.event.availability_target {
        return Some((t, TargetOrigin::Layout));
    }
    layout.event.success_criteria.iter().find_map(|c| {
        criterion_target(&c.text).map(|t| (t, TargetOrigin::Criterion(c.text.clone())))
    })
}

/// `99.95` from "99.95% of requests succeed (no 5xx) ...": a percentage in a criterion that
/// speaks of success, 5xx, errors or availability.
pub(crate) fn criterion_target(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    if !["succe", "5xx", "availab", "error"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    let pct = lower.find('%')?;
    let digits: String = lower[..pct]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits
        .parse::<f64>()
        .ok()
        .filter(|v| *v > 0.0 && *v < 100.0)
}

/// Requests and 5xx over `[from, to)`, all counted load balancers together (the ring's buckets:
/// a period of a summary, an hour of the report).
pub(crate) fn between(
    layout: &Layout,
    state: &State,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Tally, Unjudged> {
    counted(layout).map(|c| tally(state, &c, from, to))
}

/// The event so far at `at`: requests and 5xx from T0 to `at` (at most the event's end),
/// buckets the ring no longer holds included. The one tally of the event window: a summary's
/// "event so far" and the report's event window both read it.
pub(crate) fn event_so_far(
    layout: &Layout,
    state: &State,
    at: DateTime<Utc>,
) -> Result<Tally, Unjudged> {
    let c = counted(layout)?;
    let (from, to) = (layout.event.start, at.min(layout.event.end));
    let mut t = tally(state, &c, from, to);
    // Buckets of the event window the ring no longer holds (they are older than what it holds).
    for &r in &c.requests {
        let gone = state.series(r).evicted();
        t.requests += gone.sum;
        t.known += gone.known;
    }
    t.errors += c
        .errors
        .iter()
        .map(|&e| state.series(e).evicted().sum)
        .sum::<f64>();
    // Every bucket of the window so far, held or not.
    t.expected = c
        .requests
        .iter()
        .map(|&r| {
            let p = state.series(r).period_secs();
            usize::try_from(ceil_div(to.timestamp(), p) - ceil_div(from.timestamp(), p))
                .unwrap_or(0)
        })
        .sum();
    Ok(t)
}

/// Availability per hour over `[from, to)`, and over the event window up to `to`.
pub(crate) fn availability(
    layout: &Layout,
    state: &State,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Availability, Unjudged> {
    let c = counted(layout)?;
    let hour = 3600;
    let first = from.timestamp().div_euclid(hour) * hour;
    let mut hours = Vec::new();
    let mut h = DateTime::from_timestamp(first, 0).unwrap_or(from);
    while h < to {
        let next = h + TimeDelta::hours(1);
        hours.push((h, tally(state, &c, h.max(from), next.min(to))));
        h = next;
    }
    Ok(Availability {
        target: target(layout),
        basis: c.basis,
        hours,
        // The event so far at the end of what the recording holds: buckets after it cannot
        // have data yet.
        window: event_so_far(layout, state, to)?,
    })
}

fn ceil_div(a: i64, b: i64) -> i64 {
    -((-a).div_euclid(b.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criterion_targets_are_read_only_from_success_wording() {
        assert_eq!(
            criterion_target("99.95% of requests succeed (no 5xx) during the sale window"),
            Some(99.95)
        );
        assert_eq!(
            criterion_target("Availability of at least 99.9%"),
            Some(99.9)
        );
        assert_eq!(criterion_target("CPU under 60% all evening"), None);
        assert_eq!(criterion_target("no 5xx at all"), None);
    }
}

#[cfg(test)]
#[path = "availability_tests.rs"]
mod layout_tests;
