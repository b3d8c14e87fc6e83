//! The compute side of `warroom ready` against the simulator: Auto Scaling over the AWS query
//! protocol (`DescribeAutoScalingGroups`, XML), ECS (`DescribeServices`) and Service Quotas
//! (`GetServiceQuota`, `GetAWSDefaultServiceQuota`, `ListServiceQuotas`) over AWS JSON 1.1,
//! answered from the world at the virtual time.

use serde_json::{Value, json};

use super::json::{self, paginate, str_of};
use super::route::{ApiError, Ctx, Reply, Service, id_ns};
use super::state::Served;
use super::xml::{Xml, finish, members};
use crate::{AsgState, QuotaState};

const ACCOUNT: &str = "489851543453";

pub(crate) fn handle(
    served: &Served,
    service: Service,
    op: &str,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    match (service, op) {
        (Service::AutoScaling, "DescribeAutoScalingGroups") => Ok(asgs(served, body, ctx)),
        (Service::Ecs, "DescribeServices") => ecs(served, body, ctx),
        (Service::ServiceQuotas, _) => quotas(served, op, body, ctx),
        _ => Err(ApiError::client(
            if service == Service::AutoScaling {
                "InvalidAction"
            } else {
                "UnknownOperationException"
            },
            format!("{service} operation {op} is not served by the simulator"),
        )),
    }
}

fn asg_member(x: &mut Xml, g: &AsgState) {
    x.open("member")
        .leaf("AutoScalingGroupName", g.name)
        .leaf(
            "AutoScalingGroupARN",
            &format!("arn:aws:autoscaling:{}:{ACCOUNT}:autoScalingGroup:7d1f0c2e-5b8a-4e61-9c3d-2a4b6c8d0e1f:autoScalingGroupName/{}", g.region, g.name),
        )
        .leaf("MinSize", &g.min.to_string())
        .leaf("MaxSize", &g.max.to_string())
        .leaf("DesiredCapacity", &g.desired.to_string())
        .leaf("DefaultCooldown", "300")
        .open("AvailabilityZones");
    for z in g.zones {
        x.leaf("member", z);
    }
    x.close("AvailabilityZones")
        .leaf("HealthCheckType", g.health_check_type)
        .leaf("HealthCheckGracePeriod", &g.grace.to_string())
        .open("Instances");
    for i in 0..g.desired {
        x.open("member")
            .leaf("InstanceId", &format!("i-0b75{i:013x}"))
            .leaf("InstanceType", g.instance_type)
            .leaf("AvailabilityZone", g.zones[i as usize % 2])
            .leaf("LifecycleState", "InService")
            .leaf("HealthStatus", "Healthy")
            .leaf("ProtectedFromScaleIn", "false")
            .close("member");
    }
    x.close("Instances").open("EnabledMetrics");
    if g.group_metrics {
        for m in crate::world::GROUP_METRICS {
            x.open("member")
                .leaf("Metric", m)
                .leaf("Granularity", "1Minute")
                .close("member");
        }
    }
    x.close("EnabledMetrics")
        .leaf("CreatedTime", "2021-10-25T12:03:57Z")
        .leaf("DefaultInstanceWarmup", &g.warmup.to_string())
        .close("member");
}

fn asgs(served: &Served, body: &[u8], ctx: &mut Ctx) -> Reply {
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let names = members(&form, "AutoScalingGroupNames");
    ctx.resource = names.join(",");
    let groups: Vec<AsgState> = served
        .world()
        .asgs(ctx.now)
        .into_iter()
        .filter(|g| {
            g.region == ctx.region && (names.is_empty() || names.iter().any(|n| n == g.name))
        })
        .collect();
    let ns = id_ns(Service::AutoScaling);
    let mut x = Xml::new();
    x.open_ns(ns, "DescribeAutoScalingGroupsResponse")
        .open("DescribeAutoScalingGroupsResult")
        .open("AutoScalingGroups");
    for g in &groups {
        asg_member(&mut x, g);
    }
    x.close("AutoScalingGroups")
        .close("DescribeAutoScalingGroupsResult");
    finish(&mut x, "DescribeAutoScalingGroupsResponse");
    x.into_reply(200)
}

