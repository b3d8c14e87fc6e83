//! The leadership summary as recorded in the event log: the `summary` event (the outbox entry,
//! written before any delivery) and the `summary_delivery` event (one sink attempt's result).
//! Built by `crate::summary`, folded by `crate::store`; no secret ever appears here (sinks are
//! named, never addressed by URL).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::health::{IncidentState, Severity};
use super::status::Status;

/// Why a summary was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryKind {
    /// On the schedule (the layout's cadence: hourly by default, faster while Red; the
    /// summary's `schedule` says which). Written `hourly` whatever the cadence.
    Hourly,
    /// The event ended, or return to normal was declared and confirmed.
    Final,
    /// Asked for by an operator (`s` in the dashboard, `warroom summary`).
    OnDemand,
}

impl SummaryKind {
    pub fn word(self) -> &'static str {
        match self {
            SummaryKind::Hourly => "scheduled",
            SummaryKind::Final => "final",
            SummaryKind::OnDemand => "on-demand",
        }
    }
}

/// The direction of the overall status: against the previous summary, except that coming down
/// from something worse since then is improving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// No previous summary.
    First,
    Improving,
    Steady,
    Worsening,
}

impl Trend {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Trend::First => "first report",
            Trend::Improving => "improving",
            Trend::Steady => "steady",
            Trend::Worsening => "worsening",
        }
    }
}

/// The `summary` event's body: the summary, nested (its own `kind` and `at` would clash with
/// the event's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryRecord {
    pub summary: Box<Summary>,
    /// The Unix account of the screen that sent it on demand (none for scheduled summaries
    /// and for the collector's own screen), as an operator event's `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// The summary as data: every renderer reads only this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Unique within the log: `S003-20260613T120000Z`.
    pub id: String,
    /// 1 for the first summary of the log.
    pub seq: u32,
    pub kind: SummaryKind,
    /// The data time the summary describes.
    pub at: DateTime<Utc>,
    /// The scheduled slot it stands for (hourly summaries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<DateTime<Utc>>,
    /// For a scheduled summary, the cadence it was made on: `hourly`, `every 30m`,
    /// `every 1m while RED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) schedule: Option<String>,
    pub(crate) event: String,
    /// IANA name of the zone times are shown in (the layout's `[summary] time_zone`).
    pub(crate) time_zone: String,
    /// The event's T0.
    pub(crate) t0: DateTime<Utc>,
    /// Time of the previous summary: "since" for incidents, steps and actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
    pub overall: Status,
    /// Why the overall status is worse than the data's: an open incident sets it
    /// (`INC-1 critical open`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) floor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) previous: Option<Status>,
    pub(crate) trend: Trend,
    /// The worst overall status seen since the previous summary.
    pub worst: Status,
    /// The drafted one-line headline.
    pub headline: String,
    /// The operator's headline, shown instead of the drafted one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline_override: Option<String>,
    /// The operator's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The newest shift hand-over note, when written since the previous summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) handover: Option<ActionLine>,
    /// The operator who sent it on demand (none for scheduled summaries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_by: Option<String>,
    /// Share of requests without a 5xx over the period (none without load-balancer series).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<AvailabilityLine>,
    pub metrics: Vec<KeyMetric>,
    pub incidents_open: Vec<IncidentLine>,
    pub(crate) incidents_resolved: Vec<IncidentLine>,
    pub steps_fired: Vec<StepLine>,
    /// The room's actions since the previous summary, the newest 20.
    pub actions: Vec<ActionLine>,
    /// How many actions the room took since the previous summary, when more than are listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) actions_total: Option<usize>,
    pub rtn: RtnLine,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge_url: Option<String>,
    /// When the next summary is due (none after the final one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update: Option<DateTime<Utc>>,
    /// The final summary's recap of the whole event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recap: Option<Recap>,
}

/// The event's recap, carried by the final summary: every outage and incident of the event
/// (not only those since the previous summary), the success criteria judged, how long the
/// return to normal took and what follows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recap {
    /// Periods the data was RED (not an open incident's floor), in time order.
    pub outages: Vec<Window>,
    /// Every incident the room opened, oldest first, with when it was resolved.
    pub incidents: Vec<RecapIncident>,
    /// The layout's success criteria, judged.
    pub criteria: Vec<CriterionLine>,
    /// The post-mortem meeting (`[event] post_mortem`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_mortem: Option<DateTime<Utc>>,
}

/// A period `[from, to)`; `open` when it had not ended at the summary's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) open: bool,
}

/// An incident in the recap: its line and when it was first resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecapIncident {
    #[serde(flatten)]
    pub line: IncidentLine,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<DateTime<Utc>>,
}

/// A success criterion with its verdict (`met`, `NOT met`, `cannot be judged automatically`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionLine {
    pub(crate) text: String,
    pub verdict: String,
    pub(crate) detail: String,
}

impl Summary {
    /// What made it, in a word: `hourly`, `every 1m while RED`, `final`, `on-demand`.
    pub fn kind_word(&self) -> &str {
        match (self.kind, &self.schedule) {
            (SummaryKind::Hourly, Some(s)) => s,
            (k, _) => k.word(),
        }
    }

