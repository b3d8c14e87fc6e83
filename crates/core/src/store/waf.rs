//! WAF sampled requests in the state fold: the latest sample window per web ACL, and the
//! aggregations the WAF view shows (top rules, client IPs, countries).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::model::{WafRequest, WafSampleBatch};

/// Requests kept per sample (`GetSampledRequests` returns at most 500).
const REQUESTS_KEPT: usize = 500;

/// What to group sampled requests by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WafKey {
    Rule,
    ClientIp,
    Country,
}

/// The latest sampled requests of one web ACL.
#[derive(Debug, Clone)]
pub struct WafState {
    /// Time of the poll.
    pub(crate) at: DateTime<Utc>,
    pub requests: Vec<WafRequest>,
}

impl WafState {
    pub(crate) fn from_batch(at: DateTime<Utc>, b: &WafSampleBatch) -> Self {
        WafState {
            at,
            requests: b.requests.iter().take(REQUESTS_KEPT).cloned().collect(),
        }
    }

    /// The `n` largest groups by summed weight, largest first (ties by key), optionally only
    /// requests with the given action (`BLOCK`, ...). Requests without the key are skipped.
    pub fn top(&self, key: WafKey, n: usize, action: Option<&str>) -> Vec<(String, u64)> {
        let mut sums: HashMap<&str, u64> = HashMap::new();
        for r in &self.requests {
            if action.is_some_and(|a| !r.action.eq_ignore_ascii_case(a)) {
                continue;
            }
            let k = match key {
                WafKey::Rule => r.rule.as_deref(),
                WafKey::ClientIp => Some(r.client_ip.as_str()),
                WafKey::Country => r.country.as_deref(),
            };
            if let Some(k) = k {
                *sums.entry(k).or_default() += r.weight.max(1);
            }
        }
        let mut v: Vec<(String, u64)> = sums.into_iter().map(|(k, w)| (k.to_string(), w)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }
}
