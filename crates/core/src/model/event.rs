//! The event log's vocabulary: the recording header and every event a source or an operator
//! appends. The dashboard state is a fold over these; their JSON form is the recording format
//! (see docs/event-log.md).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::health::{AlarmState, GaHealth, IncidentState, Severity, SourceState, TargetState};

/// The `format` field of every recording header.
pub const FORMAT_NAME: &str = "warroom-events";
/// Major version of the recording format. Readers accept their own major version and skip
/// (and count) event kinds they do not know; a breaking change bumps this number.
pub const FORMAT_VERSION: u32 = 1;

/// First line of a recording: what was watched, with which layout and runbook, from where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// warroom version that wrote the file.
    pub writer: String,
    /// Wall-clock time the recording was created.
    pub created: DateTime<Utc>,
    /// Event time of the first observation.
    pub start: DateTime<Utc>,
    pub source: Source,
    /// The layout text as used, so a replay needs nothing but the recording.
    pub layout: EmbeddedFile,
    /// The runbook text as used, if the layout names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook: Option<EmbeddedFile>,
}

/// A configuration file embedded in a header: the path it was read from and its full text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedFile {
    pub path: String,
    pub text: String,
}

/// Where the observations came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Simulator {
        scenario: String,
        seed: u64,
    },
    Aws {
        accounts: Vec<String>,
        regions: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
    },
    /// Built after the fact from CloudWatch history (`warroom backfill`): metrics and alarm
    /// state changes only; `missing` says what history could not give.
    Backfill {
        regions: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[serde(default)]
        missing: Vec<String>,
    },
}

/// One line of the log after the header: when it happened and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Event time (UTC): when the observation was made or the action taken.
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub body: EventBody,
}

/// Every kind of event. Serialised with a `kind` tag; unknown kinds are skipped by readers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    /// One GetMetricData poll of one region: every series of the layout in that region.
    Metrics(MetricBatch),
    /// One DescribeTargetHealth poll of one target group.
    TargetHealth(TargetHealthSnapshot),
    /// One Global Accelerator poll: every endpoint group of one accelerator.
    GaEndpoints(GaSnapshot),
    /// One GetSampledRequests poll of one web ACL.
    WafSample(WafSampleBatch),
    /// One DescribeAlarms poll of one region (alarms matching the layout's prefixes).
    Alarms(AlarmSnapshot),
    /// Recent error-log lines and per-minute error counts of one log group.
    Logs(LogBatch),
    /// A source's poll status changed (ok, slow, throttled, error, credentials expired, stale).
    SourceStatus(SourceStatus),
    /// Something a person did: ack, note, incident, annotation, ...
    Operator(OperatorEvent),
    /// A leadership summary, written before it is delivered (the outbox).
    Summary(super::summary::SummaryRecord),
    /// One attempt to deliver a summary to one sink.
    SummaryDelivery(super::summary::SummaryDelivery),
    /// Someone joined or left the room (a screen attached to the collector).
    Room(RoomChange),
    /// The readiness report, recorded when a live session starts (`warroom ready`).
    Readiness(super::readiness::ReadinessReport),
    /// The collector evaluated at `at` with nothing new and the room's judgement changed (a
    /// `for` clause matured, data went stale, a summary fell due), or it closes a step that
    /// shares its time with the next: every reader evaluates here as the collector did. A tick
    /// ends the batch it is in.
    Tick,
}

impl EventBody {
    /// The `kind` tag as written in the log.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Metrics(_) => "metrics",
            EventBody::TargetHealth(_) => "target_health",
            EventBody::GaEndpoints(_) => "ga_endpoints",
            EventBody::WafSample(_) => "waf_sample",
            EventBody::Alarms(_) => "alarms",
            EventBody::Logs(_) => "logs",
            EventBody::SourceStatus(_) => "source_status",
            EventBody::Operator(_) => "operator",
            EventBody::Summary(_) => "summary",
            EventBody::SummaryDelivery(_) => "summary_delivery",
            EventBody::Room(_) => "room",
            EventBody::Readiness(_) => "readiness",
            EventBody::Tick => "tick",
        }
    }

    /// Folded without evaluating at its time: a summary's delivery is stamped by the sink's
    /// clock, not the data's, so the collector does not judge the room there, and no reader
    /// may.
    pub fn is_quiet(&self) -> bool {
        matches!(self, EventBody::SummaryDelivery(_))
    }
}

/// The datapoints of one poll over the half-open window `[start, end)`.
/// A series listed with no point for a bucket inside the window means CloudWatch returned
/// nothing for it: zero for counters, unknown otherwise (the layout's `absent` says which).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricBatch {
    pub region: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub series: Vec<SeriesData>,
}

/// The points returned for one series id of the layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesData {
    pub id: String,
    pub points: Vec<Point>,
    /// False when the source returned an error or partial data for this series: its absent
    /// buckets are then unknown even for counters.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub complete: bool,
}

/// One datapoint: bucket start time, value, and whether the bucket is still provisional (the
/// newest bucket, not yet fully aggregated; a later batch revises it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub ts: DateTime<Utc>,
    pub v: f64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub p: bool,
}

