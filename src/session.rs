//! Opening a live session's journal, for `watch` and `collect` alike: the recording (new, or
//! continued with `--append` when made with the same layout), the log so far read back into the
//! fold and the summary scheduler, the summaries' outbox to the layout's sinks (only when
//! recording: the recording is the outbox), the readiness report of a layout with `[readiness]`
//! (when recording: a batch the journal writes before the first poll, so the room's screens and
//! the post-mortem report have it), the credentials of every account, and the pollers on the
//! wall clock or a game day's virtual clock.

use std::path::Path;

use chrono::Utc;

use crate::board::Board;
use crate::cli::Failure;
use crate::clock::Clock;
use crate::config::Layout;
use crate::dash::Feed;
use crate::delivery::{Policy, sink};
use crate::journal::{Desk, Journal, resume};
use crate::live::outbox::Outbox;
use crate::live::{LiveSession, accounts, readiness, routes, session};
use crate::model::EventBody;
use crate::record::live as recording;

/// What the command asked for.
pub struct Options<'a> {
    pub(crate) profile: Option<&'a str>,
    /// Record to this file; the recording is also the summaries' outbox.
    pub(crate) record: Option<&'a Path>,
    pub(crate) append: bool,
    pub(crate) overwrite: bool,
    /// A game day's virtual clock (`WARROOM_SIM_CLOCK`), else the wall clock.
    pub clock: Option<Clock>,
}

/// A journal with the log so far in it, and the pollers feeding it.
pub struct Live {
    pub(crate) journal: Journal,
    pub(crate) feed: Feed,
    /// The one-line summary of the readiness report recorded at the start, if one was.
    pub(crate) readiness: Option<String>,
}

/// Opens the recording, reads back what it holds, starts the outbox and the pollers.
pub fn open(layout: &Layout, o: &Options) -> Result<Live, Failure> {
    let profile = accounts::default_profile(layout, o.profile);
    let start = o.clock.map_or_else(Utc::now, |c| c.now());
    let log = match o.record {
        Some(path) => {
            let header = recording::aws_header(layout, profile, start);
            let rec =
                recording::open(path, &header, o.append, o.overwrite).map_err(Failure::input)?;
            if let Some(n) = rec.notice() {
                tracing::warn!("{n}");
                eprintln!("warroom: {n}");
            }
            Some(rec)
        }
        None => None,
    };
    let runtime = session::runtime().map_err(|e| Failure::runtime(format!("cannot start: {e}")))?;
    let routes = runtime.block_on(accounts::connect(layout, o.profile));
    let board = Board::new(routes::sources_with_credentials(layout, &routes));
    let continued = o.record.filter(|_| o.append);
    let resumed = resume(layout, continued, start, board)
        .map_err(|e| Failure::input(format!("cannot read the recording back: {e}")))?;
    if let Some(skipped) = resumed.stats.summary() {
        tracing::warn!("{skipped}");
    }
    let desk = match log {
        Some(_) => {
            let cwd = std::env::current_dir()
                .map_err(|e| Failure::runtime(format!("cannot read the current directory: {e}")))?;
            let book = resumed.fold.pipeline().state().summaries();
            let outbox = runtime.block_on(async {
                let sinks = sink::from_layout(layout, &cwd).await;
                // Summaries follow the pollers' clock (virtual time in game-day mode).
                Outbox::start(sinks, Policy::default(), &Outbox::clock(o.clock), book)
            });
            Some(Desk::new(resumed.scheduler, Box::new(outbox)))
        }
        None => None,
    };
    let mut journal = Journal::new(resumed.fold, log, desk);
    let readiness = if journal.log().is_some() {
        record_readiness(&runtime, &mut journal, layout, profile, start)?
    } else {
        None
    };
    let session = LiveSession::start_on(runtime, layout, &routes, o.clock);
    Ok(Live {
        journal,
        feed: Feed {
            session,
            clock: o.clock,
        },
        readiness,
    })
}

/// Runs the readiness checks of a layout with `[readiness]` (`live::readiness::at_start`) and
/// records the report as a batch of the journal; its one-line summary when one was recorded.
fn record_readiness(
    runtime: &tokio::runtime::Runtime,
    journal: &mut Journal,
    layout: &Layout,
    profile: Option<&str>,
    start: chrono::DateTime<Utc>,
) -> Result<Option<String>, Failure> {
    let Some(event) = readiness::at_start(runtime, layout, profile, start) else {
        return Ok(None);
    };
    let line = match &event.body {
        EventBody::Readiness(r) => Some(crate::report::readiness_line(r)),
        _ => None,
    };
    if let Some(e) = journal.record(vec![event], start).error {
        return Err(Failure::runtime(format!("cannot record: {e}")));
    }
    Ok(line)
}
