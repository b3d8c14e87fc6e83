//! Latest health snapshots in the state fold: target groups (`DescribeTargetHealth`) and Global
//! Accelerator endpoint groups, with the transition times evaluation needs (`for`, `changes`).

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::changes::{CHANGES_KEPT, Changes};
use crate::model::{GaEndpoint, GaHealth, GaSnapshot, TargetInfo, TargetState};

/// Health transitions kept per endpoint group (enough for `changes(ref, 1h)` at 30 s polls).
pub const GA_TRANSITIONS_KEPT: usize = 128;
/// Endpoint groups kept per accelerator (AWS allows far fewer).
const GA_GROUPS_KEPT: usize = 32;
/// Targets kept per target group snapshot.
const TARGETS_KEPT: usize = 1000;

/// Target counts by state, as the expression language names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetCounts {
    pub(crate) healthy: usize,
    /// `unhealthy`, `unhealthy.draining` and `unavailable`.
    pub(crate) unhealthy: usize,
    pub(crate) initial: usize,
    /// `draining` and `unhealthy.draining`.
    pub(crate) draining: usize,
    /// `unused`: registered but not serving (a stopped instance: `Target.InvalidState`; a target
    /// group no load balancer uses; an Availability Zone the load balancer does not enable).
    pub(crate) unused: usize,
    /// Every registered target, whatever its state.
    pub(crate) total: usize,
}

impl TargetCounts {
    pub(crate) fn of(targets: &[TargetInfo]) -> Self {
        let mut c = TargetCounts {
            total: targets.len(),
            ..TargetCounts::default()
        };
        for t in targets {
            match t.state {
                TargetState::Healthy => c.healthy += 1,
                TargetState::Unhealthy | TargetState::Unavailable => c.unhealthy += 1,
                TargetState::UnhealthyDraining => {
                    c.unhealthy += 1;
                    c.draining += 1;
                }
                TargetState::Initial => c.initial += 1,
                TargetState::Draining => c.draining += 1,
                TargetState::Unused => c.unused += 1,
                TargetState::Other(_) => {}
            }
        }
        c
    }
}

/// The latest `DescribeTargetHealth` of one target group.
#[derive(Debug, Clone)]
pub struct TargetGroupState {
    /// Time of the snapshot.
    pub(crate) at: DateTime<Utc>,
    pub targets: Vec<TargetInfo>,
    pub(crate) counts: TargetCounts,
    /// The counts as they changed, for how long a comparison over them has held.
    pub(crate) history: Changes<TargetCounts>,
}

impl TargetGroupState {
    pub(crate) fn new(at: DateTime<Utc>, mut targets: Vec<TargetInfo>) -> Self {
        targets.truncate(TARGETS_KEPT);
        let counts = TargetCounts::of(&targets);
        TargetGroupState {
            at,
            targets,
            counts,
            history: Changes::new(at, counts, CHANGES_KEPT),
        }
    }

    /// Applies a newer snapshot; older ones are ignored (returns false).
    pub(crate) fn update(&mut self, at: DateTime<Utc>, mut targets: Vec<TargetInfo>) -> bool {
        if at < self.at {
            return false;
        }
        targets.truncate(TARGETS_KEPT);
        let counts = TargetCounts::of(&targets);
        self.history.record(at, counts);
        self.at = at;
        self.targets = targets;
        self.counts = counts;
        true
    }

    #[cfg(test)]
    /// Targets not in the `healthy` state, for the detail view.
    pub(crate) fn not_healthy(&self) -> impl Iterator<Item = &TargetInfo> {
        self.targets
            .iter()
            .filter(|t| t.state != TargetState::Healthy)
    }
}

/// One change of an endpoint group's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub(crate) at: DateTime<Utc>,
    pub(crate) from: GaHealth,
    pub(crate) to: GaHealth,
}

/// One endpoint group of an accelerator as last seen, with its health history.
#[derive(Debug, Clone)]
pub struct GaGroupState {
    pub region: String,
    pub dial: f64,
    pub endpoints: Vec<GaEndpoint>,
    /// The group's health: UNHEALTHY if any endpoint is, HEALTHY if all are (and there is at
    /// least one), INITIAL otherwise.
    pub health: GaHealth,
    /// The health and the dial as they changed, for how long a comparison has held.
    pub(crate) healths: Changes<GaHealth>,
    pub(crate) dials: Changes<f64>,
    /// False when the latest snapshot did not list this group.
    pub(crate) present: bool,
    transitions: VecDeque<Transition>,
}

impl GaGroupState {
    /// Health transitions, oldest first (bounded to [`GA_TRANSITIONS_KEPT`]).
    pub(crate) fn transitions(&self) -> impl DoubleEndedIterator<Item = &Transition> {
        self.transitions.iter()
    }

    /// Whether any endpoint is HEALTHY.
    pub(crate) fn any_healthy(&self) -> bool {
        self.endpoints.iter().any(|e| e.health == GaHealth::Healthy)
    }
}

/// The group health rule documented on [`GaGroupState::health`].
pub fn group_health(endpoints: &[GaEndpoint]) -> GaHealth {
    if endpoints.is_empty() || endpoints.iter().any(|e| e.health == GaHealth::Unhealthy) {
        GaHealth::Unhealthy
    } else if endpoints.iter().all(|e| e.health == GaHealth::Healthy) {
        GaHealth::Healthy
    } else {
        GaHealth::Initial
    }
}

/// The latest snapshot of one accelerator.
#[derive(Debug, Clone)]
pub struct GaState {
    pub(crate) at: DateTime<Utc>,
    pub groups: Vec<GaGroupState>,
}

impl GaState {
    pub(crate) fn new(at: DateTime<Utc>) -> Self {
        GaState {
            at,
            groups: Vec::new(),
        }
    }

    pub(crate) fn group(&self, region: &str) -> Option<&GaGroupState> {
        self.groups.iter().find(|g| g.region == region)
    }

    /// Applies a snapshot at `at`; older than the latest is ignored (returns false).
    pub(crate) fn update(&mut self, at: DateTime<Utc>, snap: &GaSnapshot) -> bool {
        if at < self.at && !self.groups.is_empty() {
            return false;
        }
        self.at = at;
        for g in &mut self.groups {
            g.present = false;
        }
        for sg in snap.groups.iter().take(GA_GROUPS_KEPT) {
            let health = group_health(&sg.endpoints);
            let dial = if sg.dial.is_finite() { sg.dial } else { 0.0 };
            if let Some(g) = self.groups.iter_mut().find(|g| g.region == sg.region) {
                if g.health != health {
                    if g.transitions.len() >= GA_TRANSITIONS_KEPT {
                        g.transitions.pop_front();
                    }
                    g.transitions.push_back(Transition {
                        at,
                        from: g.health,
                        to: health,
                    });
                    g.health = health;
                    g.healths.record(at, health);
                }
                if g.dial.to_bits() != dial.to_bits() {
                    g.dial = dial;
                    g.dials.record(at, dial);
                }
                g.endpoints.clone_from(&sg.endpoints);
                g.present = true;
            } else if self.groups.len() < GA_GROUPS_KEPT {
                self.groups.push(GaGroupState {
                    region: sg.region.clone(),
                    dial,
                    endpoints: sg.endpoints.clone(),
                    health,
                    healths: Changes::new(at, health, CHANGES_KEPT),
                    dials: Changes::new(at, dial, CHANGES_KEPT),
                    present: true,
                    transitions: VecDeque::new(),
                });
            }
        }
        true
    }
}
