//! Health group status: target groups, Global Accelerator (with the fail-open case), web ACLs,
//! alarms and log groups, each judged from its latest snapshot in the state.

use std::fmt::Write as _;

use chrono::{DateTime, TimeDelta, Utc};

use super::format::num;
use super::scalar::SNAPSHOT_STALE;
use super::threshold::SeriesStatus;
use crate::config::layout::{Accelerator, Layout, TargetGroup};
use crate::model::{AlarmState, GaHealth, Status};
use crate::store::State;

/// What kind of health group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HealthKind {
    TargetGroup,
    Accelerator,
    WebAcl,
    LogGroup,
    Alarms,
}

/// One endpoint group of an accelerator, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct GaGroupStatus {
    pub(crate) region: String,
    pub(crate) status: Status,
    /// None when the group is missing from the snapshot.
    pub(crate) health: Option<GaHealth>,
    pub(crate) dial: Option<f64>,
    /// The dial the layout expects outside an incident.
    pub expected_dial: f64,
    pub(crate) reason: String,
}

/// What every view says when no endpoint of an accelerator is healthy.
pub const GA_FAIL_OPEN: &str = "GA FAIL-OPEN: no healthy endpoints";

/// A health group judged.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthStatus {
    /// The layout id (`seoul.tg`, `ga`, `seoul.waf`, `seoul.httpd`) or `alarms`.
    pub id: String,
    pub kind: HealthKind,
    pub status: Status,
    pub reason: String,
    /// Global Accelerator only: no endpoint is healthy in any group, so GA routes to all of
    /// them (fail-open). Views must show [`GA_FAIL_OPEN`].
    pub fail_open: bool,
    /// The status by AWS region (one entry for regional resources, one per endpoint group for
    /// accelerators, one per polled region for alarms).
    pub regions: Vec<(String, Status)>,
    /// Accelerators only: each endpoint group.
    pub groups: Vec<GaGroupStatus>,
    /// Age of the snapshot judged.
    pub(crate) age: Option<TimeDelta>,
}

impl HealthStatus {
    fn new(id: &str, kind: HealthKind, status: Status, reason: String) -> Self {
        HealthStatus {
            id: id.to_string(),
            kind,
            status,
            reason,
            fail_open: false,
            regions: Vec::new(),
            groups: Vec::new(),
            age: None,
        }
    }

    fn in_region(mut self, region: &str) -> Self {
        self.regions = vec![(region.to_string(), self.status)];
        self
    }
}

fn fresh(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at >= now - SNAPSHOT_STALE
}

/// How long targets may stay draining or initial before it is no longer a scaling activity:
/// the default deregistration delay (5 minutes) and a health-check grace, with room to spare.
pub(crate) const SCALING_GRACE: TimeDelta = TimeDelta::minutes(15);

/// A target group: Red with no healthy target, Yellow with any target unhealthy or unused (a
/// stopped instance is capacity lost) or in a state it does not know; draining and initial
/// targets are a scaling activity, expected, unless they stay so for [`SCALING_GRACE`] (a
/// scaling activity that is stuck is Yellow). Unknown without a snapshot newer than three
/// minutes.
pub(crate) fn target_group(
    i: usize,
    tg: &TargetGroup,
    state: &State,
    now: DateTime<Utc>,
) -> HealthStatus {
    let Some(s) = state.target_group(i) else {
        return HealthStatus::new(
            &tg.id,
            HealthKind::TargetGroup,
            Status::Unknown,
            format!("{} no snapshot", tg.id),
        )
        .in_region(&tg.region);
    };
    let c = s.counts;
    let mut reason = format!("{} healthy {}/{}", tg.id, c.healthy, c.total);
    for (n, word) in [
        (c.unhealthy, "unhealthy"),
        (c.initial, "initial"),
        (c.draining, "draining"),
        (c.unused, "unused"),
    ] {
        if n > 0 {
            let _ = write!(reason, " {word} {n}");
        }
    }
    let status = if !fresh(s.at, now) {
        reason = format!("{} snapshot stale ({reason})", tg.id);
        Status::Unknown
    } else if c.healthy == 0 {
        Status::Red
    } else if c.unhealthy > 0
        || c.unused > 0
        || c.healthy + c.unhealthy + c.initial + c.draining + c.unused < c.total
    {
        Status::Yellow
    } else if stuck_scaling(s, now) {
        let _ = write!(
            reason,
            ": scaling for over {}m",
            SCALING_GRACE.num_minutes()
        );
        Status::Yellow
    } else {
        Status::Green
    };
    let mut h =
        HealthStatus::new(&tg.id, HealthKind::TargetGroup, status, reason).in_region(&tg.region);
    h.age = Some(now - s.at);
    h
}

