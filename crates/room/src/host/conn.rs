//! One attached screen, from hello to goodbye: who it is (peer credentials), the welcome, what
//! it lacks from the log, then its requests to the journal's owner and the journal's steps to
//! it. A screen that sends garbage or over-long lines, or stops reading, is told why and closed.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncWriteExt, BufReader, BufWriter};
use tokio::net::UnixStream;
use tokio::net::unix::OwnedWriteHalf;
use warroom_core::journal::{NAME_MAX, Who, clean};

use super::{Inbound, Room, access};
use crate::wire::{self, FromRoom, Hello, LineError, PROTOCOL, ToRoom, Welcome};

/// How long a screen may take to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write to a screen may block before it counts as frozen.
const WRITE_TIMEOUT: Duration = Duration::from_secs(15);

type Writer = BufWriter<OwnedWriteHalf>;

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

pub(crate) async fn serve(stream: UnixStream, room: Arc<Room>) {
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
    let mut buf = Vec::new();
    let hello = tokio::time::timeout(
        HELLO_TIMEOUT,
        wire::read::<_, ToRoom>(&mut r, &mut buf, wire::MAX_REQUEST_LINE),
    )
    .await;
    let hello = match hello {
        Ok(Ok(ToRoom::Hello(h))) if h.protocol == PROTOCOL => h,
        Ok(Ok(ToRoom::Hello(h))) => {
            let why = format!(
                "this collector speaks room protocol {PROTOCOL}, the screen {}: use the same warroom version",
                h.protocol
            );
            return bye(&mut w, &why).await;
        }
        _ => return bye(&mut w, "a screen starts with a hello").await,
    };
    let who = Who {
        name: Some(clean(&hello.operator, NAME_MAX))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| peer.user.clone()),
        user: Some(peer.user.clone()),
    };
    let read_only = hello.read_only || !peer.operator;
    let conn = room.hub.next_conn();
    let (published, mut queue, mut dropped) = room.hub.register(conn);
    // In the room from here: whatever ends the link, a leave follows.
    room.hub.push(Inbound::Joined {
        conn,
        who: who.clone(),
        read_only,
    });
    let mut closing = room.hub.closing();
    let life = attached(
        &room, &hello, &who, conn, read_only, published, &mut r, &mut w, &mut queue,
    );
    let reason = tokio::select! {
        reason = life => reason,
        () = async { let _ = dropped.wait_for(|d| *d).await.is_ok(); } => {
            let why = "fell behind the room (a frozen link?): reconnecting catches up from the log";
            bye(&mut w, why).await;
            Some(why.to_string())
        }
        () = async { let _ = closing.wait_for(|c| *c).await.is_ok(); } => {
            bye(&mut w, "the collector stopped").await;
            return;
        }
    };
    room.hub.unregister(conn);
    room.hub.push(Inbound::Left {
        conn,
        who,
        read_only,
        reason,
    });
}

/// The attached screen's life; returns why it left when it did not say goodbye.
#[allow(clippy::too_many_arguments)]
async fn attached(
    room: &Room,
    hello: &Hello,
    who: &Who,
    conn: u64,
    read_only: bool,
    published: u64,
    r: &mut BufReader<tokio::net::unix::OwnedReadHalf>,
    w: &mut Writer,
    queue: &mut tokio::sync::mpsc::Receiver<Arc<str>>,
) -> Option<String> {
    let from = match &hello.have {
        Some(h) if h.log == room.log && h.events <= published => h.events,
        _ => 0,
    };
    let welcome = FromRoom::Welcome(Box::new(Welcome {
        protocol: PROTOCOL,
        log: room.log.clone(),
        header: room.header.clone(),
        from,
        read_only,
        conn,
        user: who.user.clone().unwrap_or_default(),
        sources: room.sources.clone(),
        recipients: room.recipients.clone(),
        clock: room.clock.clone(),
    }));
    if let Err(why) = send(w, &wire::line(&welcome)).await {
        return Some(why.into());
    }
    // What it lacks from the log, then every step as the journal takes it; its requests (and
    // its goodbye) are read all along.
    let mut lacking = Some(super::catch_up::read(
        room.recording.clone(),
        from,
        published,
    ));
    let mut buf = Vec::new();
    loop {
        tokio::select! {
            msg = wire::read::<_, ToRoom>(r, &mut buf, wire::MAX_REQUEST_LINE) => match msg {
                Ok(ToRoom::Ask { id, request }) => room.hub.push(Inbound::Ask {
                    conn,
                    id,
                    request,
                    who: who.clone(),
                    read_only,
                }),
                Ok(ToRoom::Bye) => return None,
                Ok(ToRoom::Hello(_)) => {}
                Err(LineError::Closed | LineError::Io(_)) => return Some("link lost".into()),
                Err(e) => {
                    bye(w, &format!("closed: {e}")).await;
                    return Some(format!("closed: {e}"));
                }
            },
            line = async { lacking.as_mut()?.recv().await }, if lacking.is_some() => {
                match line {
                    Some(line) => {
                        if let Err(why) = send(w, &line).await {
                            return left_or(why, r, &mut buf).await;
                        }
                    }
                    None => lacking = None,
                }
            },
            line = queue.recv(), if lacking.is_none() => {
                let Some(line) = line else {
                    let why = "fell behind the room: reconnecting catches up from the log";
                    bye(w, why).await;
                    return Some(why.into());
                };
                if let Err(why) = send(w, &line).await {
                    return left_or(why, r, &mut buf).await;
                }
            },
        }
    }
}

/// Why a screen went when writing to it failed: it said goodbye just before (its last line is
/// still to read), or `why`.
async fn left_or(
    why: &str,
    r: &mut BufReader<tokio::net::unix::OwnedReadHalf>,
    buf: &mut Vec<u8>,
) -> Option<String> {
    let last = tokio::time::timeout(
        Duration::from_millis(200),
        wire::read::<_, ToRoom>(r, buf, wire::MAX_REQUEST_LINE),
    )
    .await;
    match last {
        Ok(Ok(ToRoom::Bye)) => None,
        _ => Some(why.into()),
    }
}
