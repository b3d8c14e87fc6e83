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
    pub event: Spanned<RawEvent>,
    #[serde(default)]
    pub account: Vec<Spanned<RawAccount>>,
    #[serde(default)]
    pub series: Vec<Spanned<RawSeries>>,
    #[serde(default)]
    pub target_group: Vec<RawTargetGroup>,
    #[serde(default)]
    pub accelerator: Vec<RawAccelerator>,
    #[serde(default)]
    pub web_acl: Vec<RawWebAcl>,
    #[serde(default)]
    pub log_group: Vec<RawLogGroup>,
    #[serde(default)]
    pub alarms: Option<RawAlarms>,
    #[serde(default)]
    pub panel: Vec<RawPanel>,
    #[serde(default)]
    pub return_to_normal: Option<RawReturnToNormal>,
    #[serde(default)]
    pub summary: Option<RawSummary>,
    #[serde(default)]
    pub readiness: Option<super::load_readiness::RawReadiness>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    pub name: String,
    /// A string or a TOML offset date-time.
    pub start: Spanned<toml::Value>,
    pub end: Spanned<toml::Value>,
    #[serde(default)]
    pub time_zones: Vec<Str>,
    #[serde(default)]
    pub runbook: Option<Str>,
    #[serde(default)]
    pub bridge: Option<RawBridge>,
    #[serde(default)]
    pub success_criteria: Vec<RawSuccess>,
    /// Share of requests without 5xx the event must meet, in percent (`99.95`).
    #[serde(default)]
    pub availability_target: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub contact: Vec<RawContact>,
    /// When the post-mortem meets: a string or a TOML offset date-time.
    #[serde(default)]
    pub post_mortem: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBridge {
    pub phone: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContact {
    pub role: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccount {
    pub id: Str,
    pub account_id: Option<Str>,
    pub profile: Option<String>,
    pub role_arn: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSeries {
    pub id: Str,
    pub label: Option<String>,
    pub region: Option<Str>,
    pub account: Option<Str>,
    pub namespace: Option<Str>,
    pub metric: Option<Str>,
    pub dimensions: Option<Spanned<BTreeMap<Str, Str>>>,
    pub stat: Option<Str>,
    pub period: Option<Spanned<i64>>,
    pub expr: Option<Str>,
    pub unit: Option<Str>,
    pub absent: Option<Str>,
    pub baseline: Option<f64>,
    pub threshold: Option<Spanned<RawThreshold>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawThreshold {
    pub warn: Option<Spanned<f64>>,
    pub crit: Option<Spanned<f64>>,
    pub direction: Option<Str>,
    #[serde(rename = "for")]
    pub for_: Option<Str>,
    pub hysteresis: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTargetGroup {
    pub id: Str,
    pub name: String,
    pub load_balancer: String,
    pub region: Str,
    pub account: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccelerator {
    pub id: Str,
    pub name: String,
    pub account: Option<Str>,
    #[serde(default)]
    pub endpoint_group: Vec<RawEndpointGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEndpointGroup {
    pub region: Str,
    pub endpoint: String,
    #[serde(default = "full_dial")]
    pub dial: Spanned<f64>,
    #[serde(default = "default_weight")]
    pub weight: u32,
    /// Series id of the group's share of the accelerator's traffic, in percent.
    pub share: Option<Str>,
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
    pub id: Str,
    pub name: String,
    pub scope: Str,
    pub region: Option<Str>,
    pub account: Option<Str>,
    #[serde(default)]
    pub sample_rules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLogGroup {
    pub id: Str,
    pub name: String,
    pub region: Str,
    pub account: Option<Str>,
    #[serde(default)]
    pub filter: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlarms {
    #[serde(default)]
    pub prefixes: Vec<String>,
    #[serde(default)]
    pub regions: Vec<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPanel {
    pub id: Str,
    pub title: String,
    #[serde(default = "default_priority")]
    pub priority: u32,
    #[serde(default)]
    pub series: Vec<Str>,
    #[serde(default)]
    pub health: Vec<Str>,
}

fn default_priority() -> u32 {
    100
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReturnToNormal {
    pub streak: Option<Str>,
    #[serde(default)]
    pub criteria: Vec<RawCriterion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCriterion {
    pub name: String,
    pub when: Str,
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
    pub time_zone: Option<Str>,
    pub cadence: Option<Str>,
    pub red_cadence: Option<Str>,
    /// Series ids reported as key metrics.
    pub metrics: Option<Vec<Str>>,
    /// Series ids leadership reads first (business metrics).
    pub leadership: Option<Vec<Str>>,
    #[serde(default)]
    pub sink: Vec<Spanned<RawSink>>,
}

/// One sink table; which keys apply depends on `kind` (checked in `load`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSink {
    pub kind: Str,
    pub path: Option<Str>,
    pub format: Option<Str>,
    pub url_env: Option<Str>,
    pub url_file: Option<Str>,
    pub topic_arn: Option<Str>,
    pub region: Option<Str>,
}