fn ecs(served: &Served, body: &[u8], ctx: &mut Ctx) -> Result<Reply, ApiError> {
    let req = json::decode(body)?;
    let cluster = str_of(&req, "cluster").unwrap_or("default").to_string();
    let wanted: Vec<String> = req
        .get("services")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(ToString::to_string))
                .collect()
        })
        .unwrap_or_default();
    ctx.resource = format!("{cluster}/{}", wanted.join(","));
    let all = served.world().ecs_services(ctx.now);
    let mut services = Vec::new();
    let mut failures = Vec::new();
    for w in &wanted {
        let name = w.rsplit('/').next().unwrap_or(w);
        let arn = format!(
            "arn:aws:ecs:{}:{ACCOUNT}:service/{cluster}/{name}",
            ctx.region
        );
        match all
            .iter()
            .find(|s| s.service == name && s.cluster == cluster && s.region == ctx.region)
        {
            Some(s) => services.push(json!({
                "serviceArn": arn,
                "serviceName": s.service,
                "clusterArn": format!("arn:aws:ecs:{}:{ACCOUNT}:cluster/{}", ctx.region, s.cluster),
                "status": "ACTIVE",
                "desiredCount": s.desired,
                "runningCount": s.running,
                "pendingCount": 0,
                "launchType": "EC2",
                "schedulingStrategy": s.strategy,
            })),
            None => failures.push(json!({ "arn": arn, "reason": "MISSING" })),
        }
    }
    Ok(json::ok(
        &json!({ "services": services, "failures": failures }),
    ))
}

fn quota_value(q: &QuotaState, region: &str, default: bool) -> Value {
    let mut v = json!({
        "ServiceCode": q.service,
        "QuotaCode": q.code,
        "QuotaName": q.name,
        "QuotaArn": format!("arn:aws:servicequotas:{region}:{ACCOUNT}:{}/{}", q.service, q.code),
        "Value": if default { q.default } else { q.value },
        "Unit": "None",
        "Adjustable": true,
        "GlobalQuota": false,
    });
    if q.usage_metric
        && let Some(o) = v.as_object_mut()
    {
        o.insert(
            "UsageMetric".into(),
            json!({
                "MetricNamespace": "AWS/Usage",
                "MetricName": "ResourceCount",
                "MetricDimensions": { "Service": "EC2", "Type": "Resource", "Resource": "vCPU", "Class": "Standard/OnDemand" },
                "MetricStatisticRecommendation": "Maximum",
            }),
        );
    }
    v
}

fn quotas(served: &Served, op: &str, body: &[u8], ctx: &mut Ctx) -> Result<Reply, ApiError> {
    let req = json::decode(body)?;
    let service = str_of(&req, "ServiceCode").unwrap_or_default();
    let all = served.world().quotas(service, &ctx.region);
    let no_such = || {
        ApiError::client(
            "NoSuchResourceException",
            format!(
                "The request failed because the specified service {service:?} or quota does not exist."
            ),
        )
    };
    let out = match op {
        "GetServiceQuota" | "GetAWSDefaultServiceQuota" => {
            let code = str_of(&req, "QuotaCode").unwrap_or_default();
            ctx.resource = format!("{service}/{code}");
            let q = all.iter().find(|q| q.code == code).ok_or_else(no_such)?;
            json!({ "Quota": quota_value(q, &ctx.region, op == "GetAWSDefaultServiceQuota") })
        }
        "ListServiceQuotas" => {
            ctx.resource = service.to_string();
            if all.is_empty() {
                return Err(no_such());
            }
            let page = req
                .get("MaxResults")
                .and_then(Value::as_i64)
                .unwrap_or(100)
                .clamp(1, 100) as usize;
            let (a, b, next) = paginate(
                str_of(&req, "NextToken"),
                all.len(),
                page,
                "InvalidPaginationTokenException",
            )?;
            let list: Vec<Value> = all[a..b]
                .iter()
                .map(|q| quota_value(q, &ctx.region, false))
                .collect();
            let mut v = json!({ "Quotas": list });
            if let (Some(t), Some(o)) = (next, v.as_object_mut()) {
                o.insert("NextToken".into(), Value::from(t));
            }
            v
        }
        _ => {
            return Err(ApiError::client(
                "UnknownOperationException",
                format!("Service Quotas operation {op} is not served by the simulator"),
            ));
        }
    };
    Ok(json::ok(&out))
}