    /// The headline to show: the operator's if set, else the drafted one.
    pub fn title_line(&self) -> &str {
        self.headline_override.as_deref().unwrap_or(&self.headline)
    }
}

/// Availability over the summary's period `[from, to)`: the share of the load balancers'
/// requests answered without a 5xx; and over the event so far when the period starts later (or
/// has no data of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvailabilityLine {
    pub(crate) from: DateTime<Utc>,
    pub(crate) to: DateTime<Utc>,
    pub(crate) requests: f64,
    pub(crate) errors: f64,
    /// Percent of requests without a 5xx; absent when no request bucket with data fell in the
    /// period (summaries every minute while Red, on 5-minute data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// The same since T0, when the period starts after it or has no data of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_percent: Option<f64>,
    /// The end of the newest request bucket counted: the data the figures stand on reaches
    /// this far (the report, made later, may count further).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) through: Option<DateTime<Utc>>,
    /// Why availability cannot be judged at all (`the layout has no 5xx series`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) unjudged: Option<String>,
    /// The layout's target, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) target: Option<f64>,
}

/// One key metric against its baseline. Its flags are the recorded JSON's (each omitted when
/// false), not a state machine: they stay separate booleans.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyMetric {
    pub id: String,
    pub label: String,
    /// `count`, `percent`, `seconds`, `bytes` or empty.
    pub(crate) unit: String,
    pub status: Status,
    pub(crate) now: Option<f64>,
    /// The worst value since T0 (highest, or lowest for a series whose threshold is "below").
    pub peak: Option<f64>,
    /// `peak` is the lowest value (the threshold is "below"): shown as `low`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) lowest: bool,
    pub(crate) peak_at: Option<DateTime<Utc>>,
    pub baseline: Option<f64>,
    /// `now / baseline`, when the baseline is not zero and the ratio informs
    /// ([`Series::ratio_informs`](crate::config::layout::Series::ratio_informs)).
    pub(crate) ratio: Option<f64>,
    /// No ratio to the baseline is shown, neither now nor at the peak: a percentage, a duration
    /// or a gauge, or a baseline too small for a ratio to mean anything.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) ratio_hidden: bool,
    /// One of the business metrics leadership reads first (`[summary] leadership`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) leadership: bool,
    /// The series has no threshold: its status is not a judgement, and no status word is shown
    /// beside it (a traffic collapse on a series nobody judges must not read GREEN).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) unjudged: bool,
    /// The level the event expects the series to reach (`target` in the layout), in the unit
    /// shown. Not a threshold: it judges nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) target: Option<f64>,
    /// The highest value of the event window so far (from T0, to its end), against the target:
    /// reached when at or above it. None before T0 and without a target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) target_best: Option<f64>,
}

/// An incident as the summary reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentLine {
    pub id: String,
    pub(crate) title: String,
    pub(crate) severity: Option<Severity>,
    pub state: Option<IncidentState>,
    pub(crate) plan: Option<String>,
    pub eta: Option<DateTime<Utc>>,
    pub owner: Option<String>,
    pub(crate) opened: DateTime<Utc>,
    pub(crate) updated: DateTime<Utc>,
    /// When the impact began, as the room gave it (else the incident's opening stands for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) impact_start: Option<DateTime<Utc>>,
}

/// A runbook step whose trigger fired since the previous summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepLine {
    pub id: String,
    pub(crate) title: String,
    /// First time it fired in the period.
    pub fired: DateTime<Utc>,
    /// Still firing at the summary's time.
    pub firing: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) acked_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) done_by: Option<String>,
}

/// Something an operator did since the previous summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionLine {
    pub(crate) at: DateTime<Utc>,
    pub(crate) who: String,
    pub text: String,
}

/// Return-to-normal progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RtnLine {
    pub(crate) met: usize,
    pub(crate) total: usize,
    /// Criteria not met, by name.
    pub(crate) pending: Vec<String>,
    /// Required streak, seconds.
    pub(crate) streak_secs: i64,
    pub(crate) streak_start: Option<DateTime<Utc>>,
    /// When the current streak completes if it holds.
    pub(crate) expected: Option<DateTime<Utc>>,
    pub declared: Option<DateTime<Utc>>,
    pub confirmed_by: Option<String>,
    /// When it was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The newest refusal to confirm (who, when, why), while not confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) refused: Option<ActionLine>,
    /// After the declaration: since when a criterion is false again (a relapse).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relapsed: Option<DateTime<Utc>>,
}

/// A delivery attempt's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Sent,
    Failed,
}

/// The `summary_delivery` event: one attempt to deliver one summary to one sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryDelivery {
    /// The summary's id.
    pub id: String,
    /// The sink's name (`directory:summaries`, `webhook:slack:WARROOM_SLACK_URL`, `sns:arn...`);
    /// never a URL.
    pub sink: String,
    pub state: DeliveryState,
    /// Why it failed (redacted), or what was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// When the next attempt is due, after a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_retry: Option<DateTime<Utc>>,
}
