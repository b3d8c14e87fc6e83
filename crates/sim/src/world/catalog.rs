//! The resources of the world by AWS identity, as the `Describe*`/`List*` calls of the
//! simulator endpoint (`sim::serve`) find them: target groups, the accelerator and its listener,
//! web ACLs and log groups, each with its region and ARN (names and ids match the reference
//! layout's dimension values).

use super::{ACCOUNT, World};

/// One ALB target group.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGroupRes {
    pub name: &'static str,
    pub(crate) region: &'static str,
    pub(crate) load_balancer: &'static str,
    pub arn: String,
    pub(crate) load_balancer_arn: String,
}

/// One WAFv2 web ACL; CLOUDFRONT ACLs are served from us-east-1.
#[derive(Debug, Clone, PartialEq)]
pub struct WebAclRes {
    pub(crate) name: &'static str,
    pub(crate) id: &'static str,
    pub(crate) cloudfront: bool,
    pub(crate) region: &'static str,
    pub(crate) arn: String,
}

/// The accelerator (API in us-west-2), its one listener and its endpoint groups' ARNs.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceleratorRes {
    pub(crate) name: &'static str,
    pub(crate) arn: String,
    pub listener_arn: String,
}

const GA_ID: &str = "5f2d7a1c-0b9e-4c3a-9d61-2e7f8a4b6c10";
const GA_LISTENER: &str = "abcdef12";

// The catalog is the world's, fixed for every scenario today: asked of the world, so a
// scenario that adds or removes resources changes it in one place.
#[allow(clippy::unused_self)]
impl World {
    pub fn target_groups(&self) -> Vec<TargetGroupRes> {
        let tg = |name, region, lb, tg_id: &str, lb_id: &str| TargetGroupRes {
            name,
            region,
            load_balancer: lb,
            arn: format!(
                "arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:targetgroup/{name}/{tg_id}"
            ),
            load_balancer_arn: format!(
                "arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:loadbalancer/app/{lb}/{lb_id}"
            ),
        };
        vec![
            tg(
                "BTS-tg",
                "ap-northeast-2",
                "BTS-ALB",
                "6d0ecf831eec9f09",
                "50dc6c495c0c9188",
            ),
            tg(
                "WEB-tg",
                "us-east-1",
                "WEB-ALB",
                "a81c2f0b7e3d4c19",
                "8e2a7c41b96d03f5",
            ),
        ]
    }

    pub(crate) fn web_acls(&self) -> Vec<WebAclRes> {
        let acl = |name, id, cloudfront, region: &'static str| WebAclRes {
            name,
            id,
            cloudfront,
            region,
            arn: format!(
                "arn:aws:wafv2:{region}:{ACCOUNT}:{}/webacl/{name}/{id}",
                if cloudfront { "global" } else { "regional" }
            ),
        };
        vec![
            acl(
                "BTS-WebACL-Seoul-ALB",
                "0c8a5e31-7d2b-4f6e-9a10-3b5c7d9e1f20",
                false,
                "ap-northeast-2",
            ),
            acl(
                "BTS-WebACL-Virginia-ALB",
                "4e1f9b27-2c6d-48a3-b5e0-7f8a9c0d1e2f",
                false,
                "us-east-1",
            ),
            acl(
                "BTS-CloudFront-WebACL",
                "9d3b6f14-8e2a-4c5b-a7d1-0e2f4a6b8c9d",
                true,
                "us-east-1",
            ),
        ]
    }

    pub fn accelerators(&self) -> Vec<AcceleratorRes> {
        let arn = format!("arn:aws:globalaccelerator::{ACCOUNT}:accelerator/{GA_ID}");
        vec![AcceleratorRes {
            name: "BTS-AGA",
            listener_arn: format!("{arn}/listener/{GA_LISTENER}"),
            arn,
        }]
    }

    /// Log groups as (name, region).
    pub(crate) fn log_groups(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("/hybridbts/seoul/httpd/error_log", "ap-northeast-2"),
            ("/ecs/bts-web", "us-east-1"),
        ]
    }
}

/// One metric the world publishes, as `ListMetrics` lists it: region, namespace, name and its
/// dimension set (sorted by name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MetricRes {
    pub region: &'static str,
    pub namespace: &'static str,
    pub metric: &'static str,
    pub dimensions: Vec<(&'static str, String)>,
}

const SEOUL_LB: &str = "app/BTS-ALB/50dc6c495c0c9188";
const SEOUL_TG: &str = "targetgroup/BTS-tg/6d0ecf831eec9f09";
const VIRGINIA_LB: &str = "app/WEB-ALB/8e2a7c41b96d03f5";
const VIRGINIA_TG: &str = "targetgroup/WEB-tg/a81c2f0b7e3d4c19";
const CF_DISTRIBUTION: &str = "E2QWRUHEXAMPLE";

