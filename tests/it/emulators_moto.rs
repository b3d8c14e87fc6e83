//! warroom's real ELBv2, Logs and WAFv2 pollers against moto_server, an independent emulator,
//! through the scheduler, the Recorder and the Reader: the recording holds exactly the target
//! states and the log lines seeded into moto; WAF resolves the web ACL by name and, since moto
//! has no GetSampledRequests, marks its source as failing instead of recording anything.
//! See docs/testing.md for how the emulator is found or started.

use crate::support::emulators;

use aws_sdk_wafv2::types::Scope;
use chrono::{DateTime, TimeDelta, Utc};
use emulators::{Emulator, fixture, moto, run_id};
use tokio::sync::mpsc::Sender;
use tokio::task::JoinHandle;
use warroom_aws::sources::pollers::{LogsPoller, TargetHealthPoller, WafPoller};
use warroom_aws::sources::scheduler::{self, Cadence, Poller};
use warroom_aws::sources::waf::{self, WafError};
use warroom_core::clock::Clock;
use warroom_core::config::layout::WafScope;
use warroom_core::model::{
    Event, EventBody, LogBatch, LogLine, SourceState, TargetHealthSnapshot, TargetInfo, TargetState,
};
use warroom_core::source::SourceKind;

const SEOUL: &str = "ap-northeast-2";

fn start<P: Poller>(kind: SourceKind, p: P, tx: &Sender<Vec<Event>>) -> JoinHandle<()> {
    let cadence = Cadence::for_source(kind, p.source());
    scheduler::spawn(p, cadence, Clock::system(), tx.clone())
}

fn has_kind(events: &[Event], source_kind: &str) -> bool {
    events.iter().any(|e| e.body.kind() == source_kind)
}

fn has_status(events: &[Event], source: &str) -> bool {
    events
        .iter()
        .any(|e| matches!(&e.body, EventBody::SourceStatus(s) if s.source == source))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn target_states_and_reasons_are_recorded_as_moto_reports_them() {
    let url = emulators::url(Emulator::Moto);
    let (layout, file) = fixture::layout("moto.toml");
    let run = run_id();
    let elbv2 = emulators::region_clients(&url, SEOUL).elbv2;
    let net = moto::network(&url, SEOUL, "10.7");
    let ids = moto::run_instances(&url, SEOUL, &net.subnets[0], 3);
    let alb = moto::alb_with_targets(
        &elbv2,
        &format!("emu-{run}-alb"),
        &format!("emu-{run}-tg"),
        &net,
        &ids,
        8080,
    )
    .await;
    // A stopped instance stays registered and turns `unused` (Target.InvalidState).
    moto::stop_instances(&url, SEOUL, &[&ids[2]]);

    let poller = |i: usize| TargetHealthPoller {
        source: format!("elbv2:{}", layout.target_groups[i].id),
        client: elbv2.clone(),
        group: layout.target_groups[i].clone(),
        arn: None,
    };
    let rec = emulators::record(
        &file,
        vec![SEOUL.into()],
        |tx| {
            vec![
                start(SourceKind::TargetHealth, poller(0), tx),
                start(SourceKind::TargetHealth, poller(1), tx),
            ]
        },
        |events| has_kind(events, "target_health") && has_status(events, "elbv2:seoul.gone"),
    )
    .await;

    assert_eq!(rec.statuses("elbv2:seoul.tg"), [(SourceState::Ok, None)]);
    let target =
        |id: &str, state: TargetState, reason: Option<&str>, desc: Option<&str>| TargetInfo {
            id: id.into(),
            port: Some(8080),
            az: None,
            state,
            reason: reason.map(Into::into),
            description: desc.map(Into::into),
        };
    let snaps: Vec<&TargetHealthSnapshot> = rec.bodies(|b| match b {
        EventBody::TargetHealth(t) => Some(t),
        _ => None,
    });
    assert_eq!(
        snaps,
        [&TargetHealthSnapshot {
            target_group: "seoul.tg".into(),
            targets: vec![
                target(&ids[0], TargetState::Healthy, None, None),
                target(&ids[1], TargetState::Healthy, None, None),
                target(
                    &ids[2],
                    TargetState::Unused,
                    Some("Target.InvalidState"),
                    Some("Target is in the stopped state"),
                ),
            ],
        }]
    );
    // The same answer read by an independent client (boto3).
    let theirs: Vec<(String, String, Option<String>, Option<String>)> =
        moto::boto3_target_health(&url, SEOUL, &alb.target_group_arn)
            .iter()
            .map(|t| {
                let s = |k: &str| t[k].as_str().map(ToString::to_string);
                (
                    s("id").expect("id"),
                    s("state").expect("state"),
                    s("reason"),
                    s("description"),
                )
            })
            .collect();
    let ours: Vec<(String, String, Option<String>, Option<String>)> = snaps[0]
        .targets
        .iter()
        .map(|t| {
            (
                t.id.clone(),
                t.state.as_str().to_string(),
                t.reason.clone(),
                t.description.clone(),
            )
        })
        .collect();
    assert_eq!(ours, theirs);

    // A target group that does not exist: the source is marked, nothing else recorded for it.
    let gone = rec.statuses("elbv2:seoul.gone");
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].0, SourceState::Error);
    assert_eq!(
        gone[0].1.as_deref(),
        Some(format!("target group \"emu-{run}-gone\" not found").as_str())
    );
}

