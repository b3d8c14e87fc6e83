//! The web fleets of the world: every Seoul ASG instance and Virginia ECS container instance with
//! its life (launch, in service, target-health phases, termination, deregistration), from which
//! the target lists, host counts and ASG counts are read at any instant.

use crate::model::{TargetInfo, TargetState};

use super::rng;

/// A target-health phase (reason code where AWS gives one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Initial(&'static str),
    Healthy,
    Unhealthy(&'static str),
}

/// One instance (EC2 in the Seoul ASG, container instance in the Virginia ECS cluster).
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub(crate) id: String,
    pub(crate) az: &'static str,
    /// In service (ASG) and registered with the target group, seconds from T0.
    pub(crate) in_service: i64,
    /// Phases after registration, in time order.
    pub(crate) phases: Vec<(i64, Phase)>,
    /// Leaves service and starts draining.
    pub(crate) terminate: Option<i64>,
    /// Deregistered (gone from the target list).
    pub(crate) gone: Option<i64>,
}

/// Seconds an ALB keeps a deregistering target draining.
pub(crate) const DEREGISTRATION_DELAY: i64 = 60;
/// Seconds from RunInstances to InService (the source saw 32-62 s per launch).
const LAUNCH_TO_SERVICE: i64 = 40;

impl Instance {
    pub(crate) fn in_service_at(&self, t: i64) -> bool {
        t >= self.in_service && self.terminate.is_none_or(|x| t < x)
    }

    fn registered_at(&self, t: i64) -> bool {
        t >= self.in_service && self.gone.is_none_or(|x| t < x)
    }

    fn phase_at(&self, t: i64) -> Phase {
        self.phases
            .iter()
            .rev()
            .find(|(s, _)| *s <= t)
            .map_or(Phase::Initial("Elb.RegistrationInProgress"), |(_, p)| *p)
    }

    /// The target's state and reason at `t`, `None` when not registered.
    pub(crate) fn target_at(&self, t: i64) -> Option<(TargetState, Option<&'static str>)> {
        if !self.registered_at(t) {
            return None;
        }
        if self.terminate.is_some_and(|x| t >= x) {
            return Some((
                TargetState::Draining,
                Some("Target.DeregistrationInProgress"),
            ));
        }
        Some(match self.phase_at(t) {
            Phase::Initial(r) => (TargetState::Initial, Some(r)),
            Phase::Healthy => (TargetState::Healthy, None),
            Phase::Unhealthy(r) => (TargetState::Unhealthy, Some(r)),
        })
    }
}

/// A fleet behind one target group.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fleet {
    pub(crate) instances: Vec<Instance>,
}

impl Fleet {
    pub(crate) fn count(&self, t: i64, state: &TargetState) -> usize {
        self.instances
            .iter()
            .filter(|i| i.target_at(t).is_some_and(|(s, _)| &s == state))
            .count()
    }

    pub(crate) fn in_service(&self, t: i64) -> usize {
        self.instances.iter().filter(|i| i.in_service_at(t)).count()
    }

    /// Minimum healthy / maximum unhealthy over a minute, as the ALB's per-node samples give.
    pub(crate) fn minute_counts(&self, minute_start: i64) -> (usize, usize, usize) {
        let samples = (0..6).map(|k| minute_start + 5 + k * 10);
        let mut min_healthy = usize::MAX;
        let mut max_unhealthy = 0;
        let mut max_in_service = 0;
        for t in samples {
            min_healthy = min_healthy.min(self.count(t, &TargetState::Healthy));
            max_unhealthy = max_unhealthy.max(self.count(t, &TargetState::Unhealthy));
            max_in_service = max_in_service.max(self.in_service(t));
        }
        (min_healthy, max_unhealthy, max_in_service)
    }

    pub(crate) fn targets(
        &self,
        t: i64,
        port: u16,
        description: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<TargetInfo> {
        self.instances
            .iter()
            .filter_map(|i| {
                let (state, reason) = i.target_at(t)?;
                Some(TargetInfo {
                    id: i.id.clone(),
                    port: Some(port),
                    az: Some(i.az.to_string()),
                    state,
                    reason: reason.map(str::to_string),
                    description: reason.and_then(description),
                })
            })
            .collect()
    }

    /// Launches an instance at `launch`; registered at in-service, healthy `ready` s later.
    pub(crate) fn launch(
        &mut self,
        seed: u64,
        tag: &str,
        az: &'static str,
        launch: i64,
        ready: i64,
    ) -> usize {
        let idx = self.instances.len();
        let id = instance_id(seed, tag, idx);
        let in_service = launch + LAUNCH_TO_SERVICE;
        self.instances.push(Instance {
            id,
            az,
            in_service,
            phases: vec![
                (in_service, Phase::Initial("Elb.RegistrationInProgress")),
                (in_service + 10, Phase::Initial("Elb.InitialHealthChecking")),
                (in_service + ready, Phase::Healthy),
            ],
            terminate: None,
            gone: None,
        });
        idx
    }

    /// An instance already in service and healthy long before the window.
    pub(crate) fn existing(&mut self, seed: u64, tag: &str, az: &'static str) -> usize {
        self.launch(seed, tag, az, -30 * 86_400, 120)
    }

    pub(crate) fn set(&mut self, idx: usize, at: i64, phase: Phase) {
        if let Some(i) = self.instances.get_mut(idx) {
            i.phases.push((at, phase));
            i.phases.sort_by_key(|p| p.0);
        }
    }

    pub(crate) fn terminate(&mut self, idx: usize, at: i64) {
        if let Some(i) = self.instances.get_mut(idx) {
            i.terminate = Some(at);
            i.gone = Some(at + DEREGISTRATION_DELAY);
        }
    }

    pub(crate) fn indices_in(&self, az: &str) -> Vec<usize> {
        (0..self.instances.len())
            .filter(|&i| self.instances[i].az == az)
            .collect()
    }
}

/// A stable, realistic instance id (`i-0` and 16 hex digits) for the fleet's n-th instance.
fn instance_id(seed: u64, tag: &str, n: usize) -> String {
    let mut r = rng::stream(seed, &format!("instance-id:{tag}"), n as i64);
    let hi = rand::Rng::random::<u64>(&mut r);
    format!("i-0{hi:016x}")
}