/// Adds `metrics` of `namespace` in `region` under one dimension set.
fn add(
    out: &mut Vec<MetricRes>,
    region: &'static str,
    namespace: &'static str,
    metrics: &[&'static str],
    dims: &[(&'static str, &str)],
) {
    for m in metrics {
        let mut dimensions: Vec<(&'static str, String)> =
            dims.iter().map(|(k, v)| (*k, (*v).to_string())).collect();
        dimensions.sort();
        out.push(MetricRes {
            region,
            namespace,
            metric: m,
            dimensions,
        });
    }
}

/// The load balancers' and target groups' metrics.
fn alb_metrics(out: &mut Vec<MetricRes>) {
    for (region, lb, tg) in [
        ("ap-northeast-2", SEOUL_LB, SEOUL_TG),
        ("us-east-1", VIRGINIA_LB, VIRGINIA_TG),
    ] {
        let lb_metrics = [
            "RequestCount",
            "HTTPCode_Target_5XX_Count",
            "HTTPCode_ELB_5XX_Count",
            "TargetResponseTime",
        ];
        add(
            out,
            region,
            "AWS/ApplicationELB",
            &lb_metrics,
            &[("LoadBalancer", lb)],
        );
        add(
            out,
            region,
            "AWS/ApplicationELB",
            &[
                "RequestCount",
                "HTTPCode_Target_5XX_Count",
                "TargetResponseTime",
                "HealthyHostCount",
                "UnHealthyHostCount",
            ],
            &[("LoadBalancer", lb), ("TargetGroup", tg)],
        );
    }
}

/// The compute and data tiers' metrics, and the vCPU usage.
fn tier_metrics(out: &mut Vec<MetricRes>) {
    let asg = [("AutoScalingGroupName", "BTS-AS")];
    let group = [
        "GroupDesiredCapacity",
        "GroupInServiceInstances",
        "GroupMaxSize",
    ];
    add(out, "ap-northeast-2", "AWS/AutoScaling", &group, &asg);
    let ec2 = ["CPUUtilization", "CPUCreditBalance"];
    add(out, "ap-northeast-2", "AWS/EC2", &ec2, &asg);
    let db = [("DBInstanceIdentifier", "bts-rds-db")];
    add(
        out,
        "ap-northeast-2",
        "AWS/RDS",
        &["CPUUtilization", "DatabaseConnections"],
        &db,
    );
    let replica = [("DBInstanceIdentifier", "bts-rds-db-replica")];
    add(out, "us-east-1", "AWS/RDS", &["ReplicaLag"], &replica);
    for node in ["bts-redis-001", "bts-redis-002"] {
        let redis = [
            "EngineCPUUtilization",
            "DatabaseMemoryUsagePercentage",
            "Evictions",
        ];
        add(
            out,
            "ap-northeast-2",
            "AWS/ElastiCache",
            &redis,
            &[("CacheClusterId", node)],
        );
    }
    let ecs = [
        ("ClusterName", "WEB-BTS-CLUSTER"),
        ("ServiceName", "service"),
    ];
    add(out, "us-east-1", "AWS/ECS", &["CPUUtilization"], &ecs);
    for region in ["ap-northeast-2", "us-east-1"] {
        add(
            out,
            region,
            "AWS/Usage",
            &["ResourceCount"],
            &warroom_core::ready::catalog::EC2_VCPU_USAGE_DIMENSIONS,
        );
    }
}

/// The edge's metrics: CloudFront, the web ACLs, the accelerator.
fn edge_metrics(out: &mut Vec<MetricRes>) {
    let cf = [("DistributionId", CF_DISTRIBUTION), ("Region", "Global")];
    add(out, "us-east-1", "AWS/CloudFront", &["5xxErrorRate"], &cf);
    for (acl, region, scoped) in [
        ("BTS-WebACL-Seoul-ALB", "ap-northeast-2", true),
        ("BTS-WebACL-Virginia-ALB", "us-east-1", true),
        ("BTS-CloudFront-WebACL", "us-east-1", false),
    ] {
        let mut rules = vec![("BlockedRequests", "ALL"), ("AllowedRequests", "ALL")];
        if scoped {
            rules.push(("BlockedRequests", "BTS-RateLimit-PerIP"));
        }
        // SQL injection is only ever blocked in Seoul: CloudWatch lists what was published.
        if region == "ap-northeast-2" {
            rules.push(("BlockedRequests", "BTS-SQLiRuleSet"));
        }
        if !scoped {
            rules.push(("BlockedRequests", "BTS-AMAZONIPREPUTATIONLIST"));
        }
        for (metric, rule) in rules {
            let mut dims = vec![("WebACL", acl), ("Rule", rule)];
            if scoped {
                dims.push(("Region", region));
            }
            add(out, region, "AWS/WAFV2", &[metric], &dims);
        }
    }
    let ga = [
        "ProcessedBytesIn",
        "NewFlowCount",
        "UnhealthyEndpointCount",
        "HealthyEndpointCount",
    ];
    add(
        out,
        "us-west-2",
        "AWS/GlobalAccelerator",
        &ga,
        &[("Accelerator", GA_ID)],
    );
    for group in ["ap-northeast-2", "us-east-1"] {
        let dims = [
            ("Accelerator", GA_ID),
            ("Listener", GA_LISTENER),
            ("EndpointGroup", group),
        ];
        add(
            out,
            "us-west-2",
            "AWS/GlobalAccelerator",
            &["ProcessedBytesIn"],
            &dims,
        );
    }
}

#[allow(clippy::unused_self)]
impl World {
    /// Every metric `World::metric` answers for, with the dimension sets CloudWatch keeps them
    /// under, sorted (region, namespace, metric, dimensions): what `ListMetrics` lists.
    pub fn metrics(&self) -> Vec<MetricRes> {
        let mut out = Vec::new();
        alb_metrics(&mut out);
        tier_metrics(&mut out);
        edge_metrics(&mut out);
        out.sort();
        out
    }
}
