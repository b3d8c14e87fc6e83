//! The headless collector's loop (`warroom collect`): every batch from the live session goes
//! through the journal (written and flushed before the next is taken, folded, summaries made
//! when due), every change of a source's state is reported as one plain line (no escape codes:
//! journald and log files read it as is), and with `verbose` a status line once a minute. With
//! `--serve`, the room's screens are served from the same loop: their joins, leaves and
//! requests go through the journal as they arrive, and every step is published to them. Stops
//! when asked (a signal flag) with everything received recorded.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::board::Change;
use crate::journal::{Journal, Taken};
use crate::live::{LiveSession, Next};
use crate::record::RecordError;
use crate::room::{Inbound, RoomHost};
use crate::sanitize::sanitize;

/// How often the stop flag (and whether a tick is due, `journal::TICK`) is looked at while no
/// batch arrives.
const WAKE: Duration = Duration::from_millis(200);
/// The verbose summary's interval.
const SUMMARY_EVERY: Duration = Duration::from_mins(1);

/// How a collection ended.
#[derive(Debug)]
pub enum Ended {
    /// The stop flag was raised (SIGINT, SIGTERM).
    Stopped,
    /// Every poller ended (they only do on a panic).
    PollersGone,
}

/// What the loop woke up for.
enum Woke {
    Batch(Next),
    /// Boxed: an operator action is much larger than the other wake-ups.
    Room(Option<Box<Inbound>>),
    Idle,
}

/// Collects until `stop` is raised; returns why it ended. A failed write ends it with the error
/// (the file is as complete as the disk allowed; under systemd, a restart with `--append`
/// continues it).
pub fn collect(
    mut session: LiveSession,
    journal: &mut Journal,
    mut room: Option<&mut RoomHost>,
    stop: &AtomicBool,
    out: &mut impl Write,
    verbose: bool,
) -> Result<Ended, RecordError> {
    let Some(rt) = session.handle() else {
        return Ok(Ended::PollersGone);
    };
    if let Some(r) = room.as_deref() {
        report(r.forget_stale(journal, session.now()), out)?;
    }
    let mut next_summary = Instant::now() + SUMMARY_EVERY;
    let ended = loop {
        if stop.load(Ordering::Relaxed) {
            break Ended::Stopped;
        }
        let woke = rt.block_on(async {
            let screens = async {
                match room.as_deref_mut() {
                    Some(r) => r.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                b = session.recv() => Woke::Batch(b),
                m = screens => Woke::Room(m.map(Box::new)),
                () = tokio::time::sleep(WAKE) => Woke::Idle,
            }
        });
        let now = session.now();
        match woke {
            Woke::Batch(Next::Batch(b)) => {
                let taken = journal.record(b, now);
                publish(room.as_deref(), &taken);
                report(taken, out)?;
            }
            Woke::Batch(Next::Closed) => break Ended::PollersGone,
            Woke::Room(Some(msg)) => {
                if let Some(r) = room.as_deref() {
                    report(r.serve(journal, *msg, now), out)?;
                }
            }
            Woke::Batch(Next::Idle) | Woke::Room(None) | Woke::Idle => {}
        }
        // One tick rule for every journal: every 5 s of the event's clock (a game day's too).
        if let Some(taken) = journal.tick_due(session.now()) {
            publish(room.as_deref(), &taken);
            report(taken, out)?;
        }
        if verbose && Instant::now() >= next_summary {
            next_summary += SUMMARY_EVERY;
            let _ = writeln!(out, "{}", status_line(journal, session.now()));
        }
    };
    let now = session.now();
    for b in session.stop() {
        report(journal.record(b, now), out)?;
    }
    report(journal.drain(), out)?;
    Ok(ended)
}

fn publish(room: Option<&RoomHost>, taken: &Taken) {
    if let Some(r) = room {
        r.publish(&taken.steps);
    }
}

/// Reports what one journal call did (source changes, summaries made); its write error, if any.
pub fn report(taken: Taken, out: &mut impl Write) -> Result<(), RecordError> {
    for c in &taken.changes {
        let _ = writeln!(out, "{}", change_line(c));
    }
    for s in &taken.made {
        let _ = writeln!(
            out,
            "summary {} ({}, {}) written to the recording and queued",
            s.id,
            s.kind_word(),
            s.overall.word()
        );
    }
    taken.error.map_or(Ok(()), Err)
}

/// `status: 12 sources ok; ...; 1234 events recorded`.
fn status_line(journal: &Journal, now: chrono::DateTime<chrono::Utc>) -> String {
    let board = journal.fold().board();
    let attention = board.attention_line(now, 4);
    format!(
        "status: {}{}{}; {} events recorded",
        board.summary(now),
        if attention.is_empty() { "" } else { "; " },
        sanitize(&attention, false),
        journal
            .log()
            .map_or(0, crate::record::Recorder::events_written)
    )
}

/// `source elbv2:seoul.tg: throttled (ThrottlingException: Rate exceeded)`.
pub(crate) fn change_line(c: &Change) -> String {
    let detail = c
        .detail
        .as_deref()
        .map(|d| format!(" ({})", sanitize(d, false)))
        .unwrap_or_default();
    format!(
        "source {}: {}{detail}",
        sanitize(&c.source, false),
        c.state.as_str()
    )
}

#[cfg(test)]
#[path = "collector_tests.rs"]
mod tests;
