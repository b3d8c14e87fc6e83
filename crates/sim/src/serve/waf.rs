//! WAFv2 over AWS JSON 1.1: `ListWebACLs` (by scope; CLOUDFRONT only in us-east-1; `Limit`
//! and `NextMarker`) and `GetSampledRequests` (a window within the last three hours, up to
//! `MaxItems` samples of one rule's matches, with the population size). As AWS does, a start
//! earlier than three hours ago is moved to three hours ago (and an end after now to now), and
//! the answer's `TimeWindow` says what was sampled, so a call never covers more than 180
//! minutes whatever window it asks for.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::json::{self, epoch, int_of, paginate, str_of, time_of};
use super::route::{ApiError, Ctx, Reply};
use super::state::Served;
use crate::WebAclRes;

const CLOUDFRONT_REGION: &str = "us-east-1";
/// How far back GetSampledRequests reaches.
pub(crate) const SAMPLE_REACH: TimeDelta = TimeDelta::hours(3);

pub(crate) fn handle(
    served: &Served,
    op: &str,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let req = json::decode(body)?;
    let cloudfront = match str_of(&req, "Scope") {
        Some("CLOUDFRONT") => true,
        Some("REGIONAL") => false,
        other => {
            return Err(invalid(&format!(
                "Scope {other:?} is not REGIONAL or CLOUDFRONT"
            )));
        }
    };
    if cloudfront && ctx.region != CLOUDFRONT_REGION {
        return Err(invalid("CLOUDFRONT scope calls must be made in us-east-1"));
    }
    let acls: Vec<WebAclRes> = served
        .world()
        .web_acls()
        .into_iter()
        .filter(|a| a.cloudfront == cloudfront && (cloudfront || a.region == ctx.region))
        .collect();
    let out = match op {
        "ListWebACLs" => list_web_acls(&acls, &req)?,
        "GetSampledRequests" => sampled(served, &acls, &req, ctx)?,
        "GetWebACL" => super::waf_acl::get_web_acl(served, &acls, &req, ctx)?,
        _ => {
            return Err(ApiError::client(
                "UnknownOperationException",
                format!("WAFv2 operation {op} is not served by the simulator"),
            ));
        }
    };
    Ok(json::ok(&out))
}

fn invalid(m: &str) -> ApiError {
    ApiError::client("WAFInvalidParameterException", m)
}

fn list_web_acls(acls: &[WebAclRes], req: &Value) -> Result<Value, ApiError> {
    let limit = int_of(req, "Limit").unwrap_or(100);
    if !(1..=100).contains(&limit) {
        return Err(invalid("Limit must be between 1 and 100"));
    }
    let (a, b, next) = paginate(
        str_of(req, "NextMarker"),
        acls.len(),
        limit as usize,
        "WAFInvalidParameterException",
    )?;
    let list: Vec<Value> = acls[a..b]
        .iter()
        .map(|x| {
            json!({
                "Name": x.name,
                "Id": x.id,
                "ARN": x.arn,
                "Description": "",
                "LockToken": "3c1d5b7e-0000-4000-8000-000000000001",
            })
        })
        .collect();
    let mut out = json!({ "WebACLs": list });
    if let (Some(m), Some(o)) = (next, out.as_object_mut()) {
        o.insert("NextMarker".into(), Value::from(m));
    }
    Ok(out)
}

/// The window a GetSampledRequests samples: as asked (journaled), from at most three hours
/// ago and up to now, as AWS does.
fn sample_window(req: &Value, ctx: &mut Ctx) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let window = req.get("TimeWindow").cloned().unwrap_or_default();
    let (Some(start), Some(end)) = (time_of(&window, "StartTime"), time_of(&window, "EndTime"))
    else {
        return Err(invalid("TimeWindow needs StartTime and EndTime"));
    };
    ctx.window = Some((start, end));
    if end <= start {
        return Err(invalid("TimeWindow must end after it starts"));
    }
    // AWS: any range in the previous three hours; an earlier start is moved to three hours
    // ago. Nothing is sampled after now. A window left empty is refused.
    let (start, end) = (start.max(ctx.now - SAMPLE_REACH), end.min(ctx.now));
    if end <= start {
        return Err(invalid(
            "TimeWindow must lie within the previous three hours",
        ));
    }
    Ok((start, end))
}

fn sampled(
    served: &Served,
    acls: &[WebAclRes],
    req: &Value,
    ctx: &mut Ctx,
) -> Result<Value, ApiError> {
    let arn = str_of(req, "WebAclArn").unwrap_or_default();
    let rule = str_of(req, "RuleMetricName").unwrap_or_default();
    ctx.resource = format!("{arn} {rule}");
    let acl = acls.iter().find(|a| a.arn == arn).ok_or_else(|| {
        ApiError::client(
            "WAFNonexistentItemException",
            "AWS WAF couldn't perform the operation because your resource doesn't exist.",
        )
    })?;
    let (start, end) = sample_window(req, ctx)?;
    let max = int_of(req, "MaxItems").unwrap_or(100);
    if !(1..=500).contains(&max) {
        return Err(invalid("MaxItems must be between 1 and 500"));
    }
    let (population, requests) = served
        .world()
        .sampled_requests(acl.name, rule, start, end, max as usize)
        .unwrap_or_default();
    let samples: Vec<Value> = requests
        .iter()
        .map(|r| {
            let headers: Vec<Value> = r
                .headers
                .iter()
                .map(|(n, v)| json!({ "Name": n, "Value": v }))
                .collect();
            let mut request = json!({
                "ClientIP": r.client_ip,
                "URI": r.uri,
                "Method": r.method,
                "HTTPVersion": "HTTP/1.1",
                "Headers": headers,
            });
            if let (Some(c), Some(o)) = (&r.country, request.as_object_mut()) {
                o.insert("Country".into(), Value::from(c.clone()));
            }
            let mut s = json!({
                "Request": request,
                "Weight": r.weight,
                "Timestamp": epoch(r.ts),
                "Action": r.action,
            });
            // A rule inside a rule group is named after the metric name, behind a `/`.
            let inner = r
                .rule
                .as_deref()
                .and_then(|x| x.strip_prefix(rule))
                .and_then(|x| x.strip_prefix('/'));
            if let (Some(i), Some(o)) = (inner, s.as_object_mut()) {
                o.insert("RuleNameWithinRuleGroup".into(), Value::from(i));
            }
            s
        })
        .collect();
    Ok(json!({
        "SampledRequests": samples,
        "PopulationSize": population,
        "TimeWindow": { "StartTime": epoch(start), "EndTime": epoch(end) },
    }))
}
