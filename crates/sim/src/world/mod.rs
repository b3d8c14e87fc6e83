//! The HYBRID-BTS world: the true state of the workload as a pure function of (scenario, seed,
//! time). Per minute: traffic, routing, WAF accounting, errors, hosts, CPU, data tier; per
//! instant: targets, Global Accelerator, alarms. Queried by AWS identity (`query`), so a later
//! AWS-wire-protocol endpoint can serve the same world.

mod alarms;
mod catalog;
mod ga;
mod logs;
mod minute;
mod query;
mod ready;
mod waf;

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::model::{AlarmInfo, AlarmState, GaHealth, TargetInfo};

use super::rng;
use super::scenario::Scenario;
use super::script::Script;

pub use catalog::{AcceleratorRes, MetricRes, TargetGroupRes, WebAclRes};
pub(crate) use minute::Minute;
pub(crate) use ready::GROUP_METRICS;
pub use ready::{AlarmMeta, AsgState, QuotaState, RuleState, ZONE_ID, ZONE_NAME};

/// One Global Accelerator endpoint group as `DescribeEndpointGroup` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct GaGroupState {
    pub region: String,
    /// `EndpointId`: the ARN of the load balancer behind the group.
    pub endpoint: String,
    pub dial: f64,
    pub weight: u32,
    pub health: GaHealth,
}

/// The simulated account (the source report's) and the ARN prefix of its load balancers.
const ACCOUNT: &str = "489851543453";
const ALB_ARN: &str = "arn:aws:elasticloadbalancing:";

/// Which web site (region) a query is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SiteId {
    Seoul,
    Virginia,
}

/// Entries each memo table keeps; past that it starts over (the values are pure functions, so
/// only time is lost), so a client walking years of minutes cannot grow memory without bound.
const MEMO_KEPT: usize = 200_000;

/// One alarm state change (`DescribeAlarmHistory`'s `StateUpdate`).
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmChange {
    pub(crate) at: DateTime<Utc>,
    pub name: String,
    pub(crate) from: AlarmState,
    pub(crate) to: AlarmState,
    pub(crate) reason: String,
}

/// The simulated world. Cheap to query; minutes and latency samples are memoised.
pub struct World {
    scenario: Scenario,
    seed: u64,
    t0: DateTime<Utc>,
    tz: Tz,
    script: Script,
    alarms: Vec<alarms::AlarmTrack>,
    minutes: RefCell<BTreeMap<i64, Minute>>,
    latency: RefCell<BTreeMap<(SiteId, i64, u32), Option<f64>>>,
}

impl World {
    /// The world of `scenario` with noise from `seed`; T0 (the drop) at `t0`; log lines stamped in
    /// `tz` like Apache does.
    pub fn new(scenario: Scenario, seed: u64, t0: DateTime<Utc>, tz: Tz) -> Self {
        let script = Script::new(scenario, seed);
        let mut w = World {
            scenario,
            seed,
            t0,
            tz,
            script,
            alarms: Vec::new(),
            minutes: RefCell::new(BTreeMap::new()),
            latency: RefCell::new(BTreeMap::new()),
        };
        w.alarms = alarms::tracks(&w);
        w
    }

    pub(crate) fn scenario(&self) -> Scenario {
        self.scenario
    }

    /// Seconds from T0.
    pub(crate) fn rel(&self, at: DateTime<Utc>) -> i64 {
        (at - self.t0).num_seconds()
    }

    pub(crate) fn abs(&self, rel: i64) -> DateTime<Utc> {
        self.t0 + TimeDelta::seconds(rel)
    }

    pub(crate) fn script(&self) -> &Script {
        &self.script
    }

    /// The true state of the minute starting `m` minutes after T0.
    pub(crate) fn minute(&self, m: i64) -> Minute {
        if let Some(x) = self.minutes.borrow().get(&m) {
            return *x;
        }
        let x = minute::compute(&self.script, self.seed, m);
        let mut memo = self.minutes.borrow_mut();
        if memo.len() >= MEMO_KEPT {
            memo.clear();
        }
        memo.insert(m, x);
        x
    }

    /// The `q`-th percentile (0-100) of target response time in minute `m`: the percentile of a
    /// sample of log-normal request latencies, `None` when no request reached a target.
    pub(crate) fn latency_percentile(&self, site: SiteId, m: i64, q: f64) -> Option<f64> {
        let key = (site, m, (q * 100.0).round() as u32);
        if let Some(x) = self.latency.borrow().get(&key) {
            return *x;
        }
        let x =
            minute::latency_sample_percentile(&self.script, self.seed, &self.minute(m), site, m, q);
        let mut memo = self.latency.borrow_mut();
        if memo.len() >= MEMO_KEPT {
            memo.clear();
        }
        memo.insert(key, x);
        x
    }

