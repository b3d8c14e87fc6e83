//! The validated layout: what warroom watches and how it judges it. Produced by `config::load`
//! from the TOML file (and the runbook it names); read, never mutated, by every later stage.
//! The raw TOML shapes live in `config::raw`; this is the model everything downstream uses.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::expr::Expr;
use super::runbook::Runbook;

#[derive(Debug, Clone)]
pub struct Layout {
    /// Path the layout was read from (as given), for messages.
    pub path: String,
    /// The layout text as read, embedded in recordings.
    pub text: String,
    pub event: EventInfo,
    pub accounts: Vec<Account>,
    pub series: Vec<Series>,
    pub target_groups: Vec<TargetGroup>,
    pub accelerators: Vec<Accelerator>,
    pub web_acls: Vec<WebAcl>,
    pub log_groups: Vec<LogGroup>,
    pub alarms: Alarms,
    pub panels: Vec<Panel>,
    pub return_to_normal: ReturnToNormal,
    pub summary: SummaryConfig,
    pub runbook: Option<Runbook>,
    /// The optional `[readiness]` section (`warroom ready`).
    pub readiness: Option<super::readiness::Readiness>,
    /// The optional `[availability]` section: the series availability is judged on.
    pub availability: Option<AvailabilitySeries>,
}

impl Layout {
    /// The header of a recording of this layout: its files as read (the runbook's too), made
    /// by `writer` at `created`, starting at `start`, from `source`.
    pub fn header(
        &self,
        writer: &str,
        created: DateTime<Utc>,
        start: DateTime<Utc>,
        source: crate::model::Source,
    ) -> crate::model::Header {
        crate::model::Header {
            format: crate::model::FORMAT_NAME.into(),
            version: crate::model::FORMAT_VERSION,
            writer: writer.to_string(),
            created,
            start,
            source,
            layout: crate::model::EmbeddedFile {
                path: self.path.clone(),
                text: self.text.clone(),
            },
            runbook: self.runbook.as_ref().map(|r| crate::model::EmbeddedFile {
                path: r.path.clone(),
                text: r.text.clone(),
            }),
        }
    }

    pub fn series_index(&self, id: &str) -> Option<usize> {
        self.series.iter().position(|s| s.id == id)
    }

    pub fn series_by_id(&self, id: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.id == id)
    }

    /// Every AWS region the layout polls, sorted and deduplicated.
    pub fn regions(&self) -> Vec<String> {
        let mut r: Vec<String> = self
            .series
            .iter()
            .filter_map(|s| match &s.source {
                SeriesSource::Metric(_) => Some(s.region.clone()),
                SeriesSource::Math { .. } => None,
            })
            .chain(self.target_groups.iter().map(|t| t.region.clone()))
            .chain(self.web_acls.iter().map(|w| w.region.clone()))
            .chain(self.log_groups.iter().map(|l| l.region.clone()))
            .chain(self.alarms.regions.iter().cloned())
            .chain((!self.accelerators.is_empty()).then(|| super::GA_API_REGION.to_string()))
            .collect();
        r.sort();
        r.dedup();
        r
    }
}

#[derive(Debug, Clone)]
pub struct EventInfo {
    pub name: String,
    /// T0: the moment the event starts (the drop).
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Time zones to display, first is the event's own.
    pub time_zones: Vec<Tz>,
    pub bridge_phone: Option<String>,
    pub bridge_url: Option<String>,
    pub success_criteria: Vec<SuccessCriterion>,
    /// Share of requests without 5xx the event must meet, in percent (`availability_target`).
    pub availability_target: Option<f64>,
    pub contacts: Vec<Contact>,
    /// When the post-mortem meets (`post_mortem`), named in the final summary.
    pub post_mortem: Option<DateTime<Utc>>,
}

impl EventInfo {
    /// The event's own time zone (the first of `time_zones`).
    pub fn tz(&self) -> Tz {
        self.time_zones.first().copied().unwrap_or(chrono_tz::UTC)
    }
}

/// A success criterion: its words, and the condition that judges it when the layout gives one
/// (it must hold throughout the event window; see docs/report.md).
#[derive(Debug, Clone)]
pub struct SuccessCriterion {
    pub(crate) text: String,
    /// The `when` condition as written, and parsed.
    pub(crate) when: Option<(String, Expr)>,
}

impl SuccessCriterion {
    /// A criterion of words only.
    pub fn words(text: &str) -> Self {
        SuccessCriterion {
            text: text.to_string(),
            when: None,
        }
    }
}

/// The count series availability is judged on (`[availability]`), by series id: requests, and
/// the requests that failed (5xx). Without the section, each load balancer's `RequestCount`
/// and 5xx counts are found by metric name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilitySeries {
    pub requests: Vec<String>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub role: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An AWS account and how to reach it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub account_id: Option<String>,
    pub profile: Option<String>,
    pub role_arn: Option<String>,
}

