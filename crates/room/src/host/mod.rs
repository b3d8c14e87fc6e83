//! The collector's side of the room: the socket, one task per attached screen, and the hand-off
//! to the journal's owner (`collect`'s loop, or the dashboard of `demo --serve`). The owner takes
//! each [`Inbound`] message with [`RoomHost::take`] (or awaits [`RoomHost::recv`]) and lets
//! [`serve`] carry it out on the journal: joins and leaves become `room` events, requests are
//! checked, stamped with who made them and written; every step the journal takes is published
//! to every screen, then the requester gets its answer.

mod access;
mod caps;
mod catch_up;
mod conn;
mod hub;
mod limits;
mod rate;
mod socket;

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use warroom_core::journal::{Journal, Refusal, Request, Step, Taken, Who};
use warroom_core::model::{Header, RoomChange, RoomChangeKind};

pub use access::group;
pub use caps::{
    Caps, FD_RESERVE, FDS_NEEDED, MAX_CONNECTING, MAX_CONNECTING_PER_ACCOUNT, MAX_SCREENS,
    MAX_WATCHERS,
};
pub use catch_up::{AHEAD_BYTES, CATCH_UP_READERS};
pub use conn::{HELLO_TIMEOUT, LINE_TIMEOUT};
pub use hub::QUEUE;
pub use nix::unistd::Gid;
pub use rate::{JOIN_BURST, JOIN_EVERY, REQUEST_BURST, REQUEST_EVERY};
pub use socket::{MAX_PATH, SocketError, beside, check};

use crate::wire::{self, FromRoom};

/// A screen's message for the journal's owner.
#[derive(Debug)]
pub enum Inbound {
    Joined {
        conn: u64,
        who: Who,
        read_only: bool,
    },
    Left {
        conn: u64,
        who: Who,
        read_only: bool,
        /// None when the screen said goodbye; else what ended the link.
        reason: Option<String>,
    },
    Ask {
        conn: u64,
        id: u64,
        request: Request,
        who: Who,
        read_only: bool,
    },
    /// One account's screens joined and left faster than the room writes one by one: how many
    /// times, over how long (`2,000 times in 17 s`).
    Churned {
        who: Who,
        read_only: bool,
        times: String,
    },
}

/// How the room is served.
pub struct Options {
    pub socket: PathBuf,
    /// The recording the journal writes: screens catch up from it.
    pub recording: PathBuf,
    pub header: Header,
    /// The socket's group (mode 0660); None: mode 0600, the collector's user only.
    pub group: Option<Gid>,
    /// Only members may act; everyone else who can open the socket watches.
    pub operators: Option<Gid>,
    /// The sources polled, with whose credentials (the screens' status board).
    pub sources: Vec<(String, String)>,
    /// A game day's virtual clock spec, for the screens' clocks.
    pub clock: Option<String>,
}

/// What every connection task shares.
pub(crate) struct Room {
    pub(crate) hub: hub::Hub,
    pub(crate) log: String,
    pub(crate) header: Header,
    pub(crate) recording: PathBuf,
    pub(crate) sources: Vec<(String, String)>,
    /// Where the room's summaries go (its desk's sinks), for the screens' send confirmation.
    pub(crate) recipients: Vec<String>,
    pub(crate) clock: Option<String>,
    pub(crate) operators: Option<Gid>,
    /// Places to say hello and seats, counted as taken.
    pub(crate) places: Arc<limits::Places>,
    /// Each account's rates of joining and of requests.
    pub(crate) rates: rate::Rates,
    /// The screens' catch-up readers, a few at once.
    pub(crate) catch_up: Arc<catch_up::Readers>,
}

pub struct RoomHost {
    room: Arc<Room>,
    inbox: mpsc::UnboundedReceiver<Inbound>,
    wake: UnixStream,
    accept: JoinHandle<()>,
    socket: PathBuf,
    /// The socket file bound: removed at exit only while it is still this one.
    bound: socket::Bound,
}

impl RoomHost {
    /// Serves the room of `journal`'s log at `opts.socket`, on `runtime`, with the caps this
    /// process's open-file limit allows (raised to its hard limit first).
    pub fn bind(
        runtime: &Handle,
        journal: &Journal,
        opts: Options,
    ) -> Result<RoomHost, SocketError> {
        Self::bind_capped(runtime, journal, opts, Caps::of_this_process())
    }

