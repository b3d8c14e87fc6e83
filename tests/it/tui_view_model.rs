//! `ScreenModel::skeleton`: the layout's panels and series become the view model's panels and
//! rows, every value unknown, thresholds and baselines carried over.

use chrono::{DateTime, TimeDelta, Utc};
use warroom_core::config::Layout;
use warroom_core::config::layout::{
    Absent, Alarms, Direction, EventInfo, MetricQuery, Panel, ReturnToNormal, Series, SeriesSource,
    SummaryConfig, Threshold, Unit,
};
use warroom_core::model::Status;
use warroom_tui::view_model::{PanelRow, ScreenModel};
use warroom_tui::widgets::ModeBadge;

fn series(id: &str, unit: Unit, threshold: Option<Threshold>) -> Series {
    Series {
        id: id.into(),
        label: format!("{id} label"),
        region: "ap-northeast-2".into(),
        account: "main".into(),
        source: SeriesSource::Metric(MetricQuery {
            namespace: "AWS/ApplicationELB".into(),
            metric: "RequestCount".into(),
            dimensions: Vec::new(),
            stat: "Sum".into(),
            period: 60,
        }),
        unit,
        absent: Absent::Zero,
        baseline: Some(2.0),
        threshold,
        target: None,
    }
}

fn layout() -> Layout {
    let t0: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-06-13T11:00:00Z")
        .expect("valid")
        .with_timezone(&Utc);
    let below = Threshold {
        warn: None,
        crit: Some(1.0),
        direction: Direction::Below,
        for_: TimeDelta::zero(),
        hysteresis: 0.0,
    };
    Layout {
        path: "x.toml".into(),
        text: String::new(),
        event: EventInfo {
            name: "HYBRID-BTS".into(),
            start: t0,
            end: t0 + TimeDelta::hours(2),
            time_zones: vec![chrono_tz::Asia::Seoul],
            bridge_phone: None,
            bridge_url: None,
            success_criteria: Vec::new(),
            availability_target: None,
            contacts: Vec::new(),
            post_mortem: None,
        },
        accounts: Vec::new(),
        series: vec![
            series("seoul.requests", Unit::Count, None),
            series("seoul.healthy_hosts", Unit::Count, Some(below)),
        ],
        target_groups: Vec::new(),
        accelerators: Vec::new(),
        web_acls: Vec::new(),
        log_groups: Vec::new(),
        alarms: Alarms::default(),
        panels: vec![
            Panel {
                id: "alarms".into(),
                title: "Alarms".into(),
                priority: 6,
                series: Vec::new(),
                health: vec!["alarms".into()],
            },
            Panel {
                id: "seoul".into(),
                title: "Seoul".into(),
                priority: 2,
                series: vec!["seoul.requests".into(), "seoul.healthy_hosts".into()],
                health: Vec::new(),
            },
        ],
        return_to_normal: ReturnToNormal {
            streak: TimeDelta::minutes(15),
            criteria: Vec::new(),
        },
        summary: SummaryConfig {
            time_zone: chrono_tz::Asia::Seoul,
            cadence: TimeDelta::hours(1),
            red_cadence: None,
            metrics: Vec::new(),
            leadership: Vec::new(),
            sinks: Vec::new(),
        },
        runbook: None,
        readiness: None,
        availability: None,
    }
}

#[test]
fn skeleton_mirrors_the_layout() {
    let l = layout();
    let m = ScreenModel::skeleton(&l, l.event.start, ModeBadge::Live);
    assert_eq!(m.header.event, "HYBRID-BTS");
    assert_eq!(m.header.tz, chrono_tz::Asia::Seoul);
    assert_eq!(m.header.status, Status::Unknown);
    assert_eq!(m.panels.len(), 2);
    assert_eq!(m.tab_order(), [1, 0], "by priority");
    assert_eq!(m.panels[1].short, "Seoul");
    assert_eq!(m.panels[0].short, "Alarms");
    let PanelRow::Metric(r) = &m.panels[1].rows[1] else {
        panic!("metric row")
    };
    assert_eq!(r.label, "seoul.healthy_hosts label");
    assert_eq!((r.value, r.status), (None, Status::Unknown));
    assert_eq!((r.threshold, r.direction), (Some(1.0), Direction::Below));
    assert_eq!(r.baseline, Some(2.0));
    assert_eq!(m.rtn.need, TimeDelta::minutes(15));
    assert_eq!(m.specs()[1].priority, 2);
}
