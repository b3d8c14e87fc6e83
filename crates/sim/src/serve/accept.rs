//! Accepting connections until shut down: at most `Limits::max_connections` served at once
//! (one more is answered 503 and closed, as a load balancer at capacity rejects it); an accept
//! error such as running out of file descriptors (EMFILE, ENFILE) is waited out with a pause
//! that doubles up to a second instead of a spin; both are logged at most once per
//! [`LOG_EVERY`], with the count of the ones left out. Shutting down closes every connection.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::http::{self, Endpoint};

/// The longest pause after an accept error.
pub(crate) const MAX_PAUSE: Duration = Duration::from_secs(1);
const FIRST_PAUSE: Duration = Duration::from_millis(10);
/// At most one log line per kind of trouble in this time.
pub(crate) const LOG_EVERY: Duration = Duration::from_secs(10);

/// What a connection over the limit is told before it is closed.
const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// The pause after the n-th accept error in a row: 10 ms doubling up to [`MAX_PAUSE`].
#[derive(Debug, Default)]
pub(crate) struct Backoff {
    failures: u32,
}

impl Backoff {
    pub(crate) fn next(&mut self) -> Duration {
        let pause = FIRST_PAUSE
            .saturating_mul(1 << self.failures.min(16))
            .min(MAX_PAUSE);
        self.failures = self.failures.saturating_add(1);
        pause
    }

    pub(crate) fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Lets one event in per period through to the log; counts the others.
#[derive(Debug)]
pub(crate) struct RateLimited {
    every: Duration,
    last: Option<Instant>,
    left_out: u64,
}

impl RateLimited {
    pub(crate) fn new(every: Duration) -> Self {
        RateLimited {
            every,
            last: None,
            left_out: 0,
        }
    }

    /// `Some(left out since the last one logged)` when this one is to be logged.
    pub(crate) fn hit(&mut self) -> Option<u64> {
        let now = Instant::now();
        match self.last {
            Some(t) if now.duration_since(t) < self.every => {
                self.left_out += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.left_out))
            }
        }
    }
}

/// Errors of one connection that went away before it was accepted: nothing to wait for.
fn of_one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// Tells a connection over the limit so (without waiting on it) and closes it.
fn turn_away(stream: &TcpStream) {
    let _ = stream.try_write(BUSY);
}

/// Accepts connections until `shutdown` turns true or its sender is dropped.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    endpoint: Arc<Endpoint>,
    mut shutdown: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(endpoint.limits.max_connections));
    let mut conns = JoinSet::new();
    let mut backoff = Backoff::default();
    let mut accept_log = RateLimited::new(LOG_EVERY);
    let mut busy_log = RateLimited::new(LOG_EVERY);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    backoff.reset();
                    if let Ok(slot) = Arc::clone(&slots).try_acquire_owned() {
                        conns.spawn(http::serve_connection(stream, Arc::clone(&endpoint), slot));
                    } else {
                        turn_away(&stream);
                        if let Some(left_out) = busy_log.hit() {
                            tracing::warn!(
                                limit = endpoint.limits.max_connections,
                                left_out,
                                "connection limit reached: connections turned away with 503"
                            );
                        }
                    }
                }
                Err(e) if of_one_connection(&e) => {
                    tracing::debug!(error = %e, "a connection went away before it was accepted");
                }
                Err(e) => {
                    let pause = backoff.next();
                    if let Some(left_out) = accept_log.hit() {
                        tracing::warn!(error = %e, left_out, pause_ms = pause.as_millis() as u64, "accept failed; pausing before the next try");
                    }
                    tokio::select! {
                        () = tokio::time::sleep(pause) => {}
                        _ = shutdown.changed() => break,
                    }
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    conns.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_doubles_up_to_a_second_and_resets() {
        let mut b = Backoff::default();
        let pauses: Vec<u128> = (0..10).map(|_| b.next().as_millis()).collect();
        assert_eq!(pauses, [10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000]);
        for _ in 0..100 {
            assert_eq!(b.next(), MAX_PAUSE);
        }
        b.reset();
        assert_eq!(b.next(), FIRST_PAUSE);
    }

    #[tokio::test(start_paused = true)]
    async fn one_line_per_period_with_the_count_left_out() {
        let mut log = RateLimited::new(Duration::from_secs(10));
        assert_eq!(log.hit(), Some(0));
        for _ in 0..999 {
            assert_eq!(log.hit(), None);
        }
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(log.hit(), Some(999));
        assert_eq!(log.hit(), None);
    }
}
