//! The facts the readiness checks judge, as plain data: what `warroom_aws::ready_aws` read (or a
//! test wrote by hand). No SDK types, so the checks are pure and testable without a network.
//! Anything that could not be read is a `Gap`: its checks come out yellow, "not checked".

/// A service quota in one region: its value, AWS's default, and current usage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuotaFact {
    /// Catalogue id (`ec2_vcpu`).
    pub quota: String,
    pub region: String,
    /// The applied quota value.
    pub value: Option<f64>,
    /// AWS's default value (to tell a raised quota).
    pub default: Option<f64>,
    pub usage: Option<f64>,
    /// Why value or usage is missing.
    pub error: Option<String>,
}

/// An Auto Scaling group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AsgFact {
    pub name: String,
    pub region: String,
    pub min: f64,
    pub max: f64,
    pub desired: f64,
    /// `EC2` or `ELB`.
    pub health_check_type: String,
    pub zones: Vec<String>,
    /// Seconds before a new instance counts (default instance warm-up, else the grace period).
    pub warmup: Option<i64>,
    /// Instance types of its instances (the first one is used for vCPUs and cost).
    pub instance_types: Vec<String>,
    /// The group metrics it publishes to CloudWatch (`EnabledMetrics`); empty when off.
    pub enabled_metrics: Vec<String>,
    /// The lowest CPU credit balance of its instances over the last hour (`AWS/EC2`
    /// `CPUCreditBalance`, Minimum), for burstable types.
    pub credit_balance: Option<f64>,
}

impl AsgFact {
    pub fn instance_type(&self) -> Option<&str> {
        self.instance_types.first().map(String::as_str)
    }
}

/// An ECS service.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EcsFact {
    pub cluster: String,
    pub service: String,
    pub region: String,
    pub desired: f64,
    pub running: f64,
    /// `REPLICA` or `DAEMON`.
    pub strategy: String,
}

/// A target group's health-check settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetGroupFact {
    pub name: String,
    pub region: String,
    pub interval: i64,
    pub timeout: i64,
    pub healthy_threshold: i64,
    pub unhealthy_threshold: i64,
    pub path: String,
}

/// A Global Accelerator endpoint group's health-check settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GaGroupFact {
    pub accelerator: String,
    pub region: String,
    pub interval: i64,
    pub threshold: i64,
    /// Whether its endpoints are load balancers (their health comes from the ALB's checks).
    pub alb_endpoints: bool,
    /// The port ranges of the listener the group belongs to (from, to).
    pub ports: Vec<(i32, i32)>,
    /// Its endpoints' ids (load balancer ARNs, instance ids, EIP allocations).
    pub endpoints: Vec<String>,
}

/// A load balancer that is a Global Accelerator endpoint, and its listeners.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlbFact {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// (port, protocol) of each listener.
    pub listeners: Vec<(i32, String)>,
}

/// A CloudWatch alarm on one metric.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlarmFact {
    pub name: String,
    pub region: String,
    pub namespace: String,
    pub metric: String,
    /// Sorted.
    pub dimensions: Vec<(String, String)>,
    /// `OK`, `ALARM`, `INSUFFICIENT_DATA`.
    pub state: String,
    /// Alarm actions, when actions are enabled.
    pub actions: usize,
}

/// A Route 53 record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordFact {
    pub name: String,
    pub kind: String,
    /// None for alias records.
    pub ttl: Option<i64>,
    pub alias: bool,
}

/// An RDS DB instance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RdsFact {
    pub id: String,
    pub region: String,
    pub class: String,
    pub multi_az: bool,
    pub backup_retention_days: i64,
    /// The source of a read replica.
    pub replica_of: Option<String>,
}

/// An ElastiCache replication group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CacheFact {
    pub id: String,
    pub region: String,
    /// Nodes in the group (primary included).
    pub nodes: usize,
    pub automatic_failover: bool,
    pub multi_az: bool,
}

/// A WAF rule as far as readiness cares.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WafRuleFact {
    pub name: String,
    /// Counts instead of acting (rule action or rule-group override COUNT).
    pub count_mode: bool,
    /// Rate-based rule: (limit, evaluation window in seconds).
    pub rate_limit: Option<(i64, i64)>,
}

/// A web ACL with its rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WebAclFact {
    pub name: String,
    /// The region, or `global (CloudFront)`.
    pub region: String,
    /// Web ACL capacity units in use.
    pub capacity: Option<i64>,
    pub rules: Vec<WafRuleFact>,
}

/// Something that could not be read: the checks under `prefix` are "not checked".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gap {
    /// Check id prefix it affects (`scaling.asg.BTS-AS`, `alarms`).
    pub prefix: String,
    pub detail: String,
}

/// Everything read for one readiness run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub quotas: Vec<QuotaFact>,
    pub asgs: Vec<AsgFact>,
    pub ecs: Vec<EcsFact>,
    pub target_groups: Vec<TargetGroupFact>,
    pub ga_groups: Vec<GaGroupFact>,
    pub albs: Vec<AlbFact>,
    pub alarms: Vec<AlarmFact>,
    pub records: Vec<RecordFact>,
    pub rds: Vec<RdsFact>,
    pub caches: Vec<CacheFact>,
    pub web_acls: Vec<WebAclFact>,
    pub gaps: Vec<Gap>,
}

impl Facts {
    /// Why checks under `id` could not be run, if something they need was not read.
    pub fn gap(&self, id: &str) -> Option<&Gap> {
        self.gaps.iter().find(|g| {
            id == g.prefix
                || id
                    .strip_prefix(g.prefix.as_str())
                    .is_some_and(|r| r.starts_with('.'))
        })
    }

    /// Merges the facts of another gathering (another account or region).
    pub fn extend(&mut self, o: Facts) {
        self.quotas.extend(o.quotas);
        self.asgs.extend(o.asgs);
        self.ecs.extend(o.ecs);
        self.target_groups.extend(o.target_groups);
        self.ga_groups.extend(o.ga_groups);
        self.albs.extend(o.albs);
        self.alarms.extend(o.alarms);
        self.records.extend(o.records);
        self.rds.extend(o.rds);
        self.caches.extend(o.caches);
        self.web_acls.extend(o.web_acls);
        self.gaps.extend(o.gaps);
    }
}
