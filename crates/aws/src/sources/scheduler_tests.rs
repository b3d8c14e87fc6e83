//! Scheduler under paused tokio time: pure tick and back-off maths; the real metrics poller
//! over a mocked `CloudWatch` client (cadence, back-off after throttling, recovery emits `ok`);
//! a hung source does not delay another.

use std::sync::{Arc, Mutex};

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use tokio::sync::mpsc;

use super::*;
use crate::clock::MIN_REAL_DEADLINE;
use crate::sources::pollers::MetricsPoller;
use warroom_core::testing::{at, layout};

fn cadence(period: u64, offset: u64) -> Cadence {
    Cadence {
        period: Duration::from_secs(period),
        offset: Duration::from_secs(offset),
        timeout: Duration::from_secs(period * 4 / 5),
    }
}

#[test]
fn next_tick_is_period_aligned_plus_offset() {
    let c = cadence(60, 7);
    assert_eq!(
        next_tick(at("2026-06-13T11:00:00Z"), &c),
        at("2026-06-13T11:00:07Z")
    );
    assert_eq!(
        next_tick(at("2026-06-13T11:00:07Z"), &c),
        at("2026-06-13T11:01:07Z")
    );
    assert_eq!(
        next_tick(at("2026-06-13T11:00:59Z"), &c),
        at("2026-06-13T11:01:07Z")
    );
}

#[test]
fn offsets_are_deterministic_distinct_and_in_range() {
    let a = Cadence::for_source(SourceKind::Metrics, "cloudwatch:us-east-1");
    let b = Cadence::for_source(SourceKind::Metrics, "cloudwatch:ap-northeast-2");
    assert_eq!(
        a,
        Cadence::for_source(SourceKind::Metrics, "cloudwatch:us-east-1")
    );
    assert_ne!(a.offset, b.offset);
    for c in [a, b] {
        assert!(c.offset >= Duration::from_secs(5) && c.offset < Duration::from_secs(15));
        assert_eq!(c.period, Duration::from_mins(1));
    }
    let h = Cadence::for_source(SourceKind::TargetHealth, "elbv2:seoul.tg");
    assert_eq!(h.period, Duration::from_secs(30));
    assert!(h.offset < Duration::from_secs(10) && h.timeout < h.period);
}

#[test]
fn backoff_doubles_with_jitter_and_is_capped() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let p = Duration::from_mins(1);
    // At most two periods: a failing source never calls more than half as often as a healthy
    // one, and is retried within two periods of a fault's end.
    for (n, full) in [(1, 15), (2, 30), (3, 60), (4, 120), (5, 120), (30, 120)] {
        let d = backoff(n, p, &mut rng);
        let full = Duration::from_secs(full);
        assert!(d >= full / 2 && d <= full, "failure {n}: {d:?}");
    }
    let half = Duration::from_secs(30);
    for n in [3, 4, 9] {
        assert!(
            backoff(n, half, &mut rng) <= Duration::from_mins(1),
            "30 s source"
        );
    }
    let hour = Duration::from_hours(1);
    assert!(
        backoff(9, hour, &mut rng) <= BACKOFF_CAP,
        "and never over the absolute cap"
    );
}

fn ok_output() -> GetMetricDataOutput {
    GetMetricDataOutput::builder().build()
}

fn throttled() -> GetMetricDataError {
    GetMetricDataError::generic(ErrorMetadata::builder().code("Throttling").build())
}

fn metrics_poller(client: Client) -> MetricsPoller {
    MetricsPoller::new(
        "cloudwatch:ap-northeast-2".into(),
        client,
        crate::metric_window::plan(&layout())["ap-northeast-2"].clone(),
    )
}

/// Drains what arrived so far: (seconds since 11:00:00, kinds, status state if any).
fn drain(
    rx: &mut mpsc::Receiver<Vec<Event>>,
) -> Vec<(i64, Vec<&'static str>, Option<SourceState>)> {
    let t0 = at("2026-06-13T11:00:00Z");
    let mut out = vec![];
    while let Ok(batch) = rx.try_recv() {
        let secs = (batch[0].at - t0).num_seconds();
        let kinds = batch.iter().map(|e| e.body.kind()).collect();
        let status = batch.iter().find_map(|e| match &e.body {
            EventBody::SourceStatus(s) => Some(s.state),
            _ => None,
        });
        out.push((secs, kinds, status));
    }
    out
}