/// Targets initial (or draining) without a break for longer than [`SCALING_GRACE`]: a count
/// that changes while it stays above zero (3 draining becoming 2) is one scaling activity.
fn stuck_scaling(s: &crate::store::TargetGroupState, now: DateTime<Utc>) -> bool {
    let stuck = |since: Option<DateTime<Utc>>| since.is_some_and(|t| now - t > SCALING_GRACE);
    stuck(s.history.held_since(|c| c.initial > 0))
        || stuck(s.history.held_since(|c| c.draining > 0))
}

/// An accelerator: per endpoint group UNHEALTHY is Red, INITIAL or a dial other than the
/// layout's is Yellow ("manual override"); no healthy endpoint anywhere is Red and fail-open.
pub(crate) fn accelerator(
    i: usize,
    acc: &Accelerator,
    state: &State,
    now: DateTime<Utc>,
) -> HealthStatus {
    let unknown = |why: &str| {
        let mut h = HealthStatus::new(
            &acc.id,
            HealthKind::Accelerator,
            Status::Unknown,
            format!("{} {why}", acc.id),
        );
        h.regions = acc
            .endpoint_groups
            .iter()
            .map(|g| (g.region.clone(), Status::Unknown))
            .collect();
        h
    };
    let Some(s) = state.accelerator(i) else {
        return unknown("no snapshot");
    };
    if !fresh(s.at, now) {
        let mut h = unknown("snapshot stale");
        h.age = Some(now - s.at);
        return h;
    }
    let mut groups = Vec::new();
    let defs = acc
        .endpoint_groups
        .iter()
        .map(|d| (d.region.as_str(), d.dial));
    let extra = s
        .groups
        .iter()
        .filter(|g| g.present && !acc.endpoint_groups.iter().any(|d| d.region == g.region))
        .map(|g| (g.region.as_str(), 100.0));
    for (region, expected) in defs.chain(extra) {
        let g = s.group(region).filter(|g| g.present);
        let (status, reason) = ga_group_status(region, g, expected);
        groups.push(GaGroupStatus {
            region: region.to_string(),
            status,
            health: g.map(|g| g.health),
            dial: g.map(|g| g.dial),
            expected_dial: expected,
            reason,
        });
    }
    let fail_open = !s.groups.iter().any(|g| g.present && g.any_healthy());
    let status = if fail_open {
        Status::Red
    } else {
        Status::worst(groups.iter().map(|g| g.status))
    };
    let reason = if fail_open {
        GA_FAIL_OPEN.to_string()
    } else {
        let worst: Vec<&str> = groups
            .iter()
            .filter(|g| g.status == status)
            .map(|g| g.reason.as_str())
            .collect();
        format!("{} {}", acc.id, worst.join(", "))
    };
    let mut h = HealthStatus::new(&acc.id, HealthKind::Accelerator, status, reason);
    h.fail_open = fail_open;
    h.regions = groups
        .iter()
        .map(|g| {
            (
                g.region.clone(),
                if fail_open { Status::Red } else { g.status },
            )
        })
        .collect();
    h.groups = groups;
    h.age = Some(now - s.at);
    h
}

