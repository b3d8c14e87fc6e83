//! ELBv2 over the AWS query protocol: form-encoded requests (`Action`, `Names.member.N`,
//! `TargetGroupArn`), XML responses written with quick-xml: `DescribeTargetGroups` (by name or
//! ARN), `DescribeLoadBalancers` (by name or ARN), `DescribeListeners` (of one load balancer) and
//! `DescribeTargetHealth`. Errors are
//! `<ErrorResponse><Error><Type/><Code/><Message/></Error>`.

use super::route::{ApiError, Ctx, Reply};
use super::state::Served;
use super::xml::{REQUEST_ID, Xml, members, one};
use crate::TargetGroupRes;

const XMLNS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

pub(crate) fn error(e: &ApiError) -> Reply {
    super::xml::error(XMLNS, e)
}

pub(crate) fn handle(
    served: &Served,
    op: &str,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let groups: Vec<TargetGroupRes> = served
        .world()
        .target_groups()
        .into_iter()
        .filter(|g| g.region == ctx.region)
        .collect();
    match op {
        "DescribeTargetGroups" => describe_target_groups(served, &groups, &form, ctx),
        "DescribeLoadBalancers" => describe_load_balancers(&groups, &form, ctx),
        "DescribeTargetHealth" => describe_target_health(served, &groups, &form, ctx),
        "DescribeListeners" => describe_listeners(served, &groups, &form, ctx),
        _ => Err(ApiError::client(
            "InvalidAction",
            format!("ELBv2 action {op:?} is not served by the simulator"),
        )),
    }
}

fn not_found(code: &str, what: &str) -> ApiError {
    ApiError::client(code, format!("One or more {what} not found"))
}

/// The resources named in `Names` or `arns_key` (all of them when neither is given), by the
/// (name, ARN) that `key` reads, or AWS's not-found error `(code, what)`.
fn select<'a>(
    groups: &'a [TargetGroupRes],
    form: &[(String, String)],
    arns_key: &str,
    key: impl Fn(&TargetGroupRes) -> (&str, &str),
    (code, what): (&str, &str),
    ctx: &mut Ctx,
) -> Result<Vec<&'a TargetGroupRes>, ApiError> {
    let names = members(form, "Names");
    let arns = members(form, arns_key);
    ctx.resource = names
        .iter()
        .chain(&arns)
        .cloned()
        .collect::<Vec<_>>()
        .join(",");
    if names.is_empty() && arns.is_empty() {
        return Ok(groups.iter().collect());
    }
    let by_name = names.iter().map(|n| (n, 0));
    let by_arn = arns.iter().map(|a| (a, 1));
    by_name
        .chain(by_arn)
        .map(|(want, i)| {
            groups
                .iter()
                .find(|g| {
                    let k = key(g);
                    (if i == 0 { k.0 } else { k.1 }) == want.as_str()
                })
                .ok_or_else(|| not_found(code, what))
        })
        .collect()
}

fn describe_target_groups(
    served: &Served,
    groups: &[TargetGroupRes],
    form: &[(String, String)],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let found = select(
        groups,
        form,
        "TargetGroupArns",
        |g| (g.name, &g.arn),
        ("TargetGroupNotFound", "target groups"),
        ctx,
    )?;
    let mut x = Xml::new();
    x.open_ns(XMLNS, "DescribeTargetGroupsResponse")
        .open("DescribeTargetGroupsResult")
        .open("TargetGroups");
    for g in found {
        let (interval, timeout, healthy, unhealthy, path) = served.world().health_check(g.name);
        x.open("member")
            .leaf("TargetGroupArn", &g.arn)
            .leaf("TargetGroupName", g.name)
            .leaf("Protocol", "HTTP")
            .leaf("Port", "80")
            .leaf("HealthCheckProtocol", "HTTP")
            .leaf("HealthCheckPath", path)
            .leaf("HealthCheckIntervalSeconds", &interval.to_string())
            .leaf("HealthCheckTimeoutSeconds", &timeout.to_string())
            .leaf("HealthyThresholdCount", &healthy.to_string())
            .leaf("UnhealthyThresholdCount", &unhealthy.to_string())
            .open("LoadBalancerArns")
            .leaf("member", &g.load_balancer_arn)
            .close("LoadBalancerArns")
            .leaf("TargetType", "instance")
            .close("member");
    }
    x.close("TargetGroups")
        .close("DescribeTargetGroupsResult")
        .open("ResponseMetadata")
        .leaf("RequestId", REQUEST_ID)
        .close("ResponseMetadata")
        .close("DescribeTargetGroupsResponse");
    Ok(x.into_reply(200))
}

