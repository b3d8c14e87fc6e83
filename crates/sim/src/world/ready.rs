//! What the HYBRID-BTS world shows the readiness calls (`warroom ready` through `sim serve`):
//! the Auto Scaling group over time (min/desired/max 2/2/4, the scheduled 6/8/12 at T-30m, 10
//! desired from T+1m, back to 2/2/4 at T+2h), the Virginia ECS service (2 DAEMON tasks, 6 once
//! the operator scales the hosts at T+15m in the collapse scenarios, never scaled back), the
//! data tier, DNS records, health-check settings, WAF rules, service quotas and vCPU usage,
//! and the metric each alarm watches. Numbers are simulator parameters, not measurements.

use chrono::{DateTime, Utc};

use super::World;
use crate::script::Peak;

/// An Auto Scaling group as `DescribeAutoScalingGroups` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AsgState {
    pub(crate) name: &'static str,
    pub(crate) region: &'static str,
    pub(crate) min: u32,
    pub(crate) max: u32,
    pub(crate) desired: u32,
    pub(crate) health_check_type: &'static str,
    pub(crate) grace: u32,
    pub(crate) warmup: u32,
    pub(crate) zones: [&'static str; 2],
    pub(crate) instance_type: &'static str,
    /// Whether the group publishes its group metrics (`EnabledMetrics`).
    pub(crate) group_metrics: bool,
}

/// The group metrics an Auto Scaling group publishes when collection is on.
pub(crate) const GROUP_METRICS: [&str; 4] = [
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupMaxSize",
    "GroupMinSize",
];

/// An ECS service.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EcsState {
    pub(crate) cluster: &'static str,
    pub(crate) service: &'static str,
    pub(crate) region: &'static str,
    pub(crate) desired: u32,
    pub(crate) running: u32,
    pub(crate) strategy: &'static str,
}

/// An RDS DB instance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DbState {
    pub(crate) id: &'static str,
    pub(crate) region: &'static str,
    pub(crate) class: &'static str,
    pub(crate) multi_az: bool,
    pub(crate) backup_days: u32,
    pub(crate) replica_of: Option<&'static str>,
    pub(crate) zone: &'static str,
}

/// An ElastiCache replication group.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CacheState {
    pub(crate) id: &'static str,
    pub(crate) region: &'static str,
    pub(crate) members: [&'static str; 2],
    pub(crate) automatic_failover: bool,
}

/// A Route 53 record: (name, type, TTL or alias target).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordState {
    pub(crate) name: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) ttl: Option<u32>,
    pub(crate) value: &'static str,
    pub(crate) alias: bool,
}

/// A WAF rule: managed rule group, or the rate-based rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleState {
    pub(crate) name: &'static str,
    pub(crate) priority: u32,
    /// Managed rule group name, for a rule-group reference.
    pub(crate) group: Option<&'static str>,
    pub(crate) count: bool,
    /// (limit, evaluation window in seconds) of a rate-based rule.
    pub(crate) rate: Option<(u32, u32)>,
}

/// A service quota: (service, code, name, applied value, AWS default, has a usage metric).
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaState {
    pub(crate) service: &'static str,
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) value: f64,
    pub(crate) default: f64,
    pub(crate) usage_metric: bool,
}

/// The metric an alarm watches and its actions.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmMeta {
    pub(crate) namespace: &'static str,
    pub(crate) metric: &'static str,
    pub(crate) dimensions: Vec<(&'static str, &'static str)>,
    pub(crate) actions: Vec<&'static str>,
}

/// Instances outside the Auto Scaling group (bastions and others), one vCPU each.
const OTHER_SEOUL_VCPUS: f64 = 4.0;
const ADMIN_TOPIC: &str = "arn:aws:sns:ap-northeast-2:489851543453:admin_alert";
pub const ZONE_ID: &str = "Z0HYBRIDBTS0001";
pub const ZONE_NAME: &str = "hybridbts.com";

// Some readiness facts are fixed for every scenario (the data tier, DNS, quotas): asked of the
// world all the same, beside the ones that move with it.
#[allow(clippy::unused_self)]
impl World {
    pub(crate) fn asgs(&self, at: DateTime<Utc>) -> Vec<AsgState> {
        let t = self.rel(at);
        let s = self.script();
        let min = if (-1800..7200).contains(&t) { 6 } else { 2 };
        vec![AsgState {
            name: "BTS-AS",
            region: "ap-northeast-2",
            min,
            max: s.asg_max.at(t) as u32,
            desired: s.asg_desired.at(t) as u32,
            health_check_type: "EC2",
            grace: 300,
            warmup: 300,
            zones: ["ap-northeast-2a", "ap-northeast-2c"],
            instance_type: "t2.micro",
            // Turned on with the scheduled scale-out at T-30m, as the runbook's prep asks.
            group_metrics: t >= -1800,
        }]
    }

