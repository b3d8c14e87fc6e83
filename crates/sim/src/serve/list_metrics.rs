//! CloudWatch `ListMetrics` for every metric the world publishes (`World::metrics`), over the
//! three protocols its clients use: Smithy RPC v2 CBOR (the Rust SDK), AWS JSON 1.0
//! (`X-Amz-Target: GraniteServiceVersion20100801.ListMetrics`, newer AWS CLI v2) and the AWS
//! query protocol (`Action=ListMetrics`, XML, older CLIs and boto). Filters by `Namespace`,
//! `MetricName` and `Dimensions` (a name, or a name and value); pages of 500 with `NextToken`.

use serde_json::json;

use super::cbor;
use super::json::paginate;
use super::route::{ApiError, Ctx, Reply};
use super::state::Served;
use super::xml::{Xml, finish, one};
use crate::MetricRes;

/// Metrics per page, as CloudWatch returns them.
pub(crate) const PAGE: usize = 500;
const XMLNS: &str = "http://monitoring.amazonaws.com/doc/2010-08-01/";

/// How the request came and how to answer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    Cbor,
    Json,
    Query,
}

/// What a `ListMetrics` call asks for, whatever its protocol.
#[derive(Debug, Default)]
struct Ask {
    namespace: Option<String>,
    metric: Option<String>,
    /// (name, value) filters; a name alone matches any value.
    dims: Vec<(String, Option<String>)>,
    token: Option<String>,
}

impl Ask {
    fn from_cbor(body: &[u8]) -> Result<Ask, ApiError> {
        let v = cbor::decode(body)?;
        Ok(Ask {
            namespace: cbor::text(&v, "Namespace").map(ToString::to_string),
            metric: cbor::text(&v, "MetricName").map(ToString::to_string),
            dims: cbor::list(&v, "Dimensions")
                .iter()
                .map(|d| {
                    (
                        cbor::text(d, "Name").unwrap_or_default().to_string(),
                        cbor::text(d, "Value").map(ToString::to_string),
                    )
                })
                .collect(),
            token: cbor::text(&v, "NextToken").map(ToString::to_string),
        })
    }

    fn from_json(body: &[u8]) -> Result<Ask, ApiError> {
        let v = super::json::decode(body)?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(ToString::to_string);
        Ok(Ask {
            namespace: s("Namespace"),
            metric: s("MetricName"),
            dims: v
                .get("Dimensions")
                .and_then(|d| d.as_array())
                .map(|a| {
                    a.iter()
                        .map(|d| {
                            let f = |k| d.get(k).and_then(|x| x.as_str()).map(ToString::to_string);
                            (f("Name").unwrap_or_default(), f("Value"))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            token: s("NextToken"),
        })
    }

    fn from_form(body: &[u8]) -> Ask {
        let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        let dims = (1..=10)
            .map_while(|i| {
                let name = one(&form, &format!("Dimensions.member.{i}.Name"))?;
                let value = one(&form, &format!("Dimensions.member.{i}.Value"));
                Some((name.to_string(), value.map(ToString::to_string)))
            })
            .collect();
        Ask {
            namespace: one(&form, "Namespace").map(ToString::to_string),
            metric: one(&form, "MetricName").map(ToString::to_string),
            dims,
            token: one(&form, "NextToken").map(ToString::to_string),
        }
    }

    fn matches(&self, m: &MetricRes) -> bool {
        self.namespace.as_deref().is_none_or(|n| n == m.namespace)
            && self.metric.as_deref().is_none_or(|n| n == m.metric)
            && self.dims.iter().all(|(name, value)| {
                m.dimensions
                    .iter()
                    .any(|(k, v)| k == name && value.as_deref().is_none_or(|x| x == v))
            })
    }
}

pub(crate) fn handle(
    served: &Served,
    protocol: Protocol,
    body: &[u8],
    ctx: &mut Ctx,
) -> Result<Reply, ApiError> {
    let ask = match protocol {
        Protocol::Cbor => Ask::from_cbor(body)?,
        Protocol::Json => Ask::from_json(body)?,
        Protocol::Query => Ask::from_form(body),
    };
    if ask.dims.len() > 10 {
        return Err(ApiError::client(
            "InvalidParameterValue",
            "at most 10 dimension filters",
        ));
    }
    ctx.resource = ask.namespace.clone().unwrap_or_default();
    let found: Vec<MetricRes> = served
        .world()
        .metrics()
        .into_iter()
        .filter(|m| m.region == ctx.region && ask.matches(m))
        .collect();
    let (from, to, next) = paginate(ask.token.as_deref(), found.len(), PAGE, "InvalidNextToken")?;
    let page = &found[from..to];
    Ok(match protocol {
        Protocol::Cbor => cbor::ok(&to_cbor(page, next.as_deref())),
        Protocol::Json => {
            let mut r = super::json::ok(&to_json(page, next.as_deref()));
            r.headers = vec![("content-type", "application/x-amz-json-1.0".into())];
            r
        }
        Protocol::Query => to_xml(page, next.as_deref()),
    })
}

fn to_cbor(page: &[MetricRes], next: Option<&str>) -> ciborium::Value {
    let metrics = page
        .iter()
        .map(|m| {
            cbor::map(vec![
                ("Namespace", cbor::t(m.namespace)),
                ("MetricName", cbor::t(m.metric)),
                (
                    "Dimensions",
                    ciborium::Value::Array(
                        m.dimensions
                            .iter()
                            .map(|(k, v)| {
                                cbor::map(vec![("Name", cbor::t(k)), ("Value", cbor::t(v))])
                            })
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    let mut out = vec![("Metrics", ciborium::Value::Array(metrics))];
    if let Some(n) = next {
        out.push(("NextToken", cbor::t(n)));
    }
    cbor::map(out)
}

fn to_json(page: &[MetricRes], next: Option<&str>) -> serde_json::Value {
    let metrics: Vec<serde_json::Value> = page
        .iter()
        .map(|m| {
            json!({
                "Namespace": m.namespace,
                "MetricName": m.metric,
                "Dimensions": m.dimensions.iter().map(|(k, v)| json!({"Name": k, "Value": v})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut out = json!({ "Metrics": metrics });
    if let Some(n) = next {
        out["NextToken"] = json!(n);
    }
    out
}

fn to_xml(page: &[MetricRes], next: Option<&str>) -> Reply {
    let mut x = Xml::new();
    x.open_ns(XMLNS, "ListMetricsResponse")
        .open("ListMetricsResult")
        .open("Metrics");
    for m in page {
        x.open("member")
            .leaf("Namespace", m.namespace)
            .leaf("MetricName", m.metric)
            .open("Dimensions");
        for (k, v) in &m.dimensions {
            x.open("member")
                .leaf("Name", k)
                .leaf("Value", v)
                .close("member");
        }
        x.close("Dimensions").close("member");
    }
    x.close("Metrics");
    if let Some(n) = next {
        x.leaf("NextToken", n);
    }
    x.close("ListMetricsResult");
    finish(&mut x, "ListMetricsResponse");
    x.into_reply(200)
}

/// An error in the query protocol's XML (CloudWatch's namespace).
pub(crate) fn query_error(e: &ApiError) -> Reply {
    super::xml::error(XMLNS, e)
}