    /// `DescribeTargetHealth` of a target group, by target-group or load-balancer name.
    pub fn target_health(&self, tg_or_lb: &str, at: DateTime<Utc>) -> Option<Vec<TargetInfo>> {
        let t = self.rel(at);
        let desc = |r: &str| {
            Some(
                match r {
                    "Target.Timeout" => "Request timed out",
                    "Target.ResponseCodeMismatch" => "Health checks failed with these codes: [500]",
                    "Elb.InitialHealthChecking" => "Initial health checks in progress",
                    "Elb.RegistrationInProgress" => "Target registration is in progress",
                    "Target.DeregistrationInProgress" => "Target deregistration is in progress",
                    _ => return None,
                }
                .to_string(),
            )
        };
        match tg_or_lb {
            "BTS-tg" | "BTS-ALB" => Some(self.script.seoul.targets(t, 80, &desc)),
            "WEB-tg" | "WEB-ALB" => Some(self.script.virginia.targets(t, 80, &desc)),
            _ => None,
        }
    }

    /// Every endpoint group of the accelerator at `at`.
    pub fn ga_groups(&self, at: DateTime<Utc>) -> Vec<GaGroupState> {
        let t = self.rel(at);
        vec![
            GaGroupState {
                region: "ap-northeast-2".into(),
                endpoint: format!(
                    "{ALB_ARN}ap-northeast-2:{ACCOUNT}:loadbalancer/app/BTS-ALB/50dc6c495c0c9188"
                ),
                dial: self.script.dial_seoul.at(t),
                weight: 128,
                health: self.script.ga_seoul.at(t),
            },
            GaGroupState {
                region: "us-east-1".into(),
                endpoint: format!(
                    "{ALB_ARN}us-east-1:{ACCOUNT}:loadbalancer/app/WEB-ALB/8e2a7c41b96d03f5"
                ),
                dial: 100.0,
                weight: 128,
                health: self.script.ga_virginia.at(t),
            },
        ]
    }

    /// `DescribeAlarms` of a region at `at`: every alarm with its state and when it last changed.
    pub fn alarms(&self, region: &str, at: DateTime<Utc>) -> Vec<AlarmInfo> {
        let t = self.rel(at);
        self.alarms
            .iter()
            .filter(|a| a.region == region)
            .map(|a| a.info_at(self, t))
            .collect()
    }

    /// `DescribeAlarmHistory` of a region: every state change in `[from, to)`, oldest first, as
    /// (when, name, old state, new state, reason).
    pub fn alarm_history(
        &self,
        region: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<AlarmChange> {
        let (a, b) = (self.rel(from), self.rel(to));
        let mut out: Vec<AlarmChange> = self
            .alarms
            .iter()
            .filter(|t| t.region == region)
            .flat_map(|t| {
                let mut old = AlarmState::Ok;
                t.changes.iter().filter_map(move |(at, state, reason)| {
                    let from_state = std::mem::replace(&mut old, *state);
                    (a..b).contains(at).then(|| AlarmChange {
                        at: self.abs(*at),
                        name: t.name.to_string(),
                        from: from_state,
                        to: *state,
                        reason: reason.clone(),
                    })
                })
            })
            .collect();
        out.sort_by(|x, y| x.at.cmp(&y.at).then(x.name.cmp(&y.name)));
        out
    }

    /// True while CloudWatch returns no datapoints at all (the stale-data variant).
    pub(crate) fn metrics_outage(&self, at: DateTime<Utc>) -> bool {
        let t = self.rel(at);
        self.script
            .metrics_outage
            .is_some_and(|(a, b)| t >= a && t < b)
    }

    /// When the scripted CloudWatch outage began, if the script has one.
    pub(crate) fn metrics_outage_start(&self) -> Option<DateTime<Utc>> {
        let (a, _) = self.script.metrics_outage?;
        Some(self.t0 + TimeDelta::seconds(a))
    }

    /// Scripted operator actions in `[from, to)`: (time, annotation).
    pub(crate) fn operator_actions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, String)> {
        let (a, b) = (self.rel(from), self.rel(to));
        self.script
            .operator
            .iter()
            .filter(|(t, _)| *t >= a && *t < b)
            .map(|(t, s)| (self.abs(*t), s.clone()))
            .collect()
    }

    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    pub(crate) fn tz(&self) -> Tz {
        self.tz
    }

    /// A uniform draw of the stream `name` at `key`, for the observation layer.
    pub(crate) fn unit(&self, name: &str, key: i64) -> f64 {
        rng::unit(self.seed, name, key)
    }
}

/// Minute index (floor) of a time relative to T0.
pub(crate) fn minute_of(rel: i64) -> i64 {
    rel.div_euclid(60)
}
