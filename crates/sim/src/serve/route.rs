//! Which service, operation and region a request is for, and the dispatch to the protocol
//! module that answers it. CloudWatch is told by its RPC v2 path, the JSON 1.1 services by
//! `X-Amz-Target` (CloudWatch's JSON 1.0 too), the query-protocol services (ELBv2, Auto
//! Scaling, RDS, ElastiCache, CloudWatch) by the form body's `Action` and the credential scope;
//! the region comes from the SigV4 credential scope
//! (`Credential=AKID/date/REGION/service/aws4_request`).

use chrono::{DateTime, Utc};
use hyper::header::HeaderMap;

use super::list_metrics::{self, Protocol};
use super::state::Served;
use super::{cbor, cloudwatch, elbv2, ga, json, logs, ready_compute, ready_data, ready_dns, waf};

/// The services the endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    CloudWatch,
    Elbv2,
    GlobalAccelerator,
    Waf,
    Logs,
    AutoScaling,
    Ecs,
    Rds,
    ElastiCache,
    Route53,
    ServiceQuotas,
}

impl Service {
    /// The name used in fault specs and the journal.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Service::CloudWatch => "cloudwatch",
            Service::Elbv2 => "elbv2",
            Service::GlobalAccelerator => "ga",
            Service::Waf => "waf",
            Service::Logs => "logs",
            Service::AutoScaling => "autoscaling",
            Service::Ecs => "ecs",
            Service::Rds => "rds",
            Service::ElastiCache => "elasticache",
            Service::Route53 => "route53",
            Service::ServiceQuotas => "servicequotas",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "cloudwatch" | "monitoring" => Service::CloudWatch,
            "elbv2" | "elasticloadbalancing" => Service::Elbv2,
            "ga" | "globalaccelerator" => Service::GlobalAccelerator,
            "waf" | "wafv2" => Service::Waf,
            "logs" => Service::Logs,
            "autoscaling" => Service::AutoScaling,
            "ecs" => Service::Ecs,
            "rds" => Service::Rds,
            "elasticache" => Service::ElastiCache,
            "route53" => Service::Route53,
            "servicequotas" | "service-quotas" => Service::ServiceQuotas,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const CW_PATH: &str = "/service/GraniteServiceVersion20100801/operation/";
/// Route 53's REST API version prefix.
const ROUTE53_PATH: &str = "/2013-04-01/";

/// A service error as the protocol module reports it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// HTTP 400 with `code`.
    pub(crate) fn client(code: &str, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    /// Whose fault, in the query protocols' `Type`: `Sender` for 4xx, `Receiver` for 5xx.
    pub(crate) fn fault_type(&self) -> &'static str {
        if self.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        }
    }
}

/// One HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn plain(status: u16, text: &str) -> Self {
        Reply {
            status,
            headers: vec![("content-type", "text/plain".into())],
            body: text.as_bytes().to_vec(),
        }
    }
}

/// What a request is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Identified {
    pub(crate) service: Service,
    pub(crate) op: String,
    /// How CloudWatch was asked (its SDK's CBOR, or JSON 1.0 and the query protocol of the AWS
    /// CLI); `Cbor` for every other service.
    pub(crate) protocol: Protocol,
    pub(crate) region: String,
    /// Path and query of the request (REST services read their input there).
    pub(crate) target: String,
}

/// Per-call context the handlers fill in for the journal.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub(crate) region: String,
    pub(crate) now: DateTime<Utc>,
    pub(crate) resource: String,
    pub(crate) window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// The region of a SigV4 `Authorization` header.
pub(crate) fn region_of(authorization: &str) -> Option<&str> {
    let cred = authorization.split("Credential=").nth(1)?;
    let scope = cred.split([',', ' ']).next()?;
    let parts: Vec<&str> = scope.split('/').collect();
    (parts.len() == 5 && parts[4] == "aws4_request" && !parts[2].is_empty()).then(|| parts[2])
}