/// The smallest baseline a ratio is shown against: a ratio to a handful (`x378` over a
/// baseline of 0.1) says nothing a reader can use.
pub const RATIO_BASELINE_MIN: f64 = 10.0;

#[derive(Debug, Clone)]
pub struct Series {
    /// e.g. `seoul.unhealthy_hosts`.
    pub id: String,
    pub label: String,
    /// AWS region queried (for math, the region of its first input).
    pub region: String,
    /// Account id (the layout's `[[account]] id`).
    pub account: String,
    pub source: SeriesSource,
    pub unit: Unit,
    /// What a missing datapoint means.
    pub absent: Absent,
    /// The documented "normal" value.
    pub baseline: Option<f64>,
    pub threshold: Option<Threshold>,
    /// The level the event expects the series to reach in its window (T0 to the end), in the
    /// series' unit (`target = 2000` orders a minute). Not a threshold: it never sets a status;
    /// screens, summaries and the report say how far the series is from it.
    pub target: Option<f64>,
}

impl Series {
    /// Bucket width in seconds (math series: that of their coarsest input).
    /// Whether a ratio to the baseline (`x9.6`) tells the reader something: only for rates
    /// and counts (counters, `absent = "zero"`, in counts, a math series' sum of them too)
    /// against a baseline of at least [`RATIO_BASELINE_MIN`]; never for percentages, durations
    /// or gauges (CPU credits, host counts).
    pub fn ratio_informs(&self) -> bool {
        self.unit == Unit::Count
            && self.absent == Absent::Zero
            && self.baseline.is_some_and(|b| b >= RATIO_BASELINE_MIN)
    }

    /// Whether the series' worst value is its lowest (a "below" threshold: CPU credits, healthy
    /// hosts), not its highest. Business traffic judged against its baseline (a counter with a
    /// "below" threshold) keeps its peak as the figure: a collapse is judged now, the peak is
    /// what the event did.
    pub fn worst_is_lowest(&self) -> bool {
        self.threshold
            .as_ref()
            .is_some_and(|t| t.direction == Direction::Below)
            && !self.ratio_informs()
    }

    pub fn period(&self) -> u32 {
        match &self.source {
            SeriesSource::Metric(q) => q.period,
            SeriesSource::Math { period, .. } => *period,
        }
    }
}

#[derive(Debug, Clone)]
pub enum SeriesSource {
    Metric(MetricQuery),
    /// Computed client-side from other series, bucket by bucket.
    Math {
        expr: Expr,
        text: String,
        /// Bucket width: the largest period of its inputs (60 until resolved).
        period: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricQuery {
    pub namespace: String,
    pub metric: String,
    /// In file order.
    pub dimensions: Vec<(String, String)>,
    /// `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, `p99`, `p50`, ...
    pub stat: String,
    /// Seconds; 60 or a multiple of 60 (1, 5, 10, 20, 30 for high-resolution metrics).
    pub period: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// Counters that `CloudWatch` reports only when nonzero (ALB, WAF).
    Zero,
    /// Gauges such as host counts: no datapoint means we do not know.
    Unknown,
}

/// A series' unit: values and thresholds stay in it (as CloudWatch reports them, as its alarms
/// are set); [`Unit::human`] says how a reader is shown one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
    Seconds,
    Bytes,
    None,
    Milliseconds,
    Microseconds,
    Kilobytes,
    Megabytes,
    Gigabytes,
    Bits,
    CountPerSecond,
}

impl Unit {
    /// Every unit as the layout writes it (`unit = "count"`), in the order errors list them.
    pub(crate) const WORDS: [(&'static str, Unit); 12] = [
        ("count", Unit::Count),
        ("percent", Unit::Percent),
        ("seconds", Unit::Seconds),
        ("bytes", Unit::Bytes),
        ("none", Unit::None),
        ("milliseconds", Unit::Milliseconds),
        ("microseconds", Unit::Microseconds),
        ("kilobytes", Unit::Kilobytes),
        ("megabytes", Unit::Megabytes),
        ("gigabytes", Unit::Gigabytes),
        ("bits", Unit::Bits),
        ("count/second", Unit::CountPerSecond),
    ];

    /// The unit as the layout writes it: `count`, `count/second`.
    pub(crate) fn word(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, u)| *u == self)
            .map_or("none", |(w, _)| w)
    }