/// One endpoint group's status against the dial the layout expects, and why.
fn ga_group_status(
    region: &str,
    g: Option<&crate::store::GaGroupState>,
    expected: f64,
) -> (Status, String) {
    match g {
        None => (Status::Yellow, format!("{region} not in snapshot")),
        Some(g) if g.health == GaHealth::Unhealthy => (Status::Red, format!("{region} UNHEALTHY")),
        Some(g) if g.health == GaHealth::Initial => (Status::Yellow, format!("{region} INITIAL")),
        Some(g) if (g.dial - expected).abs() > 1e-9 => (
            Status::Yellow,
            format!(
                "{region} dial {} (expected {}): manual override",
                num(g.dial),
                num(expected)
            ),
        ),
        Some(g) => (
            Status::Green,
            format!("{region} HEALTHY dial {}", num(g.dial)),
        ),
    }
}

/// A web ACL: the worst of its series (those reading its `WebACL` dimension, and math over
/// them), Green when it has none.
pub(crate) fn web_acl(
    layout: &Layout,
    i: usize,
    members: &[usize],
    series: &[SeriesStatus],
    state: &State,
    now: DateTime<Utc>,
) -> HealthStatus {
    let acl = &layout.web_acls[i];
    let worst = members
        .iter()
        .filter_map(|&m| series.get(m).map(|s| (m, s)))
        .max_by_key(|(m, s)| (s.status, std::cmp::Reverse(*m)));
    let (status, reason) = match worst {
        Some((_, s)) => (s.status, s.words.clone()),
        None => (Status::Green, format!("{} no series", acl.id)),
    };
    let mut h =
        HealthStatus::new(&acl.id, HealthKind::WebAcl, status, reason).in_region(&acl.region);
    h.age = state.waf(i).map(|w| now - w.at);
    h
}

/// A log group: Green once it has data, Unknown before.
pub(crate) fn log_group(
    layout: &Layout,
    i: usize,
    state: &State,
    now: DateTime<Utc>,
) -> HealthStatus {
    let lg = &layout.log_groups[i];
    let g = state.log_group(i);
    let at = g.and_then(|g| g.at);
    let (status, reason) = match (at, g.and_then(crate::store::LogGroupState::latest_count)) {
        (None, _) => (Status::Unknown, format!("{} no data", lg.id)),
        (Some(_), Some((_, n))) => (Status::Green, format!("{} {n} errors/min", lg.id)),
        // No count came back: unknown is not zero.
        (Some(_), None) => (Status::Green, format!("{} error count unknown", lg.id)),
    };
    let mut h =
        HealthStatus::new(&lg.id, HealthKind::LogGroup, status, reason).in_region(&lg.region);
    h.age = at.map(|a| now - a);
    h
}

/// Alarms: Red when any alarm is in ALARM; Unknown for a region of the layout not polled in
/// the last three minutes.
pub(crate) fn alarms(layout: &Layout, state: &State, now: DateTime<Utc>) -> HealthStatus {
    let book = state.alarms();
    let mut regions: Vec<(String, Status)> = Vec::new();
    for r in &layout.alarms.regions {
        let status = match book.polled(r) {
            Some(p) if fresh(p, now) => {
                if book.firing().any(|a| a.region == *r) {
                    Status::Red
                } else {
                    Status::Green
                }
            }
            _ => Status::Unknown,
        };
        regions.push((r.clone(), status));
    }
    let firing: Vec<&str> = book.firing().map(|a| a.info.name.as_str()).collect();
    let mut status = Status::worst(regions.iter().map(|r| r.1));
    if !firing.is_empty() {
        status = Status::Red;
    }
    let reason = if !firing.is_empty() {
        format!("ALARM: {}", firing.join(", "))
    } else if status == Status::Unknown {
        "alarms not polled".to_string()
    } else {
        let insufficient = book
            .iter()
            .filter(|a| a.info.state == AlarmState::InsufficientData)
            .count();
        format!("no alarm firing ({insufficient} with insufficient data)")
    };
    let mut h = HealthStatus::new("alarms", HealthKind::Alarms, status, reason);
    h.regions = regions;
    h.age = book.oldest_poll().map(|p| now - p);
    h
}
