//! The poll loops: one tokio task per source, polled once at start then period-aligned with a
//! deterministic per-source offset so pollers do not align, a deadline per poll, exponential
//! back-off with jitter after failures (at most two periods), and a `source_status` event on every state
//! change (including the first poll and the recovery back to `ok`). Each poll's events go to the log writer as one `Vec`.
//! A hung call only ever delays its own source: every source is its own task.
//!
//! Staleness (no fresh data for a while) is not emitted here: the store derives it from the
//! time of each source's last observation.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::sync::mpsc::Sender;
use tokio::task::JoinHandle;

use super::classify::CallError;
use crate::clock::Clock;
use crate::model::{Event, EventBody, SourceState, SourceStatus};
use crate::source::{SourceKind, stable_hash};

/// Longest wait between two attempts of a failing source, whatever its period.
pub(crate) const BACKOFF_CAP: Duration = Duration::from_mins(5);
/// A failing source waits at most this many of its periods between attempts: it then calls at
/// most half as often as when healthy (never adding load to a throttled API), and the room sees
/// it recover within two periods of the fault's end instead of minutes later.
pub const BACKOFF_CAP_PERIODS: u32 = 2;

/// When a source polls: at every `k * period + offset` (UTC), each poll bounded by `timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    pub period: Duration,
    pub(crate) offset: Duration,
    pub timeout: Duration,
}

impl Cadence {
    /// The cadence of `source` (e.g. `cloudwatch:us-east-1`): metrics 5 to 15 s after the
    /// minute (`CloudWatch` needs a few seconds to aggregate), others anywhere in the first third
    /// of their period; the offset is a hash of the source name, so stable across runs.
    pub fn for_source(kind: SourceKind, source: &str) -> Self {
        let period = kind.period();
        let h = stable_hash(source);
        let offset_ms = match kind {
            SourceKind::Metrics => 5_000 + h % 10_000,
            _ => h % (period.as_millis() as u64 / 3),
        };
        Cadence {
            period,
            offset: Duration::from_millis(offset_ms),
            // Room for the SDK's own 20 s operation timeout; Logs makes several calls.
            timeout: if matches!(kind, SourceKind::Logs | SourceKind::Quotas) {
                Duration::from_secs(45)
            } else {
                period.mul_f64(0.8)
            },
        }
    }
}

/// Why one poll failed, classified for the `source_status` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollError {
    pub(crate) state: SourceState,
    pub(crate) detail: String,
}

impl From<CallError> for PollError {
    fn from(e: CallError) -> Self {
        PollError {
            state: e.state,
            detail: e.to_string(),
        }
    }
}

/// One source: polled at `now`, returns the event bodies of that poll.
pub trait Poller: Send + 'static {
    /// Name in `source_status` events, e.g. `cloudwatch:ap-northeast-2`, `elbv2:seoul.tg`.
    fn source(&self) -> &str;
    fn poll(
        &mut self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<EventBody>, PollError>> + Send;
}

/// The first `k * period + offset` strictly after `now`.
pub fn next_tick(now: DateTime<Utc>, c: &Cadence) -> DateTime<Utc> {
    let p = c.period.as_millis().max(1) as i64;
    let off = c.offset.as_millis() as i64;
    let ms = now.timestamp_millis();
    let k = (ms - off).div_euclid(p) + 1;
    DateTime::from_timestamp_millis(k * p + off).unwrap_or(now)
}

/// Wait after the `failures`-th failure in a row: a quarter period doubled each time, capped at
/// [`BACKOFF_CAP_PERIODS`] periods (and [`BACKOFF_CAP`]), then "equal jitter" (half fixed, half
/// random).
pub(crate) fn backoff(failures: u32, period: Duration, rng: &mut impl Rng) -> Duration {
    let base = period / 4;
    let exp = base.saturating_mul(1u32 << failures.saturating_sub(1).min(16));
    let d = exp
        .min(period.saturating_mul(BACKOFF_CAP_PERIODS))
        .min(BACKOFF_CAP);
    let half = d / 2;
    half + half.mul_f64(rng.random::<f64>())
}

/// Runs `poller` on its own task until the receiver is dropped.
pub fn spawn<P: Poller>(
    poller: P,
    cadence: Cadence,
    clock: Clock,
    tx: Sender<Vec<Event>>,
) -> JoinHandle<()> {
    tokio::spawn(run(poller, cadence, clock, tx))
}

/// Spawns `poller` on its kind's cadence ([`Cadence::for_source`]).
pub fn spawn_for<P: Poller>(
    poller: P,
    kind: SourceKind,
    clock: Clock,
    tx: &Sender<Vec<Event>>,
) -> JoinHandle<()> {
    let cadence = Cadence::for_source(kind, poller.source());
    tracing::info!(source = poller.source(), ?cadence, "starting poller");
    spawn(poller, cadence, clock, tx.clone())
}

/// The poll loop of one source.
pub async fn run<P: Poller>(mut poller: P, cadence: Cadence, clock: Clock, tx: Sender<Vec<Event>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(stable_hash(poller.source()));
    let mut state: Option<SourceState> = None;
    let mut failures = 0u32;
    // The first poll is immediate so the screen fills at start; later ones follow the grid.
    let mut next = clock.now();
    loop {
        tokio::time::sleep_until(clock.instant_at(next)).await;
        if tx.is_closed() {
            tracing::debug!(source = poller.source(), "receiver gone; poller stops");
            return;
        }
        let deadline = clock.deadline(cadence.timeout);
        let result = match tokio::time::timeout(deadline, poller.poll(clock.now())).await {
            Ok(r) => r,
            Err(_) => Err(PollError {
                state: SourceState::Slow,
                detail: format!("no answer within {} s", cadence.timeout.as_secs()),
            }),
        };
        let at = clock.now();
        let (new_state, detail, bodies) = match result {
            Ok(bodies) => {
                failures = 0;
                next = next_tick(at, &cadence);
                (SourceState::Ok, None, bodies)
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = backoff(failures, cadence.period, &mut rng);
                tracing::warn!(source = poller.source(), state = e.state.as_str(), detail = %e.detail, ?wait, "poll failed");
                next = at + TimeDelta::from_std(wait).unwrap_or(TimeDelta::seconds(60));
                (e.state, Some(e.detail), vec![])
            }
        };
        let mut batch = Vec::with_capacity(bodies.len() + 1);
        if state != Some(new_state) {
            state = Some(new_state);
            batch.push(Event {
                at,
                body: EventBody::SourceStatus(SourceStatus {
                    source: poller.source().to_string(),
                    state: new_state,
                    detail,
                }),
            });
        }
        batch.extend(bodies.into_iter().map(|body| Event { at, body }));
        if !batch.is_empty() && tx.send(batch).await.is_err() {
            tracing::debug!(source = poller.source(), "receiver gone; poller stops");
            return;
        }
    }
}

#[cfg(test)]
#[path = "scheduler_tests.rs"]
mod tests;