/// DescribeTargetHealth of one target group, keyed by the layout's target-group id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetHealthSnapshot {
    pub target_group: String,
    pub targets: Vec<TargetInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetInfo {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub az: Option<String>,
    pub state: TargetState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Every endpoint group of one accelerator, keyed by the layout's accelerator id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaSnapshot {
    pub accelerator: String,
    pub groups: Vec<GaEndpointGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaEndpointGroup {
    pub region: String,
    /// Traffic dial, 0 to 100.
    pub dial: f64,
    pub endpoints: Vec<GaEndpoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaEndpoint {
    pub id: String,
    pub weight: u32,
    pub health: GaHealth,
}

/// GetSampledRequests of one web ACL over a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WafSampleBatch {
    pub acl: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Requests the sample was drawn from.
    pub population: u64,
    pub requests: Vec<WafRequest>,
}

/// A sampled request. Every string here came from the internet: sanitise before display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WafRequest {
    pub ts: DateTime<Utc>,
    pub client_ip: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub method: String,
    pub uri: String,
    /// Metric name of the rule that terminated the request, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE.
    pub action: String,
    pub weight: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
}

/// DescribeAlarms of one region, filtered by the layout's prefixes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmSnapshot {
    pub region: String,
    pub alarms: Vec<AlarmInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmInfo {
    pub name: String,
    pub kind: AlarmKind,
    pub state: AlarmState,
    /// State reason from AWS: hostile text, sanitise before display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the alarm last changed state (event time, not arrival time).
    pub updated: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    Metric,
    Composite,
    Log,
}

/// Recent error lines (newest first as returned) and per-minute error counts of a log group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogBatch {
    pub group: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LogLine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counts: Vec<LogCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    pub ts: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    /// Hostile text: sanitise before display.
    pub message: String,
}

/// Errors counted in the minute starting at `ts`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogCount {
    pub ts: DateTime<Utc>,
    pub count: u64,
}

/// A source's status changed. `source` is e.g. `cloudwatch:ap-northeast-2`, `elbv2:seoul.tg`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceStatus {
    pub source: String,
    pub state: SourceState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// An operator action, with who did it. Actions made while replaying a recording are
/// post-mortem annotations, kept apart from what the room did live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorEvent {
    /// The name the operator gave (`--operator`, else their login).
    pub who: String,
    /// The Unix account the action came from, as the collector saw it on its socket (absent
    /// for actions taken on the collector's own screen, and in older recordings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub post_mortem: bool,
    #[serde(flatten)]
    pub action: OperatorAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OperatorAction {
    RunbookAck {
        step: String,
    },
    RunbookDone {
        step: String,
    },
    /// A step the room decided not to take, and why (recordings before reasons have none).
    RunbookSkip {
        step: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    RunbookNote {
        step: String,
        text: String,
    },
    IncidentOpen {
        id: String,
        #[serde(flatten)]
        fields: IncidentFields,
    },
    IncidentUpdate {
        id: String,
        /// The incident's version the edit was made on: the collector refuses an edit made on
        /// an older one (someone else changed it meanwhile) instead of overwriting their change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u32>,
        #[serde(flatten)]
        fields: IncidentFields,
    },
    /// A mark on the timeline: "doors open", "WAF rule deployed".
    Annotation {
        text: String,
    },
    /// An operator confirmed the return-to-normal declaration (ends the event).
    RtnConfirm,
    /// An operator refused to confirm the declaration, and why (`Virginia still at 6 hosts`);
    /// it can be confirmed later.
    RtnRefuse {
        reason: String,
    },
    /// A shift hand-over note (who takes over, what to watch); the next summary carries it.
    Handover {
        text: String,
    },
}

/// A screen attached to the room or left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomChange {
    /// The connection, unique within the collector's run.
    pub conn: u64,
    /// The name the viewer gave (`--operator`).
    pub who: String,
    /// The Unix account of the viewer's process.
    pub user: String,
    pub change: RoomChangeKind,
    /// A screen that can only watch (`attach --read-only`, or not in the operators' group).
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Why someone left when they did not choose to (the link dropped, the collector restarted);
    /// for `churned`, how many times over how long (`2,000 times in 17 s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomChangeKind {
    Joined,
    Left,
    /// One account's screens joined and left faster than the room writes one by one: counted
    /// together (`reason`: how many times, over how long), presence unchanged.
    Churned,
}

/// Incident fields; on update, absent fields keep their previous value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<IncidentState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When the impact began (the form defaults it to the first firing runbook trigger); time
    /// to resolve counts from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact_start: Option<DateTime<Utc>>,
    /// What caused it, written when it is resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_event_serialises_flat_with_kind_tag() {
        let at = DateTime::parse_from_rfc3339("2026-06-13T11:00:30Z")
            .expect("valid")
            .with_timezone(&Utc);
        let e = Event {
            at,
            body: EventBody::Metrics(MetricBatch {
                region: "ap-northeast-2".into(),
                start: at,
                end: at,
                series: vec![SeriesData {
                    id: "seoul.requests".into(),
                    points: vec![Point {
                        ts: at,
                        v: 2.0,
                        p: true,
                    }],
                    complete: true,
                }],
            }),
        };
        let line = serde_json::to_string(&e).expect("serialises");
        assert!(
            line.starts_with(r#"{"at":"2026-06-13T11:00:30Z","kind":"metrics""#),
            "{line}"
        );
        assert!(!line.contains("complete"), "default omitted: {line}");
        let back: Event = serde_json::from_str(&line).expect("parses");
        assert_eq!(back, e);
    }

    #[test]
    fn operator_event_round_trips() {
        let at = DateTime::parse_from_rfc3339("2026-06-13T11:15:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        let e = Event {
            at,
            body: EventBody::Operator(OperatorEvent {
                who: "noc1".into(),
                user: None,
                post_mortem: false,
                action: OperatorAction::RunbookAck {
                    step: "RB-03".into(),
                },
            }),
        };
        let line = serde_json::to_string(&e).expect("serialises");
        assert!(line.contains(r#""action":"runbook_ack""#), "{line}");
        assert_eq!(serde_json::from_str::<Event>(&line).expect("parses"), e);
    }
}
