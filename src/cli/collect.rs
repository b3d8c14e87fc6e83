//! `warroom collect LAYOUT --record FILE`: headless live collection for a bastion or a systemd
//! service. Starts the AWS pollers, writes every batch to the recording (flushed per batch),
//! reports on stderr only what an operator acts on (start, each source's change of state, stop;
//! `--verbose` adds a status line per minute), makes and delivers the leadership summaries of
//! the layout's `[summary]` section with the recording as their outbox, and exits 0 on SIGINT or SIGTERM with the recording
//! intact.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::Args;
use signal_hook::consts::{SIGINT, SIGTERM};

use super::Failure;
use crate::clock::sim as sim_clock;
use crate::collector::{self, Ended};
use crate::config;
use crate::live::accounts;
use crate::session;

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The layout file (TOML).
    pub(crate) layout: PathBuf,
    /// The recording to write (JSON Lines, mode 0600).
    #[arg(long, value_name = "FILE")]
    pub(crate) record: PathBuf,
    /// AWS profile (default: the layout account's profile, else the default credential chain).
    #[arg(long, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Continue FILE if it exists (it must have been recorded with the same layout); what a
    /// service restarted by systemd wants.
    #[arg(long, conflicts_with = "overwrite")]
    pub(crate) append: bool,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Also print a one-line summary of every source once a minute.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Game-day mode: poll on a simulator's virtual clock, `SPEED,VIRTUAL,REAL` as `warroom sim
    /// serve` prints it in `WARROOM_SIM_CLOCK` (read from there when not given; see
    /// docs/simulator.md).
    #[arg(long, value_name = "SPEC", hide = true)]
    pub(crate) sim_clock: Option<String>,
    #[command(flatten)]
    pub(crate) room: super::serve::ServeArgs,
}

pub fn run(args: &CollectArgs) -> Result<(), Failure> {
    let layout = config::load(&args.layout).map_err(Failure::input)?;
    let clock =
        sim_clock::from_arg_or_env(args.sim_clock.as_deref(), "collect").map_err(Failure::input)?;
    let stop = stop_flag()?;
    // Every refusal of the room's comes before the recording is created or replaced.
    let room_plan = args.room.prepare(&args.record)?;
    // With --append the log so far is read back: summaries already written are not made again
    // and those not yet delivered are sent again.
    let live = session::open(
        &layout,
        &session::Options {
            profile: args.profile.as_deref(),
            record: Some(&args.record),
            append: args.append,
            overwrite: args.overwrite,
            clock,
        },
    )?;
    let session::Live {
        mut journal,
        feed,
        readiness,
    } = live;
    if let Some(line) = readiness {
        eprintln!("warroom collect: {line}");
    }
    let handle = feed
        .session
        .handle()
        .ok_or_else(|| Failure::runtime("the pollers' runtime has stopped"))?;
    let mut room = room_plan
        .map(|p| p.host(&handle, &journal, &args.record, clock))
        .transpose()?;
    eprintln!(
        "warroom collect: {} sources of {} to {}{}; summaries to {} sinks",
        feed.session.pollers(),
        layout.path,
        args.record.display(),
        accounts::default_profile(&layout, args.profile.as_deref())
            .map(|p| format!(" (profile {p})"))
            .unwrap_or_default(),
        journal.desk().map_or(0, |d| d.sinks().len())
    );
    tracing::info!(
        sources = feed.session.pollers(),
        record = %args.record.display(),
        "collect started"
    );
    let mut err = std::io::stderr();
    if let Some(r) = &room {
        eprintln!(
            "warroom collect: serving the room on {}: `warroom attach {}`",
            r.socket().display(),
            r.socket().display()
        );
        eprintln!("warroom collect: {}", r.caps().describe());
    }
    let ended = collector::collect(
        feed.session,
        &mut journal,
        room.as_mut(),
        &stop,
        &mut err,
        args.verbose,
    )
    .map_err(|e| Failure::runtime(format!("recording stopped: {e}")))?;
    let written = journal
        .log()
        .map_or(0, crate::record::Recorder::events_written);
    tracing::info!(?ended, written, "collect stopped");
    match ended {
        Ended::Stopped => {
            eprintln!(
                "warroom collect: stopped; {written} events recorded to {}",
                args.record.display()
            );
            Ok(())
        }
        Ended::PollersGone => Err(Failure::runtime(format!(
            "every poller stopped unexpectedly (see the log); {written} events recorded to {}",
            args.record.display()
        ))),
    }
}

/// Raised by SIGINT or SIGTERM.
fn stop_flag() -> Result<Arc<AtomicBool>, Failure> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [SIGTERM, SIGINT] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .map_err(|e| Failure::runtime(format!("cannot handle signals: {e}")))?;
    }
    Ok(stop)
}
