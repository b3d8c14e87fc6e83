//! A screen's side of the room: the link to the collector's socket, kept on a thread of its
//! own. It says hello with where this screen's copy of the log ends, passes on the welcome, the
//! steps and the answers, and sends the operator's requests. When the link drops (an SSH
//! forward closed, a laptop slept, the collector restarted) it says so and reconnects with
//! back-off, asking only for what the screen lacks: no gap, no duplicate.

use std::io;
use std::os::unix::net::UnixStream as StdStream;
use std::path::PathBuf;
use std::sync::mpsc as std_mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{BufReader, BufWriter};
use tokio::net::UnixStream;
use tokio::sync::mpsc;
use warroom_core::journal::{Request, Step};

use crate::wire::{self, FromRoom, Have, Hello, LineError, PROTOCOL, ToRoom, Welcome};

/// The first wait after a link drops; doubled up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_millis(250);
const RETRY_MAX: Duration = Duration::from_secs(5);

/// What the link passes to the screen, in order.
#[derive(Debug)]
pub enum Received {
    /// The collector welcomed this screen (again, after a reconnect): when `from` is 0 and the
    /// screen held something, it starts over (another log, or one it was ahead of).
    Welcome(Box<Welcome>),
    Step(Step),
    Answer {
        id: u64,
        refused: Option<String>,
    },
    /// The link is down: why, and how long until the next try.
    Lost {
        reason: String,
        retry_in: Duration,
    },
}

/// Who this screen is.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    pub socket: PathBuf,
    pub operator: String,
    pub read_only: bool,
}

/// Why the first connection failed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("cannot reach the room at {path}: {source}")]
    Connect { path: PathBuf, source: io::Error },
    #[error("the room at {path} did not welcome this screen: {why}")]
    Refused { path: PathBuf, why: String },
}

pub struct Link {
    rx: std_mpsc::Receiver<Received>,
    asks: mpsc::UnboundedSender<ToRoom>,
    wake: StdStream,
    thread: Option<JoinHandle<()>>,
}

/// The thread's end.
struct Far {
    tx: std_mpsc::Sender<Received>,
    wake: StdStream,
    have: Option<Have>,
}

impl Far {
    fn pass(&mut self, r: Received) -> bool {
        match &r {
            Received::Welcome(w) => {
                self.have = Some(Have {
                    log: w.log.clone(),
                    events: w.from,
                });
            }
            Received::Step(Step::Batch { events, .. } | Step::Quiet { events, .. }) => {
                if let Some(h) = self.have.as_mut() {
                    h.events += events.len() as u64;
                }
            }
            _ => {}
        }
        let _ = io::Write::write(&mut &self.wake, &[1]);
        self.tx.send(r).is_ok()
    }
}

impl Link {
    /// Connects to the room, waits up to `wait` for its welcome, then keeps the link up.
    pub fn open(opts: LinkOptions, wait: Duration) -> Result<(Link, Box<Welcome>), LinkError> {
        let path = opts.socket.clone();
        let refused = |why: String| LinkError::Refused {
            path: path.clone(),
            why,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| refused(format!("cannot start: {e}")))?;
        let first = rt.block_on(async {
            let stream =
                UnixStream::connect(&opts.socket)
                    .await
                    .map_err(|source| LinkError::Connect {
                        path: opts.socket.clone(),
                        source,
                    })?;
            let hello = hello(&opts, None);
            let mut conn = Conn::new(stream);
            wire::write(&mut conn.w, &hello)
                .await
                .map_err(|e| refused(e.to_string()))?;
            match tokio::time::timeout(wait, conn.next()).await {
                Ok(Ok(FromRoom::Welcome(w))) => Ok((conn, w)),
                Ok(Ok(FromRoom::Bye { reason })) => Err(refused(said(&reason))),
                Ok(Ok(_)) => Err(refused("it spoke before the welcome".into())),
                Ok(Err(e)) => Err(refused(e.to_string())),
                Err(_) => Err(refused(format!("no answer in {} s", wait.as_secs()))),
            }
        })?;
        let (conn, welcome) = first;
        let (tx, rx) = std_mpsc::channel();
        let (asks, asks_rx) = mpsc::unbounded_channel();
        let (wake, waker) = StdStream::pair().map_err(|e| refused(e.to_string()))?;
        let _ = wake.set_nonblocking(true);
        let _ = waker.set_nonblocking(true);
        let far = Far {
            tx,
            wake: waker,
            have: Some(Have {
                log: welcome.log.clone(),
                events: welcome.from,
            }),
        };
        let thread = std::thread::Builder::new()
            .name("warroom-link".into())
            .spawn(move || rt.block_on(keep(opts, conn, far, asks_rx)))
            .map_err(|e| refused(format!("cannot start the link: {e}")))?;
        Ok((
            Link {
                rx,
                asks,
                wake,
                thread: Some(thread),
            },
            welcome,
        ))
    }

