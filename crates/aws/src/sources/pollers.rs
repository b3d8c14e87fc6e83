//! The layout's sources as scheduler `Poller`s (one per region for metrics, alarms and watched
//! quotas, one per target group, accelerator, web ACL and log group), and `spawn_layout`, which starts them all.
//! Names are resolved to ARNs once and kept while polls succeed; after a failure they are looked
//! up again (the resource may have been re-created under a new ARN).

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::mpsc::Sender;
use tokio::task::JoinHandle;

use super::alarms::AlarmsError;
use super::clients::ClientSet;
use super::cloudwatch::CloudWatchError;
use super::elbv2::Elbv2Error;
use super::ga::GaError;
use super::logs::LogsError;
use super::scheduler::{self, PollError, Poller};
use super::waf::WafError;
use super::{alarms, cloudwatch, elbv2, ga, logs, waf};
use crate::clock::Clock;
use crate::config::layout::{Layout, LogGroup, TargetGroup, WebAcl};
use crate::metric_window::{RegionQueries, RegionQuotas};
use crate::model::{Event, EventBody};
use crate::source::{SourceId, SourceKind, layout_sources};

/// `GetSampledRequests` only reaches three hours back.
const WAF_MAX_LOOKBACK: TimeDelta = TimeDelta::hours(3);

fn err(state: crate::model::SourceState, detail: &dyn std::fmt::Display) -> PollError {
    PollError {
        state,
        detail: detail.to_string(),
    }
}

impl From<CloudWatchError> for PollError {
    fn from(e: CloudWatchError) -> Self {
        e.call().clone().into()
    }
}
impl From<Elbv2Error> for PollError {
    fn from(e: Elbv2Error) -> Self {
        err(e.state(), &e)
    }
}
impl From<GaError> for PollError {
    fn from(e: GaError) -> Self {
        err(e.state(), &e)
    }
}
impl From<WafError> for PollError {
    fn from(e: WafError) -> Self {
        err(e.state(), &e)
    }
}
impl From<AlarmsError> for PollError {
    fn from(e: AlarmsError) -> Self {
        err(e.state(), &e)
    }
}
impl From<LogsError> for PollError {
    fn from(e: LogsError) -> Self {
        err(e.state(), &e)
    }
}

pub struct MetricsPoller {
    pub(crate) source: String,
    pub(crate) client: aws_sdk_cloudwatch::Client,
    pub(crate) plan: RegionQueries,
    /// End of the last window polled successfully. Until a poll succeeds the window reaches
    /// back [`crate::metric_window::FIRST_POLL_HISTORY`]; after failed or throttled polls, back
    /// to the last settled bucket (`metric_window::region_window_since`), so an outage loses nothing
    /// CloudWatch still holds.
    pub(crate) last_end: Option<DateTime<Utc>>,
}

impl MetricsPoller {
    pub fn new(source: String, client: aws_sdk_cloudwatch::Client, plan: RegionQueries) -> Self {
        MetricsPoller {
            source,
            client,
            plan,
            last_end: None,
        }
    }
}

impl Poller for MetricsPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let (start, end) =
            crate::metric_window::region_window_since(now, &self.plan, self.last_end);
        let b = cloudwatch::poll_window(&self.client, &self.plan, start, end).await?;
        self.last_end = Some(end);
        Ok(vec![EventBody::Metrics(b)])
    }
}

pub struct TargetHealthPoller {
    pub source: String,
    pub client: aws_sdk_elasticloadbalancingv2::Client,
    pub group: TargetGroup,
    pub arn: Option<String>,
}

impl Poller for TargetHealthPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, _now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let arn = match self.arn.take() {
            Some(a) => a,
            None => elbv2::resolve_target_group(&self.client, &self.group.name).await?,
        };
        let s = elbv2::target_health(&self.client, &self.group.id, &arn).await?;
        self.arn = Some(arn);
        Ok(vec![EventBody::TargetHealth(s)])
    }
}

pub(crate) struct GaPoller {
    pub(crate) source: String,
    pub(crate) client: aws_sdk_globalaccelerator::Client,
    pub(crate) id: String,
    pub(crate) name: String,
    /// Listener ARNs, resolved once; dropped after any failure so they are looked up again.
    pub(crate) listeners: Option<Vec<String>>,
}

impl Poller for GaPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, _now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let listeners = if let Some(l) = self.listeners.take() {
            l
        } else {
            let arn = ga::find_accelerator(&self.client, &self.name).await?;
            ga::listeners(&self.client, &arn).await?
        };
        let s = ga::endpoint_groups(&self.client, &self.id, &listeners).await?;
        self.listeners = Some(listeners);
        Ok(vec![EventBody::GaEndpoints(s)])
    }
}

pub struct WafPoller {
    pub source: String,
    pub client: aws_sdk_wafv2::Client,
    pub acl: WebAcl,
    pub period: TimeDelta,
    pub arn: Option<String>,
    /// End of the last window sampled: the next window starts there, so none is lost.
    pub last_end: Option<DateTime<Utc>>,
}

impl Poller for WafPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let arn = match self.arn.take() {
            Some(a) => a,
            None => waf::find_web_acl(&self.client, &self.acl.name, self.acl.scope).await?,
        };
        let start = self
            .last_end
            .filter(|end| *end < now)
            .unwrap_or(now - self.period)
            .max(now - WAF_MAX_LOOKBACK + TimeDelta::minutes(1));
        let a = &self.acl;
        let b = waf::sample(
            &self.client,
            &a.id,
            &arn,
            a.scope,
            &a.sample_rules,
            start,
            now,
        )
        .await?;
        self.arn = Some(arn);
        self.last_end = Some(now);
        Ok(vec![EventBody::WafSample(b)])
    }
}

