//! `warroom collect` (the real binary) against the simulator endpoint, one case per fault kind
//! (5xx on Logs, slow on Global Accelerator, drop on WAF, expired on ELBv2, malformed and
//! throttle on CloudWatch), one fault window each, all cases in parallel; and at the same time
//! a throttling drill at 3x and 10x side by side (a minute and a half of throttling:
//! `throttled`, never `slow`, and `ok` again within two periods). The endpoint
//! runs in this test process on a virtual clock at 3x real time; `collect` follows the same
//! virtual clock through `WARROOM_SIM_CLOCK` (game-day mode). From the recording alone: the
//! process keeps running; the first source of the faulted service is marked with the right
//! state during the window (a slow call once its poll deadline passes) and is `ok` again within
//! one tick of its cadence after the window; every other source stays `ok` and keeps observing
//! throughout (no gap over 1.5 periods); metric windows of each region overlap and every dense
//! series has a point in every bucket (the 3-bucket overlap refills what the fault withheld).
//!
//! Each window starts 1 s before a poll of the primary source and lasts 36 s (60 s sources) or
//! 12 s (30 s sources): long enough to contain that poll and the SDK's own retries of 5xx and
//! dropped connections (about 3 s of real time, 9 s virtual), short enough that the scheduler's
//! back-off (a quarter period, doubled per failure) stays within one period, so recovery within
//! one tick is what the scheduler promises.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use warroom_aws::sources::scheduler::{Cadence, next_tick};
use warroom_core::clock::Clock;
use warroom_core::config::Layout;
use warroom_core::model::{Event, EventBody, SourceState};
use warroom_core::record::Reader;
use warroom_core::source::{SourceId, layout_sources};
use warroom_sim::Scenario;
use warroom_sim::serve::faults::Fault;
use warroom_sim::serve::{self, FaultKind, Faults, ServeOptions, Service};

const LAYOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/hybrid-bts.toml");
const SPEED: f64 = 3.0;
/// Virtual time before the window (every source polls at least once).
const WARMUP: i64 = 20;
/// Virtual time recorded after the window: recovery plus one more metrics poll.
const AFTER: i64 = 75;

struct Case {
    kind: FaultKind,
    service: Service,
    /// Source-name prefix of the service's sources (alarms are CloudWatch too).
    prefixes: &'static [&'static str],
    state: SourceState,
    /// Length of the fault window, virtual seconds.
    window: i64,
}

const CW: &[&str] = &["cloudwatch:", "alarms:"];

fn case(
    kind: FaultKind,
    service: Service,
    prefixes: &'static [&'static str],
    state: SourceState,
    window: i64,
) -> Case {
    Case {
        kind,
        service,
        prefixes,
        state,
        window,
    }
}

/// One case per fault kind.
fn cases() -> Vec<Case> {
    let cw = CW;
    vec![
        case(
            FaultKind::ServerError,
            Service::Logs,
            &["logs:"],
            SourceState::Error,
            36,
        ),
        case(
            FaultKind::Slow,
            Service::GlobalAccelerator,
            &["ga:"],
            SourceState::Slow,
            12,
        ),
        case(
            FaultKind::Drop,
            Service::Waf,
            &["waf:"],
            SourceState::Error,
            36,
        ),
        case(
            FaultKind::Expired,
            Service::Elbv2,
            &["elbv2:"],
            SourceState::CredentialsExpired,
            12,
        ),
        case(
            FaultKind::Malformed,
            Service::CloudWatch,
            cw,
            SourceState::Error,
            36,
        ),
        // Throttled, not slow: the pollers' clients make two attempts per call with standard
        // retry (`sources::clients::retry_config`), so the throttling error comes back within
        // a second or two, and no client-side rate limiter holds later calls back.
        case(
            FaultKind::Throttle,
            Service::CloudWatch,
            cw,
            SourceState::Throttled,
            36,
        ),
    ]
}

struct Run {
    case: Case,
    primary: String,
    cadence: Cadence,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    record: PathBuf,
    child: Option<Child>,
    handle: serve::ServeHandle,
    clock: Clock,
}

