//! The layout file's TOML shapes exactly as written (serde, unknown keys rejected), with spans
//! where later semantic checks need a position. `config::load` turns these into `Layout`.
//! Enumerated values (unit, direction, scope, sink kind...) are kept as spanned strings and
//! checked in `load` so their errors quote the value and list the choices.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub(crate) type Str = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLayout {
    pub(crate) event: Spanned<RawEvent>,
    #[serde(default)]
    pub(crate) account: Vec<Spanned<RawAccount>>,
    #[serde(default)]
    pub(crate) series: Vec<Spanned<RawSeries>>,
    #[serde(default)]
    pub(crate) target_group: Vec<RawTargetGroup>,
    #[serde(default)]
    pub(crate) accelerator: Vec<RawAccelerator>,
    #[serde(default)]
    pub(crate) web_acl: Vec<RawWebAcl>,
    #[serde(default)]
    pub(crate) log_group: Vec<RawLogGroup>,
    #[serde(default)]
    pub(crate) alarms: Option<RawAlarms>,
    #[serde(default)]
    pub(crate) panel: Vec<RawPanel>,
    #[serde(default)]
    pub(crate) return_to_normal: Option<RawReturnToNormal>,
    #[serde(default)]
    pub(crate) summary: Option<RawSummary>,
    #[serde(default)]
    pub(crate) readiness: Option<super::load_readiness::RawReadiness>,
    #[serde(default)]
    pub(crate) availability: Option<RawAvailability>,
}

/// `[availability]`: the ids of the count series availability is judged on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAvailability {
    pub(crate) requests: Spanned<Vec<Str>>,
    pub(crate) errors: Spanned<Vec<Str>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub(crate) name: String,
    /// A string or a TOML offset date-time.
    pub(crate) start: Spanned<toml::Value>,
    pub(crate) end: Spanned<toml::Value>,
    #[serde(default)]
    pub(crate) time_zones: Vec<Str>,
    #[serde(default)]
    pub(crate) runbook: Option<Str>,
    #[serde(default)]
    pub(crate) bridge: Option<RawBridge>,
    #[serde(default)]
    pub(crate) success_criteria: Vec<RawSuccess>,
    /// Share of requests without 5xx the event must meet, in percent (`99.95`).
    #[serde(default)]
    pub(crate) availability_target: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub(crate) contact: Vec<RawContact>,
    /// When the post-mortem meets: a string or a TOML offset date-time.
    #[serde(default)]
    pub(crate) post_mortem: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBridge {
    pub(crate) phone: Option<String>,
    pub(crate) url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContact {
    pub(crate) role: String,
    pub(crate) name: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccount {
    pub(crate) id: Str,
    pub(crate) account_id: Option<Str>,
    pub(crate) profile: Option<String>,
    pub(crate) role_arn: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSeries {
    pub(crate) id: Str,
    pub(crate) label: Option<String>,
    pub(crate) region: Option<Str>,
    pub(crate) account: Option<Str>,
    pub(crate) namespace: Option<Str>,
    pub(crate) metric: Option<Str>,
    pub(crate) dimensions: Option<Spanned<BTreeMap<Str, Str>>>,
    pub(crate) stat: Option<Str>,
    pub(crate) period: Option<Spanned<i64>>,
    pub(crate) expr: Option<Str>,
    pub(crate) unit: Option<Str>,
    pub(crate) absent: Option<Str>,
    pub(crate) baseline: Option<f64>,
    pub(crate) threshold: Option<Spanned<RawThreshold>>,
    /// The level the event expects the series to reach (not a threshold).
    pub(crate) target: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawThreshold {
    pub(crate) warn: Option<Spanned<f64>>,
    pub(crate) crit: Option<Spanned<f64>>,
    pub(crate) direction: Option<Str>,
    #[serde(rename = "for")]
    pub(crate) for_: Option<Str>,
    pub(crate) hysteresis: Option<Spanned<f64>>,
    /// `"baseline"`: warn and crit are multiples of the series' baseline.
    pub(crate) of: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTargetGroup {
    pub(crate) id: Str,
    pub(crate) name: String,
    pub(crate) load_balancer: String,
    pub(crate) region: Str,
    pub(crate) account: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccelerator {
    pub(crate) id: Str,
    pub(crate) name: String,
    pub(crate) account: Option<Str>,
    #[serde(default)]
    pub(crate) endpoint_group: Vec<RawEndpointGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEndpointGroup {
    pub(crate) region: Str,
    pub(crate) endpoint: String,
    #[serde(default = "full_dial")]
    pub(crate) dial: Spanned<f64>,
    #[serde(default = "default_weight")]
    pub(crate) weight: u32,
    /// Series id of the group's share of the accelerator's traffic, in percent.
    pub(crate) share: Option<Str>,
}

fn full_dial() -> Spanned<f64> {
    Spanned::new(0..0, 100.0)
}

fn default_weight() -> u32 {
    128
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWebAcl {
    pub(crate) id: Str,
    pub(crate) name: String,
    pub(crate) scope: Str,
    pub(crate) region: Option<Str>,
    pub(crate) account: Option<Str>,
    #[serde(default)]
    pub(crate) sample_rules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLogGroup {
    pub(crate) id: Str,
    pub(crate) name: String,
    pub(crate) region: Str,
    pub(crate) account: Option<Str>,
    #[serde(default)]
    pub(crate) filter: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlarms {
    #[serde(default)]
    pub(crate) prefixes: Vec<String>,
    #[serde(default)]
    pub(crate) regions: Vec<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPanel {
    pub(crate) id: Str,
    pub(crate) title: String,
    #[serde(default = "default_priority")]
    pub(crate) priority: u32,
    #[serde(default)]
    pub(crate) series: Vec<Str>,
    #[serde(default)]
    pub(crate) health: Vec<Str>,
}

fn default_priority() -> u32 {
    100
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReturnToNormal {
    pub(crate) streak: Option<Str>,
    #[serde(default)]
    pub(crate) criteria: Vec<RawCriterion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCriterion {
    pub(crate) name: String,
    pub(crate) when: Str,
}

/// A success criterion: its words alone (`"No seat sold twice"`), or its words and the
/// condition that judges it (`{ name = "...", when = "tix.p99 < 1" }`).
#[derive(Debug)]
pub(crate) enum RawSuccess {
    Text(String),
    Judged(RawCriterion),
}

impl<'de> Deserialize<'de> for RawSuccess {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawSuccess;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, or a table { name = \"...\", when = \"...\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawSuccess, E> {
                Ok(RawSuccess::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<RawSuccess, A::Error> {
                RawCriterion::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(RawSuccess::Judged)
            }
        }
        d.deserialize_any(Visit)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSummary {
    pub(crate) time_zone: Option<Str>,
    pub(crate) cadence: Option<Str>,
    pub(crate) red_cadence: Option<Str>,
    /// Series ids reported as key metrics.
    pub(crate) metrics: Option<Vec<Str>>,
    /// Series ids leadership reads first (business metrics).
    pub(crate) leadership: Option<Vec<Str>>,
    #[serde(default)]
    pub(crate) sink: Vec<Spanned<RawSink>>,
}

/// One sink table; which keys apply depends on `kind` (checked in `load`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSink {
    pub(crate) kind: Str,
    pub(crate) path: Option<Str>,
    pub(crate) format: Option<Str>,
    pub(crate) url_env: Option<Str>,
    pub(crate) url_file: Option<Str>,
    pub(crate) topic_arn: Option<Str>,
    pub(crate) region: Option<Str>,
}
