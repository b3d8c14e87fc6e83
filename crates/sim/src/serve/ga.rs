//! Global Accelerator over AWS JSON 1.1, answered only in us-west-2 as AWS does:
//! `ListAccelerators`, `ListListeners`, `ListEndpointGroups` (paginated by `MaxResults`, 1 to
//! 100, default 10) and `DescribeEndpointGroup`, with each endpoint group's dial, weight and
//! health at the current virtual time.

use serde_json::{Value, json};

use super::json::{self, int_of, paginate, str_of};
use super::route::{ApiError, Ctx, Reply};
use super::state::Served;
use crate::config::GA_API_REGION;
use crate::{AcceleratorRes, GaGroupState};

pub(crate) fn handle(
    served: &Served,
    op: &str,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    if ctx.region != GA_API_REGION {
        return Err(ApiError::client(
            "InvalidArgumentException",
            format!(
                "Global Accelerator API calls must be made in {GA_API_REGION}, not {}",
                ctx.region
            ),
        ));
    }
    let req = json::decode(body)?;
    let accs = served.world().accelerators();
    let out = match op {
        "ListAccelerators" => list_accelerators(&accs, &req, ctx)?,
        "ListListeners" => list_listeners(&accs, &req, ctx)?,
        "ListEndpointGroups" => list_endpoint_groups(served, &accs, &req, ctx)?,
        "DescribeEndpointGroup" => describe_endpoint_group(served, &accs, &req, ctx)?,
        _ => {
            return Err(ApiError::client(
                "UnknownOperationException",
                format!("Global Accelerator operation {op} is not served by the simulator"),
            ));
        }
    };
    Ok(json::ok(&out))
}

fn page_size(req: &Value) -> Result<usize, ApiError> {
    let n = int_of(req, "MaxResults").unwrap_or(10);
    if (1..=100).contains(&n) {
        Ok(n as usize)
    } else {
        Err(ApiError::client(
            "InvalidArgumentException",
            "MaxResults must be between 1 and 100",
        ))
    }
}

fn with_token(mut v: Value, token: Option<String>) -> Value {
    if let (Some(t), Some(o)) = (token, v.as_object_mut()) {
        o.insert("NextToken".into(), Value::from(t));
    }
    v
}

fn list_accelerators(
    accs: &[AcceleratorRes],
    req: &Value,
    _ctx: &mut Ctx,
) -> Result<Value, ApiError> {
    let (a, b, next) = paginate(
        str_of(req, "NextToken"),
        accs.len(),
        page_size(req)?,
        "InvalidNextTokenException",
    )?;
    let list: Vec<Value> = accs[a..b]
        .iter()
        .map(|x| {
            json!({
                "AcceleratorArn": x.arn,
                "Name": x.name,
                "IpAddressType": "IPV4",
                "Enabled": true,
                "Status": "DEPLOYED",
                "DnsName": "a1b2c3d4e5f6a7b8c.awsglobalaccelerator.com",
            })
        })
        .collect();
    Ok(with_token(json!({ "Accelerators": list }), next))
}

fn find<'a>(accs: &'a [AcceleratorRes], arn: &str) -> Result<&'a AcceleratorRes, ApiError> {
    accs.iter().find(|a| a.arn == arn).ok_or_else(|| {
        ApiError::client(
            "AcceleratorNotFoundException",
            format!("Accelerator {arn} not found"),
        )
    })
}

fn list_listeners(accs: &[AcceleratorRes], req: &Value, ctx: &mut Ctx) -> Result<Value, ApiError> {
    let arn = str_of(req, "AcceleratorArn").unwrap_or_default();
    ctx.resource = arn.to_string();
    let acc = find(accs, arn)?;
    let (a, b, next) = paginate(
        str_of(req, "NextToken"),
        1,
        page_size(req)?,
        "InvalidNextTokenException",
    )?;
    let list: Vec<Value> = [acc][a..b]
        .iter()
        .map(|x| {
            json!({
                "ListenerArn": x.listener_arn,
                "Protocol": "TCP",
                "ClientAffinity": "NONE",
                "PortRanges": [{ "FromPort": 443, "ToPort": 443 }],
            })
        })
        .collect();
    Ok(with_token(json!({ "Listeners": list }), next))
}

fn group_arn(listener: &str, g: &GaGroupState) -> String {
    let id = crate::source::stable_hash(&g.region);
    format!("{listener}/endpoint-group/{:012x}", id & 0xffff_ffff_ffff)
}

fn group_value(listener: &str, g: &GaGroupState) -> Value {
    json!({
        "EndpointGroupArn": group_arn(listener, g),
        "EndpointGroupRegion": g.region,
        "TrafficDialPercentage": g.dial,
        "HealthCheckPort": 80,
        "HealthCheckProtocol": "HTTP",
        "HealthCheckPath": "/health",
        "HealthCheckIntervalSeconds": 30,
        "ThresholdCount": 3,
        "EndpointDescriptions": [{
            "EndpointId": g.endpoint,
            "Weight": g.weight,
            "HealthState": g.health.as_str(),
            "ClientIPPreservationEnabled": true,
        }],
    })
}

fn list_endpoint_groups(
    served: &Served,
    accs: &[AcceleratorRes],
    req: &Value,
    ctx: &mut Ctx,
) -> Result<Value, ApiError> {
    let listener = str_of(req, "ListenerArn").unwrap_or_default();
    ctx.resource = listener.to_string();
    if !accs.iter().any(|a| a.listener_arn == listener) {
        return Err(ApiError::client(
            "ListenerNotFoundException",
            format!("Listener {listener} not found"),
        ));
    }
    let groups = served.world().ga_groups(ctx.now);
    let (a, b, next) = paginate(
        str_of(req, "NextToken"),
        groups.len(),
        page_size(req)?,
        "InvalidNextTokenException",
    )?;
    let list: Vec<Value> = groups[a..b]
        .iter()
        .map(|g| group_value(listener, g))
        .collect();
    Ok(with_token(json!({ "EndpointGroups": list }), next))
}

fn describe_endpoint_group(
    served: &Served,
    accs: &[AcceleratorRes],
    req: &Value,
    ctx: &mut Ctx,
) -> Result<Value, ApiError> {
    let arn = str_of(req, "EndpointGroupArn").unwrap_or_default();
    ctx.resource = arn.to_string();
    let groups = served.world().ga_groups(ctx.now);
    accs.iter()
        .flat_map(|a| groups.iter().map(move |g| (a, g)))
        .find(|(a, g)| group_arn(&a.listener_arn, g) == arn)
        .map(|(a, g)| json!({ "EndpointGroup": group_value(&a.listener_arn, g) }))
        .ok_or_else(|| {
            ApiError::client(
                "EndpointGroupNotFoundException",
                format!("Endpoint group {arn} not found"),
            )
        })
}