/// The service name of a SigV4 credential scope (`autoscaling`, `rds`, ...).
fn scope_service(authorization: &str) -> Option<&str> {
    let cred = authorization.split("Credential=").nth(1)?;
    cred.split([',', ' ']).next()?.split('/').nth(3)
}

/// The query-protocol service a form POST is for, by its credential scope (ELBv2 by default).
fn query_service(headers: &HeaderMap) -> Service {
    match header(headers, "authorization").and_then(scope_service) {
        Some("autoscaling") => Service::AutoScaling,
        Some("rds") => Service::Rds,
        Some("elasticache") => Service::ElastiCache,
        Some("monitoring") => Service::CloudWatch,
        _ => Service::Elbv2,
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Tells the service, operation and region of a request, or the answer for one that is none.
pub(crate) fn identify(
    target: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Identified, Reply> {
    let path = target.split('?').next().unwrap_or_default();
    let mut protocol = Protocol::Cbor;
    let (service, op) = if let Some(op) = path.strip_prefix(CW_PATH) {
        (Service::CloudWatch, op.to_string())
    } else if let Some(rest) = path.strip_prefix(ROUTE53_PATH) {
        (Service::Route53, ready_dns::operation(rest).to_string())
    } else if let Some(target) = header(headers, "x-amz-target") {
        let (prefix, op) = target.split_once('.').unwrap_or((target, ""));
        let service = match prefix {
            "GlobalAccelerator_V20180706" => Service::GlobalAccelerator,
            "AWSWAF_20190729" => Service::Waf,
            "Logs_20140328" => Service::Logs,
            "AmazonEC2ContainerServiceV20141113" => Service::Ecs,
            "ServiceQuotasV20190624" => Service::ServiceQuotas,
            "GraniteServiceVersion20100801" => {
                protocol = Protocol::Json;
                Service::CloudWatch
            }
            _ => {
                return Err(json::error(&ApiError::client(
                    "UnknownOperationException",
                    format!("unknown target {target}"),
                )));
            }
        };
        (service, op.to_string())
    } else if header(headers, "content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        let action = form_urlencoded::parse(body)
            .find(|(k, _)| k == "Action")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let service = query_service(headers);
        if service == Service::CloudWatch {
            protocol = Protocol::Query;
        }
        (service, action)
    } else {
        return Err(Reply::plain(
            404,
            "not an AWS API request this endpoint serves",
        ));
    };
    let Some(region) = header(headers, "authorization").and_then(region_of) else {
        let e = ApiError::client(
            "MissingAuthenticationToken",
            "Request is missing a SigV4 Authorization header with a credential scope",
        );
        return Err(protocol_error(service, protocol, &e));
    };
    Ok(Identified {
        service,
        op,
        protocol,
        region: region.to_string(),
        target: target.to_string(),
    })
}

/// The answer of the world to one identified request.
pub(crate) fn answer(served: &Served, id: &Identified, body: &[u8], ctx: &mut Ctx) -> Reply {
    let r = match id.service {
        Service::CloudWatch if id.op == "ListMetrics" => {
            list_metrics::handle(served, id.protocol, body, ctx)
        }
        Service::CloudWatch if id.protocol != Protocol::Cbor => Err(ApiError::client(
            "InvalidAction",
            format!(
                "the simulator serves CloudWatch {} over the SDK's CBOR protocol only",
                id.op
            ),
        )),
        Service::CloudWatch => cloudwatch::handle(served, &id.op, body, ctx),
        Service::Elbv2 => elbv2::handle(served, &id.op, body, ctx),
        Service::GlobalAccelerator => ga::handle(served, &id.op, body, ctx),
        Service::Waf => waf::handle(served, &id.op, body, ctx),
        Service::Logs => logs::handle(served, &id.op, body, ctx),
        Service::AutoScaling | Service::Ecs | Service::ServiceQuotas => {
            ready_compute::handle(served, id.service, &id.op, body, ctx)
        }
        Service::Rds | Service::ElastiCache => {
            ready_data::handle(served, id.service, &id.op, body, ctx)
        }
        Service::Route53 => ready_dns::handle(served, &id.op, &id.target, ctx),
    };
    r.unwrap_or_else(|e| id_error(id, &e))
}

/// An error in the protocol the request came in.
pub(crate) fn id_error(id: &Identified, e: &ApiError) -> Reply {
    protocol_error(id.service, id.protocol, e)
}

fn protocol_error(service: Service, protocol: Protocol, e: &ApiError) -> Reply {
    match (service, protocol) {
        (Service::CloudWatch, Protocol::Json) => json::error(e),
        (Service::CloudWatch, Protocol::Query) => list_metrics::query_error(e),
        _ => error_reply(service, e),
    }
}

/// An error in the service's protocol.
pub(crate) fn error_reply(service: Service, e: &ApiError) -> Reply {
    match service {
        Service::CloudWatch => cbor::error(e),
        Service::Elbv2 => elbv2::error(e),
        Service::AutoScaling | Service::Rds | Service::ElastiCache | Service::Route53 => {
            ready_data::error(id_ns(service), e)
        }
        _ => json::error(e),
    }
}

/// The XML namespace of a query or REST-XML service's answers.
pub(crate) fn id_ns(service: Service) -> &'static str {
    match service {
        Service::AutoScaling => "http://autoscaling.amazonaws.com/doc/2011-01-01/",
        Service::Rds => "http://rds.amazonaws.com/doc/2014-10-31/",
        Service::ElastiCache => "http://elasticache.amazonaws.com/doc/2015-02-02/",
        Service::Route53 => "https://route53.amazonaws.com/doc/2013-04-01/",
        _ => "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
    }
}

/// A 200 answer whose body does not parse in the service's protocol.
pub(crate) fn malformed(service: Service) -> Reply {
    let (ctype, body): (&str, &[u8]) = match service {
        Service::CloudWatch => ("application/cbor", &[0xbf, 0x63, 0x4d, 0x65, 0xff, 0x1c]),
        Service::Elbv2
        | Service::AutoScaling
        | Service::Rds
        | Service::ElastiCache
        | Service::Route53 => ("text/xml", b"<DescribeTargetHealthResponse><Desc"),
        _ => ("application/x-amz-json-1.1", b"{\"truncated\": [1, 2"),
    };
    Reply {
        status: 200,
        headers: vec![("content-type", ctype.into())],
        body: body.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_comes_from_the_credential_scope() {
        let h = "AWS4-HMAC-SHA256 Credential=AKID/20260613/ap-northeast-2/monitoring/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
        assert_eq!(region_of(h), Some("ap-northeast-2"));
        assert_eq!(region_of("AWS4-HMAC-SHA256 Credential=AKID/20260613"), None);
        assert_eq!(region_of("Bearer x"), None);
    }

    #[test]
    fn services_are_told_apart() {
        let mut h = HeaderMap::new();
        h.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=A/20260613/us-west-2/globalaccelerator/aws4_request"
                .parse()
                .expect("header"),
        );
        h.insert(
            "x-amz-target",
            "GlobalAccelerator_V20180706.ListAccelerators"
                .parse()
                .expect("header"),
        );
        let id = identify("/", &h, b"{}").expect("identified");
        assert_eq!(id.service, Service::GlobalAccelerator);
        assert_eq!(id.op, "ListAccelerators");
        assert_eq!(id.region, "us-west-2");
        let cw = identify(
            "/service/GraniteServiceVersion20100801/operation/GetMetricData",
            &h,
            b"",
        )
        .expect("cw");
        assert_eq!(
            (cw.service, cw.op.as_str()),
            (Service::CloudWatch, "GetMetricData")
        );
        h.remove("authorization");
        let missing = identify("/", &h, b"{}").expect_err("no auth");
        assert_eq!(missing.status, 400);
    }
}
