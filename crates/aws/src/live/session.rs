//! A live session: the AWS pollers running on their own tokio runtime, sending their batches
//! over one channel, and the synchronous end that drains it. `collect` blocks on it (with a
//! timeout, to notice signals); the dashboard only ever polls it without waiting, so a hung AWS
//! call can delay its own source but never the screen.

use std::time::Duration;

use tokio::runtime::Runtime;
use tokio::sync::mpsc::{self, Receiver, error::TryRecvError};
use tokio::task::JoinHandle;

use super::routes::Route;
use crate::clock::Clock;
use crate::config::layout::Layout;
use crate::model::Event;
use crate::sources::pollers::spawn_layout;

/// Batches in flight before pollers wait for the writer.
const CHANNEL: usize = 256;
/// How long stopping waits for calls in progress (DNS lookups run on blocking threads).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// What the channel had.
#[derive(Debug)]
pub enum Next {
    Batch(Vec<Event>),
    /// Nothing yet.
    Idle,
    /// Every poller has stopped (they only stop when the session is dropped, or on a panic).
    Closed,
}

pub struct LiveSession {
    runtime: Option<Runtime>,
    rx: Receiver<Vec<Event>>,
    pollers: Vec<JoinHandle<()>>,
    /// The clock the pollers run on (wall, or a simulator's virtual clock).
    clock: Clock,
    /// What must live as long as the pollers (the demo's in-process simulator endpoint).
    keep_alive: Option<Box<dyn Send>>,
}

/// The runtime the pollers run on: two workers (pollers mostly wait on the network).
pub fn runtime() -> std::io::Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("warroom-poll")
        .enable_all()
        .build()
}

impl LiveSession {
    /// Starts the pollers of every route on `runtime`, on the system clock.
    pub fn start(runtime: Runtime, layout: &Layout, routes: &[Route]) -> Self {
        Self::start_on(runtime, layout, routes, None)
    }

    /// Starts the pollers on `clock` (the demo gives them the virtual clock of its simulator
    /// endpoint).
    pub fn start_with_clock(
        runtime: Runtime,
        layout: &Layout,
        routes: &[Route],
        clock: Clock,
    ) -> Self {
        Self::start_on(runtime, layout, routes, Some(clock))
    }

    /// Starts the pollers on `clock` (game-day mode, a simulator's virtual clock; see
    /// `warroom_core::clock::sim`), or on the system clock when None.
    pub fn start_on(
        runtime: Runtime,
        layout: &Layout,
        routes: &[Route],
        clock: Option<Clock>,
    ) -> Self {
        let (tx, rx) = mpsc::channel(CHANNEL);
        let mut pollers = Vec::new();
        let clock = {
            let _inside = runtime.enter();
            // Made inside the runtime: a clock's base is tokio's `Instant`.
            let clock = clock.unwrap_or_else(Clock::system);
            for r in routes {
                let slice = r.slice(layout);
                tracing::info!(
                    account = r.account.as_deref().unwrap_or("*"),
                    credentials = %r.credentials,
                    "starting pollers"
                );
                pollers.extend(spawn_layout(&slice, &r.clients, clock, &tx));
            }
            clock
        };
        LiveSession {
            runtime: Some(runtime),
            rx,
            pollers,
            clock,
            keep_alive: None,
        }
    }

    /// The time on the pollers' clock: what "now" is for summaries and status lines.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Keeps `guard` alive as long as the pollers (the demo's simulator endpoint, which runs on
    /// this session's runtime and which its pollers query).
    #[must_use]
    pub fn keep_alive(mut self, guard: impl Send + 'static) -> Self {
        self.keep_alive = Some(Box::new(guard));
        self
    }

    /// Pollers started.
    pub fn pollers(&self) -> usize {
        self.pollers.len()
    }

    /// The next batch if one is waiting; never blocks.
    pub fn try_next(&mut self) -> Next {
        match self.rx.try_recv() {
            Ok(b) => Next::Batch(b),
            Err(TryRecvError::Empty) => Next::Idle,
            Err(TryRecvError::Disconnected) => Next::Closed,
        }
    }

    /// The runtime the pollers run on (the room's screens are served on it too).
    pub fn handle(&self) -> Option<tokio::runtime::Handle> {
        self.runtime.as_ref().map(|r| r.handle().clone())
    }

    /// The next batch, when it comes.
    pub async fn recv(&mut self) -> Next {
        match self.rx.recv().await {
            Some(b) => Next::Batch(b),
            None => Next::Closed,
        }
    }

    /// The next batch, waiting at most `wait`.
    pub fn next_within(&mut self, wait: Duration) -> Next {
        let Some(rt) = self.runtime.as_ref() else {
            return Next::Closed;
        };
        let rx = &mut self.rx;
        rt.block_on(async {
            match tokio::time::timeout(wait, rx.recv()).await {
                Ok(Some(b)) => Next::Batch(b),
                Ok(None) => Next::Closed,
                Err(_) => Next::Idle,
            }
        })
    }

    /// Stops the pollers (calls in progress are abandoned) and returns the batches already
    /// queued, so the caller can record them.
    pub fn stop(mut self) -> Vec<Vec<Event>> {
        self.shutdown();
        let mut rest = Vec::new();
        while let Ok(b) = self.rx.try_recv() {
            rest.push(b);
        }
        rest
    }

    fn shutdown(&mut self) {
        for p in &self.pollers {
            p.abort();
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(SHUTDOWN_GRACE);
        }
    }
}

impl Drop for LiveSession {
    fn drop(&mut self) {
        self.shutdown();
    }
}
