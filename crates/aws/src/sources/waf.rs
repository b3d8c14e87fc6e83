//! `WAFv2` sampled requests: the web ACL found by name and scope once (`ListWebACLs`, paginated by
//! `NextMarker`), then per tick one `GetSampledRequests` per `sample_rules` entry over the last poll
//! window (`MaxItems` 100), merged into one `WafSampleBatch`. Counters come from `CloudWatch`.
//! CLOUDFRONT-scope calls must use the us-east-1 client (`ClientSet::waf`).

use aws_sdk_wafv2::Client;
use aws_sdk_wafv2::types::{SampledHttpRequest, Scope, TimeWindow};
use chrono::{DateTime, Utc};

use super::classify::CallError;
use super::{to_aws, to_utc};
use crate::config::layout::WafScope;
use crate::model::{SourceState, WafRequest, WafSampleBatch};

/// Sampled requests asked for per rule and window (the API allows 1 to 500).
pub(crate) const MAX_ITEMS: i64 = 100;
/// `ListWebACLs` page size (1 to 100).
const PAGE: i32 = 100;
/// Guard against a service that keeps returning a marker.
const MAX_PAGES: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum WafError {
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("web ACL {name:?} not found")]
    NotFound { name: String },
    #[error("invalid sample window: {0}")]
    Window(String),
}

impl WafError {
    pub fn state(&self) -> SourceState {
        match self {
            WafError::Call(c) => c.state,
            WafError::NotFound { .. } | WafError::Window(_) => SourceState::Error,
        }
    }
}

pub fn scope(s: WafScope) -> Scope {
    match s {
        WafScope::Regional => Scope::Regional,
        WafScope::Cloudfront => Scope::Cloudfront,
    }
}

/// The ARN of the web ACL named `name` in `scope`.
pub async fn find_web_acl(client: &Client, name: &str, s: WafScope) -> Result<String, WafError> {
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .list_web_acls()
            .scope(scope(s))
            .limit(PAGE)
            .set_next_marker(marker.take())
            .send()
            .await
            .map_err(|e| CallError::from_sdk("ListWebACLs", &e))?;
        if let Some(arn) = out
            .web_acls()
            .iter()
            .find(|a| a.name() == Some(name))
            .and_then(|a| a.arn())
        {
            return Ok(arn.to_string());
        }
        match out.next_marker() {
            Some(m) if !m.is_empty() && !out.web_acls().is_empty() => marker = Some(m.into()),
            _ => break,
        }
    }
    Err(WafError::NotFound { name: name.into() })
}

/// Sampled requests of every rule in `rules` over `[start, end)`, as one batch for ACL `id`.
pub async fn sample(
    client: &Client,
    id: &str,
    arn: &str,
    s: WafScope,
    rules: &[String],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<WafSampleBatch, WafError> {
    let window = TimeWindow::builder()
        .start_time(to_aws(start))
        .end_time(to_aws(end))
        .build()
        .map_err(|e| WafError::Window(e.to_string()))?;
    let mut batch = WafSampleBatch {
        acl: id.to_string(),
        start,
        end,
        population: 0,
        requests: vec![],
    };
    for rule in rules {
        let out = client
            .get_sampled_requests()
            .web_acl_arn(arn)
            .rule_metric_name(rule)
            .scope(scope(s))
            .time_window(window.clone())
            .max_items(MAX_ITEMS)
            .send()
            .await
            .map_err(|e| CallError::from_sdk("GetSampledRequests", &e))?;
        batch.population += u64::try_from(out.population_size()).unwrap_or(0);
        batch
            .requests
            .extend(out.sampled_requests().iter().map(|r| request(r, rule, end)));
    }
    Ok(batch)
}

/// One sampled request; `rule` is the metric name it was sampled under (with the rule inside
/// a rule group appended after `/` when AWS names it).
pub(crate) fn request(
    r: &SampledHttpRequest,
    rule: &str,
    fallback_ts: DateTime<Utc>,
) -> WafRequest {
    let req = r.request();
    let s = |v: Option<&str>| v.unwrap_or_default().to_string();
    WafRequest {
        ts: r.timestamp().and_then(to_utc).unwrap_or(fallback_ts),
        client_ip: s(req.and_then(|q| q.client_ip())),
        country: req.and_then(|q| q.country()).map(ToString::to_string),
        method: s(req.and_then(|q| q.method())),
        uri: s(req.and_then(|q| q.uri())),
        rule: Some(match r.rule_name_within_rule_group() {
            Some(inner) => format!("{rule}/{inner}"),
            None => rule.to_string(),
        }),
        action: s(r.action()),
        weight: u64::try_from(r.weight()).unwrap_or(0),
        headers: req
            .map(|q| {
                q.headers()
                    .iter()
                    .map(|h| (s(h.name()), s(h.value())))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
#[path = "waf_tests.rs"]
mod tests;