    /// The listeners of a load balancer: (port, protocol). WEB-ALB has no HTTPS listener, so
    /// the accelerator's 443 has nothing to reach in Virginia.
    pub(crate) fn alb_listeners(&self, load_balancer: &str) -> Vec<(u16, &'static str)> {
        match load_balancer {
            "BTS-ALB" => vec![(80, "HTTP"), (443, "HTTPS")],
            _ => vec![(80, "HTTP")],
        }
    }

    pub(crate) fn ecs_services(&self, at: DateTime<Utc>) -> Vec<EcsState> {
        let scaled = self.script().peak != Peak::Calm && self.rel(at) >= 15 * 60;
        let n = if scaled { 6 } else { 2 };
        vec![EcsState {
            cluster: "WEB-BTS-CLUSTER",
            service: "service",
            region: "us-east-1",
            desired: n,
            running: n,
            strategy: "DAEMON",
        }]
    }

    pub(crate) fn db_instances(&self) -> Vec<DbState> {
        vec![
            DbState {
                id: "bts-rds-db",
                region: "ap-northeast-2",
                class: "db.t2.micro",
                multi_az: true,
                backup_days: 7,
                replica_of: None,
                zone: "ap-northeast-2a",
            },
            DbState {
                id: "bts-rds-db-replica",
                region: "us-east-1",
                class: "db.t2.micro",
                multi_az: false,
                backup_days: 0,
                replica_of: Some("arn:aws:rds:ap-northeast-2:489851543453:db:bts-rds-db"),
                zone: "us-east-1a",
            },
        ]
    }

    pub(crate) fn cache_groups(&self) -> Vec<CacheState> {
        vec![CacheState {
            id: "bts-redis",
            region: "ap-northeast-2",
            members: ["bts-redis-001", "bts-redis-002"],
            automatic_failover: true,
        }]
    }

    /// The records of the `hybridbts.com` zone, in Route 53's order.
    pub(crate) fn records(&self) -> Vec<RecordState> {
        let ga = "a097a8c9419edff57.awsglobalaccelerator.com.";
        vec![
            RecordState {
                name: "hybridbts.com.",
                kind: "A",
                ttl: None,
                value: ga,
                alias: true,
            },
            RecordState {
                name: "hybridbts.com.",
                kind: "NS",
                ttl: Some(172_800),
                value: "ns-1.awsdns-00.com.",
                alias: false,
            },
            RecordState {
                name: "kr.hybridbts.com.",
                kind: "CNAME",
                ttl: Some(300),
                value: "www.hybridbts.com.",
                alias: false,
            },
            RecordState {
                name: "www.hybridbts.com.",
                kind: "A",
                ttl: None,
                value: ga,
                alias: true,
            },
        ]
    }

    /// Health-check settings of a target group: (interval, timeout, healthy, unhealthy, path).
    pub(crate) fn health_check(&self, target_group: &str) -> (u32, u32, u32, u32, &'static str) {
        match target_group {
            "WEB-tg" => (30, 10, 5, 5, "/"),
            _ => (30, 5, 5, 2, "/index.php"),
        }
    }

    /// The rules of a web ACL at `at` and its capacity units.
    pub(crate) fn web_acl_rules(&self, acl: &str, at: DateTime<Utc>) -> (Vec<RuleState>, u32) {
        let managed = |name, priority| RuleState {
            name,
            priority,
            group: Some(name),
            count: false,
            rate: None,
        };
        let raised =
            self.scenario() == crate::Scenario::WafFalsePositive && self.rel(at) >= 14 * 60;
        let rate = |count| RuleState {
            name: "BTS-RateLimit-PerIP",
            priority: 0,
            group: None,
            count,
            rate: Some((if raised { 2000 } else { 300 }, 60)),
        };
        if acl == "BTS-CloudFront-WebACL" {
            return (
                vec![
                    managed("AWSManagedRulesAmazonIpReputationList", 1),
                    managed("AWSManagedRulesCommonRuleSet", 2),
                ],
                725,
            );
        }
        // Every ALB's rate rule blocks: the world's WAF metrics count its blocks in both
        // regions (BlockedRequests by BTS-RateLimit-PerIP), so readiness says BLOCK too.
        let mut rules = vec![rate(false)];
        for (i, g) in [
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesPHPRuleSet",
            "AWSManagedRulesSQLiRuleSet",
            "AWSManagedRulesWordPressRuleSet",
        ]
        .into_iter()
        .enumerate()
        {
            rules.push(managed(g, i as u32 + 1));
        }
        (rules, 1327)
    }

