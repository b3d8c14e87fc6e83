//! Test helper: the reference layout as a `Layout`, read from `layouts/hybrid-bts.toml` with a
//! small reader of only the fields the simulator uses (the real loader lives in `config`).
#![allow(dead_code)]

use chrono::{DateTime, TimeDelta, Utc};
use toml::Value;
use warroom::config::Layout;
use warroom::config::expr::Expr;
use warroom::config::layout::{
    Absent, Accelerator, Alarms, EndpointGroupDef, EventInfo, LogGroup, MetricQuery,
    ReturnToNormal, Series, SeriesSource, SummaryConfig, TargetGroup, Unit, WafScope, WebAcl,
};
use warroom::model::Event;
use warroom::sim::{Scenario, Simulator};

fn s(v: &Value, k: &str) -> String {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[allow(clippy::too_many_lines)] // one flat reader of the whole file
pub fn reference_layout() -> Layout {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/hybrid-bts.toml");
    let text = std::fs::read_to_string(path).expect("reference layout");
    let doc = Value::Table(toml::from_str::<toml::Table>(&text).expect("valid TOML"));
    let ev = &doc["event"];
    let start = DateTime::parse_from_rfc3339(&s(ev, "start"))
        .expect("start")
        .with_timezone(&Utc);
    let end = DateTime::parse_from_rfc3339(&s(ev, "end"))
        .expect("end")
        .with_timezone(&Utc);
    let arr = |k: &str| {
        doc.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let series = arr("series")
        .iter()
        .map(|x| {
            let source = if x.get("expr").is_some() {
                SeriesSource::Math {
                    expr: Expr::Number(0.0),
                    text: s(x, "expr"),
                }
            } else {
                let dimensions = x
                    .get("dimensions")
                    .and_then(Value::as_table)
                    .map(|t| {
                        t.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                SeriesSource::Metric(MetricQuery {
                    namespace: s(x, "namespace"),
                    metric: s(x, "metric"),
                    dimensions,
                    stat: s(x, "stat"),
                    period: 60,
                })
            };
            Series {
                id: s(x, "id"),
                label: s(x, "label"),
                region: s(x, "region"),
                account: "main".into(),
                source,
                unit: Unit::None,
                absent: if s(x, "absent") == "zero" {
                    Absent::Zero
                } else {
                    Absent::Unknown
                },
                baseline: x
                    .get("baseline")
                    .and_then(|b| b.as_float().or_else(|| b.as_integer().map(|i| i as f64))),
                threshold: None,
            }
        })
        .collect();
    let target_groups = arr("target_group")
        .iter()
        .map(|x| TargetGroup {
            id: s(x, "id"),
            name: s(x, "name"),
            load_balancer: s(x, "load_balancer"),
            region: s(x, "region"),
            account: "main".into(),
        })
        .collect();
    let accelerators = arr("accelerator")
        .iter()
        .map(|x| Accelerator {
            id: s(x, "id"),
            name: s(x, "name"),
            account: "main".into(),
            endpoint_groups: x["endpoint_group"]
                .as_array()
                .expect("groups")
                .iter()
                .map(|g| EndpointGroupDef {
                    region: s(g, "region"),
                    endpoint: s(g, "endpoint"),
                    dial: g["dial"].as_integer().unwrap_or(100) as f64,
                    weight: g["weight"].as_integer().unwrap_or(128) as u32,
                })
                .collect(),
        })
        .collect();
    let web_acls = arr("web_acl")
        .iter()
        .map(|x| {
            let cf = s(x, "scope") == "CLOUDFRONT";
            WebAcl {
                id: s(x, "id"),
                name: s(x, "name"),
                scope: if cf {
                    WafScope::Cloudfront
                } else {
                    WafScope::Regional
                },
                region: if cf {
                    "us-east-1".into()
                } else {
                    s(x, "region")
                },
                account: "main".into(),
                sample_rules: x["sample_rules"]
                    .as_array()
                    .expect("rules")
                    .iter()
                    .map(|r| r.as_str().unwrap_or_default().to_string())
                    .collect(),
            }
        })
        .collect();
    let log_groups = arr("log_group")
        .iter()
        .map(|x| LogGroup {
            id: s(x, "id"),
            name: s(x, "name"),
            region: s(x, "region"),
            account: "main".into(),
            filter: s(x, "filter"),
        })
        .collect();
    let strs = |v: &Value| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    Layout {
        path: path.into(),
        text: text.clone(),
        event: EventInfo {
            name: s(ev, "name"),
            start,
            end,
            time_zones: vec![chrono_tz::Asia::Seoul, chrono_tz::UTC],
            bridge_phone: None,
            bridge_url: None,
            success_criteria: Vec::new(),
            contacts: Vec::new(),
        },
        accounts: Vec::new(),
        series,
        target_groups,
        accelerators,
        web_acls,
        log_groups,
        alarms: Alarms {
            prefixes: strs(&doc["alarms"]["prefixes"]),
            regions: strs(&doc["alarms"]["regions"]),
        },
        panels: Vec::new(),
        return_to_normal: ReturnToNormal {
            streak: TimeDelta::minutes(15),
            criteria: Vec::new(),
        },
        summary: SummaryConfig {
            time_zone: chrono_tz::Asia::Seoul,
            cadence: TimeDelta::hours(1),
            red_cadence: None,
            sinks: Vec::new(),
        },
        runbook: None,
    }
}

/// T0 of the reference layout plus `secs`.
pub fn t(layout: &Layout, secs: i64) -> DateTime<Utc> {
    layout.event.start + TimeDelta::seconds(secs)
}

/// Every event of `scenario` from T-60m to T+3h (the demo's default window), computed once per
/// (scenario, seed) per test binary.
pub fn run(scenario: Scenario, seed: u64) -> (Layout, std::sync::Arc<Vec<Event>>) {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Runs = Mutex<HashMap<(Scenario, u64), Arc<Vec<Event>>>>;
    static RUNS: OnceLock<Runs> = OnceLock::new();
    let layout = reference_layout();
    let cache = RUNS.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(e) = cache.lock().expect("lock").get(&(scenario, seed)) {
        return (layout, Arc::clone(e));
    }
    let mut sim = Simulator::new(&layout, scenario, seed, t(&layout, -3600));
    let events = Arc::new(sim.run_until(t(&layout, 3 * 3600)));
    cache
        .lock()
        .expect("lock")
        .insert((scenario, seed), Arc::clone(&events));
    (layout, events)
}

/// Every observation of series `id`: (poll time, point).
pub fn observed(events: &[Event], id: &str) -> Vec<(DateTime<Utc>, warroom::model::Point)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            warroom::model::EventBody::Metrics(b) => Some((e.at, b)),
            _ => None,
        })
        .flat_map(|(at, b)| {
            b.series
                .iter()
                .filter(|s| s.id == id)
                .flat_map(move |s| s.points.iter().map(move |p| (at, *p)))
        })
        .collect()
}

/// The final (non-provisional) value of series `id` for the bucket `minute` minutes after T0.
pub fn final_value(layout: &Layout, events: &[Event], id: &str, minute: i64) -> Option<f64> {
    let ts = t(layout, minute * 60);
    observed(events, id)
        .into_iter()
        .rev()
        .find(|(_, p)| p.ts == ts && !p.p)
        .map(|(_, p)| p.v)
}

/// Seconds from T0 of `at`.
pub fn rel(layout: &Layout, at: DateTime<Utc>) -> i64 {
    (at - layout.event.start).num_seconds()
}
