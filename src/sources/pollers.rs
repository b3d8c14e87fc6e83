//! The layout's sources as scheduler `Poller`s (one per region for metrics and alarms, one per
//! target group, accelerator, web ACL and log group), and `spawn_layout`, which starts them all.
//! Names are resolved to ARNs once and kept while polls succeed; after a failure they are looked
//! up again (the resource may have been re-created under a new ARN).

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::mpsc::Sender;
use tokio::task::JoinHandle;

use super::alarms::AlarmsError;
use super::clients::ClientSet;
use super::cloudwatch::{CloudWatchError, RegionQueries};
use super::elbv2::Elbv2Error;
use super::ga::GaError;
use super::logs::LogsError;
use super::scheduler::{self, Cadence, PollError, Poller, SourceKind};
use super::waf::WafError;
use super::{alarms, cloudwatch, elbv2, ga, logs, waf};
use crate::clock::Clock;
use crate::config::layout::{Layout, LogGroup, TargetGroup, WebAcl};
use crate::model::{Event, EventBody};

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
    pub source: String,
    pub client: aws_sdk_cloudwatch::Client,
    pub plan: RegionQueries,
    /// Until a poll succeeds, the window reaches back [`cloudwatch::FIRST_POLL_HISTORY`].
    pub primed: bool,
}

impl MetricsPoller {
    pub fn new(source: String, client: aws_sdk_cloudwatch::Client, plan: RegionQueries) -> Self {
        MetricsPoller {
            source,
            client,
            plan,
            primed: false,
        }
    }
}

impl Poller for MetricsPoller {
    fn source(&self) -> &str {
        &self.source
    }
    async fn poll(&mut self, now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        let (start, end) = if self.primed {
            cloudwatch::window(now, self.plan.period)
        } else {
            cloudwatch::window_with_history(now, self.plan.period, cloudwatch::FIRST_POLL_HISTORY)
        };
        let b = cloudwatch::poll_window(&self.client, &self.plan, start, end).await?;
        self.primed = true;
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

pub struct GaPoller {
    pub source: String,
    pub client: aws_sdk_globalaccelerator::Client,
    pub id: String,
    pub name: String,
    /// Listener ARNs, resolved once; dropped after any failure so they are looked up again.
    pub listeners: Option<Vec<String>>,
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

pub struct AlarmsPoller {
    pub source: String,
    pub client: aws_sdk_cloudwatch::Client,
    pub region: String,
    pub prefixes: Vec<String>,
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

fn start<P: Poller>(
    kind: SourceKind,
    p: P,
    clock: Clock,
    tx: &Sender<Vec<Event>>,
    out: &mut Vec<JoinHandle<()>>,
) {
    let cadence = Cadence::for_source(kind, p.source());
    tracing::info!(source = p.source(), ?cadence, "starting poller");
    out.push(scheduler::spawn(p, cadence, clock, tx.clone()));
}

/// Loads credentials, builds the clients of every region of the layout and starts its pollers
/// on the system clock. The profile is `profile` (`--profile`) if given, else the profile of the
/// layout's accounts when they name one (one client set for every account; `live::accounts`
/// and `live::LiveSession` build one per account with role assumption).
pub async fn start_live(
    layout: &Layout,
    profile: Option<&str>,
    tx: &Sender<Vec<Event>>,
) -> Vec<JoinHandle<()>> {
    let profile = profile.or_else(|| layout.accounts.iter().find_map(|a| a.profile.as_deref()));
    let clients = ClientSet::load(profile, &layout.regions()).await;
    spawn_layout(layout, &clients, Clock::system(), tx)
}

/// Starts one poller per source of the layout. Sources whose region has no client are skipped
/// with a warning (build `clients` from `Layout::regions()` to get them all).
pub fn spawn_layout(
    layout: &Layout,
    clients: &ClientSet,
    clock: Clock,
    tx: &Sender<Vec<Event>>,
) -> Vec<JoinHandle<()>> {
    let mut out = vec![];
    let missing = |what: &str, region: &str| {
        tracing::warn!(what, region, "no AWS client for region; source skipped");
    };
    for (region, plan) in cloudwatch::plan(layout) {
        let Some(c) = clients.region(&region) else {
            missing("metrics", &region);
            continue;
        };
        let p = MetricsPoller::new(
            crate::model::cloudwatch_source(&region),
            c.cloudwatch.clone(),
            plan,
        );
        start(SourceKind::Metrics, p, clock, tx, &mut out);
    }
    for tg in &layout.target_groups {
        let Some(c) = clients.region(&tg.region) else {
            missing(&tg.id, &tg.region);
            continue;
        };
        let p = TargetHealthPoller {
            source: format!("elbv2:{}", tg.id),
            client: c.elbv2.clone(),
            group: tg.clone(),
            arn: None,
        };
        start(SourceKind::TargetHealth, p, clock, tx, &mut out);
    }
    for a in &layout.accelerators {
        let p = GaPoller {
            source: format!("ga:{}", a.id),
            client: clients.ga.clone(),
            id: a.id.clone(),
            name: a.name.clone(),
            listeners: None,
        };
        start(SourceKind::GlobalAccelerator, p, clock, tx, &mut out);
    }
    for acl in &layout.web_acls {
        let Some(c) = clients.waf(acl.scope, &acl.region) else {
            missing(&acl.id, &acl.region);
            continue;
        };
        if acl.sample_rules.is_empty() {
            continue;
        }
        let p = WafPoller {
            source: format!("waf:{}", acl.id),
            client: c.clone(),
            acl: acl.clone(),
            period: TimeDelta::from_std(SourceKind::WafSamples.period())
                .unwrap_or(TimeDelta::minutes(1)),
            arn: None,
            last_end: None,
        };
        start(SourceKind::WafSamples, p, clock, tx, &mut out);
    }
    if !layout.alarms.prefixes.is_empty() {
        for region in &layout.alarms.regions {
            let Some(c) = clients.region(region) else {
                missing("alarms", region);
                continue;
            };
            let p = AlarmsPoller {
                source: format!("alarms:{region}"),
                client: c.cloudwatch.clone(),
                region: region.clone(),
                prefixes: layout.alarms.prefixes.clone(),
            };
            start(SourceKind::Alarms, p, clock, tx, &mut out);
        }
    }
    for g in &layout.log_groups {
        let Some(c) = clients.region(&g.region) else {
            missing(&g.id, &g.region);
            continue;
        };
        let p = LogsPoller {
            source: format!("logs:{}", g.id),
            client: c.logs.clone(),
            group: g.clone(),
        };
        start(SourceKind::Logs, p, clock, tx, &mut out);
    }
    spawn_quotas(layout, clients, clock, tx, &mut out);
    out
}

/// One quota poller per region with `quota.*` series.
fn spawn_quotas(
    layout: &Layout,
    clients: &ClientSet,
    clock: Clock,
    tx: &Sender<Vec<Event>>,
    out: &mut Vec<JoinHandle<()>>,
) {
    for (region, plan) in super::quotas::plan(layout) {
        let Some(c) = clients.region(&region) else {
            tracing::warn!(region, "no AWS client for region; quotas skipped");
            continue;
        };
        let p = QuotaPoller {
            source: format!("quotas:{region}"),
            client: c.cloudwatch.clone(),
            plan,
        };
        start(SourceKind::Quotas, p, clock, tx, out);
    }
}

pub struct QuotaPoller {
    pub source: String,
    pub client: aws_sdk_cloudwatch::Client,
    pub plan: super::quotas::RegionQuotas,
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