pub(crate) struct AlarmsPoller {
    pub(crate) source: String,
    pub(crate) client: aws_sdk_cloudwatch::Client,
    pub(crate) region: String,
    pub(crate) prefixes: Vec<String>,
}

impl Poller for AlarmsPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let s = alarms::describe(&self.client, &self.region, &self.prefixes, now).await?;
        Ok(vec![EventBody::Alarms(s)])
    }
}

pub struct LogsPoller {
    pub source: String,
    pub client: aws_sdk_cloudwatchlogs::Client,
    pub group: LogGroup,
}

impl Poller for LogsPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let g = &self.group;
        let b = logs::poll(&self.client, &g.id, &g.name, &g.filter, now).await?;
        Ok(vec![EventBody::Logs(b)])
    }
}

/// Starts one poller per source of the layout (`source::layout_sources`). Sources whose region
/// has no client are skipped with a warning (build `clients` from `Layout::regions()` to get
/// them all).
pub fn spawn_layout(
    layout: &Layout,
    clients: &ClientSet,
    clock: Clock,
    tx: &Sender<Vec<Event>>,
) -> Vec<JoinHandle<()>> {
    let mut plans = crate::metric_window::plan(layout);
    let mut out = vec![];
    for id in layout_sources(layout) {
        let poller = match id.kind {
            SourceKind::Metrics => plans.remove(&id.key).and_then(|plan| {
                let c = clients.region(&id.key)?;
                Some(AnyPoller::Metrics(MetricsPoller::new(
                    id.to_string(),
                    c.cloudwatch.clone(),
                    plan,
                )))
            }),
            _ => health_poller(layout, clients, &id),
        };
        match poller {
            Some(p) => out.push(p.spawn(id.kind, clock, tx)),
            None => {
                tracing::warn!(source = %id, "no AWS client for the source's region; source skipped");
            }
        }
    }
    out
}

/// One of the pollers, to start.
enum AnyPoller {
    Metrics(MetricsPoller),
    TargetHealth(TargetHealthPoller),
    Ga(GaPoller),
    Waf(WafPoller),
    Alarms(AlarmsPoller),
    Logs(LogsPoller),
    Quotas(QuotaPoller),
}

impl AnyPoller {
    fn spawn(self, kind: SourceKind, clock: Clock, tx: &Sender<Vec<Event>>) -> JoinHandle<()> {
        match self {
            AnyPoller::Metrics(p) => scheduler::spawn_for(p, kind, clock, tx),
            AnyPoller::TargetHealth(p) => scheduler::spawn_for(p, kind, clock, tx),
            AnyPoller::Ga(p) => scheduler::spawn_for(p, kind, clock, tx),
            AnyPoller::Waf(p) => scheduler::spawn_for(p, kind, clock, tx),
            AnyPoller::Alarms(p) => scheduler::spawn_for(p, kind, clock, tx),
            AnyPoller::Logs(p) => scheduler::spawn_for(p, kind, clock, tx),
            AnyPoller::Quotas(p) => scheduler::spawn_for(p, kind, clock, tx),
        }
    }
}

/// The poller of a source other than metrics, None when its region has no client.
fn health_poller(layout: &Layout, clients: &ClientSet, id: &SourceId) -> Option<AnyPoller> {
    let source = id.to_string();
    Some(match id.kind {
        SourceKind::Metrics => return None,
        SourceKind::TargetHealth => {
            let tg = layout.target_groups.iter().find(|t| t.id == id.key)?;
            AnyPoller::TargetHealth(TargetHealthPoller {
                source,
                client: clients.region(&tg.region)?.elbv2.clone(),
                group: tg.clone(),
                arn: None,
            })
        }
        SourceKind::GlobalAccelerator => {
            let a = layout.accelerators.iter().find(|a| a.id == id.key)?;
            AnyPoller::Ga(GaPoller {
                source,
                client: clients.ga.clone(),
                id: a.id.clone(),
                name: a.name.clone(),
                listeners: None,
            })
        }
        SourceKind::WafSamples => {
            let acl = layout.web_acls.iter().find(|a| a.id == id.key)?;
            AnyPoller::Waf(WafPoller {
                source,
                client: clients.waf(acl.scope, &acl.region)?.clone(),
                acl: acl.clone(),
                period: TimeDelta::from_std(id.kind.period()).unwrap_or(TimeDelta::minutes(1)),
                arn: None,
                last_end: None,
            })
        }
        SourceKind::Alarms => AnyPoller::Alarms(AlarmsPoller {
            source,
            client: clients.region(&id.key)?.cloudwatch.clone(),
            region: id.key.clone(),
            prefixes: layout.alarms.prefixes.clone(),
        }),
        SourceKind::Logs => {
            let g = layout.log_groups.iter().find(|g| g.id == id.key)?;
            AnyPoller::Logs(LogsPoller {
                source,
                client: clients.region(&g.region)?.logs.clone(),
                group: g.clone(),
            })
        }
        SourceKind::Quotas => AnyPoller::Quotas(QuotaPoller {
            source,
            client: clients.region(&id.key)?.cloudwatch.clone(),
            plan: crate::metric_window::quota_plan(layout).remove(&id.key)?,
        }),
    })
}

/// The quota source of one region: its watched quotas as percent of each quota.
pub(crate) struct QuotaPoller {
    pub(crate) source: String,
    pub(crate) client: aws_sdk_cloudwatch::Client,
    pub(crate) plan: RegionQuotas,
}

impl Poller for QuotaPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let b = super::quotas::poll(&self.client, &self.plan, now).await?;
        Ok(vec![EventBody::Metrics(b)])
    }
}

#[cfg(test)]
#[path = "pollers_tests.rs"]
mod tests;