    /// What arrived, if anything (never blocks).
    pub fn try_recv(&self) -> Option<Received> {
        let mut drain = [0u8; 64];
        while matches!(io::Read::read(&mut &self.wake, &mut drain), Ok(n) if n > 0) {}
        self.rx.try_recv().ok()
    }

    /// Readable whenever something arrived: the screen's event loop polls it with its input.
    pub fn wake(&self) -> io::Result<StdStream> {
        self.wake.try_clone()
    }

    /// Sends an operator request; the answer comes as [`Received::Answer`] with `id`.
    pub fn ask(&self, id: u64, request: Request) {
        let _ = self.asks.send(ToRoom::Ask { id, request });
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // Says goodbye (the operator left, the link did not drop), then the thread ends.
        let _ = self.asks.send(ToRoom::Bye);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the collector says, as this screen shows it: stripped and bounded like any string
/// from outside.
fn said(reason: &str) -> String {
    warroom_core::journal::clean(reason, 200)
}

fn hello(opts: &LinkOptions, have: Option<Have>) -> ToRoom {
    ToRoom::Hello(Hello {
        protocol: PROTOCOL,
        operator: opts.operator.clone(),
        read_only: opts.read_only,
        have,
    })
}

struct Conn {
    r: BufReader<tokio::net::unix::OwnedReadHalf>,
    w: BufWriter<tokio::net::unix::OwnedWriteHalf>,
    buf: Vec<u8>,
}

impl Conn {
    fn new(s: UnixStream) -> Self {
        let (r, w) = s.into_split();
        Conn {
            r: BufReader::new(r),
            w: BufWriter::new(w),
            buf: Vec::new(),
        }
    }

    async fn next(&mut self) -> Result<FromRoom, LineError> {
        wire::read(&mut self.r, &mut self.buf, wire::MAX_STEP_LINE).await
    }
}

/// How a link ended.
enum Ended {
    /// The screen closed.
    Closed,
    Lost(String),
}

/// Keeps the link up until the screen closes: serves `conn`, then reconnects when it drops.
async fn keep(
    opts: LinkOptions,
    conn: Conn,
    mut far: Far,
    mut asks: mpsc::UnboundedReceiver<ToRoom>,
) {
    let mut conn = Some(conn);
    let mut wait = RETRY_FIRST;
    loop {
        let ended = match conn.take() {
            Some(c) => serve(c, &mut far, &mut asks).await,
            None => match connect(&opts, &mut far).await {
                Ok(c) => {
                    wait = RETRY_FIRST;
                    serve(c, &mut far, &mut asks).await
                }
                Err(why) => Ended::Lost(why),
            },
        };
        let Ended::Lost(reason) = ended else { return };
        if !far.pass(Received::Lost {
            reason,
            retry_in: wait,
        }) {
            return;
        }
        // Requests made while the link is down are answered at once: nothing was sent.
        let deadline = tokio::time::sleep(wait);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                () = &mut deadline => break,
                ask = asks.recv() => match ask {
                    Some(ToRoom::Ask { id, .. }) => {
                        let refused = Some("not sent: the link to the room is down; \
                            try again once it is back".to_string());
                        if !far.pass(Received::Answer { id, refused }) {
                            return;
                        }
                    }
                    Some(_) | None => return,
                },
            }
        }
        wait = (wait * 2).min(RETRY_MAX);
    }
}

async fn connect(opts: &LinkOptions, far: &mut Far) -> Result<Conn, String> {
    let stream = UnixStream::connect(&opts.socket)
        .await
        .map_err(|e| format!("cannot reach the room: {e}"))?;
    let mut conn = Conn::new(stream);
    wire::write(&mut conn.w, &hello(opts, far.have.clone()))
        .await
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Passes on what the collector sends and sends the screen's requests, until either side ends.
async fn serve(mut conn: Conn, far: &mut Far, asks: &mut mpsc::UnboundedReceiver<ToRoom>) -> Ended {
    loop {
        tokio::select! {
            msg = conn.next() => {
                let r = match msg {
                    Ok(FromRoom::Welcome(w)) => Received::Welcome(w),
                    Ok(FromRoom::Step(s)) => Received::Step(s),
                    Ok(FromRoom::Answer { id, refused }) => Received::Answer { id, refused },
                    Ok(FromRoom::Bye { reason }) => return Ended::Lost(said(&reason)),
                    Err(LineError::Closed) => return Ended::Lost("the collector closed the link".into()),
                    Err(e) => return Ended::Lost(e.to_string()),
                };
                if !far.pass(r) {
                    return Ended::Closed;
                }
            }
            ask = asks.recv() => match ask {
                Some(ToRoom::Bye) | None => {
                    let _ = wire::write(&mut conn.w, &ToRoom::Bye).await;
                    return Ended::Closed;
                }
                Some(msg) => {
                    if let Err(e) = wire::write(&mut conn.w, &msg).await {
                        return Ended::Lost(e.to_string());
                    }
                }
            },
        }
    }
}
