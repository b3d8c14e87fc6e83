//! What the readiness checks know without asking AWS: the service quotas they read (service
//! and quota codes, how usage is counted), vCPUs per instance size and a short On-Demand price
//! list for the cost of what an event leaves behind. Pure data, no SDK types.

/// How a quota's usage is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// The quota's `AWS/Usage` metric, read with `SERVICE_QUOTA()` metric math.
    Metric,
    /// Counted from the service's own list call.
    Counted,
}

/// One service quota the checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaDef {
    /// warroom's name: `ec2_vcpu`, used in `quota.<name>` and check ids.
    pub id: &'static str,
    /// Service Quotas `ServiceCode`.
    pub service: &'static str,
    /// Service Quotas `QuotaCode`; empty when the quota is found by `name` in
    /// `ListServiceQuotas`.
    pub code: &'static str,
    /// The quota's name in Service Quotas.
    pub name: &'static str,
    pub(crate) label: &'static str,
    pub usage: Usage,
    /// The region Service Quotas answers in for a global service.
    pub(crate) global_region: Option<&'static str>,
}

/// EC2's `AWS/Usage` metric for running On-Demand Standard instances, in vCPUs.
pub const EC2_VCPU_USAGE_DIMENSIONS: [(&str, &str); 4] = [
    ("Service", "EC2"),
    ("Type", "Resource"),
    ("Resource", "vCPU"),
    ("Class", "Standard/OnDemand"),
];

pub(crate) const QUOTAS: &[QuotaDef] = &[
    QuotaDef {
        id: "ec2_vcpu",
        service: "ec2",
        code: "L-1216C47A",
        name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
        label: "EC2 On-Demand vCPUs",
        usage: Usage::Metric,
        global_region: None,
    },
    QuotaDef {
        id: "alb",
        service: "elasticloadbalancing",
        code: "L-53DA6B97",
        name: "Application Load Balancers per Region",
        label: "Application Load Balancers",
        usage: Usage::Counted,
        global_region: None,
    },
    QuotaDef {
        id: "target_groups",
        service: "elasticloadbalancing",
        code: "L-B22855CB",
        name: "Target Groups per Region",
        label: "Target groups",
        usage: Usage::Counted,
        global_region: None,
    },
    QuotaDef {
        id: "asg",
        service: "autoscaling",
        code: "L-CDE20ADC",
        name: "Auto Scaling groups per region",
        label: "Auto Scaling groups",
        usage: Usage::Counted,
        global_region: None,
    },
    QuotaDef {
        id: "waf_web_acls",
        service: "wafv2",
        code: "",
        name: "Maximum web ACLs per account in WAF for regional",
        label: "WAF web ACLs (regional)",
        usage: Usage::Counted,
        global_region: None,
    },
    QuotaDef {
        id: "rds_instances",
        service: "rds",
        code: "L-7B6409FD",
        name: "DB instances",
        label: "RDS DB instances",
        usage: Usage::Counted,
        global_region: None,
    },
    QuotaDef {
        id: "ga_accelerators",
        service: "globalaccelerator",
        code: "",
        name: "Standard accelerators per account",
        label: "Global Accelerator accelerators",
        usage: Usage::Counted,
        global_region: Some("us-east-1"),
    },
];

pub fn quota(id: &str) -> Option<&'static QuotaDef> {
    QUOTAS.iter().find(|q| q.id == id)
}

/// Quotas whose usage can be watched live (they have an `AWS/Usage` metric).
pub(crate) fn watchable() -> impl Iterator<Item = &'static QuotaDef> {
    QUOTAS.iter().filter(|q| q.usage == Usage::Metric)
}

/// vCPUs of an instance type, from its size (`t2.micro` 1, `m5.large` 2, `c5.4xlarge` 16).
pub(crate) fn vcpus(instance_type: &str) -> Option<f64> {
    let (family, size) = instance_type.split_once('.')?;
    let n = match size {
        "nano" | "micro" | "small" if family == "t2" => 1.0,
        "nano" | "micro" | "small" | "medium" | "large" => 2.0,
        "xlarge" => 4.0,
        _ => 4.0 * size.strip_suffix("xlarge")?.parse::<f64>().ok()?,
    };
    Some(n)
}