fn start_collect(record: &Path, log: &Path, env: &[(String, String)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(["collect", LAYOUT, "--record"])
        .arg(record)
        // The layout's summary directory is relative to the working directory.
        .current_dir(record.parent().expect("a directory"))
        .env("WARROOM_LOG_FILE", log)
        .env("AWS_CONFIG_FILE", "/nonexistent/aws/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("start warroom collect")
}

async fn start(
    layout: &Layout,
    case: Case,
    dir: &Path,
    start_at: DateTime<Utc>,
    speed: f64,
) -> Run {
    let sources = layout_sources(layout);
    let primary = sources
        .iter()
        .map(ToString::to_string)
        .find(|s| s.starts_with(case.prefixes[0]))
        .expect("the layout has a source of the service");
    let kind = SourceId::parse(&primary).expect("a source name").kind;
    let cadence = Cadence::for_source(kind, &primary);
    let tick = next_tick(start_at + TimeDelta::seconds(WARMUP), &cadence);
    let from = tick - TimeDelta::seconds(1);
    let to = from + TimeDelta::seconds(case.window);
    let faults = Faults {
        list: vec![Fault {
            service: Some(case.service),
            kind: case.kind,
            from,
            to,
        }],
        ..Faults::default()
    };
    let clock = Clock::starting_at(start_at).with_speed(speed);
    let handle = serve::spawn(
        layout,
        ServeOptions {
            scenario: Scenario::ArmyDrop,
            seed: 42,
            clock,
            faults,
            addr: "127.0.0.1:0".parse().expect("addr"),
        },
    )
    .await
    .expect("endpoint starts");
    let record = dir.join(format!("{}.jsonl", case.kind));
    let log = dir.join(format!("{}.log", case.kind));
    let child = start_collect(&record, &log, &handle.env());
    Run {
        case,
        primary,
        cadence,
        from,
        to,
        record,
        child: Some(child),
        handle,
        clock,
    }
}

fn secs(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).expect("duration")
}

/// The checks of one case, on its recording; returns the failures found.
fn check(run: &Run, layout: &Layout, events: &[Event]) -> Vec<String> {
    let mut bad = Vec::new();
    let case = &run.case;
    let label = format!("{} on {}", case.kind, run.primary);
    let affected = |s: &str| case.prefixes.iter().any(|p| s.starts_with(p));
    let mut statuses: BTreeMap<String, Vec<(DateTime<Utc>, SourceState, String)>> = BTreeMap::new();
    let mut observed: BTreeMap<String, Vec<DateTime<Utc>>> = BTreeMap::new();
    for e in events {
        if let EventBody::SourceStatus(s) = &e.body {
            statuses.entry(s.source.clone()).or_default().push((
                e.at,
                s.state,
                s.detail.clone().unwrap_or_default(),
            ));
        } else if let Some(src) = SourceId::of_event(&e.body) {
            observed.entry(src.to_string()).or_default().push(e.at);
        }
    }
    // The primary source: marked during the window (a slow call only shows once the poll's
    // deadline passes), then ok again within one tick.
    let slack = if case.kind == FaultKind::Slow {
        secs(run.cadence.timeout) + TimeDelta::seconds(5)
    } else {
        TimeDelta::seconds(5)
    };
    let list = statuses.get(&run.primary).cloned().unwrap_or_default();
    let marked = list
        .iter()
        .find(|(at, st, _)| *st != SourceState::Ok && *at >= run.from && *at <= run.to + slack);
    match marked {
        None => bad.push(format!("{label}: not marked in the window: {list:?}")),
        Some((at, st, detail)) => {
            if *st != case.state {
                bad.push(format!(
                    "{label}: {st:?} ({detail}), expected {:?}",
                    case.state
                ));
            }
            let ok = list
                .iter()
                .find(|(t, s, _)| t > at && *s == SourceState::Ok);
            let limit = run.to.max(*at) + secs(run.cadence.period) + TimeDelta::seconds(5);
            match ok {
                Some((t, _, _)) if *t <= limit => {}
                other => bad.push(format!(
                    "{label}: not ok again by {limit} (window ended {}): {other:?}",
                    run.to
                )),
            }
        }
    }
    // Every source of the faulted service is ok at the end; every other source never failed.
    for (source, list) in &statuses {
        let final_state = list.last().map(|l| l.1);
        if final_state != Some(SourceState::Ok) {
            bad.push(format!("{label}: {source} ends {final_state:?}: {list:?}"));
        }
        if !affected(source) && list.iter().any(|l| l.1 != SourceState::Ok) {
            bad.push(format!("{label}: unaffected {source} failed: {list:?}"));
        }
    }
    // Unaffected sources keep observing: no gap longer than 1.5 periods, through the end.
    let end = events.last().map_or(run.to, |e| e.at);
    for id in layout_sources(layout) {
        let (source, kind) = (id.to_string(), id.kind);
        if affected(&source) {
            continue;
        }
        let period = secs(kind.period());
        let times = observed.get(&source).cloned().unwrap_or_default();
        if times.is_empty() {
            bad.push(format!("{label}: no observation of {source}"));
            continue;
        }
        let limit = period + period / 2;
        for w in times.windows(2) {
            if w[1] - w[0] > limit {
                bad.push(format!("{label}: {source} silent {} to {}", w[0], w[1]));
            }
        }
        let latest = times.last().copied().unwrap_or(end);
        if end - latest > limit || latest < run.to {
            bad.push(format!("{label}: {source} stops at {latest} (end {end})"));
        }
    }
    bad.extend(metric_gaps(&label, events));
    bad
}

/// Per region: consecutive metric windows overlap, and a series with a point in every bucket
/// of its first batch has a point in every bucket through its last.
fn metric_gaps(label: &str, events: &[Event]) -> Vec<String> {
    let mut bad = Vec::new();
    let mut by_region: BTreeMap<&str, Vec<&warroom_core::model::MetricBatch>> = BTreeMap::new();
    for e in events {
        if let EventBody::Metrics(b) = &e.body {
            by_region.entry(&b.region).or_default().push(b);
        }
    }
    for (region, batches) in by_region {
        for w in batches.windows(2) {
            if w[1].start > w[0].end {
                bad.push(format!(
                    "{label}: {region} metrics gap {} to {}",
                    w[0].end, w[1].start
                ));
            }
        }
        let first = batches[0];
        let last = batches[batches.len() - 1];
        let width = (first.end - first.start) / 3;
        let buckets = |a: DateTime<Utc>, b: DateTime<Utc>| {
            let mut out = BTreeSet::new();
            let mut t = a;
            while t < b {
                out.insert(t);
                t += width;
            }
            out
        };
        for s in &first.series {
            let seen: BTreeSet<DateTime<Utc>> = s.points.iter().map(|p| p.ts).collect();
            if seen != buckets(first.start, first.end) {
                continue; // sparse series: absent buckets are expected
            }
            let all: BTreeSet<DateTime<Utc>> = batches
                .iter()
                .flat_map(|b| b.series.iter().filter(|x| x.id == s.id))
                .flat_map(|x| x.points.iter().map(|p| p.ts))
                .collect();
            // The newest bucket of the last poll may not be aggregated yet.
            let missing: Vec<_> = buckets(first.start, last.end - width)
                .difference(&all)
                .copied()
                .collect();
            if !missing.is_empty() {
                bad.push(format!("{label}: {region} {} misses {missing:?}", s.id));
            }
        }
    }
    bad
}

/// Both drills at once, each on a thread of its own: they wait on their virtual clocks nearly
/// all the time, so side by side they take the longer one's time and hold one test thread, not
/// two, while the machine runs the other tests.
#[test]
fn collect_rides_out_every_fault_kind_and_throttling_at_drill_speeds() {
    std::thread::scope(|s| {
        let kinds = s.spawn(|| run_cases(cases()));
        throttling_at_drill_speeds_is_throttled_never_slow_and_clears();
        if let Err(panic) = kinds.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

fn run_cases(cases: Vec<Case>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let layout = warroom_core::config::load(Path::new(LAYOUT)).expect("layout");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let start_at = layout.event.start - TimeDelta::minutes(30);
    let mut runs: Vec<Run> = rt.block_on(async {
        let mut runs = Vec::new();
        for case in cases {
            runs.push(start(&layout, case, dir.path(), start_at, SPEED).await);
        }
        runs
    });
    let started = std::time::Instant::now();
    // Until every case's virtual time is past its window plus AFTER; collect must stay up.
    loop {
        let done = runs
            .iter()
            .all(|r| r.clock.now() >= r.to + TimeDelta::seconds(AFTER));
        for r in &mut runs {
            assert!(
                r.child
                    .as_mut()
                    .expect("running")
                    .try_wait()
                    .expect("try_wait")
                    .is_none(),
                "collect exited during the {} case",
                r.case.kind
            );
        }
        if done {
            break;
        }
        assert!(started.elapsed() < Duration::from_mins(3), "bounded");
        std::thread::sleep(Duration::from_millis(250));
    }
    let mut failures = Vec::new();
    for mut r in runs {
        let child = r.child.take().expect("running");
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(0), "{}: {stderr}", r.case.kind);
        assert!(stderr.contains("game-day mode"), "{stderr}");
        let faulted = r
            .handle
            .calls()
            .iter()
            .filter(|c| c.fault.is_some())
            .count();
        assert!(
            faulted > 0,
            "{}: the endpoint applied the fault",
            r.case.kind
        );
        let (_, reader) = Reader::open(&r.record).expect("a valid recording");
        let events: Vec<Event> = reader.collect();
        let found = check(&r, &layout, &events);
        if !found.is_empty() {
            for c in r
                .handle
                .calls()
                .iter()
                .filter(|c| c.service == r.case.service)
            {
                eprintln!("{} {} {} {:?}", c.at, c.op, c.region, c.fault);
            }
            eprintln!("--- {} ({} events)\n{stderr}", r.case.kind, events.len());
        }
        failures.extend(found);
        rt.block_on(r.handle.shutdown());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The states `source` was recorded in, with when.
fn states_of(events: &[Event], source: &str) -> Vec<(DateTime<Utc>, SourceState, String)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SourceStatus(s) if s.source == source => {
                Some((e.at, s.state, s.detail.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

/// At the drill speeds the docs recommend for faults (`--speed 3` and `--speed 10`, one
/// endpoint and one `collect` each, side by side), a minute and a half of throttling on
/// CloudWatch (every source's poll falls inside it with 30 virtual seconds to spare, 3 real
/// seconds at x10, whatever else the machine is doing):
/// every CloudWatch source (metrics and alarms) is recorded `throttled`, never `slow` (the SDK's
/// own waits run in real time and must not outlast a poll deadline scaled to virtual time), and
/// is `ok` again within two periods of the window's end (the scheduler's back-off cap).
fn throttling_at_drill_speeds_is_throttled_never_slow_and_clears() {
    let dir = tempfile::tempdir().expect("tempdir");
    let layout = warroom_core::config::load(Path::new(LAYOUT)).expect("layout");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let start_at = layout.event.start - TimeDelta::minutes(30);
    let throttle = || {
        case(
            FaultKind::Throttle,
            Service::CloudWatch,
            CW,
            SourceState::Throttled,
            90,
        )
    };
    let mut runs = Vec::new();
    for speed in [3.0, 10.0] {
        let sub = dir.path().join(format!("x{speed}"));
        std::fs::create_dir(&sub).expect("mkdir");
        runs.push((
            speed,
            sub.clone(),
            rt.block_on(start(&layout, throttle(), &sub, start_at, speed)),
        ));
    }
    // Two periods of the slowest source, and a margin.
    let after = TimeDelta::seconds(130);
    let started = std::time::Instant::now();
    while runs.iter().any(|(_, _, r)| r.clock.now() < r.to + after) {
        for (speed, _, r) in &mut runs {
            let child = r.child.as_mut().expect("running");
            assert!(
                child.try_wait().expect("try_wait").is_none(),
                "collect x{speed} exited"
            );
        }
        assert!(started.elapsed() < Duration::from_mins(3), "bounded");
        std::thread::sleep(Duration::from_millis(250));
    }
    let mut bad = Vec::new();
    for (speed, _dir, mut run) in runs {
        let child = run.child.take().expect("running");
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (_, reader) = Reader::open(&run.record).expect("a valid recording");
        let events: Vec<Event> = reader.collect();
        bad.extend(
            drill_failures(&layout, &run, &events)
                .into_iter()
                .map(|b| format!("x{speed}: {b}")),
        );
        rt.block_on(run.handle.shutdown());
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// What a throttling drill's recording gets wrong: a CloudWatch source never throttled, in any
/// other failed state, or not `ok` again within two periods of the window's end.
fn drill_failures(layout: &Layout, run: &Run, events: &[Event]) -> Vec<String> {
    let mut bad = Vec::new();
    let cw = layout_sources(layout)
        .into_iter()
        .filter(|id| CW.iter().any(|p| id.to_string().starts_with(p)));
    for id in cw {
        let source = id.to_string();
        let list = states_of(events, &source);
        if !list.iter().any(|(_, s, _)| *s == SourceState::Throttled) {
            bad.push(format!("{source}: never throttled: {list:?}"));
        }
        if let Some(other) = list
            .iter()
            .find(|(_, s, _)| !matches!(s, SourceState::Ok | SourceState::Throttled))
        {
            bad.push(format!(
                "{source}: recorded {other:?}, not throttled: {list:?}"
            ));
        }
        let by = run.to + secs(id.kind.period()) * 2 + TimeDelta::seconds(10);
        let ok_again = list
            .iter()
            .any(|(t, s, _)| *s == SourceState::Ok && *t >= run.to && *t <= by);
        if !ok_again || list.last().map(|l| l.1) != Some(SourceState::Ok) {
            bad.push(format!(
                "{source}: not ok again by {by} (window ended {}): {list:?}",
                run.to
            ));
        }
    }
    bad
}