    /// [`RoomHost::bind`] with these caps.
    pub(crate) fn bind_capped(
        runtime: &Handle,
        journal: &Journal,
        opts: Options,
        caps: Caps,
    ) -> Result<RoomHost, SocketError> {
        let (listener, bound) = {
            let _inside = runtime.enter();
            socket::bind(&opts.socket, opts.group)?
        };
        let io = |source| SocketError::Io {
            path: opts.socket.clone(),
            source,
        };
        let (wake, waker) = UnixStream::pair().map_err(io)?;
        wake.set_nonblocking(true).map_err(io)?;
        waker.set_nonblocking(true).map_err(io)?;
        let (tx, inbox) = mpsc::unbounded_channel();
        // Connection numbers start from the clock, so a restarted collector never reuses one
        // the log already holds.
        let first_conn = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0) * 1000;
        let room = Arc::new(Room {
            hub: hub::Hub::new(journal.fold().seq(), first_conn, tx, waker),
            log: wire::log_id(&opts.header),
            header: opts.header,
            recording: opts.recording,
            sources: opts.sources,
            recipients: journal
                .desk()
                .map(warroom_core::journal::Desk::sinks)
                .unwrap_or_default(),
            clock: opts.clock,
            operators: opts.operators,
            places: Arc::new(limits::Places::new(caps)),
            rates: rate::Rates::default(),
            catch_up: Arc::default(),
        });
        let accept = runtime.spawn(accept(listener, Arc::clone(&room)));
        runtime.spawn(churned(Arc::downgrade(&room)));
        tracing::info!(
            socket = %opts.socket.display(),
            screens = caps.screens,
            watchers = caps.watchers,
            connecting = caps.connecting,
            lowered_for_open_files = caps.lowered_for,
            "serving the room"
        );
        Ok(RoomHost {
            room,
            inbox,
            wake,
            accept,
            socket: opts.socket,
            bound,
        })
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// The room's caps: the defaults, or lowered to fit the open-file limit (`lowered_for`).
    pub fn caps(&self) -> Caps {
        self.room.places.caps()
    }

    #[cfg(test)]
    /// Screens attached now.
    pub(crate) fn attached(&self) -> usize {
        self.room.hub.attached()
    }

    #[cfg(test)]
    /// Connections still saying hello now: each holds a descriptor.
    pub(crate) fn connecting(&self) -> usize {
        self.room.places.connecting_now()
    }

    #[cfg(test)]
    /// The most catch-up readers that ever ran at once.
    pub(crate) fn catch_up_peak(&self) -> usize {
        self.room.catch_up.peak()
    }

    /// The next message from a screen, if one is waiting (never blocks).
    pub fn take(&mut self) -> Option<Inbound> {
        let mut drain = [0u8; 64];
        while matches!(std::io::Read::read(&mut &self.wake, &mut drain), Ok(n) if n > 0) {}
        self.inbox.try_recv().ok()
    }

    /// Waits for the next message from a screen.
    pub async fn recv(&mut self) -> Option<Inbound> {
        self.inbox.recv().await
    }

    /// Readable whenever a message is waiting: an event loop polls it with its input.
    pub fn wake(&self) -> std::io::Result<UnixStream> {
        self.wake.try_clone()
    }

    /// Sends the journal's steps to every screen.
    pub fn publish(&self, steps: &[Step]) {
        if steps.is_empty() {
            return;
        }
        let mut end = None;
        let lines: Vec<Arc<str>> = steps
            .iter()
            .map(|s| {
                if let Step::Batch { seq, events } | Step::Quiet { seq, events } = s {
                    end = Some(seq + events.len() as u64);
                }
                Arc::from(wire::line(&FromRoom::Step(s.clone())))
            })
            .collect();
        let published = end.unwrap_or_else(|| self.room.hub.published());
        self.room.hub.publish(&lines, published);
    }

    fn answer(&self, conn: u64, id: u64, refused: Option<String>) {
        let line = wire::line(&FromRoom::Answer { id, refused });
        self.room.hub.send_to(conn, line.into());
    }