fn describe_load_balancers(
    groups: &[TargetGroupRes],
    form: &[(String, String)],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let found = select(
        groups,
        form,
        "LoadBalancerArns",
        |g| (g.load_balancer, &g.load_balancer_arn),
        ("LoadBalancerNotFound", "load balancers"),
        ctx,
    )?;
    let mut x = Xml::new();
    x.open_ns(XMLNS, "DescribeLoadBalancersResponse")
        .open("DescribeLoadBalancersResult")
        .open("LoadBalancers");
    for g in found {
        x.open("member")
            .leaf("LoadBalancerArn", &g.load_balancer_arn)
            .leaf("LoadBalancerName", g.load_balancer)
            .leaf(
                "DNSName",
                &format!("{}.{}.elb.amazonaws.com", g.load_balancer, g.region),
            )
            .leaf("Scheme", "internet-facing")
            .leaf("Type", "application")
            .open("State")
            .leaf("Code", "active")
            .close("State")
            .close("member");
    }
    x.close("LoadBalancers")
        .close("DescribeLoadBalancersResult")
        .open("ResponseMetadata")
        .leaf("RequestId", REQUEST_ID)
        .close("ResponseMetadata")
        .close("DescribeLoadBalancersResponse");
    Ok(x.into_reply(200))
}

/// The listeners of one load balancer (`LoadBalancerArn`), as the world has them.
fn describe_listeners(
    served: &Served,
    groups: &[TargetGroupRes],
    form: &[(String, String)],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let arn = one(form, "LoadBalancerArn").unwrap_or_default();
    ctx.resource = arn.to_string();
    let g = groups
        .iter()
        .find(|g| g.load_balancer_arn == arn)
        .ok_or_else(|| not_found("LoadBalancerNotFound", "load balancers"))?;
    let mut x = Xml::new();
    x.open_ns(XMLNS, "DescribeListenersResponse")
        .open("DescribeListenersResult")
        .open("Listeners");
    for (port, proto) in served.world().alb_listeners(g.load_balancer) {
        x.open("member")
            .leaf(
                "ListenerArn",
                &format!(
                    "{}/{port:016x}",
                    arn.replacen(":loadbalancer/", ":listener/", 1)
                ),
            )
            .leaf("LoadBalancerArn", arn)
            .leaf("Port", &port.to_string())
            .leaf("Protocol", proto)
            .close("member");
    }
    x.close("Listeners")
        .close("DescribeListenersResult")
        .open("ResponseMetadata")
        .leaf("RequestId", REQUEST_ID)
        .close("ResponseMetadata")
        .close("DescribeListenersResponse");
    Ok(x.into_reply(200))
}

fn describe_target_health(
    served: &Served,
    groups: &[TargetGroupRes],
    form: &[(String, String)],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let arn = one(form, "TargetGroupArn").unwrap_or_default();
    ctx.resource = arn.to_string();
    let g = groups
        .iter()
        .find(|g| g.arn == arn)
        .ok_or_else(|| not_found("TargetGroupNotFound", "target groups"))?;
    let targets = served
        .world()
        .target_health(g.name, ctx.now)
        .unwrap_or_default();
    let mut x = Xml::new();
    x.open_ns(XMLNS, "DescribeTargetHealthResponse")
        .open("DescribeTargetHealthResult")
        .open("TargetHealthDescriptions");
    for t in &targets {
        x.open("member").open("Target").leaf("Id", &t.id);
        if let Some(p) = t.port {
            x.leaf("Port", &p.to_string());
        }
        if let Some(az) = &t.az {
            x.leaf("AvailabilityZone", az);
        }
        x.close("Target").leaf("HealthCheckPort", "80");
        x.open("TargetHealth").leaf("State", t.state.as_str());
        if let Some(r) = &t.reason {
            x.leaf("Reason", r);
        }
        if let Some(d) = &t.description {
            x.leaf("Description", d);
        }
        x.close("TargetHealth").close("member");
    }
    x.close("TargetHealthDescriptions")
        .close("DescribeTargetHealthResult")
        .open("ResponseMetadata")
        .leaf("RequestId", REQUEST_ID)
        .close("ResponseMetadata")
        .close("DescribeTargetHealthResponse");
    Ok(x.into_reply(200))
}
