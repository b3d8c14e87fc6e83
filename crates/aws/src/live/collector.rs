//! The headless collector's loop: every batch from the live session is written to the
//! recording and flushed before the next one is taken, every change of a source's state is
//! reported as one plain line (no escape codes: journald and log files read it as is), and with
//! `verbose` a status line once a minute. With leadership summaries, each batch also goes
//! through the pipeline and a due summary is written to the recording and queued to the sinks
//! (`super::outbox`). Stops when asked (a signal flag) with everything received recorded.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::outbox::LiveSummaries;
use super::session::{LiveSession, Next};
use crate::board::{Board, Change};
use crate::record::{RecordError, Recorder};
use crate::sanitize::sanitize;

/// How often summaries are looked at while no batch arrives.
const TICK: Duration = Duration::from_secs(5);
/// How often the stop flag is looked at while no batch arrives.
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

/// Collects until `stop` is raised; returns why it ended. A failed write ends it with the error
/// (the file is as complete as the disk allowed; under systemd, a restart with `--append`
/// continues it).
pub fn collect(
    mut session: LiveSession,
    recorder: &mut Recorder,
    board: &mut Board,
    mut summaries: Option<&mut LiveSummaries>,
    stop: &AtomicBool,
    out: &mut impl Write,
    verbose: bool,
) -> Result<Ended, RecordError> {
    let mut next_summary = Instant::now() + SUMMARY_EVERY;
    let mut next_tick = Instant::now() + TICK;
    let ended = loop {
        if stop.load(Ordering::Relaxed) {
            break Ended::Stopped;
        }
        match session.next_within(WAKE) {
            Next::Batch(b) => record(
                recorder,
                board,
                summaries.as_deref_mut(),
                &b,
                session.now(),
                out,
            )?,
            Next::Idle => {}
            Next::Closed => break Ended::PollersGone,
        }
        if Instant::now() >= next_tick {
            next_tick = Instant::now() + TICK;
            if let Some(s) = summaries.as_deref_mut() {
                let made = s.tick(recorder, session.now())?;
                report_summary(made.as_ref(), out);
            }
        }
        if verbose && Instant::now() >= next_summary {
            next_summary += SUMMARY_EVERY;
            let now = session.now();
            let attention = board.attention_line(now, 4);
            let _ = writeln!(
                out,
                "status: {}{}{}; {} events recorded",
                board.summary(now),
                if attention.is_empty() { "" } else { "; " },
                sanitize(&attention, false),
                recorder.events_written()
            );
        }
    };
    let now = session.now();
    for b in session.stop() {
        record(recorder, board, summaries.as_deref_mut(), &b, now, out)?;
    }
    if let Some(s) = summaries {
        // Outcomes that arrived are kept; summaries still in flight stay pending in the log
        // and are sent again at the next start.
        s.outbox.drain(&mut s.pipeline, recorder)?;
    }
    Ok(ended)
}

/// One batch: recorded (flushed), state changes reported, then summaries made when due at
/// `now` (written to the recording before they are queued).
pub fn record(
    recorder: &mut Recorder,
    board: &mut Board,
    summaries: Option<&mut LiveSummaries>,
    batch: &[crate::model::Event],
    now: chrono::DateTime<Utc>,
    out: &mut impl Write,
) -> Result<(), RecordError> {
    recorder.write_batch(batch)?;
    for c in board.observe(batch) {
        let _ = writeln!(out, "{}", change_line(&c));
    }
    if let Some(s) = summaries {
        let made = s.batch(batch, recorder, now)?;
        report_summary(made.as_ref(), out);
    }
    Ok(())
}

fn report_summary(made: Option<&crate::model::Summary>, out: &mut impl Write) {
    if let Some(s) = made {
        let _ = writeln!(
            out,
            "summary {} ({}, {}) written to the recording and queued",
            s.id,
            s.kind_word(),
            s.overall.word()
        );
    }
}

/// `source elbv2:seoul.tg: throttled (ThrottlingException: Rate exceeded)`.
pub fn change_line(c: &Change) -> String {
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
