//! One attached screen, from hello to goodbye: who it is (peer credentials), its seat (or why
//! the room has none), the welcome, what it lacks from the log, then its requests to the
//! journal's owner (at the account's rate) and the journal's steps to it. A screen that sends
//! garbage, over-long lines or a line it never finishes, or stops reading, is told why and
//! closed; why it left reaches the log stripped and bounded.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncWriteExt, BufReader, BufWriter};
use tokio::net::UnixStream;
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, watch};
use warroom_core::journal::{NAME_MAX, Who, clean};

use super::access::Peer;
use super::limits::Connecting;
use super::{Inbound, Room, access, rate};
use crate::wire::{self, Frames, FromRoom, Hello, LineError, PROTOCOL, ToRoom, Welcome};

/// How long a screen may take to say hello, from the moment it connects.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a screen may take to finish a line it began.
pub const LINE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write to a screen may block before it counts as frozen.
const WRITE_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest reason for leaving the log holds, in bytes.
pub(crate) const REASON_MAX: usize = 160;

type Writer = BufWriter<OwnedWriteHalf>;
type Reader = BufReader<OwnedReadHalf>;

/// An attached screen's link: its lines both ways, and its queue of the journal's steps.
struct Io {
    r: Reader,
    w: Writer,
    frames: Frames,
    queue: mpsc::Receiver<Arc<str>>,
}

async fn send(w: &mut Writer, line: &str) -> Result<(), &'static str> {
    let write = async {
        w.write_all(line.as_bytes()).await?;
        w.flush().await
    };
    match tokio::time::timeout(WRITE_TIMEOUT, write).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err("link lost"),
        Err(_) => Err("stopped reading (a frozen link)"),
    }
}

/// Says why the link closes; best effort, never long.
async fn bye(w: &mut Writer, reason: &str) {
    let line = wire::line(&FromRoom::Bye {
        reason: reason.to_string(),
    });
    let _ = tokio::time::timeout(Duration::from_secs(1), w.write_all(line.as_bytes())).await;
    let _ = tokio::time::timeout(Duration::from_secs(1), w.flush()).await;
}

/// How an attached screen's link ended.
enum Ended {
    /// It left: None when it said goodbye, else why.
    Left(Option<String>),
    /// Its queue overflowed.
    Dropped,
    /// The room closes.
    Closing,
}

pub(crate) async fn serve(stream: UnixStream, room: Arc<Room>, connecting: Connecting) {
    let peer = match access::peer(&stream, room.operators) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "a screen's credentials could not be read; closed");
            return;
        }
    };
    let (r, w) = stream.into_split();
    let mut r = BufReader::new(r);
    let mut w = BufWriter::new(w);
    let mut frames = Frames::default();
    let Some(hello) = greeted(&mut r, &mut w, &mut frames).await else {
        return;
    };
    drop(connecting);
    let read_only = hello.read_only || !peer.operator;
    let seat = match room.places.seat(read_only) {
        Ok(seat) => seat,
        Err(why) => {
            tracing::warn!(user = %peer.user, "a screen was turned away: {why}");
            return bye(&mut w, &why).await;
        }
    };
    let who = Who {
        name: Some(clean(&hello.operator, NAME_MAX))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| peer.user.clone()),
        user: Some(peer.user.clone()),
    };
    let conn = room.hub.next_conn();
    let (published, queue, dropped) = room.hub.register(conn);
    let screen = Screen {
        room: &room,
        who: &who,
        peer: &peer,
        conn,
        read_only,
        hello: &hello,
        published,
    };
    let mut io = Io {
        r,
        w,
        frames,
        queue,
    };
    let mut announced = false;
    let ended = screen.live(&mut io, dropped, &mut announced).await;
    let reason = match ended {
        Ended::Left(reason) => reason,
        Ended::Dropped => {
            let why = "fell behind the room (a frozen link?): reconnecting catches up from the log";
            bye(&mut io.w, why).await;
            Some(why.to_string())
        }
        Ended::Closing => {
            bye(&mut io.w, "the collector stopped").await;
            return;
        }
    };
    room.hub.unregister(conn);
    drop(seat);
    if announced {
        room.hub.push(Inbound::Left {
            conn,
            who,
            read_only,
            reason: reason.map(|r| clean(&r, REASON_MAX)),
        });
    } else {
        room.rates
            .came_and_went(peer.uid, &who.name, &peer.user, read_only);
    }
}

/// The screen's hello, read within [`HELLO_TIMEOUT`] of connecting; None when it did not say
/// one this collector speaks (it was told why).
async fn greeted(r: &mut Reader, w: &mut Writer, frames: &mut Frames) -> Option<Hello> {
    let hello = tokio::time::timeout(
        HELLO_TIMEOUT,
        frames.next::<_, ToRoom>(r, wire::MAX_REQUEST_LINE, HELLO_TIMEOUT),
    )
    .await;
    let why = match hello {
        Ok(Ok(ToRoom::Hello(h))) if h.protocol == PROTOCOL => return Some(h),
        Ok(Ok(ToRoom::Hello(h))) => format!(
            "this collector speaks room protocol {PROTOCOL}, the screen {}: use the same warroom version",
            h.protocol
        ),
        Err(_) => format!("no hello within {} s", HELLO_TIMEOUT.as_secs()),
        Ok(Err(LineError::Closed | LineError::Io(_))) => return None,
        Ok(Err(e)) => format!("closed: {e}"),
        Ok(Ok(_)) => "a screen starts with a hello".to_string(),
    };
    bye(w, &why).await;
    None
}

