//! Route 53 over REST-XML for `warroom ready` against the simulator: `ListHostedZones`
//! (`GET /2013-04-01/hostedzone`) and `ListResourceRecordSets`
//! (`GET /2013-04-01/hostedzone/{Id}/rrset?name=...&maxitems=N`), from the world's one zone.

use super::route::{ApiError, Ctx, Reply, Service, id_ns};
use super::state::Served;
use super::xml::Xml;
use crate::{ZONE_ID, ZONE_NAME};

/// The operation a path under `/2013-04-01/` names.
pub(crate) fn operation(rest: &str) -> &'static str {
    if rest == "hostedzone" {
        "ListHostedZones"
    } else if rest.starts_with("hostedzone/") && rest.ends_with("/rrset") {
        "ListResourceRecordSets"
    } else {
        "Unknown"
    }
}

fn query_param(target: &str, key: &str) -> Option<String> {
    let q = target.split_once('?')?.1;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub(crate) fn handle(
    served: &Served,
    op: &str,
    target: &str,
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    match op {
        "ListHostedZones" => Ok(zones()),
        "ListResourceRecordSets" => records(served, target, ctx),
        _ => Err(ApiError::new(
            404,
            "UnknownOperation",
            format!("{target} is not served by the simulator"),
        )),
    }
}

fn zones() -> Reply {
    let mut x = Xml::new();
    x.open_ns(id_ns(Service::Route53), "ListHostedZonesResponse")
        .open("HostedZones")
        .open("HostedZone")
        .leaf("Id", &format!("/hostedzone/{ZONE_ID}"))
        .leaf("Name", &format!("{ZONE_NAME}."))
        .leaf("CallerReference", "hybridbts-2021-10-25")
        .open("Config")
        .leaf("PrivateZone", "false")
        .close("Config")
        .leaf("ResourceRecordSetCount", "4")
        .close("HostedZone")
        .close("HostedZones")
        .leaf("Marker", "")
        .leaf("IsTruncated", "false")
        .leaf("MaxItems", "100")
        .close("ListHostedZonesResponse");
    x.into_reply(200)
}

fn records(served: &Served, target: &str, ctx: &mut Ctx) -> Result<Reply, ApiError> {
    let path = target.split('?').next().unwrap_or_default();
    let zone = path
        .trim_start_matches("/2013-04-01/hostedzone/")
        .trim_end_matches("/rrset");
    ctx.resource = zone.to_string();
    if zone != ZONE_ID {
        return Err(ApiError::new(
            404,
            "NoSuchHostedZone",
            format!("No hosted zone found with ID: {zone}"),
        ));
    }
    let from = query_param(target, "name").map(|n| n.trim_end_matches('.').to_ascii_lowercase());
    let max: usize = query_param(target, "maxitems")
        .and_then(|m| m.parse().ok())
        .unwrap_or(300)
        .clamp(1, 300);
    let all = served.world().records();
    let start = from.map_or(0, |f| {
        all.iter()
            .position(|r| r.name.trim_end_matches('.') >= f.as_str())
            .unwrap_or(all.len())
    });
    let page = &all[start..(start + max).min(all.len())];
    let mut x = Xml::new();
    x.open_ns(id_ns(Service::Route53), "ListResourceRecordSetsResponse")
        .open("ResourceRecordSets");
    for r in page {
        x.open("ResourceRecordSet")
            .leaf("Name", r.name)
            .leaf("Type", r.kind);
        if r.alias {
            x.open("AliasTarget")
                .leaf("HostedZoneId", "Z2BJ6XQ5FK7U4H")
                .leaf("DNSName", r.value)
                .leaf("EvaluateTargetHealth", "true")
                .close("AliasTarget");
        } else {
            x.leaf("TTL", &r.ttl.unwrap_or(300).to_string())
                .open("ResourceRecords")
                .open("ResourceRecord")
                .leaf("Value", r.value)
                .close("ResourceRecord")
                .close("ResourceRecords");
        }
        x.close("ResourceRecordSet");
    }
    let more = start + max < all.len();
    x.close("ResourceRecordSets")
        .leaf("IsTruncated", if more { "true" } else { "false" });
    if more {
        x.leaf("NextRecordName", all[start + max].name)
            .leaf("NextRecordType", all[start + max].kind);
    }
    x.leaf("MaxItems", &max.to_string())
        .close("ListResourceRecordSetsResponse");
    Ok(x.into_reply(200))
}
