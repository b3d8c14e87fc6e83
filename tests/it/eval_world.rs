//! A scripted world over the reference layout (`layouts/hybrid-bts.toml`) for the evaluation
//! tests and the fold/evaluation benchmark: metrics every minute per region (the last three
//! buckets, the newest two minutes late), target health and Global Accelerator every 30 s,
//! alarms, logs and WAF samples every minute. Values default to each series' baseline; a test
//! overrides what it needs.

#![allow(dead_code, clippy::type_complexity, clippy::too_many_lines)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::config::Layout;
use warroom_core::config::layout::SeriesSource;
use warroom_core::model::{
    AlarmInfo, AlarmKind, AlarmSnapshot, AlarmState, Event, EventBody, GaEndpoint, GaEndpointGroup,
    GaHealth, GaSnapshot, LogBatch, LogCount, LogLine, MetricBatch, Point, SeriesData,
    TargetHealthSnapshot, TargetInfo, TargetState, WafRequest, WafSampleBatch,
};

pub fn reference_layout() -> Layout {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/hybrid-bts.toml");
    warroom_core::config::load(&path).expect("reference layout loads")
}

/// Series values the baseline does not give (no baseline, or a baseline that is not a value).
fn default_value(id: &str) -> f64 {
    match id {
        "ga.seoul.bytes_in" => 8.0e6,
        "ga.virginia.bytes_in" => 2.0e6,
        _ => 0.0,
    }
}

/// Overrides of the world, each a function of the minute from T0.
pub struct World {
    pub layout: Layout,
    /// `(series id, minute) -> Some(value)` to override the baseline, None to keep it.
    pub value: Box<dyn Fn(&str, i64) -> Option<f64>>,
    /// `(region, seconds) -> health` of the endpoint group.
    pub ga: Box<dyn Fn(&str, i64) -> GaHealth>,
    /// `(region, seconds) -> dial`.
    pub dial: Box<dyn Fn(&str, i64) -> f64>,
    /// `(target group id, seconds) -> states`.
    pub targets: Box<dyn Fn(&str, i64) -> Vec<TargetState>>,
    /// `(minute) -> alarms in ALARM`.
    pub alarms: Box<dyn Fn(i64) -> Vec<&'static str>>,
}

pub fn t0(l: &Layout) -> DateTime<Utc> {
    l.event.start
}

impl World {
    pub fn calm() -> Self {
        World {
            layout: reference_layout(),
            value: Box::new(|_, _| None),
            ga: Box::new(|_, _| GaHealth::Healthy),
            dial: Box::new(|_, _| 100.0),
            targets: Box::new(|_, _| vec![TargetState::Healthy, TargetState::Healthy]),
            alarms: Box::new(|_| Vec::new()),
        }
    }

    fn series_value(&self, i: usize, minute: i64) -> f64 {
        let s = &self.layout.series[i];
        (self.value)(&s.id, minute)
            .or(s.baseline)
            .unwrap_or_else(|| default_value(&s.id))
    }

