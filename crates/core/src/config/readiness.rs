//! The layout's optional `[readiness]` section, validated: the expected peak, the capacity each
//! tier needs at it, the event's failover tolerance, the DNS names and the checks to skip. Read
//! by `ready` (the readiness report) and by `warroom_aws::ready_aws` (what to look up).

use chrono::TimeDelta;

/// The id prefix of the watched quotas' series (`quota.ec2_vcpu`), reserved for them.
pub const QUOTA_SERIES_PREFIX: &str = "quota.";

/// Check groups and kinds `skip` may name (a check is skipped when its id starts with one).
pub(crate) const SKIPPABLE: &[&str] = &[
    "limits",
    "scaling",
    "scaling.asg",
    "scaling.ecs",
    "failover",
    "failover.tg",
    "failover.ga",
    "alarms",
    "alarms.coverage",
    "alarms.state",
    "dns",
    "dns.ttl",
    "data",
    "data.rds",
    "data.cache",
    "waf",
    "waf.count",
    "waf.rate",
    "people",
    "people.owners",
    "people.checklist",
];

/// What the event must be ready for.
#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    /// The expected peak as a multiple of the baseline traffic.
    pub(crate) peak_multiple: Option<f64>,
    /// The expected peak in requests per minute (all load balancers).
    pub(crate) peak_requests_per_minute: Option<f64>,
    /// Time from baseline to the peak: new capacity must be in service faster.
    pub(crate) ramp: Option<TimeDelta>,
    /// How long traffic may go to a dead target or region before it must move.
    pub(crate) failover_tolerance: TimeDelta,
    /// Requests per minute one legitimate client IP sends at the peak (carrier NAT included).
    pub(crate) peak_requests_per_ip: Option<f64>,
    /// Largest DNS TTL the event accepts.
    pub(crate) max_ttl: TimeDelta,
    /// DNS names whose Route 53 records are checked.
    pub(crate) dns_names: Vec<String>,
    /// Series whose thresholds are watched on the screen only (no CloudWatch alarm needed).
    pub(crate) screen_only: Vec<String>,
    /// Check ids (or groups) not run.
    pub(crate) skip: Vec<String>,
    pub(crate) tiers: Vec<Tier>,
    /// Quotas watched live as `quota.<name>` series.
    pub(crate) quotas: Vec<QuotaWatch>,
}

impl Readiness {
    /// Whether the check `id` is skipped: `skip` names it or a group it belongs to.
    pub fn skips(&self, id: &str) -> bool {
        self.skip.iter().any(|s| {
            id == s
                || id
                    .strip_prefix(s.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}

/// The kind of capacity a tier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierKind {
    /// An Auto Scaling group: capacity in instances.
    Asg,
    /// An ECS service: capacity in tasks.
    Ecs,
    /// An RDS instance: capacity in connections.
    Rds,
    /// An ElastiCache replication group: capacity in nodes.
    Cache,
}

impl TierKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            TierKind::Asg => "asg",
            TierKind::Ecs => "ecs",
            TierKind::Rds => "rds",
            TierKind::Cache => "cache",
        }
    }

    /// What `capacity` counts.
    pub fn unit(self) -> &'static str {
        match self {
            TierKind::Asg => "instances",
            TierKind::Ecs => "tasks",
            TierKind::Rds => "connections",
            TierKind::Cache => "nodes",
        }
    }
}

/// One tier of the workload and what it needs at the peak.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub(crate) id: String,
    pub(crate) kind: TierKind,
    /// ASG name, ECS service name, DB instance identifier, replication group id.
    pub(crate) name: String,
    /// The ECS cluster (ECS tiers only).
    pub(crate) cluster: Option<String>,
    pub(crate) region: String,
    pub(crate) account: String,
    /// Needed at the peak, in the kind's unit.
    pub(crate) capacity: Option<f64>,
    /// Outside the event (what to return to afterwards).
    pub(crate) normal: Option<f64>,
    /// The ASG max outside the event.
    pub(crate) normal_max: Option<f64>,
    /// The RDS `max_connections` (from its parameter group).
    pub(crate) max_connections: Option<f64>,
    /// Cost of one unit per hour (USD), when the built-in price list does not know it.
    pub(crate) hourly_cost: Option<f64>,
    /// Connections each unit (instance, task) opens to an RDS tier: (tier id, connections).
    pub(crate) uses: Vec<(String, f64)>,
    /// CPU percent of each instance at the peak (burstable credits are spent at it).
    pub(crate) peak_cpu: Option<f64>,
    /// The burstable credit mode of the tier's instances, when not the family's default.
    pub(crate) credit_mode: Option<CreditMode>,
}

/// How a burstable instance (T2, T3, T3a, T4g) pays for CPU above its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditMode {
    /// Spends its credit balance, then is held to the baseline.
    Standard,
    /// Keeps bursting, billed for surplus credits.
    Unlimited,
}

/// A quota watched live: series `id` (`quota.<quota>` by default) in `region`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaWatch {
    pub id: String,
    /// The catalogue name (`ec2_vcpu`).
    pub quota: String,
    pub region: String,
    pub account: String,
}