    /// The quotas of `service` in `region`.
    pub(crate) fn quotas(&self, service: &str, region: &str) -> Vec<QuotaState> {
        let q = |code, name, value, default, usage_metric| QuotaState {
            service: "",
            code,
            name,
            value,
            default,
            usage_metric,
        };
        let mut out = match service {
            "ec2" => {
                let applied = if region == "ap-northeast-2" {
                    64.0
                } else {
                    32.0
                };
                vec![q(
                    "L-1216C47A",
                    "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
                    applied,
                    32.0,
                    true,
                )]
            }
            "elasticloadbalancing" => vec![
                q(
                    "L-53DA6B97",
                    "Application Load Balancers per Region",
                    50.0,
                    50.0,
                    false,
                ),
                q(
                    "L-B22855CB",
                    "Target Groups per Region",
                    3000.0,
                    3000.0,
                    false,
                ),
            ],
            "autoscaling" => vec![q(
                "L-CDE20ADC",
                "Auto Scaling groups per region",
                500.0,
                500.0,
                false,
            )],
            "wafv2" => vec![q(
                "L-47B46A7D",
                "Maximum web ACLs per account in WAF for regional",
                100.0,
                100.0,
                false,
            )],
            "rds" => vec![q("L-7B6409FD", "DB instances", 40.0, 40.0, false)],
            "globalaccelerator" if region == "us-east-1" => {
                vec![q(
                    "L-0F8B1E23",
                    "Standard accelerators per account",
                    20.0,
                    20.0,
                    false,
                )]
            }
            _ => Vec::new(),
        };
        let service: &'static str = match service {
            "ec2" => "ec2",
            "elasticloadbalancing" => "elasticloadbalancing",
            "autoscaling" => "autoscaling",
            "wafv2" => "wafv2",
            "rds" => "rds",
            _ => "globalaccelerator",
        };
        for x in &mut out {
            x.service = service;
        }
        out
    }

    /// The quota the `AWS/Usage` vCPU metric of `region` is measured against
    /// (`SERVICE_QUOTA()`): the applied On-Demand Standard vCPU quota.
    pub(crate) fn vcpu_quota(&self, region: &str) -> Option<f64> {
        self.quotas("ec2", region)
            .into_iter()
            .find(|q| q.usage_metric)
            .map(|q| q.value)
    }

    /// On-Demand Standard vCPUs running in `region` at `at` (the `AWS/Usage` metric).
    pub(crate) fn vcpu_usage(&self, region: &str, at: DateTime<Utc>) -> Option<f64> {
        match region {
            "ap-northeast-2" => {
                Some(self.script().asg_desired.at(self.rel(at)) + OTHER_SEOUL_VCPUS)
            }
            "us-east-1" => Some(f64::from(self.ecs_services(at)[0].desired)),
            _ => None,
        }
    }

    /// What an alarm watches and whom it tells.
    pub(crate) fn alarm_meta(&self, name: &str) -> Option<AlarmMeta> {
        Some(match name {
            "alert" => AlarmMeta {
                namespace: "AWS/AutoScaling",
                metric: "GroupInServiceInstances",
                dimensions: vec![("AutoScalingGroupName", "BTS-AS")],
                actions: vec![ADMIN_TOPIC],
            },
            "BTS-Virginia-ECS-CPU-High" => AlarmMeta {
                namespace: "AWS/ECS",
                metric: "CPUUtilization",
                dimensions: vec![
                    ("ClusterName", "WEB-BTS-CLUSTER"),
                    ("ServiceName", "service"),
                ],
                actions: vec![ADMIN_TOPIC],
            },
            "BTS-RDS-Failover" => AlarmMeta {
                namespace: "AWS/RDS",
                metric: "DatabaseConnections",
                dimensions: vec![("DBInstanceIdentifier", "bts-rds-db")],
                actions: vec![ADMIN_TOPIC],
            },
            _ => return None,
        })
    }
}
