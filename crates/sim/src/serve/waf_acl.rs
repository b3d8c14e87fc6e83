//! WAFv2 `GetWebACL` for `warroom ready` against the simulator: the web ACL's rules (managed
//! rule groups, the rate-based rule with its limit and window, COUNT where it only counts) and
//! its capacity units, at the virtual time.

use serde_json::{Value, json};

use super::json::str_of;
use super::route::{ApiError, Ctx};
use super::state::Served;
use crate::{RuleState, WebAclRes};

fn rule(r: &RuleState) -> Value {
    let visibility = json!({
        "SampledRequestsEnabled": true,
        "CloudWatchMetricsEnabled": true,
        "MetricName": r.name,
    });
    match (r.group, r.rate) {
        (Some(g), _) => json!({
            "Name": r.name,
            "Priority": r.priority,
            "Statement": { "ManagedRuleGroupStatement": { "VendorName": "AWS", "Name": g } },
            "OverrideAction": if r.count { json!({ "Count": {} }) } else { json!({ "None": {} }) },
            "VisibilityConfig": visibility,
        }),
        (None, rate) => {
            let (limit, window) = rate.unwrap_or((2000, 300));
            json!({
                "Name": r.name,
                "Priority": r.priority,
                "Statement": { "RateBasedStatement": {
                    "Limit": limit, "EvaluationWindowSec": window, "AggregateKeyType": "IP"
                } },
                "Action": if r.count { json!({ "Count": {} }) } else { json!({ "Block": {} }) },
                "VisibilityConfig": visibility,
            })
        }
    }
}

pub(crate) fn get_web_acl(
    served: &Served,
    acls: &[WebAclRes],
    req: &Value,
    ctx: &mut Ctx,
) -> Result<Value, ApiError> {
    let name = str_of(req, "Name").unwrap_or_default();
    let id = str_of(req, "Id").unwrap_or_default();
    ctx.resource = name.to_string();
    let acl = acls
        .iter()
        .find(|a| a.name == name && a.id == id)
        .ok_or_else(|| {
            ApiError::client(
                "WAFNonexistentItemException",
                "AWS WAF couldn’t perform the operation because your resource doesn’t exist.",
            )
        })?;
    let (rules, capacity) = served.world().web_acl_rules(acl.name, ctx.now);
    Ok(json!({
        "WebACL": {
            "Name": acl.name,
            "Id": acl.id,
            "ARN": acl.arn,
            "DefaultAction": { "Allow": {} },
            "Rules": rules.iter().map(rule).collect::<Vec<_>>(),
            "VisibilityConfig": {
                "SampledRequestsEnabled": true,
                "CloudWatchMetricsEnabled": true,
                "MetricName": acl.name,
            },
            "Capacity": capacity,
        },
        "LockToken": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    }))
}