#[tokio::test(start_paused = true)]
async fn metrics_poll_every_minute_at_the_offset_status_only_on_change() {
    let rule = mock!(Client::get_metric_data).then_output(ok_output);
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
    let (tx, mut rx) = mpsc::channel(16);
    let clock = Clock::starting_at(at("2026-06-13T11:00:00Z"));
    let h = spawn(metrics_poller(client), cadence(60, 7), clock, tx);
    tokio::time::sleep(Duration::from_secs(200)).await;
    let got = drain(&mut rx);
    assert_eq!(
        got,
        [
            (0, vec!["source_status", "metrics"], Some(SourceState::Ok)),
            (7, vec!["metrics"], None),
            (67, vec!["metrics"], None),
            (127, vec!["metrics"], None),
            (187, vec!["metrics"], None),
        ]
    );
    assert_eq!(rule.num_calls(), 5);
    h.abort();
}

#[tokio::test(start_paused = true)]
async fn throttling_backs_off_then_recovery_emits_ok() {
    let times: Arc<Mutex<Vec<i64>>> = Arc::default();
    let clock = Clock::starting_at(at("2026-06-13T11:00:00Z"));
    let t0 = clock.now();
    let seen = times.clone();
    let rule = mock!(Client::get_metric_data)
        .sequence()
        .error(throttled)
        .times(3)
        .output(ok_output)
        .repeatedly()
        .build();
    let recorder = mock!(Client::get_metric_data)
        .match_requests(move |_| {
            seen.lock()
                .expect("lock")
                .push((clock.now() - t0).num_seconds());
            false
        })
        .then_output(ok_output);
    let client = mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::MatchAny,
        [&recorder, &rule],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let (tx, mut rx) = mpsc::channel(16);
    let h = spawn(metrics_poller(client), cadence(60, 7), clock, tx);
    tokio::time::sleep(Duration::from_mins(4)).await;
    let calls = times.lock().expect("lock").clone();
    // First poll at start, then waits of 7.5-15 s, 15-30 s, 30-60 s, then the minute grid.
    assert!(calls.len() >= 5, "{calls:?}");
    let gaps: Vec<i64> = calls.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(calls[0], 0);
    assert!((7..=15).contains(&gaps[0]), "{gaps:?}");
    assert!((15..=30).contains(&gaps[1]), "{gaps:?}");
    assert!((30..=60).contains(&gaps[2]), "{gaps:?}");
    let got = drain(&mut rx);
    let states: Vec<SourceState> = got.iter().filter_map(|g| g.2).collect();
    assert_eq!(states, [SourceState::Throttled, SourceState::Ok]);
    let recovered = got
        .iter()
        .find(|g| g.2 == Some(SourceState::Ok))
        .expect("ok");
    assert_eq!(recovered.1, ["source_status", "metrics"]);
    assert_eq!(
        calls[3], recovered.0,
        "recovery reported at the successful poll"
    );
    // Back on the grid after recovery.
    assert_eq!(calls[4] % 60, 7, "{calls:?}");
    h.abort();
}

/// A source whose every poll hangs until its deadline.
struct Hung;

