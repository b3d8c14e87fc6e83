//! The world as CloudWatch shows it: `World::metric` answers a (region, namespace, metric,
//! dimensions, stat, bucket) query like GetMetricData would, matching the identifying dimension
//! values of the reference resources. ALB, WAF and GA counters that are zero are absent (`None`);
//! a metric the world does not know returns `None`.

use chrono::{DateTime, Utc};

use super::{SiteId, World, minute_of};

fn dim<'a>(dims: &'a [(String, String)], name: &str) -> Option<&'a str> {
    dims.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A counter as ALB and WAF publish it: only when nonzero.
fn nonzero(v: f64) -> Option<f64> {
    (v > 0.0).then_some(v)
}

/// The percentile of a `pNN` / `pNN.NN` statistic.
fn percentile(stat: &str) -> Option<f64> {
    stat.strip_prefix('p')
        .and_then(|q| q.parse::<f64>().ok())
        .filter(|q| (0.0..=100.0).contains(q))
}

impl World {
    /// The datapoint CloudWatch would return for the bucket starting at `bucket` (60 s period),
    /// `None` when CloudWatch would return nothing.
    pub fn metric(
        &self,
        region: &str,
        namespace: &str,
        metric: &str,
        dimensions: &[(String, String)],
        stat: &str,
        bucket: DateTime<Utc>,
    ) -> Option<f64> {
        let m = minute_of(self.rel(bucket));
        let d = |n: &str| dim(dimensions, n);
        match namespace {
            "AWS/ApplicationELB" => self.alb(region, metric, dimensions, stat, m),
            "AWS/AutoScaling"
                if region == "ap-northeast-2" && d("AutoScalingGroupName") == Some("BTS-AS") =>
            {
                let x = self.minute(m);
                match metric {
                    "GroupDesiredCapacity" => Some(x.asg_desired),
                    "GroupInServiceInstances" => Some(x.asg_in_service),
                    "GroupMaxSize" => Some(x.asg_max),
                    _ => None,
                }
            }
            "AWS/EC2"
                if region == "ap-northeast-2" && d("AutoScalingGroupName") == Some("BTS-AS") =>
            {
                let x = self.minute(m);
                match metric {
                    "CPUUtilization" => Some(x.seoul.cpu),
                    "CPUCreditBalance" => Some(x.cpu_credits),
                    _ => None,
                }
            }
            "AWS/WAFV2" => self.waf_metric(region, metric, dimensions, m),
            "AWS/Usage" if metric == "ResourceCount" && d("Resource") == Some("vCPU") => {
                self.vcpu_usage(region, bucket)
            }
            "AWS/RDS" => {
                let x = self.minute(m);
                match (region, d("DBInstanceIdentifier")?, metric) {
                    ("ap-northeast-2", "bts-rds-db", "CPUUtilization") => Some(x.db_cpu),
                    ("ap-northeast-2", "bts-rds-db", "DatabaseConnections") => {
                        Some(x.db_connections)
                    }
                    ("us-east-1", "bts-rds-db-replica", "ReplicaLag") => Some(x.replica_lag),
                    _ => None,
                }
            }
            "AWS/ElastiCache"
                if region == "ap-northeast-2" && d("CacheClusterId")?.starts_with("bts-redis") =>
            {
                let x = self.minute(m);
                match metric {
                    "EngineCPUUtilization" => Some(x.redis_cpu),
                    "DatabaseMemoryUsagePercentage" => Some(x.redis_memory),
                    // ElastiCache publishes zeros, unlike ALB and WAF.
                    "Evictions" => Some(0.0),
                    _ => None,
                }
            }
            "AWS/ECS" if region == "us-east-1" && d("ClusterName") == Some("WEB-BTS-CLUSTER") => {
                (metric == "CPUUtilization").then(|| self.minute(m).virginia.cpu)
            }
            "AWS/CloudFront" if region == "us-east-1" && d("DistributionId").is_some() => {
                (metric == "5xxErrorRate").then(|| self.minute(m).cf_5xx_rate)
            }
            "AWS/GlobalAccelerator" if region == "us-west-2" && d("Accelerator").is_some() => {
                let x = self.minute(m);
                match (metric, d("EndpointGroup")) {
                    ("ProcessedBytesIn", Some("ap-northeast-2")) => {
                        nonzero(x.seoul.ga_bytes.round())
                    }
                    ("ProcessedBytesIn", Some("us-east-1")) => nonzero(x.virginia.ga_bytes.round()),
                    ("ProcessedBytesIn", None) => {
                        nonzero((x.seoul.ga_bytes + x.virginia.ga_bytes).round())
                    }
                    ("NewFlowCount", None) => nonzero(x.new_flows),
                    ("UnhealthyEndpointCount", None) => Some(x.ga_unhealthy),
                    ("HealthyEndpointCount", None) => Some(2.0 - x.ga_unhealthy),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn alb(
        &self,
        region: &str,
        metric: &str,
        dims: &[(String, String)],
        stat: &str,
        m: i64,
    ) -> Option<f64> {
        let lb = dim(dims, "LoadBalancer")?;
        let site = match region {
            "ap-northeast-2" if lb.starts_with("app/BTS-ALB/") => SiteId::Seoul,
            "us-east-1" if lb.starts_with("app/WEB-ALB/") => SiteId::Virginia,
            _ => return None,
        };
        if let Some(tg) = dim(dims, "TargetGroup") {
            let want = if site == SiteId::Seoul {
                "targetgroup/BTS-tg/"
            } else {
                "targetgroup/WEB-tg/"
            };
            if !tg.starts_with(want) {
                return None;
            }
        }
        let x = self.minute(m);
        let s = if site == SiteId::Seoul {
            x.seoul
        } else {
            x.virginia
        };
        match metric {
            "RequestCount" => nonzero(s.requests),
            "HTTPCode_Target_5XX_Count" => nonzero(s.target_5xx),
            "HTTPCode_ELB_5XX_Count" => nonzero(s.elb_5xx),
            "TargetResponseTime" => {
                let q = percentile(stat).unwrap_or(50.0);
                self.latency_percentile(site, m, q)
            }
            "HealthyHostCount" => Some(s.healthy_min),
            "UnHealthyHostCount" => Some(s.unhealthy_max),
            _ => None,
        }
    }

    fn waf_metric(
        &self,
        region: &str,
        metric: &str,
        dims: &[(String, String)],
        m: i64,
    ) -> Option<f64> {
        let acl = dim(dims, "WebACL")?;
        let rule = dim(dims, "Rule")?;
        let x = self.minute(m);
        let site = match (acl, region, dim(dims, "Region")) {
            ("BTS-WebACL-Seoul-ALB", "ap-northeast-2", Some("ap-northeast-2")) => x.seoul,
            ("BTS-WebACL-Virginia-ALB", "us-east-1", Some("us-east-1")) => x.virginia,
            ("BTS-CloudFront-WebACL", "us-east-1", None) => {
                return match (metric, rule) {
                    ("BlockedRequests", "ALL" | "BTS-AMAZONIPREPUTATIONLIST") => {
                        nonzero(x.edge_blocked)
                    }
                    ("AllowedRequests", "ALL") => {
                        nonzero((x.seoul.legit + x.virginia.legit).round())
                    }
                    _ => None,
                };
            }
            _ => return None,
        };
        match (metric, rule) {
            ("BlockedRequests", "ALL") => nonzero(site.blocked()),
            ("AllowedRequests", "ALL") => nonzero(site.allowed),
            ("BlockedRequests", "BTS-RateLimit-PerIP") => nonzero(site.rate_blocked),
            ("BlockedRequests", "BTS-SQLiRuleSet") => nonzero(site.sqli_blocked),
            _ => None,
        }
    }
}