    /// Carries out one message on `journal` at `now`: presence written as a `room` event, a
    /// request checked and written; the steps go to every screen, then the answer to the
    /// requester. Returns what the journal did.
    pub fn serve(&self, journal: &mut Journal, msg: Inbound, now: DateTime<Utc>) -> Taken {
        let change = |conn, who: Who, read_only, kind, reason| RoomChange {
            conn,
            user: who.user.unwrap_or_default(),
            who: who.name,
            change: kind,
            read_only,
            reason,
        };
        let taken = match msg {
            Inbound::Joined {
                conn,
                who,
                read_only,
            } => journal.presence(
                change(conn, who, read_only, RoomChangeKind::Joined, None),
                now,
            ),
            Inbound::Left {
                conn,
                who,
                read_only,
                reason,
            } => journal.presence(
                change(conn, who, read_only, RoomChangeKind::Left, reason),
                now,
            ),
            Inbound::Churned {
                who,
                read_only,
                times,
            } => journal.presence(
                change(0, who, read_only, RoomChangeKind::Churned, Some(times)),
                now,
            ),
            Inbound::Ask {
                conn,
                id,
                request,
                who,
                read_only,
            } => {
                let result = if read_only {
                    Err(Refusal::ReadOnly)
                } else {
                    journal.act(request, &who, now)
                };
                return match result {
                    Ok(taken) => {
                        self.publish(&taken.steps);
                        self.answer(conn, id, None);
                        taken
                    }
                    Err(r) => {
                        self.answer(conn, id, Some(r.to_string()));
                        Taken::default()
                    }
                };
            }
        };
        self.publish(&taken.steps);
        taken
    }

    /// Seats the host's own screen (`demo --serve`) in the room as an attached screen is: a
    /// join for `who` (with this process's account, as a screen's comes from its socket),
    /// written and published. Returns its connection number, for [`RoomHost::unseat`].
    pub fn seat(&self, journal: &mut Journal, who: &Who, now: DateTime<Utc>) -> (u64, Taken) {
        let conn = self.room.hub.next_conn();
        let joined = Inbound::Joined {
            conn,
            who: seated(who),
            read_only: false,
        };
        (conn, self.serve(journal, joined, now))
    }

    /// The host's own screen leaves the room: its dashboard quit.
    pub fn unseat(&self, journal: &mut Journal, conn: u64, who: &Who, now: DateTime<Utc>) -> Taken {
        let left = Inbound::Left {
            conn,
            who: seated(who),
            read_only: false,
            reason: None,
        };
        self.serve(journal, left, now)
    }

    /// Writes a leave for everyone the log still shows in the room (a collector restarted with
    /// `--append`: their screens reconnect and join again).
    pub fn forget_stale(&self, journal: &mut Journal, now: DateTime<Utc>) -> Taken {
        let stale: Vec<RoomChange> = journal
            .fold()
            .pipeline()
            .state()
            .room()
            .present()
            .map(|(conn, p)| RoomChange {
                conn,
                who: p.who.clone(),
                user: p.user.clone(),
                change: RoomChangeKind::Left,
                read_only: p.read_only,
                reason: Some("the collector restarted".into()),
            })
            .collect();
        let mut all = Taken::default();
        for c in stale {
            let t = journal.presence(c, now);
            self.publish(&t.steps);
            all.steps.extend(t.steps);
        }
        all
    }
}

/// `who` at the host's own screen, with this process's account.
fn seated(who: &Who) -> Who {
    Who {
        name: who.name.clone(),
        user: who.user.clone().or_else(|| Some(access::own_user())),
    }
}

impl Drop for RoomHost {
    fn drop(&mut self) {
        self.room.hub.close();
        self.accept.abort();
        self.bound.remove(&self.socket);
    }
}

async fn accept(listener: tokio::net::UnixListener, room: Arc<Room>) {
    let mut backoff = std::time::Duration::from_millis(10);
    let mut turned_away = 0u64;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                backoff = std::time::Duration::from_millis(10);
                // Counted from the moment it is accepted: the caps hold however many arrive.
                let uid = stream.peer_cred().map_or(u32::MAX, |c| c.uid());
                match room.places.connecting(uid) {
                    Ok(place) => {
                        tokio::spawn(conn::serve(stream, Arc::clone(&room), place));
                    }
                    Err(why) => {
                        turned_away += 1;
                        if turned_away.is_power_of_two() {
                            tracing::warn!(uid, turned_away, "a screen was turned away: {why}");
                        }
                        // A fresh socket's buffer takes the line without waiting.
                        let line = wire::line(&FromRoom::Bye { reason: why });
                        let _ = stream.try_write(line.as_bytes());
                    }
                }
            }
            Err(e) => {
                // Out of descriptors and the like: wait instead of spinning.
                tracing::warn!(error = %e, "cannot accept a screen");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(std::time::Duration::from_secs(1));
            }
        }
    }
}

/// Hands the journal's owner each account's comings and goings counted instead of written,
/// once due; ends with the room.
async fn churned(room: std::sync::Weak<Room>) {
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let Some(room) = room.upgrade() else { return };
        for c in room.rates.due(false) {
            room.hub.push(Inbound::Churned {
                times: c.text(),
                who: Who {
                    name: c.who,
                    user: Some(c.user),
                },
                read_only: c.read_only,
            });
        }
    }
}