    /// A value in this unit as a reader is shown it: in one of `Count`, `Percent`, `Seconds`,
    /// `Bytes`, `None` (1,250 milliseconds as 1.25 seconds, 2 kilobytes as 2,000 bytes, bits as
    /// bytes, counts per second as counts).
    pub fn human(self, v: f64) -> (Unit, f64) {
        match self {
            Unit::Milliseconds => (Unit::Seconds, v / 1e3),
            Unit::Microseconds => (Unit::Seconds, v / 1e6),
            Unit::Kilobytes => (Unit::Bytes, v * 1e3),
            Unit::Megabytes => (Unit::Bytes, v * 1e6),
            Unit::Gigabytes => (Unit::Bytes, v * 1e9),
            Unit::Bits => (Unit::Bytes, v / 8.0),
            Unit::CountPerSecond => (Unit::Count, v),
            u => (u, v),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Bad when the value rises above the thresholds.
    Above,
    /// Bad when the value falls below the thresholds.
    Below,
}

/// Yellow past `warn`, Red past `crit` (strictly), held for `for_`; to return, the value must
/// come back past the threshold by `hysteresis`.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    pub direction: Direction,
    pub for_: TimeDelta,
    pub hysteresis: f64,
}

#[derive(Debug, Clone)]
pub struct TargetGroup {
    pub id: String,
    pub name: String,
    pub load_balancer: String,
    pub region: String,
    pub account: String,
}

#[derive(Debug, Clone)]
pub struct Accelerator {
    pub id: String,
    pub name: String,
    pub account: String,
    pub endpoint_groups: Vec<EndpointGroupDef>,
}

#[derive(Debug, Clone)]
pub struct EndpointGroupDef {
    pub region: String,
    /// Name of the load balancer behind the group.
    pub endpoint: String,
    /// Dial and weight expected outside an incident.
    pub(crate) dial: f64,
    pub weight: u32,
    /// Series id of the group's share of the accelerator's traffic (percent), shown on its row.
    pub share: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WafScope {
    Regional,
    Cloudfront,
}

#[derive(Debug, Clone)]
pub struct WebAcl {
    pub id: String,
    pub name: String,
    pub scope: WafScope,
    /// Region of the API and metrics: us-east-1 for CLOUDFRONT.
    pub region: String,
    pub account: String,
    /// Rule metric names whose requests are sampled (`GetSampledRequests`).
    pub sample_rules: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct LogGroup {
    pub id: String,
    pub name: String,
    pub region: String,
    pub account: String,
    pub filter: String,
}

#[derive(Debug, Clone, Default)]
pub struct Alarms {
    pub prefixes: Vec<String>,
    pub regions: Vec<String>,
}

/// Which series and health groups sit together, and in what priority (1 = shown first, kept
/// longest when the screen is small).
#[derive(Debug, Clone)]
pub struct Panel {
    pub id: String,
    pub title: String,
    pub priority: u32,
    pub series: Vec<String>,
    /// Ids of target groups, accelerators, web ACLs, log groups; `alarms` for the alarm list.
    pub health: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ReturnToNormal {
    /// How long every criterion must hold to declare the event over (default 15 min).
    pub streak: TimeDelta,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub name: String,
    pub(crate) text: String,
    pub(crate) expr: Expr,
}

#[derive(Debug, Clone)]
pub struct SummaryConfig {
    pub time_zone: Tz,
    pub cadence: TimeDelta,
    /// Faster cadence while overall status is Red.
    pub red_cadence: Option<TimeDelta>,
    /// Series ids reported as key metrics (default: the first six series with a baseline).
    pub metrics: Vec<String>,
    /// Series ids leadership reads first (`leadership`): the business metrics (orders,
    /// checkout, conversion, buyers), shown ahead of the technical ones.
    pub leadership: Vec<String>,
    pub sinks: Vec<Sink>,
}

#[derive(Debug, Clone)]
pub enum Sink {
    Directory {
        path: String,
    },
    Webhook {
        format: WebhookFormat,
        url_env: Option<String>,
        url_file: Option<String>,
    },
    Sns {
        topic_arn: String,
        region: String,
    },
}

impl Sink {
    /// The sink's name in the event log, the footer and the send prompt: `directory:summaries`,
    /// `webhook:slack:env:WARROOM_SLACK_URL`, `sns:arn:...`; never a URL.
    pub fn name(&self) -> String {
        match self {
            Sink::Directory { path } => format!("directory:{path}"),
            Sink::Webhook {
                format,
                url_env,
                url_file,
            } => {
                let f = format.word();
                match (url_env, url_file) {
                    (Some(v), _) => format!("webhook:{f}:env:{v}"),
                    (None, Some(p)) => format!("webhook:{f}:file:{p}"),
                    (None, None) => format!("webhook:{f}"),
                }
            }
            Sink::Sns { topic_arn, .. } => format!("sns:{topic_arn}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    Slack,
    Teams,
}

impl WebhookFormat {
    /// `slack` or `teams`, as the layout writes it.
    pub(crate) fn word(self) -> &'static str {
        match self {
            WebhookFormat::Slack => "slack",
            WebhookFormat::Teams => "teams",
        }
    }
}