    /// Every event at `t0 + secs` (secs a multiple of 30).
    pub fn events_at(&self, secs: i64) -> Vec<Event> {
        let l = &self.layout;
        let at = t0(l) + TimeDelta::seconds(secs);
        let mut out = Vec::new();
        for tg in &l.target_groups {
            out.push(Event {
                at,
                body: EventBody::TargetHealth(TargetHealthSnapshot {
                    target_group: tg.id.clone(),
                    targets: (self.targets)(&tg.id, secs)
                        .into_iter()
                        .enumerate()
                        .map(|(i, state)| TargetInfo {
                            id: format!("i-{i:04}"),
                            port: Some(80),
                            az: Some(format!(
                                "{}{}",
                                tg.region,
                                if i % 2 == 0 { 'a' } else { 'c' }
                            )),
                            reason: (state != TargetState::Healthy)
                                .then(|| "Target.Timeout".to_string()),
                            state,
                            description: None,
                        })
                        .collect(),
                }),
            });
        }
        for acc in &l.accelerators {
            out.push(Event {
                at,
                body: EventBody::GaEndpoints(GaSnapshot {
                    accelerator: acc.id.clone(),
                    groups: acc
                        .endpoint_groups
                        .iter()
                        .map(|g| GaEndpointGroup {
                            region: g.region.clone(),
                            dial: (self.dial)(&g.region, secs),
                            endpoints: vec![GaEndpoint {
                                id: g.endpoint.clone(),
                                weight: g.weight,
                                health: (self.ga)(&g.region, secs),
                            }],
                        })
                        .collect(),
                }),
            });
        }
        if secs.rem_euclid(60) != 0 {
            return out;
        }
        let minute = secs.div_euclid(60);
        let bucket = t0(l) + TimeDelta::minutes(minute - 2);
        let mut by_region: BTreeMap<&str, Vec<SeriesData>> = BTreeMap::new();
        for (i, s) in l.series.iter().enumerate() {
            if matches!(s.source, SeriesSource::Math { .. }) {
                continue;
            }
            // The last three buckets, as a poll over a three-minute window returns them;
            // CloudWatch leaves out zero counts.
            let points = (0..3)
                .filter_map(|back| {
                    let v = self.series_value(i, minute - 2 - back);
                    let zero = v == 0.0 && s.absent == warroom_core::config::layout::Absent::Zero;
                    (!zero).then(|| Point {
                        ts: bucket - TimeDelta::minutes(back),
                        v,
                        p: false,
                    })
                })
                .collect();
            by_region.entry(&s.region).or_default().push(SeriesData {
                id: s.id.clone(),
                points,
                complete: true,
            });
        }
        for (region, series) in by_region {
            out.push(Event {
                at,
                body: EventBody::Metrics(MetricBatch {
                    region: region.to_string(),
                    start: bucket - TimeDelta::minutes(2),
                    end: bucket + TimeDelta::minutes(1),
                    series,
                }),
            });
        }
        let firing = (self.alarms)(minute);
        for region in &l.alarms.regions {
            let mut alarms = vec![AlarmInfo {
                name: format!("BTS-{region}-cpu"),
                kind: AlarmKind::Metric,
                state: AlarmState::Ok,
                reason: None,
                updated: t0(l) - TimeDelta::days(1),
            }];
            if region == "ap-northeast-2" {
                for name in ["BTS-RDS-Failover", "alert"] {
                    let on = firing.contains(&name);
                    alarms.push(AlarmInfo {
                        name: name.to_string(),
                        kind: AlarmKind::Metric,
                        state: if on {
                            AlarmState::Alarm
                        } else {
                            AlarmState::Ok
                        },
                        reason: on.then(|| "Threshold crossed".to_string()),
                        updated: at,
                    });
                }
            }
            out.push(Event {
                at,
                body: EventBody::Alarms(AlarmSnapshot {
                    region: region.clone(),
                    alarms,
                }),
            });
        }
        for lg in &l.log_groups {
            out.push(Event {
                at,
                body: EventBody::Logs(LogBatch {
                    group: lg.id.clone(),
                    lines: vec![LogLine {
                        ts: at - TimeDelta::seconds(20),
                        stream: Some("web-1".into()),
                        message: format!("[error] upstream timed out at minute {minute}"),
                    }],
                    counts: vec![LogCount {
                        ts: bucket,
                        count: 3,
                    }],
                }),
            });
        }
        for acl in &l.web_acls {
            out.push(Event {
                at,
                body: EventBody::WafSample(WafSampleBatch {
                    acl: acl.id.clone(),
                    start: bucket,
                    end: bucket + TimeDelta::minutes(1),
                    population: 2000,
                    requests: (0..20)
                        .map(|i| WafRequest {
                            ts: bucket + TimeDelta::seconds(i * 3),
                            client_ip: format!("203.0.113.{}", i % 7),
                            country: Some(if i % 3 == 0 { "KR" } else { "US" }.into()),
                            method: "GET".into(),
                            uri: "/cart".into(),
                            rule: (i % 4 == 0).then(|| "BTS-RateLimit-PerIP".to_string()),
                            action: if i % 4 == 0 { "BLOCK" } else { "ALLOW" }.into(),
                            weight: 1,
                            headers: Vec::new(),
                        })
                        .collect(),
                }),
            });
        }
        out
    }
}