/// Error lines with terminal escapes, bell, carriage return, bidi override, a C1 control, a
/// NUL and a newline: recorded byte for byte (sanitising happens only on display).
fn seeded_lines(now: DateTime<Utc>) -> Vec<(DateTime<Utc>, String)> {
    // Log events carry milliseconds.
    let now = DateTime::from_timestamp_millis(now.timestamp_millis()).expect("now");
    let at = |m: i64, ms: i64| now - TimeDelta::minutes(m) + TimeDelta::milliseconds(ms);
    vec![
        (
            at(9, 125),
            "ERROR checkout failed: \u{1b}[2J\u{1b}[H screen cleared".into(),
        ),
        (at(8, 0), "INFO request ok".into()),
        (at(7, 501), "ERROR bell\u{7} and CR\r overwrite".into()),
        (
            at(5, 0),
            "ERROR bidi \u{202e}txt.exe and C1 \u{9b}31m".into(),
        ),
        (at(4, 250), "WARN slow upstream".into()),
        (at(2, 999), "ERROR tab\tNUL\u{0} end\nsecond line".into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn error_lines_are_recorded_exactly_as_seeded() {
    let url = emulators::url(Emulator::Moto);
    let (layout, file) = fixture::layout("moto.toml");
    let logs = emulators::region_clients(&url, SEOUL).logs;
    let group = layout.log_groups[0].clone();
    let seeded = seeded_lines(Utc::now());
    moto::log_events(&logs, &group.name, "web-1", &seeded).await;

    let poller = LogsPoller {
        source: "logs:seoul.app".into(),
        client: logs.clone(),
        group,
    };
    let rec = emulators::record(
        &file,
        vec![SEOUL.into()],
        |tx| vec![start(SourceKind::Logs, poller, tx)],
        |events| has_kind(events, "logs"),
    )
    .await;

    assert_eq!(rec.statuses("logs:seoul.app"), [(SourceState::Ok, None)]);
    let batches: Vec<&LogBatch> = rec.bodies(|b| match b {
        EventBody::Logs(l) => Some(l),
        _ => None,
    });
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].group, "seoul.app");
    let mut lines = batches[0].lines.clone();
    // The order is the emulator's; compare oldest first.
    lines.sort_by_key(|l| l.ts);
    let expected: Vec<LogLine> = seeded
        .iter()
        .filter(|(_, m)| m.contains("ERROR"))
        .map(|(ts, m)| LogLine {
            ts: *ts,
            stream: Some("web-1".into()),
            message: m.clone(),
        })
        .collect();
    assert_eq!(expected.len(), 4);
    assert_eq!(lines, expected);
    // moto 5.2.5 runs Logs Insights queries without `filter`/`stats ... by bin()`: its rows
    // carry no `minute`/`errors` fields, so no per-minute count can be read from them.
    assert!(
        batches[0].counts.is_empty(),
        "counts: {:?}",
        batches[0].counts
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulators: scripts/test.sh runs it"]
async fn waf_resolves_the_web_acl_and_marks_missing_sampling_as_an_error() {
    let url = emulators::url(Emulator::Moto);
    let (layout, file) = fixture::layout("moto.toml");
    let run = run_id();
    let wafv2 = emulators::region_clients(&url, SEOUL).wafv2;
    let acl = layout.web_acls[0].clone();
    let arn = moto::web_acl(&wafv2, &acl.name, Scope::Regional).await;

    assert_eq!(
        waf::find_web_acl(&wafv2, &acl.name, WafScope::Regional)
            .await
            .expect("the web ACL is found by name"),
        arn
    );
    let missing = waf::find_web_acl(&wafv2, &format!("emu-{run}-nope"), WafScope::Regional)
        .await
        .expect_err("no such web ACL");
    assert!(matches!(missing, WafError::NotFound { .. }), "{missing}");

    // moto 5.2.5 does not implement GetSampledRequests (HTTP 500): the poller resolves the ACL,
    // then its source is marked with the failing call, and no sample is recorded.
    let poller = WafPoller {
        source: "waf:seoul.waf".into(),
        client: wafv2.clone(),
        acl,
        period: TimeDelta::minutes(1),
        arn: None,
        last_end: None,
    };
    let rec = emulators::record(
        &file,
        vec![SEOUL.into()],
        |tx| vec![start(SourceKind::WafSamples, poller, tx)],
        |events| has_status(events, "waf:seoul.waf"),
    )
    .await;
    let status = rec.statuses("waf:seoul.waf");
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].0, SourceState::Error);
    assert_eq!(status[0].1.as_deref(), Some("GetSampledRequests: HTTP 500"));
    assert!(!has_kind(&rec.events, "waf_sample"));
}