/// An attached screen: who it is and where, what it said, and how far the log was published
/// when it registered (it reads the rest from its queue).
struct Screen<'a> {
    room: &'a Room,
    who: &'a Who,
    peer: &'a Peer,
    conn: u64,
    read_only: bool,
    hello: &'a Hello,
    published: u64,
}

impl Screen<'_> {
    fn joined(&self) -> Inbound {
        Inbound::Joined {
            conn: self.conn,
            who: self.who.clone(),
            read_only: self.read_only,
        }
    }

    /// In the room from here: once its join is written (`announced`), whatever ends the link,
    /// a leave follows. An account joining faster than the room writes has its join written
    /// once it is under the rate again, or counted with its leave if it goes first.
    async fn live(
        &self,
        io: &mut Io,
        mut dropped: watch::Receiver<bool>,
        announced: &mut bool,
    ) -> Ended {
        let room = self.room;
        *announced = room.rates.join(self.peer.uid);
        if *announced {
            room.hub.push(self.joined());
        }
        let mut closing = room.hub.closing();
        let life = self.attached(io);
        tokio::pin!(life);
        loop {
            tokio::select! {
                reason = &mut life => return Ended::Left(reason),
                () = async { let _ = dropped.wait_for(|d| *d).await.is_ok(); } => return Ended::Dropped,
                () = async { let _ = closing.wait_for(|c| *c).await.is_ok(); } => return Ended::Closing,
                () = tokio::time::sleep(rate::JOIN_EVERY), if !*announced => {
                    if room.rates.join(self.peer.uid) {
                        *announced = true;
                        room.hub.push(self.joined());
                    }
                }
            }
        }
    }

    /// The attached screen's life; returns why it left when it did not say goodbye.
    async fn attached(&self, io: &mut Io) -> Option<String> {
        let (room, published) = (self.room, self.published);
        let from = match &self.hello.have {
            Some(h) if h.log == room.log && h.events <= published => h.events,
            _ => 0,
        };
        let welcome = FromRoom::Welcome(Box::new(Welcome {
            protocol: PROTOCOL,
            log: room.log.clone(),
            header: room.header.clone(),
            from,
            read_only: self.read_only,
            conn: self.conn,
            user: self.peer.user.clone(),
            sources: room.sources.clone(),
            recipients: room.recipients.clone(),
            clock: room.clock.clone(),
        }));
        if let Err(why) = send(&mut io.w, &wire::line(&welcome)).await {
            return Some(why.into());
        }
        // What it lacks from the log, then every step as the journal takes it; its requests
        // (and its goodbye) are read all along.
        let mut lacking = Some(super::catch_up::read(
            &room.catch_up,
            room.recording.clone(),
            from,
            published,
        ));
        loop {
            tokio::select! {
                msg = io.frames.next::<_, ToRoom>(&mut io.r, wire::MAX_REQUEST_LINE, LINE_TIMEOUT) => match msg {
                    Ok(ToRoom::Ask { id, request }) => {
                        if let Some(refused) = self.ask(id, request) {
                            let answer = FromRoom::Answer { id, refused: Some(refused) };
                            if let Err(why) = send(&mut io.w, &wire::line(&answer)).await {
                                return Some(why.into());
                            }
                        }
                    }
                    Ok(ToRoom::Bye) => return None,
                    Ok(ToRoom::Hello(_)) => {}
                    Err(LineError::Closed | LineError::Io(_)) => return Some("link lost".into()),
                    Err(e) => {
                        let why = format!("closed: {e}");
                        bye(&mut io.w, &why).await;
                        return Some(why);
                    }
                },
                line = async { lacking.as_mut()?.recv().await }, if lacking.is_some() => {
                    match line {
                        Some(ahead) => {
                            if let Err(why) = send(&mut io.w, &ahead.line).await {
                                return left_or(why, io).await;
                            }
                        }
                        None => lacking = None,
                    }
                },
                line = io.queue.recv(), if lacking.is_none() => {
                    let Some(line) = line else {
                        let why = "fell behind the room: reconnecting catches up from the log";
                        bye(&mut io.w, why).await;
                        return Some(why.into());
                    };
                    if let Err(why) = send(&mut io.w, &line).await {
                        return left_or(why, io).await;
                    }
                },
            }
        }
    }

    /// Hands a request to the journal's owner, or says why not (over the account's rate).
    fn ask(&self, id: u64, request: warroom_core::journal::Request) -> Option<String> {
        if !self.room.rates.request(self.peer.uid) {
            return Some(format!(
                "not done: account {} sent more than {} requests at once (at most one every {} \
                 ms); try again in a moment",
                self.peer.user,
                rate::REQUEST_BURST,
                rate::REQUEST_EVERY.as_millis()
            ));
        }
        self.room.hub.push(Inbound::Ask {
            conn: self.conn,
            id,
            request,
            who: self.who.clone(),
            read_only: self.read_only,
        });
        None
    }
}

/// Why a screen went when writing to it failed: it said goodbye just before (its last line is
/// still to read), or `why`.
async fn left_or(why: &str, io: &mut Io) -> Option<String> {
    let last = tokio::time::timeout(
        Duration::from_millis(200),
        io.frames
            .next::<_, ToRoom>(&mut io.r, wire::MAX_REQUEST_LINE, LINE_TIMEOUT),
    )
    .await;
    match last {
        Ok(Ok(ToRoom::Bye)) => None,
        _ => Some(why.into()),
    }
}