/// What a burstable instance type earns and holds in CPU credits (one credit: one vCPU at
/// 100 % for a minute), from AWS's table of credits earned per hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Burst {
    pub(crate) vcpus: f64,
    pub(crate) earned_per_hour: f64,
    pub(crate) max_balance: f64,
    /// Credits a new instance starts with in standard mode (T2: 30 per vCPU; T3, T3a and T4g
    /// none).
    pub(crate) launch_credits: f64,
    /// The family's default mode is standard (T2); T3, T3a and T4g default to unlimited.
    pub(crate) standard_by_default: bool,
}

/// The credits of a burstable type (T2, T3, T3a, T4g), `None` for any other type.
pub(crate) fn burst(instance_type: &str) -> Option<Burst> {
    let (family, size) = instance_type.split_once('.')?;
    let t2 = family == "t2";
    if !t2 && !matches!(family, "t3" | "t3a" | "t4g") {
        return None;
    }
    let (vcpus, earned) = match (t2, size) {
        (true, "nano") => (1.0, 3.0),
        (true, "micro") => (1.0, 6.0),
        (true, "small") => (1.0, 12.0),
        (true, "medium") | (false, "small" | "medium") => (2.0, 24.0),
        (_, "large") => (2.0, 36.0),
        (true, "xlarge") => (4.0, 54.0),
        (true, "2xlarge") => (8.0, 81.6),
        (false, "nano") => (2.0, 6.0),
        (false, "micro") => (2.0, 12.0),
        (false, "xlarge") => (4.0, 96.0),
        (false, "2xlarge") => (8.0, 192.0),
        _ => return None,
    };
    Some(Burst {
        vcpus,
        earned_per_hour: earned,
        max_balance: earned * 24.0,
        launch_credits: if t2 { 30.0 * vcpus } else { 0.0 },
        standard_by_default: t2,
    })
}

/// On-Demand Linux list price per hour in us-east-1 (USD); other regions differ by a few tens
/// of percent, so costs built on it are estimates.
const PRICES: &[(&str, f64)] = &[
    ("t2.micro", 0.0116),
    ("t2.small", 0.023),
    ("t2.medium", 0.0464),
    ("t2.large", 0.0928),
    ("t3.micro", 0.0104),
    ("t3.small", 0.0208),
    ("t3.medium", 0.0416),
    ("t3.large", 0.0832),
    ("m5.large", 0.096),
    ("m5.xlarge", 0.192),
    ("m6i.large", 0.096),
    ("m6i.xlarge", 0.192),
    ("c5.large", 0.085),
    ("c5.xlarge", 0.17),
    ("c6i.large", 0.085),
    ("r5.large", 0.126),
];

pub(crate) fn hourly_price(instance_type: &str) -> Option<f64> {
    PRICES
        .iter()
        .find(|(t, _)| *t == instance_type)
        .map(|(_, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcpus_follow_the_size() {
        assert_eq!(vcpus("t2.micro"), Some(1.0));
        assert_eq!(vcpus("t3.micro"), Some(2.0));
        assert_eq!(vcpus("m5.large"), Some(2.0));
        assert_eq!(vcpus("c5.4xlarge"), Some(16.0));
        assert_eq!(vcpus("m5.metal"), None);
        assert_eq!(vcpus("nonsense"), None);
    }

    #[test]
    fn burstable_types_earn_and_hold_credits_by_size() {
        let t2 = burst("t2.micro").expect("burstable");
        assert_eq!(
            (t2.vcpus, t2.earned_per_hour, t2.max_balance),
            (1.0, 6.0, 144.0)
        );
        assert_eq!((t2.launch_credits, t2.standard_by_default), (30.0, true));
        let t3 = burst("t3.micro").expect("burstable");
        assert_eq!(
            (t3.vcpus, t3.earned_per_hour, t3.launch_credits),
            (2.0, 12.0, 0.0)
        );
        assert!(!t3.standard_by_default);
        assert!(burst("t4g.large").is_some());
        assert_eq!(burst("m5.large"), None);
        assert_eq!(burst("t2.metal"), None);
    }

    #[test]
    fn every_quota_is_named_once() {
        for q in QUOTAS {
            assert_eq!(QUOTAS.iter().filter(|x| x.id == q.id).count(), 1);
            assert!(!q.code.is_empty() || !q.name.is_empty());
        }
        assert_eq!(watchable().map(|q| q.id).collect::<Vec<_>>(), ["ec2_vcpu"]);
    }
}