impl Poller for Hung {
    fn source(&self) -> &'static str {
        "hung"
    }
    async fn poll(&mut self, _now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_hung_source_is_slow_and_does_not_delay_others() {
    let rule = mock!(Client::get_metric_data).then_output(ok_output);
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
    let (tx, mut rx) = mpsc::channel(16);
    let clock = Clock::starting_at(at("2026-06-13T11:00:00Z"));
    let hung = spawn(Hung, cadence(60, 1), clock, tx.clone());
    let ok = spawn(metrics_poller(client), cadence(60, 7), clock, tx);
    tokio::time::sleep(Duration::from_secs(130)).await;
    let mut batches = vec![];
    while let Ok(b) = rx.try_recv() {
        batches.push(b);
    }
    let metrics_at: Vec<i64> = batches
        .iter()
        .flatten()
        .filter(|e| e.body.kind() == "metrics")
        .map(|e| (e.at - at("2026-06-13T11:00:00Z")).num_seconds())
        .collect();
    assert_eq!(metrics_at, [0, 7, 67, 127]);
    let slow = batches.iter().flatten().find_map(|e| match &e.body {
        EventBody::SourceStatus(s) if s.source == "hung" => Some((e.at, s.state)),
        _ => None,
    });
    assert_eq!(slow, Some((at("2026-06-13T11:00:48Z"), SourceState::Slow)));
    hung.abort();
    ok.abort();
}

#[tokio::test(start_paused = true)]
async fn poller_stops_when_the_receiver_is_dropped() {
    let rule = mock!(Client::get_metric_data).then_output(ok_output);
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
    let (tx, rx) = mpsc::channel(16);
    drop(rx);
    let clock = Clock::starting_at(at("2026-06-13T11:00:00Z"));
    let h = spawn(metrics_poller(client), cadence(60, 7), clock, tx);
    tokio::time::timeout(Duration::from_mins(2), h)
        .await
        .expect("ended")
        .expect("no panic");
}

/// A source that always fails the same way, so it has nothing to send after its first status.
struct AlwaysFailing;

impl Poller for AlwaysFailing {
    fn source(&self) -> &'static str {
        "failing"
    }
    async fn poll(&mut self, _now: DateTime<Utc>) -> Result<Vec<EventBody>, PollError> {
        Err(PollError {
            state: SourceState::Error,
            detail: "boom".into(),
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_silent_failing_poller_also_stops_when_the_receiver_is_dropped() {
    let (tx, mut rx) = mpsc::channel(16);
    let clock = Clock::starting_at(at("2026-06-13T11:00:00Z"));
    let h = spawn(AlwaysFailing, cadence(60, 7), clock, tx);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(drain(&mut rx).len(), 1, "one error status");
    drop(rx);
    tokio::time::timeout(Duration::from_mins(10), h)
        .await
        .expect("ended")
        .expect("no panic");
}

#[tokio::test(start_paused = true)]
async fn clock_at_speed_one_is_the_wall_clock() {
    let clock = Clock::starting_at(at("2026-06-13T11:00:00Z"));
    assert!((clock.speed() - 1.0).abs() < f64::EPSILON);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(clock.now(), at("2026-06-13T11:00:01.5Z"));
    assert_eq!(clock.real(Duration::from_secs(7)), Duration::from_secs(7));
    assert_eq!(
        clock.deadline(Duration::from_secs(48)),
        Duration::from_secs(48)
    );
    let target = at("2026-06-13T11:00:10Z");
    assert_eq!(
        clock.instant_at(target) - tokio::time::Instant::now(),
        Duration::from_millis(8500)
    );
}

#[tokio::test(start_paused = true)]
async fn virtual_clock_runs_n_times_faster_and_scales_sleeps() {
    let clock = Clock::starting_at(at("2026-06-13T11:00:00Z")).with_speed(10.0);
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        clock.now(),
        at("2026-06-13T11:01:00Z"),
        "6 s real = 60 s virtual"
    );
    // A minute of clock time is six real seconds away.
    let target = at("2026-06-13T11:02:00Z");
    let wait = clock.instant_at(target) - tokio::time::Instant::now();
    assert!(
        (wait.as_secs_f64() - 6.0).abs() < 1e-6,
        "{wait:?} real to reach T+1m"
    );
    tokio::time::sleep_until(clock.instant_at(target)).await;
    assert!((clock.now() - target).num_milliseconds().abs() < 2);
    // Deadlines scale too, but never below the real-time floor.
    assert_eq!(
        clock.deadline(Duration::from_secs(48)),
        Duration::from_millis(4800)
    );
    assert_eq!(clock.deadline(Duration::from_secs(10)), MIN_REAL_DEADLINE);
    // Nonsense speeds fall back to real time.
    assert!((clock.with_speed(0.0).speed() - 1.0).abs() < f64::EPSILON);
    assert!((clock.with_speed(f64::NAN).speed() - 1.0).abs() < f64::EPSILON);
}

#[tokio::test(start_paused = true)]
async fn metrics_poller_on_a_fast_clock_polls_every_virtual_minute() {
    let start = at("2026-06-13T11:00:00Z");
    let clock = Clock::starting_at(start).with_speed(10.0);
    let layout = layout();
    let plan = crate::metric_window::plan(&layout)
        .remove("ap-northeast-2")
        .expect("plan");
    let rule =
        mock!(Client::get_metric_data).then_output(|| GetMetricDataOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
    let (tx, mut rx) = mpsc::channel(64);
    let p = MetricsPoller::new("cloudwatch:ap-northeast-2".into(), client, plan);
    let c = cadence(60, 7);
    let task = spawn(p, c, clock, tx);
    // 36 real seconds = 6 virtual minutes: the first poll plus one per minute.
    let mut polls = vec![];
    let until = tokio::time::Instant::now() + Duration::from_secs(36);
    while let Ok(Some(batch)) = tokio::time::timeout_at(until, rx.recv()).await {
        polls.push(batch[batch.len() - 1].at);
    }
    task.abort();
    assert_eq!(polls.len(), 7, "{polls:?}");
    assert_eq!(polls[1], at("2026-06-13T11:00:07Z"));
    assert_eq!(polls[6], at("2026-06-13T11:05:07Z"));
}
